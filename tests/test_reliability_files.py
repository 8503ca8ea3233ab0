"""Issue 7, cases 5 and 6: what the workbench writes to disk, and where it keeps its database.

Exports: CSV cells that a spreadsheet would run as formulas are neutralised;
output names that climb out of the folder (``..``) or hide a NUL are refused,
absolute names are the user's own choice (the rule in
:mod:`workbench.export.output`); nothing is replaced without ``--force``.

Database location: a file in a sync folder or on a network filesystem (where
SQLite's WAL is unsafe) gets a warning, printed once on stderr by the CLI.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import subprocess

import pytest
from click.testing import CliRunner

from workbench.cli import cli
from workbench.export.output import OutputRefused, check_output_path
from workbench.store import db as store_db
from workbench.store.db import filesystem_warning, open_db
from workbench.store.review import record_verdict

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\x00")
NUMBER = re.compile(r"-?\d+(\.\d+)?")
HOSTILE_CELLS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A9)", "\tTAB=1", "\r=1",
                 "\x00=1", " =1", "=cmd|' /C calc'!A0"]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def hostile_verdicts(fixtures_db):
    db = open_db(fixtures_db)
    claims = [row[0] for row in db.execute("SELECT id FROM statements WHERE checkworthy = 1 ORDER BY id LIMIT 9")]
    for claim_id, cell in zip(claims, HOSTILE_CELLS):
        record_verdict(db, claim_id, cell.strip("\x00\r\t ") or "r", "true", note=cell)
    record_verdict(db, claims[0], "=reviewer", "false", note="-minus")
    db.close()
    # Evidence that is not a URL is refused now (tests/test_evidence.py); a database written before that
    # rule, or by hand, may still hold it, and the CSV must stay safe: put it in the way such a file would.
    conn = sqlite3.connect(str(fixtures_db))
    for claim_id, cell in zip(claims, HOSTILE_CELLS):
        conn.execute("UPDATE verdicts SET evidence = ? WHERE claim_id = ?", [json.dumps([cell]), claim_id])
    conn.execute("UPDATE verdicts SET evidence = ? WHERE reviewer = '=reviewer'", [json.dumps(["@at"])])
    conn.commit()
    conn.close()
    return fixtures_db


@pytest.mark.parametrize("what", [["verdicts", "--format", "csv"], ["audit", "--format", "csv"]], ids=" ".join)
def test_csv_cells_never_start_a_formula(hostile_verdicts, tmp_path, what):
    out = tmp_path / "out.csv"
    result = run("export", *what, "-o", out, "--db", hostile_verdicts)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "\x00" not in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    cells = [cell for row in rows[1:] for cell in row]
    dangerous = [c for c in cells if c.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(c)]
    assert dangerous == []
    quoted = [c for c in cells if c.startswith("'")]
    for hostile in ("=HYPERLINK", "+1+1", "-2+3", "@SUM", "=cmd|"):
        assert any(c.startswith("'" + hostile) for c in quoted), hostile


def test_output_names_that_climb_out_or_hide_a_nul_are_refused(fixtures_db, tmp_path, monkeypatch):
    inside = tmp_path / "exports"
    inside.mkdir()
    monkeypatch.chdir(inside)
    for name in ("../escaped.jsonl", "sub/../../escaped.jsonl", "./../escaped.jsonl"):
        result = run("export", "verdicts", "--format", "jsonl", "-o", name, "--db", fixtures_db)
        assert result.exit_code == 1 and "'..' component" in result.output, (name, result.output)
    # A NUL cannot reach the CLI (argv strings end at NUL; the OS refuses it before exec);
    # the export core, which the TUI calls with names typed in a form, refuses it itself.
    with pytest.raises(OutputRefused, match="NUL"):
        check_output_path(str(inside / "escaped\x00.jsonl"))
    with pytest.raises(ValueError, match="null byte"):
        subprocess.run(["workbench", "export", "verdicts", "-o", "x\x00y"], check=False)
    assert not any("escaped" in name for name in os.listdir(tmp_path)) and os.listdir(inside) == []
    # an absolute name is the user's own choice: written exactly there
    absolute = tmp_path / "exports" / "abs.jsonl"
    assert run("export", "verdicts", "--format", "jsonl", "-o", absolute, "--db", fixtures_db).exit_code == 0
    assert absolute.is_file()


def test_nothing_is_overwritten_without_force(fixtures_db, tmp_path):
    target = tmp_path / "report.md"
    target.write_text("keep me", encoding="utf-8")
    refused = run("export", "report", "-o", target, "--db", fixtures_db)
    assert refused.exit_code != 0 and "--force" in refused.output
    assert target.read_text(encoding="utf-8") == "keep me"
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "elsewhere.md")
    assert run("export", "report", "-o", link, "--force", "--db", fixtures_db).exit_code != 0
    assert not (tmp_path / "elsewhere.md").exists()
    forced = run("export", "report", "-o", target, "--force", "--db", fixtures_db)
    assert forced.exit_code == 0, forced.output
    assert target.read_text(encoding="utf-8").startswith("# ")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []  # no temporary left behind


# -- case 6: a database where WAL is unsafe -----------------------------------------------------------


def test_a_sync_folder_gets_a_warning(tmp_path):
    assert filesystem_warning(tmp_path / "w.db") is None
    for folder in ("Dropbox", "Dropbox (Personal)", "OneDrive", "Google Drive"):
        warning = filesystem_warning(tmp_path / folder / "cases" / "w.db")
        assert warning and "sync folder" in warning and "local disk" in warning, folder
    assert filesystem_warning(tmp_path / "NotDropboxReally" / "w.db") is None


def _fake_mounts(monkeypatch, text: str) -> None:
    real_open = open

    def fake_open(path, *args, **kwargs):
        if str(path) == "/proc/mounts":
            return io.StringIO(text)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(store_db, "open", fake_open, raising=False)  # the module's name for the builtin


def test_a_network_filesystem_from_proc_mounts_gets_a_warning(tmp_path, monkeypatch):
    share = tmp_path / "my share"
    _fake_mounts(monkeypatch, "/dev/sda1 / ext4 rw 0 0\n"
                              f"server:/export {str(share).replace(' ', chr(92) + '040')} nfs4 rw 0 0\n")
    warning = filesystem_warning(share / "cases" / "w.db")
    assert warning and "nfs4 network filesystem" in warning
    assert filesystem_warning(tmp_path / "w.db") is None  # the longest mount prefix decides: here ext4
    _fake_mounts(monkeypatch, "/dev/sda1 / ext4 rw 0 0\n")
    assert filesystem_warning(share / "w.db") is None


@pytest.mark.parametrize("args", [["articles"], ["verdicts", "--format", "jsonl"], ["audit", "verify"],
                                  ["export", "report"]], ids=" ".join)
def test_the_cli_prints_the_warning_once_on_stderr(fixtures_db, tmp_path, monkeypatch, args):
    share = tmp_path / "nfs"
    share.mkdir()
    db = share / "w.db"
    db.write_bytes(fixtures_db.read_bytes())
    _fake_mounts(monkeypatch, f"/dev/sda1 / ext4 rw 0 0\nserver:/x {share} nfs rw 0 0\n")
    result = run(*args, "--db", db)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("warning:") == 1 and "network filesystem" in result.stderr
    assert "warning" not in result.stdout


def test_import_into_a_sync_folder_warns_once(tmp_path):
    from conftest import FIXTURES

    db = tmp_path / "Dropbox" / "w.db"
    db.parent.mkdir()
    result = run("import", FIXTURES / "b1_musk_beijing_header.txt", "--db", db)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("warning:") == 1 and "sync folder (Dropbox)" in result.stderr
