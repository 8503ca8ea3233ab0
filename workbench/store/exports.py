"""Read-only queries behind the exports and the audit checkpoint.

Everything that can grow without bound is read in keyset-paged batches (never
``fetchall()`` over a whole table), inside one read transaction so a long
export sees a single consistent snapshot while reviewers keep writing (WAL).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from typing import Any

import sqlite_utils

BATCH = 1000


@contextlib.contextmanager
def read_snapshot(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One read transaction: every query inside sees the same committed state."""
    if db.conn.in_transaction:
        yield db
        return
    db.execute("BEGIN")
    try:
        yield db
    finally:
        db.execute("COMMIT")  # nothing was written; this only ends the snapshot


def get_setting(db: sqlite_utils.Database, key: str) -> Any:
    """The decoded JSON value of setting ``key``, or None when unset."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    if row is None:
        return None
    try:
        return json.loads(row[0])
    except ValueError:
        raise ValueError(f"setting {key!r} is not valid JSON") from None


def database_id(db: sqlite_utils.Database) -> str | None:
    value = get_setting(db, "database_id")
    return value if isinstance(value, str) else None


def _rows(cursor) -> list[dict[str, Any]]:
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


# A claim's final (adjudicated) verdict stands for the claim; without one, every
# reviewer's verdict is exported. Paged by claim (the verdicts index leads with
# claim_id), so each page costs the same however far into the table it is.
_EXPORTED_VERDICTS = """
    WITH page AS (SELECT DISTINCT claim_id FROM verdicts WHERE claim_id > ? ORDER BY claim_id LIMIT ?)
    SELECT v.id AS verdict_id, v.claim_id, v.reviewer, v.label, v.note, v.evidence, v.time,
           v.final, v.version,
           s.text AS claim, s.article_id,
           a.title AS article_title, a.url AS article_url, a.published AS article_published,
           a.site AS article_site, a.author AS article_author, a.format AS article_format,
           COALESCE(ce.name, c.name) AS claimant_name, c.kind AS claimant_kind, ce.type AS claimant_type
    FROM page
    JOIN verdicts v ON v.claim_id = page.claim_id
    JOIN statements s ON s.id = v.claim_id
    JOIN articles a ON a.id = s.article_id
    LEFT JOIN claimants c ON c.statement_id = s.id
    LEFT JOIN entities ce ON ce.id = c.entity_id
    WHERE v.final = 1 OR NOT EXISTS (SELECT 1 FROM verdicts f WHERE f.claim_id = v.claim_id AND f.final = 1)
    ORDER BY v.claim_id, v.id
"""


def iter_exported_verdicts(db: sqlite_utils.Database, batch: int = BATCH) -> Iterator[dict[str, Any]]:
    """The verdicts an export publishes, claim by claim, with claim and article fields.

    ``batch`` counts claims per query; a claim's verdicts (one per reviewer) always come together.
    """
    after = 0
    while True:
        rows = _rows(db.execute(_EXPORTED_VERDICTS, [after, batch]))
        if not rows:
            return
        yield from rows
        after = rows[-1]["claim_id"]


_REPORT_ARTICLES = """
    SELECT a.id, a.title, a.site, a.author, a.published, a.url, a.path
    FROM articles a
    WHERE a.id > ?
      AND EXISTS (SELECT 1 FROM statements s WHERE s.article_id = a.id
                  AND ((s.checkworthy = 1 AND s.retired = 0)
                       OR EXISTS (SELECT 1 FROM verdicts v WHERE v.claim_id = s.id)))
    ORDER BY a.id
    LIMIT ?
"""


def iter_report_articles(db: sqlite_utils.Database, batch: int = 200) -> Iterator[dict[str, Any]]:
    """Articles with at least one claim (a check-worthy statement, or one with a verdict)."""
    after = 0
    while True:
        rows = _rows(db.execute(_REPORT_ARTICLES, [after, batch]))
        if not rows:
            return
        yield from rows
        after = rows[-1]["id"]


def article_claims(db: sqlite_utils.Database, article_id: int) -> list[dict[str, Any]]:
    """One article's claims in reading order (bounded by the article's length)."""
    return _rows(db.execute(
        """
        SELECT s.id, s.position, s.text, s.score, s.retired
        FROM statements s
        WHERE s.article_id = ?
          AND ((s.checkworthy = 1 AND s.retired = 0)
               OR EXISTS (SELECT 1 FROM verdicts v WHERE v.claim_id = s.id))
        ORDER BY s.position, s.id
        """,
        [article_id],
    ))


def _in(ids: Sequence[int]) -> str:
    return ",".join("?" * len(ids))


def claim_verdicts(db: sqlite_utils.Database, claim_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Every verdict on these claims, final ones first, then by reviewer."""
    if not claim_ids:
        return []
    return _rows(db.execute(
        f"SELECT id, claim_id, reviewer, label, note, evidence, time, final FROM verdicts"
        f" WHERE claim_id IN ({_in(claim_ids)}) ORDER BY claim_id, final DESC, reviewer, id",
        list(claim_ids),
    ))


def claim_links(db: sqlite_utils.Database, claim_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Links from or to these claims that a reviewer has not rejected, with the other side."""
    if not claim_ids:
        return []
    marks = _in(claim_ids)
    return _rows(db.execute(
        f"""
        SELECT l.id, l.claim_id AS from_id, l.statement_id AS to_id, l.score, l.relation, l.status,
               l.duplicate, l.reasons,
               CASE WHEN l.claim_id IN ({marks}) THEN l.claim_id ELSE l.statement_id END AS claim_id,
               o.id AS other_id, o.text AS other_text, o.article_id AS other_article_id,
               oa.title AS other_article_title
        FROM links l
        JOIN statements o ON o.id = CASE WHEN l.claim_id IN ({marks}) THEN l.statement_id ELSE l.claim_id END
        JOIN articles oa ON oa.id = o.article_id
        WHERE (l.claim_id IN ({marks}) OR l.statement_id IN ({marks})) AND l.status != 'rejected'
        ORDER BY claim_id, l.status = 'confirmed' DESC, l.score DESC, l.id
        """,
        list(claim_ids) * 4,
    ))
