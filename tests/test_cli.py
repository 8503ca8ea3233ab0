"""The real CLI through click's CliRunner, on real database files."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from conftest import FIXTURES
from workbench.cli import _COMMANDS, cli

# ESC, C1 controls (incl. the 8-bit CSI 0x9b) and bidi controls must never reach a terminal.
UNSAFE = re.compile("[\x1b\x80-\x9f\u202a-\u202e\u2066-\u2069]")


def run(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)


def _all_commands():
    for name in sorted(_COMMANDS):
        command = cli.get_command(None, name)
        yield [name]
        for sub in getattr(command, "commands", {}):
            yield [name, sub]


@pytest.mark.parametrize("words", list(_all_commands()), ids=" ".join)
def test_every_command_has_help(words):
    result = run(*words, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output and len(result.output.splitlines()) > 3


def test_import_reports_refusals_one_line_each_and_exits_1(tmp_path):
    db = tmp_path / "w.db"
    result = run("import", FIXTURES / "bad", FIXTURES / "b1_musk_beijing_header.txt", "--db", db)
    assert result.exit_code == 1
    refusals = [line for line in result.stderr.splitlines() if ": " in line and "bad" in line]
    assert len(refusals) == 4
    assert "imported 1" in result.stdout and "refused 4" in result.stdout
    again = run("import", FIXTURES / "b1_musk_beijing_header.txt", "--db", db)
    assert again.exit_code == 0 and "already imported as article 1" in again.stderr


def test_db_comes_from_the_environment(tmp_path):
    db = tmp_path / "env.db"
    result = run("import", FIXTURES / "c1_byd_april_sales.utf8bom.txt", env={"WORKBENCH_DB": str(db)})
    assert result.exit_code == 0 and db.exists()


def test_articles_jsonl_has_the_documented_fields(fixtures_db):
    result = run("articles", "--format", "jsonl", "--db", fixtures_db)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert list(rows[0]) == ["id", "path", "title", "published", "author", "site", "url", "language",
                             "duplicate_of", "statements", "claims"]
    assert any(r["published"] is None for r in rows)  # the undated post stays undated
    assert any(r["duplicate_of"] for r in rows)
    assert all(r["claims"] <= r["statements"] for r in rows)


def test_claims_jsonl_has_the_documented_fields(fixtures_db):
    result = run("claims", "--format", "jsonl", "--db", fixtures_db)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and all(r["checkworthy"] for r in rows)
    assert set(rows[0]) == {"id", "article_id", "index", "text", "start", "end", "score", "checkworthy", "types",
                            "reasons", "entities", "dates", "numbers", "claimant"}
    assert all(set(r["claimant"]) == {"name", "entity_id", "surface", "kind", "reason", "corrected_by"} for r in rows)
    assert {r["claimant"]["kind"] for r in rows} == {"speaker", "source", "article"}
    every = [json.loads(line) for line in run("claims", "--all", "--format", "jsonl", "--db", fixtures_db).stdout.splitlines()]
    assert len(every) > len(rows)
    dated = [d for r in every for d in r["dates"]]
    assert {"surface", "start", "end", "precision", "anchor", "resolved"} == set(dated[0])
    assert any(not d["resolved"] and d["start"] is None for d in dated)


def test_links_jsonl_points_at_statements_of_other_articles(fixtures_db):
    links = [json.loads(line) for line in run("links", "--format", "jsonl", "--db", fixtures_db).stdout.splitlines()]
    statements = {r["id"]: r for r in map(json.loads, run("claims", "--all", "--format", "jsonl", "--db",
                                                           fixtures_db).stdout.splitlines())}
    assert links
    for link in links:
        assert {"claim_id", "statement_id", "score", "relation", "reasons", "status"} <= set(link)
        assert statements[link["claim_id"]]["article_id"] != statements[link["statement_id"]]["article_id"]
        assert link["reasons"] and 0 <= link["score"] <= 1


def test_verdict_then_verdicts(fixtures_db):
    claim = json.loads(run("claims", "--format", "jsonl", "--db", fixtures_db).stdout.splitlines()[0])["id"]
    result = run("verdict", claim, "mostly true", "--note", "[b]x[/b]", "--evidence", "https://example.org/a",
                 "--reviewer", "ana", "--db", fixtures_db)
    assert result.exit_code == 0
    bad = run("verdict", claim, "sort of", "--reviewer", "ana", "--db", fixtures_db)
    assert bad.exit_code == 1 and "not on the default scale" in bad.stderr
    rows = [json.loads(line) for line in run("verdicts", "--format", "jsonl", "--db", fixtures_db).stdout.splitlines()]
    assert rows == [{"claim_id": claim, "reviewer": "ana", "label": "mostly true", "note": "[b]x[/b]",
                     "evidence": ["https://example.org/a"], "time": rows[0]["time"], "final": False}]


@pytest.mark.parametrize("command", [["articles"], ["claims", "--all"], ["links"], ["entities", "list"]])
def test_table_output_never_carries_terminal_controls(fixtures_db, command):
    result = run(*command, "--db", fixtures_db)
    assert result.exit_code == 0
    assert not UNSAFE.search(result.stdout)


def test_hostile_text_is_printed_literally_in_tables(fixtures_db):
    rows = [json.loads(line) for line in run("articles", "--format", "jsonl", "--db", fixtures_db).stdout.splitlines()]
    hostile = next(r for r in rows if r["path"].endswith("x.md") and "hostile" in r["path"])
    result = run("article", hostile["id"], "--db", fixtures_db, env={"COLUMNS": "300"})
    assert result.exit_code == 0
    # had rich parsed it as markup, the tags would be gone (or the command would crash on "[/]")
    assert "[@click=app.quit]x[/]" in result.stdout
    assert "[link=file:///etc/passwd]x[/]" in result.stdout
    assert not UNSAFE.search(result.stdout)


def test_jsonl_output_escapes_controls_but_keeps_the_data(fixtures_db):
    out = run("claims", "--all", "--format", "jsonl", "--db", fixtures_db).stdout
    assert not UNSAFE.search(out)
    texts = [json.loads(line)["text"] for line in out.splitlines()]
    assert any("\u202e" in t or "\x1b" in t or "\x9b" in t for t in texts)  # the data itself is unchanged
