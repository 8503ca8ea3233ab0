"""Near-duplicate detection: whole copies and excerpts republished by another feed."""

from __future__ import annotations

import pytest

from workbench import dedup
from workbench.pipeline import Pipeline
from workbench.store.db import open_db

BODY = "".join(f"第{i}段：特斯拉在上海的工厂今年交付了{i * 1000}辆汽车，比去年同期增长{i}成。" for i in range(1, 40))


def test_a_lightly_edited_copy_is_a_near_duplicate():
    edited = BODY.replace("交付了1000辆", "交付了约1000辆").replace("。", "，", 3)
    assert dedup.similarity(BODY, edited) >= dedup.DUPLICATE_SIMILARITY
    assert dedup.fingerprints(BODY) & dedup.fingerprints(edited)


def test_an_excerpt_inside_a_longer_copy_is_a_near_duplicate():
    excerpt = BODY[len(BODY) // 4: len(BODY) // 4 + len(BODY) // 2]
    sampled = dedup.fingerprints(excerpt)
    assert len(sampled & dedup.fingerprints(BODY)) >= 0.8 * len(sampled)  # content-defined: the same samples
    assert dedup.similarity(excerpt, BODY) >= dedup.DUPLICATE_SIMILARITY
    assert dedup.similarity(BODY, excerpt) >= dedup.DUPLICATE_SIMILARITY


def test_a_short_quote_of_a_long_article_is_not_a_copy():
    quote = BODY[:len(BODY) // 10]
    assert dedup.similarity(quote, BODY) < dedup.DUPLICATE_SIMILARITY


def test_different_articles_are_not_duplicates():
    other = "".join(f"Paragraph {i}: BYD said its April sales rose {i} percent on the year." for i in range(40))
    assert dedup.similarity(BODY, other) < 0.5


@pytest.mark.parametrize("longer_first", [True, False])
def test_an_excerpt_is_marked_whichever_arrives_first(tmp_path, longer_first):
    long_file, short_file = tmp_path / "long.txt", tmp_path / "short.txt"
    long_file.write_text("特斯拉工厂交付记录\n\n" + BODY, encoding="utf-8")
    short_file.write_text("特斯拉工厂交付（节选）\n\n" + BODY[200:1400], encoding="utf-8")
    db = open_db(tmp_path / "w.db")
    first, second = (long_file, short_file) if longer_first else (short_file, long_file)
    Pipeline(db, actor="t").import_paths([first])
    report = Pipeline(db, actor="t").import_paths([second])
    assert report.near_duplicates == [(2, 1)]


@pytest.mark.corpus
def test_the_hexo_pair_from_two_feeds_is_marked(shared, tmp_path):
    hexo = shared / "corpus" / "hexo"
    db = open_db(tmp_path / "w.db")
    Pipeline(db, actor="t").import_paths([hexo / "吉利造芯成功，利好鸿蒙OS智能座舱系统？.md",
                                          hexo / "吉利造芯，利好鸿蒙OS智能座舱系统？.md"])
    assert db.execute("SELECT id, duplicate_of FROM articles ORDER BY id").fetchall() == [(1, None), (2, 1)]
