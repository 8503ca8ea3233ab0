"""One reviewer at work, without a terminal: the queue and its filter, the claim shown, the decisions, undo/redo.

The review screen and the CLI's review commands (``verdict``) both act through
a :class:`ReviewSession`, so the two doors do exactly the same thing: the same
evidence (confirmed links go in with any URLs), the same optimistic versions,
the same refusal when someone else changed what the reviewer saw.

Optimistic writes. Every write carries what the reviewer last saw (the
verdict's version, the link's status); the store refuses with
:class:`~workbench.store.review.Conflict` when another connection changed it
meanwhile. The session then keeps what it showed, so the screen can say so and
offer a reload (:meth:`ReviewSession.reload`): never a silent overwrite.

Polling. :meth:`changed_elsewhere` reads ``PRAGMA data_version``, which
changes only when *another* connection commits: cheap enough for twice a second.

Everything returned is a frozen record (:mod:`workbench.review.records`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

import sqlite_utils

from workbench.model import LinkStatus, QueueStatus
from workbench.review.records import ClaimContext, DecisionRow, LinkRow, Progress, QueueRow, VerdictRow
from workbench.scales import Scale
from workbench.store import review as store
from workbench.store.review import Conflict, QueueFilter, ReviewError

__all__ = ["ReviewSession", "Shown", "Decision", "UndoEntry", "NeedsConfirmation", "Conflict", "ReviewError",
           "QueueFilter", "HISTORY_SIZE"]

HISTORY_SIZE = 20
LINK_EVIDENCE = "link:"


class NeedsConfirmation(Exception):
    """The write is allowed but deserves a second thought (adjudicating a dispute you are part of)."""


@dataclass(frozen=True)
class Shown:
    """Everything about the claim on screen, as the reviewer saw it (what optimistic writes compare with)."""

    claim_id: int | None = None
    context: ClaimContext | None = None
    mine: VerdictRow | None = None
    final_mine: VerdictRow | None = None
    others: tuple[VerdictRow, ...] = ()  # other reviewers' verdicts (blind ones hidden) and the final one
    links: tuple[LinkRow, ...] = ()
    flagged: bool = False

    @property
    def confirmed_links(self) -> int:
        return sum(1 for link in self.links if link.status == LinkStatus.CONFIRMED)

    @property
    def final(self) -> VerdictRow | None:
        return next((v for v in self.others if v.final), None)

    @property
    def peers(self) -> tuple[VerdictRow, ...]:
        return tuple(v for v in self.others if not v.final)

    @property
    def disputed(self) -> bool:
        labels = {v.label for v in self.peers if not v.hidden} | ({self.mine.label} if self.mine else set())
        return len(labels) > 1


@dataclass(frozen=True)
class UndoEntry:
    """One of the reviewer's own actions, with what it replaced (for undo and redo).

    ``version`` is the verdict version as it stands after the action last
    applied, so undo and redo are optimistic writes too; ``status`` likewise
    for a link.
    """

    kind: str  # "verdict", "flag", "link"
    claim_id: int
    before: object
    after: object
    version: int | None = None
    final: bool = False
    link_id: int | None = None


@dataclass(frozen=True)
class Decision:
    """What a write did, in words for the reviewer ("#12 → mostly false") and for the screen to follow."""

    kind: str  # "verdict", "adjudication", "flag", "link", "undo", "redo"
    claim_id: int
    message: str
    label: str | None = None
    left_queue: bool = False  # the claim is no longer in the current queue
    changed: bool = True  # False: it was already so (nothing written)


def _link_status(status: str) -> LinkStatus:
    try:
        return LinkStatus(status)
    except ValueError:
        raise ReviewError(f"unknown link status {status!r}") from None


def _state(verdict: VerdictRow | None) -> dict | None:
    return None if verdict is None else {"label": verdict.label, "note": verdict.note,
                                         "evidence": list(verdict.evidence)}


class ReviewSession:
    """A reviewer's session on one database connection (not shared across threads)."""

    def __init__(self, db: sqlite_utils.Database, reviewer: str, *, blind: bool = True):
        reviewer = (reviewer or "").strip()
        if not reviewer:
            raise ReviewError("a reviewer name is needed")
        self.db = db
        self.reviewer = reviewer
        self.blind = blind
        self.scale: Scale = store.active_scale(db)
        self.filter = QueueFilter()
        self.shown = Shown()
        self.undo_stack: list[UndoEntry] = []
        self.redo_stack: list[UndoEntry] = []
        # verdict entries per (claim, final) in both stacks: a write on a claim with no other entry has no
        # versions to bring up to date (the stacks grow with the session: no scan of them per verdict)
        self._verdict_entries: Counter[tuple[int, bool]] = Counter()
        self.writes = 0  # own writes so far (a recount that raced one is redone)
        self._data_version = self._read_data_version()
        self._ahead: dict[int, Shown] = {}  # claims read ahead (prefetch), dropped when anything may have changed
        self._article_progress: tuple[tuple, Progress] | None = None  # ((article, writes, data version), progress)

    # -- the queue ----------------------------------------------------------------------
    def count(self, queue_filter: QueueFilter | None = None) -> int:
        return store.queue_count(self.db, self.reviewer, queue_filter or self.filter)

    def page(self, offset: int, limit: int, after: tuple[int, int] | None = None) -> list[QueueRow]:
        return store.queue_page(self.db, self.reviewer, self.filter, offset=offset, limit=limit, after=after)

    def position(self, claim_id: int, queue_filter: QueueFilter | None = None) -> int | None:
        return store.queue_position(self.db, self.reviewer, queue_filter or self.filter, claim_id)

    def search(self, query: str, limit: int = 20) -> list[QueueRow]:
        return store.queue_page(self.db, self.reviewer, QueueFilter(status=QueueStatus.ALL, search=query),
                                limit=limit)

    def set_filter(self, new: QueueFilter | None = None, **changes) -> QueueFilter:
        """Change the queue (a new frozen filter; an invalid value raises ReviewError and changes nothing)."""
        self.filter = replace(new or self.filter, **changes)
        return self.filter

    def toggle_filter(self, name: str, value) -> QueueFilter:
        """Set one filter field, or clear it when it already has that value."""
        current = getattr(self.filter, name)
        return self.set_filter(**{name: None if current is not None and (value is None or current == value)
                                  else value})

    def clear_filters(self) -> QueueFilter:
        return self.set_filter(QueueFilter(status=self.filter.status))

    def story_of(self, article_id: int) -> int | None:
        return store.story_of_article(self.db, article_id)

    def entity_name(self, entity_id: int) -> str | None:
        return store.entity_name(self.db, entity_id)

    # -- the claim shown ----------------------------------------------------------------
    def show(self, claim_id: int | None) -> Shown:
        """Read everything about one claim (or nothing) and remember it as what the reviewer sees."""
        ahead = self._ahead.pop(claim_id, None) if claim_id is not None else None
        self.shown = ahead or self._read(claim_id)
        return self.shown

    def prefetch(self, claim_id: int | None) -> Shown | None:
        """Read the next claim while the reviewer reads this one, so the key that moves on only paints it.

        Returns what was read ahead (None: nothing to read, or it is the claim shown)."""
        if claim_id is None or claim_id == self.shown.claim_id:
            return None
        if claim_id not in self._ahead:
            self._ahead = {claim_id: self._read(claim_id)}
        return self._ahead[claim_id]

    def _forget(self, claim_id: int | None = None) -> None:
        """Drop read-ahead claims a write may have changed (all of them without ``claim_id``)."""
        if claim_id is None:
            self._ahead.clear()
            self._article_progress = None
        else:
            self._ahead.pop(claim_id, None)

    def _read(self, claim_id: int | None) -> Shown:
        if claim_id is None:
            return Shown()
        db, me = self.db, self.reviewer
        context = store.claim_context(db, claim_id)
        if context is None:
            raise ReviewError(f"no claim {claim_id}")
        verdicts = store.verdicts_for(db, claim_id, me, blind=self.blind)
        return Shown(
            claim_id=claim_id,
            context=context,
            mine=next((v for v in verdicts if v.reviewer == me and not v.final), None),
            final_mine=next((v for v in verdicts if v.reviewer == me and v.final), None),
            others=tuple(v for v in verdicts if v.reviewer != me or v.final),
            links=tuple(store.claim_links(db, claim_id)),
            flagged=store.is_flagged(db, claim_id, me),
        )

    def reload(self) -> Shown:
        """Read the shown claim again (after a refusal, or another reviewer's change)."""
        self._forget()
        self.follow_scale()
        return self.show(self.shown.claim_id)

    def link(self, link_id: int) -> LinkRow | None:
        return next((link for link in self.shown.links if link.id == link_id), None)

    def article_progress(self) -> Progress | None:
        """The reviewer's progress in the shown claim's article (counted again after any write seen)."""
        if self.shown.context is None:
            return None
        key = (self.shown.context.article.id, self.writes, self._data_version)
        if self._article_progress is None or self._article_progress[0] != key:
            self._article_progress = (key, store.progress(self.db, self.reviewer, key[0], overall=False))
        return self._article_progress[1]

    def _count_in_article(self, shown: Shown, *, judged_now: bool) -> None:
        """Keep the article's progress counted before this write (the one about to be counted) up to date:
        a claim of it judged for the first time is one more done, a changed verdict none. Counting it again
        is a query over the article's claims on every key."""
        cached = self._article_progress
        if cached is None or shown.context is None:
            return
        key, counted = cached
        if key != (shown.context.article.id, self.writes, self._data_version):
            return  # counted before another write or another connection's: the next read counts again
        if judged_now:
            counted = replace(counted, article_done=(counted.article_done or 0) + 1)
        self._article_progress = ((key[0], self.writes + 1, key[2]), counted)

    def progress(self) -> Progress:
        return store.progress(self.db, self.reviewer)

    def history(self, limit: int = HISTORY_SIZE) -> list[DecisionRow]:
        return store.recent_decisions(self.db, self.reviewer, limit)

    def all_verdicts(self) -> list[VerdictRow]:
        """Every verdict on the shown claim, unblinded: what an adjudicator settles (the adjudication dialog)."""
        if self.shown.claim_id is None:
            return []
        return store.verdicts_for(self.db, self.shown.claim_id, self.reviewer, blind=False)

    # -- verdicts ------------------------------------------------------------------------
    def evidence(self, urls: list[str] | tuple[str, ...] = ()) -> list[str]:
        """Confirmed links are evidence for the verdict, with any URLs the reviewer gave."""
        links = [f"{LINK_EVIDENCE}{link.id}" for link in self.shown.links if link.status == LinkStatus.CONFIRMED]
        return [*links, *(u for u in urls if not str(u).startswith(LINK_EVIDENCE))]

    def label_of(self, number: int) -> str:
        """The label of digit key ``number`` (1-based) on the active scale."""
        if not 1 <= number <= len(self.scale.labels):
            raise ReviewError(f"the {self.scale.name} scale has no label {number}")
        return self.scale.labels[number - 1].label

    def record(self, label: str, *, note: str | None = None, urls: list[str] | tuple[str, ...] | None = None,
               final: bool = False, reason: str | None = None, confirm_own: bool = False) -> Decision:
        """Record a verdict on the shown claim (``note``/``urls`` None: keep the ones already given).

        Adjudicating (``final``) a claim you judged yourself raises
        :class:`NeedsConfirmation` unless ``confirm_own``; the audit event
        records that the adjudicator was part of the dispute.
        """
        shown = self.shown
        if shown.claim_id is None:
            raise ReviewError("no claim is shown")
        before = shown.final_mine if final else shown.mine
        current = before or shown.mine
        if final and shown.mine is not None and not confirm_own:
            raise NeedsConfirmation(f"you gave claim #{shown.claim_id} a verdict yourself ({shown.mine.label}); "
                                    "adjudicating your own dispute is recorded as such")
        if note is None:
            note = current.note if current else ""
        if urls is None:
            urls = [e for e in (current.evidence if current else ()) if not e.startswith(LINK_EVIDENCE)]
        result = store.record_verdict(
            self.db, shown.claim_id, self.reviewer, label, note=note, evidence=self.evidence(urls),
            expected_version=before.version if before else 0, final=final, reason=reason)
        self._count_in_article(shown, judged_now=shown.mine is None and shown.final_mine is None)
        self.writes += 1
        self._forget(shown.claim_id)
        after = {"label": result["label"], "note": result["note"], "evidence": result["evidence"]}
        self._push_undo(UndoEntry("verdict", shown.claim_id, _state(before), after, result["version"], final=final))
        return Decision("adjudication" if final else "verdict", shown.claim_id,
                        f"#{shown.claim_id} → {label}" + (" (final)" if final else ""), label=label,
                        left_queue=self.filter.status == QueueStatus.TODO and not final)

    def toggle_flag(self) -> Decision:
        claim_id = self.shown.claim_id
        if claim_id is None:
            raise ReviewError("no claim is shown")
        flagged = not self.shown.flagged
        store.set_flag(self.db, claim_id, self.reviewer, flagged)
        self.writes += 1
        self._forget(claim_id)
        self._push_undo(UndoEntry("flag", claim_id, not flagged, flagged))
        self.show(claim_id)
        return Decision("flag", claim_id, f"#{claim_id} {'flagged' if flagged else 'unflagged'}")

    def decide_link(self, link_id: int, status: str, *, note: str | None = None) -> Decision:
        """Confirm or reject a link as the reviewer saw it; deciding the same again takes the decision back.

        The decision is about the pair of statements (seen from both claims, one audit event).
        """
        link = self.link(link_id)
        if link is None:
            raise ReviewError(f"link {link_id} is not one of the shown claim's links")
        status = _link_status(status)
        if link.status == status:
            status = LinkStatus.SUGGESTED
        store.decide_link(self.db, link_id, status, self.reviewer, expected_status=link.status, note=note)
        self.writes += 1
        self._forget()  # the pair's other side may be read ahead
        self._push_undo(UndoEntry("link", link.claim_id, link.status, str(status), link_id=link_id))
        self.show(self.shown.claim_id)
        return Decision("link", link.claim_id, f"link to #{link.statement_id} → {status}")

    def decide_pair(self, claim_id: int, statement_id: int, status: str, *, note: str | None = None) -> Decision:
        """Decide the link between two statements named by id (either direction), as the CLI does.

        Not a toggle: confirming a confirmed link changes nothing (``changed`` False).
        """
        from workbench.store.links import decide_pair, pair_rows

        status = _link_status(status)
        rows = pair_rows(self.db, claim_id, statement_id)
        before = rows[0][3] if rows else None
        changed = decide_pair(self.db, claim_id, statement_id, status, self.reviewer, note=note)
        if changed:
            self.writes += 1
            self._forget()
            self._push_undo(UndoEntry("link", rows[0][1], before, str(status), link_id=rows[0][0]))
        verb = str(status) if changed else f"already {status}"
        return Decision("link", claim_id, f"link of claim {claim_id} to statement {statement_id}: {verb}",
                        changed=changed)

    # -- undo / redo -----------------------------------------------------------------------
    def _push_undo(self, entry: UndoEntry) -> None:
        for dropped in self.redo_stack:
            if dropped.kind == "verdict":
                self._verdict_entries[(dropped.claim_id, dropped.final)] -= 1
        self.undo_stack.append(entry)
        self.redo_stack.clear()
        if entry.kind == "verdict":
            self._verdict_entries[(entry.claim_id, entry.final)] += 1
            self._own_version(entry.claim_id, entry.final, entry.version)

    def _own_version(self, claim_id: int, final: bool, version: int | None) -> None:
        """Our own write made this the verdict's version: every undo/redo entry of it expects that now."""
        if self._verdict_entries[(claim_id, final)] <= 1:  # only the entry just pushed, which has it
            return
        for stack in (self.undo_stack, self.redo_stack):
            for i, e in enumerate(stack):
                if e.kind == "verdict" and e.claim_id == claim_id and e.final == final and e.version != version:
                    stack[i] = replace(e, version=version)

    def undo(self) -> Decision | None:
        return self._undo_redo(self.undo_stack, self.redo_stack, redo=False)

    def redo(self) -> Decision | None:
        return self._undo_redo(self.redo_stack, self.undo_stack, redo=True)

    def _undo_redo(self, source: list[UndoEntry], target: list[UndoEntry], *, redo: bool) -> Decision | None:
        """Undo (or redo) the latest entry; the queue and its filter stay as they are."""
        if not source:
            return None
        entry = source[-1]
        state = entry.after if redo else entry.before
        version = None
        if entry.kind == "verdict":
            version = store.restore_verdict(self.db, entry.claim_id, self.reviewer, state,
                                            expected_version=entry.version, final=entry.final,
                                            action="verdict.redo" if redo else "verdict.undo")
        elif entry.kind == "flag":
            store.set_flag(self.db, entry.claim_id, self.reviewer, bool(state))
        else:
            expected = entry.before if redo else entry.after
            store.decide_link(self.db, entry.link_id, str(state), self.reviewer, expected_status=expected)
        source.pop()
        self._forget()
        target.append(replace(entry, version=version))
        if entry.kind == "verdict":
            self._own_version(entry.claim_id, entry.final, version)
        self.writes += 1
        word = "redone" if redo else "undone"
        what = {"verdict": "verdict", "flag": "flag", "link": "link decision"}[entry.kind]
        shown = (state or {}).get("label") if entry.kind == "verdict" and isinstance(state, dict) else None
        return Decision("redo" if redo else "undo", entry.claim_id,
                        f"{word}: {what} on #{entry.claim_id}" + (f" (now {shown})" if shown else ""))

    # -- others' changes ------------------------------------------------------------------
    def _read_data_version(self) -> int:
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    def changed_elsewhere(self) -> bool:
        """Has another connection committed since the last look? (Own writes do not count.)"""
        version = self._read_data_version()
        if version == self._data_version:
            return False
        self._data_version = version
        self._forget()
        return True

    def follow_scale(self) -> bool:
        """Pick up a scale chosen elsewhere; True when it changed (the digit keys follow it)."""
        scale = store.active_scale(self.db)
        if scale == self.scale:
            return False
        self.scale = scale
        return True

    def agreement(self) -> dict:
        return store.agreement(self.db)
