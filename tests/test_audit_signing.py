"""Signed events and checkpoints: who wrote each event, checked against the key registered for them.

The attacker has the database file, Python's ``sqlite3`` and this code (so they can
compute hashes that extend the chain), but not a reviewer's private key.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import stat

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from workbench import signing
from workbench.audit import canonical_json, event_hash
from workbench.cli import cli
from workbench.export import export_audit
from workbench.store import review
from workbench.store.audit import ProtectionMissing, iter_events, verify_database
from workbench.store.db import open_db, transaction
from workbench.store.schema import migrations


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def signed_db(fixtures_db):
    db = open_db(fixtures_db)
    claim = db.execute("SELECT id FROM statements WHERE checkworthy ORDER BY id LIMIT 1").fetchone()[0]
    review.record_verdict(db, claim, "ana", "false")
    review.record_verdict(db, claim, "bo", "true")
    db.conn.close()
    return fixtures_db


def head(path) -> dict:
    conn = sqlite3.connect(str(path))
    conn.row_factory = sqlite3.Row
    row = dict(conn.execute("SELECT * FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone())
    conn.close()
    return row


def forge(path, *, actor: str, action: str = "verdict.change", after=None, key: Ed25519PrivateKey | None = None,
          object_id: str = "1") -> int:
    """Append an event that extends the chain correctly, as an attacker with the code can."""
    last = head(path)
    event = {
        "seq": last["seq"] + 1, "event_id": f"forged-{last['seq']}", "time": "2026-12-01T00:00:00.000000Z",
        "actor": actor, "session": "attacker:1", "action": action, "object_type": "claim", "object_id": object_id,
        "before": None, "after": canonical_json(after if after is not None else {"label": "true"}), "reason": None,
        "app_version": last["app_version"], "prev_hash": last["hash"],
    }
    event["hash"] = event_hash(event)
    event["signature"] = None if key is None else signing.b64(key.sign(signing.EVENT_DOMAIN + event["hash"].encode()))
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute(f"INSERT INTO audit_events ({', '.join(event)}) VALUES ({', '.join('?' * len(event))})",
                 list(event.values()))
    conn.close()
    return event["seq"]


def signature_problems(path) -> list[str]:
    db = open_db(path)
    try:
        report = verify_database(db, replay=False)
        assert report.chain.ok
        return report.signatures
    finally:
        db.conn.close()


def test_every_event_is_signed_by_its_actor_and_verifies(signed_db):
    db = open_db(signed_db)
    events = list(iter_events(db))
    assert all(e["signature"] for e in events)
    registered = {e["actor"]: json.loads(e["after"])["public_key"] for e in events if e["action"] == "key.register"}
    assert set(registered) == {e["actor"] for e in events}  # tester (the importer), ana, bo
    chains = {}
    for event in events:  # each signs its actor's chain, which commits to all their events so far
        key = registered[event["actor"]]
        chain = signing.next_actor_chain(chains.get(event["actor"], signing.actor_chain_start(event["actor"])),
                                         event["hash"])
        chains[event["actor"]] = chain
        assert signing.verify_bytes(key, signing.EVENT_DOMAIN, chain.encode(), event["signature"])
        assert not signing.verify_bytes(key, signing.EVENT_DOMAIN, event["hash"].encode(), event["signature"])
    first = {}
    for event in events:
        first.setdefault(event["actor"], event["action"])
    assert set(first.values()) == {"key.register"}  # each actor's first event registers their key
    db.conn.close()
    result = run("audit", "verify", "--db", signed_db)
    assert result.exit_code == 0, result.output
    assert f"{len(events)} signed events by 3 registered keys" in result.output
    assert "(6 signatures checked" in result.output  # 3 registrations and each actor's last, which vouches for the rest
    every = run("audit", "verify", "--db", signed_db, "--every-signature")
    assert every.exit_code == 0 and f"({len(events)} signatures checked" in every.output


def test_an_appended_event_without_a_signature_fails(signed_db):
    seq = forge(signed_db, actor="editor-in-chief")
    assert signature_problems(signed_db) == [f"event {seq} by editor-in-chief: not signed"]
    result = run("audit", "verify", "--db", signed_db)
    assert result.exit_code == 1
    assert f"FAILED: signature: event {seq} by editor-in-chief: not signed" in result.output


def test_an_event_signed_with_another_key_fails(signed_db):
    seq = forge(signed_db, actor="ana", key=Ed25519PrivateKey.generate())
    assert signature_problems(signed_db) == [
        f"event {seq} by ana: the signature does not verify with ana's registered key (it vouches for every"
        " earlier event of ana: 'audit verify --every-signature' names the first one that is not theirs)"]


def test_a_forged_event_is_never_vouched_for_by_its_actors_next_write(signed_db):
    seq = forge(signed_db, actor="ana")
    db = open_db(signed_db)
    claim = db.execute("SELECT id FROM statements WHERE checkworthy ORDER BY id LIMIT 1 OFFSET 3").fetchone()[0]
    with pytest.raises(signing.SigningError, match=f"event {seq} is in ana's name but was not written with their key"):
        review.record_verdict(db, claim, "ana", "true")
    review.record_verdict(db, claim, "bo", "true")  # others can go on; the forgery stays named
    db.conn.close()
    assert signature_problems(signed_db) == [f"event {seq} by ana: not signed"]


def test_a_changed_record_of_a_reviewers_chain_is_refused_and_named(signed_db):
    conn = sqlite3.connect(str(signed_db), isolation_level=None)
    conn.execute("UPDATE reviewer_keys SET chain = ? WHERE actor = 'ana'", ["0" * 64])
    conn.close()
    db = open_db(signed_db)
    with pytest.raises(signing.SigningError, match="the record of ana's events is not the one their key signed"):
        review.set_flag(db, 1, "ana", True)
    report = verify_database(db)
    db.conn.close()
    assert report.disagreements[0].startswith("signed chain of reviewer ana: chain: table says 0000")


def test_a_writer_that_stays_open_notices_tampering_between_two_of_its_writes(signed_db):
    # The review screen keeps one connection for hours and writes through it: what it found intact before one write
    # (the triggers, its own last signature) must be checked again after anyone else changed the file.
    db = open_db(signed_db)
    claims = [r[0] for r in db.execute("SELECT id FROM statements WHERE checkworthy ORDER BY id LIMIT 4")]
    review.record_verdict(db, claims[1], "ana", "true")
    review.record_verdict(db, claims[2], "ana", "true")  # its own last event and signature, as it wrote them
    attacker = sqlite3.connect(str(signed_db), isolation_level=None)
    trigger = attacker.execute("SELECT sql FROM sqlite_master WHERE name = 'audit_events_no_update'").fetchone()[0]
    attacker.execute("DROP TRIGGER audit_events_no_update")
    with pytest.raises(ProtectionMissing, match="trigger audit_events_no_update is missing"):
        review.record_verdict(db, claims[3], "ana", "true")
    # a signature swapped for another valid one of ana's (her previous event's), the trigger put back exactly
    seq, previous = attacker.execute("SELECT seq, (SELECT signature FROM audit_events WHERE actor = 'ana' AND"
                                     " seq < e.seq ORDER BY seq DESC LIMIT 1) FROM audit_events e WHERE actor = 'ana'"
                                     " ORDER BY seq DESC LIMIT 1").fetchone()
    attacker.execute("UPDATE audit_events SET signature = ? WHERE seq = ?", [previous, seq])
    attacker.execute(trigger)
    attacker.close()
    with pytest.raises(signing.SigningError, match="the record of ana's events is not the one their key signed"):
        review.record_verdict(db, claims[3], "ana", "true")
    assert db.execute("SELECT COUNT(*) FROM verdicts WHERE claim_id = ? AND reviewer = 'ana'",
                      [claims[3]]).fetchone()[0] == 0
    db.conn.close()


def test_an_actor_with_no_registered_key_fails(signed_db):
    seq = forge(signed_db, actor="editor-in-chief", key=Ed25519PrivateKey.generate())
    assert signature_problems(signed_db) == [
        f"event {seq} by editor-in-chief: editor-in-chief has no registered key at this point of the log"]


def test_replacing_a_reviewers_key_needs_the_old_key(signed_db):
    mine = Ed25519PrivateKey.generate()
    public = signing.b64(mine.public_key().public_bytes_raw())
    seq = forge(signed_db, actor="ana", action="key.register", key=mine, object_id="ana",
                after={"algorithm": "ed25519", "public_key": public})
    later = forge(signed_db, actor="ana", key=mine)
    problems = signature_problems(signed_db)
    assert problems[0] == f"event {seq} by ana: the signature does not verify with ana's registered key"
    assert later == seq + 1 and problems[1].startswith(f"event {later} by ana: the signature does not verify")


def test_a_stripped_signature_fails(signed_db):
    conn = sqlite3.connect(str(signed_db), isolation_level=None)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'audit_events_no_update'").fetchone()[0]
    conn.execute("DROP TRIGGER audit_events_no_update")
    seq = conn.execute("SELECT MAX(seq) FROM audit_events WHERE actor = 'bo'").fetchone()[0]
    conn.execute("UPDATE audit_events SET signature = NULL WHERE seq = ?", [seq])
    conn.execute(sql)  # and the trigger put back exactly, so the protection looks intact
    conn.close()
    assert signature_problems(signed_db) == [f"event {seq} by bo: not signed"]


def test_the_exported_file_verifies_signatures_too(signed_db, tmp_path):
    db = open_db(signed_db)
    out = io.StringIO(newline="")
    export_audit(db, out, "jsonl")
    db.conn.close()
    log = tmp_path / "audit.jsonl"
    log.write_text(out.getvalue(), encoding="utf-8")
    assert run("audit", "verify", "--file", log).exit_code == 0
    lines = out.getvalue().splitlines(keepends=True)
    event = json.loads(lines[-1])
    event["signature"] = None
    lines[-1] = json.dumps(event, ensure_ascii=False) + "\n"
    log.write_text("".join(lines), encoding="utf-8")
    result = run("audit", "verify", "--file", log)
    assert result.exit_code == 1 and f"event {event['seq']} by bo: not signed" in result.output


# -- keys -----------------------------------------------------------------------------------


def test_keys_are_created_on_first_use_with_safe_permissions(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    signer = signing.signer_for("zoë / 审核员")
    assert signer.path.parent == tmp_path / "config" / "workbench" / "keys"
    assert stat.S_IMODE(signer.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(signer.path.parent.stat().st_mode) == 0o700
    assert "/" not in signer.path.name[:-4] and signer.path.name.endswith(".key")
    signing._SIGNERS.clear()
    assert signing.signer_for("zoë / 审核员").public_key == signer.public_key  # read back, not recreated
    assert signing.key_path("zoë / 审核员") != signing.key_path("zoë _ 审核员")


def test_a_key_others_can_read_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_KEYS_DIR", str(tmp_path / "keys"))
    path = signing.signer_for("careless").path
    signing._SIGNERS.clear()
    os.chmod(path, 0o644)
    with pytest.raises(signing.SigningError, match="chmod 600"):
        signing.signer_for("careless")


def test_a_reviewer_with_another_key_is_refused_and_nothing_is_written(signed_db, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_KEYS_DIR", str(tmp_path / "other-machine"))
    db = open_db(signed_db)
    claim = db.execute("SELECT id FROM statements WHERE checkworthy ORDER BY id LIMIT 1 OFFSET 1").fetchone()[0]
    count = db.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0]
    with pytest.raises(signing.SigningError, match="signs this database with another key"):
        review.record_verdict(db, claim, "ana", "true")
    assert db.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0] == count
    assert not db.execute("SELECT 1 FROM verdicts WHERE claim_id = ?", [claim]).fetchone()
    db.conn.close()
    result = CliRunner().invoke(cli, ["verdict", str(claim), "true", "--reviewer", "ana", "--db", str(signed_db)])
    assert result.exit_code == 1 and result.output.startswith("Error: 'ana' signs this database with another key")


# -- checkpoints ------------------------------------------------------------------------------


def make_checkpoint(path, tmp_path, reviewer="ana") -> tuple:
    point = tmp_path / "cp.json"
    result = run("audit", "checkpoint", "--db", path, "-o", point, "--reviewer", reviewer)
    assert result.exit_code == 0, result.output
    return point, json.loads(point.read_text())


def test_a_signed_checkpoint_verifies(signed_db, tmp_path):
    point, data = make_checkpoint(signed_db, tmp_path)
    assert data["format"] == "workbench.audit.checkpoint.v2" and data["signer"] == "ana"
    assert run("audit", "verify", "--db", signed_db, "--checkpoint", point).exit_code == 0


@pytest.mark.parametrize("field, value", [
    ("head", "0" * 64), ("count", 1), ("database_id", None), ("signer", "bo"), ("time", "2020-01-01"),
])
def test_a_signed_checkpoint_that_was_changed_fails(signed_db, tmp_path, field, value):
    point, data = make_checkpoint(signed_db, tmp_path)
    data[field] = value
    point.write_text(json.dumps(data))
    result = run("audit", "verify", "--db", signed_db, "--checkpoint", point)
    assert result.exit_code == 1
    assert "FAILED: checkpoint: the checkpoint's signature does not verify" in result.output


def test_a_resigned_checkpoint_with_another_key_fails(signed_db, tmp_path):
    point, data = make_checkpoint(signed_db, tmp_path)
    from workbench.audit import Checkpoint

    forger = signing.Signer("ana", Ed25519PrivateKey.generate(), "", tmp_path / "x")
    forger = signing.Signer("ana", forger.private_key, signing.b64(forger.private_key.public_key().public_bytes_raw()),
                            forger.path)
    forged = signing.sign_checkpoint(Checkpoint.from_json(data), forger)
    point.write_text(json.dumps(forged.to_json()))
    result = run("audit", "verify", "--db", signed_db, "--checkpoint", point)
    assert result.exit_code == 1 and "but the log registers key" in result.output


def test_an_unsigned_checkpoint_is_not_enough(signed_db, tmp_path):
    point, data = make_checkpoint(signed_db, tmp_path)
    for name in ("signer", "public_key", "signature"):
        del data[name]
    data["format"] = "workbench.audit.checkpoint.v1"
    point.write_text(json.dumps(data))
    result = run("audit", "verify", "--db", signed_db, "--checkpoint", point)
    assert result.exit_code == 1 and "the checkpoint is not signed" in result.output


# -- a database from before signing -------------------------------------------------------------


def test_a_log_from_before_signing_gets_a_marker_and_must_be_signed_after_it(tmp_path):
    import uuid

    path = tmp_path / "old.db"
    conn = sqlite3.connect(str(path))
    import sqlite_utils

    old = sqlite_utils.Database(conn)
    migrations.apply(old, stop_before="m013_signatures")
    prev = "0" * 64
    for seq in (1, 2):  # written as the previous version did: no signature column
        event = {"seq": seq, "event_id": str(uuid.uuid4()), "time": "2026-11-01T00:00:00.000000Z", "actor": "ana",
                 "session": "h:1", "action": "test.old", "object_type": "t", "object_id": str(seq),
                 "before": None, "after": "{}", "reason": None, "app_version": "0.1", "prev_hash": prev}
        event["hash"] = prev = event_hash(event)
        conn.execute(f"INSERT INTO audit_events ({', '.join(event)}) VALUES ({', '.join('?' * len(event))})",
                     list(event.values()))
    conn.commit()
    conn.close()

    db = open_db(path)  # migrates: signing begins after the two old events
    marker = db.execute("SELECT seq, action, signature FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    assert marker == (3, "audit.signing_begins", None)
    with transaction(db):
        from workbench.store.audit import append_event

        append_event(db, actor="ana", action="test.new", object_type="t")
    report = verify_database(db)
    assert report.ok and report.legacy_unsigned == 2 and report.signed == 2  # ana's key, then her event
    db.conn.close()
    result = run("audit", "verify", "--db", path)
    assert result.exit_code == 0 and "2 from before signing" in result.output

    seq = forge(path, actor="ana")
    assert signature_problems(path) == [f"event {seq} by ana: not signed"]
    marker_again = forge(path, actor="workbench", action="audit.signing_begins")
    problems = signature_problems(path)
    assert f"event {marker_again}: a second 'signing begins' marker, or one after signed events" in problems


def test_audit_keys_lists_every_registered_key_with_its_fingerprint(signed_db):
    result = run("audit", "keys", "--db", signed_db, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["actor"] for r in rows] == ["tester", "ana", "bo"]
    for row in rows:
        assert row["fingerprint"] == signing.fingerprint(row["public_key"])
        assert row["registered_seq"] <= row["last_seq"]
    mine = run("audit", "my-key", "--reviewer", "ana")
    assert mine.exit_code == 0 and rows[1]["fingerprint"] in mine.output
