"""Trivial numbers: 一辆 ("a car") and 唯一一个 ("the only one") are not figures, and never number evidence."""

from __future__ import annotations

import pytest

from workbench.claims.numbers import find_numbers
from workbench.pipeline import Pipeline
from workbench.store.db import open_db
from workbench.store.links import link_items


def _found(text):
    return [(n.surface, n.value, n.unit) for n in find_numbers(text)]


@pytest.mark.parametrize("text", [
    "特斯拉目前成为了唯一一个通过检测的外资车企。",  # 唯一一个: the only one, not 11
    "这是唯一一家获得许可的公司。",
    "两者一一对应。", "万一出事怎么办？", "一些车主表示不满。", "统一标准将在明年实施。", "一直以来都是如此。",
    "同一天，他买了一辆车。", "一名司机在事故中受伤。", "现场有一位专家。", "这一辆车很贵。", "每一辆车都要检测。",
    "一两个月后再说。", "三五辆车停在门口。",
])
def test_words_and_articles_are_not_quantities(text):
    assert _found(text) == []


@pytest.mark.parametrize("text, expected", [
    ("去年卖出十一辆车。", [("十一辆", 11.0, "vehicle")]),
    ("统一一百辆的价格。", [("一百辆", 100.0, "vehicle")]),  # after the word 统一 the figure is read on its own
    ("唯一11辆通过检测。", [("11辆", 11.0, "vehicle")]),
    ("只有1辆车通过检测。", [("1辆", 1.0, "vehicle")]),  # a figure of one written in digits
    ("事故造成一人死亡。", [("一人", 1.0, "person")]),  # a count, kept as an annotation
    ("一万一千辆已经交付。", [("一万一千辆", 11000.0, "vehicle")]),
    ("两名司机受伤。", [("两名", 2.0, "person")]),
])
def test_real_figures_stay(text, expected):
    assert _found(text) == expected


def test_a_count_of_one_in_words_is_not_number_evidence_for_linking(tmp_path):
    post = tmp_path / "crash.txt"
    post.write_text("特斯拉车祸\n\n特斯拉表示，事故造成一人死亡，另有1辆车受损，共召回2000辆。\n", encoding="utf-8")
    db = open_db(tmp_path / "w.db")
    Pipeline(db, actor="tester").import_paths([post])
    (item,) = [i for i in link_items(db) if "召回" in i.text]
    # the annotation keeps 一人; the linker sees the figures only
    stored = sorted(r[0] for r in db.execute("SELECT surface FROM statement_numbers"))
    assert stored == ["1辆", "2000辆", "一人"]
    assert sorted(item.numbers) == [(1.0, "vehicle"), (2000.0, "vehicle")]
