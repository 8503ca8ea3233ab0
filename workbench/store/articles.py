"""Articles: saving what the importer read, listing, duplicates, refusals."""

from __future__ import annotations

import json

import sqlite_utils

from workbench.model import METADATA_FIELDS, ParsedArticle
from workbench.store.audit import append_event, now_utc
from workbench.store.db import transaction

_CHUNK = 500  # ids per IN (...) list, well under SQLite's variable limit


def article_by_sha(db: sqlite_utils.Database, sha256: str) -> dict | None:
    rows = list(db.query("SELECT id, path, record FROM articles WHERE sha256 = ?", [sha256]))
    return rows[0] if rows else None


def near_duplicate_candidates(db: sqlite_utils.Database, fingerprints: set[int], min_shared: float,
                              min_count: int) -> list[int]:
    """Articles sharing ``min_shared`` of these fingerprints, or at least ``min_count`` of them; most shared first."""
    if not fingerprints:
        return []
    need = max(1, min(int(len(fingerprints) * min_shared), min_count))
    values = sorted(fingerprints)
    rows = db.execute(
        f"""SELECT article_id, COUNT(*) AS shared FROM article_fingerprints
            WHERE hash IN ({",".join("?" * len(values))})
            GROUP BY article_id HAVING shared >= ? ORDER BY shared DESC, article_id LIMIT 5""",
        [*values, need],
    )
    return [r[0] for r in rows]


def article_text(db: sqlite_utils.Database, article_id: int) -> tuple[str, int | None]:
    row = db.execute("SELECT clean_text, duplicate_of FROM articles WHERE id = ?", [article_id]).fetchone()
    return row[0], row[1]


def stored_fingerprints(db: sqlite_utils.Database, article_id: int) -> frozenset[int]:
    """The sampled shingle hashes stored with an article (see workbench/dedup.py)."""
    return frozenset(r[0] for r in db.execute(
        "SELECT hash FROM article_fingerprints WHERE article_id = ?", [article_id]))


def analysis_input(db: sqlite_utils.Database, article_id: int) -> tuple | None:
    """(clean_text, published, language, revision, author, site) of a stored article: what re-analysis
    reads (author and site name the claimant of a claim nobody in it is said to make)."""
    row = db.execute("SELECT clean_text, published, language, revision, author, site FROM articles WHERE id = ?",
                     [article_id]).fetchone()
    return tuple(row) if row else None


def pending_ids(db: sqlite_utils.Database) -> list[int]:
    """Articles whose statements are not linked yet, in id order."""
    return [r[0] for r in db.execute("SELECT id FROM articles WHERE linked = 0 ORDER BY id")]


def article_count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]


def mark_linked(db: sqlite_utils.Database, article_ids, *, linked: bool = True) -> None:
    """Mark these articles linked (their links are stored) or not (they need linking again)."""
    with transaction(db):
        db.conn.executemany("UPDATE articles SET linked = ? WHERE id = ?", [(int(linked), i) for i in article_ids])


def insert_article(
    db: sqlite_utils.Database,
    parsed: ParsedArticle,
    *,
    sha256: str,
    fingerprints: set[int],
    duplicate_of: int | None,
    duplicate_similarity: float | None,
    actor: str,
) -> int:
    """Store one article with its raw bytes and removed chrome, and its audit event.

    Opens a transaction, a savepoint of the caller's when there is one (the
    statements join it), so an interrupted import leaves no half article.
    """
    with transaction(db):
        return _insert_article(db, parsed, sha256=sha256, fingerprints=fingerprints, duplicate_of=duplicate_of,
                               duplicate_similarity=duplicate_similarity, actor=actor)


def _insert_article(db, parsed, *, sha256, fingerprints, duplicate_of, duplicate_similarity, actor) -> int:
    row = {
        "path": parsed.path,
        "record": parsed.record,
        "sha256": sha256,
        "format": parsed.format,
        "encoding": parsed.encoding,
        "encoding_source": parsed.encoding_source or None,
        "size_bytes": len(parsed.raw),
        "clean_text": parsed.clean_text,
        "duplicate_of": duplicate_of,
        "duplicate_similarity": duplicate_similarity,
        "warnings": json.dumps(parsed.warnings, ensure_ascii=False),
        "imported_at": now_utc(),
        "imported_by": actor,
    }
    for name in METADATA_FIELDS:
        value = getattr(parsed, name)
        row[name] = value
        row[f"{name}_source"] = parsed.provenance.get(name) if value is not None else None
    columns = list(row)
    article_id = db.execute(
        f"INSERT INTO articles ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [row[c] for c in columns],
    ).lastrowid
    db.execute("INSERT INTO article_raw (article_id, raw) VALUES (?, ?)", [article_id, parsed.raw])
    db.conn.executemany(
        "INSERT INTO removed_chrome (article_id, position, kind, text, text_offset) VALUES (?, ?, ?, ?, ?)",
        [(article_id, i, r.kind, r.text, r.offset) for i, r in enumerate(parsed.removed)],
    )
    db.conn.executemany(
        "INSERT OR IGNORE INTO article_fingerprints (hash, article_id) VALUES (?, ?)",
        [(h, article_id) for h in sorted(fingerprints)],
    )
    append_event(
        db, actor=actor, action="article.import", object_type="article", object_id=article_id,
        after={
            "path": parsed.path, "record": parsed.record, "sha256": sha256, "format": parsed.format,
            "encoding": parsed.encoding, "duplicate_of": duplicate_of,
            **{name: row[name] for name in METADATA_FIELDS},
            "provenance": {n: row[f"{n}_source"] for n in METADATA_FIELDS if row[n] is not None},
            "removed": len(parsed.removed), "warnings": parsed.warnings,
        },
    )
    return article_id


def record_refusal(db: sqlite_utils.Database, path: str, reason: str, *, actor: str) -> None:
    """A refused file leaves a trace in the audit log."""
    with transaction(db):
        append_event(db, actor=actor, action="article.refuse", object_type="file", object_id=path,
                     after={"path": path}, reason=reason)


ARTICLE_COLUMNS = ("id", "path", "title", "published", "author", "site", "url", "language", "duplicate_of")


def list_articles(db: sqlite_utils.Database, article_ids: list[int] | None = None) -> list[dict]:
    """One row per article with its statement and claim counts (ordered by id)."""
    where, params = "", []
    if article_ids is not None:
        where = f"WHERE a.id IN ({','.join('?' * len(article_ids))})"
        params = list(article_ids)
    return list(db.query(
        f"""SELECT {', '.join('a.' + c for c in ARTICLE_COLUMNS)},
               (SELECT COUNT(*) FROM statements s WHERE s.article_id = a.id AND NOT s.retired) AS statements,
               (SELECT COUNT(*) FROM statements s WHERE s.article_id = a.id AND s.checkworthy AND NOT s.retired) AS claims
            FROM articles a {where} ORDER BY a.id""",
        params,
    ))


def get_article(db: sqlite_utils.Database, article_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM articles WHERE id = ?", [article_id]))
    if not rows:
        return None
    article = rows[0]
    article["warnings"] = json.loads(article["warnings"])
    article["removed"] = list(db.query(
        "SELECT kind, text, text_offset AS offset FROM removed_chrome WHERE article_id = ? ORDER BY position", [article_id]
    ))
    return article


def article_raw(db: sqlite_utils.Database, article_id: int) -> bytes | None:
    row = db.execute("SELECT raw FROM article_raw WHERE article_id = ?", [article_id]).fetchone()
    return row[0] if row else None


def article_ids(db: sqlite_utils.Database) -> list[int]:
    return [r[0] for r in db.execute("SELECT id FROM articles ORDER BY id")]
