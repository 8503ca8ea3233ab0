"""Evidence that is evidence: http(s) URLs and doi: identifiers, one rule for the screen, the CLI and the store."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from workbench.cli import cli
from workbench.store import review
from workbench.store.db import open_db
from workbench.urls import citation_url


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _claim(path) -> int:
    db = open_db(path)
    try:
        return db.execute("SELECT id FROM statements WHERE checkworthy ORDER BY id LIMIT 1").fetchone()[0]
    finally:
        db.conn.close()


@pytest.mark.parametrize("evidence", [
    "javascript:alert(1)", "ftp://files.example/a", "file:///etc/passwd", "data:text/html,<b>x</b>",
    "see the annual report", "www.example.org/no-scheme", "https://", "https://x.example/a b",
    "https://x.example/\x1b]8;;\x07", "doi:banana", "doi:", "mailto:a@example.org",
])
def test_anything_but_a_web_url_or_doi_is_refused_and_nothing_is_written(fixtures_db, evidence):
    claim = _claim(fixtures_db)
    result = run("verdict", claim, "true", "--evidence", evidence, "--reviewer", "ana", "--db", fixtures_db)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "not " in lines[0] and "\x1b" not in lines[0]
    assert "http(s) URL or a doi:" in lines[0] or "is not a DOI" in lines[0]
    db = open_db(fixtures_db)
    assert db.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0] == 0
    db.conn.close()


def test_web_urls_dois_and_confirmed_links_are_evidence(fixtures_db):
    db = open_db(fixtures_db)
    claim = _claim(fixtures_db)
    stored = review.record_verdict(db, claim, "ana", "true", evidence=[
        " https://stats.example/a?b=1 ", "HTTP://old.example", "doi:10.1000/xyz123", "link:7", "  "])
    assert stored["evidence"] == ["https://stats.example/a?b=1", "HTTP://old.example", "doi:10.1000/xyz123", "link:7"]
    db.conn.close()
    assert citation_url("doi:10.1000/xyz123") == "https://doi.org/10.1000/xyz123"
    assert citation_url("link:7") is None


def test_the_store_refuses_bad_evidence_for_every_caller(fixtures_db):
    db = open_db(fixtures_db)
    claim = _claim(fixtures_db)
    with pytest.raises(review.ReviewError, match="not evidence"):
        review.record_verdict(db, claim, "ana", "true", evidence=["javascript:alert(1)"])
    db.conn.close()


@pytest.mark.parametrize("write", [
    lambda db, claim, who: review.record_verdict(db, claim, who, "true"),
    lambda db, claim, who: review.set_flag(db, claim, who, True),
    lambda db, claim, who: review.decide_link(
        db, db.execute("SELECT id FROM links LIMIT 1").fetchone()[0], "confirmed", who),
    lambda db, claim, who: review.correct_metadata(db, 1, {"title": "t"}, who),
])
@pytest.mark.parametrize("who", ["", "   ", "\t"])
def test_a_blank_reviewer_is_refused_by_every_write(fixtures_db, write, who):
    db = open_db(fixtures_db)
    events = db.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0]
    with pytest.raises(review.ReviewError, match="reviewer name is blank"):
        write(db, _claim(fixtures_db), who)
    assert db.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0] == events
    db.conn.close()


def test_the_review_screen_refuses_the_same_evidence(fixtures_db):
    import asyncio

    from textual.widgets import Input, Select

    from workbench.tui import make_app
    from workbench.tui.screens.forms import VerdictForm

    async def scenario():
        app = make_app(fixtures_db, "alice")
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            claim_id = app.shown.claim_id
            await pilot.press("n")
            assert isinstance(app.screen, VerdictForm)
            form = app.screen
            form.query_one("#label", Select).value = form.scale.labels[0].label
            form.query_one("#evidence", Input).value = "javascript:alert(1)"
            await pilot.click("#save")
            await pilot.pause()
            await app.workers.wait_for_complete()  # the save runs on a worker; its error is notified
            await pilot.pause()
            return claim_id, [str(getattr(app.screen, "message", "")), *(str(n.message) for n in app._notifications)]

    claim_id, messages = asyncio.run(scenario())
    assert any("not evidence" in message for message in messages), messages  # the screen says why
    db = open_db(fixtures_db)
    assert db.execute("SELECT COUNT(*) FROM verdicts WHERE claim_id = ?", [claim_id]).fetchone()[0] == 0
    db.conn.close()
