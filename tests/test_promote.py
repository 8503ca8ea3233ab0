"""Linkable is not check-worthy: only claims take verdicts; a reviewer promotes a statement to a claim, audited."""

from __future__ import annotations

import json

from click.testing import CliRunner

from workbench.cli import cli
from workbench.pipeline import Pipeline
from workbench.store.audit import verify_database
from workbench.store.db import open_db


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def _non_claim(db):
    """A statement that is not a claim but names an actor (a fact-checker may want it checked)."""
    return db.execute(
        """SELECT s.id FROM statements s WHERE NOT s.checkworthy AND NOT s.retired
           AND EXISTS (SELECT 1 FROM mentions m JOIN entities e ON e.id = m.entity_id
                       WHERE m.statement_id = s.id AND e.type = 'org')
           ORDER BY s.id LIMIT 1""").fetchone()[0]


def test_a_verdict_on_a_statement_that_is_not_a_claim_is_refused_with_the_way_out(fixtures_db):
    db = open_db(fixtures_db)
    sid = _non_claim(db)
    events = db.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0]
    result = run("verdict", sid, "false", "--reviewer", "ana", "--db", fixtures_db)
    assert result.exit_code == 1
    assert result.output == (f"Error: statement {sid} is not a claim (not check-worthy); to review it, make it one:"
                             f" workbench promote {sid}\n")
    assert db.execute("SELECT COUNT(*) FROM verdicts WHERE claim_id = ?", [sid]).fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0] == events


def test_promote_makes_a_claim_that_takes_verdicts_is_queued_and_survives_reprocess(fixtures_db):
    db = open_db(fixtures_db)
    sid = _non_claim(db)
    result = run("promote", sid, "--reviewer", "ana", "--note", "names Tesla; worth a check", "--db", fixtures_db)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"statement {sid} is now a claim (promoted by ana); ")
    event = db.execute("SELECT actor, action, object_id, reason FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    assert event == ("ana", "claim.promote", str(sid), "names Tesla; worth a check")
    # a claim now: queued for review and open to a verdict
    claims = run("claims", "--format", "jsonl", "--db", fixtures_db).output
    assert sid in [json.loads(line)["id"] for line in claims.splitlines()]
    assert run("verdict", sid, "false", "--reviewer", "ana", "--db", fixtures_db).exit_code == 0
    # re-analysis keeps the reviewer's decision, and the fold agrees with the table
    Pipeline(db, actor="tester").reprocess()
    assert db.execute("SELECT checkworthy, promoted_by FROM statements WHERE id = ?", [sid]).fetchone() == (1, "ana")
    assert verify_database(db).disagreements == []
    again = run("promote", sid, "--reviewer", "bo", "--db", fixtures_db)
    assert again.exit_code == 0 and again.output == f"statement {sid} already is a claim\n"


def test_promote_errors_are_one_line(fixtures_db):
    result = run("promote", 999999, "--db", fixtures_db)
    assert result.exit_code == 1 and result.output == "Error: no statement 999999\n"


def test_a_promotion_written_behind_the_log_is_reported(fixtures_db):
    import sqlite3

    db = open_db(fixtures_db)
    sid = _non_claim(db)
    db.conn.close()
    conn = sqlite3.connect(str(fixtures_db), isolation_level=None)
    conn.execute("UPDATE statements SET checkworthy = 1, promoted_by = 'mallory' WHERE id = ?", [sid])
    conn.close()
    report = verify_database(open_db(fixtures_db))
    assert report.disagreements == [f"promotion of statement {sid} to a claim has no event"]
