"""The CLI's doors: --db and --reviewer where people put them, every listing in every format,
tables that fit the terminal (and untruncated ones in a pipe), missing ids as errors."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from conftest import ROOT
from workbench.cli import cli
from workbench.safe_text import one_line

UNSAFE = re.compile("[\x1b\x80-\x9f\u202a-\u202e\u2066-\u2069]")

LISTINGS = [["articles"], ["claims"], ["claims", "--all"], ["links"], ["verdicts"], ["agreement"],
            ["settings", "show"], ["entities", "list"], ["audit", "verify"], ["stories"]]


def run(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)


def records(db, *command):
    result = run(*command, "--format", "jsonl", "--db", db)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture
def reviewed_db(fixtures_db):
    """The fixtures with verdicts from two reviewers (so agreement and verdicts have rows), one note a formula."""
    claims = [r["id"] for r in records(fixtures_db, "claims")[:3]]
    for reviewer, labels in (("ana", ["true", "false", "true"]), ("bob", ["true", "true", "true"])):
        for claim, label in zip(claims, labels):
            note = "=HYPERLINK(\"http://evil.example\")" if reviewer == "ana" else "checked"
            result = run("--reviewer", reviewer, "verdict", claim, label, "--note", note, "--db", fixtures_db)
            assert result.exit_code == 0, result.output
    return fixtures_db


# -- --db and --reviewer ----------------------------------------------------------------------

def test_db_is_accepted_before_and_after_the_subcommand(fixtures_db):
    before = run("--db", fixtures_db, "articles", "--format", "json")
    after = run("articles", "--format", "json", "--db", fixtures_db)
    assert before.exit_code == after.exit_code == 0
    assert json.loads(before.stdout) == json.loads(after.stdout) and len(json.loads(before.stdout)) > 10
    nested = run("--db", fixtures_db, "entities", "list", "--format", "json")
    assert nested.exit_code == 0 and json.loads(nested.stdout)


def test_two_different_dbs_is_a_usage_error(fixtures_db, tmp_path):
    result = run("--db", fixtures_db, "articles", "--db", tmp_path / "other.db")
    assert result.exit_code == 2 and "--db given twice" in result.stderr
    assert not (tmp_path / "other.db").exists()


def test_reviewer_is_accepted_before_the_subcommand(fixtures_db):
    claim = records(fixtures_db, "claims")[0]["id"]
    assert run("--reviewer", "carla", "--db", fixtures_db, "verdict", claim, "true").exit_code == 0
    assert run("verdict", claim, "false", "--reviewer", "dan", "--db", fixtures_db).exit_code == 0
    assert {(v["reviewer"], v["label"]) for v in records(fixtures_db, "verdicts")} == {("carla", "true"),
                                                                                        ("dan", "false")}


# -- formats ----------------------------------------------------------------------------------

@pytest.mark.parametrize("command", LISTINGS, ids=" ".join)
def test_every_listing_parses_in_every_format(reviewed_db, command):
    lines = run(*command, "--format", "jsonl", "--db", reviewed_db)
    as_json = run(*command, "--format", "json", "--db", reviewed_db)
    as_csv = run(*command, "--format", "csv", "--db", reviewed_db)
    assert lines.exit_code == as_json.exit_code == as_csv.exit_code == 0
    from_lines = [json.loads(line) for line in lines.stdout.splitlines()]
    array = json.loads(as_json.stdout)
    assert isinstance(array, list) and array == from_lines and array
    table = list(csv.reader(io.StringIO(as_csv.stdout)))
    header, rows = table[0], table[1:]
    if command == ["stories"]:  # csv: one row per article of a story
        assert len(rows) == sum(len(story["articles"]) for story in array)
    else:
        assert len(rows) == len(array) and set(header) >= set().union(*array)
    assert all(len(row) == len(header) for row in rows)
    for line in (lines.stdout, as_json.stdout, as_csv.stdout):
        assert not UNSAFE.search(line)


def test_csv_cells_are_formula_safe(reviewed_db):
    rows = list(csv.DictReader(io.StringIO(run("verdicts", "--format", "csv", "--db", reviewed_db).stdout)))
    formulas = [r["note"] for r in rows if "HYPERLINK" in r["note"]]
    assert formulas and all(note.startswith("'=") for note in formulas)
    assert json.loads(rows[0]["evidence"]) == []  # lists are JSON text in a cell


def test_agreement_rows_say_their_kind(reviewed_db):
    rows = records(reviewed_db, "agreement")
    pair = next(r for r in rows if r["kind"] == "pair")
    assert pair["reviewers"] == ["ana", "bob"] and pair["claims"] == 3 and pair["agree"] == 2
    assert {(r["reviewer"], r["label"], r["count"]) for r in rows if r["kind"] == "label"} == {
        ("ana", "true", 2), ("ana", "false", 1), ("bob", "true", 3)}


def test_audit_verify_as_one_json_record(reviewed_db):
    [record] = json.loads(run("audit", "verify", "--format", "json", "--db", reviewed_db).stdout)
    assert record["ok"] is True and record["count"] > 0 and record["first_bad_seq"] is None


# -- tables -----------------------------------------------------------------------------------

def _row_heights(output: str) -> list[int]:
    """Lines per row of a table whose first column is a right-aligned id (continuations leave it blank)."""
    body = output.splitlines()[2:]
    heights: list[int] = []
    for line in body:
        if re.match(r" {0,5}\d+ ", line):
            heights.append(1)
        elif heights:
            heights[-1] += 1
    return heights


@pytest.mark.parametrize("command", [["articles"], ["claims"], ["claims", "--all"], ["links"], ["verdicts"]],
                         ids=" ".join)
def test_tables_fit_80_columns_in_at_most_three_lines_a_row(reviewed_db, command):
    fixtures_db = reviewed_db
    result = run(*command, "--format", "table", "--db", fixtures_db, env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    heights = _row_heights(result.stdout)
    assert len(heights) == len(records(fixtures_db, *command))
    assert max(heights) <= 3
    if command != ["verdicts"]:
        assert "…" in result.stdout  # long cells are cut, not wrapped without end
    assert not re.search(r"/\S+/", result.stdout.splitlines()[2])  # paths would show as file names
    assert not UNSAFE.search(result.stdout)


def test_narrow_terminals_drop_columns_by_priority(fixtures_db):
    wide = run("articles", "--format", "table", "--db", fixtures_db, env={"COLUMNS": "200"}).stdout.splitlines()[0]
    narrow = run("articles", "--format", "table", "--db", fixtures_db, env={"COLUMNS": "80"}).stdout.splitlines()[0]
    assert {"id", "path", "title", "published", "claims"} <= set(wide.split())
    assert {"id", "title", "claims"} <= set(narrow.split()) and "path" not in narrow and "url" not in narrow


def test_piped_and_wide_tables_are_untruncated(fixtures_db):
    articles = records(fixtures_db, "articles")
    for args in ([], ["--format", "table", "--wide"]):
        result = run("articles", *args, "--db", fixtures_db, env={"COLUMNS": "80"})
        assert result.exit_code == 0
        for article in articles:
            assert article["path"] in result.stdout
            assert one_line(article["title"]) in result.stdout
        assert max(cell_len(line) for line in result.stdout.splitlines()) > 80
    claims = records(fixtures_db, "claims")
    out = run("claims", "--db", fixtures_db, env={"COLUMNS": "80"}).stdout
    assert len(out.splitlines()) == len(claims) + 2  # one line a row: grep finds every claim
    assert all(one_line(c["text"]) in out for c in claims)  # shown literally, controls as visible stand-ins


def test_a_real_terminal_gets_a_fitted_table(fixtures_db):
    """Through a pseudo-terminal, with no --format: the table fits the terminal's 80 columns."""
    primary, secondary = pty.openpty()
    env = {**os.environ, "COLUMNS": "80", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "workbench", "articles", "--db", str(fixtures_db)],
                               stdout=secondary, stderr=subprocess.PIPE, env=env)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    assert process.wait() == 0, process.stderr.read()
    out = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode("utf-8"))
    lines = out.replace("\r\n", "\n").splitlines()
    assert lines and max(cell_len(line) for line in lines) <= 80
    assert max(_row_heights("\n".join(lines))) <= 3


# -- errors -----------------------------------------------------------------------------------

@pytest.mark.parametrize("command, message", [
    (["claims", "--article", "9999"], "no article 9999"),
    (["links", "--claim", "999999"], "no statement 999999"),
    (["article", "999"], "no article 999"),
])
def test_a_filter_on_a_missing_id_is_an_error(fixtures_db, command, message):
    result = run(*command, "--db", fixtures_db)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {message}" and result.stdout == ""


def test_a_filter_that_matches_nothing_is_an_empty_listing(fixtures_db):
    linked = {r["claim_id"] for r in records(fixtures_db, "links")}
    unlinked = next(r["id"] for r in records(fixtures_db, "claims", "--all") if r["id"] not in linked)
    result = run("links", "--claim", unlinked, "--format", "json", "--db", fixtures_db)
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    empty_csv = run("links", "--claim", unlinked, "--format", "csv", "--db", fixtures_db)
    assert list(csv.reader(io.StringIO(empty_csv.stdout)))[0][:2] == ["claim_id", "statement_id"]


def test_usage_errors_exit_2(fixtures_db):
    assert run("articles", "--format", "xml", "--db", fixtures_db).exit_code == 2
    assert run("claims", "--article", "x", "--db", fixtures_db).exit_code == 2


# -- demo -------------------------------------------------------------------------------------

def test_demo_says_its_database_is_gone_or_kept(tmp_path):
    throwaway = run("demo", "--no-ui")
    assert throwaway.exit_code == 0
    where = re.search(r"demo database: (\S+) \(", throwaway.stderr).group(1)
    last = throwaway.stderr.strip().splitlines()[-1]
    assert last.startswith(f"the demo database {where} is deleted") and "--keep" in last
    assert not os.path.exists(where)
    kept = tmp_path / "demo.db"
    result = run("demo", "--no-ui", "--keep", kept)
    assert result.exit_code == 0 and kept.is_file()
    assert result.stderr.strip().splitlines()[-1] == f"kept the demo database at {kept}: workbench review --db {kept}"
    assert records(kept, "articles")
    again = run("demo", "--no-ui", "--keep", kept)
    assert again.exit_code == 1 and "exists" in again.stderr
