"""Calendar days that need more than arithmetic: holidays, the lunar calendar, solar terms, seasons.

The Chinese lunisolar calendar (months that start at new moons, leap months)
and the 24 solar terms are astronomy; ``lunar-python`` computes them for any
year, so we use it rather than a table of our own (see pyproject.toml).

Conventions, chosen to match how the terms are used in Chinese text:

* A lunar date of year N is in the lunar year numbered N (正月 of 2021 is
  2021-02-12..03-12; 腊月 of 2022 ends in January 2023); 除夕 is the last day of
  lunar month 12 of that year.
* A solar term of year N is in the cycle that starts at 立春 of N, so 小寒 and
  大寒 of 2017 fall in January 2018.
* Seasons run from their 立 term to the day before the next one: 春 is 立春
  to the eve of 立夏, 冬 is 立冬 to the eve of the next 立春.
* Floating holidays: 母亲节/Mother's Day is the second Sunday of May, 父亲节
  the third Sunday of June, 感恩节/Thanksgiving the fourth Thursday of November.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from lunar_python import Lunar, LunarYear

# Fixed days of the Gregorian calendar.
SOLAR_HOLIDAYS = {
    "元旦": (1, 1), "情人节": (2, 14), "妇女节": (3, 8), "植树节": (3, 12), "愚人节": (4, 1), "劳动节": (5, 1),
    "五一": (5, 1), "青年节": (5, 4), "儿童节": (6, 1), "建党节": (7, 1), "建军节": (8, 1), "教师节": (9, 10),
    "国庆": (10, 1), "国庆节": (10, 1), "万圣节": (10, 31), "平安夜": (12, 24), "圣诞": (12, 25), "圣诞节": (12, 25),
    "new year's day": (1, 1), "valentine's day": (2, 14), "halloween": (10, 31), "christmas eve": (12, 24),
    "christmas day": (12, 25), "christmas": (12, 25), "new year's eve": (12, 31),
}
# (month, weekday Monday=0, nth)
FLOATING_HOLIDAYS = {
    "母亲节": (5, 6, 2), "父亲节": (6, 6, 3), "感恩节": (11, 3, 4),
    "mother's day": (5, 6, 2), "father's day": (6, 6, 3), "thanksgiving": (11, 3, 4),
    "thanksgiving day": (11, 3, 4),
}
# (lunar month, day); day 0 means the month's last day.
LUNAR_HOLIDAYS = {
    "春节": (1, 1), "大年初一": (1, 1), "元宵": (1, 15), "元宵节": (1, 15), "上元节": (1, 15), "龙抬头": (2, 2),
    "端午": (5, 5), "端午节": (5, 5), "端阳": (5, 5), "七夕": (7, 7), "七夕节": (7, 7), "中元节": (7, 15),
    "中秋": (8, 15), "中秋节": (8, 15), "重阳": (9, 9), "重阳节": (9, 9), "腊八": (12, 8), "腊八节": (12, 8),
    "小年": (12, 23), "除夕": (12, 0), "大年三十": (12, 0), "大年夜": (12, 0),
}
SOLAR_TERMS = (
    "立春", "雨水", "惊蛰", "春分", "清明", "谷雨", "立夏", "小满", "芒种", "夏至", "小暑", "大暑", "立秋", "处暑",
    "白露", "秋分", "寒露", "霜降", "立冬", "小雪", "大雪", "冬至", "小寒", "大寒",
)
SEASONS = {"春": ("立春", "立夏"), "夏": ("立夏", "立秋"), "秋": ("立秋", "立冬"), "冬": ("立冬", "立春")}
_FIRST_YEAR, _LAST_YEAR = 1901, 2099  # the range the lunar tables are exact for


def _in_range(year: int) -> bool:
    return _FIRST_YEAR <= year <= _LAST_YEAR


def _ymd(solar) -> date:
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def lunar_day(year: int, month: int, day: int, *, leap: bool = False) -> date | None:
    """The Gregorian day of lunar ``year``/``month``/``day`` (day 0: the month's last day), or None."""
    if not _in_range(year) or not 1 <= month <= 12:
        return None
    if leap and LunarYear.fromYear(year).getLeapMonth() != month:
        return None
    days = lunar_month_length(year, month, leap=leap)
    if days is None:
        return None
    if day == 0:
        day = days
    if not 1 <= day <= days:
        return None
    return _ymd(Lunar.fromYmd(year, -month if leap else month, day).getSolar())


def lunar_month_length(year: int, month: int, *, leap: bool = False) -> int | None:
    if not _in_range(year):
        return None
    found = LunarYear.fromYear(year).getMonth(-month if leap else month)
    return found.getDayCount() if found is not None else None


def lunar_month(year: int, month: int, *, leap: bool = False) -> tuple[date, date] | None:
    first = lunar_day(year, month, 1, leap=leap)
    if first is None:
        return None
    return first, first + timedelta(days=lunar_month_length(year, month, leap=leap) - 1)


@lru_cache(maxsize=256)
def _terms_of_lunar_year(year: int) -> dict[str, date]:
    table = Lunar.fromYmd(year, 6, 1).getJieQiTable()
    return {name: _ymd(solar) for name, solar in table.items()}


def solar_term(year: int, name: str) -> date | None:
    """The day of solar term ``name`` in the cycle that starts at 立春 of ``year``."""
    if not _in_range(year) or not _in_range(year + 1) or name not in SOLAR_TERMS:
        return None
    if name in ("小寒", "大寒"):
        return _terms_of_lunar_year(year + 1).get(name)  # January of the next year
    if name == "冬至":
        return _terms_of_lunar_year(year).get("DONG_ZHI")  # the table's 冬至 is the previous December's
    return _terms_of_lunar_year(year).get(name)


def season(year: int, name: str) -> tuple[date, date] | None:
    first_term, next_term = SEASONS[name]
    first = solar_term(year, first_term)
    following = solar_term(year + 1 if name == "冬" else year, next_term)
    if first is None or following is None:
        return None
    return first, following - timedelta(days=1)


def holiday(year: int, name: str) -> date | None:
    """The day of holiday ``name`` (lower-case for English) in ``year``, or None when unknown."""
    if name in SOLAR_HOLIDAYS:
        month, day = SOLAR_HOLIDAYS[name]
        return date(year, month, day) if 1 <= year <= 9999 else None
    if name in FLOATING_HOLIDAYS:
        month, weekday, nth = FLOATING_HOLIDAYS[name]
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    if name in LUNAR_HOLIDAYS:
        month, day = LUNAR_HOLIDAYS[name]
        return lunar_day(year, month, day)
    if name in ("清明节",):
        return solar_term(year, "清明")
    if name in SOLAR_TERMS:
        return solar_term(year, name)
    return None
