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
           COALESCE(ce.name, c.name) AS claimant_name, c.kind AS claimant_kind, ce.type AS claimant_type,
           a.language AS article_language,
           CASE WHEN v.final THEN (
               SELECT e.reason FROM audit_events e
               WHERE e.object_type = 'claim' AND e.object_id = CAST(v.claim_id AS TEXT)
                 AND e.action = 'verdict.adjudicate' AND e.actor = v.reviewer
               ORDER BY e.seq DESC LIMIT 1) END AS adjudication_reason
    FROM page
    JOIN verdicts v ON v.claim_id = page.claim_id
    JOIN statements s ON s.id = v.claim_id
    JOIN articles a ON a.id = s.article_id
    LEFT JOIN claimants c ON c.statement_id = s.id
    LEFT JOIN entities ce ON ce.id = c.entity_id
    WHERE v.final = 1 OR NOT EXISTS (SELECT 1 FROM verdicts f WHERE f.claim_id = v.claim_id AND f.final = 1)
    ORDER BY v.claim_id, v.id
"""


def _claimant(row: dict[str, Any]) -> dict[str, str] | None:
    """The claim's claimant as ClaimReview's ``itemReviewed.author`` wants it: a name and a schema.org type.

    A gazetteer person is a Person and an organisation an Organization; a speaker the gazetteer does
    not know is taken for a Person and a source for an Organization; a claim that is the article's own
    is its byline's (a Person) or, without one, its site's (an Organization).
    """
    name, kind, type_ = row.pop("claimant_name"), row.pop("claimant_kind"), row.pop("claimant_type")
    if not name or name == "unknown" and kind == "article":
        return None
    if kind == "article":
        person = bool(row.get("article_author")) and name == row["article_author"]
    else:
        person = type_ == "person" or (type_ is None and kind == "speaker")
    return {"name": name, "type": "Person" if person else "Organization"}


def iter_exported_verdicts(db: sqlite_utils.Database, batch: int = BATCH) -> Iterator[dict[str, Any]]:
    """The verdicts an export publishes, claim by claim, with claim and article fields.

    ``batch`` counts claims per query; a claim's verdicts (one per reviewer) always come together.
    """
    after = 0
    while True:
        rows = _rows(db.execute(_EXPORTED_VERDICTS, [after, batch]))
        if not rows:
            return
        for row in rows:
            row["claimant"] = _claimant(row)
        yield from rows
        after = rows[-1]["claim_id"]


def confirmed_appearances(db: sqlite_utils.Database, claim_id: int) -> list[dict[str, Any]]:
    """The other articles where a reviewer confirmed a statement as linked to this claim (either side of the link)."""
    return _rows(db.execute(
        """
        SELECT DISTINCT a.id, a.url, a.title, a.site, a.author, a.published, a.language
        FROM links l
        JOIN statements o ON o.id = CASE WHEN l.claim_id = :claim THEN l.statement_id ELSE l.claim_id END
        JOIN articles a ON a.id = o.article_id
        WHERE (l.claim_id = :claim OR l.statement_id = :claim) AND l.status = 'confirmed'
          AND a.id != (SELECT article_id FROM statements WHERE id = :claim)
        ORDER BY a.published IS NULL, a.published, a.id
        """,
        {"claim": claim_id},
    ))


_CLAIM = "(s.checkworthy = 1 AND s.retired = 0) OR EXISTS (SELECT 1 FROM verdicts v WHERE v.claim_id = s.id)"
_REVIEWED = "EXISTS (SELECT 1 FROM verdicts v WHERE v.claim_id = s.id)"


def iter_report_articles(db: sqlite_utils.Database, batch: int = 200, *,
                         reviewed: bool = False) -> Iterator[dict[str, Any]]:
    """Articles with at least one claim (a check-worthy statement, or one with a verdict;
    with ``reviewed``, one with a verdict)."""
    after = 0
    query = f"""
        SELECT a.id, a.title, a.site, a.author, a.published, a.url, a.path
        FROM articles a
        WHERE a.id > ? AND EXISTS (SELECT 1 FROM statements s WHERE s.article_id = a.id
                                   AND ({_REVIEWED if reviewed else _CLAIM}))
        ORDER BY a.id
        LIMIT ?"""
    while True:
        rows = _rows(db.execute(query, [after, batch]))
        if not rows:
            return
        yield from rows
        after = rows[-1]["id"]


def article_claims(db: sqlite_utils.Database, article_id: int, *, reviewed: bool = False) -> list[dict[str, Any]]:
    """One article's claims in reading order (bounded by the article's length); with ``reviewed``, those with a verdict."""
    return _rows(db.execute(
        f"""
        SELECT s.id, s.position, s.text, s.score, s.retired
        FROM statements s
        WHERE s.article_id = ? AND ({_REVIEWED if reviewed else _CLAIM})
        ORDER BY s.position, s.id
        """,
        [article_id],
    ))


def iter_report_summary(db: sqlite_utils.Database, *, reviewed: bool = False) -> Iterator[dict[str, Any]]:
    """Per reported article: its claims, how many have a verdict, a final one, or disagreeing reviewers."""
    for article in iter_report_articles(db, reviewed=reviewed):
        row = db.execute(
            f"""SELECT COUNT(*),
                       SUM(EXISTS (SELECT 1 FROM verdicts v WHERE v.claim_id = s.id)),
                       SUM(EXISTS (SELECT 1 FROM verdicts v WHERE v.claim_id = s.id AND v.final = 1)),
                       SUM((SELECT COUNT(DISTINCT label) FROM verdicts v WHERE v.claim_id = s.id AND v.final = 0) > 1
                           AND NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.claim_id = s.id AND v.final = 1))
                FROM statements s WHERE s.article_id = ? AND ({_CLAIM})""", [article["id"]]).fetchone()
        yield {"id": article["id"], "title": article["title"], "claims": row[0] or 0, "reviewed": row[1] or 0,
               "final": row[2] or 0, "disputed": row[3] or 0}


def _in(ids: Sequence[int]) -> str:
    return ",".join("?" * len(ids))


def claim_verdicts(db: sqlite_utils.Database, claim_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Every verdict on these claims, final ones first, then by reviewer."""
    if not claim_ids:
        return []
    return _rows(db.execute(
        f"SELECT v.id, v.claim_id, v.reviewer, v.label, v.note, v.evidence, v.time, v.final,"
        f" CASE WHEN v.final THEN (SELECT e.reason FROM audit_events e WHERE e.object_type = 'claim'"
        f"   AND e.object_id = CAST(v.claim_id AS TEXT) AND e.action = 'verdict.adjudicate' AND e.actor = v.reviewer"
        f"   ORDER BY e.seq DESC LIMIT 1) END AS reason"
        f" FROM verdicts v WHERE v.claim_id IN ({_in(claim_ids)}) ORDER BY v.claim_id, v.final DESC, v.reviewer, v.id",
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
