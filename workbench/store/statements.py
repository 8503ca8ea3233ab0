"""Statements and their annotations (mentions, dates, numbers), and the claim listings."""

from __future__ import annotations

import json
from collections.abc import Iterable

import sqlite_utils

from workbench.model import EntityMention, Statement
from workbench.store import claimants as store_claimants
from workbench.store.db import transaction
from workbench.store.search import index_statements, unindex_statements


def _insert_annotations(db: sqlite_utils.Database, pairs: list[tuple[int, Statement]]) -> None:
    """Every mention, date and number of these (statement id, statement) pairs: one executemany per table."""
    db.conn.executemany(
        "INSERT INTO mentions (statement_id, entity_id, surface, span_start, span_end, fuzzy, reason)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(sid, m.entity_id, m.surface, m.start, m.end, int(m.fuzzy), m.reason)
         for sid, stmt in pairs for m in stmt.entities],
    )
    db.conn.executemany(
        "INSERT INTO statement_dates (statement_id, surface, span_start, span_end, precision, start_day, end_day,"
        " anchor, anchor_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(sid, d.surface, d.start, d.end, d.precision, d.start_day, d.end_day, d.anchor, d.anchor_source)
         for sid, stmt in pairs for d in stmt.dates],
    )
    db.conn.executemany(
        "INSERT INTO statement_numbers (statement_id, surface, span_start, span_end, value, unit) VALUES (?, ?, ?, ?, ?, ?)",
        [(sid, n.surface, n.start, n.end, n.value, n.unit) for sid, stmt in pairs for n in stmt.numbers],
    )


def _delete_annotations(db: sqlite_utils.Database, ids: list[int]) -> None:
    for table in ("mentions", "statement_dates", "statement_numbers"):
        db.conn.executemany(f"DELETE FROM {table} WHERE statement_id = ?", [(i,) for i in ids])


def _has_reviewer_data(db: sqlite_utils.Database, statement_id: int) -> bool:
    return db.execute(
        """SELECT EXISTS (SELECT 1 FROM verdicts WHERE claim_id = :id)
               OR EXISTS (SELECT 1 FROM flags WHERE claim_id = :id)
               OR EXISTS (SELECT 1 FROM statements WHERE id = :id AND promoted_by IS NOT NULL)
               OR EXISTS (SELECT 1 FROM links WHERE (claim_id = :id OR statement_id = :id) AND status != 'suggested')""",
        {"id": statement_id},
    ).fetchone()[0]


def save_statements(db: sqlite_utils.Database, article_id: int, statements: list[Statement]) -> list[int]:
    """Store an article's statements, keeping the ids of statements whose span is unchanged.

    Re-analysis (a corrected date, a new alias) usually keeps every span, so
    verdicts and link decisions stay attached to the same ids. A statement that
    disappears is deleted, unless reviewers used it: then it is kept, retired.
    Returns the ids in statement order. Opens a transaction (a savepoint of
    the caller's).
    """
    with transaction(db):
        return _save_statements(db, article_id, statements)


def _save_statements(db: sqlite_utils.Database, article_id: int, statements: list[Statement]) -> list[int]:
    old = {(r[1], r[2]): r[0] for r in db.execute(
        "SELECT id, span_start, span_end FROM statements WHERE article_id = ?", [article_id])}
    # New statements get ids the way SQLite would (max + 1, ...): the write lock is held, so
    # they can be inserted with one executemany instead of one INSERT per row for its rowid.
    next_id = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM statements").fetchone()[0]
    ids, kept, inserts, updates, new_text = [], [], [], [], []
    for stmt in statements:
        values = (stmt.index, stmt.paragraph, stmt.text, stmt.score, int(stmt.checkworthy),
                  json.dumps(stmt.types), json.dumps(stmt.reasons, ensure_ascii=False))
        sid = old.pop((stmt.start, stmt.end), None)
        if sid is None:
            sid, next_id = next_id, next_id + 1
            inserts.append((sid, article_id, *values, stmt.start, stmt.end))
            new_text.append((sid, stmt.text))
        else:
            updates.append((*values, sid))
            kept.append(sid)
        ids.append(sid)
    db.conn.executemany(
        "INSERT INTO statements (id, article_id, position, paragraph, text, score, checkworthy, types, reasons,"
        " span_start, span_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", inserts)
    db.conn.executemany(
        # A statement a reviewer promoted stays a claim whatever the analysis says now.
        "UPDATE statements SET position = ?, paragraph = ?, text = ?, score = ?,"
        " checkworthy = CASE WHEN promoted_by IS NULL THEN ? ELSE 1 END, types = ?,"
        " reasons = ?, retired = 0 WHERE id = ?", updates)
    index_statements(db, new_text)
    _delete_annotations(db, kept)
    _insert_annotations(db, list(zip(ids, statements)))
    store_claimants.save_found(db, zip(ids, statements))
    gone = list(old.values())
    retire = [sid for sid in gone if _has_reviewer_data(db, sid)]
    delete = [sid for sid in gone if sid not in set(retire)]
    db.conn.executemany("UPDATE statements SET retired = 1, checkworthy = 0 WHERE id = ?", [(i,) for i in retire])
    _delete_annotations(db, delete)
    store_claimants.delete_for(db, delete)
    unindex_statements(db, delete)
    db.conn.executemany("DELETE FROM links WHERE claim_id = ? OR statement_id = ?", [(i, i) for i in delete])
    db.conn.executemany("DELETE FROM statements WHERE id = ?", [(i,) for i in delete])
    return ids


def replace_mentions(db: sqlite_utils.Database, statement_id: int, mentions: Iterable[EntityMention]) -> None:
    """Replace a statement's named mentions; inferred ones (coreference, with a reason) stay."""
    with transaction(db):
        db.execute("DELETE FROM mentions WHERE statement_id = ? AND reason IS NULL", [statement_id])
        db.conn.executemany(
            "INSERT INTO mentions (statement_id, entity_id, surface, span_start, span_end, fuzzy, reason)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(statement_id, m.entity_id, m.surface, m.start, m.end, int(m.fuzzy), m.reason) for m in mentions],
        )


def article_ids_of(db: sqlite_utils.Database, statement_ids: Iterable[int]) -> set[int]:
    """The articles these statements belong to."""
    ids = sorted(set(statement_ids))
    found: set[int] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        found.update(r[0] for r in db.execute(
            f"SELECT DISTINCT article_id FROM statements WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    return found


def statements_containing(db: sqlite_utils.Database, phrase: str) -> list[tuple[int, int, str]]:
    """(id, span_start, text) of live statements whose text contains ``phrase`` (via the search index)."""
    from workbench.store.search import search_clause

    clause, params = search_clause(phrase)
    return [tuple(r) for r in db.execute(
        f"SELECT id, span_start, text FROM statements WHERE NOT retired AND {clause}", params)]


def statement_rows(db: sqlite_utils.Database, *, article_id: int | None = None, claims_only: bool = True,
                   statement_ids: list[int] | None = None) -> list[dict]:
    """Statements with their annotations, in article order (for listings and exports)."""
    where = ["NOT s.retired"]
    params: list = []
    if claims_only:
        where.append("s.checkworthy")
    if article_id is not None:
        where.append("s.article_id = ?")
        params.append(article_id)
    if statement_ids is not None:
        where.append(f"s.id IN ({','.join('?' * len(statement_ids))})")
        params.extend(statement_ids)
    rows = list(db.query(
        f"""SELECT s.id, s.article_id, s.position AS "index", s.text, s.span_start AS start, s.span_end AS "end",
                   s.score, s.checkworthy, s.types, s.reasons
            FROM statements s WHERE {' AND '.join(where)} ORDER BY s.article_id, s.position""",
        params,
    ))
    if not rows:
        return []
    by_id = {}
    for row in rows:
        row["checkworthy"] = bool(row["checkworthy"])
        row["types"] = json.loads(row["types"])
        row["reasons"] = json.loads(row["reasons"])
        row["entities"], row["dates"], row["numbers"] = [], [], []
        by_id[row["id"]] = row
    ids = list(by_id)
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start:chunk_start + 500]
        marks = ",".join("?" * len(chunk))
        for m in db.query(
            f"""SELECT m.statement_id, e.id, e.name, e.type, e.status, m.surface, m.span_start, m.span_end, m.reason
                FROM mentions m JOIN entities e ON e.id = m.entity_id
                WHERE m.statement_id IN ({marks}) ORDER BY m.span_start""", chunk):
            by_id[m["statement_id"]]["entities"].append(
                {"id": m["id"], "name": m["name"], "type": m["type"], "status": m["status"], "surface": m["surface"],
                 "start": m["span_start"], "end": m["span_end"], "reason": m["reason"]})
        for d in db.query(
            f"""SELECT statement_id, surface, span_start, span_end, precision, start_day, end_day, anchor, anchor_source
                FROM statement_dates WHERE statement_id IN ({marks}) ORDER BY span_start""", chunk):
            by_id[d["statement_id"]]["dates"].append(
                {"surface": d["surface"], "start": d["start_day"], "end": d["end_day"], "precision": d["precision"],
                 "anchor": d["anchor"], "anchor_source": d["anchor_source"], "resolved": d["start_day"] is not None,
                 "span": [d["span_start"], d["span_end"]]})
        for n in db.query(
            f"""SELECT statement_id, surface, span_start, span_end, value, unit
                FROM statement_numbers WHERE statement_id IN ({marks}) ORDER BY span_start""", chunk):
            by_id[n["statement_id"]]["numbers"].append(
                {"surface": n["surface"], "value": n["value"], "unit": n["unit"], "span": [n["span_start"], n["span_end"]]})
    for sid, claimant in store_claimants.claimants_of(db, ids).items():
        by_id[sid]["claimant"] = claimant
    for row in rows:
        row.setdefault("claimant", None)
    return rows
