"""Issue 7, case 1: hostile text reaches the CLI's tables and JSONL only as inert, visible characters.

Every command a reviewer or a script would run is driven through click's
CliRunner over a database that holds articles built to attack a terminal:
Rich/Textual markup (``x[/]``, an unterminated ``[/``, ``[@click=app.quit]``,
``[link=file:///etc/passwd]``), OSC 52 and OSC 8 sequences, CSI and the 8-bit
CSI byte, NUL, DEL, bidi overrides and isolates, zero-width characters, a lone
surrogate in JSON and a one-megabyte line, in titles, bodies, authors, file
names, verdict notes and reviewer names.  No output may carry ESC, a C1
control or a bidi control; the hostile characters must show up as visible
stand-ins and the markup as literal text.  (The TUI side is
``tests/test_tui.py::test_hostile_articles_are_shown_literally_on_every_screen``.)
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from workbench.cli import cli

# ESC, C1 controls (incl. the 8-bit CSI 0x9b) and bidi embeddings/overrides/isolates.
UNSAFE = re.compile("[\x1b\x80-\x9f\u202a-\u202e\u2066-\u2069]")
# ...and the raw characters that must never reach a terminal even outside those classes.
INVISIBLE = re.compile("[\x00\x7f\u200b\ufeff\ud800-\udfff]")
EXPORT_INVISIBLE = re.compile("[\x00\x7f\ud800-\udfff]")

MARKUP = ["x[/]", "[/", "[@click=app.quit]x[/]", "[link=file:///etc/passwd]x[/]", "[b]bold?[/b]", "[red]"]
OSC52 = "\x1b]52;c;aGk=\x07"
OSC8 = "\x1b]8;;file:///etc/passwd\x1b\\click me\x1b]8;;\x1b\\"
CSI = "\x1b[31mred\x1b[0m"
C1_CSI = "\x9b31m"
BIDI = "\u202eevil\u202c \u2066iso\u2069"
ZERO_WIDTH = "Tes\u200bla\ufeff"
HOSTILE = " ".join(MARKUP + [OSC52, OSC8, CSI, C1_CSI, BIDI, ZERO_WIDTH, "nul\x00del\x7f"])
# A NUL byte makes a text file binary (refused: tests/test_reliability_inputs.py), so files carry DEL only;
# NUL still arrives through JSON escapes, verdict notes and reviewer names.
HOSTILE_FILE = HOSTILE.replace("\x00", "")
NOTE = "note " + HOSTILE
REVIEWER = "ana[@click=app.quit]x[/]\u202e\x1b[2J\x9b"


def run(*args, env=None):
    result = CliRunner().invoke(cli, [str(a) for a in args], env={"COLUMNS": "250", **(env or {})})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def assert_inert(text: str, *, shown: bool = True) -> None:
    """No terminal controls; and when ``shown`` (tables, JSONL), nothing invisible either.

    Exports (Markdown, CSV) are data for other programs: they keep zero-width
    characters as written, but never ESC, C1, bidi controls, NUL or DEL.
    """
    found = UNSAFE.findall(text) + (INVISIBLE if shown else EXPORT_INVISIBLE).findall(text)
    assert not found, sorted({hex(ord(c)) for c in found})


def _hostile_folder(tmp_path, line_chars: int = 50_000):
    folder = tmp_path / "in"
    folder.mkdir()
    body = ("特斯拉CEO马斯克4月28日抵达北京，特斯拉通过了数据安全检查。"
            f"他说销量达到170万辆。{HOSTILE_FILE}。比亚迪4月销量突破30万辆，同比增长49%。\n")
    # Markdown: a hostile title and author in front matter (quoted YAML: markup and escapes as data).
    title = json.dumps("[@click=app.quit]x[/] 特\u200b斯拉 \u2066北京\u2069 [link=file:///etc/passwd]x[/] [/")
    author = json.dumps("Mallory \u202eredro\u202c [@click=app.quit]")
    (folder / "front.md").write_text(
        f"---\ntitle: {title}\nauthor: {author}\ndate: 2024-04-29\n---\n\n{body}", encoding="utf-8")
    # Plain text: control characters in the raw title line, and in the file name itself.
    name = "t\x1b[31mitle\u202e [b]x[@click=app.quit] \x9b\x7f.txt"  # no "/" in a file name
    (folder / name).write_bytes(
        ("马斯克\x1b]52;c;aGk=\x07访华 x[/] \u202e\u200b\n发布时间:2024-04-30 10:12:05  作者:老周\x1b[2J\n\n"
         + body * 3).encode("utf-8"))
    # JSON: a lone surrogate and NUL/DEL/C1 in the parsed strings (escaped in the file, as a feed would carry them).
    record = {"title": "JSON \ud800 lone [/ \x9b\x00", "author": "bot\x7f\u2066", "published": "2024-05-02",
              "text": "A lone surrogate \ud800 here. Tesla said sales reached 1.7 million cars in 2023. "
                      + HOSTILE.replace("\x00", "")}
    (folder / "feed.json").write_text(json.dumps(record), encoding="ascii")
    # A long line of hostile text (no newline at all); the megabyte is the slow test below.
    (folder / "longline.txt").write_text(long_line(line_chars), encoding="utf-8")
    return folder


def long_line(chars: int) -> str:
    line = ("特斯拉销量达到170万辆 " + HOSTILE_FILE + " ") * (chars // (len(HOSTILE_FILE) + 14) + 1)
    return "A long line\n\n" + line[:chars]


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    folder = _hostile_folder(tmp)
    db = tmp / "h.db"
    result = run("import", folder, "--db", db)
    assert_inert(result.stdout + result.stderr)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "; 0 links" not in result.stdout  # the hostile articles share claims: `links` has rows to show
    claims = [json.loads(line) for line in run("claims", "--all", "--format", "jsonl", "--db", db).stdout.splitlines()]
    assert claims
    for claim in claims[:40]:
        if not claim["checkworthy"]:  # only claims take verdicts: promote the statement first (issue 11)
            promoted = run("promote", claim["id"], "--note", NOTE, "--reviewer", REVIEWER, "--db", db)
            assert promoted.exit_code == 0, promoted.output
            assert_inert(promoted.stdout + promoted.stderr)
        verdict = run("verdict", claim["id"], "true", "--note", NOTE, "--reviewer", REVIEWER,
                      # markup in the URL; an escape sequence in it is refused as evidence (test_evidence.py)
                      "--evidence", "https://x.example/[/][@click=app.quit]", "--db", db)
        assert verdict.exit_code == 0, verdict.output
        assert_inert(verdict.stdout + verdict.stderr)
    return db


def test_import_of_hostile_files_stores_everything_and_prints_nothing_raw(hostile_db):
    rows = [json.loads(line) for line in run("articles", "--format", "jsonl", "--db", hostile_db).stdout.splitlines()]
    assert len(rows) == 4
    titles = " ".join(r["title"] or "" for r in rows)
    # the data is kept as it was written: JSON escapes are lossless
    assert "[@click=app.quit]x[/]" in titles and "\u2066北京\u2069" in titles
    # a lone surrogate cannot be stored or printed as UTF-8: replaced with U+FFFD, with a warning on the article
    feed = next(r for r in rows if r["path"].endswith("feed.json"))
    assert feed["title"].startswith("JSON \ufffd lone [/")
    shown = run("article", feed["id"], "--db", hostile_db).stdout
    assert "lone surrogate" in shown


@pytest.mark.parametrize("args", [
    ["articles"], ["articles", "--format", "jsonl"],
    ["claims", "--all"], ["claims", "--all", "--format", "jsonl"],
    ["links"], ["links", "--format", "jsonl"],
    ["verdicts"], ["verdicts", "--format", "jsonl"],
    ["agreement"], ["audit", "verify"],
], ids=" ".join)
def test_listings_never_carry_terminal_controls(hostile_db, args):
    result = run(*args, "--db", hostile_db)
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout + result.stderr)
    assert result.stdout.strip()


def test_article_view_shows_controls_as_visible_stand_ins_and_markup_literally(hostile_db):
    shown = []
    for article_id in range(1, 5):
        result = run("article", article_id, "--db", hostile_db)
        assert result.exit_code == 0, result.output
        assert_inert(result.stdout + result.stderr)
        removed = run("article", article_id, "--removed", "--db", hostile_db)
        assert removed.exit_code == 0
        assert_inert(removed.stdout + removed.stderr)
        shown.append(result.stdout)
    text = "\n".join(shown)
    for stand_in in ("\u241b", "<U+202E>", "<U+2066>", "<U+200B>", "<U+FEFF>", "<U+009B>", "\u2421", "\u2400"):
        assert stand_in in text, stand_in
    assert "[@click=app.quit]x[/]" in text and "[link=file:///etc/passwd]x[/]" in text


def test_verdict_listing_shows_hostile_note_and_reviewer_literally(hostile_db):
    table = run("verdicts", "--db", hostile_db).stdout
    assert "ana[@click=app.quit]x[/]<U+202E>\u241b[2J<U+009B>" in table
    rows = [json.loads(line) for line in run("verdicts", "--format", "jsonl", "--db", hostile_db).stdout.splitlines()]
    assert {r["note"] for r in rows} == {NOTE} and {r["reviewer"] for r in rows} == {REVIEWER.strip()}


@pytest.mark.parametrize("what", [["report"], ["verdicts", "--format", "jsonl"], ["verdicts", "--format", "csv"],
                                  ["verdicts"], ["audit"], ["audit", "--format", "csv"]], ids=" ".join)
def test_exports_to_stdout_never_carry_terminal_controls(hostile_db, what):
    result = run("export", *what, "--db", hostile_db)
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout + result.stderr, shown=False)
    assert result.stdout.strip()


@pytest.mark.slow
def test_a_megabyte_on_one_line_imports_and_lists_safely(tmp_path):
    """One line of 1,000,000 hostile characters: imported (about 20 s here, linear), listed without controls."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "megaline.txt").write_text(long_line(1_000_000), encoding="utf-8")
    db = tmp_path / "m.db"
    result = run("import", tmp_path / "in", "--db", db)
    assert result.exit_code == 0, result.output
    assert "imported 1" in result.stdout
    for args in (["articles"], ["article", 1], ["claims", "--all", "--format", "jsonl"], ["claims", "--all"]):
        listing = run(*args, "--db", db)
        assert listing.exit_code == 0
        assert_inert(listing.stdout + listing.stderr)
    assert "[@click=app.quit]x[/]" in run("article", 1, "--db", db).stdout


# -- ClaimReview for publication: a javascript: URL and a </script> title (issue 13) ----------------------

def test_claimreview_drops_a_javascript_url_and_cannot_close_the_script_element(fixtures_db, tmp_path):
    from workbench.store import review
    from workbench.store.db import open_db

    db = open_db(fixtures_db)
    claim, article = db.execute("SELECT id, article_id FROM statements WHERE checkworthy ORDER BY id LIMIT 1").fetchone()
    title = "</script><script>alert(1)</script> & <!-- x"
    review.correct_metadata(db, article, {"url": "javascript:alert(1)", "title": title}, "ana")
    review.record_verdict(db, claim, "ana", "false", note="</script><img src=x onerror=alert(2)>",
                          evidence=["https://ok.example/a?b=1&c=<d>"])
    db.conn.close()
    target = tmp_path / "reviews.json"
    result = run("export", "verdicts", "--format", "claimreview", "-o", target, "--db", fixtures_db)
    assert result.exit_code == 0, result.output
    assert "javascript:alert(1)" in result.stderr and "not http(s), left out" in result.stderr
    assert_inert(result.stderr)
    text = target.read_text(encoding="utf-8")
    assert "<" not in text and ">" not in text and "&" not in text  # \u003c, \u003e, \u0026: inert in <script>
    assert "javascript:" not in text
    reviews = json.loads(text)  # the escapes are JSON: the values are unchanged
    mine = next(r for r in reviews if r["creator"]["name"] == "ana")
    appearance = mine["itemReviewed"]["appearance"][0]
    assert appearance["headline"] == title and "url" not in appearance
    assert mine["reviewBody"] == "</script><img src=x onerror=alert(2)>"
    assert mine["citation"] == ["https://ok.example/a?b=1&c=<d>"]
