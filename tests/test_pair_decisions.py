"""A link decision is about the pair: seen from both claims, audited once, kept by every relink."""

from __future__ import annotations

import json

from click.testing import CliRunner

from workbench.cli import cli
from workbench.linking import Link
from workbench.store import review
from workbench.store.audit import verify_database
from workbench.store.db import open_db, transaction
from workbench.store.links import save_links


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def _two_way_pair(db):
    """A claim linked to another claim that links back: (a, b)."""
    return db.execute(
        """SELECT l.claim_id, l.statement_id FROM links l JOIN links r
           ON r.claim_id = l.statement_id AND r.statement_id = l.claim_id ORDER BY l.id LIMIT 1""").fetchone()


def _status(db, claim_id, statement_id):
    return db.execute("SELECT status FROM links WHERE claim_id = ? AND statement_id = ?",
                      [claim_id, statement_id]).fetchone()[0]


def _events(db):
    # a reviewer's first event in a database is preceded by the registration of their key (issue 13): not counted
    return db.execute("SELECT COUNT(*) FROM audit_events WHERE action != 'key.register'").fetchone()[0]


def _listed(path, claim_id):
    out = run("links", "--claim", claim_id, "--format", "jsonl", "--db", path).output
    return {r["statement_id"]: r["status"] for r in map(json.loads, out.splitlines())}


def test_rejecting_from_one_claim_rejects_the_pair_from_both_sides_with_one_event(fixtures_db):
    db = open_db(fixtures_db)
    a, b = _two_way_pair(db)
    events = _events(db)
    result = run("reject-link", a, b, "--reviewer", "ana", "--note", "different events", "--db", fixtures_db)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"link of claim {a} to statement {b}: rejected by ana")
    assert (_status(db, a, b), _status(db, b, a)) == ("rejected", "rejected")
    assert _listed(fixtures_db, a)[b] == "rejected" and _listed(fixtures_db, b)[a] == "rejected"
    assert _events(db) == events + 1
    event = db.execute("SELECT actor, action, reason, after FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    assert event[:3] == ("ana", "link.reject", "different events")
    assert json.loads(event[3])["claim_id"] == a and json.loads(event[3])["statement_id"] == b
    assert verify_database(db).disagreements == []

    # confirmed from the other side: the same pair, one more event
    result = run("confirm-link", b, a, "--reviewer", "bo", "--db", fixtures_db)
    assert result.exit_code == 0
    assert (_status(db, a, b), _status(db, b, a)) == ("confirmed", "confirmed")
    assert _events(db) == events + 2
    # the same decision again changes nothing and writes no event
    assert "already confirmed" in run("confirm-link", a, b, "--reviewer", "bo", "--db", fixtures_db).output
    assert _events(db) == events + 2
    assert verify_database(db).disagreements == []


def test_recomputing_links_never_overrides_a_pair_decision(fixtures_db):
    db = open_db(fixtures_db)
    a, b = _two_way_pair(db)
    assert run("reject-link", a, b, "--reviewer", "ana", "--db", fixtures_db).exit_code == 0
    assert run("link", "--db", fixtures_db).exit_code == 0
    assert (_status(db, a, b), _status(db, b, a)) == ("rejected", "rejected")
    assert verify_database(db).disagreements == []


def test_a_reverse_link_found_later_shows_the_decision_already_made(fixtures_db):
    db = open_db(fixtures_db)
    # a link to a statement that is not a claim: only one direction exists
    claim, statement = db.execute(
        """SELECT l.claim_id, l.statement_id FROM links l WHERE NOT EXISTS (SELECT 1 FROM links r
           WHERE r.claim_id = l.statement_id AND r.statement_id = l.claim_id) ORDER BY l.id LIMIT 1""").fetchone()
    link_id = db.execute("SELECT id FROM links WHERE claim_id = ? AND statement_id = ?", [claim, statement]).fetchone()[0]
    review.decide_link(db, link_id, "rejected", "ana", expected_status="suggested")  # the review screen's call
    with transaction(db):  # the linker later proposes the reverse (the statement became a claim)
        save_links(db, [statement], [Link(statement, claim, 0.9, "same", ["shares Tesla"])])
    assert _status(db, statement, claim) == "rejected"
    assert verify_database(db).disagreements == []


def test_one_line_errors_for_missing_ids_and_missing_links(fixtures_db):
    db = open_db(fixtures_db)
    a, b = _two_way_pair(db)
    result = run("confirm-link", 999999, b, "--db", fixtures_db)
    assert result.exit_code == 1 and result.output == "Error: no statement 999999\n"
    unlinked = db.execute(
        """SELECT s.id FROM statements s WHERE s.id != ? AND NOT EXISTS (SELECT 1 FROM links l
           WHERE (l.claim_id = ? AND l.statement_id = s.id) OR (l.claim_id = s.id AND l.statement_id = ?))
           ORDER BY s.id LIMIT 1""", [a, a, a]).fetchone()[0]
    result = run("reject-link", a, unlinked, "--db", fixtures_db)
    assert result.exit_code == 1
    assert result.output == (f"Error: no link between claim {a} and statement {unlinked} "
                             f"(see workbench links --claim {a})\n")
    assert run("reject-link", a, "--db", fixtures_db).exit_code == 2  # usage: both ids are needed


def test_an_old_database_shows_a_one_sided_decision_from_both_sides_after_migrating(fixtures_db):
    import sqlite3

    db = open_db(fixtures_db)
    a, b = _two_way_pair(db)
    link_id = db.execute("SELECT id FROM links WHERE claim_id = ? AND statement_id = ?", [a, b]).fetchone()[0]
    review.decide_link(db, link_id, "rejected", "ana")
    db.conn.close()
    # as an older workbench left it: the reverse still suggested, the migration not applied
    conn = sqlite3.connect(str(fixtures_db), isolation_level=None)
    conn.execute("UPDATE links SET status = 'suggested', decided_by = NULL, decided_at = NULL"
                 " WHERE claim_id = ? AND statement_id = ?", [b, a])
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm011_pair_link_decisions'")
    conn.close()
    db = open_db(fixtures_db)
    assert _status(db, b, a) == "rejected"
    assert verify_database(db).disagreements == []
