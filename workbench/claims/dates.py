"""Find the date expressions of an article and resolve each to an interval of days.

    find_dates(text, published) -> list[DateMention]

``text`` is an article's whole clean text (context matters), ``published`` its
ISO 8601 publication time or None. Every expression comes back in text order
with its exact span (``text[start:end] == surface``), its interval
``[start_day, end_day]`` as ISO days, a precision ("day", "week", "month",
"quarter", "year", "span") and the day it was anchored on.

Anchoring -- the rules, and why
-------------------------------
Deictic words point at the time of writing; elliptic dates borrow what they
lack from the text around them. So:

* **Absolute** expressions carry everything they need (2024年4月26日,
  2024.4.29, 2024-04-29, December 28, 2021, June 2022, Q1 2024, "in 2021",
  1986年): ``anchor`` and ``anchor_source`` are None. An English bare year
  needs a preposition before it ("in 2021", "since 1986", "mid-2020") and
  no plural noun after it ("in 2000 cases"); the mention's surface is the
  year alone, the preposition being evidence rather than part of the date.
* **Deictic** expressions (昨天, 前天, 今天, 上周三, 本周, 本月初, 上个月,
  去年11月, 今年一季度, 近日, 日前, 三天前, yesterday, last week, last Tuesday,
  earlier this month, this year, two days ago) are resolved against the
  publication day only, never against other dates in the text:
  ``anchor_source = "published"``. "last week"/上周 is the Monday-Sunday week
  before the anchor's week; "last Tuesday"/上周二 is the Tuesday of that week;
  a bare weekday (周三, Tuesday) is the latest such day on or before the
  anchor; 近日/日前 is the ten days up to the anchor and 近三年/过去30天 the
  stretch of that length up to it (precision "span");
  本月初/上旬 are days 1-10, 中旬 11-20, 月底/下旬 21 to the end; 年初 is
  January-February, 年底 November-December.
* **Elliptic** expressions take their missing parts from the latest date
  resolved earlier in the same article that has the needed precision
  (``anchor_source = "context"``, ``anchor`` = that date's first day), and from
  the publication day when there is none (``"published"``):

  - a day alone or "that day" (28日, 26日下午, 当天, 当晚, 次日, that day, the
    next day) needs a full date: the latest day-precision date;
  - a month or month-day without a year (4月20日, 12月, May 25, in May) takes
    the year of the latest date of month precision or finer, and only when
    there is none, of the latest bare year. Why: a bare year in running text
    is usually a comparison ("延续了2022年的颓势"), while dated events carry
    the story's timeline -- in the seed article "4月20日" follows "2022年"
    but means 2024;
  - a coarse year-less expression (第一季度, 上半年, 同年, first quarter) takes
    the year of the latest date with a year of any precision ("2024年，特斯拉
    公布第一季度财报" -> 2024 Q1); 当月/同月 needs a month: the latest date
    of month precision or finer;
  - except across a 去年 that speaks of another year: a deictic year or
    quarter in another year than the publication's (去年, 去年四季度, 明年,
    last year) is context for the rest of its own sentence only ("去年，……二
    季度" is last year's), and a comparison (去年同期) for nothing. Why: in
    running text 去年 is mostly a comparison ("与去年同期的59.85亿美元相比"),
    and "一季度" in the next sentence is still the first quarter of the
    article's year, not last year's (issue 11: that slip invented conflicts);
  - a two-digit year (17年) takes the century that puts it nearest to the
    year of the latest dated context, else of the publication year;
  - "N天后/三年后/three days later" continue the narrated timeline and count
    from the latest date of the needed precision, while "N天前/three days
    ago" are deictic.

  - a relative day glossed in parentheses by a written date (本周日(28日),
    28日（本周日）, Sunday (April 28)) names that date: the written one is
    the occurrence nearest the relative day and both take it. Why: 本周日
    written on a Monday is, by the calendar, the coming Sunday, while the
    writer meant the one just past; resolved apart, 28日 was then anchored
    on the wrong Sunday and became the 28th of the next month.

  Deictic and elliptic dates, once resolved, are context for later ones
  (昨天下午 ... 当晚 is yesterday evening).
* **Past rule**: a year-less day or month (12月3日, 28日, May 25, in May) that
  would land after the publication day means the previous one (published
  2024-05-21: 12月3日 -> 2023-12-03, 28日 -> 2024-04-28): the year (or, for
  a bare day, the month) steps back once. It is not applied when the anchor
  is a context date that is itself after publication -- the article is then
  deliberately about the future ("2025年3月1日起施行……3月5日"). Quarters and
  parts of a year are not named days or months and are left as they fall.
* **Tense**: the past rule yields to the future. A year-less date followed in
  its clause by a future word (将, 即将, 计划, 预计, 有望, 届时, will, is set to,
  plans to, scheduled) or directly by 前/之前/起/开始, or preceded by 将于/计划于/
  定于/by/next, is the coming one ("12月将推出" in June is this December;
  "12月推出了" last December). Without such a cue a report speaks of the past
  and the past rule stands.
* **Holidays, lunar dates, solar terms, seasons** (dates_calendar): 春节, 除夕,
  元宵, 端午, 中秋, 七夕, 国庆, 元旦, 母亲节, 感恩节, Christmas, 冬至, 芒种, 农历八月十五,
  正月, 腊月初十, 闰四月, 2021年春, 冬季. They take the year written before them,
  else the year in context (else of writing); lunar ones are in the lunar year
  of that number (除夕 of 2021 is 2022-01-31). A lunar date needs an unmistakable
  mark (农历/阴历, 正月/腊月, 闰, a day such as 初十/廿二/十五 written without 日);
  solar terms that are ordinary words (雨水, 大雪, 清明) need a year before them.
  English bare holidays follow the past rule of a bare month; "last/next
  Christmas" count from the day of writing.
* **Clock times** (晚上8点, 15:37, 下午6:42:02, 十一点半) are kept as the day they
  fall on, the narrated day else the day of writing (like 当晚); the time stays
  in the surface. "晚上" alone, and small numbers before 点 ("两点建议", 10点五),
  are not times.
* **Fuzzy durations** become day intervals with their anchor, the day of
  writing: 17天内/未来7天/未来48小时 = [anchor, anchor + N]; 三个多月以来/3年半以来 =
  [anchor - N, anchor], 多 and 半 rounding the start to the month (years: to
  the year for 多); a few minutes or hours before or after (半小时前, 17分钟后) are
  that day. 近N年/过去N天 are as above.
* **Up to and since**: X前/之前/以前 after a date still ahead is the stretch from
  the day of writing to X's end (年底前, 2025年前); 从X起, X以来, X至今, X到现在 after
  a date begun is the stretch from X to the day of writing (从去年9月起, 2020年以来);
  a bare "X起" keeps X, the start it dates ("2021年起，特斯拉就已经……").
* **Unresolvable** (no publication day, nothing in context, or fields that
  name no real day such as 4月31日): ``start_day``/``end_day``/``anchor`` are
  None. Nothing is guessed.
* The publication day is the calendar day written in ``published``; a zone
  offset is not converted (the writer's "yesterday" is relative to their day).

Consecutive expressions joined by 至/到/-/~ (2017年8月11日至8月22日, 1月3至2月10)
become one mention of precision "span"; it is resolved when both ends are and
they are in order (otherwise, if both resolve out of order, they stay apart).

Numbers that are not dates (170万, 8000美元, 4680电池, 863计划, phone numbers,
1.7 million, 3.5) are never reported: every pattern needs a calendar word or a
full Y-M-D shape, and digit runs are fenced so nothing matches inside a longer
number or word. All patterns are compiled once and scanned with ``finditer``
over the stretches around calendar words only, so the cost is linear in the
length of the text.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Iterable

from dateutil.parser import isoparse

from workbench.claims import dates_en, dates_zh
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
    safe_date,
    shift,
)
from workbench.model import DateMention

__all__ = ["find_dates", "parse_published"]

# 2024-04-29, 2024/4/29, 2024.4.29, optionally with a clock time (2024-05-21 09:19:20, T10:00:00+00:00).
_ISO = re.compile(
    r"(?<![0-9A-Za-z_./:\-])(?P<y>[12][0-9]{3})(?P<sep>[-./])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})"
    r"(?![0-9]|(?P=sep)[0-9])"
    r"(?:(?:T|\s{1,3})[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?(?![0-9]))?"
)
# ISO 8601 basic format: 20240307 (a longer digit run, as in 202403073, is not a date).
_COMPACT = re.compile(
    r"(?<![0-9A-Za-z_./\-])(?P<y>(?:1[89]|20)[0-9]{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12][0-9]|3[01])"
    r"(?![0-9A-Za-z_])"
)
_RANGE_JOINER = re.compile(r"\s{0,2}起?(?:至|到|－|—{1,2}|–|-|~|～|〜)\s{0,2}")

_PUBLISHED_PREFIX = re.compile(r"\s*([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?")


def parse_published(published: str | None) -> date | None:
    """The calendar day of an ISO 8601 publication time, as written (no zone conversion).

    Partial values are accepted ("2021" -> 2021-01-01, "2021-06" -> 2021-06-01)
    because peer suites and some sources give only that much; anything that is
    not a date is None.
    """
    if not published:
        return None
    try:
        return isoparse(published.strip()).date()
    except (ValueError, OverflowError):
        pass
    m = _PUBLISHED_PREFIX.match(published)
    if not m:
        return None
    return safe_date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))


# Every expression a family of recognisers accepts contains one of its triggers
# (matched on lower-cased text): calendar characters for Chinese, a four-digit
# year or a calendar word for English, a four-digit year for numeric dates.
_TRIGGER_ZH = re.compile(
    r"[年月日号號周旬]|星期|礼拜|季度|世纪|今早|今晨|[昨今当明]晚|[昨当]夜|[今昨前后当隔明0-9０-９一二三四五六七八九十两]天"
    # holidays, solar terms, seasons, clock times and durations (dates_zh, dates_calendar)
    r"|节|[春夏秋冬][季天]|除夕|元宵|端午|端阳|中秋|七夕|重阳|腊八|小年|元旦|国庆|五一|立[春夏秋冬]|[冬夏]至|[春秋]分"
    r"|芒种|惊蛰|处暑|寒露|[点时:：]|小时|钟头|分钟|秒|刻钟"
)
_TRIGGER_EN = re.compile(
    r"[12][0-9]{3}|[qh][1-4]|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|day|night|week|month|year"
    r"|quarter|morning|afternoon|evening|tonight|[0-9]0s|christmas|thanksgiving|halloween"
)
_TRIGGER_NUMERIC = re.compile(r"[12][0-9]{3}")
# No expression reaches further than this from its nearest trigger.
_REACH = 64


def _windows(text: str, lowered: str, trigger: re.Pattern) -> Iterable[tuple[int, int]]:
    """Disjoint stretches of ``text`` that can hold an expression with one of ``trigger``.

    The recognisers' patterns open with look-behinds, which stop the regex
    engine from skipping ahead quickly; scanning only the stretches around a
    trigger makes long texts cheaper (English patterns never run over pure
    Chinese prose and vice versa). Look-behinds still see the characters
    before a stretch, and every match lies inside one because it holds a
    trigger and reaches at most ``_REACH`` characters from it.
    """
    if len(lowered) != len(text):  # a few characters change length when lower-cased
        yield 0, len(text)
        return
    start = end = -1
    for t in trigger.finditer(lowered):
        if start >= 0 and t.start() - _REACH <= end:
            end = min(len(text), t.end() + _REACH)
            continue
        if start >= 0:
            yield start, end
        start, end = max(0, t.start() - _REACH), min(len(text), t.end() + _REACH)
    if start >= 0:
        yield start, end


def _numeric_candidates(text: str, pos: int, endpos: int) -> Iterable[Candidate]:
    for pattern in (_ISO, _COMPACT):
        for m in pattern.finditer(text, pos, endpos):
            d = safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            if d is not None and 1000 <= d.year <= 2199:
                iv = day_iv(d)
                yield Candidate(m.start(), m.end(), NEED_NONE, lambda a, iv=iv: iv)


def _select(cands: list[Candidate]) -> list[Candidate]:
    """Leftmost-longest non-overlapping candidates (recogniser order breaks ties)."""
    order = sorted(range(len(cands)), key=lambda i: (cands[i].start, -(cands[i].end - cands[i].start), i))
    chosen: list[Candidate] = []
    last_end = -1
    for i in order:
        c = cands[i]
        if c.start >= last_end and c.end > c.start:
            chosen.append(c)
            last_end = c.end
    return chosen


class _Context:
    """The latest resolved dates of each precision seen so far in the article."""

    def __init__(self) -> None:
        self.day: date | None = None  # latest day-precision date
        self.month: date | None = None  # latest date of month precision or finer
        self.year: date | None = None  # latest date with a year, any precision

    def for_need(self, need: str) -> date | None:
        if need == NEED_DAY:
            return self.day
        if need == NEED_MONTH:
            return self.month
        if need == NEED_YEAR_FINE:
            return self.month or self.year
        if need in (NEED_YEAR, NEED_CENTURY):
            return self.year
        return None

    def update(self, iv: Interval) -> None:
        precision, first, last = iv
        self.year = first
        if precision in ("day", "week", "month") or (
            precision == "span" and (first.year, first.month) == (last.year, last.month)
        ):
            self.month = first
        if precision == "day":
            self.day = first


# Words after (or just before) a year-less date that put it ahead of the time of writing: the past rule
# is then not applied ("12月将推出" is the coming December, "12月推出了" the last one).
_FUTURE_AFTER = re.compile(
    r"\s*(?:之前|以前|前(?![一二两三四五六七八九十0-9几后夕])|起(?!诉|火|来)|开始|将|即将|计划|预计|有望|拟|届时|准备|打算|要|会(?![议谈见面员场上长]))"
    r"|[^，,。；;！？!?\n]{0,12}?(?:将会|将要|将于|将在|即将|计划|预计|有望|届时|\bwill\b|\bis set to\b|\bare set to\b"
    r"|\bplans? to\b|\bexpected to\b|\bscheduled\b|\bupcoming\b)",
    re.IGNORECASE,
)
_FUTURE_BEFORE = re.compile(r"(?:将于|将在|将|计划于|计划在|预计于|预计在|定于|拟于|要在|\bwill\b[^,.;]{0,20}|\bnext\b|\bby\b|"
                            r"\buntil\b|\bcoming\b)\s*$", re.IGNORECASE)


def _future_cue(text: str, c: Candidate) -> bool:
    return bool(_FUTURE_AFTER.match(text, c.end) or _FUTURE_BEFORE.search(text, max(0, c.start - 24), c.start))


def _resolve(c: Candidate, published: date | None, ctx: _Context,
             text: str = "") -> tuple[Interval | None, date | None, str | None]:
    if c.need == NEED_NONE:
        return c.resolve(None), None, None
    anchor, source = None, None
    if c.need != NEED_PUBLISHED:
        anchor = ctx.for_need(c.need)
        source = "context" if anchor else None
    if anchor is None and published is not None:
        anchor, source = published, "published"
    if anchor is None:
        return None, None, None
    iv = c.resolve(anchor)
    # The past rule; a context anchor already after publication means the text is
    # talking about the future on purpose, so it is left alone.
    if iv is not None and c.rollback and published is not None and iv[1] > published and anchor <= published \
            and not _future_cue(text, c):
        back = shift(anchor, years=-1) if c.rollback == "year" else shift(anchor.replace(day=1), months=-1)
        iv = c.resolve(back)
    return iv, anchor, source


def _mention(text: str, c: Candidate, iv: Interval | None, anchor: date | None, source: str | None,
             precision_hint: str) -> DateMention:
    return DateMention(
        surface=text[c.start:c.end],
        start=c.start,
        end=c.end,
        precision=iv[0] if iv else precision_hint,
        start_day=iv[1].isoformat() if iv else None,
        end_day=iv[2].isoformat() if iv else None,
        anchor=anchor.isoformat() if anchor else None,
        anchor_source=source if iv else None,
    )


def _precision_hint(c: Candidate, published: date | None) -> str:
    """The precision an unresolved expression would have had (resolve it on a dummy day)."""
    probe = published or date(2000, 6, 15)
    try:
        iv = c.resolve(probe)
    except (ValueError, OverflowError, TypeError, AttributeError):
        iv = None
    return iv[0] if iv else "day"


def _merge_ranges(text: str, mentions: list[DateMention]) -> list[DateMention]:
    """Join "A至B" / "A-B" into one "span" mention; it is resolved when both ends are, in order."""
    out: list[DateMention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if prev is not None and _RANGE_JOINER.fullmatch(text, prev.end, m.start):
            both = prev.resolved and m.resolved
            if both and prev.start_day > m.end_day:
                out.append(m)  # "2024年-2019年" is not a range we can vouch for
                continue
            out[-1] = DateMention(
                surface=text[prev.start:m.end],
                start=prev.start,
                end=m.end,
                precision="span",
                start_day=prev.start_day if both else None,
                end_day=m.end_day if both else None,
                anchor=(prev.anchor or m.anchor) if both else None,
                anchor_source=(prev.anchor_source or m.anchor_source) if both else None,
            )
            continue
        out.append(m)
    return out


_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
# 去年同期, 上年同月, 去年同比: a comparison with last year, never the timeline.
_COMPARISON = re.compile(r"\s*(?:同期|同月|同季|同比|同一时期|the same (?:period|quarter|month))", re.IGNORECASE)


def _other_year(iv: Interval, source: str | None, published: date | None) -> bool:
    """A deictic year or quarter (去年, 去年四季度, 明年, last year) not in the publication's own year."""
    precision, first, last = iv
    coarse = precision in ("year", "quarter") or precision == "span" and (last - first).days > 31
    return coarse and source == "published" and published is not None and first.year != published.year


def _sentence_context(text: str, c: Candidate, ctx: _Context, iv: Interval) -> tuple[_Context, int] | None:
    """The context the rest of ``c``'s sentence sees, and where that sentence ends.

    Why: 去年 in running text is mostly a comparison ("与去年同期的59.85亿美元相比"),
    and the article's timeline carries on in the publication's (or the last
    explicit) year: "一季度" in the next sentence is this year's first quarter,
    not last year's. Within its own sentence ("去年一季度", "去年，……二季度")
    it anchors what follows it; as a comparison (去年同期) not even that.
    """
    if _COMPARISON.match(text, c.end):
        return None
    found = _SENTENCE_END.search(text, c.end)
    local = _Context()
    local.day, local.month, local.year = ctx.day, ctx.month, ctx.year
    local.update(iv)
    return local, (found.start() if found else len(text))


def find_dates(text: str, published: str | None) -> list[DateMention]:
    """Every date expression of ``text`` in order, resolved as the module docstring describes."""
    pub = parse_published(published)
    lowered = text.lower()
    cands: list[Candidate] = []
    for trigger, recognise in (
        (_TRIGGER_NUMERIC, _numeric_candidates),
        (_TRIGGER_ZH, dates_zh.candidates),
        (_TRIGGER_EN, dates_en.candidates),
    ):
        for pos, endpos in _windows(text, lowered, trigger):
            cands.extend(recognise(text, pos, endpos))
    ctx = _Context()
    # A 去年/明年 that speaks of another year than the publication's is context for the
    # rest of its own sentence only: (that sentence's context, where the sentence ends).
    local: tuple[_Context, int] | None = None
    mentions: list[DateMention] = []
    chosen = _select(cands)
    glossed = _glossed_days(text, chosen)
    resolved: dict[int, tuple] = {}  # both days of a glossed pair, resolved together
    for i, c in enumerate(chosen):
        if local is not None and c.start >= local[1]:
            local = None
        here = local[0] if local is not None else ctx
        if i in glossed:
            resolved.update(_resolve_glossed(chosen, glossed[i], pub, here, text))
        iv, anchor, source = resolved.pop(i) if i in resolved else _try_resolve(c, pub, here, text)
        if iv is not None:
            if _other_year(iv, source, pub):
                local = _sentence_context(text, c, ctx, iv)
            elif local is not None and source == "context":
                local[0].update(iv)  # anchored on that other year: its sentence's timeline only
            else:
                ctx.update(iv)
                if local is not None:
                    local[0].update(iv)
            mentions.append(_mention(text, c, iv, anchor, source, iv[0]))
        else:
            mentions.append(_mention(text, c, None, None, None, _precision_hint(c, pub)))
    return _until_and_since(text, _merge_ranges(text, mentions), pub)


def _try_resolve(c: Candidate, pub: date | None, ctx: _Context, text: str) -> tuple:
    try:
        return _resolve(c, pub, ctx, text)
    except (ValueError, OverflowError):
        # Arithmetic beyond the calendar (去年 in year 1): unresolved, not an error.
        return None, None, None


_OPEN_GLOSS = re.compile(r"\s{0,2}[(（]\s{0,2}")
_CLOSE_GLOSS = re.compile(r"\s{0,2}[)）]")


def _glossed_days(text: str, chosen: list[Candidate]) -> dict[int, tuple[int, int]]:
    """Relative days glossed in parentheses by a written date, either way round.

    Returns {first index of the pair: (relative day's index, gloss's index)}. "本周日(28日)",
    "昨天（4月28日）", "28日（本周日）", "Sunday (April 28)": the two name one day.
    """
    pairs: dict[int, tuple[int, int]] = {}
    for i in range(len(chosen) - 1):
        a, b = chosen[i], chosen[i + 1]
        if i - 1 in pairs or not (_OPEN_GLOSS.fullmatch(text, a.end, b.start) and _CLOSE_GLOSS.match(text, b.end)):
            continue
        if a.need == NEED_PUBLISHED and b.need != NEED_PUBLISHED:
            pairs[i] = (i, i + 1)
        elif b.need == NEED_PUBLISHED and a.need != NEED_PUBLISHED:
            pairs[i] = (i + 1, i)
    return pairs


def _resolve_glossed(chosen: list[Candidate], pair: tuple[int, int], pub: date | None, ctx: _Context,
                     text: str) -> dict[int, tuple]:
    """One day for a relative day and the written date that glosses it.

    The relative day says roughly when (within the week: 本周日 written on a Monday is, by the
    calendar, the coming Sunday, while the writer may mean the one just past), the written date
    says exactly which day, but lacks its month or year: it is the occurrence of that date
    nearest the relative day (28日 next to a 本周日 of 2024-05-05 is 2024-04-28, not 2024-05-28,
    nor the 28th of the context's month), and both take it. When the gloss does not resolve to
    a day, or the relative day does not, each keeps its own resolution.
    """
    rel, gloss = pair
    r_iv, r_anchor, r_source = _try_resolve(chosen[rel], pub, ctx, text)
    g_iv, g_anchor, g_source = _try_resolve(chosen[gloss], pub, ctx, text)
    if r_iv is None or r_iv[0] != "day" or g_iv is None or g_iv[0] != "day":
        return {rel: (r_iv, r_anchor, r_source), gloss: (g_iv, g_anchor, g_source)}
    c, day = chosen[gloss], r_iv[1]
    if c.need != NEED_NONE:
        options = [day]
        if c.rollback == "month":
            options += [shift(day.replace(day=1), months=-1), shift(day.replace(day=1), months=1)]
        elif c.rollback == "year":
            options += [shift(day, years=-1), shift(day, years=1)]
        found = []
        for option in options:
            try:
                iv = c.resolve(option)
            except (ValueError, OverflowError):
                continue
            if iv is not None and iv[0] == "day":
                found.append((abs((iv[1] - day).days), iv[1], iv))
        if found:
            g_iv, g_anchor, g_source = min(found)[2], day, "context"
    return {rel: (g_iv, r_anchor, r_source), gloss: (g_iv, g_anchor, g_source)}


# "年底前", "2025年前", "明年6月之前": from the time of writing up to the end of that date.
_BEFORE_SUFFIX = re.compile(r"之前|以前|前(?![一二两三四五六七八九十0-9０-９几后夕天年月周日个])")
# "2019年5月8日起", "从2001年起至今", "去年到现在", "2020年以来": from that date up to the time of writing.
_FROM = re.compile(r"[从自打]\s*$")
_SINCE_SUFFIX = re.compile(r"起至今|起到现在|起(?![诉火来草飞步])|至今|到现在|到今天|以来")


def _until_and_since(text: str, mentions: list[DateMention], pub: date | None) -> list[DateMention]:
    """Stretch a date to or from the day of writing when a suffix says so, and only when that is in order.

    "X前" is a deadline only for an X still ahead ("2019年前" stays 2019: "before 2019"
    has no day of its own); "从X起/X以来/X至今" reaches the day of writing only from an X
    that has begun ("2025年3月1日起施行" stays that day), and a bare "X起" keeps X.
    """
    if pub is None:
        return mentions
    today = pub.isoformat()
    out = []
    for m in mentions:
        if m.resolved and m.precision != "span" or m.resolved and m.start_day != today:
            before = _BEFORE_SUFFIX.match(text, m.end)
            since = _SINCE_SUFFIX.match(text, m.end)
            if before and m.end_day > today:
                m = DateMention(text[m.start:before.end()], m.start, before.end(), "span", min(today, m.start_day),
                                m.end_day, today, "published")
            elif since and m.start_day <= today and (since.group() != "起" or _FROM.search(text, max(0, m.start - 2), m.start)):
                # A bare "X起" keeps X ("2021年起，特斯拉就已经……" dates the start); "从X起" is the stretch.
                m = DateMention(text[m.start:since.end()], m.start, since.end(), "span", m.start_day, today,
                                m.anchor or today, m.anchor_source or "published")
        out.append(m)
    return out
