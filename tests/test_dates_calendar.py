"""Holidays, lunar dates, solar terms, seasons, clock times, fuzzy durations and the tense rule (issue 17)."""

from __future__ import annotations

import pytest

from workbench.claims import dates_calendar as cal
from workbench.claims.dates import find_dates


def one(text: str, published: str | None = "2021-06-14"):
    found = find_dates(text, published)
    assert len(found) == 1, found
    m = found[0]
    assert text[m.start:m.end] == m.surface
    return m


def days(m):
    return (m.start_day, m.end_day)


def test_calendar_arithmetic():
    assert str(cal.lunar_day(2012, 1, 15)) == "2012-02-06"
    assert str(cal.lunar_day(2020, 4, 1, leap=True)) == "2020-05-23"
    assert cal.lunar_day(2021, 4, 1, leap=True) is None  # 2021 has no leap fourth month
    assert str(cal.lunar_day(2021, 12, 0)) == "2022-01-31"  # 除夕 of lunar 2021
    assert str(cal.solar_term(2024, "冬至")) == "2024-12-21"
    assert str(cal.solar_term(2017, "大寒")) == "2018-01-20"  # the cycle starts at 立春
    assert [str(d) for d in cal.season(2018, "夏")] == ["2018-05-05", "2018-08-06"]
    assert str(cal.holiday(2019, "感恩节")) == "2019-11-28"
    assert str(cal.holiday(2021, "mother's day")) == "2021-05-09"
    assert cal.lunar_day(1850, 1, 1) is None  # outside the tables: unresolved, never guessed


@pytest.mark.parametrize(
    "text, want",
    [
        ("去年春节", ("2020-01-25", "2020-01-25")),
        ("2019年感恩节", ("2019-11-28", "2019-11-28")),
        ("零六年端午", ("2006-05-31", "2006-05-31")),
        ("除夕晚上6点半", ("2022-01-31", "2022-01-31")),
        ("农历八月十五", ("2021-09-21", "2021-09-21")),
        ("二零一二年农历正月十五", ("2012-02-06", "2012-02-06")),
        ("明年腊月", ("2022-12-23", "2023-01-21")),
        ("闰四月", None),  # 2021 has no leap fourth month
        ("2024年冬至", ("2024-12-21", "2024-12-21")),
        ("大前年夏季", ("2018-05-05", "2018-08-06")),
        ("Christmas 2021", ("2021-12-25", "2021-12-25")),
        ("last Christmas", ("2020-12-25", "2020-12-25")),
    ],
)
def test_holidays_lunar_dates_terms_and_seasons(text, want):
    m = one(text)
    assert (days(m) if m.resolved else None) == want


def test_words_that_only_look_like_terms_or_lunar_dates():
    assert find_dates("下雨后雨水很多，大雪封路", "2021-06-14") == []
    assert find_dates("两点建议；升高10点五度", "2021-06-14") == []
    assert find_dates("指数上涨了12点，下降3点，增长了3点5个百分点", "2021-06-14") == []
    assert days(one("十二月20号", "2021-06-14")) == ("2020-12-20", "2020-12-20")  # Gregorian, with 号


def test_clock_times_are_the_narrated_day():
    mentions = find_dates("2024年4月26日，他离开北京。晚上8点，飞机起飞。", "2024-05-21")
    clock = [m for m in mentions if m.surface == "晚上8点"][0]
    assert days(clock) == ("2024-04-26", "2024-04-26") and clock.anchor_source == "context"
    assert days(one("下午6:42:02")) == ("2021-06-14", "2021-06-14")
    span = one("中午12：00—14:00")
    assert span.precision == "span" and days(span) == ("2021-06-14", "2021-06-14")


@pytest.mark.parametrize(
    "text, want",
    [
        ("17天内", ("2021-06-14", "2021-07-01")),
        ("两个半月以内", ("2021-06-14", "2021-08-29")),
        ("未来48小时", ("2021-06-14", "2021-06-16")),
        ("三个多月以来", ("2021-03-01", "2021-06-14")),
        ("3年半以来", ("2017-12-01", "2021-06-14")),
        ("近仨月", None),  # 仨 is not among 近N's numerals: left alone, not guessed
        ("半小时前", ("2021-06-14", "2021-06-14")),
        ("年底前", ("2021-06-14", "2021-12-31")),
        ("从去年9月起", ("2020-09-01", "2021-06-14")),
    ],
)
def test_fuzzy_durations_and_stretches_to_the_day_of_writing(text, want):
    found = find_dates(text, "2021-06-14")
    got = days(max(found, key=lambda m: m.end - m.start)) if found else None
    assert got == want


def test_a_date_before_a_past_year_is_not_a_deadline():
    m = one("2019年前，公司亏损。", "2021-06-14")
    assert (m.surface, days(m)) == ("2019年", ("2019-01-01", "2019-12-31"))


def test_tense_decides_the_past_rule():
    assert days(one("12月推出了新车")) == ("2020-12-01", "2020-12-31")
    assert days(one("12月将推出新车")) == ("2021-12-01", "2021-12-31")
    assert days(one("The company will launch it in December.")) == ("2021-12-01", "2021-12-31")
    assert days(one("Sales fell in December.")) == ("2020-12-01", "2020-12-31")
