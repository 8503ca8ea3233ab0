"""Appending to and reading the audit log (the SQL side of workbench.audit)."""

from __future__ import annotations

import json
import os
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlite_utils

from workbench import __version__

if TYPE_CHECKING:
    from workbench import signing
    from workbench.audit import Checkpoint, Verification

# workbench.signing (it loads cryptography) is imported by the functions that sign or check signatures, and
# workbench.audit (hashing, the chain, the replay: ~5 ms to compile, ~2 ms from bytecode) by those that append or
# verify: a start that only reads (the review screen's first paint) pays for neither
_HOST = socket.gethostname()


def session() -> str:
    """host:pid of this process (computed per event: a forked child has its own pid)."""
    return f"{_HOST}:{os.getpid()}"


def now_utc() -> str:
    """UTC time, ISO 8601 with microseconds, e.g. 2026-11-22T01:41:36.123456Z."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def append_event(
    db: sqlite_utils.Database,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: Any = None,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
) -> dict:
    """Append one event, signed with the actor's key; must run inside the transaction of the change it records.

    The caller's ``BEGIN IMMEDIATE`` holds the write lock, so reading the head
    and appending after it cannot race with another writer. The actor's first
    event in this database is preceded by the registration of its public key.
    Refused (:class:`ProtectionMissing`) while the append-only triggers are
    missing, and (:class:`~workbench.signing.SigningError`) when the actor's key
    cannot be used here or the log holds an event in their name their key did
    not sign; either way the caller's change rolls back with it.
    """
    from workbench import signing

    if not db.conn.in_transaction:
        raise RuntimeError("append_event must run inside the change's transaction")
    if not isinstance(actor, str) or not actor.strip():
        raise ValueError("an audited change needs the name of who made it (the actor is blank)")
    check_protection(db)
    signer = signing.signer_for(actor)
    chain = _signing_chain(db, signer)
    event = _new_event(db, actor=actor, action=action, object_type=object_type, object_id=object_id,
                       before=before, after=after, reason=reason)
    return _insert_event(db, event, signer, chain)


def _new_event(db, *, actor, action, object_type, object_id=None, before=None, after=None, reason=None) -> dict:
    from workbench.audit import GENESIS_HASH, canonical_json

    head = db.execute("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
    return {
        "seq": seq,
        "event_id": str(uuid.uuid4()),
        "time": now_utc(),
        "actor": actor,
        "session": session(),
        "action": action,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id),
        "before": None if before is None else canonical_json(before),
        "after": None if after is None else canonical_json(after),
        "reason": reason,
        "app_version": __version__,
        "prev_hash": prev,
    }


def _insert_event(db, event: dict, signer: signing.Signer | None, chain: str | None = None) -> dict:
    """Hash, sign (over the actor's chain extended by the hash) and insert; moves the actor's chain on."""
    from workbench import signing
    from workbench.audit import event_hash

    event["hash"] = event_hash(event)
    if signer is None:
        event["signature"] = None
    else:
        chain = signing.next_actor_chain(chain, event["hash"])
        event["signature"] = signer.sign_event(chain)
        _VOUCHED[signer.actor] = (signer.public_key, chain, event["signature"])
    db.execute(
        "INSERT INTO audit_events (seq, event_id, time, actor, session, action, object_type, object_id,"
        " before, after, reason, app_version, prev_hash, hash, signature)"
        " VALUES (:seq, :event_id, :time, :actor, :session, :action, :object_type, :object_id,"
        " :before, :after, :reason, :app_version, :prev_hash, :hash, :signature)",
        event,
    )
    if signer is not None:
        db.execute("UPDATE reviewer_keys SET chain = ?, last_seq = ? WHERE actor = ?",
                   [chain, event["seq"], signer.actor])
    return event


def register_key(db: sqlite_utils.Database, actor: str) -> str:
    """Register ``actor``'s public key in this database if it is not yet (inside the caller's transaction)."""
    from workbench import signing

    if not db.conn.in_transaction:
        raise RuntimeError("register_key must run inside a transaction")
    check_protection(db)
    signer = signing.signer_for(actor)
    _signing_chain(db, signer)
    return signer.public_key


def _signing_chain(db, signer: signing.Signer) -> str:
    """The actor's chain to extend, after checking it is theirs; registers their key on first use."""
    from workbench import signing

    actor = signer.actor
    # the actor's key row, the first event in their name after the one their chain ends at (there must be none),
    # and that event's signature: one statement
    row = db.execute("SELECT k.public_key, k.chain, k.last_seq,"
                     " (SELECT seq FROM audit_events WHERE actor = k.actor AND seq > k.last_seq ORDER BY seq LIMIT 1),"
                     " (SELECT signature FROM audit_events WHERE seq = k.last_seq AND actor = k.actor)"
                     " FROM reviewer_keys k WHERE k.actor = ?", [actor]).fetchone()
    if row is None:
        db.execute("INSERT INTO reviewer_keys (actor, public_key, registered_seq, chain, last_seq)"
                   " VALUES (?, ?, 0, ?, 0)", [actor, signer.public_key, signing.actor_chain_start(actor)])
        event = _new_event(db, actor=actor, action=signing.REGISTER_ACTION, object_type="reviewer", object_id=actor,
                           after={"algorithm": signing.ALGORITHM, "public_key": signer.public_key,
                                  "fingerprint": signing.fingerprint(signer.public_key)})
        _insert_event(db, event, signer, signing.actor_chain_start(actor))
        db.execute("UPDATE reviewer_keys SET registered_seq = ? WHERE actor = ?", [event["seq"], actor])
        return db.execute("SELECT chain FROM reviewer_keys WHERE actor = ?", [actor]).fetchone()[0]
    public_key, chain, last_seq, later, signature = row
    if public_key != signer.public_key:
        raise signing.SigningError(
            f"{actor!r} signs this database with another key (fingerprint {signing.fingerprint(public_key)});"
            f" the key at {signer.path} is {signing.fingerprint(signer.public_key)}: use the key that"
            f" registered {actor!r}, or another reviewer name")
    # Never extend a chain someone else wrote into: the last event in this actor's name must be the
    # one their key signed over the stored chain.
    if later is not None or signature is None or not _vouches(actor, public_key, chain, signature):
        where = f"event {later} is in {actor}'s name but was not written with their key" if later else (
            f"the record of {actor}'s events is not the one their key signed")
        raise signing.SigningError(f"refusing to sign as {actor!r}: {where}; the log was tampered with:"
                                   " run 'workbench audit verify'")
    return chain


# (public key, chain, signature) triples known to verify: the ones this process signed or checked. A verify is a
# pure function of the three, so one seen before needs no second Ed25519 verify (~60 us); anything else, say a
# signature or chain changed in the file, is verified as before.
_VOUCHED: dict[str, tuple[str, str, str]] = {}  # actor -> their last known-good triple


def _vouches(actor: str, public_key: str, chain: str, signature: str) -> bool:
    """Does ``signature`` over ``chain`` verify with ``public_key``?"""
    from workbench import signing

    triple = (public_key, chain, signature)
    if _VOUCHED.get(actor) == triple:
        return True
    if not signing.verify_bytes(public_key, signing.EVENT_DOMAIN, chain.encode("ascii"), signature):
        return False
    _VOUCHED[actor] = triple
    return True


def append_signing_marker(db: sqlite_utils.Database) -> None:
    """Mark where signing begins in a log that already had events (the schema migration does this once)."""
    from workbench import signing

    event = _new_event(db, actor="workbench", action=signing.SIGNING_BEGINS_ACTION, object_type="audit_log",
                       reason="events before this one were written before events were signed")
    _insert_event(db, event, None)


def iter_events(db: sqlite_utils.Database, batch: int = 5000) -> Iterator[dict]:
    """Every event in ``seq`` order, fetched in batches (bounded memory)."""
    last = 0
    columns = None
    while True:
        cursor = db.execute("SELECT * FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?", [last, batch])
        columns = columns or [d[0] for d in cursor.description]
        rows = cursor.fetchall()
        if not rows:
            return
        for row in rows:
            yield dict(zip(columns, row))
        last = rows[-1][0]


# -- the append-only protection ------------------------------------------------------------

class ProtectionMissing(RuntimeError):
    """The triggers that keep the audit log append-only are missing or altered: no write goes ahead."""


def audit_triggers() -> dict[str, str]:
    """The append-only triggers exactly as the schema creates them (name -> SQL as SQLite stores it)."""
    from workbench.store.schema import _V1

    out = {}
    for statement in _V1:
        text = statement.strip()
        if text.startswith("CREATE TRIGGER"):
            out[text.split()[2]] = text
    return out


_TRIGGERS = audit_triggers()


def protection_problems(db: sqlite_utils.Database) -> list[str]:
    """What is wrong with the audit log's protection (empty when the triggers are as the schema made them)."""
    stored = dict(db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'").fetchall())
    problems = []
    for name, sql in _TRIGGERS.items():
        if name not in stored:
            problems.append(f"trigger {name} is missing")
        elif stored[name] != sql:
            problems.append(f"trigger {name} is not the one the schema creates")
    for name in sorted(set(stored) - set(_TRIGGERS)):
        problems.append(f"trigger {name} on audit_events is not part of the schema")
    return problems


REPAIR_HINT = "run 'workbench audit repair-triggers' to restore it (an audited event)"


def check_protection(db: sqlite_utils.Database) -> None:
    """Refuse to write to a database whose audit log has lost its protection.

    The triggers are read and compared again whenever the schema changed (``schema_version``: any DDL, ours
    included) or another connection committed anything (``data_version``) since this connection last found
    them intact; otherwise nothing can have touched them, and the check is one pragma read.
    """
    seen = db.execute("SELECT s.schema_version, d.data_version FROM pragma_schema_version s,"
                      " pragma_data_version d").fetchone()
    if getattr(db, "_protection_intact_at", None) == seen:
        return
    problems = protection_problems(db)
    if problems:
        raise ProtectionMissing(f"refusing to write: the audit log is unprotected ({'; '.join(problems)}); "
                                f"{REPAIR_HINT}")
    db._protection_intact_at = seen


def repair_triggers(db: sqlite_utils.Database, *, actor: str) -> list[str]:
    """Recreate missing or altered append-only triggers; returns what was wrong (recorded in the event)."""
    from workbench.store.db import transaction

    with transaction(db):
        problems = protection_problems(db)
        if not problems:
            return []
        stored = {r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'")}
        for name in stored:
            db.execute(f'DROP TRIGGER "{name}"')
        for sql in _TRIGGERS.values():
            db.execute(sql)
        append_event(db, actor=actor, action="audit.repair_triggers", object_type="audit_log",
                     after={"repaired": problems})
    return problems


# -- reviewer state as the tables hold it (compared with the fold of the log) ----------------------

def _verdict_rows(db, replayed):
    for claim_id, reviewer, final, label, note, evidence, version in db.execute(
            "SELECT claim_id, reviewer, final, label, note, evidence, version FROM verdicts"):
        yield (claim_id, reviewer, bool(final)), {"label": label, "note": note, "evidence": json.loads(evidence),
                                                  "version": version}


def _flag_rows(db, replayed):
    for claim_id, reviewer in db.execute("SELECT claim_id, reviewer FROM flags"):
        yield (claim_id, reviewer), {"flagged": True}


def _link_rows(db, replayed):
    # One decision per pair: both directions of a pair must say the same, or the
    # table says both ("confirmed/rejected") and disagrees with the log.
    from workbench.audit import link_pair_key

    pairs: dict[tuple[int, int], set[tuple[str, str | None]]] = {}
    for claim_id, statement_id, status, decided_by in db.execute(
            """SELECT l.claim_id, l.statement_id, l.status, l.decided_by FROM links l
               WHERE l.status != 'suggested' OR EXISTS (SELECT 1 FROM links r WHERE r.claim_id = l.statement_id
                     AND r.statement_id = l.claim_id AND r.status != 'suggested')"""):
        pairs.setdefault(link_pair_key(claim_id, statement_id), set()).add((status, decided_by))
    for key, seen in pairs.items():
        statuses = sorted({status for status, _ in seen})
        deciders = sorted({by for _, by in seen if by})
        yield key, {"status": "/".join(statuses), "decided_by": "/".join(deciders) or None}


def _article_rows(db, replayed):
    from workbench.audit import ARTICLE_METADATA

    for row in db.execute(f"SELECT id, {', '.join(ARTICLE_METADATA)} FROM articles"):
        yield row[0], dict(zip(ARTICLE_METADATA, row[1:]))


def _entity_rows(db, replayed):
    # Gazetteer entities come from the schema and candidates from the analysis: only
    # reviewer-made entities, and any the log speaks of, are reviewer state.
    for entity_id, name, type_, status, aliases in db.execute(
            """SELECT e.id, e.name, e.type, e.status,
                      (SELECT json_group_array(alias) FROM
                         (SELECT alias FROM entity_aliases WHERE entity_id = e.id ORDER BY alias))
               FROM entities e WHERE e.status = 'user' OR e.id IN (SELECT value FROM json_each(?))""",
            [json.dumps(sorted(replayed))]):
        yield entity_id, {"name": name, "type": type_, "status": status, "aliases": json.loads(aliases)}


def _setting_rows(db, replayed):
    from workbench.audit import SCHEMA_SETTINGS

    for key, value in db.execute("SELECT key, value FROM settings"):
        if key not in SCHEMA_SETTINGS:
            yield key, {"value": json.loads(value)}


def _key_rows(db, replayed):
    for actor, public_key in db.execute("SELECT actor, public_key FROM reviewer_keys"):
        yield actor, {"public_key": public_key}


def _chain_rows(db):
    for actor, chain, last_seq in db.execute("SELECT actor, chain, last_seq FROM reviewer_keys"):
        yield actor, {"chain": chain, "last_seq": last_seq}


def _promotion_rows(db, replayed):
    for statement_id, promoted_by in db.execute(
            "SELECT id, promoted_by FROM statements WHERE promoted_by IS NOT NULL"):
        yield statement_id, {"promoted_by": promoted_by}


def _claimant_rows(db, replayed):
    # Only corrected claimants are reviewer state; the analysis writes the others.
    for statement_id, name, entity_id, kind, corrected_by in db.execute(
            "SELECT statement_id, name, entity_id, kind, corrected_by FROM claimants WHERE corrected_by IS NOT NULL"):
        yield statement_id, {"name": name, "entity_id": entity_id, "kind": kind, "corrected_by": corrected_by}


TABLE_READERS = {
    "reviewer_keys": _key_rows,
    "verdicts": _verdict_rows,
    "flags": _flag_rows,
    "link_decisions": _link_rows,
    "promotions": _promotion_rows,
    "articles": _article_rows,
    "entities": _entity_rows,
    "settings": _setting_rows,
    "claimants": _claimant_rows,
}


@dataclass
class AuditReport:
    """Everything ``audit verify`` checks: the chain, the protection, the signatures, the tables against the log."""

    chain: Verification
    protection: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    disagreement_count: int = 0
    signatures: list[str] = field(default_factory=list)
    signature_problem_count: int = 0
    signed: int = 0
    legacy_unsigned: int = 0
    verified: int = 0  # signatures checked (each actor's last and each registration, or all)
    keys: dict[str, str] = field(default_factory=dict)  # actor -> public key, as registered at the end

    @property
    def ok(self) -> bool:
        return (self.chain.ok and not self.protection and not self.disagreement_count
                and not self.signature_problem_count)


def verify_database(db: sqlite_utils.Database, *, checkpoint: Checkpoint | None = None, replay: bool = True,
                    signatures: bool = True, every_signature: bool = False, limit: int = 100,
                    workers: int | None = None) -> AuditReport:
    """Verify the chain, the signatures and replay the log in one streaming pass, then compare the tables.

    Run inside a read snapshot so the tables and the log are of one moment.
    ``limit`` caps the disagreements kept (all are counted). Signatures are
    checked on ``workers`` threads while this one hashes and replays.
    """
    from workbench import signing
    from workbench.audit import ChainVerifier, Fold, compare_state

    chain = ChainVerifier(checkpoint=checkpoint)
    fold = Fold() if replay else None
    checker = signing.SignatureChecker(every=every_signature, workers=workers) if signatures else None
    for event in iter_events(db):
        chain.feed(event)
        if fold is not None:
            fold.feed(event)
        if checker is not None:
            checker.feed(event)
    report = AuditReport(chain.result(), protection_problems(db))
    if checker is not None:
        report.signatures = checker.finish()
        report.signature_problem_count = checker.problem_count
        report.signed, report.legacy_unsigned = checker.signed, checker.legacy
        report.keys = checker.keys
        report.verified = checker.verified
    if fold is not None:
        found = list(fold.problems)
        if checker is not None:
            found.extend(compare_state("actor_chains", {a: {"chain": c, "last_seq": n} for a, (c, n) in
                                                        checker.chains.items()}, _chain_rows(db)))
        for kind, reader in TABLE_READERS.items():
            replayed = fold.state[kind]
            found.extend(compare_state(kind, replayed, reader(db, replayed)))
        report.disagreement_count = len(found)
        report.disagreements = found[:limit]
    return report
