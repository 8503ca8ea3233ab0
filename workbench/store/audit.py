"""Appending to and reading the audit log (the SQL side of workbench.audit)."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from workbench import __version__
from workbench.audit import GENESIS_HASH, canonical_json, event_hash

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
