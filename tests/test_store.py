"""The store on a real SQLite file: settings, migrations, search, review writes with their audit events."""

from __future__ import annotations

import sqlite3

import pytest

from workbench.audit import verify_events
from workbench.store import review
from workbench.store.audit import iter_events
from workbench.store.db import open_db, transaction
from workbench.store.search import match_expression


def test_every_connection_gets_the_same_settings(tmp_path):
    db = open_db(tmp_path / "w.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_transaction_waits_a_second_before_saying_so_and_then_the_full_wait_is_back(tmp_path):
    db = open_db(tmp_path / "w.db", wait=12)
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 12000
    with transaction(db):  # the short timeout from BEGIN to COMMIT, so a wait for the lock is announced
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 1000
        db.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 12000
    with pytest.raises(RuntimeError), transaction(db):
        raise RuntimeError("rolled back")
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 12000


def test_a_second_connection_for_a_count_reads_what_the_first_wrote_and_never_creates_a_file(tmp_path):
    from workbench.store.db import DatabaseError, open_second

    path = tmp_path / "w.db"
    db = open_db(path)  # checked and migrated here; open_second checks nothing again
    second = open_second(path)
    try:
        assert second.execute("SELECT COUNT(*) FROM entities").fetchone()[0] == \
            db.execute("SELECT COUNT(*) FROM entities").fetchone()[0] > 100
    finally:
        second.close()
        db.close()
    with pytest.raises(DatabaseError):
        open_second(tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()


def test_schema_is_versioned_and_reopening_changes_nothing(tmp_path):
    path = tmp_path / "w.db"
    first = open_db(path)
    applied = [r["name"] for r in first.query("SELECT name FROM _sqlite_migrations")]
    entities = first.execute("SELECT COUNT(*) FROM entities").fetchone()[0]
    first.close()
    again = open_db(path)
    assert [r["name"] for r in again.query("SELECT name FROM _sqlite_migrations")] == applied
    assert again.execute("SELECT COUNT(*) FROM entities").fetchone()[0] == entities > 100


def test_search_finds_two_character_chinese_words(fixtures_db):
    db = open_db(fixtures_db)
    for word in ("特斯拉", "数据", "华为", "Tesla"):
        hits = review.queue_count(db, "x", review.QueueFilter(status="all", search=word))
        texts = [r.text for r in review.queue_page(db, "x", review.QueueFilter(status="all", search=word))]
        assert hits > 0, word
        assert all(word.lower() in t.lower() for t in texts), word


@pytest.mark.parametrize("query", ['"', "a OR", "NEAR(", "*", "特斯拉\" OR x", "-", "^"])
def test_search_never_passes_query_syntax_to_fts(fixtures_db, query):
    db = open_db(fixtures_db)
    review.queue_count(db, "x", review.QueueFilter(status="all", search=query))  # no OperationalError
    expression = match_expression(query)
    assert expression is None or expression.count('"') % 2 == 0


def _a_claim(db) -> int:
    return db.execute("SELECT id FROM statements WHERE checkworthy ORDER BY id LIMIT 1").fetchone()[0]


def test_a_verdict_commits_with_its_event_and_the_chain_verifies(fixtures_db):
    db = open_db(fixtures_db)
    claim = _a_claim(db)
    before = db.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0]
    stored = review.record_verdict(db, claim, "ana", "false", note="n", evidence=["https://example.org/x"])
    assert stored["version"] == 1
    event = db.execute("SELECT action, object_id, actor, after FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    assert event[:3] == ("verdict.set", str(claim), "ana")
    # ana's first event in this database: her public key is registered just before it
    registered = db.execute("SELECT action, actor FROM audit_events ORDER BY seq DESC LIMIT 1 OFFSET 1").fetchone()
    assert registered == ("key.register", "ana")
    assert db.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0] == before + 2
    review.record_verdict(db, claim, "ana", "true", expected_version=1)
    assert db.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0] == before + 3
    assert verify_events(iter_events(db)).ok


def test_a_failing_event_rolls_the_verdict_back(fixtures_db, monkeypatch):
    db = open_db(fixtures_db)
    claim = _a_claim(db)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(review, "append_event", broken)
    with pytest.raises(RuntimeError):
        review.record_verdict(db, claim, "ana", "true")
    assert db.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0] == 0


def test_a_stale_version_is_a_conflict_not_an_overwrite(fixtures_db):
    path = fixtures_db
    first, second = open_db(path), open_db(path)
    claim = _a_claim(first)
    review.record_verdict(first, claim, "ana", "true", expected_version=0)
    with pytest.raises(review.Conflict):
        review.record_verdict(second, claim, "ana", "false", expected_version=0)
    assert review.my_verdict(first, claim, "ana").label == "true"


def test_undo_and_redo_restore_the_verdict_and_are_audited(fixtures_db):
    db = open_db(fixtures_db)
    claim = _a_claim(db)
    review.record_verdict(db, claim, "ana", "true")
    review.record_verdict(db, claim, "ana", "false", expected_version=1)
    version = review.restore_verdict(db, claim, "ana", {"label": "true", "note": "", "evidence": []}, expected_version=2)
    assert review.my_verdict(db, claim, "ana").label == "true"
    assert review.restore_verdict(db, claim, "ana", None, expected_version=version) == 0
    assert review.my_verdict(db, claim, "ana") is None
    actions = [r[0] for r in db.execute("SELECT action FROM audit_events WHERE object_type = 'claim' ORDER BY seq")]
    assert actions == ["verdict.set", "verdict.change", "verdict.undo", "verdict.undo"]


def test_labels_must_be_on_the_active_scale(fixtures_db):
    db = open_db(fixtures_db)
    with pytest.raises(review.ReviewError):
        review.record_verdict(db, _a_claim(db), "ana", "pants on fire")
    review.choose_scale(db, "politifact", actor="ana")
    review.record_verdict(db, _a_claim(db), "ana", "pants on fire")


def test_blind_review_hides_others_until_you_give_yours(fixtures_db):
    db = open_db(fixtures_db)
    claim = _a_claim(db)
    review.record_verdict(db, claim, "ana", "false")
    shown = review.verdicts_for(db, claim, "bo")
    assert shown[0].hidden and shown[0].label != "false"
    review.record_verdict(db, claim, "bo", "true")
    assert {v.label for v in review.verdicts_for(db, claim, "bo")} == {"false", "true"}


def test_disputed_queue_agreement_and_adjudication(fixtures_db):
    db = open_db(fixtures_db)
    claims = [r[0] for r in db.execute("SELECT id FROM statements WHERE checkworthy ORDER BY id LIMIT 4")]
    for claim, (a, b) in zip(claims, [("true", "true"), ("false", "false"), ("true", "false"), ("mixed", "mixed")]):
        review.record_verdict(db, claim, "ana", a)
        review.record_verdict(db, claim, "bo", b)
    disputed = review.QueueFilter(status="disputed")
    assert [r.id for r in review.queue_page(db, "ana", disputed)] == [claims[2]]
    pair = review.agreement(db)["pairs"][0]
    assert pair["reviewers"] == ("ana", "bo") and pair["claims"] == 4 and pair["agree"] == 3
    # kappa for 3 of 4 agreeing over labels true/false/mixed: po = .75, pe = (2*1 + 1*2 + 1*1)/16
    assert pair["kappa"] == pytest.approx((0.75 - 5 / 16) / (1 - 5 / 16))
    with pytest.raises(review.ReviewError):
        review.record_verdict(db, claims[2], "cy", "false", final=True)
    review.record_verdict(db, claims[2], "cy", "false", final=True, reason="primary source says so")
    assert review.queue_count(db, "ana", disputed) == 0
    event = db.execute("SELECT action, reason FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    assert event == ("verdict.adjudicate", "primary source says so")


def test_link_decisions_are_checked_and_audited(fixtures_db):
    db = open_db(fixtures_db)
    link_id = db.execute("SELECT id FROM links ORDER BY id LIMIT 1").fetchone()[0]
    review.decide_link(db, link_id, "confirmed", "ana", expected_status="suggested")
    with pytest.raises(review.Conflict):
        review.decide_link(db, link_id, "rejected", "bo", expected_status="suggested")
    assert db.execute("SELECT status, decided_by FROM links WHERE id = ?", [link_id]).fetchone() == ("confirmed", "ana")
    assert db.execute("SELECT action FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()[0] == "link.confirm"


def test_the_audit_log_refuses_changes_from_a_plain_connection(fixtures_db):
    conn = sqlite3.connect(fixtures_db)
    for sql in ("UPDATE audit_events SET actor = 'x' WHERE seq = 1",
                "DELETE FROM audit_events WHERE seq = 1",
                "INSERT OR REPLACE INTO audit_events SELECT * FROM audit_events WHERE seq = 1",
                "REPLACE INTO audit_events SELECT * FROM audit_events WHERE seq = 1"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(sql)
    conn.close()


def test_nested_transactions_are_savepoints(tmp_path):
    db = open_db(tmp_path / "w.db")
    with transaction(db):
        db.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
        with pytest.raises(ZeroDivisionError):
            with transaction(db):
                db.execute("INSERT INTO settings (key, value) VALUES ('b', '2')")
                1 / 0
    keys = {r[0] for r in db.execute("SELECT key FROM settings")}
    assert "a" in keys and "b" not in keys
