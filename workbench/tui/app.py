"""The review app: lifecycle, the database connections, thread workers, polling and the keymap.

What a reviewer does lives in :class:`~workbench.review.session.ReviewSession`
(headless, shared with the CLI); the panes and their keys in
:class:`~workbench.tui.screens.review.ReviewScreen`. This module keeps what is
the application's:

* the UI thread's connection, ``app.db``, behind the session: every read the
  screen shows and the short reviewer writes (one ``BEGIN IMMEDIATE``
  transaction with its audit event each, a few milliseconds), done
  synchronously so key presses stay strictly ordered;
* long work (re-analysing an article after a metadata correction, a new
  alias, promoting an entity, recounting) in thread workers, each with its
  own connection (:meth:`ReviewApp.in_thread`), posting
  :class:`ReviewApp.DataChanged` when done; one ``Worker.StateChanged``
  handler shows their errors;
* polling ``PRAGMA data_version`` twice a second: it changes only when
  *another* connection commits; the shown claim is then re-read at once and the
  counts (each a walk of the claims index) recounted in a worker;
* the keymap from ``keys.toml`` (:mod:`workbench.tui.keys`), applied with
  Textual's public ``set_keymap``.

The database is opened in the constructor: ``make_app`` fails before the
terminal is taken over when the file or the keys file cannot be used.
"""

from __future__ import annotations

import re
import time
from concurrent.futures import Future
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.worker import Worker, WorkerState

from workbench.model import QueueStatus, values
from workbench.review.session import Conflict, QueueFilter, ReviewSession
from workbench.store.db import open_db, transaction
from workbench.tui.commands import ClaimSearch
from workbench.tui.keys import effective_keys, keys_path, load_keymap
from workbench.tui.screens.review import ReviewScreen
from workbench.tui.startup import IDLE_SECONDS, CollectorPause, count_in_background
from workbench.tui.widgets.claim_queue import ClaimQueue
from workbench.tui.widgets.claim_view import ClaimView

POLL_SECONDS = 0.5


class ReviewApp(App):
    """Review claims: read each in its article, weigh the linked statements, give a verdict by one key."""

    CSS_PATH = "app.tcss"
    TITLE = "workbench review"
    COMMANDS = App.COMMANDS | {ClaimSearch}
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, id="quit",
                        tooltip="Leave the review screen (everything is saved)")]

    @dataclass
    class DataChanged(Message):
        """A worker wrote to the database: show the new state."""

        what: str

    @dataclass
    class Recounted(Message):
        """Fresh counts from the recount worker."""

        seq: int
        writes: int
        filter: QueueFilter
        count: int
        position: int | None
        overall: object

    def __init__(self, db_path: str | Path, reviewer: str, *, measure: bool = False,
                 poll_interval: float = POLL_SECONDS, blind: bool = True, keys_file: Path | None = None):
        super().__init__()
        self.collector = CollectorPause()  # first: it takes what the imports made out of the collector's view
        path = Path(keys_file) if keys_file else keys_path()
        self.keymap_overrides = load_keymap(path, self.binding_groups)
        # as the help screen names it: "~/..." rather than this machine's home directory
        home = str(Path.home())
        self.keys_file = "~" + str(path)[len(home):] if str(path).startswith(home + "/") else str(path)
        self.db_path = Path(db_path)
        self.db = open_db(self.db_path)
        self.session = ReviewSession(self.db, reviewer, blind=blind)
        self.reviewer = self.session.reviewer
        self.poll_interval = poll_interval
        self.measure = measure
        self.verdict_timings: list[tuple[float, float, float]] = []  # (key, committed, screen updated), monotonic
        self._key_time: float | None = None
        self._recount_seq = 0
        # counted on a connection of its own from now on, while Textual starts and the screen is built
        self._startup_counts: Future | None = count_in_background(self.db_path, self.reviewer)

    @staticmethod
    def binding_groups() -> dict[str, list[Binding]]:
        """Every remappable binding by where it works (the keymap check and the help screen use these)."""
        from workbench.tui.screens.forms import FormScreen, VerdictForm  # the dialogs: not needed to start
        from workbench.tui.screens.views import ReadOnlyScreen

        return {"review screen": [*ReviewApp.BINDINGS, *ReviewScreen.BINDINGS], "queue": ClaimQueue.BINDINGS,
                "claim pane": ClaimView.BINDINGS,
                "verdict dialogs": [*FormScreen.BINDINGS, *VerdictForm.BINDINGS],
                "read-only views": ReadOnlyScreen.BINDINGS}

    def on_mount(self) -> None:
        self.collector.pause_until_painted()
        if self.keymap_overrides:
            self.set_keymap(self.keymap_overrides)
        self.push_screen(ReviewScreen(self.session))
        self.set_interval(self.poll_interval, self.poll_changes, name="poll data_version")
        self.set_interval(IDLE_SECONDS / 2, self.collector.collect_if_idle, name="collect when idle")
        self.call_after_refresh(self.collector.freeze)

    def on_unmount(self) -> None:
        """The app is shutting down (its screens and workers are gone): close the UI connection, so the last
        connection to leave takes the WAL file with it and nothing of this process holds the database."""
        self.db.close()
        self.collector.restore()

    def startup_counts(self, queue_filter: QueueFilter):
        """(queue count, overall progress) counted at start, once, for the default filter; None otherwise."""
        counted, self._startup_counts = self._startup_counts, None
        if counted is None or queue_filter != QueueFilter() or self.session.writes:
            return None
        try:
            return counted.result(timeout=30)
        except Exception:
            return None

    @property
    def review(self) -> ReviewScreen:
        return next(s for s in self.screen_stack if isinstance(s, ReviewScreen))

    # conveniences for tests and the palette
    @property
    def shown(self):
        return self.session.shown

    @property
    def filter(self) -> QueueFilter:
        return self.session.filter

    @property
    def scale(self):
        return self.session.scale

    @property
    def queue(self) -> ClaimQueue:
        return self.review.queue

    @property
    def undo_stack(self):
        return self.session.undo_stack

    @property
    def redo_stack(self):
        return self.session.redo_stack

    def jump_to_claim(self, claim_id: int) -> None:
        self.review.jump_to_claim(claim_id)

    def search_claims(self, query: str, *, limit: int = 20):
        return self.session.search(query, limit)

    def article_text(self, article_id: int) -> str:
        return self.db.execute("SELECT clean_text FROM articles WHERE id = ?", [article_id]).fetchone()[0]

    def statement_span(self, statement_id: int) -> tuple[int, int]:
        return tuple(self.db.execute("SELECT span_start, span_end FROM statements WHERE id = ?",
                                     [statement_id]).fetchone())

    def article_info(self, article_id: int):
        claim = self.db.execute("SELECT id FROM statements WHERE article_id = ? LIMIT 1", [article_id]).fetchone()
        from workbench.store.review import claim_context

        return claim_context(self.db, claim[0]).article

    # -- key timing (measure=True) ---------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self._key_time = event.time
            self.collector.key(event.time)
        await super().on_event(event)

    def take_key_time(self) -> float:
        key_time, self._key_time = self._key_time, None
        return key_time if key_time is not None else time.monotonic()

    def record_timing(self, key_time: float | None, committed: float) -> None:
        if self.measure and key_time is not None:
            self.call_after_refresh(lambda: self.verdict_timings.append((key_time, committed, time.monotonic())))

    # -- workers: one helper, each with its own connection ------------------------------------------
    def in_thread(self, name: str, job: Callable, then: Callable[[object], Message] | None = None) -> Worker:
        """Run ``job(db)`` in a thread worker on a connection of its own; post ``then(result)`` when done."""
        def run():
            db = open_db(self.db_path, migrate=False)
            try:
                result = job(db)
            finally:
                db.close()
            if then is not None:
                self.post_message(then(result))

        return self.run_worker(run, name=name, group=name, thread=True, exit_on_error=False)

    def correct_metadata(self, article_id: int, changes: dict, revision: int, reason: str | None) -> Worker:
        """Correct the metadata, then re-analyse the article so relative dates re-resolve and links refresh."""
        from workbench.pipeline import Pipeline
        from workbench.store import review

        def job(db):
            review.correct_metadata(db, article_id, changes, self.reviewer, expected_revision=revision, reason=reason)
            Pipeline(db, actor=self.reviewer).reprocess([article_id])

        return self.in_thread("metadata correction", job, lambda _: self.DataChanged("metadata corrected, re-analysed"))

    def correct_claimant(self, claim_id: int, name: str, entity: str, kind: str, reason: str | None) -> Worker:
        """Record who made the claim, audited (claimant.correct); re-analysis keeps it."""
        from workbench.store.claimants import ClaimantError, correct_claimant
        from workbench.store.entities import find_entity

        def job(db):
            entity_id = None
            if entity:
                found = find_entity(db, entity)
                if found is None:
                    return f"no entity {entity!r}: claimant not changed"
                entity_id = found["id"]
            try:
                stored = correct_claimant(db, claim_id, self.reviewer, name=name, entity_id=entity_id, kind=kind,
                                          reason=reason)
            except ClaimantError as exc:
                return f"claimant not changed: {exc}"
            return f"claimant: {stored['name']} ({stored['kind']})"

        return self.in_thread("claimant correction", job, lambda said: self.DataChanged(said))

    def add_alias(self, alias: str, entity: str, type_: str) -> Worker:
        """Add the alias, re-find mentions in stored statements that contain it, relink what changed."""
        from workbench.pipeline import Pipeline
        from workbench.store.entities import add_entity, find_entity

        def job(db):
            pipeline = Pipeline(db, actor=self.reviewer)
            with transaction(db):
                existing = find_entity(db, entity)
                add_entity(db, existing["name"] if existing else entity, [alias], type_, actor=self.reviewer)
                pipeline.apply_new_aliases([alias])
            pipeline.link_pending()

        return self.in_thread("add alias", job, lambda _: self.DataChanged(f"alias added: {alias}"))

    def promote(self, entity_id: int) -> Worker:
        from workbench.store.entities import promote_candidate

        def job(db):
            with transaction(db):
                promote_candidate(db, entity_id, actor=self.reviewer)

        return self.in_thread("promote entity", job, lambda _: self.DataChanged("candidate promoted"))

    def request_recount(self) -> None:
        """Recount queue, row and progress in a worker; results a newer request or own write made stale are dropped."""
        self._recount_seq += 1
        seq, writes, queue_filter, claim_id = (self._recount_seq, self.session.writes, self.session.filter,
                                               self.session.shown.claim_id)

        def job(db):
            from workbench.store import review

            return self.Recounted(seq, writes, queue_filter, review.queue_count(db, self.reviewer, queue_filter),
                                  review.queue_position(db, self.reviewer, queue_filter, claim_id)
                                  if claim_id is not None else None, review.progress(db, self.reviewer))

        self.in_thread("recount", job, lambda message: message)

    @on(Recounted)
    def _recounted(self, event: Recounted) -> None:
        if event.seq != self._recount_seq or event.filter != self.session.filter:
            return  # a newer recount is coming, or the reviewer changed the filter meanwhile
        if event.writes != self.session.writes:
            self.request_recount()  # the reviewer wrote meanwhile: these counts may be off by one
            return
        self.review.refresh_counts(event.count, event.position, event.overall)

    def poll_changes(self) -> None:
        """Twice a second: has another connection committed? Then show the new state."""
        if self.session.changed_elsewhere():
            if self.session.follow_scale():
                self.refresh_bindings()
            self.review.show_claim(self.session.shown.claim_id)
            self.request_recount()

    @on(DataChanged)
    def _data_changed(self, event: DataChanged) -> None:
        self.session.changed_elsewhere()  # the worker's commit is ours: take it as seen
        self.session.reload()
        self.review.refresh_counts()
        self.notify(Content(event.what.capitalize() + "."), timeout=3)

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        """The one place worker errors are shown (a Conflict included), as text, never markup."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            title = "Changed elsewhere" if isinstance(error, Conflict) else f"{event.worker.name} failed"
            self.notify(Content(f"{error}"), title=title, severity="error", timeout=10)
            if isinstance(error, Conflict):
                self.review.action_reload()

    # -- help and palette -----------------------------------------------------------------------------
    def binding_rows(self) -> list[tuple[str, str, str, str, str]]:
        """(keys, description, where, id, tooltip) for every binding with the keymap applied; the digits with
        the active scale's labels, and only those the scale uses."""
        labels = self.session.scale.labels
        rows = []
        for where, bindings in self.binding_groups().items():
            seen: dict[str, int] = {}
            for binding in bindings:
                ident = binding.id or binding.action
                description, tooltip = binding.description, binding.tooltip
                digit = re.fullmatch(r"(?:form-)?verdict-(\d)", ident)
                if digit:
                    number = int(digit.group(1))
                    if number > len(labels):
                        continue
                    description = f"verdict: {labels[number - 1].label}"
                keys = ", ".join(self.get_key_display(Binding(k, binding.action))
                                 for k in effective_keys(binding, self.keymap_overrides))
                if ident in seen:
                    continue
                seen[ident] = len(rows)
                rows.append((keys, description, where, binding.id or "", tooltip))
        return rows

    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        review = self.review
        for status in values(QueueStatus):
            title = QueueStatus(status).title
            yield SystemCommand(f"Queue: {title.capitalize()}", f"Show the {title} queue",
                                lambda s=status: review.action_queue(s))
        yield SystemCommand("Conflicts only", "Claims with a conflicting statement (toggle)", review.action_filter_conflicts)
        yield SystemCommand("This article only", "Claims of the current article (toggle)", review.action_filter_article)
        yield SystemCommand("Clear filters", "The whole queue", review.action_clear_filters)
        yield SystemCommand("Agreement", "Cohen's kappa per pair of reviewers", review.action_agreement)
        yield SystemCommand("Undo", "Undo your last action", review.action_undo)
        yield SystemCommand("Redo", "Redo what you undid", review.action_redo)
        yield SystemCommand("History", "Your last 20 decisions", lambda: review.action_focus_pane("history"))
        yield SystemCommand("Correct metadata", "Title, publication date, author of this article",
                            review.action_edit_metadata)
        yield SystemCommand("Keys", "Every key binding and how to remap it", review.action_help)


def make_app(db_path: str | Path, reviewer: str, *, measure: bool = False, poll_interval: float = POLL_SECONDS,
             keys_file: Path | None = None) -> ReviewApp:
    """The review screen on the database at ``db_path`` for ``reviewer`` (the CLI, demo and tests call this).

    ``measure=True`` records ``(key, committed, screen updated)`` monotonic
    times for every verdict in ``app.verdict_timings``. Raises
    :class:`~workbench.tui.keys.KeymapError` for an unusable keys file.
    """
    return ReviewApp(db_path, reviewer, measure=measure, poll_interval=poll_interval, keys_file=keys_file)
