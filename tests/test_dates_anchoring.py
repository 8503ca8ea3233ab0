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
