"""The reviewers' writes and reads: verdicts, flags, link decisions, metadata corrections, queues.

Every write is one function, one ``BEGIN IMMEDIATE`` transaction, one audit
event: the change and its event commit together or not at all. Writes that
replace something a person saw carry what they saw (a verdict's version, a
link's status, an article's revision); if someone else changed it in the
meantime the write is refused with :class:`Conflict`, never applied silently.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import sqlite_utils

from workbench.model import METADATA_FIELDS, QueueStatus, Relation, values
from workbench.review.records import (ArticleInfo, ClaimantRow, ClaimContext, DateRow, DecisionRow, LinkRow, MentionRow,
                                      MetaValue, NumberRow, Progress, QueueRow, VerdictRow)
from workbench.scales import DEFAULT_SCALE, Scale, get_scale, scale_from_json
from workbench.store.audit import append_event, now_utc
from workbench.store.db import transaction
from workbench.store.settings import set_setting
from workbench.urls import evidence_problem


class Conflict(Exception):
    """What the reviewer saw was changed by someone else in the meantime."""


class ReviewError(ValueError):
    """A write that makes no sense (unknown claim, label not on the scale, missing reason)."""


# -- the scale ---------------------------------------------------------------------

_PARSED_SCALES: dict[str, Scale] = {}  # the stored setting's text -> its Scale (a Scale is immutable)


def active_scale(db: sqlite_utils.Database) -> Scale:
    """The scale as the database holds it now (read on every verdict; parsed once per distinct setting text)."""
    row = db.execute("SELECT value FROM settings WHERE key = 'scale'").fetchone()
    if row is None:
        return DEFAULT_SCALE
    scale = _PARSED_SCALES.get(row[0])
    if scale is None:
        stored = json.loads(row[0])
        scale = scale_from_json(stored) if stored else DEFAULT_SCALE
        if len(_PARSED_SCALES) < 16:
            _PARSED_SCALES[row[0]] = scale
    return scale


def choose_scale(db: sqlite_utils.Database, name_or_json: str | dict, *, actor: str) -> Scale:
    scale = scale_from_json(name_or_json) if isinstance(name_or_json, dict) else get_scale(name_or_json)
    with transaction(db):
        set_setting(db, "scale", scale.to_json(), actor=actor)
    return scale


# -- verdicts -------------------------------------------------------------------------

VERDICT_FIELDS = ("label", "note", "evidence", "version", "time")
_VERDICT_COLUMNS = ("id", *VERDICT_FIELDS)
_VERDICT_STATE = (f"SELECT {', '.join(_VERDICT_COLUMNS)} FROM verdicts"
                  " WHERE claim_id = ? AND reviewer = ? AND final = ?")


def _verdict_state(db, claim_id: int, reviewer: str, final: bool) -> dict | None:
    # execute, not db.query: no savepoint pair around a one-row read
    found = db.execute(_VERDICT_STATE, [claim_id, reviewer, int(final)]).fetchone()
    if found is None:
        return None
    row = dict(zip(_VERDICT_COLUMNS, found))
    row["evidence"] = json.loads(row["evidence"])
    return row


def _write_verdict(db, claim_id: int, reviewer: str, final: bool, label: str, note: str, evidence: list,
                   time: str, version: int) -> None:
    """Insert or replace one reviewer's verdict row (the caller checked the version and appends the event)."""
    db.execute(
        """INSERT INTO verdicts (claim_id, reviewer, label, note, evidence, time, final, version)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (claim_id, reviewer, final) DO UPDATE SET
             label = excluded.label, note = excluded.note, evidence = excluded.evidence,
             time = excluded.time, version = excluded.version""",
        [claim_id, reviewer, label, note, json.dumps(evidence, ensure_ascii=False), time, int(final), version],
    )


def check_evidence(evidence) -> list[str]:
    """The evidence items as stored, or :class:`ReviewError` naming the first that is not evidence.

    http(s) URLs, ``doi:`` identifiers and confirmed links (``link:N``); blank items are dropped.
    The one rule the review screen, the CLI and any session share (:mod:`workbench.urls`).
    """
    items = [str(e).strip() for e in evidence if str(e).strip()]
    for item in items:
        problem = evidence_problem(item)
        if problem:
            raise ReviewError(problem)
    return items


def check_reviewer(reviewer: str | None) -> str:
    """A reviewer's name as stored; a blank one is refused (every change must say who made it)."""
    name = (reviewer or "").strip()
    if not name:
        raise ReviewError("the reviewer name is blank")
    return name


def _check_claim(db, claim_id: int) -> None:
    if not db.execute("SELECT 1 FROM statements WHERE id = ?", [claim_id]).fetchone():
        raise ReviewError(f"no claim {claim_id}")


def _check_is_claim(db, statement_id: int) -> None:
    """Only claims take verdicts: a statement that is not one is refused, with the way to make it one."""
    row = db.execute("SELECT checkworthy FROM statements WHERE id = ?", [statement_id]).fetchone()
    if row is None:
        raise ReviewError(f"no claim {statement_id}")
    if not row[0]:
        raise ReviewError(f"statement {statement_id} is not a claim (not check-worthy); to review it, make it one:"
                          f" workbench promote {statement_id}")


def promote_statement(db: sqlite_utils.Database, statement_id: int, reviewer: str, *,
                      note: str | None = None) -> bool:
    """Make a statement a claim: it joins the review queue and is linked as a claim.

    The promotion is the reviewer's decision (one audit event, ``claim.promote``)
    and outlives re-analysis: reprocess keeps a promoted statement a claim.
    Returns False when the statement already is a claim.
    """
    if not reviewer or not reviewer.strip():
        raise ReviewError("a promotion needs a reviewer name")
    with transaction(db):
        row = db.execute("SELECT checkworthy, retired, article_id, score FROM statements WHERE id = ?",
                         [statement_id]).fetchone()
        if row is None:
            raise ReviewError(f"no statement {statement_id}")
        if row[1]:
            raise ReviewError(f"statement {statement_id} is retired (its article changed); it cannot become a claim")
        if row[0]:
            return False
        db.execute("UPDATE statements SET checkworthy = 1, promoted_by = ? WHERE id = ?", [reviewer, statement_id])
        # its links as a claim are computed by the next link stage (pipeline.link_pending)
        db.execute("UPDATE articles SET linked = 0 WHERE id = ?", [row[2]])
        append_event(db, actor=reviewer, action="claim.promote", object_type="claim", object_id=statement_id,
                     before={"checkworthy": False, "score": row[3]}, after={"checkworthy": True, "promoted": True},
                     reason=note or None)
    return True


def _public(state: dict | None) -> dict | None:
    return None if state is None else {k: state[k] for k in ("label", "note", "evidence", "version")}


def record_verdict(
    db: sqlite_utils.Database,
    claim_id: int,
    reviewer: str,
    label: str,
    *,
    note: str = "",
    evidence: list[str] | tuple[str, ...] = (),
    expected_version: int | None = None,
    final: bool = False,
    reason: str | None = None,
) -> dict:
    """Set ``reviewer``'s verdict on a claim (``final`` for an adjudicator's verdict).

    ``expected_version`` is the version of this verdict the reviewer last saw
    (0: none); a different stored version raises :class:`Conflict`. Returns the
    stored verdict.
    """
    reviewer = check_reviewer(reviewer)
    evidence = check_evidence(evidence)
    with transaction(db):
        _check_is_claim(db, claim_id)
        scale = active_scale(db)
        if scale.get(label) is None:
            raise ReviewError(f"{label!r} is not on the {scale.name} scale: {', '.join(e.label for e in scale.labels)}")
        before = _verdict_state(db, claim_id, reviewer, final)
        seen = 0 if before is None else before["version"]
        if expected_version is not None and expected_version != seen:
            raise Conflict(f"your verdict on claim {claim_id} was changed elsewhere (version {seen}, you saw "
                           f"{expected_version}); reload to see it")
        if final:
            others = db.execute("SELECT reviewer FROM verdicts WHERE claim_id = ? AND final = 1 AND reviewer != ?",
                                [claim_id, reviewer]).fetchall()
            if not (reason or "").strip():
                raise ReviewError("an adjudicated verdict needs a reason")
            if others:
                # one final verdict per claim: the new adjudicator overrides the old one, with the reason recorded
                db.execute("DELETE FROM verdicts WHERE claim_id = ? AND final = 1 AND reviewer != ?", [claim_id, reviewer])
        version = seen + 1
        time = now_utc()
        _write_verdict(db, claim_id, reviewer, final, label, note, evidence, time, version)
        after = {"label": label, "note": note, "evidence": evidence, "version": version}
        event_after = {**after, "final": final}
        if final:
            # an adjudicator settling a dispute they are part of: the audit log says so
            event_after["own_dispute"] = _verdict_state(db, claim_id, reviewer, False) is not None
        action = "verdict.adjudicate" if final else ("verdict.set" if before is None else "verdict.change")
        append_event(db, actor=reviewer, action=action, object_type="claim", object_id=claim_id,
                     before=_public(before), after=event_after, reason=reason)
    return {"claim_id": claim_id, "reviewer": reviewer, "final": final, "time": time, **after}


def restore_verdict(
    db: sqlite_utils.Database,
    claim_id: int,
    reviewer: str,
    state: dict | None,
    *,
    expected_version: int,
    action: str = "verdict.undo",
    final: bool = False,
) -> int:
    """Put a verdict back as it was (``state`` None removes it): undo and redo.

    Returns the new version (0 when removed). The version keeps counting up,
    so an undo is never mistaken for the state it restores.
    """
    with transaction(db):
        current = _verdict_state(db, claim_id, reviewer, final)
        seen = 0 if current is None else current["version"]
        if seen != expected_version:
            raise Conflict(f"your verdict on claim {claim_id} was changed elsewhere; reload before undoing")
        if state is None:
            db.execute("DELETE FROM verdicts WHERE claim_id = ? AND reviewer = ? AND final = ?",
                       [claim_id, reviewer, int(final)])
            version = 0
            after = None
        else:
            version = seen + 1
            _write_verdict(db, claim_id, reviewer, final, state["label"], state.get("note", ""),
                           state.get("evidence", []), now_utc(), version)
            after = {"label": state["label"], "note": state.get("note", ""), "evidence": state.get("evidence", []),
                     "version": version, "final": final}
        before = None if current is None else {**_public(current), "final": final}
        append_event(db, actor=reviewer, action=action, object_type="claim", object_id=claim_id,
                     before=before, after=after)
    return version


def my_verdict(db: sqlite_utils.Database, claim_id: int, reviewer: str, *, final: bool = False) -> VerdictRow | None:
    row = _verdict_state(db, claim_id, reviewer, final)
    if row is None:
        return None
    return VerdictRow(claim_id, reviewer, row["label"], row["note"], tuple(row["evidence"]), row["version"],
                      row["time"], final)


HIDDEN_LABEL = "(hidden until you give yours)"


def verdicts_for(db: sqlite_utils.Database, claim_id: int, reviewer: str, *, blind: bool = True) -> list[VerdictRow]:
    """The verdicts on a claim a reviewer may see: others' stay hidden until they give their own."""
    rows = db.execute(
        "SELECT reviewer, label, note, evidence, time, final, version FROM verdicts WHERE claim_id = ?"
        " ORDER BY final DESC, time", [claim_id]).fetchall()
    mine = any(r[0] == reviewer and not r[5] for r in rows)
    out = []
    for who, label, note, evidence, time, final, version in rows:
        hidden = blind and not mine and who != reviewer and not final
        if hidden:
            label, note, evidence = HIDDEN_LABEL, "", "[]"
        out.append(VerdictRow(claim_id, who, label, note, tuple(json.loads(evidence)), version, time, bool(final),
                              hidden))
    return out


def recent_decisions(db: sqlite_utils.Database, reviewer: str, limit: int = 20) -> list[DecisionRow]:
    """The reviewer's latest verdicts (own and final), newest first: the history pane."""
    return [DecisionRow(r[0], r[1], bool(r[2]), r[3], r[4]) for r in db.execute(
        """SELECT v.claim_id, v.label, v.final, v.time, s.text FROM verdicts v JOIN statements s ON s.id = v.claim_id
           WHERE v.reviewer = ? ORDER BY v.time DESC, v.id DESC LIMIT ?""", [reviewer, limit])]


def list_verdicts(db: sqlite_utils.Database) -> list[VerdictRow]:
    """Every verdict, unblinded (the ``verdicts`` listing and exports), by claim, own before final, reviewer."""
    return [VerdictRow(r[0], r[1], r[2], r[3], tuple(json.loads(r[4])), r[5], r[6], bool(r[7])) for r in db.execute(
        "SELECT claim_id, reviewer, label, note, evidence, version, time, final FROM verdicts"
        " ORDER BY claim_id, final, reviewer")]


# -- flags and link decisions --------------------------------------------------------------

def set_flag(db: sqlite_utils.Database, claim_id: int, reviewer: str, flagged: bool) -> bool:
    """Flag or unflag a claim for this reviewer; returns whether anything changed."""
    reviewer = check_reviewer(reviewer)
    with transaction(db):
        _check_claim(db, claim_id)
        was = bool(db.execute("SELECT 1 FROM flags WHERE claim_id = ? AND reviewer = ?", [claim_id, reviewer]).fetchone())
        if was == flagged:
            return False
        if flagged:
            db.execute("INSERT INTO flags (claim_id, reviewer, time) VALUES (?, ?, ?)", [claim_id, reviewer, now_utc()])
        else:
            db.execute("DELETE FROM flags WHERE claim_id = ? AND reviewer = ?", [claim_id, reviewer])
        append_event(db, actor=reviewer, action="claim.flag" if flagged else "claim.unflag", object_type="claim",
                     object_id=claim_id, before={"flagged": was}, after={"flagged": flagged})
    return True


def is_flagged(db: sqlite_utils.Database, claim_id: int, reviewer: str) -> bool:
    return bool(db.execute("SELECT 1 FROM flags WHERE claim_id = ? AND reviewer = ?", [claim_id, reviewer]).fetchone())


def decide_link(db: sqlite_utils.Database, link_id: int, status: str, reviewer: str, *,
                expected_status: str | None = None, note: str | None = None) -> None:
    """Confirm, reject or reset (``suggested``) a link; a confirmed link is evidence for the verdict.

    The decision is about the pair of statements, seen from both claims
    (store.links.decide_pair): one audit event.
    """
    from workbench.store.links import decide_pair

    reviewer = check_reviewer(reviewer)
    row = db.execute("SELECT claim_id, statement_id FROM links WHERE id = ?", [link_id]).fetchone()
    if row is None:
        raise ReviewError(f"no link {link_id}")
    decide_pair(db, row[0], row[1], status, reviewer, note=note, expected_status=expected_status)


# -- metadata corrections ---------------------------------------------------------------------

CORRECTABLE = METADATA_FIELDS


def correct_metadata(db: sqlite_utils.Database, article_id: int, changes: dict[str, Any], reviewer: str, *,
                     expected_revision: int | None = None, reason: str | None = None) -> int:
    """Correct an article's metadata (provenance becomes "reviewer"); returns the new revision.

    The caller re-analyses the article afterwards (pipeline.reprocess), so its
    relative dates re-resolve against a corrected publication date.
    """
    reviewer = check_reviewer(reviewer)
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise ReviewError(f"cannot correct {', '.join(sorted(unknown))}")
    if "published" in changes and changes["published"]:
        from workbench.ingest.dates import parse_date

        value, _warning = parse_date(changes["published"])
        if value is None:
            raise ReviewError(f"not a date: {changes['published']!r} (use YYYY-MM-DD or YYYY-MM-DD HH:MM)")
        changes = {**changes, "published": value}
    with transaction(db):
        row = db.execute(f"SELECT revision, {', '.join(CORRECTABLE)} FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is None:
            raise ReviewError(f"no article {article_id}")
        if expected_revision is not None and row[0] != expected_revision:
            raise Conflict(f"article {article_id} was corrected elsewhere in the meantime; reload to see it")
        before = {name: row[i + 1] for i, name in enumerate(CORRECTABLE) if name in changes}
        sets = ", ".join(f"{name} = ?, {name}_source = ?" for name in changes)
        params = []
        for name, value in changes.items():
            value = value if value not in ("",) else None
            params += [value, "reviewer" if value is not None else None]
        db.execute(f"UPDATE articles SET {sets}, revision = revision + 1, linked = 0 WHERE id = ?", [*params, article_id])
        append_event(db, actor=reviewer, action="article.correct", object_type="article", object_id=article_id,
                     before=before, after=changes, reason=reason)
        return row[0] + 1


# -- queues and progress ---------------------------------------------------------------------------

QUEUES = values(QueueStatus)


@dataclass(frozen=True)
class QueueFilter:
    """Which claims a queue holds (frozen: a change of filter is a new value, so undo can keep it)."""

    status: str = QueueStatus.TODO
    article_id: int | None = None
    entity_id: int | None = None
    story_id: int | None = None  # the claims of one story's articles (store.stories)
    date_from: str | None = None  # ISO day
    date_to: str | None = None
    relation: str | None = None  # model.Relation
    search: str | None = None

    def __post_init__(self) -> None:
        if self.status not in QUEUES:
            raise ReviewError(f"unknown queue {self.status!r}: use one of {', '.join(QUEUES)}")
        if self.relation is not None and self.relation not in values(Relation):
            raise ReviewError(f"unknown relation {self.relation!r}: use one of {', '.join(values(Relation))}")
        for day in (self.date_from, self.date_to):
            if day is not None and not is_iso_day(day):
                raise ReviewError(f"not a day: {day!r} (use YYYY-MM-DD)")


def is_iso_day(value: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


_DISPUTED = """s.id IN (SELECT claim_id FROM verdicts WHERE final = 0 GROUP BY claim_id
                        HAVING COUNT(DISTINCT label) > 1)
               AND s.id NOT IN (SELECT claim_id FROM verdicts WHERE final = 1)"""


def _queue_where(reviewer: str, f: QueueFilter) -> tuple[str, list]:
    # "= 1": a bare "s.checkworthy" cannot use idx_statements_claims (checkworthy, article_id, position)
    where = ["s.checkworthy = 1", "s.retired = 0"]
    params: list = []
    if f.status == "todo":
        where.append("s.id NOT IN (SELECT claim_id FROM verdicts WHERE reviewer = ? AND final = 0)")
        params.append(reviewer)
    elif f.status == "mine":
        where.append("s.id IN (SELECT claim_id FROM verdicts WHERE reviewer = ?)")
        params.append(reviewer)
    elif f.status == "disputed":
        where.append(_DISPUTED)
    elif f.status == "flagged":
        where.append("s.id IN (SELECT claim_id FROM flags)")
    if f.article_id is not None:
        where.append("s.article_id = ?")
        params.append(f.article_id)
    if f.entity_id is not None:
        where.append("s.id IN (SELECT statement_id FROM mentions WHERE entity_id = ?)")
        params.append(f.entity_id)
    if f.story_id is not None:
        where.append("s.article_id IN (SELECT article_id FROM story_articles WHERE story_id = ?)")
        params.append(f.story_id)
    if f.date_from or f.date_to:
        where.append("s.id IN (SELECT statement_id FROM statement_dates WHERE start_day IS NOT NULL"
                     " AND end_day >= ? AND start_day <= ?)")
        params += [f.date_from or "0000-01-01", f.date_to or "9999-12-31"]
    if f.relation:
        where.append("s.id IN (SELECT claim_id FROM links WHERE relation = ? AND status != 'rejected')")
        params.append(f.relation)
    if f.search:
        from workbench.store.search import search_clause  # its regexes only when a reviewer searches

        clause, extra = search_clause(f.search)
        where.append(clause.replace("statements.id", "s.id"))
        params += extra
    return " AND ".join(where), params


def queue_count(db: sqlite_utils.Database, reviewer: str, f: QueueFilter) -> int:
    where, params = _queue_where(reviewer, f)
    return db.execute(f"SELECT COUNT(*) FROM statements s WHERE {where}", params).fetchone()[0]


def queue_ranked(f: QueueFilter) -> bool:
    """Whether a queue is ranked by check-worthiness score (best first, ties by statement id).

    Every queue is, except one article's: a reviewer reading one article's claims
    reads them in the article's order, each in the context of the one before.
    """
    return f.article_id is None


def _order(f: QueueFilter) -> tuple[str, str, str]:
    """The queue's ORDER BY, its keyset condition after a key, and "before a claim" (for its position)."""
    if queue_ranked(f):
        # "score <= ?" first: it is the range idx_statements_ranked seeks on; the OR only filters its ties
        return ("s.score DESC, s.id",
                "s.score <= ? AND (s.score < ? OR s.id > ?)",
                "(s.score > ? OR (s.score = ? AND s.id < ?))")
    return ("s.article_id, s.position", "(s.article_id, s.position) > (?, ?)",
            "(s.article_id, s.position) < (?, ?)")


def queue_page(db: sqlite_utils.Database, reviewer: str, f: QueueFilter, *, offset: int = 0, limit: int = 100,
               after: tuple | None = None) -> list[QueueRow]:
    """One page of the claim queue, best claims first (an article's queue: in article order).

    ``after`` (the ``QueueRow.key`` of the row before the page) pages by key:
    the index seeks straight to it, where ``OFFSET`` walks every skipped
    entry (a page at row 99,900 of 100,000 claims). Without it, ``offset``.
    """
    ranked = queue_ranked(f)
    order, after_clause, _ = _order(f)
    where, params = _queue_where(reviewer, f)
    if after is not None:
        where += " AND " + after_clause
        params = [*params, *((after[0], after[0], after[1]) if ranked else after)]
        offset = 0
    # The page's ids are chosen first; the per-row subqueries run for the rows returned only.
    rows = db.execute(
        f"""SELECT s.id, s.article_id, s.position, s.text, s.score,
                   (SELECT label FROM verdicts v WHERE v.claim_id = s.id AND v.reviewer = ? AND v.final = 0) AS my_label,
                   (SELECT label FROM verdicts v WHERE v.claim_id = s.id AND v.final = 1) AS final_label,
                   EXISTS (SELECT 1 FROM flags g WHERE g.claim_id = s.id) AS flagged,
                   EXISTS (SELECT 1 FROM links l WHERE l.claim_id = s.id AND l.relation = 'conflict'
                           AND l.status != 'rejected') AS has_conflict,
                   (SELECT COUNT(*) FROM links l WHERE l.claim_id = s.id AND l.status != 'rejected') AS links
            FROM (SELECT s.id FROM statements s WHERE {where}
                  ORDER BY {order} LIMIT ? OFFSET ?) AS page
                 JOIN statements s ON s.id = page.id
            ORDER BY {order}""",
        [reviewer, *params, limit, offset],
    ).fetchall()
    return [QueueRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]), bool(r[8]), r[9], ranked)
            for r in rows]


def queue_position(db: sqlite_utils.Database, reviewer: str, f: QueueFilter, claim_id: int) -> int | None:
    """The 0-based row of a claim in a queue (to jump to it), or None when it is not in the queue."""
    where, params = _queue_where(reviewer, f)
    _, _, before = _order(f)
    key = db.execute("SELECT score, id, article_id, position FROM statements WHERE id = ?", [claim_id]).fetchone()
    if key is None:
        return None
    key_params = [key[0], key[0], key[1]] if queue_ranked(f) else [key[2], key[3]]
    row = db.execute(
        f"""SELECT (SELECT COUNT(*) FROM statements s WHERE {where} AND {before}),
                   EXISTS (SELECT 1 FROM statements s WHERE {where} AND s.id = ?)""",
        [*params, *key_params, *params, claim_id]).fetchone()
    return row[0] if row[1] else None


def start_counts(db: sqlite_utils.Database, reviewer: str) -> tuple[int, Progress]:
    """The to-do queue's count and the overall progress, in one walk of the claims index (what the review
    screen shows first): ``queue_count(db, reviewer, QueueFilter())`` and ``progress(db, reviewer)``."""
    # "checkworthy = 1": the claims index answers it; the to-do queue is every claim but those with the
    # reviewer's own (not final) verdict, as in _queue_where; progress counts any verdict of theirs, as below
    total, done, own = db.execute(
        """SELECT COUNT(*), SUM(EXISTS (SELECT 1 FROM verdicts v WHERE v.reviewer = ? AND v.claim_id = s.id)),
                  SUM(s.id IN (SELECT claim_id FROM verdicts WHERE reviewer = ? AND final = 0))
           FROM statements s WHERE s.checkworthy = 1 AND s.retired = 0""", [reviewer, reviewer]).fetchone()
    return total - (own or 0), Progress(done or 0, total)


def progress(db: sqlite_utils.Database, reviewer: str, article_id: int | None = None, *,
             overall: bool = True) -> Progress:
    """Claims reviewed (by this reviewer) of all, overall and for one article.

    ``overall=False`` counts the article only (the overall count walks every
    claim's index entry, too slow to repeat after every verdict).
    """
    def counts(extra: str, params: list) -> tuple[int, int]:
        # "checkworthy = 1": the claims index answers it (a bare column test scans the table)
        row = db.execute(
            f"""SELECT COUNT(*), SUM(EXISTS (SELECT 1 FROM verdicts v WHERE v.reviewer = ? AND v.claim_id = s.id))
                FROM statements s WHERE s.checkworthy = 1 AND s.retired = 0 {extra}""", [reviewer, *params]).fetchone()
        return row[1] or 0, row[0]

    done = total = 0
    if overall:
        done, total = counts("", [])
    if article_id is None:
        return Progress(done, total)
    article_done, article_total = counts("AND s.article_id = ?", [article_id])
    return Progress(done, total, article_done, article_total)


def _claimant_row(db: sqlite_utils.Database, claim_id: int) -> ClaimantRow | None:
    from workbench.store.claimants import claimant_of

    found = claimant_of(db, claim_id)
    if found is None:
        return None
    return ClaimantRow(found["name"], found["entity_id"], found["entity_type"], found["surface"], found["kind"],
                       found["reason"], found["corrected_by"])


def claim_context(db: sqlite_utils.Database, claim_id: int) -> ClaimContext | None:
    """A claim in its article: the article's metadata with provenance, its paragraph, annotations."""
    stmt = db.execute(
        """SELECT s.article_id, s.paragraph, s.span_start, s.span_end, s.text, s.score, s.checkworthy, s.retired,
                  s.types, s.reasons FROM statements s WHERE s.id = ?""", [claim_id]).fetchone()
    if stmt is None:
        return None
    article_id, paragraph, start, end, text, score, checkworthy, retired, types, reasons = stmt
    columns = ", ".join(f"{n}, {n}_source" for n in METADATA_FIELDS)
    row = db.execute(f"SELECT id, path, format, encoding, revision, duplicate_of, {columns} FROM articles WHERE id = ?",
                     [article_id]).fetchone()
    meta = tuple(MetaValue(name, row[6 + 2 * i], row[7 + 2 * i]) for i, name in enumerate(METADATA_FIELDS))
    article = ArticleInfo(row[0], row[1], row[2], row[3], row[4], row[5], meta)
    # the paragraph: from its first statement's start to its last one's end, cut out of the article in SQL
    para = db.execute(
        """SELECT p.first, substr(a.clean_text, p.first + 1, p.last - p.first)
           FROM (SELECT MIN(span_start) AS first, MAX(span_end) AS last FROM statements
                 WHERE article_id = ? AND paragraph = ?) p, articles a WHERE a.id = ?""",
        [article_id, paragraph, article_id]).fetchone()
    mentions = tuple(MentionRow(*r) for r in db.execute(
        """SELECT e.id, e.name, e.type, e.status, m.surface, m.span_start, m.span_end
           FROM mentions m JOIN entities e ON e.id = m.entity_id WHERE m.statement_id = ? ORDER BY m.span_start""",
        [claim_id]))
    dates = tuple(DateRow(*r) for r in db.execute(
        """SELECT surface, span_start, span_end, precision, start_day, end_day, anchor, anchor_source
           FROM statement_dates WHERE statement_id = ? ORDER BY span_start""", [claim_id]))
    numbers = tuple(NumberRow(*r) for r in db.execute(
        "SELECT surface, span_start, span_end, value, unit FROM statement_numbers WHERE statement_id = ?"
        " ORDER BY span_start", [claim_id]))
    return ClaimContext(claim_id, text, start, end, score, bool(checkworthy), bool(retired),
                        tuple(json.loads(types or "[]")), tuple(json.loads(reasons or "[]")), article,
                        para[0] if para[0] is not None else start, para[1] if para[1] is not None else text,
                        mentions, dates, numbers,
                        claimant=_claimant_row(db, claim_id))


def claim_links(db: sqlite_utils.Database, claim_id: int) -> list[LinkRow]:
    """A claim's links to statements of other articles, best first, with the other side's article."""
    rows = db.execute(
        """SELECT l.id, l.claim_id, l.statement_id, l.score, l.relation, l.reasons, l.status, l.duplicate,
                  l.decided_by, s.article_id, s.text, a.title, a.site, a.published
           FROM links l JOIN statements s ON s.id = l.statement_id JOIN articles a ON a.id = s.article_id
           WHERE l.claim_id = ? ORDER BY l.score DESC, l.statement_id""", [claim_id]).fetchall()
    return [LinkRow(r[0], r[1], r[2], r[3], r[4], tuple(json.loads(r[5])), r[6], bool(r[7]), *r[8:]) for r in rows]


def link_state(db: sqlite_utils.Database, link_id: int) -> LinkRow | None:
    row = db.execute("SELECT claim_id FROM links WHERE id = ?", [link_id]).fetchone()
    return None if row is None else next((link for link in claim_links(db, row[0]) if link.id == link_id), None)


def story_of_article(db: sqlite_utils.Database, article_id: int) -> int | None:
    """The story an article belongs to (store.stories), or None before the link stage grouped it."""
    row = db.execute("SELECT story_id FROM story_articles WHERE article_id = ?", [article_id]).fetchone()
    return row[0] if row else None


def entity_name(db: sqlite_utils.Database, entity_id: int) -> str | None:
    row = db.execute("SELECT name FROM entities WHERE id = ?", [entity_id]).fetchone()
    return row[0] if row else None


# -- agreement ---------------------------------------------------------------------------------------

def cohen_kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa for two raters' labels on the same items (None when undefined)."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(a == b for a, b in pairs) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[label] * second[label] for label in first) / (n * n)
    if expected == 1:
        return 1.0 if observed == 1 else None
    return (observed - expected) / (1 - expected)


def agreement(db: sqlite_utils.Database) -> dict:
    """Cohen's kappa for each pair of reviewers on the claims both judged, and counts per label."""
    by_reviewer: dict[str, dict[int, str]] = defaultdict(dict)
    labels: dict[str, Counter] = defaultdict(Counter)
    for claim_id, reviewer, label in db.execute("SELECT claim_id, reviewer, label FROM verdicts WHERE final = 0"):
        by_reviewer[reviewer][claim_id] = label
        labels[reviewer][label] += 1
    pairs = []
    for a, b in combinations(sorted(by_reviewer), 2):
        shared = sorted(set(by_reviewer[a]) & set(by_reviewer[b]))
        judged = [(by_reviewer[a][c], by_reviewer[b][c]) for c in shared]
        pairs.append({"reviewers": (a, b), "claims": len(shared),
                      "agree": sum(x == y for x, y in judged), "kappa": cohen_kappa(judged)})
    return {"pairs": pairs, "labels": {r: dict(c) for r, c in labels.items()}}
