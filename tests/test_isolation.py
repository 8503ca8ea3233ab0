"""One bad file costs one line: the per-file isolation boundary, the crash cases of issue 14, symlinks and special files.

Every case goes through the real CLI (CliRunner) on a real database, in one
folder with good files around it, so "the batch is never lost" is what is
asserted, not just "this file is refused".
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from workbench.cli import cli
from workbench.ingest import iter_input_files
from workbench.ingest.names import name_bytes, stored_name
from workbench.isolation import read_input
from workbench.prepare import Context
from workbench.model import ParsedArticle, Refusal

GOOD = ["b1_musk_beijing_header.txt", "c1_byd_april_sales.utf8bom.txt"]
BODY = "Tesla said on Monday that it sold 1,000 cars in Beijing. The company expects more next year.\n"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def folder_with(tmp_path: Path, bad: dict[str, bytes]) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in GOOD:
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    return folder


def stored(db: Path) -> list[tuple[str, str | None, str]]:
    conn = sqlite3.connect(db)
    return conn.execute("SELECT path, published, warnings FROM articles ORDER BY id").fetchall()


CRASHES = {
    # YAML front matter with ESC, DEL, a C1 control, U+FFFF in a value (was yaml.reader.ReaderError)
    "esc.md": f"---\ntitle: Tesla \x1b[31m in Beijing\ndate: 2024-05-01\n---\n{BODY}".encode(),
    "del.md": f"---\ntitle: Tesla\x7f in Beijing\n---\n{BODY}".encode(),
    "c1.md": f"---\ntitle: Tesla \x9b in Beijing\n---\n{BODY}".encode(),
    "ffff.md": f"---\ntitle: Tesla \uffff in Beijing\n---\n{BODY}".encode(),
    # a date offset of 24 h or more (was a ValueError from isoformat)
    "offset.md": f"---\ntitle: Offset\ndate: 2024-05-01T10:00:00+25:00\n---\n{BODY}".encode(),
    "offset.json": json.dumps({"title": "Offset", "date": "2024-05-01T10:00:00+25:00", "text": BODY}).encode(),
    "offset.jsonl": (json.dumps({"title": "Offset", "published": "2024-05-01T10:00:00-24:00", "text": BODY}) + "\n").encode(),
    "offset.html": ("<!doctype html><html><head><title>Offset</title>"
                    '<meta property="article:published_time" content="2024-05-01T10:00:00+99:00"></head>'
                    f"<body><p>{BODY}</p></body></html>").encode(),
    # a JSON integer of more than 4,300 digits (was a ValueError from int())
    "bigint.json": ('{"title": "Big", "id": ' + "9" * 5000 + f', "text": {json.dumps(BODY)}}}').encode(),
    "bigint.jsonl": ('{"title": "Big", "views": ' + "1" * 4400 + f', "text": {json.dumps(BODY)}}}\n').encode(),
}


def test_each_crash_case_of_the_issue_imports_with_a_warning_and_the_batch_survives(tmp_path):
    folder = folder_with(tmp_path, CRASHES)
    db = tmp_path / "w.db"
    result = run("import", folder, "--db", db)
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert result.exit_code == 0, result.output
    rows = stored(db)
    assert len(rows) == len(GOOD) + len(CRASHES)
    by_name = {Path(path).name: (published, json.loads(warnings)) for path, published, warnings in rows}
    for name in ("esc.md", "del.md", "c1.md", "ffff.md"):
        assert any("YAML does not allow" in w for w in by_name[name][1]), name
    for name in ("offset.md", "offset.json", "offset.jsonl", "offset.html"):
        published, warnings = by_name[name]
        assert published is None and any("impossible UTC offset" in w for w in warnings), name
    # a re-run does not crash at the same file either: everything is already there
    again = run("import", folder, "--db", db)
    assert again.exit_code == 0 and again.stderr.count("already imported") == len(rows)


def test_a_gbk_file_name_is_stored_escaped_and_round_trips(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    gbk = "特斯拉北京.txt".encode("gbk")
    (Path(os.fsdecode(bytes(folder))) / os.fsdecode(gbk)).write_bytes((FIXTURES / GOOD[0]).read_bytes())
    (Path(os.fsdecode(bytes(folder))) / os.fsdecode("坏.txt".encode("gbk"))).write_bytes(b"")  # refused: empty
    (folder / GOOD[1]).write_bytes((FIXTURES / GOOD[1]).read_bytes())
    db = tmp_path / "w.db"
    result = run("import", folder, "--db", db)
    assert result.exit_code == 1 and "Traceback" not in result.output
    (refusal,) = [line for line in result.stderr.splitlines() if "empty" in line]
    assert "\\xbb\\xb5.txt: empty file" in refusal
    paths = [row[0] for row in stored(db)]
    assert len(paths) == 2
    (escaped,) = [p for p in paths if "\\x" in p]
    assert name_bytes(Path(escaped).name) == gbk
    audit = sqlite3.connect(db).execute("SELECT object_id FROM audit_events WHERE action = 'article.refuse'").fetchall()
    assert audit and audit[0][0].endswith("\\xbb\\xb5.txt")


@given(st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\x00" not in b))
@settings(max_examples=300, deadline=None)
def test_stored_names_round_trip_any_bytes(raw):
    name = stored_name(raw)
    name.encode("utf-8")  # storable and printable
    assert name_bytes(name) == raw
    assert stored_name(os.fsdecode(raw)) == name


def test_a_fifo_named_on_the_command_line_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    db = tmp_path / "w.db"
    result = run("import", fifo, FIXTURES / GOOD[0], "--db", db)
    assert result.exit_code == 1
    assert "pipe.txt: a FIFO (named pipe), not a regular file: not read" in result.stderr
    assert len(stored(db)) == 1


def test_fifos_and_sockets_in_a_folder_are_refused_with_a_line(tmp_path):
    folder = folder_with(tmp_path, {})
    os.mkfifo(folder / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.txt"))
    try:
        result = run("import", folder, "--db", tmp_path / "w.db")
    finally:
        sock.close()
    assert result.exit_code == 1
    assert "pipe.txt: a FIFO (named pipe), not a regular file: not read" in result.stderr
    assert any("sock.txt: " in line and "not read" in line for line in result.stderr.splitlines())
    assert len(stored(tmp_path / "w.db")) == len(GOOD)


def test_a_symlink_leaving_the_folder_is_not_followed_unless_asked(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("The password of the newsroom server is hunter2, said the admin on Monday.\n")
    folder = folder_with(tmp_path, {})
    (folder / "x.txt").symlink_to(secret)
    (folder / "inside.txt").symlink_to(folder / GOOD[0])  # inside the folder: the same file, once
    db = tmp_path / "w.db"
    result = run("import", folder, "--db", db)
    assert result.exit_code == 1
    (line,) = [line for line in result.stderr.splitlines() if "x.txt" in line]
    assert "outside the folder being imported: not followed (--follow-symlinks" in line
    texts = [r[0] for r in sqlite3.connect(db).execute("SELECT clean_text FROM articles")]
    assert len(texts) == len(GOOD) and not any("hunter2" in t for t in texts)
    followed = run("import", folder, "--db", tmp_path / "f.db", "--follow-symlinks")
    assert followed.exit_code == 0, followed.output
    texts = [r[0] for r in sqlite3.connect(tmp_path / "f.db").execute("SELECT clean_text FROM articles")]
    assert any("hunter2" in t for t in texts)


def test_symlink_loops_and_broken_links_are_refused_even_when_following(tmp_path):
    folder = folder_with(tmp_path, {})
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to(folder)  # a folder containing itself
    (folder / "self.txt").symlink_to(folder / "self.txt")
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    for extra in ([], ["--follow-symlinks"]):
        result = run("import", folder, "--db", tmp_path / f"w{len(extra)}.db", *extra)
        assert result.exit_code == 1
        lines = result.stderr.splitlines()
        assert any("up: a symlink loop" in line for line in lines), lines
        assert any("self.txt: a symlink that leads nowhere or loops" in line for line in lines)
        assert any("gone.txt: a symlink that leads nowhere or loops" in line for line in lines)
        assert len(stored(tmp_path / f"w{len(extra)}.db")) == len(GOOD)


def test_iter_input_files_yields_the_refused_entries_in_order(tmp_path):
    folder = folder_with(tmp_path, {})
    (folder / "a_link.txt").symlink_to("/etc/hostname")
    entries = list(iter_input_files([folder]))
    assert [e.name for e in entries] == ["a_link.txt", *sorted(GOOD)]
    assert entries[0].refusal and all(e.refusal is None for e in entries[1:])


# -- the boundary itself ------------------------------------------------------------------

CONTEXT = Context(version=("test", 0), aliases=(), topics=frozenset(), organisations=frozenset(), threshold=0.5)


def test_prepare_file_turns_any_exception_into_a_named_refusal(monkeypatch):
    import workbench.prepare as prepare

    def broken(name, data):
        raise KeyError("a bug in a parser")

    monkeypatch.setattr(prepare, "read_document", broken)
    (refused,) = prepare.prepare_file(CONTEXT, "ok.txt", BODY.encode()).items
    assert refused.reason == "internal error while importing: KeyError: 'a bug in a parser'"


def test_prepare_article_turns_any_exception_into_a_named_refusal(monkeypatch):
    import workbench.prepare as prepare

    def exploding(*args, **kwargs):
        raise ZeroDivisionError("in the analysis \udcb9")  # a message that cannot be encoded, too

    monkeypatch.setattr(prepare, "analyse", exploding)
    article = ParsedArticle(path="a.txt", format="text", encoding="utf-8", raw=BODY.encode(), clean_text=BODY.strip())
    done = prepare.prepare_article(CONTEXT, article)
    assert done.reason == "internal error while importing: ZeroDivisionError: in the analysis \\udcb9"
    done.reason.encode("utf-8")


def test_a_bug_in_one_file_costs_one_line_and_the_batch_is_stored(tmp_path, monkeypatch):
    """The pipeline's boundary: a parser that raises on one file, through the CLI."""
    import workbench.prepare as prepare

    real = prepare.read_document

    def sometimes_broken(name, data):
        if name.endswith("boom.txt"):
            raise UnicodeEncodeError("utf-8", "\udcb9", 0, 1, "surrogates not allowed")
        return real(name, data)

    monkeypatch.setattr(prepare, "read_document", sometimes_broken)
    folder = folder_with(tmp_path, {"boom.txt": BODY.encode()})
    result = run("import", folder, "--db", tmp_path / "w.db", "--jobs", "1")
    assert result.exit_code == 1
    (line,) = [line for line in result.stderr.splitlines() if "boom.txt" in line]
    assert "internal error while importing: UnicodeEncodeError" in line
    assert len(stored(tmp_path / "w.db")) == len(GOOD)


@pytest.mark.parametrize("size", [1, 5])
def test_a_file_over_max_bytes_is_refused_by_fstat(tmp_path, size):
    path = tmp_path / "big.txt"
    path.write_text(BODY * size)
    if size == 5:
        with pytest.raises(Refusal, match="larger than"):
            read_input(path, len(BODY) * 2)
    else:
        assert read_input(path, len(BODY) * 2) == path.read_bytes()
