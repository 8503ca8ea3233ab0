"""Exports: safe output files, CSV/Markdown/JSON text safety, ClaimReview, verdict selection, the report, scales."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from workbench.audit import verify_jsonl
from workbench.cli.export import export
from workbench.export.publishing import parse_publisher
from workbench.export import export_report, export_verdicts
from workbench.export.output import OutputRefused, check_output_path, open_output
from workbench.export.text import csv_cell, md_code, md_text
from workbench.export.verdicts import claimreview
from workbench.scales import (
    AVERITEC_SCALE,
    DEFAULT_SCALE,
    POLITIFACT_SCALE,
    PRESETS,
    TFC_SCALE,
    Scale,
    get_scale,
    scale_from_json,
)
from workbench.store.audit import append_event
from workbench.store.db import open_db, transaction
from workbench.store.exports import iter_exported_verdicts

HOSTILE_TITLE = "# Breaking <script>alert(1)</script> [click](javascript:alert(1)) ![x](http://e/x.png)\n## Owned"
HOSTILE_CLAIM = "=HYPERLINK(\"http://evil\") *bold* `code` <b>html</b> &amp; www.evil.example https://evil.example \x1b]8;;x\x07"


def _article(db, n: int, **fields) -> int:
    row = {
        "path": f"fixtures/a{n}.txt", "sha256": f"{n:064x}", "format": "text", "encoding": "utf-8",
        "size_bytes": 10, "clean_text": "text", "imported_at": "2026-11-01T00:00:00Z", "imported_by": "test",
        "title": f"Article {n}", "published": "2026-10-0%d" % n, "site": None, "author": None, "url": None,
    }
    row.update(fields)
    names = ", ".join(row)
    cursor = db.execute(f"INSERT INTO articles ({names}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
    return cursor.lastrowid


def _statement(db, article_id: int, position: int, text: str, checkworthy: int = 1) -> int:
    return db.execute(
        "INSERT INTO statements (article_id, position, paragraph, span_start, span_end, text, score, checkworthy)"
        " VALUES (?, ?, 0, ?, ?, ?, 0.8, ?)",
        [article_id, position, position * 100, position * 100 + len(text), text, checkworthy],
    ).lastrowid


def _verdict(db, claim_id, reviewer, label, *, final=0, note="", evidence=(), time="2026-11-20T10:00:00Z") -> int:
    vid = db.execute(
        "INSERT INTO verdicts (claim_id, reviewer, label, note, evidence, time, final) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [claim_id, reviewer, label, note, json.dumps(list(evidence)), time, final],
    ).lastrowid
    append_event(db, actor=reviewer, action="verdict.set", object_type="verdict", object_id=vid,
                 after={"label": label, "final": final})
    return vid


def _setting(db, key, value) -> None:
    db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [key, json.dumps(value)])


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "wb.db"
    db = open_db(path)
    with transaction(db):
        a1 = _article(db, 1, site="Daily News", url="https://news.example/a1", title=HOSTILE_TITLE)
        a2 = _article(db, 2, author="Jane Poster", format="forum", title="Forum thread")
        a3 = _article(db, 3, title="No claims here")
        c1 = _statement(db, a1, 0, "The fleet grew to 1.5 million vehicles in 2025.")
        c2 = _statement(db, a1, 1, HOSTILE_CLAIM)
        _statement(db, a1, 2, "An opinion.", checkworthy=0)
        c3 = _statement(db, a2, 0, "The fleet grew to 1.7 million vehicles.")
        _statement(db, a3, 0, "Hello there.", checkworthy=0)
        # c1: two reviewers disagree, then an adjudicator decides
        _verdict(db, c1, "ann", "false")
        _verdict(db, c1, "bob", "mostly true")
        _verdict(db, c1, "chief", "mostly false", final=1, note="Official figure is 1.5m [source](http://x)",
                 evidence=["https://stats.example/fleet?a=1&b=`2`", 1])
        # c2: two reviewers, no adjudication yet
        _verdict(db, c2, "ann", "not checkable")
        _verdict(db, c2, "bob", "unproven", note="<img src=x onerror=alert(1)>")
        # c3: one reviewer
        _verdict(db, c3, "ann", "false")
        db.execute("INSERT INTO links (claim_id, statement_id, score, relation, status) VALUES (?, ?, 0.91, 'conflict', 'confirmed')",
                   [c1, c3])
        db.execute("INSERT INTO links (claim_id, statement_id, score, relation, status) VALUES (?, ?, 0.4, 'related', 'rejected')",
                   [c2, c3])
        append_event(db, actor="=cmd|' /C calc'!A0", action="setting.set", object_type="setting", object_id="x",
                     after={"v": "+1"}, reason="-2+3\x00 \x1b[2J")
    db.conn.close()
    return path


@pytest.fixture
def db(db_path):
    handle = open_db(db_path)
    yield handle
    handle.conn.close()


def run(*args):
    return CliRunner().invoke(export, list(args), catch_exceptions=False)


def render(markdown: str) -> str:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


# -- output files -------------------------------------------------------------------


def test_output_goes_to_a_file_atomically(tmp_path):
    target = tmp_path / "out.txt"
    with open_output(target) as out:
        out.write("line\r\n")
        assert not target.exists()  # written to a temporary file first
    assert target.read_bytes() == b"line\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_existing_file_is_kept_without_force_and_replaced_with_it(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("precious")
    with pytest.raises(OutputRefused, match="--force"):
        with open_output(target) as out:
            out.write("new")
    assert target.read_text() == "precious"
    with open_output(target, force=True) as out:
        out.write("new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_failed_export_leaves_nothing_behind(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with open_output(target, force=True) as out:
            out.write("half")
            raise RuntimeError("disk on fire")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


@pytest.mark.parametrize("name", ["a\x00b.txt", "../escape.txt", "sub/../../escape.txt", ""])
def test_bad_output_names_are_refused(tmp_path, monkeypatch, name):
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    with pytest.raises(OutputRefused):
        check_output_path(name)


def test_symlinks_are_not_written_through(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    (tmp_path / "link.txt").symlink_to(victim)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    for name in ("link.txt", "dangling.txt"):
        for force in (False, True):
            with pytest.raises(OutputRefused, match="symbolic link"):
                check_output_path(tmp_path / name, force=force)
    assert victim.read_text() == "keep" and not (tmp_path / "nowhere.txt").exists()


def test_absolute_paths_and_symlinked_folders_are_the_users_choice(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "alias").symlink_to(real, target_is_directory=True)
    target = (tmp_path / "alias" / "out.txt").absolute()
    with open_output(target) as out:
        out.write("ok")
    assert (real / "out.txt").read_text() == "ok"


def test_folders_and_missing_parents_are_refused(tmp_path):
    with pytest.raises(OutputRefused, match="folder"):
        check_output_path(tmp_path)
    with pytest.raises(OutputRefused, match="does not exist"):
        check_output_path(tmp_path / "missing" / "out.txt")


def test_output_files_get_ordinary_permissions(tmp_path):
    target = tmp_path / "out.txt"
    old = os.umask(0o022)
    try:
        with open_output(target) as out:
            out.write("x")
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644


def test_cli_refuses_overwrite_and_bad_names(db_path, tmp_path):
    target = tmp_path / "v.json"
    assert run("verdicts", "--db", str(db_path), "-o", str(target)).exit_code == 0
    first = target.read_bytes()
    result = run("verdicts", "--db", str(db_path), "-o", str(target), "--format", "jsonl")
    assert result.exit_code == 1 and "--force" in result.output
    assert target.read_bytes() == first
    assert run("verdicts", "--db", str(db_path), "-o", str(target), "--format", "jsonl", "--force").exit_code == 0
    assert target.read_bytes() != first
    result = run("audit", "--db", str(db_path), "-o", str(tmp_path / ".." / "x.jsonl"))
    assert result.exit_code == 1 and "'..'" in result.output


def test_cli_without_a_database_does_not_create_one(tmp_path):
    result = run("report", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 1 and not (tmp_path / "none.db").exists()


# -- text safety --------------------------------------------------------------------


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\x00=1", " =1"])
def test_csv_cells_that_could_be_formulas_are_prefixed(value):
    cell = csv_cell(value)
    assert cell.startswith("'")


def test_csv_cells_controls_replaced_numbers_kept():
    assert csv_cell("a\x00b\x1b[31mc\x9bd") == "a\ufffdb\ufffd[31mc\ufffdd"
    assert csv_cell("line1\nline2\ttab") == "line1\nline2\ttab"
    assert csv_cell("a\u202eb") == "a\ufffdb"
    assert csv_cell("plain 中文") == "plain 中文"
    assert csv_cell(-5) == -5 and csv_cell(None) == "" and csv_cell(True) == 1


# Every character Markdown cares about, the GFM autolink triggers, controls, bidi and indentation.
hostile_text = st.lists(
    st.sampled_from(list("\\`*_[]()<>!&|~#$%{}^=@:./-+ \n\tabcw1")
                    + ["www.", "://", "&amp;", "<b>", "\x1b", "\x00", "\u202e", "中", "    "]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(hostile_text)
def test_md_text_of_anything_renders_as_one_plain_paragraph(text):
    html = render(f"Claim: {md_text(text)}\n")
    assert html.startswith("<p>Claim:") and html.count("<") == 2, html  # <p> and </p>, nothing else


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_csv_cells_of_anything_round_trip_and_never_start_a_formula(text):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerow([csv_cell(text), "next"])
    [[cell, after]] = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert after == "next"
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\x00", " "))
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", cell)
    assert len(cell) == len(text) + (cell.startswith("'") and not text.startswith("'"))


def test_md_text_is_inert_under_commonmark():
    html = render(f"# Title\n\nClaim: {md_text(HOSTILE_CLAIM)}\n\n## {md_text(HOSTILE_TITLE)}\n")
    assert "<script" not in html and "<a " not in html and "<img" not in html and "<b>" not in html
    assert "<em>" not in html and "<code>" not in html
    assert html.count("<h1>") == 1 and html.count("<h2>") == 1
    assert "\x1b" not in html and "\x07" not in html
    # the words are all still there for the reader
    assert "HYPERLINK" in html and "javascript:alert(1)" in html and "&amp;amp;" in html


@pytest.mark.parametrize("raw, escaped", [
    ("see https://evil.example/x", "see https\\://evil.example/x"),
    ("WWW.evil.example", "WWW\\.evil.example"),
    ("mail me@evil.example", "mail me\\@evil.example"),
    ("mailto:me", "mailto\\:me"),
    ("1.5 million at 10:00 on 2026-10-01 (AP), +3% \"quoted\"", "1.5 million at 10:00 on 2026-10-01 (AP), +3% \"quoted\""),
    ("line one\n# two\n\n    code", "line one \\# two code"),
])
def test_md_text_breaks_gfm_autolinks_and_keeps_ordinary_text_readable(raw, escaped):
    # markdown-it has no GFM autolinks without linkify; check the escapes themselves.
    assert md_text(raw) == escaped


def test_md_code_keeps_urls_copyable_and_inert():
    url = "https://e.example/a?b=`x`&c=<d>"
    html = render(f"URL: {md_code(url)}\n")
    assert "<a " not in html
    assert re.search(r"<code>(.*)</code>", html).group(1) == "https://e.example/a?b=`x`&amp;c=&lt;d&gt;"


# -- audit export -------------------------------------------------------------------


def test_audit_jsonl_to_stdout_verifies(db_path):
    result = run("audit", "--db", str(db_path))
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\x00" not in result.stdout
    check = verify_jsonl(io.StringIO(result.stdout))
    assert check.ok and check.count == 11  # 7 events and the key registrations of their 4 actors
    last = json.loads(result.stdout.splitlines()[-1])
    assert last["after"] == {"v": "+1"} and last["reason"] == "-2+3\x00 \x1b[2J"  # lossless


def test_audit_export_of_a_broken_chain_is_complete_but_flagged(db_path, tmp_path):
    conn = sqlite3.connect(str(db_path), isolation_level=None)
    conn.execute("DROP TRIGGER audit_events_no_update")
    # the same JSON value with a space: invisible once decoded into a JSONL file
    conn.execute("UPDATE audit_events SET after = replace(after, ',', ', ') WHERE seq = 3")
    conn.close()
    target = tmp_path / "audit.jsonl"
    result = run("audit", "--db", str(db_path), "-o", str(target))
    assert result.exit_code == 1 and "broken at seq 3" in result.output
    assert len(target.read_text(encoding="utf-8").splitlines()) == 11


def test_audit_csv_is_rfc4180_and_neutralised(db_path, tmp_path):
    target = tmp_path / "audit.csv"
    assert run("audit", "--db", str(db_path), "--format", "csv", "-o", str(target)).exit_code == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # -o *.csv: a BOM, so Excel reads UTF-8 (see test_claimreview.py)
    raw = raw[3:]
    assert raw.count(b"\r\n") == 12 and b"\x00" not in raw and b"\x1b" not in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert rows[0][:3] == ["seq", "event_id", "time"]
    last = dict(zip(rows[0], rows[-1]))
    assert last["actor"] == "'=cmd|' /C calc'!A0"
    assert last["reason"] == "'-2+3\ufffd \ufffd[2J"
    assert json.loads(last["after"]) == {"v": "+1"}


# -- verdicts -----------------------------------------------------------------------


def test_final_verdict_stands_for_the_claim_else_every_reviewer(db):
    rows = list(iter_exported_verdicts(db, batch=2))  # small batches: keyset paging across claims
    picked = [(r["claim"][:9], r["reviewer"], r["label"]) for r in rows]
    assert picked == [
        ("The fleet", "chief", "mostly false"),
        (HOSTILE_CLAIM[:9], "ann", "not checkable"),
        (HOSTILE_CLAIM[:9], "bob", "unproven"),
        ("The fleet", "ann", "false"),
    ]


def _claimreviews(db) -> list[dict]:
    out = io.StringIO(newline="")
    export_verdicts(db, out, "claimreview")
    return json.loads(out.getvalue())


def test_claimreview_for_a_rated_verdict(db):
    review = _claimreviews(db)[0]
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "The fleet grew to 1.5 million vehicles in 2025."
    assert review["reviewRating"] == {"@type": "Rating", "ratingValue": 2, "bestRating": 5, "worstRating": 1,
                                      "alternateName": "Mostly false"}
    item = review["itemReviewed"]
    assert item["@type"] == "Claim" and item["datePublished"] == "2026-10-01"
    assert "author" not in item  # the claimant's place (issue 17): the site only published the article
    article = {"@type": "NewsArticle", "url": "https://news.example/a1", "headline": HOSTILE_TITLE,
               "datePublished": "2026-10-01", "publisher": {"@type": "Organization", "name": "Daily News"}}
    # the confirmed conflict link to claim 4 (article 2, a day later) is a further appearance
    assert item["appearance"][0] == article and len(item["appearance"]) == 2
    assert item["appearance"][1] == {"@type": "CreativeWork", "headline": "Forum thread", "datePublished": "2026-10-02",
                                     "author": {"@type": "Person", "name": "Jane Poster"}}
    assert item["firstAppearance"] == article
    # no publisher set: no author/publisher at all (never the reviewer as the publishing author)
    assert "author" not in review and "publisher" not in review
    assert review["creator"] == {"@type": "Person", "name": "chief"}
    assert review["reviewBody"] == "Official figure is 1.5m [source](http://x)"
    assert review["citation"] == ["https://stats.example/fleet?a=1&b=`2`"]  # the link id 1 is an appearance
    assert review["datePublished"] == "2026-11-20"
    assert "url" not in review


def test_claimreview_for_unrated_labels_has_no_numbers(db):
    reviews = _claimreviews(db)
    assert reviews[1]["reviewRating"] == {"@type": "Rating", "alternateName": "Not checkable"}
    assert reviews[2]["reviewRating"] == {"@type": "Rating", "alternateName": "Unproven"}
    forum = reviews[3]["itemReviewed"]
    assert forum["appearance"][0]["author"] == {"@type": "Person", "name": "Jane Poster"}
    assert forum["appearance"][0]["@type"] == "CreativeWork" and "url" not in forum["appearance"][0]


def test_claimreview_uses_publisher_url_template_and_active_scale(db):
    with transaction(db):
        _setting(db, "publisher", {"name": "Fact Desk", "url": "https://factdesk.example"})
        _setting(db, "claimreview_url_template", "https://factdesk.example/checks/{claim_id}#{anchor}")
        _setting(db, "scale", POLITIFACT_SCALE.to_json())
    reviews = _claimreviews(db)
    first = reviews[0]
    assert first["author"] == {"@type": "Organization", "name": "Fact Desk", "url": "https://factdesk.example"}
    assert first["publisher"] == first["author"]
    assert first["url"] == "https://factdesk.example/checks/1#{anchor}"
    # "mostly false" is on the PolitiFact scale too, with its own number and name
    assert first["reviewRating"] == {"@type": "Rating", "ratingValue": 3, "bestRating": 6, "worstRating": 1,
                                     "alternateName": "Mostly False"}
    # "unproven" is not: exported by name only
    assert reviews[2]["reviewRating"] == {"@type": "Rating", "alternateName": "unproven"}


def test_claimreview_publisher_as_plain_name():
    row = {"label": "錯誤", "claim": "c", "claim_id": 7, "reviewer": "r", "time": "2026-01-02T03:04:05Z"}
    review = claimreview(row, TFC_SCALE, publisher=parse_publisher("台灣事實查核中心"))
    assert review["author"] == review["publisher"] == {"@type": "Organization", "name": "台灣事實查核中心"}
    assert review["reviewRating"] == {"@type": "Rating", "ratingValue": 1, "bestRating": 3, "worstRating": 1,
                                      "alternateName": "錯誤"}
    assert review["itemReviewed"] == {"@type": "Claim", "appearance": [{"@type": "CreativeWork"}],
                                      "firstAppearance": {"@type": "CreativeWork"}}


def test_verdicts_jsonl_and_csv(db_path, tmp_path):
    result = run("verdicts", "--db", str(db_path), "--format", "jsonl")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["label"] for r in records] == ["mostly false", "not checkable", "unproven", "false"]
    assert records[0]["final"] is True and records[0]["rating"] == 2
    assert records[0]["evidence"] == ["https://stats.example/fleet?a=1&b=`2`", 1]
    assert records[1]["claim"] == HOSTILE_CLAIM  # lossless
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout

    target = tmp_path / "v.csv"
    assert run("verdicts", "--db", str(db_path), "--format", "csv", "-o", str(target)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))
    assert len(rows) == 4
    assert rows[1]["claim"].startswith("'=HYPERLINK") and "\x1b" not in rows[1]["claim"]
    assert rows[0]["evidence"] == "https://stats.example/fleet?a=1&b=`2` 1"


def test_malformed_scale_setting_is_an_error_not_a_crash(db_path):
    db = open_db(db_path)
    with transaction(db):
        _setting(db, "scale", {"name": "x", "labels": [{"label": "a", "rating": 9}], "best": 5, "worst": 1})
    db.conn.close()
    result = run("verdicts", "--db", str(db_path))
    assert result.exit_code == 1 and "rating" in result.output


# -- the report ---------------------------------------------------------------------


def test_report_lists_claims_verdicts_evidence_and_links(db):
    out = io.StringIO(newline="")
    assert export_report(db, out) == 2  # article 3 has no claims
    text = out.getvalue()
    assert "## Article 1: " in text and "## Article 2: Forum thread" in text and "Article 3" not in text
    assert "### Claim 1" in text and "### Claim 2" in text and "Opinion" not in text
    assert "- Verdict: **Mostly false** (final, by chief, 2026-11-20T10:00:00Z)" in text
    assert "- Verdict: **False** (by ann" in text
    assert "Note: Official figure is 1.5m \\[source\\](http\\://x)" in text
    assert "`` https://stats.example/fleet?a=1&b=`2` ``" in text
    assert "Evidence: confirmed link 1" in text
    assert "Link (conflict, confirmed, score 0.91): claim 4 in article 2 (Forum thread)" in text
    assert "related" not in text  # the rejected link is not shown


def test_report_cannot_be_hijacked_by_article_text(db):
    out = io.StringIO(newline="")
    export_report(db, out)
    text = out.getvalue()
    assert "\x1b" not in text and "\x07" not in text
    html = render(text)
    assert "<script" not in html and "<img" not in html and "<b>" not in html and "javascript" not in html.split(
        "Breaking")[0]
    assert "<a " not in html  # no link at all: URLs are shown, not linked
    headings = re.findall(r"<h(\d)>(.*?)</h\1>", html)
    assert [level for level, _ in headings] == ["1", "2", "3", "3", "2", "3"]
    assert all(re.fullmatch(r"(Fact-check report|Article \d+: .*|Claim \d+)", body) for _, body in headings)


def test_report_to_a_file(db_path, tmp_path):
    target = tmp_path / "report.md"
    result = run("report", "--db", str(db_path), "-o", str(target))
    assert result.exit_code == 0 and "exported 2 articles" in result.output
    assert target.read_text(encoding="utf-8").startswith("# Fact-check report\n")


def test_every_export_command_has_help():
    for name, command in export.commands.items():
        assert command.help, name
        assert CliRunner().invoke(export, [name, "--help"]).exit_code == 0


# -- scales -------------------------------------------------------------------------


def test_default_scale_order_and_ratings():
    assert [(e.label, e.rating) for e in DEFAULT_SCALE.labels] == [
        ("true", 5), ("mostly true", 4), ("mixed", 3), ("mostly false", 2), ("false", 1),
        ("unproven", None), ("not checkable", None),
    ]
    assert (DEFAULT_SCALE.best, DEFAULT_SCALE.worst) == (5, 1)


def test_presets():
    assert set(PRESETS) == {"default", "politifact", "averitec", "tfc"}
    assert [e.alternate for e in POLITIFACT_SCALE.labels] == [
        "True", "Mostly True", "Half True", "Mostly False", "False", "Pants on Fire"]
    assert [e.alternate for e in AVERITEC_SCALE.labels] == [
        "Supported", "Refuted", "Not Enough Evidence", "Conflicting Evidence/Cherry-picking"]
    assert [e.label for e in TFC_SCALE.labels] == ["正確", "部分錯誤", "錯誤", "事實釐清", "證據不足"]
    assert TFC_SCALE.get("事實釐清").rating is None and TFC_SCALE.get("正確").rating == TFC_SCALE.best
    assert get_scale(" PolitiFact ") is POLITIFACT_SCALE
    with pytest.raises(ValueError, match="presets"):
        get_scale("snopes")


@pytest.mark.parametrize("scale", list(PRESETS.values()))
def test_scales_round_trip_through_settings_json(scale):
    assert scale_from_json(json.loads(json.dumps(scale.to_json()))) == scale


@pytest.mark.parametrize("value", [
    [], {"labels": []}, {"labels": [{"label": "a"}], "best": 5},
    {"labels": [{"label": "a", "rating": 6}], "best": 5, "worst": 1},
    {"labels": [{"label": "a", "rating": 2.5}], "best": 5, "worst": 1},
    {"labels": [{"label": "a"}, {"label": "a"}], "best": 5, "worst": 1},
    {"labels": [{"label": " a"}], "best": 5, "worst": 1},
    {"labels": [{"label": "a"}], "best": 1, "worst": 5},
    {"labels": ["a"], "best": 5, "worst": 1},
])
def test_malformed_scales_are_refused(value):
    with pytest.raises(ValueError):
        scale_from_json(value)


def test_scale_module_is_pure():
    import subprocess
    import sys

    code = "import sys, workbench.scales, workbench.audit, workbench.export; " \
           "print(any(m.split('.')[0] in ('textual', 'rich') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "False"
    assert isinstance(DEFAULT_SCALE, Scale)


def test_an_audit_line_is_the_decoded_event_as_json(tmp_path):
    from workbench.audit import decoded_event
    from workbench.export.audit_log import event_line
    from workbench.store.audit import append_event, iter_events
    from workbench.store.db import open_db, transaction

    db = open_db(tmp_path / "a.db")
    with transaction(db):
        append_event(db, actor="a\u202eb", action="verdict.set", object_type="claim", object_id=1,
                     before={"label": "x\x9b", "n": [1, 2.5, None]}, after="plain string", reason="why\n")
    for event in iter_events(db):
        line = event_line(event)
        assert json.loads(line) == decoded_event(event)
        assert "\u202e" not in line and "\x9b" not in line
