"""Relative dates anchor on the article's timeline, not across a 去年 that speaks of another year (issue 11).

The sentences are written after the real Q1-2021 earnings post in ../shared (published 2021-05-09), where
"一季度" after "与去年同期…相比" was resolved to 2020 and invented a numbers conflict.
"""

from __future__ import annotations

import pytest

from workbench.claims.dates import find_dates

PUBLISHED = "2021-05-09"


def _dates(text):
    return [(d.surface, d.start_day, d.end_day) for d in find_dates(text, PUBLISHED)]


def test_a_comparison_with_last_year_does_not_move_the_next_quarter():
    text = ("特斯拉公布了2021年的首份财报，第一季度总营收为103.89亿美元，与去年同期的59.85亿美元相比增长74%。"
            "一季度特斯拉在毛利层面表现不错。")
    assert _dates(text)[-2:] == [("去年", "2020-01-01", "2020-12-31"), ("一季度", "2021-01-01", "2021-03-31")]


def test_last_years_quarter_is_context_for_its_own_sentence_only():
    text = "一季度特斯拉交付了18.48万辆，打破了去年四季度的交付纪录。第一季度，碳积分收入高达5.18亿美元。"
    assert _dates(text) == [("一季度", "2021-01-01", "2021-03-31"), ("去年四季度", "2020-10-01", "2020-12-31"),
                            ("第一季度", "2021-01-01", "2021-03-31")]


def test_within_its_sentence_last_year_anchors_what_follows():
    text = "去年，特斯拉在二季度交付了9万辆，三季度交付10万辆。一季度交付18万辆。"
    assert _dates(text) == [("去年", "2020-01-01", "2020-12-31"), ("二季度", "2020-04-01", "2020-06-30"),
                            ("三季度", "2020-07-01", "2020-09-30"), ("一季度", "2021-01-01", "2021-03-31")]


@pytest.mark.parametrize("text, expected", [
    # an explicit year is the timeline, whatever 去年 says after it
    ("2019年，特斯拉营收增长。去年，特斯拉交付50万辆。第一季度交付18万辆。", ("第一季度", "2019-01-01", "2019-03-31")),
    # a month of last year still carries the story's timeline
    ("去年11月，特斯拉涨价。12月，再次涨价。", ("12月", "2020-12-01", "2020-12-31")),
    # this year is the publication's: nothing changes
    ("今年，特斯拉涨价。二季度交付量下降。", ("二季度", "2021-04-01", "2021-06-30")),
    ("去年同期，二季度交付。", ("二季度", "2021-04-01", "2021-06-30")),
])
def test_what_stays_as_it_was(text, expected):
    assert _dates(text)[-1] == expected


# --- a relative day glossed by a written date names one day (fixture b3, issue 11 planted pair #14) ---


def _days(text, published="2024-04-29"):  # a Monday
    return [(d.surface, d.start_day) for d in find_dates(text, published)]


@pytest.mark.parametrize("text, expected", [
    # 本周日 on a Monday is, by the calendar, the coming Sunday; the gloss says it is the one just past,
    # and 28日 is not anchored on the wrong Sunday (it was 2024-05-28)
    ("本周日(28日),马斯克突然现身北京。", [("本周日", "2024-04-28"), ("28日", "2024-04-28")]),
    ("本周日（28日），马斯克突然现身北京。", [("本周日", "2024-04-28"), ("28日", "2024-04-28")]),
    # the other way round, and with a month: the written date is the nearest one to the relative day
    ("28日（本周日），马斯克抵达北京。", [("28日", "2024-04-28"), ("本周日", "2024-04-28")]),
    ("5月1日(本周三)发布。", [("5月1日", "2024-05-01"), ("本周三", "2024-05-01")]),
    ("上周五(4月26日)，他说。", [("上周五", "2024-04-26"), ("4月26日", "2024-04-26")]),
    ("on Sunday (April 28), Musk arrived.", [("Sunday", "2024-04-28"), ("April 28", "2024-04-28")]),
    # a full date needs nothing: the relative day takes it
    ("本周日(2024年4月28日)他来了。", [("本周日", "2024-04-28"), ("2024年4月28日", "2024-04-28")]),
])
def test_a_relative_day_glossed_by_a_written_date_is_that_date(text, expected):
    assert _days(text) == expected


def test_the_glossed_day_is_the_context_for_what_follows():
    assert _days("本周日(28日),马斯克突然现身北京。次日他离开。")[-1] == ("次日", "2024-04-29")


def test_other_parentheses_are_not_glosses():
    # a ticker in parentheses is not a date; the gloss after it still is
    assert _days("特斯拉(TSLA)于本周日(28日)宣布。") == [("本周日", "2024-04-28"), ("28日", "2024-04-28")]
    # two relative days: neither is written, each is resolved on its own
    assert _days("昨天(周日)他来了。") == [("昨天", "2024-04-28"), ("周日", "2024-04-28")]
