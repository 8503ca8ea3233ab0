"""Dates and numbers of two statements: do they agree, differ, or not meet?

Dates arrive as resolved intervals of ISO days, numbers as ``(value, unit)``
pairs with a canonical unit. These helpers compare them and phrase the result
the way a reviewer reads it (``170万 = 1.7 million``, ``both 2024-04-28``).
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date

Interval = tuple[int, int]  # proleptic Gregorian ordinals, inclusive


def day_ordinal(iso: str) -> int:
    """Ordinal of an ISO day or timestamp (only the day part is used)."""
    return date.fromisoformat(iso[:10]).toordinal()


def precision_of(interval: Interval) -> str:
    """Guess an interval's precision from its length (the input has no label)."""
    length = interval[1] - interval[0] + 1
    if length == 1:
        return "day"
    if length == 7:
        return "week"
    if 28 <= length <= 31:
        return "month"
    if 90 <= length <= 92:
        return "quarter"
    if 365 <= length <= 366:
        return "year"
    return "span"


def format_interval(interval: Interval) -> str:
    """``2024-04-28``, ``2024-04``, ``2024`` or ``2024-04-01..2024-04-10``."""
    start, end = date.fromordinal(interval[0]), date.fromordinal(interval[1])
    if start == end:
        return start.isoformat()
    if (
        start.day == 1
        and (start.year, start.month) == (end.year, end.month)
        and end.day == calendar.monthrange(end.year, end.month)[1]
    ):
        return f"{start.year:04d}-{start.month:02d}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return f"{start.year:04d}"
    return f"{start.isoformat()}..{end.isoformat()}"


def gap_days(a: Interval, b: Interval) -> int:
    """Days between two intervals; 0 or less when they overlap."""
    return max(a[0], b[0]) - min(a[1], b[1])


@dataclass(slots=True)
class DateComparison:
    """How the dates of two statements relate.

    ``kind`` is one of: "agree" (some intervals overlap), "near" (dated on both
    sides, disjoint but within the window, or further apart when no two of them
    have one precision), "fallback" (one side undated and its publication day
    is within the window of the other's dates or publication day), "distant"
    (the same, published further apart: soft evidence against, never a veto),
    "unknown" (nothing to compare) or "incompatible" (two explicit dates of one
    precision further apart than the window: not the same moment).
    ``same_precision`` is set for "near" when two disjoint intervals have the
    same precision (two days, two months): the shape of a date conflict.
    ``shown`` holds what :attr:`reason` names (formatted only when asked,
    because most comparisons are never shown).
    """

    kind: str
    shown: tuple = ()
    narrowest: int = 0  # length in days of the narrowest agreeing interval
    same_precision: bool = False
    single: bool = False  # exactly one interval on each side

    @property
    def reason(self) -> str:
        if self.kind == "agree":
            x, y = self.shown
            if x == y:
                return f"both {format_interval(x)}"
            first, second = sorted((format_interval(x), format_interval(y)))
            return f"dates overlap: {first} and {second}"
        if self.kind == "near":
            first, second = sorted(format_interval(x) for x in self.shown)
            return f"dates differ: {first} vs {second}"
        if self.kind in ("fallback", "distant") and len(self.shown) == 2:
            first, second = sorted(self.shown)
            return f"undated; published {_iso(first)} and {_iso(second)}"
        if self.kind in ("fallback", "distant"):
            interval, published = self.shown[0]
            verdict = "compatible" if self.kind == "fallback" else "far apart"
            return (
                f"dates {verdict}: {format_interval(interval)} and an undated "
                f"statement published {_iso(published)}"
            )
        if self.kind == "unknown":
            return "one side undated" if self.shown else "no dates to compare"
        return "dates too far apart"


def compare_dates(
    a_dates: tuple[Interval, ...],
    a_published: int | None,
    b_dates: tuple[Interval, ...],
    b_published: int | None,
    window: int,
) -> DateComparison:
    """Compare two statements' date intervals (symmetric in its arguments)."""
    if a_dates and b_dates:
        overlapping = [(x, y) for x in a_dates for y in b_dates if gap_days(x, y) <= 0]
        if overlapping:
            # The tightest agreement decides how strong it is: both on one day
            # says more than both within 2024. (Computed symmetrically.)
            span = {p: max(p[0][1] - p[0][0], p[1][1] - p[1][0]) + 1 for p in overlapping}
            narrowest = min(span.values())
            shown = min(overlapping, key=lambda p: (span[p], sorted(p)))
            return DateComparison("agree", shown, narrowest=narrowest)
        near = [(x, y) for x in a_dates for y in b_dates if gap_days(x, y) <= window]
        if not near:
            # Explicit dates of one precision that disagree (two days, two months) cannot be one
            # moment; of different precisions (a half-year and a day) they only differ.
            if any(precision_of(x) == precision_of(y) != "span" for x in a_dates for y in b_dates):
                return DateComparison("incompatible")
            shown = min(((x, y) for x in a_dates for y in b_dates), key=lambda p: (gap_days(*p), sorted(p)))
            return DateComparison("near", shown, single=len(a_dates) == 1 and len(b_dates) == 1)
        same = [(x, y) for x, y in near if precision_of(x) == precision_of(y) != "span"]
        shown = min(same or near, key=lambda p: (gap_days(*p), sorted(p)))
        return DateComparison(
            "near",
            shown,
            same_precision=bool(same),
            single=len(a_dates) == 1 and len(b_dates) == 1,
        )
    if not a_dates and not b_dates:
        if a_published is None or b_published is None:
            return DateComparison("unknown")
        kind = "distant" if abs(a_published - b_published) > window else "fallback"
        return DateComparison(kind, (a_published, b_published))
    dated, published = (a_dates, b_published) if a_dates else (b_dates, a_published)
    if published is None:
        # Dated on one side only and nothing to fall back on: compatible, and
        # ``shown`` remembers that one side had dates (for the reason).
        return DateComparison("unknown", (dated[0],))
    point = (published, published)
    nearest = min(dated, key=lambda x: (gap_days(x, point), x))
    kind = "distant" if gap_days(nearest, point) > window else "fallback"
    return DateComparison(kind, ((nearest, published),))


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def agrees(x: float, y: float, tolerance: float) -> bool:
    """Values within *tolerance* (relative) of each other."""
    return abs(x - y) <= tolerance * max(abs(x), abs(y))


def value_bucket(value: float, tolerance: float) -> int:
    """A bucket such that agreeing values land in the same or adjacent buckets."""
    if value == 0:
        return 0
    # Buckets twice the tolerance wide: two agreeing values are at most one
    # bucket apart (their ratio is at most 1 / (1 - tolerance)).
    step = math.log1p(2 * tolerance)
    magnitude = int(math.floor(math.log(abs(value)) / step))
    # Offset keeps positive and negative buckets apart and away from 0.
    return (magnitude + 1_000_000) if value > 0 else -(magnitude + 1_000_000)


def format_number(value: float, unit: str | None, language: str | None) -> str:
    """A value as its side wrote it: 万/亿 for Chinese, million/billion for English."""
    if unit == "%":
        return f"{_plain(value)}%"
    magnitude = abs(value)
    if language == "zh":
        if magnitude >= 1e8:
            return f"{_plain(value / 1e8)}亿"
        if magnitude >= 1e4:
            return f"{_plain(value / 1e4)}万"
        return _plain(value)
    if magnitude >= 1e9:
        return f"{_plain(value / 1e9)} billion"
    if magnitude >= 1e6:
        return f"{_plain(value / 1e6)} million"
    if magnitude >= 1e3 and value == int(value):
        return f"{int(value):,}"
    return _plain(value)


def _plain(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
