"""The whole pipeline on real files and a real SQLite file: import, duplicates, refusals, reprocess, aliases."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import FIXTURES, fixture_files
from workbench.audit import verify_events
from workbench.pipeline import Pipeline
from workbench.store import review
from workbench.store.audit import iter_events
from workbench.store.db import open_db


def _articles(db):
    return {r["path"].rsplit("/", 1)[-1]: r for r in db.query("SELECT * FROM articles")}


def test_fixtures_import_with_metadata_spans_and_links(fixtures_db):
    db = open_db(fixtures_db)
    articles = _articles(db)
    # every good fixture is stored (the JSONL file holds three records)
    assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == len(fixture_files()) + 2
    b1 = articles["b1_musk_beijing_header.txt"]
    assert b1["published"] == "2024-04-30T10:12:05" and b1["published_source"] == "header line"
    assert b1["author"] == "老周看车" and b1["language"] == "zh"
    # exact spans: every statement is its article's text at its span
    for sid, aid, start, end, text in db.execute("SELECT id, article_id, span_start, span_end, text FROM statements"):
        clean = db.execute("SELECT clean_text FROM articles WHERE id = ?", [aid]).fetchone()[0]
        assert clean[start:end] == text, sid
    assert db.execute("SELECT COUNT(*) FROM statements WHERE checkworthy").fetchone()[0] > 20
    assert db.execute("SELECT COUNT(*) FROM links").fetchone()[0] > 0
    assert db.execute("SELECT COUNT(*) FROM articles WHERE linked = 0").fetchone()[0] == 0
    assert verify_events(iter_events(db)).ok


def test_the_near_duplicate_from_another_feed_is_marked(fixtures_db):
    articles = _articles(open_db(fixtures_db))
    original = articles["a2_chetan_tesla_shanghai_data_centre.md"]
    copy = articles["a2_dup_zhijia_tesla_shanghai_data_centre.md"]
    assert copy["duplicate_of"] == original["id"] and copy["duplicate_similarity"] >= 0.9
    assert original["duplicate_of"] is None


def test_same_bytes_again_change_nothing(fixtures_db):
    db = open_db(fixtures_db)
    counts = [db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("articles", "statements", "links")]
    report = Pipeline(db, actor="tester").import_paths(fixture_files())
    assert not report.imported and not report.refused
    assert len(report.already) == len(fixture_files()) + 2  # the JSONL file has three records
    assert [db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("articles", "statements", "links")] == counts


def test_bad_files_are_refused_with_a_reason_and_the_rest_imports(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(FIXTURES / "bad", folder / "bad")
    shutil.copy(FIXTURES / "b1_musk_beijing_header.txt", folder)
    db = open_db(tmp_path / "w.db")
    report = Pipeline(db, actor="tester").import_paths([folder])
    assert len(report.imported) == 1
    refused = dict(report.refused)
    assert set(refused) == {str(p) for p in (folder / "bad").iterdir()}
    assert all(reason and "\n" not in reason for reason in refused.values())
    events = [r[0] for r in db.execute("SELECT action FROM audit_events")]
    assert events.count("article.refuse") == 4 and events.count("article.import") == 1


def test_files_over_the_size_limit_are_refused_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("Tesla said it sold 1.7 million cars.\n" * 100, encoding="utf-8")
    report = Pipeline(open_db(tmp_path / "w.db"), actor="t").import_paths([big], max_bytes=100)
    assert report.refused and "max-bytes" in report.refused[0][1]


def test_an_article_that_breaks_the_analysis_is_refused_alone(tmp_path, monkeypatch):
    import workbench.prepare as prepare_module  # the analysis the import ships to its executor

    real = prepare_module.analyse

    def fragile(text, **kwargs):
        if "150万" in text:
            raise RuntimeError("boom")
        return real(text, **kwargs)

    monkeypatch.setattr(prepare_module, "analyse", fragile)
    db = open_db(tmp_path / "w.db")
    files = [FIXTURES / "b1_musk_beijing_header.txt", FIXTURES / "b3_musk_beijing_fleet.gbk.txt"]
    report = Pipeline(db, actor="t").import_paths(files)
    assert len(report.imported) == 1 and len(report.refused) == 1
    assert "boom" in report.refused[0][1]
    # no half article: the refused one left no rows anywhere
    assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1
    assert db.execute("SELECT COUNT(DISTINCT article_id) FROM statements").fetchone()[0] == 1


def test_reprocess_keeps_statement_ids_and_verdicts(fixtures_db):
    db = open_db(fixtures_db)
    claim = db.execute("SELECT id, article_id FROM statements WHERE checkworthy LIMIT 1").fetchone()
    review.record_verdict(db, claim[0], "ana", "true")
    link = db.execute("SELECT id FROM links LIMIT 1").fetchone()[0]
    review.decide_link(db, link, "confirmed", "ana")
    ids = [r[0] for r in db.execute("SELECT id FROM statements ORDER BY id")]
    Pipeline(db, actor="ana").reprocess()
    assert [r[0] for r in db.execute("SELECT id FROM statements ORDER BY id")] == ids
    assert review.my_verdict(db, claim[0], "ana").label == "true"
    Pipeline(db, actor="ana").relink_all()
    assert db.execute("SELECT status FROM links WHERE id = ?", [link]).fetchone()[0] == "confirmed"


def test_a_corrected_publication_date_re_resolves_relative_dates(fixtures_db):
    db = open_db(fixtures_db)
    article = _articles(db)["d1_opinion_undated.txt"]
    unresolved = db.execute(
        """SELECT COUNT(*) FROM statement_dates d JOIN statements s ON s.id = d.statement_id
           WHERE s.article_id = ? AND d.start_day IS NULL""", [article["id"]]).fetchone()[0]
    assert unresolved > 0  # 去年11月 in an undated post stays unresolved, never guessed
    review.correct_metadata(db, article["id"], {"published": "2024-05-10"}, "ana", expected_revision=1)
    Pipeline(db, actor="ana").reprocess([article["id"]])
    row = db.execute(
        """SELECT d.start_day, d.end_day, d.anchor FROM statement_dates d JOIN statements s ON s.id = d.statement_id
           WHERE s.article_id = ? AND d.surface LIKE '去年11月%'""", [article["id"]]).fetchone()
    assert row == ("2023-11-01", "2023-11-30", "2024-05-10")
    with pytest.raises(review.Conflict):
        review.correct_metadata(db, article["id"], {"title": "x"}, "bo", expected_revision=1)


def test_an_added_alias_applies_to_statements_already_imported(fixtures_db):
    from workbench.store import entities

    db = open_db(fixtures_db)
    from workbench.store.db import transaction

    pipeline = Pipeline(db, actor="ana")
    assert db.execute("SELECT COUNT(*) FROM mentions WHERE surface = '保有量'").fetchone()[0] == 0
    with transaction(db):
        entity_id, added = entities.add_entity(db, "fleet size", ["保有量"], "other", actor="ana")
        pipeline.apply_new_aliases(added)
    assert db.execute("SELECT COUNT(*) FROM mentions WHERE entity_id = ?", [entity_id]).fetchone()[0] > 0
    event = db.execute("SELECT action, after FROM audit_events WHERE object_type = 'entity' ORDER BY seq DESC LIMIT 1").fetchone()
    assert event[0] == "entity.add" and "保有量" in json.loads(event[1])["aliases"]


def _statement(db, fragment):
    return db.execute("SELECT id FROM statements WHERE instr(text, ?) ORDER BY id LIMIT 1", [fragment]).fetchone()[0]


def _relations(db, a, b):
    return {r[0] for r in db.execute(
        "SELECT relation FROM links WHERE (claim_id = ? AND statement_id = ?) OR (claim_id = ? AND statement_id = ?)",
        [a, b, b, a])}


def test_different_figures_for_the_same_fleet_are_flagged_as_conflicts(fixtures_db):
    db = open_db(fixtures_db)
    zh_170 = _statement(db, "约170万辆汽车")
    zh_150 = _statement(db, "保有量约为150万辆")
    en_15 = _statement(db, "1.5 million cars in China")
    en_17 = _statement(db, "1.7 million vehicles on China's roads")
    assert _relations(db, zh_170, zh_150) == {"conflict"}
    assert _relations(db, zh_170, en_15) == {"conflict"}  # across languages: 170万 vs 1.5 million
    assert _relations(db, en_15, en_17) == {"conflict"}
    reasons = db.execute("SELECT reasons FROM links WHERE claim_id = ? AND statement_id = ?", [zh_170, zh_150]).fetchone()[0]
    assert "numbers conflict: 170万 vs 150万 (vehicle)" in json.loads(reasons)


def test_the_same_figure_across_languages_is_the_same_claim(fixtures_db):
    db = open_db(fixtures_db)
    assert "same" in _relations(db, _statement(db, "约170万辆汽车"), _statement(db, "1.7 million vehicles on China's roads"))


def test_one_announcement_dated_differently_is_a_date_conflict(fixtures_db):
    db = open_db(fixtures_db)
    taiwan_28 = _statement(db, "5月28日透過中國社群平台微博宣布")  # traditional Chinese, Big5 file
    mainland_25 = _statement(db, "5月25日，特斯拉通过官方微博宣布")
    english_25 = _statement(db, "Tesla said on Tuesday, May 25")
    assert _relations(db, taiwan_28, mainland_25) == {"conflict"}
    assert _relations(db, taiwan_28, english_25) == {"conflict"}  # across languages too
    reasons = db.execute("SELECT reasons FROM links WHERE claim_id = ? AND statement_id = ?",
                         [taiwan_28, english_25]).fetchone()[0]
    assert "date conflict: 2021-05-25 vs 2021-05-28" in json.loads(reasons)
