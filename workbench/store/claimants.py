"""Claimants: who made each claim, as found by the analysis or corrected by a reviewer.

The analysis writes one row per statement (``save_found``, inside the
statements' own write); a reviewer's correction (``correct_claimant``) marks
the row ``corrected_by`` so re-analysis leaves it alone, and commits with its
``claimant.correct`` audit event through the single append path.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from workbench.model import CLAIMANT_KINDS, Claimant, Statement
from workbench.store.audit import append_event, now_utc
from workbench.store.db import transaction


class ClaimantError(ValueError):
    """A correction the store refuses (unknown claim, entity or kind), with a one-line reason."""


def save_found(db: sqlite_utils.Database, pairs: Iterable[tuple[int, Statement]]) -> None:
    """Store the analysis' claimant of each (statement id, statement); reviewer-corrected rows stay."""
    db.conn.executemany(
        """INSERT INTO claimants (statement_id, name, entity_id, surface, kind, reason, span_start, span_end)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(statement_id) DO UPDATE SET
               name = excluded.name, entity_id = excluded.entity_id, surface = excluded.surface,
               kind = excluded.kind, reason = excluded.reason, span_start = excluded.span_start,
               span_end = excluded.span_end
           WHERE claimants.corrected_by IS NULL""",
        [(sid, c.name, c.entity_id, c.surface, c.kind, c.reason, c.start, c.end)
         for sid, stmt in pairs if (c := stmt.claimant) is not None],
    )


def delete_for(db: sqlite_utils.Database, statement_ids: Iterable[int]) -> None:
    db.conn.executemany("DELETE FROM claimants WHERE statement_id = ?", [(i,) for i in statement_ids])


def claimants_of(db: sqlite_utils.Database, statement_ids: list[int]) -> dict[int, dict]:
    """statement id -> the claimant as the JSONL shows it (name from the gazetteer when resolved)."""
    out: dict[int, dict] = {}
    for i in range(0, len(statement_ids), 500):
        chunk = statement_ids[i:i + 500]
        for row in db.query(
                f"""SELECT c.statement_id, COALESCE(e.name, c.name) AS name, c.entity_id, e.type AS entity_type,
                           c.surface, c.kind, c.reason, c.span_start, c.span_end, c.corrected_by, c.corrected_at
                    FROM claimants c LEFT JOIN entities e ON e.id = c.entity_id
                    WHERE c.statement_id IN ({','.join('?' * len(chunk))})""", chunk):
            out[row.pop("statement_id")] = row
    return out


def claimant_of(db: sqlite_utils.Database, statement_id: int) -> dict | None:
    return claimants_of(db, [statement_id]).get(statement_id)


def correct_claimant(db: sqlite_utils.Database, claim_id: int, reviewer: str, *, name: str,
                     entity_id: int | None = None, kind: str = "speaker", reason: str | None = None) -> dict:
    """A reviewer says who made claim ``claim_id``; returns the new claimant. Audited with the change.

    ``entity_id`` names a gazetteer entity (its name wins over ``name`` when
    given); ``kind`` is ``speaker``, ``source`` or ``article``.
    """
    name = (name or "").strip()
    if kind not in CLAIMANT_KINDS:
        raise ClaimantError(f"unknown claimant kind {kind!r} (use {', '.join(CLAIMANT_KINDS)})")
    with transaction(db):
        if db.execute("SELECT 1 FROM statements WHERE id = ?", [claim_id]).fetchone() is None:
            raise ClaimantError(f"no claim {claim_id}")
        if entity_id is not None:
            row = db.execute("SELECT name FROM entities WHERE id = ?", [entity_id]).fetchone()
            if row is None:
                raise ClaimantError(f"no entity {entity_id}")
            name = name or row[0]
        if not name:
            raise ClaimantError("a claimant needs a name or an entity")
        before = claimant_of(db, claim_id)
        after = {"name": name, "entity_id": entity_id, "kind": kind,
                 "reason": reason or f"corrected by {reviewer}"}
        if before and all(before[k] == after[k] for k in ("name", "entity_id", "kind")) and before["corrected_by"]:
            return before
        db.execute(
            """INSERT INTO claimants (statement_id, name, entity_id, surface, kind, reason, corrected_by, corrected_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(statement_id) DO UPDATE SET name = excluded.name, entity_id = excluded.entity_id,
                   surface = excluded.surface, kind = excluded.kind, reason = excluded.reason,
                   span_start = NULL, span_end = NULL, corrected_by = excluded.corrected_by,
                   corrected_at = excluded.corrected_at""",
            [claim_id, name, entity_id, name, kind, after["reason"], reviewer, now_utc()])
        append_event(db, actor=reviewer, action="claimant.correct", object_type="claim", object_id=claim_id,
                     before={k: before[k] for k in ("name", "entity_id", "kind")} if before else None,
                     after=after, reason=reason)
        return claimant_of(db, claim_id)


__all__ = ["Claimant", "ClaimantError", "claimant_of", "claimants_of", "correct_claimant", "delete_for", "save_found"]
