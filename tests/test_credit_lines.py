"""Credit and republication lines are page chrome: removed, kept aside with a kind, shown by ``article --removed``.

The lines below are written in the forms the real posts use (36kr's 本文来自微信公众号…经授权发布, a
forum repost's 信息来源:…, 转载请注明出处, English "Originally published at"); sentences that cite a
source inside a claim stay in the text.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from workbench.cli import cli
from workbench.ingest.chrome import strip_chrome

BODY = "特斯拉表示，中国车主的数据将全部存储在上海的数据中心。"


@pytest.mark.parametrize("line, kind", [
    ("本文来自微信公众号“某某汽车”（ID:some_auto），作者：张三，36氪经授权发布。", "credit line"),
    ("编者按：本文来自微信公众号“某日报”（ID:daily），编辑：李四 ，36氪经授权发布。", "credit line"),
    ("本文来源：某车科技", "credit line"),
    ("信息来源:某网-马斯克突然来华,外媒关注(2024.4.29)", "credit line"),
    ("来源：某官方", "credit line"),
    ("转载请注明出处：某科技", "credit line"),
    ("本文轉載自某網站", "credit line"),
    ("Source: Example Wire", "credit line"),
    ("Originally published at example.org on May 3, 2021.", "credit line"),
    ("This article was originally published on The Example Post.", "credit line"),
    ("Republished with permission from Example Daily.", "credit line"),
    ("责任编辑：王五", "editor line"),
    ("图片来源：视觉中国", "image credit"),
    ("Photo credit: A. Person", "image credit"),
    ("版权声明：本文为某站原创，转载请联系授权，未经允许严禁转载。", "copyright notice"),
])
def test_a_credit_line_is_removed_and_kept_with_its_kind(line, kind):
    result = strip_chrome(f"标题\n\n{BODY}\n\n{line}\n\n{BODY}")
    assert result.text == f"标题\n\n{BODY}\n\n\n{BODY}"
    assert [(r.kind, r.text) for r in result.removed] == [(kind, line)]


@pytest.mark.parametrize("line", [
    "据路透社报道，特斯拉已在上海建立数据中心，所有数据都将存储在国内。",
    "According to Reuters, citing anonymous sources, the ban only applies to Tesla.",
    "来源于特斯拉的数据显示，中国市场的销量增长了三成。",
    "The source said the data centre was finished in May.",
    "消息人士称，该公司将在明年推出新车。",
    "特斯拉首席执行官马斯克表示，相关数据经授权发布前会先经过审查，并将向监管部门报告。",
    "编辑部认为，这一数据并不可靠，需要进一步核实，因为它与官方口径相差甚远。",
])
def test_a_sentence_that_cites_a_source_is_not_chrome(line):
    result = strip_chrome(f"标题\n\n{line}\n\n{BODY}")
    assert result.removed == []
    assert line in result.text


def test_article_removed_lists_the_credit_lines(tmp_path):
    post = tmp_path / "repost.txt"
    post.write_text(f"特斯拉数据中心\n\n{BODY}\n\n信息来源:某网-特斯拉在华建立数据中心(2021.5.26)\n\n"
                    f"{BODY}\n\n本文来自微信公众号“某某汽车”，作者：张三，36氪经授权发布。\n", encoding="utf-8")
    db = tmp_path / "w.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["import", str(post), "--db", str(db)], catch_exceptions=False).exit_code == 0
    shown = runner.invoke(cli, ["article", "1", "--removed", "--db", str(db)], catch_exceptions=False)
    assert shown.exit_code == 0
    assert shown.output.count("credit line") == 2
    assert "信息来源:某网-特斯拉在华建立数据中心(2021.5.26)" in shown.output
    statements = runner.invoke(cli, ["statements", "1", "--db", str(db)], catch_exceptions=False).output
    assert "经授权发布" not in statements and "信息来源" not in statements
