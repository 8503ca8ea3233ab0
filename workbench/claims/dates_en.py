"""English date expressions -> :class:`Candidate` objects (see ``dates`` for anchoring).

Covers month names with and without day and year (May 25, Dec. 28, December 28,
2021, 25 May 2021, June 2022, in May), deictic words (yesterday, last week,
last Tuesday, earlier this month, this year, three days ago), "that day"/"the
next day", quarters (the first quarter of 2024, Q1 2024, first-quarter) and a
bare year after a preposition (in 2021, since 1986, mid-2020).

Month and weekday names must be capitalised ("may" is a verb). Word edges are
written as ASCII look-arounds rather than ``\\b`` because Chinese characters
count as word characters and "Q1季度" would otherwise have no edge.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Iterator

from workbench.claims import dates_calendar
from workbench.claims.dates_base import (
    NEED_DAY,
    NEED_NONE,
    NEED_PUBLISHED,
    NEED_YEAR,
    NEED_YEAR_FINE,
    Candidate,
    Interval,
    day_iv,
    latest_weekday,
    month_iv,
    run_recognisers,
    months_span,
    part_of_month,
    quarter_iv,
    safe_date,
    shift,
    week_iv,
    weekday_in_week,
    weekend_in_week,
    year_iv,
)

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_SMALL = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

_L = r"(?<![A-Za-z0-9])"  # left word edge
_R = r"(?![A-Za-z0-9])"  # right word edge
_MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_YEAR = r"(?:1[0-9]{3}|20[0-9]{2}|21[0-9]{2})"
_ORD = r"(?:st|nd|rd|th)?"
# A number followed by a unit or a decimal is a quantity, not a day of the month.
_NOT_QUANTITY = r"(?!\s*(?:%|percent|per cent|million|billion|thousand|hundred)|[.,:]\d)"

_MONTH_DAY = re.compile(
    rf"{_L}(?P<mon>{_MON})\s(?P<d>[0-9]{{1,2}}){_ORD}{_R}{_NOT_QUANTITY}(?:,?\s(?P<y>{_YEAR}){_R})?"
    rf"|{_L}(?P<d2>[0-9]{{1,2}}){_ORD}\s(?:of\s)?(?P<mon2>{_MON})(?![A-Za-z])(?:,?\s(?P<y2>{_YEAR}){_R})?"
    rf"|{_L}(?P<mon3>{_MON}),?\s(?P<y3>{_YEAR}){_R}"
)
_MONTH_BARE = re.compile(
    rf"{_L}(?:(?P<prep>in|In|since|Since|until|Until|by|By|during|During|through|from|From|to|of)\s"
    rf"|(?P<part>early|Early|mid-|Mid-|late|Late|end of|End of|beginning of|Beginning of)\s?)"
    rf"(?P<mon>(?:January|February|March|April|May|June|July|August|September|October|November|December))"
    rf"(?![A-Za-z])(?!\s*[0-9])"
)
_DAY_WORD = re.compile(
    r"(?i:(?<![A-Za-z0-9])(?P<w>the day before yesterday|the day after tomorrow|yesterday|today|tomorrow|tonight"
    r"|(?:this|yesterday|tomorrow) (?:morning|afternoon|evening)|last night"
    r"|that (?:day|night|evening|morning|afternoon)|the same day|the (?:next|following) day"
    r"|the day before|the previous day)(?![A-Za-z0-9]))"
)
_REL_DAYS = {
    "the day before yesterday": -2, "the day after tomorrow": 2, "yesterday": -1, "today": 0,
    "tomorrow": 1, "tonight": 0, "last night": -1,
}
_CTX_DAYS = {"the same day": 0, "the next day": 1, "the following day": 1, "the day before": -1,
             "the previous day": -1}
_REL_PERIOD = re.compile(
    r"(?i:(?<![A-Za-z0-9])(?:(?P<edge>earlier|later|early|late)\s)?(?P<rel>last|this|next|past)\s"
    r"(?P<unit>week|weekend|month|year)(?![A-Za-z0-9]))"
)
_WEEKDAY = re.compile(
    # "was a Tuesday", "every Tuesday" name no particular day.
    rf"{_L}(?<!\ba )(?<!\bA )(?<!every )(?<!Every )(?<!each )(?:(?P<rel>[Ll]ast|[Tt]his|[Nn]ext)\s)?"
    r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?![A-Za-z0-9])"
)
_QUARTER = re.compile(
    rf"(?i:{_L}(?:the\s)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]quarter{_R}"
    rf"(?:(?:\sof|,)?\s(?:(?P<y>{_YEAR}){_R}|(?P<yrel>last|this|next)\syear{_R}))?)"
    rf"|{_L}(?:(?P<y0>{_YEAR})\s)?(?P<qh>[QH])(?P<n>[1-4])(?:(?:\s|['’]?)(?P<y1>{_YEAR}){_R}|(?![A-Za-z0-9]))"
)
_BARE_YEAR = re.compile(
    rf"(?:{_L}(?P<prep>[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|till|[Ff]rom|[Dd]uring|[Tt]hrough|of|[Bb]efore|[Aa]fter"
    rf"|[Aa]round|[Bb]etween|and|to|early|late|[Ee]nd of|fiscal|[Ff]iscal year)\s|{_L}[Mm]id-)"
    rf"(?P<y>(?:1[89][0-9]{{2}}|20[0-9]{{2}}|2100)){_R}"
    # "in 2000 cases" is a count: a plural noun after the number makes it one.
    r"(?![-–][0-9]|[.,][0-9]|\s+(?:[a-z]+s|people|men|women|children)(?![A-Za-z]))"
)
_DECADE = re.compile(rf"{_L}(?:the\s)?(?P<dec>(?:1[0-9]|20)[0-9]0)s(?![A-Za-z0-9])")
_AGO = re.compile(
    rf"(?i:{_L}(?P<n>[0-9]{{1,3}}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    rf"\s(?P<u>day|week|month|year)s?\s(?P<dir>ago|later|from now){_R})"
)


def _month_number(name: str) -> int:
    return _MONTHS[name.rstrip(".").lower()]


def _month_day(m: re.Match) -> Candidate | None:
    gd = m.groupdict()
    mon = _month_number(gd["mon"] or gd["mon2"] or gd["mon3"])
    day_s = gd["d"] or gd["d2"]
    year_s = gd["y"] or gd["y2"] or gd["y3"]
    day = int(day_s) if day_s else None
    if day is not None and not 1 <= day <= 31:
        return None
    if year_s:
        year = int(year_s)
        iv = day_iv(safe_date(year, mon, day)) if day else month_iv(year, mon)
        if iv is None:
            return None
        return Candidate(m.start(), m.end(), NEED_NONE, lambda a: iv)

    def resolve(anchor: date | None) -> Interval | None:
        return day_iv(safe_date(anchor.year, mon, day))

    return Candidate(m.start(), m.end(), NEED_YEAR_FINE, resolve, rollback="year")


def _month_bare(m: re.Match) -> Candidate:
    mon = _MONTHS[m.group("mon").lower()]
    part = (m.group("part") or "").lower()
    # A preposition is evidence, not part of the expression; "early May" is.
    start = m.start("mon") if m.group("prep") else m.start()
    kind = {"early": "early", "beginning of": "early", "mid-": "mid"}.get(part, "late")

    def resolve(anchor: date | None) -> Interval | None:
        if part:
            return part_of_month(anchor.year, mon, kind)
        return month_iv(anchor.year, mon)

    return Candidate(start, m.end(), NEED_YEAR_FINE, resolve, rollback="year")


def _day_word(m: re.Match) -> Candidate:
    w = m.group("w").lower()
    if w.startswith("that "):
        k, need = 0, NEED_DAY
    elif w in _CTX_DAYS:
        k, need = _CTX_DAYS[w], NEED_DAY
    elif w in _REL_DAYS:
        k, need = _REL_DAYS[w], NEED_PUBLISHED
    else:  # "this morning", "yesterday evening", "tomorrow afternoon"
        k, need = {"this": 0, "yesterday": -1, "tomorrow": 1}[w.split()[0]], NEED_PUBLISHED
    return Candidate(m.start(), m.end(), need, lambda a: day_iv(shift(a, days=k)))


def _rel_period(m: re.Match) -> Candidate:
    rel, unit = m.group("rel").lower(), m.group("unit").lower()
    edge = (m.group("edge") or "").lower()
    k = {"last": -1, "this": 0, "next": 1, "past": 0}[rel]

    def resolve(a: date | None) -> Interval | None:
        if rel == "past":  # "the past week": the stretch of time up to the anchor
            back = {"week": dict(days=-6), "weekend": dict(days=-6), "month": dict(months=-1),
                    "year": dict(years=-1)}[unit]
            return ("span", shift(a, **back), a)
        if unit == "week":
            iv = week_iv(a, k)
        elif unit == "weekend":
            return weekend_in_week(a, k)
        elif unit == "month":
            first = shift(a.replace(day=1), months=k)
            iv = month_iv(first.year, first.month)
        else:
            iv = year_iv(a.year + k)
        if edge in ("earlier", "later") and k == 0:
            # "earlier this month": from the start of the period to the anchor.
            return ("span", iv[1], a) if edge == "earlier" else ("span", a, iv[2])
        if edge in ("early", "late") and unit in ("month", "year"):
            if unit == "month":
                return part_of_month(iv[1].year, iv[1].month, edge)
            return months_span(iv[1].year, 1, 2) if edge == "early" else months_span(iv[1].year, 11, 12)
        return iv

    return Candidate(m.start(), m.end(), NEED_PUBLISHED, resolve)


def _weekday(m: re.Match) -> Candidate:
    wd = _WEEKDAYS[m.group("wd").lower()]
    rel = (m.group("rel") or "").lower()
    if not rel:
        return Candidate(m.start(), m.end(), NEED_PUBLISHED, lambda a: latest_weekday(a, wd))
    # "last Tuesday" is the Tuesday of last week, as 上周二 is (news style).
    k = {"last": -1, "this": 0, "next": 1}[rel]
    return Candidate(m.start(), m.end(), NEED_PUBLISHED, lambda a: weekday_in_week(a, k, wd))


def _quarter(m: re.Match) -> Candidate | None:
    gd = m.groupdict()
    if gd["ord"]:
        q, half = _ORDINALS[gd["ord"].lower()], False
    else:
        q, half = int(gd["n"]), gd["qh"] == "H"
        if half and q > 2:
            q = 0
    year_s = gd["y"] or gd["y0"] or gd["y1"]
    if half and not year_s:
        return None  # "H1" alone is as likely a visa or a virus (H1N1 aside) as a half-year

    def interval(year: int) -> Interval | None:
        if half:
            return months_span(year, 1, 6) if q == 1 else months_span(year, 7, 12) if q == 2 else None
        return quarter_iv(year, q)

    if year_s:
        return Candidate(m.start(), m.end(), NEED_NONE, lambda a: interval(int(year_s)))
    if gd["yrel"]:
        k = {"last": -1, "this": 0, "next": 1}[gd["yrel"].lower()]
        return Candidate(m.start(), m.end(), NEED_PUBLISHED, lambda a: interval(a.year + k))
    return Candidate(m.start(), m.end(), NEED_YEAR, lambda a: interval(a.year))


def _bare_year(m: re.Match) -> Candidate:
    year = int(m.group("y"))
    return Candidate(m.start("y"), m.end("y"), NEED_NONE, lambda a: year_iv(year))


def _decade(m: re.Match) -> Candidate:
    first = int(m.group("dec"))
    return Candidate(m.start(), m.end(), NEED_NONE,
                     lambda a: ("span", date(first, 1, 1), date(first + 9, 12, 31)))


def _ago(m: re.Match) -> Candidate:
    n_s = m.group("n").lower()
    n = int(n_s) if n_s.isdigit() else _SMALL[n_s]
    sign = -1 if m.group("dir").lower() == "ago" else 1
    unit = m.group("u").lower()
    # "three days later" is narrative (relative to the last date told), "ago" is deictic.
    need = NEED_PUBLISHED if sign < 0 or m.group("dir").lower() == "from now" else NEED_DAY

    def resolve(a: date | None) -> Interval | None:
        if unit == "day":
            return day_iv(shift(a, days=sign * n))
        if unit == "week":
            return week_iv(a, sign * n)
        if unit == "month":
            d = shift(a, months=sign * n)
            return month_iv(d.year, d.month)
        return year_iv(a.year + sign * n)

    return Candidate(m.start(), m.end(), need, resolve)


# Christmas 2021, Thanksgiving, last Christmas, Mother's Day: the holiday of that year (dates_calendar).
_HOLIDAY = re.compile(
    r"(?i)\b(?:(?P<rel>last|this|next)\s+)?(?P<name>christmas\s+eve|christmas\s+day|christmas|new\s+year['’]s\s+(?:day|eve)"
    r"|thanksgiving(?:\s+day)?|mother['’]s\s+day|father['’]s\s+day|halloween|valentine['’]s\s+day)\b"
    r"(?:,?\s+(?P<y>[12][0-9]{3})\b)?"
)


def _holiday(m: re.Match) -> Candidate | None:
    name = " ".join(m.group("name").lower().replace("’", "'").split())
    if m.group("y"):
        year = int(m.group("y"))
        return Candidate(m.start(), m.end(), NEED_NONE, lambda a: day_iv(dates_calendar.holiday(year, name)))
    if m.group("rel"):
        step = {"last": -1, "this": 0, "next": 1}[m.group("rel").lower()]

        def resolve(anchor: date | None) -> Interval | None:
            # "last Christmas" is the latest one before the anchor, "next Christmas" the first after it.
            this_year = dates_calendar.holiday(anchor.year, name)
            if step < 0:
                return day_iv(this_year if this_year < anchor else dates_calendar.holiday(anchor.year - 1, name))
            if step > 0:
                return day_iv(this_year if this_year > anchor else dates_calendar.holiday(anchor.year + 1, name))
            return day_iv(this_year)

        return Candidate(m.start(), m.end(), NEED_PUBLISHED, resolve)
    # A bare holiday is that of the year in context (else of writing), with the past rule of a bare month.
    return Candidate(m.start(), m.end(), NEED_YEAR_FINE,
                     lambda a: day_iv(dates_calendar.holiday(a.year, name)), rollback="year")


_RECOGNISERS = (
    (_HOLIDAY, _holiday),
    (_MONTH_DAY, _month_day),
    (_MONTH_BARE, _month_bare),
    (_DAY_WORD, _day_word),
    (_REL_PERIOD, _rel_period),
    (_WEEKDAY, _weekday),
    (_QUARTER, _quarter),
    (_BARE_YEAR, _bare_year),
    (_DECADE, _decade),
    (_AGO, _ago),
)


def candidates(text: str, pos: int = 0, endpos: int | None = None) -> Iterator[Candidate]:
    """Every English date expression in ``text[pos:endpos]`` (overlaps allowed)."""
    return run_recognisers(_RECOGNISERS, text, pos, endpos)
