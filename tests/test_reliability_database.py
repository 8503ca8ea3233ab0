"""Databases that are what they claim, settings through one registry, bad CLI input: one line, exit 1.

Real SQLite files and the real CLI (CliRunner in-process, a subprocess where a
second process must hold a lock).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, ROOT
from workbench.cli import cli
from workbench.store import settings
from workbench.store.db import APPLICATION_ID, DatabaseFull, open_db, schema_version, transaction


def run(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)


def one_line_error(result, code: int = 1) -> str:
    assert result.exit_code == code, (result.exit_code, result.output)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def snapshot(path):
    return path.read_bytes() if path.exists() else None


# -- the stamp ------------------------------------------------------------------------

def test_a_new_database_is_stamped_with_our_application_id_and_schema_version(tmp_path):
    open_db(tmp_path / "w.db").close()
    conn = sqlite3.connect(tmp_path / "w.db")
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version() >= 1


def test_an_unstamped_database_of_an_earlier_workbench_is_stamped_when_opened(tmp_path):
    path = tmp_path / "old.db"
    open_db(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 0")
    conn.execute("PRAGMA user_version = 0")
    conn.close()
    open_db(path).close()
    assert sqlite3.connect(path).execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


@pytest.mark.parametrize("command", [["audit", "verify"], ["articles"], ["import", FIXTURES / "c1_byd_april_sales.utf8bom.txt"],
                                     ["settings", "set", "publisher", "X"]])
def test_another_applications_sqlite_file_is_refused_and_left_alone(tmp_path, command):
    path = tmp_path / "theirs.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO photos (name) VALUES ('cat.jpg')")
    conn.commit()
    conn.close()
    before = snapshot(path)
    line = one_line_error(run(*command, "--db", path))
    assert "another application" in line
    assert snapshot(path) == before
    tables = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"photos"}


def test_a_file_stamped_by_another_application_is_refused_even_when_empty(tmp_path):
    path = tmp_path / "stamped.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.close()
    line = one_line_error(run("import", FIXTURES / "c1_byd_april_sales.utf8bom.txt", "--db", path))
    assert "another application" in line and "0x000004d2" in line


def test_a_newer_schema_is_refused_and_nothing_changes(tmp_path):
    path = tmp_path / "w.db"
    open_db(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('workbench', 'm999_future', 'x')")
    conn.execute(f"PRAGMA user_version = {schema_version() + 1}")
    conn.commit()
    conn.close()
    before = snapshot(path)
    for command in (["import", FIXTURES / "c1_byd_april_sales.utf8bom.txt"], ["articles"]):
        line = one_line_error(run(*command, "--db", path))
        assert "newer schema" in line
    assert snapshot(path) == before


def test_a_read_only_command_on_a_mistyped_path_creates_nothing(tmp_path):
    path = tmp_path / "typo.db"
    for command in (["articles"], ["claims"], ["links"], ["verdicts"], ["agreement"], ["settings", "show"],
                    ["audit", "verify"], ["export", "audit"], ["entities", "list"], ["article", "1"]):
        # audit verify's documented exit status for "nothing could be verified" is 2
        line = one_line_error(run(*command, "--db", path), 2 if command == ["audit", "verify"] else 1)
        assert "no workbench database" in line, line
        assert not path.exists() and not list(tmp_path.iterdir())


def _older_database(path):
    """A database as the workbench before the last migration left it (unstamped, as before the stamp)."""
    import sqlite_utils

    from workbench.store.schema import migrations

    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before=migrations._migrations[-1].name)
    db.close()


def test_a_read_only_command_never_migrates_an_older_schema(tmp_path):
    path = tmp_path / "w.db"
    _older_database(path)
    before = snapshot(path)
    line = one_line_error(run("articles", "--db", path))
    assert "older schema" in line and "workbench upgrade" in line
    assert snapshot(path) == before


def test_upgrade_migrates_an_older_database_and_stamps_it(tmp_path):
    path = tmp_path / "w.db"
    _older_database(path)
    result = run("upgrade", "--db", path)
    assert result.exit_code == 0 and f"schema version {schema_version()}" in result.stdout
    assert run("articles", "--db", path).exit_code == 0
    assert sqlite3.connect(path).execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert "no workbench database" in one_line_error(run("upgrade", "--db", tmp_path / "none.db"))


def test_read_only_commands_do_not_write(fixtures_db):
    before = snapshot(fixtures_db)
    for command in (["articles"], ["claims"], ["settings", "show"], ["audit", "verify"]):
        assert run(*command, "--db", fixtures_db).exit_code == 0
    assert snapshot(fixtures_db) == before


@pytest.mark.parametrize("kind", ["text", "directory", "fifo"])
def test_what_is_not_a_database_file_is_a_one_line_error(tmp_path, kind):
    path = tmp_path / "thing.db"
    if kind == "text":
        path.write_text("name,value\nthis is a CSV file, not SQLite\n")
    elif kind == "directory":
        path.mkdir()
    else:
        os.mkfifo(path)
    for command in (["articles"], ["import", FIXTURES / "c1_byd_april_sales.utf8bom.txt"]):
        line = one_line_error(run(*command, "--db", path))
        assert {"text": "not a SQLite database", "directory": "is a directory",
                "fifo": "not a regular file"}[kind] in line
    if kind == "text":
        assert path.read_text().startswith("name,value")


# -- the lock ---------------------------------------------------------------------------

def test_waiting_for_a_lock_is_announced_and_bounded_by_wait(tmp_path):
    path = tmp_path / "w.db"
    open_db(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process is writing
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-m", "workbench", "settings", "set", "publisher", "Desk", "--db", str(path),
             "--wait", "2"], capture_output=True, text=True, env=env, timeout=120)
    finally:
        holder.rollback()
        holder.close()
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[0] == "waiting for the database: another process is writing"
    assert len(lines) == 2 and "gave up after 2 s" in lines[1] and "Traceback" not in done.stderr
    assert run("settings", "show", "--db", path).stdout.count("Desk") == 0


# -- the full disk ------------------------------------------------------------------------

def test_a_full_disk_rolls_back_and_is_one_error(tmp_path):
    """SQLITE_FULL for real: the database may not grow past its current pages (as on a full disk)."""
    path = tmp_path / "w.db"
    db = open_db(path)
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")
    articles = db.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0]
    with pytest.raises(DatabaseFull) as caught:
        with transaction(db):
            for i in range(2000):
                settings.set_setting(db, f"filler{i}", "x" * 2000, actor="t")
    assert "disk is full" in str(caught.value) and "\n" not in str(caught.value)
    db.execute(f"PRAGMA max_page_count = {pages * 1000}")
    assert db.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0] == articles
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


def test_a_full_disk_during_import_is_a_one_line_error(tmp_path, monkeypatch):
    import workbench.cli.common as common

    path = tmp_path / "w.db"
    open_db(path).close()
    real_open = common.open_db

    def open_small(*args, **kwargs):
        db = real_open(*args, **kwargs)
        db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0]}")
        return db

    monkeypatch.setattr(common, "open_db", open_small)
    line = one_line_error(run("import", FIXTURES, "--db", path))
    assert "disk is full" in line
    monkeypatch.undo()
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0


# -- settings ---------------------------------------------------------------------------------

def test_settings_show_lists_every_registered_key_with_its_help(tmp_path):
    open_db(tmp_path / "w.db").close()
    result = run("settings", "show", "--db", tmp_path / "w.db", env={"COLUMNS": "400"})
    assert result.exit_code == 0
    for setting in settings.all_settings():
        assert setting.key in result.stdout and setting.help in result.stdout
    assert {"scale", "claim_threshold", "link_config", "publisher"} <= {s.key for s in settings.all_settings()}


@pytest.mark.parametrize("key, value, why", [
    ("link_config", '{"top_k": "5"}', "top_k must be int"),
    ("link_config", '{"topk": 5}', "unknown key 'topk'"),
    ("link_config", '[5]', "JSON object"),
    ("claim_threshold", "1.5", "from 0 to 1"),
    ("claim_threshold", "high", "expected a number"),
    ("scale", "nonsense", "unknown scale"),
    ("publisher", "  ", "non-blank"),
    ("link_confg", "{}", "unknown setting 'link_confg'"),
])
def test_settings_set_refuses_unknown_keys_and_bad_values(tmp_path, key, value, why):
    path = tmp_path / "w.db"
    open_db(path).close()
    before_events = sqlite3.connect(path).execute("SELECT COUNT(*) FROM audit_events").fetchone()[0]
    line = one_line_error(run("settings", "set", key, value, "--db", path))
    assert why in line
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT COUNT(*) FROM settings WHERE key = ?", [key]).fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0] == before_events


def test_a_valid_link_config_is_stored_and_used_by_the_next_import(tmp_path):
    path = tmp_path / "w.db"
    result = run("settings", "set", "link_config", '{"top_k": 2, "min_score": 1}', "--db", path)
    assert result.exit_code == 0 and '"min_score": 1.0' in result.stdout
    imported = run("import", FIXTURES, "--db", path)
    assert imported.exit_code in (0, 1) and "Traceback" not in imported.output
    from workbench.pipeline import link_config

    assert link_config(open_db(path)).top_k == 2


def test_registering_a_key_makes_it_settable(tmp_path):
    settings.register("test_only_colour", settings.text_setting, "blue", "a colour, for this test")
    try:
        path = tmp_path / "w.db"
        assert run("settings", "set", "test_only_colour", "green", "--db", path).exit_code == 0
        assert settings.get(open_db(path), "test_only_colour") == "green"
        assert "a colour, for this test" in run("settings", "show", "--db", path).stdout
    finally:
        settings._REGISTRY.pop("test_only_colour")


# -- bad CLI input ---------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [
    ["article", "99999999999999999999999"],
    ["claims", "--article", "9223372036854775808"],
    ["links", "--claim", "18446744073709551616"],
    ["verdict", "9223372036854775808", "true"],
])
def test_ids_beyond_sqlites_integer_range_are_one_line_errors(fixtures_db, command):
    line = one_line_error(run(*command, "--db", fixtures_db))
    assert "id" in line


def test_an_id_that_is_not_a_number_is_a_usage_error(fixtures_db):
    assert run("article", "abc", "--db", fixtures_db).exit_code == 2


def test_blank_reviewer_and_empty_label_are_one_line_errors(fixtures_db):
    claim = sqlite3.connect(fixtures_db).execute("SELECT id FROM statements WHERE checkworthy = 1 LIMIT 1").fetchone()[0]
    before = snapshot(fixtures_db)
    assert "reviewer name is blank" in one_line_error(run("verdict", claim, "true", "--reviewer", "  ", "--db", fixtures_db))
    assert "label is blank" in one_line_error(run("verdict", claim, " ", "--reviewer", "ana", "--db", fixtures_db))
    assert snapshot(fixtures_db) == before
