"""Links between claims and statements of other articles: the linker's input and output."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

import sqlite_utils

from workbench.linking import Link, LinkItem
from workbench.model import LinkStatus, values
from workbench.store.audit import append_event, now_utc
from workbench.store.db import transaction

_CHUNK = 500
# Number evidence needs a figure: a count of one written in words (一人, "one", "a")
# is in every other statement and says nothing about which event; 1辆 in digits does.
_FIGURE = "NOT (n.value = 1 AND n.surface NOT GLOB '*[0-9]*')"


def _chunks(ids: list[int]):
    for i in range(0, len(ids), _CHUNK):
        yield ids[i:i + _CHUNK]


def entity_document_frequency(db: sqlite_utils.Database) -> tuple[dict[int, int], int]:
    """How many live statements mention each entity, and how many statements there are."""
    df = {r[0]: r[1] for r in db.execute(
        "SELECT entity_id, COUNT(DISTINCT statement_id) FROM mentions GROUP BY entity_id")}
    total = db.execute("SELECT COUNT(*) FROM statements WHERE NOT retired").fetchone()[0]
    return df, total


def statements_mentioning(db: sqlite_utils.Database, entity_ids: Iterable[int]) -> list[int]:
    ids = sorted(set(entity_ids))
    found: set[int] = set()
    for chunk in _chunks(ids):
        found.update(r[0] for r in db.execute(
            f"SELECT DISTINCT statement_id FROM mentions WHERE entity_id IN ({','.join('?' * len(chunk))})", chunk))
    return sorted(found)


def link_items(db: sqlite_utils.Database, *, statement_ids: list[int] | None = None,
               article_ids: list[int] | None = None) -> list[LinkItem]:
    """The linker's view of stored statements: all of them, or those given by id or article."""
    if statement_ids is not None:
        selections = [(f"s.id IN ({','.join('?' * len(c))})", c) for c in _chunks(sorted(set(statement_ids)))]
    elif article_ids is not None:
        selections = [(f"s.article_id IN ({','.join('?' * len(c))})", c) for c in _chunks(sorted(set(article_ids)))]
    else:
        selections = [("1", [])]
    items = []
    for where, params in selections:
        rows = db.execute(
            f"""SELECT s.id, s.article_id, COALESCE(a.duplicate_of, a.id), s.text, s.checkworthy, a.language,
                       substr(a.published, 1, 10),
                       (SELECT json_group_array(json_array(m.entity_id, e.name, m.reason)) FROM mentions m
                          JOIN entities e ON e.id = m.entity_id WHERE m.statement_id = s.id),
                       (SELECT json_group_array(json_array(d.start_day, d.end_day)) FROM statement_dates d
                          WHERE d.statement_id = s.id AND d.start_day IS NOT NULL),
                       (SELECT json_group_array(json_array(n.value, n.unit)) FROM statement_numbers n
                          WHERE n.statement_id = s.id AND {_FIGURE})
                FROM statements s JOIN articles a ON a.id = s.article_id
                WHERE NOT s.retired AND {where} ORDER BY s.id""",
            params,
        )
        for sid, aid, group, text, claim, lang, published, ents, dates, numbers in rows:
            names = _entity_names(json.loads(ents))
            ordered = sorted(names)
            items.append(LinkItem(
                statement_id=sid, article_id=aid, group_id=group, text=text, is_claim=bool(claim), language=lang,
                entities=frozenset(ordered),
                dates=tuple(sorted({(s, e) for s, e in json.loads(dates)})),
                numbers=tuple((float(v), u) for v, u in json.loads(numbers)),
                published=published, entity_names=tuple(names[e] for e in ordered),
            ))
    return items


def _entity_names(mentions: list[list]) -> dict[int, str]:
    """Entity id -> name for reasons; an entity only inferred ("the company") says how."""
    names: dict[int, str] = {}
    inferred: dict[int, str] = {}
    for entity_id, name, reason in mentions:
        if reason is None:
            names[entity_id] = name
        else:
            inferred.setdefault(entity_id, f"{name} ({reason})")
    return {**inferred, **names}


def existing_links(db: sqlite_utils.Database, claim_ids: Iterable[int]) -> list[Link]:
    links = []
    for chunk in _chunks(sorted(set(claim_ids))):
        for row in db.execute(
            f"""SELECT claim_id, statement_id, score, relation, reasons, duplicate FROM links
                WHERE claim_id IN ({','.join('?' * len(chunk))})""", chunk):
            links.append(Link(row[0], row[1], row[2], row[3], json.loads(row[4]), bool(row[5])))
    return links


def save_links(db: sqlite_utils.Database, claim_ids: Iterable[int], links: Iterable[Link]) -> int:
    """Replace the suggested links of these claims; reviewer decisions always survive.

    A confirmed or rejected link keeps its status even when the linker no
    longer proposes it (its score and reasons are refreshed when it does),
    and a new link whose reverse was decided takes that decision (a decision
    is about the pair).
    Runs inside the caller's transaction. Returns the number of links written.
    """
    by_claim: dict[int, list[Link]] = defaultdict(list)
    for link in links:
        by_claim[link.claim_id].append(link)
    written = 0
    for claim_id in sorted(set(claim_ids)):
        new = {link.statement_id: link for link in by_claim.get(claim_id, [])}
        stale = [r[0] for r in db.execute(
            "SELECT statement_id FROM links WHERE claim_id = ? AND status = 'suggested'", [claim_id])
            if r[0] not in new]
        db.conn.executemany("DELETE FROM links WHERE claim_id = ? AND statement_id = ?",
                            [(claim_id, sid) for sid in stale])
        db.conn.executemany(
            """INSERT INTO links (claim_id, statement_id, score, relation, reasons, duplicate)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (claim_id, statement_id) DO UPDATE SET
                 score = excluded.score, relation = excluded.relation, reasons = excluded.reasons,
                 duplicate = excluded.duplicate""",
            [(claim_id, link.statement_id, round(link.score, 4), link.relation,
              json.dumps(link.reasons, ensure_ascii=False), int(link.duplicate)) for link in new.values()],
        )
        written += len(new)
    _inherit_pair_decisions(db, sorted(set(claim_ids)))
    return written


# -- reviewer decisions: about the pair, seen from both sides ------------------------------

LINK_STATUSES = values(LinkStatus)  # the one vocabulary (model.LinkStatus)
_ACTIONS = {"confirmed": "link.confirm", "rejected": "link.reject", "suggested": "link.reset"}


def pair_rows(db: sqlite_utils.Database, claim_id: int, statement_id: int) -> list[tuple[int, int, int, str]]:
    """(id, claim_id, statement_id, status) of the link claim -> statement and of its reverse, that one first."""
    return [tuple(r) for r in db.execute(
        """SELECT id, claim_id, statement_id, status FROM links
           WHERE (claim_id = :c AND statement_id = :s) OR (claim_id = :s AND statement_id = :c)
           ORDER BY claim_id != :c""", {"c": claim_id, "s": statement_id})]


def decide_pair(db: sqlite_utils.Database, claim_id: int, statement_id: int, status: str, reviewer: str, *,
                note: str | None = None, expected_status: str | None = None) -> bool:
    """Confirm, reject or reset (``suggested``) the link between two statements.

    The decision is about the pair: when both statements are claims there is
    a link each way (A -> B and B -> A), and both take the decision, with one
    audit event. ``claim_id``/``statement_id`` may name either direction.
    ``expected_status`` is the status the reviewer saw (a Conflict when
    someone else decided meanwhile). Returns whether anything changed.
    """
    from workbench.store.review import Conflict, ReviewError  # the review store's errors, one vocabulary

    if status not in LINK_STATUSES:
        raise ReviewError(f"unknown link status {status!r}")
    if not reviewer or not reviewer.strip():
        raise ReviewError("a link decision needs a reviewer name")
    with transaction(db):
        rows = pair_rows(db, claim_id, statement_id)
        if not rows:
            for sid in (claim_id, statement_id):
                if not db.execute("SELECT 1 FROM statements WHERE id = ?", [sid]).fetchone():
                    raise ReviewError(f"no statement {sid}")
            raise ReviewError(f"no link between claim {claim_id} and statement {statement_id} (see workbench links"
                              f" --claim {claim_id})")
        link_id, c, s, seen = rows[0]
        if expected_status is not None and seen != expected_status:
            raise Conflict(f"the link of claim {c} to statement {s} is now {seen} (you saw {expected_status});"
                           " reload to see it")
        if all(row[3] == status for row in rows):
            return False
        decided = (reviewer, now_utc()) if status != "suggested" else (None, None)
        db.conn.executemany("UPDATE links SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                            [(status, *decided, row[0]) for row in rows])
        after = {"status": status, "claim_id": c, "statement_id": s}
        if len(rows) > 1:
            after["reverse_link"] = rows[1][0]  # the same decision, seen from the other claim
        append_event(db, actor=reviewer, action=_ACTIONS[status], object_type="link", object_id=link_id,
                     before={"status": seen, "claim_id": c, "statement_id": s}, after=after,
                     reason=(note or None))
    return True


def _inherit_pair_decisions(db: sqlite_utils.Database, claim_ids: list[int]) -> None:
    """A suggested link whose reverse was decided shows that decision: it is the same pair."""
    for chunk in _chunks(claim_ids):
        db.execute(
            f"""UPDATE links SET (status, decided_by, decided_at) = (
                    SELECT r.status, r.decided_by, r.decided_at FROM links r
                    WHERE r.claim_id = links.statement_id AND r.statement_id = links.claim_id)
                WHERE claim_id IN ({','.join('?' * len(chunk))}) AND status = 'suggested'
                  AND EXISTS (SELECT 1 FROM links r WHERE r.claim_id = links.statement_id
                              AND r.statement_id = links.claim_id AND r.status != 'suggested')""", chunk)


def count_links(db: sqlite_utils.Database) -> int:
    """How many links are stored (suggested, confirmed and rejected)."""
    return db.execute("SELECT COUNT(*) FROM links").fetchone()[0]


def clear_suggested_links(db: sqlite_utils.Database) -> None:
    db.execute("DELETE FROM links WHERE status = 'suggested'")


def list_links(db: sqlite_utils.Database, claim_id: int | None = None) -> list[dict]:
    """Links best first per claim, with the other side's article for display."""
    where, params = ("WHERE l.claim_id = ?", [claim_id]) if claim_id is not None else ("", [])
    rows = list(db.query(
        f"""SELECT l.id, l.claim_id, l.statement_id, l.score, l.relation, l.reasons, l.status, l.duplicate,
                   l.decided_by, l.decided_at, s.article_id, s.text AS statement_text,
                   a.title AS article_title, a.site AS article_site, a.published AS article_published,
                   c.text AS claim_text, c.article_id AS claim_article_id
            FROM links l JOIN statements s ON s.id = l.statement_id JOIN articles a ON a.id = s.article_id
                 JOIN statements c ON c.id = l.claim_id
            {where} ORDER BY l.claim_id, l.score DESC, l.statement_id""",
        params,
    ))
    for row in rows:
        row["reasons"] = json.loads(row["reasons"])
        row["duplicate"] = bool(row["duplicate"])
    return rows
