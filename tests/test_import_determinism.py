"""Two identical imports store identical statements and links, and the import reports what it stored."""

from __future__ import annotations

import json

from click.testing import CliRunner

import workbench.pipeline as pipeline_module
from conftest import fixture_files
from workbench.cli import cli
from workbench.pipeline import Pipeline
from workbench.store.db import open_db


def _snapshot(db):
    """Everything linking produced, keyed by article path and span (not by row ids)."""
    links = [tuple(r) for r in db.execute(
        """SELECT ca.path, c.span_start, sa.path, s.span_start, l.score, l.relation, l.reasons, l.duplicate, l.status
           FROM links l JOIN statements c ON c.id = l.claim_id JOIN articles ca ON ca.id = c.article_id
                JOIN statements s ON s.id = l.statement_id JOIN articles sa ON sa.id = s.article_id
           ORDER BY 1, 2, 3, 4""")]
    claims = [tuple(r) for r in db.execute(
        """SELECT a.path, s.span_start, s.checkworthy, s.score FROM statements s JOIN articles a ON a.id = s.article_id
           ORDER BY 1, 2""")]
    mentions = [tuple(r) for r in db.execute(
        """SELECT a.path, m.span_start, m.span_end, e.name, m.reason FROM mentions m
           JOIN statements s ON s.id = m.statement_id JOIN articles a ON a.id = s.article_id
           JOIN entities e ON e.id = m.entity_id ORDER BY 1, 2, 3, 4""")]
    return links, claims, mentions


def test_identical_imports_store_identical_links_whatever_the_batches(tmp_path, monkeypatch):
    # One import commits after every file, the other in one batch: candidate terms become aliases at
    # different moments, and the stored result must not depend on it.
    one = open_db(tmp_path / "one.db")
    monkeypatch.setattr(pipeline_module, "BATCH_FILES", 1)
    Pipeline(one, actor="tester").import_paths(fixture_files())
    monkeypatch.setattr(pipeline_module, "BATCH_FILES", 10_000)
    two = open_db(tmp_path / "two.db")
    Pipeline(two, actor="tester").import_paths(fixture_files())
    first, second = _snapshot(one), _snapshot(two)
    assert first[0], "the fixtures have links"
    assert first[1] == second[1]
    assert first[2] == second[2]
    assert first[0] == second[0]


def test_the_import_reports_the_links_it_stored(tmp_path, monkeypatch):
    # Incremental linking in small chunks rewrites a claim's links once per chunk
    # that touches it; the report counts what is stored, not those writes.
    monkeypatch.setattr(pipeline_module, "LINK_CHUNK", 2)
    db = tmp_path / "w.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["import", *map(str, fixture_files()), "--db", str(db)], catch_exceptions=False)
    stored = open_db(db).execute("SELECT COUNT(*) FROM links").fetchone()[0]
    assert stored > 0
    assert result.output.rstrip().endswith(f"; {stored} links stored")
    listed = runner.invoke(cli, ["links", "--format", "jsonl", "--db", str(db)], catch_exceptions=False).output
    assert len([json.loads(line) for line in listed.splitlines() if line.strip()]) == stored
    relinked = runner.invoke(cli, ["link", "--db", str(db)], catch_exceptions=False).output
    assert relinked.startswith(f"{open_db(db).execute('SELECT COUNT(*) FROM links').fetchone()[0]} links stored")


def _write_term_articles(folder):
    # Three posts that quote one name the gazetteer does not know: it becomes a
    # candidate entity when the second post is stored, and a claim names it.
    folder.mkdir()
    for i, city in enumerate(("上海", "北京", "深圳"), 1):
        (folder / f"post{i}.txt").write_text(
            f"新系统消息{i}\n\n据「星云智驾」{city}团队消息，新系统已经进入测试。\n\n"
            f"星云智驾表示，新系统将在明年三季度交付{city}的客户。\n", encoding="utf-8")
    return sorted(folder.iterdir())


def test_a_term_that_becomes_an_entity_mid_import_counts_the_same_whichever_batch_it_lands_in(tmp_path, monkeypatch):
    posts = _write_term_articles(tmp_path / "posts")
    monkeypatch.setattr(pipeline_module, "BATCH_FILES", 1)
    one = open_db(tmp_path / "one.db")
    Pipeline(one, actor="tester").import_paths(posts)
    monkeypatch.setattr(pipeline_module, "BATCH_FILES", 10_000)
    two = open_db(tmp_path / "two.db")
    Pipeline(two, actor="tester").import_paths(posts)
    first, second = _snapshot(one), _snapshot(two)
    # the statement naming the new entity is a claim in every post, in both databases
    said = [c for c in first[1] if c[2]]
    assert len(said) >= 3
    assert first == second


def test_imports_in_processes_with_different_hash_seeds_store_identical_links_and_stories(tmp_path):
    # String hashing is randomised per process: anything that let set or dict-of-set iteration
    # order decide a tie (blocking, top-k, story grouping) would show here as a difference.
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    snapshots = []
    for seed in ("1", "2"):
        db = tmp_path / f"seed{seed}.db"
        env = {**os.environ, "PYTHONPATH": str(root), "PYTHONHASHSEED": seed, "WORKBENCH_REVIEWER": "tester"}
        subprocess.run([sys.executable, "-m", "workbench", "import", *map(str, fixture_files()), "--db", str(db),
                        "--quiet"], cwd=root, env=env, capture_output=True, check=True)
        conn = open_db(db)
        stories = [tuple(r) for r in conn.execute(
            """SELECT a.path, sa.story_id, sa.relatedness FROM story_articles sa JOIN articles a ON a.id = sa.article_id
               ORDER BY 1""")]
        snapshots.append((_snapshot(conn), stories))
    (links_one, claims_one, mentions_one), stories_one = snapshots[0]
    (links_two, claims_two, mentions_two), stories_two = snapshots[1]
    assert links_one and stories_one, "the fixtures have links and stories"
    assert claims_one == claims_two
    assert mentions_one == mentions_two
    assert stories_one == stories_two
    assert links_one == links_two
