"""Shared pieces of the date finder: candidates, anchoring needs and calendar arithmetic.

The language recognisers (``dates_zh``, ``dates_en``) turn regex matches into
:class:`Candidate` objects; ``dates.find_dates`` picks the non-overlapping ones,
decides which day each is anchored on and calls its ``resolve``. Keeping the
calendar here means both languages compute "last week" or "Q1" the same way.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

from dateutil.relativedelta import relativedelta

# What an expression needs from outside itself before it can be resolved.
NEED_NONE = "none"  # absolute: 2024年4月26日, 2024-04-29, June 2022
NEED_PUBLISHED = "published"  # deictic, relative to the time of writing: 昨天, last week
NEED_DAY = "day"  # lacks year and month or is "that day": 28日, 当晚, 次日
NEED_MONTH = "month"  # "that month": 当月, 同月
NEED_YEAR_FINE = "year-fine"  # lacks the year, names a month or day: 4月20日, May 25
NEED_YEAR = "year"  # lacks the year, coarse: 第一季度, 同年
NEED_CENTURY = "century"  # two-digit year: 17年

# (precision, first day, last day)
Interval = tuple[str, date, date]
Resolver = Callable[[date | None], "Interval | None"]


@dataclass
class Candidate:
    """One recognised expression before anchoring.

    ``resolve`` receives the anchor day chosen for ``need`` (None for
    ``NEED_NONE``) and returns the interval, or None when the fields do not
    make a real calendar date (31 April).  ``rollback`` names the step to go
    back when a year-less expression anchored on the publication day would
    land after it ("year" for 12月3日, "month" for 28日).
    """

    start: int
    end: int
    need: str
    resolve: Resolver
    rollback: str | None = None


# ---------------------------------------------------------------- calendar


def safe_date(year: int, month: int, day: int) -> date | None:
    """A date, or None when the fields do not name one (2024-02-30)."""
    if not (1 <= year <= 9999):
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def day_iv(d: date | None) -> Interval | None:
    return None if d is None else ("day", d, d)


def month_iv(year: int, month: int) -> Interval | None:
    if not (1 <= month <= 12) or not (1 <= year <= 9999):
        return None
    return ("month", date(year, month, 1), month_end(year, month))


def year_iv(year: int) -> Interval | None:
    if not (1 <= year <= 9999):
        return None
    return ("year", date(year, 1, 1), date(year, 12, 31))


def quarter_iv(year: int, quarter: int) -> Interval | None:
    if not (1 <= quarter <= 4) or not (1 <= year <= 9999):
        return None
    first = date(year, 3 * quarter - 2, 1)
    return ("quarter", first, month_end(year, 3 * quarter))


def months_span(year: int, first_month: int, last_month: int) -> Interval | None:
    """Months ``first_month..last_month`` of one year as a "span" (上半年, 前三季度)."""
    if not (1 <= first_month <= last_month <= 12) or not (1 <= year <= 9999):
        return None
    return ("span", date(year, first_month, 1), month_end(year, last_month))


def part_of_month(year: int, month: int, part: str) -> Interval | None:
    """初/上旬 = days 1-10, 中旬 = 11-20, 底/末/下旬 = 21 to the end (a "span")."""
    if not (1 <= month <= 12) or not (1 <= year <= 9999):
        return None
    end = month_end(year, month)
    if part == "early":
        return ("span", date(year, month, 1), date(year, month, 10))
    if part == "mid":
        return ("span", date(year, month, 11), date(year, month, 20))
    return ("span", date(year, month, 21), end)


def part_of_year(year: int, part: str) -> Interval | None:
    """年初 = January-February, 年中 = June-July, 年底/年末 = November-December."""
    months = {"early": (1, 2), "mid": (6, 7), "late": (11, 12)}[part]
    return months_span(year, *months)


def week_iv(anchor: date, weeks: int) -> Interval:
    """The Monday-Sunday week ``weeks`` away from the anchor's week."""
    monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=weeks)
    return ("week", monday, monday + timedelta(days=6))


def weekday_in_week(anchor: date, weeks: int, weekday: int) -> Interval:
    """Day ``weekday`` (0 = Monday) of the week ``weeks`` away from the anchor's."""
    monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=weeks)
    d = monday + timedelta(days=weekday)
    return ("day", d, d)


def weekend_in_week(anchor: date, weeks: int) -> Interval:
    monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=weeks)
    return ("span", monday + timedelta(days=5), monday + timedelta(days=6))


def latest_weekday(anchor: date, weekday: int) -> Interval:
    """The latest ``weekday`` on or before the anchor: a bare "周三" in a report is past."""
    d = anchor - timedelta(days=(anchor.weekday() - weekday) % 7)
    return ("day", d, d)


def shift(anchor: date, *, years: int = 0, months: int = 0, days: int = 0) -> date:
    return anchor + relativedelta(years=years, months=months, days=days)


def nearest_century(two_digits: int, reference_year: int) -> int:
    """The year ending in ``two_digits`` nearest to ``reference_year`` (17 -> 2017 in 2022)."""
    base = reference_year - reference_year % 100 + two_digits
    candidates = (base - 100, base, base + 100)
    return min(candidates, key=lambda y: (abs(y - reference_year), y))


def run_recognisers(recognisers, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[Candidate]:
    """Run each (pattern, build) pair over ``text[pos:endpos]``; yield what the builders accept (overlaps allowed)."""
    end = len(text) if endpos is None else endpos
    for pattern, build in recognisers:
        for m in pattern.finditer(text, pos, end):
            cand = build(m)
            if cand is not None:
                yield cand
