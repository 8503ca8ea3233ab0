"""Chinese date expressions -> :class:`Candidate` objects (see ``dates`` for anchoring).

Covers calendar chains (2024年4月26日, 二〇二一年五月, 17年, 4月20日, 28日, 去年11月,
今年一季度, 本月初, 上个月15号), relative days (昨天, 当晚, 次日), weeks (上周三, 本周),
quarters and halves (第一季度, 上半年), 近日/日前 and "N天前/N年后".

Numbers that are not dates (170万, 4680电池, 863计划) are left alone because
every pattern needs a calendar word (年, 月, 日, 号, 季度 ...) right after the
digits, and digit runs are fenced by look-arounds so "12345年" yields nothing.
Two-digit years (17年) are easily durations ("坐牢17年"), so they are refused
after words that introduce a length of time and before 来/后/前/间/多.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Iterator

from workbench.claims import dates_calendar
from workbench.claims.dates_base import (
    NEED_CENTURY,
    NEED_DAY,
    NEED_MONTH,
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
    nearest_century,
    part_of_month,
    part_of_year,
    quarter_iv,
    safe_date,
    shift,
    week_iv,
    weekday_in_week,
    weekend_in_week,
    year_iv,
)

_DIGITS = {c: i for i, c in enumerate("0123456789")}
_DIGITS.update({c: i for i, c in enumerate("０１２３４５６７８９")})
_DIGITS.update({"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
                "五": 5, "六": 6, "七": 7, "八": 8, "九": 9})


def cn_int(s: str) -> int | None:
    """0-99 from digits (ASCII or full width) or Chinese numerals (十一, 二十八, 廿一)."""
    if not s:
        return None
    if all(c in _DIGITS for c in s) and "十" not in s:
        value = 0
        for c in s:
            value = value * 10 + _DIGITS[c]
        return value
    s = s.replace("廿", "二十").replace("卅", "三十")
    if "十" in s:
        tens, _, units = s.partition("十")
        t = _DIGITS.get(tens, None) if tens else 1
        u = _DIGITS.get(units, None) if units else 0
        if t is None or u is None:
            return None
        return t * 10 + u
    return None


_D = "[0-9０-９]"
_CND = "[〇○零一二三四五六七八九]"
_NUMCH = "0-9０-９〇○零一二三四五六七八九十百千万亿两几"  # inside a character class
_M_NUM = rf"十[一二]?|[一二三四五六七八九]|{_D}{{1,2}}"
_D_NUM = rf"{_D}{{1,2}}|[二三]?十[一二三四五六七八九]?|廿[一二三四五六七八九]?|卅一?|[一二三四五六七八九]"
_CLOCK = (
    rf"(?:{_D}{{1,2}}[:：]{_D}{{2}}(?:[:：]{_D}{{2}})?时?"
    rf"|[0-9０-９零一二三四五六七八九十两]{{1,3}}[点时](?:半|[一三13１３]刻|[0-9０-９零一二三四五六七八九十]{{1,3}}分?)?)"
)
_TOD = (
    rf"(?:(?:凌晨|早上|早晨|清晨|上午|中午|午后|下午|傍晚|晚上|晚间|夜里|夜间|深夜|午夜|晚|早)(?:{_CLOCK})?"
    rf"|{_CLOCK})"
)
# A bare number after 月 is a day only when no measure word follows (5月10万辆 is not May 10).
_NOT_MEASURE = rf"(?![0-9０-９.．%％万亿千百个家名人位辆台元美倍岁次份件项座只条吨米度号日点时])"

_YEAR_QUAL = (
    r"(?:(?P<q>第?[一二三四1-4１-４]季度|首季度|[Qq][1-4])(?P<qq>初|末)?"
    r"|(?P<half>上|下)半年"
    r"|前(?P<nq>[一二两三1-3])个?季度"
    r"|(?P<fl>前|后)(?P<nm>十一|[一二两三四五六七八九十]|1[01]|[1-9])个?月"
    r"|(?P<first>首)月|第(?P<nth>十[一二]?|[一二三四五六七八九]|1[0-2]|[1-9])个月"
    r"|的?第(?P<yw>[一二三四五六七八九十]{1,3}|[1-5]?[0-9])个?(?:周|星期|礼拜)(?![一二三四五六日天])"
    r"|(?P<yq>年初|年中|年底|年末|初|底|末|伊始))"
)
_MONTH_QUAL = (
    r"(?:的?第(?P<mw>[一二三四五1-5])个?(?:周|星期|礼拜)(?P<mwd>[一二三四五六日天])?"
    r"|(?P<mq>上旬|中旬|下旬|月初|月中|月底|月末|初|底|末))"
)
_DAY = rf"(?:(?P<d>{_D_NUM})[日号號]|(?P<db>{_D}{{1,2}}){_NOT_MEASURE})"
_WEEKDAY_SUFFIX = r"(?:[（(]?(?:周|星期|礼拜)[一二三四五六日天][)）]?)?"

# A year, optionally followed by a month (and day) or by a part of the year.
_YEAR_CHAIN = re.compile(
    rf"""
    (?:
        (?<![0-9０-９.．/\-])(?P<y4>{_D}{{4}}|[一二]{_CND}{{3}})
      | (?<![{_NUMCH}.．/\-])(?<![了过达近约共历第这那每头满逾超后来前内去余])(?P<y2>{_D}{{2}}|{_CND}{{2}})
      | (?<![晚早马路楼身线])(?P<yrel>大前|前|去|今|本|明|后|上一|上|这一|次|同)
    )年(?!代)
    (?(yrel)(?!轻|纪|龄|级|头|画|会|货|薪|终|报|鉴|利率))
    (?(y2)(?!来|后|前(?![一二两三四五六七八九十0-9])|间|内|多|以|左右|之|里|半|零|期|级|的时间))
    (?:
        (?<![{_NUMCH}])(?P<m>{_M_NUM})(?:\s?(?:[-－—–~～至到]{{1,2}})\s?(?P<m2>{_M_NUM}))?月份?
        (?:{_DAY}(?:{_TOD})?{_WEEKDAY_SUFFIX}|{_MONTH_QUAL})?
      | {_YEAR_QUAL}
    )?
    """,
    re.VERBOSE,
)

# A month without a year: 4月20日, 十二月, 上个月15号, 本月初, 当月.
_MONTH_CHAIN = re.compile(
    rf"""
    (?:
        (?<![{_NUMCH}.．/\-近])(?P<m>{_M_NUM})
      | (?<![晚早马路楼身线相适充担便])(?P<mrel>上上个|上一个|上个|上|下一个|下个|下|本|这个|这|当|同|次)
    )月份?(?!份额)
    (?:{_DAY}(?:{_TOD})?{_WEEKDAY_SUFFIX}|{_MONTH_QUAL})?
    """,
    re.VERBOSE,
)

# A day of the month alone: 28日, 26日下午.  号 is refused before words that
# make it a number (3号线, 8号楼).
_DAY_ALONE = re.compile(
    rf"(?<![0-9０-９.．/第])(?P<d>{_D}{{1,2}})(?:日|号(?![线楼院馆位机房车文令字码台门店厅仓库称召]))"
    rf"(?![前后内以来之])(?:{_TOD})?"
)

_REL_DAYS = {
    "大前天": -3, "前天": -2, "昨天": -1, "昨日": -1, "昨晚": -1, "昨夜": -1,
    "今天": 0, "今日": 0, "本日": 0, "今晚": 0, "今晨": 0, "今早": 0,
    "明天": 1, "明日": 1, "明晚": 1, "后天": 2, "大后天": 3,
}
_CTX_DAYS = {
    "当天": 0, "当日": 0, "当晚": 0, "当夜": 0, "同日": 0, "同一天": 0,
    "次日": 1, "翌日": 1, "第二天": 1, "隔天": 1,
}
_DAY_WORD = re.compile(
    # 如今/至今/迄今 are "nowadays"/"so far": 如今早已 is not 今早.
    r"(?<![如至迄])(?P<w>大前天|大后天|前天(?!津)|昨天|昨日|昨晚|昨夜|今天|今日(?!头条)|本日|今晚|今晨|今早|明天|明日(?![之方])"
    r"|明晚|后天(?![性的])|当天|当日|当晚|当夜|(?<!可)同日|同一天|次日|翌日|第二天|隔天)"
    rf"(?:{_TOD})?"
)

_WEEK_REL = {"上上上": -3, "上上": -2, "上一": -1, "上": -1, "本": 0, "这一": 0, "这": 0,
             "下": 1, "下一": 1, "下下": 2, "下下下": 3}
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
             "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
_WEEK = re.compile(
    r"(?P<wr>上上上|上上|上一|上|本|这一|这|下下下|下下|下一|下)个?(?:周|星期|礼拜)(?!期|年|刊|报)"
    r"(?:(?:周|星期|礼拜)?(?P<wd>[一二三四五六日天末1-7](?![0-9])))?"
    r"|(?<![每上下本这个])(?:周|星期|礼拜)(?P<bare>[一二三四五六日天])"
)

_QUARTER_ALONE = re.compile(
    r"(?<![0-9０-９年])(?:(?P<q>第?[一二三四1-4１-４]季度|首季度)(?P<qq>初|末)?"
    r"|(?P<half>(?<![0-9０-９一二三四五六七八九十])[上下])半年"
    r"|前(?P<nq>[一二三1-3])个?季度"
    r"|(?P<qr>上上个|上一个|上个|上|本|这个|下下个|下一个|下个|下)季度(?P<qrq>初|末)?"
    r"|(?<![0-9０-９〇零一二三四五六七八九十今去明前后本上下同次这])年(?P<yq>初|中|底|末)"
    r"|(?<![0-9０-９〇零一二三四五六七八九十本上下当同次这个])月(?P<mq>初|中旬|底|末))"
)

# 上世纪80年代, 20世纪60年代前期, 十九世纪七十年代, 18世纪, 1980年代, 80年代.
_ERA = re.compile(
    rf"""
    (?:
        (?:
            (?P<last>上个?世纪)
          | (?<![{_NUMCH}])(?P<cent>{_D}{{1,2}}|[一二]?十[一二三四五六七八九]?|[一二三四五六七八九])世纪
        )
        (?:(?P<dec>{_D}?0|[一二三四五六七八九]十)年代)?
      | (?<![{_NUMCH}])(?P<dec4>{_D}{{3}}0)年代
      | (?<![{_NUMCH}])(?P<dec2>{_D}0|[一二三四五六七八九]十)年代
    )
    (?P<part>初期|初|前期|中期|中叶|末期|末|后期)?
    """,
    re.VERBOSE,
)

# 近30天, 近三个月, 过去5年, 最近两周: the stretch of that length up to the anchor.
_LAST_N = re.compile(
    rf"(?:近|最近|过去的?)(?P<n>{_D}{{1,3}}|[一二三四五六七八九两]?十[一二三四五六七八九]?|[一二三四五六七八九两])"
    r"(?P<u>天|日|个星期|星期|周|个月|月|年)"
)

_RECENT = re.compile(rf"(?<![{_NUMCH}])(?:近日|日前)")

_AGO = re.compile(
    rf"(?<![{_NUMCH}第多])(?P<n>{_D}{{1,3}}|[一二三四五六七八九两]?十[一二三四五六七八九]?|[一二三四五六七八九两])"
    r"(?P<u>天|日|个星期|星期|周|个月|年)(?P<dir>前|后)(?![天年])"
    rf"(?:的?{_TOD})?"
)


def _quarter_number(q: str) -> int:
    q = q.lstrip("第").rstrip("季度").upper().lstrip("Q")
    if q.startswith("首"):
        return 1
    return {"一": 1, "二": 2, "三": 3, "四": 4}.get(q) or int(q.translate(str.maketrans("１２３４", "1234")))


def _year_part(year: int, gd: dict) -> Interval | None:
    """The interval named by a year plus one of the _YEAR_QUAL groups (or the whole year)."""
    if gd.get("q"):
        q = _quarter_number(gd["q"])
        if gd.get("qq") == "初":
            return ("span", *month_iv(year, 3 * q - 2)[1:])
        if gd.get("qq") == "末":
            return ("span", *month_iv(year, 3 * q)[1:])
        return quarter_iv(year, q)
    if gd.get("half"):
        return months_span(year, 1, 6) if gd["half"] == "上" else months_span(year, 7, 12)
    if gd.get("nq"):
        return months_span(year, 1, 3 * cn_int(gd["nq"].replace("两", "二")))
    if gd.get("nm"):
        n = cn_int(gd["nm"].replace("两", "二"))
        if not n or n > 12:
            return None
        return months_span(year, 1, n) if gd.get("fl") == "前" else months_span(year, 13 - n, 12)
    if gd.get("first"):
        return month_iv(year, 1)
    if gd.get("nth"):
        return month_iv(year, cn_int(gd["nth"]))
    if gd.get("yw"):
        # 第N周 of a year: the week starting on the year's N-th Monday (JioNLP's reading).
        n = cn_int(gd["yw"]) if not gd["yw"].isdigit() else int(gd["yw"])
        if not n or n > 53:
            return None
        first_monday = date(year, 1, 1) + timedelta(days=(7 - date(year, 1, 1).weekday()) % 7)
        return week_iv(first_monday, n - 1)
    if gd.get("yq"):
        part = {"年初": "early", "初": "early", "伊始": "early", "年中": "mid"}.get(gd["yq"], "late")
        if gd["yq"] == "伊始":
            return months_span(year, 1, 1)
        return part_of_year(year, part)
    return year_iv(year)


def _month_part(year: int, month: int, gd: dict) -> Interval | None:
    """A month, one of its days (d/db) or a part of it (mq)."""
    day = gd.get("d") or gd.get("db")
    if day:
        n = cn_int(day)
        return day_iv(safe_date(year, month, n)) if n else None
    if gd.get("mw"):
        # 第N周 of a month: the week starting on its N-th Monday; 第N个周二: its N-th Tuesday.
        n = cn_int(gd["mw"])
        first = date(year, month, 1)
        weekday = _WEEKDAYS[gd["mwd"]] if gd.get("mwd") else 0
        d = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
        if gd.get("mwd"):
            return day_iv(d) if d.month == month else None
        return week_iv(d, 0)
    mq = gd.get("mq")
    if mq:
        part = {"上旬": "early", "月初": "early", "初": "early", "中旬": "mid", "月中": "mid"}.get(mq, "late")
        return part_of_month(year, month, part)
    return month_iv(year, month)


def _year_value(gd: dict, anchor: date | None) -> int | None:
    if gd.get("y4"):
        digits = gd["y4"]
        value = 0
        for c in digits:
            value = value * 10 + _DIGITS[c]
        return value
    if anchor is None:
        return None
    if gd.get("y2"):
        return nearest_century(cn_int(gd["y2"]), anchor.year)
    rel = {"大前": -3, "前": -2, "去": -1, "上": -1, "上一": -1, "今": 0, "本": 0, "这一": 0, "同": 0,
           "明": 1, "次": 1, "后": 2}[gd["yrel"]]
    return anchor.year + rel


def _year_chain(m: re.Match) -> Candidate | None:
    gd = m.groupdict()
    if gd["y4"]:
        value = _year_value(gd, None)
        if not 1000 <= value <= 2199:
            return None
        need = NEED_NONE
    elif gd["y2"]:
        need = NEED_CENTURY
    elif gd["yrel"] in ("同", "次"):
        need = NEED_YEAR
    else:
        need = NEED_PUBLISHED

    def resolve(anchor: date | None) -> Interval | None:
        year = _year_value(gd, anchor)
        if year is None:
            return None
        if gd["m"]:
            month = cn_int(gd["m"])
            if not month or month > 12:
                return None
            if gd["m2"]:
                last = cn_int(gd["m2"])
                return months_span(year, month, last) if last and month < last <= 12 else None
            return _month_part(year, month, gd)
        return _year_part(year, gd)

    if gd["m"] and not 1 <= (cn_int(gd["m"]) or 0) <= 12:
        return None
    return Candidate(m.start(), m.end(), need, resolve)


_MONTH_REL = {"上上个": -2, "上一个": -1, "下一个": 1, "上个": -1, "上": -1, "下个": 1, "下": 1, "本": 0, "这个": 0, "这": 0}
_MONTH_CTX = {"当": 0, "同": 0, "次": 1}


def _month_chain(m: re.Match) -> Candidate | None:
    gd = m.groupdict()
    if gd["m"]:
        month = cn_int(gd["m"])
        if not month or month > 12:
            return None
        def resolve(anchor: date | None) -> Interval | None:
            return _month_part(anchor.year, month, gd)

        return Candidate(m.start(), m.end(), NEED_YEAR_FINE, resolve, rollback="year")
    if gd["mrel"] in _MONTH_CTX:
        k = _MONTH_CTX[gd["mrel"]]

        def resolve_ctx(anchor: date | None) -> Interval | None:
            a = shift(anchor.replace(day=1), months=k)
            return _month_part(a.year, a.month, gd)

        return Candidate(m.start(), m.end(), NEED_MONTH, resolve_ctx)
    k = _MONTH_REL[gd["mrel"]]

    def resolve_rel(anchor: date | None) -> Interval | None:
        a = shift(anchor.replace(day=1), months=k)
        return _month_part(a.year, a.month, gd)

    return Candidate(m.start(), m.end(), NEED_PUBLISHED, resolve_rel)


def _day_alone(m: re.Match) -> Candidate | None:
    n = cn_int(m.group("d"))
    if not n or n > 31:
        return None

    def resolve(anchor: date | None) -> Interval | None:
        return day_iv(safe_date(anchor.year, anchor.month, n))

    return Candidate(m.start(), m.end(), NEED_DAY, resolve, rollback="month")


def _day_word(m: re.Match) -> Candidate:
    word = m.group("w")
    if word in _REL_DAYS:
        k, need = _REL_DAYS[word], NEED_PUBLISHED
    else:
        k, need = _CTX_DAYS[word], NEED_DAY

    def resolve(anchor: date | None) -> Interval | None:
        return day_iv(shift(anchor, days=k))

    return Candidate(m.start(), m.end(), need, resolve)


def _week(m: re.Match) -> Candidate:
    gd = m.groupdict()
    if gd["bare"]:
        wd = _WEEKDAYS[gd["bare"]]
        return Candidate(m.start(), m.end(), NEED_PUBLISHED, lambda a: latest_weekday(a, wd))
    k = _WEEK_REL[gd["wr"]]
    if gd["wd"] == "末":
        return Candidate(m.start(), m.end(), NEED_PUBLISHED, lambda a: weekend_in_week(a, k))
    if gd["wd"]:
        wd = _WEEKDAYS[gd["wd"]]
        return Candidate(m.start(), m.end(), NEED_PUBLISHED, lambda a: weekday_in_week(a, k, wd))
    return Candidate(m.start(), m.end(), NEED_PUBLISHED, lambda a: week_iv(a, k))


_QUARTER_REL = {"上上个": -2, "上一个": -1, "上个": -1, "上": -1, "本": 0, "这个": 0,
                "下个": 1, "下一个": 1, "下": 1, "下下个": 2}


def _quarter_alone(m: re.Match) -> Candidate:
    gd = m.groupdict()
    if gd["mq"]:  # 月底 alone: the end of "that month"
        return Candidate(m.start(), m.end(), NEED_MONTH, lambda a: _month_part(a.year, a.month, gd))
    if gd["qr"]:
        k = _QUARTER_REL[gd["qr"]]

        def resolve_rel(anchor: date | None) -> Interval | None:
            first = shift(date(anchor.year, 3 * ((anchor.month - 1) // 3) + 1, 1), months=3 * k)
            q = (first.month - 1) // 3 + 1
            return _year_part(first.year, {"q": str(q), "qq": gd["qrq"]})

        return Candidate(m.start(), m.end(), NEED_PUBLISHED, resolve_rel)
    # No past rule here: it is for named days and months; "第四季度" in May may well be ahead.
    return Candidate(m.start(), m.end(), NEED_YEAR, lambda a: _year_part(a.year, gd))


_ERA_PARTS = {"初": "early", "初期": "early", "前期": "early", "中期": "mid", "中叶": "mid",
              "末": "late", "末期": "late", "后期": "late"}


def _era(m: re.Match) -> Candidate | None:
    gd = m.groupdict()
    dec = cn_int(gd["dec"] or gd["dec2"] or "")
    if dec is not None and (dec % 10 or dec > 90):
        return None
    part = _ERA_PARTS.get(gd["part"] or "")

    def interval(first_year: int, length: int) -> Interval:
        # 初/前期 = the first 3 years of a decade (20 of a century), 末/后期 the last, 中期 the middle.
        cut = 3 if length == 10 else 20
        if part == "early":
            first_year, length = first_year, cut
        elif part == "late":
            first_year, length = first_year + length - cut, cut
        elif part == "mid":
            first_year, length = first_year + (length - cut) // 2, cut
        return ("span", date(first_year, 1, 1), date(first_year + length - 1, 12, 31))

    if gd["dec4"]:
        first = int(gd["dec4"].translate(str.maketrans("０１２３４５６７８９", "0123456789")))
        return Candidate(m.start(), m.end(), NEED_NONE, lambda a: interval(first, 10))
    if gd["cent"] or gd["last"]:
        def resolve(anchor: date | None) -> Interval | None:
            century = cn_int(gd["cent"]) if gd["cent"] else anchor.year // 100
            if not century or century > 21:
                return None
            start = (century - 1) * 100
            if start < 1:
                return None
            return interval(start + dec, 10) if dec is not None else interval(start, 100)

        return Candidate(m.start(), m.end(), NEED_PUBLISHED if gd["last"] else NEED_NONE, resolve)

    # "80年代" alone: the decade nearest the context or publication year.
    return Candidate(m.start(), m.end(), NEED_CENTURY,
                     lambda a: interval(nearest_century(dec, a.year), 10))


def _last_n(m: re.Match) -> Candidate | None:
    n = cn_int(m.group("n").replace("两", "二"))
    if not n:
        return None
    unit = m.group("u")
    back = {"天": "days", "日": "days", "个月": "months", "月": "months", "年": "years"}.get(unit, "weeks")

    def resolve(anchor: date | None) -> Interval | None:
        if back == "weeks":
            return ("span", shift(anchor, days=-7 * n), anchor)
        return ("span", shift(anchor, **{back: -n}), anchor)

    return Candidate(m.start(), m.end(), NEED_PUBLISHED, resolve)


def _recent(m: re.Match) -> Candidate:
    # "近日"/"日前" (recently): the ten days up to the anchor.
    return Candidate(m.start(), m.end(), NEED_PUBLISHED, lambda a: ("span", shift(a, days=-9), a))


def _ago(m: re.Match) -> Candidate | None:
    n = cn_int(m.group("n").replace("两", "二"))
    if not n:
        return None
    sign = -1 if m.group("dir") == "前" else 1
    unit = m.group("u")

    def resolve(anchor: date | None) -> Interval | None:
        if unit in ("天", "日"):
            return day_iv(shift(anchor, days=sign * n))
        if unit in ("周", "星期", "个星期"):
            return week_iv(anchor, sign * n)
        if unit == "个月":
            a = shift(anchor, months=sign * n)
            return month_iv(a.year, a.month)
        return year_iv(anchor.year + sign * n)

    if sign < 0:
        return Candidate(m.start(), m.end(), NEED_PUBLISHED, resolve)
    # "三天后" continues a narrated timeline (4月26日……三天后), as "three days later" does.
    need = {"个月": NEED_MONTH, "年": NEED_YEAR}.get(unit, NEED_DAY)
    return Candidate(m.start(), m.end(), need, resolve)


# ---------------------------------------------------------------- holidays, lunar dates, seasons, clock
# times and fuzzy durations (issue 17). The calendar arithmetic is in dates_calendar.

# An optional year before a holiday or lunar date: 2019年, 26年, 去年, 大前年.
_FYEAR = (
    rf"(?:(?<![0-9０-９.．/\-])(?P<fy4>{_D}{{4}}|[一二]{_CND}{{3}})年"
    rf"|(?<![{_NUMCH}.．/\-])(?P<fy2>{_D}{{2}}|{_CND}{{2}})年"
    r"|(?<![晚早马路楼身线])(?P<fyr>大前|大后|前|去|今|本|明|后)年)?"
)
_FYEAR_REL = {"大前": -3, "前": -2, "去": -1, "今": 0, "本": 0, "明": 1, "后": 2, "大后": 3}
# Solar terms that are also ordinary words (雨水 rain, 大雪 heavy snow, 清明 clear) need a year before them.
_PLAIN_TERMS = ("立春", "立夏", "立秋", "立冬", "冬至", "夏至", "春分", "秋分", "芒种", "惊蛰", "处暑", "寒露")
_YEAR_TERMS = tuple(t for t in dates_calendar.SOLAR_TERMS if t not in _PLAIN_TERMS)
_FEST_NAMES = sorted(
    [n for n in (*dates_calendar.SOLAR_HOLIDAYS, *dates_calendar.FLOATING_HOLIDAYS, *dates_calendar.LUNAR_HOLIDAYS)
     if not n.isascii()] + ["清明节"] + list(_PLAIN_TERMS), key=len, reverse=True)
_FESTIVAL = re.compile(
    rf"{_FYEAR}(?:农历|阴历)?(?:(?P<fest>{'|'.join(_FEST_NAMES)})节?"
    rf"|(?<=年)(?P<term>{'|'.join(_YEAR_TERMS)})"
    r"|(?P<season>[春夏秋冬])(?:季|天)(?!节|装|款|运|游|攻|招|播|令|晚)"
    r"|(?<=年)(?P<season2>[春夏秋冬])(?![天季节装款运游攻招播令晚])"
    rf")(?:前后|期间|当天)?(?:{_TOD})?"
)
_L_DAY = r"初(?:十|[一二三四五六七八九]|[1-9]|10)|廿[一二三四五六七八九]?|卅|三十|二十[一二三四五六七八九]?|十[一二三四五六七八九]?"
_LUNAR = re.compile(
    rf"(?P<pre>农历|阴历)?{_FYEAR}(?P<mark>农历|阴历)?"
    rf"(?:(?P<big>大年)(?P<bd>{_L_DAY})"
    rf"|(?P<leap>闰)?(?P<lm>正|腊|冬|(?<![{_NUMCH}])(?:{_M_NUM}))月份?"
    rf"(?:(?P<ld>{_L_DAY})(?![日号號0-9])|(?P<sd>{_D_NUM})[日号號]|(?<=[正腊]月)(?P<nd>{_D}{{1,2}})(?![0-9０-９]))?)"
    rf"(?:{_TOD})?"
)
_CLOCK_WORD = r"凌晨|早上|早晨|清晨|上午|中午|午后|下午|傍晚|晚上|晚间|夜里|夜间|深夜|午夜|早|晚"
_CLOCK_ALONE = re.compile(
    rf"(?<![0-9０-９:：.．])(?:(?P<tod>{_CLOCK_WORD})"
    rf"(?P<c1>{_D}{{1,2}}[:：]{_D}{{2}}(?:[:：]{_D}{{2}})?|[0-9０-９零一二三四五六七八九十两]{{1,3}}[点时](?:半|[一三]刻|[0-9０-９零一二三四五六七八九十]{{1,3}}分?)?)?"
    rf"|(?P<hm>(?P<hh>{_D}{{1,2}})[:：](?P<mm>{_D}{{2}})(?:[:：]{_D}{{2}})?)(?![0-9０-９:：])"
    # "涨了12点", "下降3点": index points, not the clock
    rf"|(?<![涨跌升降了增减超余多近共])(?P<dp>{_D}{{1,2}})[点时](?:半|[一三]刻|[0-9０-９]{{1,2}}分?)?(?![0-9０-９.%％个万亿零一二三四五六七八九十两半度])"
    rf"|(?P<cp>[零一二三四五六七八九十两]{{1,3}})点(?:半|[一三]刻|[零一二三四五六七八九十]{{1,3}}分|钟|整)"
    # 十点/十一点/十二点 alone: hours of the clock (a smaller number before 点 is as often "points")
    r"|(?<![零一二三四五六七八九十两百千万])(?P<cp2>十[一二]?)点(?![零一二三四五六七八九十半0-9０-９])"
    r")"
    r"(?:许|多钟|钟|整|左右)?"
)
_DUR_NUM = rf"{_D}{{1,3}}|[一二三四五六七八九两]?十[一二三四五六七八九]?|[一二三四五六七八九两仨俩]|半"
_DUR_UNIT = r"年|个月|(?<=个半)月|个季度|季度|个星期|星期|周|天|日|个小时|小时|个钟头|钟头|分钟|分|秒钟|秒|刻钟"
_WITHIN = re.compile(
    rf"(?:(?P<fut>未来|今后|接下来)的?)?(?<![{_NUMCH}第])(?P<n>{_DUR_NUM})(?P<h1>个半|半)?(?P<u>{_DUR_UNIT})(?P<h2>半)?"
    r"(?P<end>之内|以内|内(?!容|部|外|地|心|存|饰|置|阁|测|燃|涵|战|幕|需)|里(?!程|面))"
    r"|(?P<fut2>未来|今后|接下来)的?(?P<n2>" + _DUR_NUM + r")(?P<h3>个半|半)?(?P<u2>" + _DUR_UNIT + ")(?P<h4>半)?"
)
_SINCE = re.compile(
    rf"(?<![{_NUMCH}第])(?P<n>{_DUR_NUM})(?P<h1>个多|多|个半|半)?(?P<u>年|个月|(?<=个[多半])月|个季度|个星期|周|天|日)(?P<h2>多|半)?以来"
)
_SMALL_AGO = re.compile(
    rf"(?<![{_NUMCH}第])(?:(?P<n>{_DUR_NUM})(?P<h1>个半|半)?)?(?P<u>个小时|小时|个钟头|钟头|分钟|分|秒钟|秒|刻钟)(?P<h2>半)?钟?"
    r"(?P<dir>之前|以前|前|之后|以后|后)"
    r"|(?:过去|最近|近)的?(?P<pn>" + _DUR_NUM + r")(?P<pu>个小时|小时|个钟头|钟头|分钟|秒钟|秒)(?:里|内|以来)?"
)
_SUB_DAY_HOURS = {"个小时": 1, "小时": 1, "个钟头": 1, "钟头": 1, "分钟": 1 / 60, "分": 1 / 60, "秒钟": 1 / 3600,
                  "秒": 1 / 3600, "刻钟": 0.25}


def _dur_int(s: str | None) -> float | None:
    if not s:
        return None
    if s == "半":
        return 0.5
    s = s.replace("两", "二").replace("仨", "三").replace("俩", "二")
    return cn_int(s)


def _fest_year(gd: dict, anchor: date | None) -> int | None:
    if gd.get("fy4"):
        return _year_value({"y4": gd["fy4"]}, None)
    if anchor is None:
        return None
    if gd.get("fy2"):
        return nearest_century(cn_int(gd["fy2"]), anchor.year)
    if gd.get("fyr"):
        return anchor.year + _FYEAR_REL[gd["fyr"]]
    return anchor.year


def _fest_need(gd: dict) -> str:
    if gd.get("fy4"):
        return NEED_NONE
    if gd.get("fy2"):
        return NEED_CENTURY
    return NEED_PUBLISHED if gd.get("fyr") else NEED_YEAR


def _festival(m: re.Match) -> Candidate | None:
    gd = m.groupdict()

    def resolve(anchor: date | None) -> Interval | None:
        year = _fest_year(gd, anchor)
        if year is None:
            return None
        if gd["fest"] or gd["term"]:
            return day_iv(dates_calendar.holiday(year, gd["fest"] or gd["term"]))
        span = dates_calendar.season(year, gd["season"] or gd["season2"])
        return ("span", *span) if span else None

    if (gd["season"] or gd["season2"]) and not (gd["season"] and m.group().endswith(("季", "天"))) \
            and not (gd["fy4"] or gd["fy2"] or gd["fyr"]):
        return None
    return Candidate(m.start(), m.end(), _fest_need(gd), resolve)


def _lunar_day_number(s: str) -> int | None:
    s = s.lstrip("初")
    return int(s) if s.isdigit() else cn_int(s)


def _lunar(m: re.Match) -> Candidate | None:
    gd = m.groupdict()
    marked = bool(gd["pre"] or gd["mark"])
    if gd["big"]:
        month, day, leap = 1, _lunar_day_number(gd["bd"]), False
    else:
        named = {"正": 1, "腊": 12, "冬": 11}.get(gd["lm"])
        month = named or cn_int(gd["lm"])
        leap = bool(gd["leap"])
        day = None
        if gd["ld"]:
            day = _lunar_day_number(gd["ld"])
        elif gd["sd"] or gd["nd"]:
            day = cn_int(gd["sd"] or gd["nd"])
        # Only what is unmistakably lunar: 农历/阴历, 正月/腊月/冬月, a leap month, or a lunar day
        # (初十, 廿二, 十五 written without 日); 十二月20号 stays a Gregorian date.
        if not (marked or named or leap or gd["ld"]):
            return None
        if named == 11 and not (marked or gd["ld"]):
            return None  # 冬月 alone is rare; 冬 is more often winter
    if not month or month > 12 or (day is not None and not 1 <= day <= 30):
        return None

    def resolve(anchor: date | None) -> Interval | None:
        year = _fest_year(gd, anchor)
        if year is None:
            return None
        if day is None:
            span = dates_calendar.lunar_month(year, month, leap=leap)
            return ("month", *span) if span else None
        return day_iv(dates_calendar.lunar_day(year, month, day, leap=leap))

    return Candidate(m.start(), m.end(), _fest_need(gd), resolve)


def _clock_alone(m: re.Match) -> Candidate | None:
    gd = m.groupdict()
    if gd["hm"] and (int(gd["hh"]) > 24 or int(gd["mm"]) > 59):
        return None
    if gd["tod"] and not gd["c1"]:
        return None  # "晚上" alone is a time of day of no day in particular
    # A clock time names a moment of "that day": the narrated day, else the day of writing.
    return Candidate(m.start(), m.end(), NEED_DAY, lambda a: day_iv(a))


def _duration(n: float, unit: str, half: bool) -> dict:
    """A relativedelta-style shift for N units (halves included)."""
    if unit == "年":
        months = int(round((n + (0.5 if half else 0)) * 12))
        return {"months": months}
    if unit in ("个月", "月"):
        whole = int(n)
        days = 15 if half or n != whole else 0
        return {"months": whole, "days": days}
    if unit in ("个季度", "季度"):
        return {"months": int(n * 3)}
    if unit in ("个星期", "星期", "周"):
        return {"days": int((n + (0.5 if half else 0)) * 7)}
    if unit in ("天", "日"):
        return {"days": int(n + (0.5 if half else 0))}
    hours = (n + (0.5 if half else 0)) * _SUB_DAY_HOURS[unit]
    return {"days": int(hours // 24)}


def _within(m: re.Match) -> Candidate | None:
    gd = m.groupdict()
    n = _dur_int(gd["n"] or gd["n2"])
    unit = gd["u"] or gd["u2"]
    half = bool(gd["h1"] or gd["h2"] or gd["h3"] or gd["h4"])
    if n is None or (n == 0.5 and half):
        return None
    if gd["end"] == "里" and not gd["fut"]:
        return None  # "三年里" is as often the past as the future
    if (gd["fut"] or gd["fut2"]) and unit == "年":
        return None  # "未来十年": a plan's horizon, not a date; as an interval it would overlap any date in it
    step = _duration(n, unit, half)

    def resolve(anchor: date | None) -> Interval | None:
        end = shift(anchor, **step)
        if unit == "年" and half:
            end = month_iv(end.year, end.month)[2]
        return ("span", anchor, end)

    return Candidate(m.start(), m.end(), NEED_PUBLISHED, resolve)


def _since(m: re.Match) -> Candidate | None:
    gd = m.groupdict()
    n = _dur_int(gd["n"])
    if n is None or n == 0.5:
        return None
    unit = gd["u"]
    more = "多" in (gd["h1"] or "") + (gd["h2"] or "")
    half = "半" in (gd["h1"] or "") + (gd["h2"] or "")
    step = {k: -v for k, v in _duration(n, unit, half).items()}

    def resolve(anchor: date | None) -> Interval | None:
        start = shift(anchor, **step)
        if more and unit == "年":
            start = date(start.year, 1, 1)
        elif (more or half) and unit in ("年", "个月", "月"):
            start = date(start.year, start.month, 1)
        return ("span", start, anchor)

    return Candidate(m.start(), m.end(), NEED_PUBLISHED, resolve)


def _small_ago(m: re.Match) -> Candidate | None:
    gd = m.groupdict()
    if gd["pu"]:
        return Candidate(m.start(), m.end(), NEED_PUBLISHED, lambda a: day_iv(a))
    n = _dur_int(gd["n"]) if gd["n"] else (1 if gd["u"] == "刻钟" else None)
    half = bool(gd["h1"] or gd["h2"])
    if n is None:
        if not half and not (gd["h1"] or "").startswith("半"):
            return None
        n = 0
    hours = (n + (0.5 if half else 0)) * _SUB_DAY_HOURS[gd["u"]]
    days = int(hours // 24) * (-1 if "前" in gd["dir"] else 1)
    # Minutes or hours away from the moment of writing (前) or of the narrated day (后): that day, as a day.
    need = NEED_PUBLISHED if "前" in gd["dir"] else NEED_DAY
    return Candidate(m.start(), m.end(), need, lambda a: day_iv(shift(a, days=days)))


_RECOGNISERS = (
    (_YEAR_CHAIN, _year_chain),
    (_MONTH_CHAIN, _month_chain),
    (_DAY_ALONE, _day_alone),
    (_DAY_WORD, _day_word),
    (_WEEK, _week),
    (_QUARTER_ALONE, _quarter_alone),
    (_ERA, _era),
    (_LAST_N, _last_n),
    (_RECENT, _recent),
    (_AGO, _ago),
    (_FESTIVAL, _festival),
    (_LUNAR, _lunar),
    (_CLOCK_ALONE, _clock_alone),
    (_WITHIN, _within),
    (_SINCE, _since),
    (_SMALL_AGO, _small_ago),
)


def candidates(text: str, pos: int = 0, endpos: int | None = None) -> Iterator[Candidate]:
    """Every Chinese date expression in ``text[pos:endpos]`` (overlaps allowed)."""
    return run_recognisers(_RECOGNISERS, text, pos, endpos)
