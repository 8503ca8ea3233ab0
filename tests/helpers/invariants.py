"""What must hold of a database after anything at all happened to it (concurrent writers, a SIGKILL).

Each check returns a list of problems (empty when it holds), so a test can
report every broken invariant of a trial at once.  The checks read the file
with plain ``sqlite3`` in read-only mode: they must not repair what they look at.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

from workbench.audit import verify_events


def connect_readonly(path: str | Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def integrity(conn: sqlite3.Connection) -> list[str]:
    result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    fk = conn.execute("PRAGMA foreign_key_check").fetchall()
    return ([] if result == ["ok"] else [f"integrity_check: {result[:5]}"]) + (
        [f"foreign_key_check: {fk[:5]}"] if fk else [])


def chain(conn: sqlite3.Connection) -> list[str]:
    cursor = conn.execute("SELECT * FROM audit_events ORDER BY seq")
    names = [d[0] for d in cursor.description]
    result = verify_events(dict(zip(names, row)) for row in cursor)
    return [] if result.ok else [f"audit chain broken at seq {result.first_bad_seq}: {result.problem}"]


def verdicts_have_events(conn: sqlite3.Connection) -> list[str]:
    """Every verdict row's version equals the number of verdict events for its claim and reviewer, and back."""
    events = Counter(
        (int(object_id), actor) for object_id, actor in conn.execute(
            "SELECT object_id, actor FROM audit_events WHERE action IN ('verdict.set', 'verdict.change')"))
    rows = {(claim, reviewer): version for claim, reviewer, version in conn.execute(
        "SELECT claim_id, reviewer, version FROM verdicts WHERE final = 0")}
    problems = [f"claim {k[0]} by {k[1]}: version {v}, {events.get(k, 0)} events"
                for k, v in rows.items() if events.get(k, 0) != v]
    problems += [f"claim {k[0]} by {k[1]}: {n} events, no verdict" for k, n in events.items() if k not in rows]
    return problems[:10]


def articles_whole(conn: sqlite3.Connection) -> list[str]:
    """No half-imported article: raw bytes, statements and an import event for each; nothing orphaned."""
    ids = {row[0] for row in conn.execute("SELECT id FROM articles")}
    with_raw = {row[0] for row in conn.execute("SELECT article_id FROM article_raw")}
    with_statements = {row[0] for row in conn.execute("SELECT DISTINCT article_id FROM statements")}
    imported = {int(row[0]) for row in conn.execute(
        "SELECT object_id FROM audit_events WHERE action = 'article.import'")}
    problems = []
    for label, have in (("raw bytes", with_raw), ("statements", with_statements), ("an import event", imported)):
        missing = sorted(ids - have)
        if missing:
            problems.append(f"articles without {label}: {missing[:10]}")
    for label, have in (("raw bytes", with_raw), ("statements", with_statements), ("import events", imported)):
        orphans = sorted(have - ids)
        if orphans:
            problems.append(f"{label} of no article: {orphans[:10]}")
    return problems


def all_problems(path: str | Path) -> list[str]:
    conn = connect_readonly(path)
    try:
        return integrity(conn) + chain(conn) + verdicts_have_events(conn) + articles_whole(conn)
    finally:
        conn.close()


def settle(path: str | Path) -> None:
    """Open and close the file once read-write, so a WAL left by a killed process is recovered first."""
    conn = sqlite3.connect(str(path), timeout=30)
    conn.execute("PRAGMA journal_mode").fetchone()
    conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    conn.close()


__all__ = ["all_problems", "articles_whole", "chain", "connect_readonly", "integrity", "settle",
           "verdicts_have_events"]
