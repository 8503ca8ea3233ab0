"""Appending to and reading the audit log (the SQL side of workbench.audit)."""

from __future__ import annotations

import json
import os
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from workbench import __version__
from workbench.audit import (
    ARTICLE_METADATA,
    GENESIS_HASH,
    SCHEMA_SETTINGS,
    ChainVerifier,
    Checkpoint,
    Fold,
    Verification,
    canonical_json,
    compare_state,
    event_hash,
)

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
    """Append one event; must run inside the transaction of the change it records.

    The caller's ``BEGIN IMMEDIATE`` holds the write lock, so reading the head
    and appending after it cannot race with another writer.
    """
    if not db.conn.in_transaction:
        raise RuntimeError("append_event must run inside the change's transaction")
    check_protection(db)
    head = db.execute("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
    event = {
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
    event["hash"] = event_hash(event)
    db.execute(
        "INSERT INTO audit_events (seq, event_id, time, actor, session, action, object_type, object_id,"
        " before, after, reason, app_version, prev_hash, hash)"
        " VALUES (:seq, :event_id, :time, :actor, :session, :action, :object_type, :object_id,"
        " :before, :after, :reason, :app_version, :prev_hash, :hash)",
        event,
    )
    return event


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
    """Refuse to write to a database whose audit log has lost its protection."""
    problems = protection_problems(db)
    if problems:
        raise ProtectionMissing(f"refusing to write: the audit log is unprotected ({'; '.join(problems)}); "
                                f"{REPAIR_HINT}")


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
    for key, value in db.execute("SELECT key, value FROM settings"):
        if key not in SCHEMA_SETTINGS:
            yield key, {"value": json.loads(value)}


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
    """Everything ``audit verify`` checks: the chain, the protection, the tables against the log."""

    chain: Verification
    protection: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    disagreement_count: int = 0

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.protection and not self.disagreement_count


def verify_database(db: sqlite_utils.Database, *, checkpoint: Checkpoint | None = None,
                    limit: int = 100) -> AuditReport:
    """Verify the chain and replay the log in one streaming pass, then compare the tables with it.

    Run inside a read snapshot so the tables and the log are of one moment.
    ``limit`` caps the disagreements kept (all are counted).
    """
    chain = ChainVerifier(checkpoint=checkpoint)
    fold = Fold()
    for event in iter_events(db):
        chain.feed(event)
        fold.feed(event)
    report = AuditReport(chain.result(), protection_problems(db))
    found = list(fold.problems)
    for kind, reader in TABLE_READERS.items():
        replayed = fold.state[kind]
        found.extend(compare_state(kind, replayed, reader(db, replayed)))
    report.disagreement_count = len(found)
    report.disagreements = found[:limit]
    return report
