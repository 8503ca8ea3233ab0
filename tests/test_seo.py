"""SEO fragment injection: title pieces pushed into the body's sentences are removed as chrome, with offsets.

fixtures/seo/ holds articles we wrote in the style of seed 000 (e1: the title cut into
2-4 character chunks and pushed into sentences in order; e3: a body that quotes its
title and uses its words naturally). They sit apart from the top-level fixtures so
the fixture counts other tests rely on do not change.
"""

from __future__ import annotations

import sqlite3

from click.testing import CliRunner

from conftest import FIXTURES
from workbench.cli import cli
from workbench.ingest.reader import read_document
from workbench.ingest.seo import find_injected, remove_injected

SEO = FIXTURES / "seo"
INJECTED_E1 = {"比亚", "迪发", "布新", "电池技", "术续", "航突破", "一千", "公里宁", "德时", "代股价", "应声", "下跌"}


def _read(name: str):
    (article,) = read_document(str(SEO / name), (SEO / name).read_bytes())
    return article


def test_injected_title_pieces_are_removed_and_kept_with_their_offsets(monkeypatch):
    article = _read("e1_seo_byd_battery_spam.txt")
    fragments = [r for r in article.removed if r.kind == "seo fragment"]
    texts = [r.text for r in fragments]
    # every piece the fixture injected is found, and nothing else: 14 pieces (比亚 and 迪发 twice)
    assert set(texts) == INJECTED_E1 and len(texts) == 14
    # the natural title words at a chain's end stay: 一千公里 ends a clause where the title's
    # clause ends; 新电池 is used on its own elsewhere in the article (新电池已经通过…)
    assert "有望达到一千公里," in article.clean_text
    assert "搭载新电池的首款车型" in article.clean_text
    assert "比亚迪在深圳" in article.clean_text and "迪发在深圳" not in article.clean_text
    assert any("injected into the body's sentences" in w for w in article.warnings)
    # the offsets point into the text the pieces were cut from
    before = article.clean_text
    for fragment in sorted(fragments, key=lambda r: r.offset):  # ascending: each offset is in the text before it was cut
        before = before[:fragment.offset] + fragment.text + before[fragment.offset:]
    import workbench.ingest.seo as seo

    monkeypatch.setattr(seo, "find_injected", lambda title, text: [])
    assert before == _read("e1_seo_byd_battery_spam.txt").clean_text  # the text as it was without the removal


def test_a_body_quoting_its_title_and_using_its_words_is_not_spam():
    article = _read("e3_natural_title_words.txt")
    assert not [r for r in article.removed if r.kind == "seo fragment"]
    assert "比亚迪发布新电池技术,续航突破一千公里,这是公司" in article.clean_text


def test_one_chain_of_title_words_is_not_enough():
    title = "布林肯前脚刚走,马斯克随即访华,请求中方允许向美转移汽车数据"
    body = "外媒报道,马斯克还希望寻求转移中国本地汽车骑行数据。马斯克此次访华,请求中方允许向美转移汽车数据。"
    assert find_injected(title, body) == []


def test_english_titles_are_left_alone():
    assert find_injected("Tesla passes China's data security test, Musk visits Beijing",
                         "Tesla passes. China data. Musk visits. Beijing security test.") == []


def test_article_removed_shows_the_fragments_and_raw_keeps_the_bytes(tmp_path):
    db = tmp_path / "w.db"
    path = SEO / "e1_seo_byd_battery_spam.txt"
    runner = CliRunner()
    assert runner.invoke(cli, ["import", str(path), "--db", str(db)]).exit_code == 0
    removed = runner.invoke(cli, ["article", "1", "--removed", "--db", str(db)], env={"COLUMNS": "200"})
    assert removed.exit_code == 0 and "seo fragment" in removed.stdout and "迪发" in removed.stdout
    offsets = sqlite3.connect(db).execute(
        "SELECT text_offset FROM removed_chrome WHERE kind = 'seo fragment' ORDER BY position").fetchall()
    assert offsets and all(o[0] is not None for o in offsets)
    raw = runner.invoke(cli, ["article", "1", "--raw", "--db", str(db)])
    assert raw.stdout_bytes == path.read_bytes()


def test_a_repeated_header_line_is_a_source_too():
    # e1's body under another title, with its headline repeated as a running header line
    body = (SEO / "e1_seo_byd_battery_spam.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    header = "比亚迪发布新电池技术,续航突破一千公里,宁德时代股价应声下跌"
    text = f"{header}\n{body}\n{header}\n"
    assert find_injected("今日汽车新闻摘要与行业观察", text) == []
    text_out, removed = remove_injected("今日汽车新闻摘要与行业观察", text)
    assert (text_out, removed) == remove_injected(header, text)  # as if the header were the title
    assert len(removed) >= 8 and {piece for _, piece in removed} <= INJECTED_E1
    assert "比亚迪在深圳" in text_out and "迪发在深圳" not in text_out


def test_a_repeated_line_that_is_not_cut_up_removes_nothing():
    line = "本文由车圈快评原创发布未经授权禁止转载"
    text = f"{line}\n比亚迪发布新电池,称续航可达一千公里。\n{line}\n宁德时代股价下跌。\n{line}\n"
    assert remove_injected(None, text) == (text, [])
