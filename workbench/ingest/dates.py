"""Publication dates as written on pages -> ISO 8601 strings, or None.

The precision of the output follows the input: a day alone gives
``YYYY-MM-DD``, a time gives ``YYYY-MM-DDTHH:MM:SS`` and a zone adds the
offset.  Anything that does not name a full, real day is missing (None) with
a warning: a wrong date is worse than no date for a fact-checker, and the
import time is never substituted.
"""

from __future__ import annotations

import re
from datetime import datetime

from dateutil import parser as dateparser
from dateutil import tz

_MAX_LEN = 80
_INVALID = {"", "invalid date", "null", "none", "nan", "undefined", "unknown", "n/a"}
_CJK_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_CJK_TIME = re.compile(r"(\d{1,2})\s*[时點点]\s*(\d{1,2})\s*分?")
_MERIDIEM = re.compile(r"\b([ap])\.\s?m\.?(?!\w)", re.IGNORECASE)
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}|\d{1,2}\s*[AaPp][Mm]\b|T\d{2}")
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
# Offsets like "+0800" or "+08:00", zone names and "Z"; dateutil reports them as tzinfo.
_TZINFOS = {"GMT": tz.UTC, "UTC": tz.UTC, "UT": tz.UTC, "Z": tz.UTC, "CST": tz.tzoffset("CST", 8 * 3600)}
_SENTINELS = (datetime(1901, 1, 1), datetime(1902, 2, 2))


def parse_date(value: object) -> tuple[str | None, str | None]:
    """Return ``(iso, warning)``; ``iso`` is None when the value is not a date.

    ``warning`` is None for values that are plainly empty and a short
    explanation for values that looked like a date but were not one.
    """
    if value is None:
        return None, None
    text = str(value).strip()
    if text.lower() in _INVALID:
        return None, (f"date {text!r} is not a date" if text else None)
    if len(text) > _MAX_LEN:
        return None, f"date {text[:40]!r}... is too long to be a date"
    normalised = _normalise(text)
    if not _YEAR.search(normalised):
        return None, f"date {text!r} has no four-digit year"
    results = []
    for default in _SENTINELS:
        try:
            results.append(dateparser.parse(normalised, default=default, tzinfos=_TZINFOS))
        except (ValueError, OverflowError, TypeError, dateparser.ParserError):
            return None, f"date {text!r} is not a valid date"
    first, second = results
    try:
        first.utcoffset()  # a zone of 24 h or more (+25:00) is not a zone: datetime refuses it here
    except (ValueError, OverflowError):
        return None, f"date {text!r} has an impossible UTC offset (24 hours or more)"
    if (first.year, first.month, first.day) != (second.year, second.month, second.day):
        return None, f"date {text!r} does not name a full day"
    if not _HAS_TIME.search(normalised):
        return first.date().isoformat(), None
    # isoformat() appends the offset exactly when a zone was given.
    return first.isoformat(timespec="seconds"), None


def _normalise(text: str) -> str:
    """Rewrite forms dateutil does not read: 2024年5月21日, 9点30分, p.m."""
    text = _CJK_DATE.sub(r"\1-\2-\3 ", text)
    text = _CJK_TIME.sub(r"\1:\2", text)
    text = _MERIDIEM.sub(lambda m: m.group(1).upper() + "M", text)
    return text.replace("\u00a0", " ").strip()
