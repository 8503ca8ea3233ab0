"""State is the fold of the log: every reviewer table must equal the replay of the audit events.

The attacker here has the database file and Python's ``sqlite3``, nothing else:
each direct change to a reviewer table must make ``audit verify`` fail and name
the row; dropped triggers must make verify fail and every write refuse.
"""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from workbench.cli import cli
from workbench.store import review
from workbench.store.audit import protection_problems, verify_database
from workbench.store.db import open_db, transaction
from workbench.store.entities import add_entity
from workbench.store.settings import set_setting


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def reviewed(fixtures_db):
    """The fixtures with a little of every kind of reviewer state, written through the store."""
    db = open_db(fixtures_db)
    claims = [r[0] for r in db.execute("SELECT id FROM statements WHERE checkworthy ORDER BY id LIMIT 3")]
    review.record_verdict(db, claims[0], "ana", "true", note="matches the filing", evidence=["https://example.org/a"])
    review.record_verdict(db, claims[0], "bo", "false")
    review.record_verdict(db, claims[0], "bo", "mostly false", expected_version=1)
    review.record_verdict(db, claims[0], "ed", "true", final=True, reason="the filing settles it")
    review.record_verdict(db, claims[1], "ana", "false")
    version = review.restore_verdict(db, claims[1], "ana", None, expected_version=1)  # undo
    assert version == 0
    review.record_verdict(db, claims[2], "ana", "mixed")
    review.set_flag(db, claims[1], "bo", True)
    review.set_flag(db, claims[2], "bo", True)
    review.set_flag(db, claims[2], "bo", False)
    links = [r[0] for r in db.execute("SELECT id FROM links ORDER BY id LIMIT 3")]
    assert len(links) == 3
    review.decide_link(db, links[0], "confirmed", "ana")
    review.decide_link(db, links[1], "rejected", "bo")
    review.decide_link(db, links[2], "confirmed", "ana")
    review.decide_link(db, links[2], "suggested", "ana")
    review.correct_metadata(db, 1, {"title": "Corrected title", "author": ""}, "ana", reason="typo")
    with transaction(db):
        add_entity(db, "Example Motors", ["示例汽车"], "org", actor="ana")
        set_setting(db, "claim_threshold", 0.5, actor="ana")
    db.conn.close()
    return {"path": fixtures_db, "claims": claims, "links": links}


def plain(path) -> sqlite3.Connection:
    return sqlite3.connect(str(path), isolation_level=None)


def attack(path, sql: str, params=()) -> None:
    conn = plain(path)
    try:
        conn.execute(sql, params)
    finally:
        conn.close()


def problems_of(path) -> list[str]:
    db = open_db(path)
    try:
        report = verify_database(db)
        assert report.chain.ok  # the tables were changed, not the log
        return report.disagreements
    finally:
        db.conn.close()


def test_state_written_through_the_store_is_the_fold_of_the_log(reviewed):
    assert problems_of(reviewed["path"]) == []
    result = run("audit", "verify", "--db", str(reviewed["path"]))
    assert result.exit_code == 0 and result.output.startswith("OK: "), result.output


def test_a_changed_verdict_is_named(reviewed):
    claim = reviewed["claims"][0]
    attack(reviewed["path"], "UPDATE verdicts SET label = 'true' WHERE reviewer = 'bo' AND claim_id = ?", [claim])
    assert problems_of(reviewed["path"]) == [f"verdict of bo on claim {claim}: table says true, log says mostly false"]
    result = run("audit", "verify", "--db", str(reviewed["path"]))
    assert result.exit_code == 1
    assert f"FAILED: verdict of bo on claim {claim}: table says true, log says mostly false" in result.output


@pytest.mark.parametrize("column, value, says", [
    ("note", "''", "note: table says , log says matches the filing"),
    ("evidence", "'[]'", 'evidence: table says [], log says ["https://example.org/a"]'),
    ("version", "7", "version: table says 7, log says 1"),
])
def test_every_compared_field_of_a_verdict(reviewed, column, value, says):
    claim = reviewed["claims"][0]
    attack(reviewed["path"], f"UPDATE verdicts SET {column} = {value} WHERE reviewer = 'ana' AND claim_id = ?", [claim])
    assert problems_of(reviewed["path"]) == [f"verdict of ana on claim {claim}: {says}"]


def test_a_deleted_verdict_is_named(reviewed):
    claim = reviewed["claims"][2]
    attack(reviewed["path"], "DELETE FROM verdicts WHERE reviewer = 'ana' AND claim_id = ?", [claim])
    assert problems_of(reviewed["path"]) == [
        f"verdict of ana on claim {claim} is in the log (log says mixed) but not in the table"]


def test_an_invented_verdict_is_named(reviewed):
    claim = reviewed["claims"][2]
    attack(reviewed["path"], "INSERT INTO verdicts (claim_id, reviewer, label, time) VALUES (?, 'cy', 'false', 'x')",
           [claim])
    assert problems_of(reviewed["path"]) == [f"verdict of cy on claim {claim} has no event"]


def test_an_undone_verdict_put_back_is_named(reviewed):
    claim = reviewed["claims"][1]
    attack(reviewed["path"], "INSERT INTO verdicts (claim_id, reviewer, label, time) VALUES (?, 'ana', 'false', 'x')",
           [claim])
    assert problems_of(reviewed["path"]) == [f"verdict of ana on claim {claim} has no event"]


def test_finals_are_checked(reviewed):
    claim = reviewed["claims"][0]
    attack(reviewed["path"], "UPDATE verdicts SET reviewer = 'bo' WHERE final = 1 AND claim_id = ?", [claim])
    assert sorted(problems_of(reviewed["path"])) == [
        f"final verdict of bo on claim {claim} has no event",
        f"final verdict of ed on claim {claim} is in the log (log says true) but not in the table",
    ]


def test_flags_are_checked(reviewed):
    one, two, three = reviewed["claims"]
    attack(reviewed["path"], "DELETE FROM flags WHERE claim_id = ?", [two])
    attack(reviewed["path"], "INSERT INTO flags (claim_id, reviewer, time) VALUES (?, 'bo', 'x')", [three])
    assert sorted(problems_of(reviewed["path"])) == sorted([
        f"flag of bo on claim {three} has no event",
        f"flag of bo on claim {two} is in the log but not in the table",
    ])


def test_link_decisions_are_checked(reviewed):
    # A decision is about the pair of statements (both directions of a link), so the
    # attacks change the pair; the messages name the pair, smaller id first.
    path = reviewed["path"]
    first, second, third = reviewed["links"]
    conn = plain(path)
    pairs = {i: tuple(sorted(conn.execute("SELECT claim_id, statement_id FROM links WHERE id = ?", [i]).fetchone()))
             for i in reviewed["links"]}
    where = "WHERE (claim_id = ? AND statement_id = ?) OR (statement_id = ? AND claim_id = ?)"
    conn.execute(f"UPDATE links SET status = 'rejected' {where}", [*pairs[first], *pairs[first]])
    conn.execute(f"UPDATE links SET status = 'suggested', decided_by = NULL {where}", [*pairs[second], *pairs[second]])
    conn.execute(f"UPDATE links SET status = 'confirmed', decided_by = 'ana' {where}", [*pairs[third], *pairs[third]])
    conn.close()
    (a1, b1), (a2, b2), (a3, b3) = pairs[first], pairs[second], pairs[third]
    assert sorted(problems_of(path)) == sorted([
        f"decision on the link between statements {a1} and {b1}: table says rejected, log says confirmed",
        f"decision on the link between statements {a2} and {b2} is in the log (log says rejected) but not in the table",
        f"decision on the link between statements {a3} and {b3} has no event",
    ])


def test_a_pair_whose_two_directions_disagree_is_reported(reviewed):
    path = reviewed["path"]
    conn = plain(path)
    # a confirmed link from one claim to another, seen from both sides
    row = conn.execute(
        """SELECT l.id, l.claim_id, l.statement_id FROM links l JOIN links r
           ON r.claim_id = l.statement_id AND r.statement_id = l.claim_id LIMIT 1""").fetchone()
    conn.close()
    link_id, claim_id, statement_id = row
    db = open_db(path)
    review.decide_link(db, link_id, "confirmed", "ana")
    db.conn.close()
    assert problems_of(path) == []
    attack(path, "UPDATE links SET status = 'rejected' WHERE claim_id = ? AND statement_id = ?", [statement_id, claim_id])
    low, high = sorted((claim_id, statement_id))
    assert problems_of(path) == [
        f"decision on the link between statements {low} and {high}: table says confirmed/rejected, log says confirmed"]


def test_article_metadata_is_checked(reviewed):
    attack(reviewed["path"], "UPDATE articles SET title = 'Forged' WHERE id = 1")
    attack(reviewed["path"], "UPDATE articles SET url = 'javascript:alert(1)' WHERE id = 2")
    found = problems_of(reviewed["path"])
    assert found[0] == "metadata of article 1: title: table says Forged, log says Corrected title"
    assert found[1].startswith("metadata of article 2: url: table says javascript:alert(1), log says ")
    assert len(found) == 2


def test_an_article_without_its_import_event_is_named(reviewed):
    conn = plain(reviewed["path"])
    columns = [r[1] for r in conn.execute("PRAGMA table_info(articles)") if r[1] != "id"]
    conn.execute(f"INSERT INTO articles ({', '.join(columns)}) SELECT {', '.join(columns[:2])}, 'x' || sha256,"
                 f" {', '.join(columns[3:])} FROM articles WHERE id = 1")
    new_id = conn.execute("SELECT MAX(id) FROM articles").fetchone()[0]
    conn.close()
    assert columns[2] == "sha256"
    assert problems_of(reviewed["path"]) == [f"metadata of article {new_id} has no event"]


def test_entities_and_settings_are_checked(reviewed):
    conn = plain(reviewed["path"])
    entity = conn.execute("SELECT id FROM entities WHERE name = 'Example Motors'").fetchone()[0]
    conn.execute("DELETE FROM entity_aliases WHERE alias = '示例汽车'")
    conn.execute("UPDATE settings SET value = '0.9' WHERE key = 'claim_threshold'")
    conn.execute("INSERT INTO settings (key, value) VALUES ('publisher', '{\"name\": \"Forged\"}')")
    conn.close()
    assert sorted(problems_of(reviewed["path"])) == sorted([
        f'entity {entity}: aliases: table says ["Example Motors"], log says ["Example Motors","示例汽车"]',
        "setting claim_threshold: table says 0.9, log says 0.5",
        "setting publisher has no event",
    ])


# -- protection that notices its own absence -------------------------------------------------

TRIGGERS = ("audit_events_no_update", "audit_events_no_delete", "audit_events_append_only")


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_a_dropped_trigger_fails_verify_and_refuses_writes(reviewed, trigger):
    path = reviewed["path"]
    attack(path, f"DROP TRIGGER {trigger}")
    result = run("audit", "verify", "--db", str(path))
    assert result.exit_code == 1
    assert f"FAILED: protection: trigger {trigger} is missing" in result.output
    assert "workbench audit repair-triggers" in result.output

    claim = reviewed["claims"][2]
    conn = plain(path)
    before = conn.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0]
    verdicts = conn.execute("SELECT * FROM verdicts ORDER BY id").fetchall()
    conn.close()
    for args in (["verdict", str(claim), "true", "--reviewer", "ana"],
                 ["settings", "set", "claim_threshold", "0.4"],
                 ["import", str(reviewed["path"].parent)]):
        refused = CliRunner().invoke(cli, [*args, "--db", str(path)])
        assert refused.exit_code == 1, (args, refused.output)
        lines = [line for line in refused.output.splitlines() if line.strip()]
        assert lines[-1].startswith("Error: refusing to write: the audit log is unprotected")
        assert "workbench audit repair-triggers" in lines[-1]
    conn = plain(path)
    assert conn.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0] == before
    assert conn.execute("SELECT * FROM verdicts ORDER BY id").fetchall() == verdicts  # the change rolled back
    conn.close()

    repaired = run("audit", "repair-triggers", "--db", str(path), "--reviewer", "ana")
    assert repaired.exit_code == 0 and f"repaired: trigger {trigger} is missing" in repaired.output
    db = open_db(path)
    assert protection_problems(db) == []
    event = db.execute("SELECT actor, action, after FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    assert event == ("ana", "audit.repair_triggers", f'{{"repaired":["trigger {trigger} is missing"]}}')
    db.conn.close()
    assert run("audit", "verify", "--db", str(path)).exit_code == 0
    assert run("verdict", str(claim), "true", "--reviewer", "ana", "--db", str(path)).exit_code == 0


def test_an_altered_trigger_is_noticed(reviewed):
    path = reviewed["path"]
    conn = plain(path)
    conn.execute("DROP TRIGGER audit_events_no_delete")
    conn.execute("CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events WHEN 0"
                 " BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END")
    conn.execute("CREATE TRIGGER sneaky AFTER INSERT ON audit_events BEGIN SELECT 1; END")
    conn.close()
    db = open_db(path)
    assert protection_problems(db) == ["trigger audit_events_no_delete is not the one the schema creates",
                                       "trigger sneaky on audit_events is not part of the schema"]
    db.conn.close()
    assert run("audit", "repair-triggers", "--db", str(path)).exit_code == 0
    db = open_db(path)
    assert protection_problems(db) == []
    db.conn.close()


def test_repair_of_intact_triggers_writes_nothing(reviewed):
    path = reviewed["path"]
    count = plain(path).execute("SELECT COUNT(*) FROM audit_events").fetchone()[0]
    result = run("audit", "repair-triggers", "--db", str(path))
    assert result.exit_code == 0 and "nothing to repair" in result.output
    assert plain(path).execute("SELECT COUNT(*) FROM audit_events").fetchone()[0] == count


def test_entity_types_renamed_by_the_vocabulary_migration_still_match_the_log(reviewed):
    # An entity added as "organization" before m012_vocabularies: the table now says "org".
    from workbench.store.audit import append_event

    db = open_db(reviewed["path"])
    with transaction(db):  # as the version before the migration wrote it, then migrated
        entity_id = db.execute("INSERT INTO entities (key, name, type, status) VALUES ('old-org', 'Old Style Org',"
                               " 'org', 'user')").lastrowid
        db.execute("INSERT INTO entity_aliases (entity_id, alias) VALUES (?, 'Old Style Org')", [entity_id])
        append_event(db, actor="ana", action="entity.add", object_type="entity", object_id=entity_id,
                     after={"name": "Old Style Org", "type": "organization", "status": "user",
                            "aliases": ["Old Style Org"]})
    db.conn.close()
    assert problems_of(reviewed["path"]) == []
    attack(reviewed["path"], "UPDATE entities SET type = 'person' WHERE id = ?", [entity_id])
    assert problems_of(reviewed["path"]) == [f"entity {entity_id}: type: table says person, log says org"]


def test_deleted_settings_links_and_articles_are_named(reviewed):
    path = reviewed["path"]
    conn = plain(path)
    decided = conn.execute("SELECT claim_id, statement_id FROM links WHERE id = ?", [reviewed["links"][0]]).fetchone()
    conn.execute("DELETE FROM settings WHERE key = 'claim_threshold'")
    conn.execute("DELETE FROM links WHERE id = ?", [reviewed["links"][0]])
    fresh = conn.execute("SELECT claim_id, statement_id FROM links WHERE status = 'suggested' ORDER BY id DESC"
                         " LIMIT 1").fetchone()
    conn.execute("UPDATE links SET status = 'confirmed', decided_by = 'ana' WHERE claim_id = ? AND statement_id = ?",
                 fresh)
    article = conn.execute("SELECT MAX(id) FROM articles").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("DELETE FROM articles WHERE id = ?", [article])
    conn.close()
    found = problems_of(path)
    low, high = sorted(decided)
    assert "setting claim_threshold is in the log (log says 0.5) but not in the table" in found
    assert any(p.startswith(f"decision on the link between statements {low} and {high}") for p in found), found
    f_low, f_high = sorted(fresh)
    assert f"decision on the link between statements {f_low} and {f_high} has no event" in found
    assert f"metadata of article {article} is in the log but not in the table" in found
