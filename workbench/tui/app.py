"""The review screen: a queue of claims, the claim in its article, its linked statements, a verdict bar.

Threads and connections. SQLite objects are not shared across threads here:

* the UI thread owns ``app.db``: every read the screen shows, and the short
  reviewer writes (a verdict, a flag, a link decision, undo/redo). Each of
  those is one ``BEGIN IMMEDIATE`` transaction with its audit event, measured
  at well under the 5 ms median target (see ``verdict_timings``), so doing it
  synchronously keeps key presses strictly ordered and the next claim on
  screen at once, with no optimistic state to roll back;
* long work (re-analysing an article after a metadata correction, applying a
  new alias, relinking) runs in thread workers, each opening its own
  connection with ``open_db(path, migrate=False)`` and posting
  :class:`ReviewApp.DataChanged` when done. One ``Worker.StateChanged``
  handler shows their errors (a Conflict included).

Other reviewers' writes are seen by polling ``PRAGMA data_version`` on the UI
connection twice a second: it changes only when *another* connection commits.
The claim on screen is then re-read at once; the queue size, the claim's row
and the overall progress (each a scan of every claim) are recounted by a
``recount`` thread worker, which drops results that a newer request or one of
the reviewer's own writes has made stale.

Measured on the fixtures database (2 shared cores, load ~2): key -> verdict
and audit event committed, median ~2.5 ms; key -> next claim painted, median
~60-95 ms, nearly all of it Textual re-rendering the three panes.

The database is opened in the constructor, not at import time: ``make_app``
fails before the terminal is taken over when the file cannot be opened.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Footer, Input, Select, Static
from textual.worker import Worker, WorkerState

from workbench.store import review
from workbench.store.db import open_db, transaction
from workbench.store.review import Conflict, QueueFilter, ReviewError
from workbench.tui.commands import ClaimSearch
from workbench.tui.screens.forms import AdjudicateForm, AliasForm, MetadataForm, VerdictForm
from workbench.tui.screens.views import AgreementScreen, ArticleScreen, HelpScreen
from workbench.tui.text import safe_line, styled
from workbench.tui.widgets.claim_queue import ClaimQueue
from workbench.tui.widgets.claim_view import ClaimView
from workbench.tui.widgets.links_list import LinksList
from workbench.tui.widgets.status import ProgressLine, VerdictBar, queue_label

MAX_SCALE_KEYS = 9
POLL_SECONDS = 0.5
STATUS_OPTIONS = [("To do", "todo"), ("Mine", "mine"), ("All", "all"), ("Disputed", "disputed"),
                  ("Flagged", "flagged")]
RELATION_OPTIONS = [("Any relation", ""), ("Conflicts", "conflict"), ("Same claim", "same"), ("Related", "related")]


@dataclass
class UndoEntry:
    """One of the reviewer's own actions, with what it replaced (for undo and redo).

    ``version`` is the verdict version (or link status / flag) as it stands
    after the action last applied, so undo and redo are optimistic writes too.
    """

    kind: str  # "verdict", "flag", "link"
    claim_id: int
    before: Any
    after: Any
    version: Any = None
    final: bool = False
    link_id: int | None = None


@dataclass
class Shown:
    """What the screen shows of the current claim (what the reviewer saw, for optimistic writes)."""

    claim_id: int | None = None
    context: dict | None = None
    mine: dict | None = None
    final_mine: dict | None = None
    others: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    flagged: bool = False


def _verdict_bindings() -> list[Binding]:
    return [Binding(str(i), f"verdict({i})", f"verdict {i}", show=i <= 7, id=f"verdict-{i}",
                    tooltip=f"Record verdict {i} of the scale and move to the next claim")
            for i in range(1, MAX_SCALE_KEYS + 1)]


class ReviewApp(App):
    """Review claims: read each in its article, weigh the linked statements, give a verdict by one key."""

    CSS_PATH = "app.tcss"
    TITLE = "workbench review"
    COMMANDS = App.COMMANDS | {ClaimSearch}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help", tooltip="Every key, what it does and its id"),
        *_verdict_bindings(),
        Binding("n", "verdict_form", "Note", id="verdict-note",
                tooltip="Give a verdict with a note and evidence URLs"),
        Binding("F", "adjudicate", "Adjudicate", id="adjudicate",
                tooltip="Record the final verdict on a claim (an adjudicator's; needs a reason)"),
        Binding("s", "skip", "Skip", id="skip", tooltip="Next claim, without writing anything"),
        Binding("f", "flag", "Flag", id="flag", tooltip="Flag or unflag the claim for a second look"),
        Binding("u,ctrl+z", "undo", "Undo", id="undo", tooltip="Undo your last action (verdict, flag, link)"),
        Binding("U,ctrl+y", "redo", "Redo", show=False, id="redo", tooltip="Redo what you undid"),
        Binding("c", "link('confirmed')", "Confirm link", id="link-confirm",
                tooltip="Confirm the highlighted link: it becomes evidence for your verdict"),
        Binding("x", "link('rejected')", "Reject link", id="link-reject", tooltip="Reject the highlighted link"),
        Binding("o", "open_link", "Open source", id="link-open",
                tooltip="Open the other article at the linked statement"),
        Binding("e", "edit_metadata", "Metadata", id="edit-metadata",
                tooltip="Correct the article's title, publication date or author, then re-analyse it"),
        Binding("a", "add_alias", "Alias", show=False, id="mention-alias",
                tooltip="Add the highlighted mention as an alias of an entity"),
        Binding("p", "promote", "Promote", show=False, id="mention-promote",
                tooltip="Promote the highlighted candidate entity to a real one"),
        Binding("E", "filter_entity", "Entity filter", show=False, id="filter-entity",
                tooltip="Show only claims that mention the highlighted entity (again: clear)"),
        Binding("w", "filter_article", "This article", show=False, id="filter-article",
                tooltip="Show only claims of the current article (again: clear)"),
        Binding("C", "filter_conflicts", "Conflicts", show=False, id="filter-conflicts",
                tooltip="Show only claims with a conflicting statement (again: clear)"),
        Binding("slash", "focus_search", "Search", show=False, id="search", tooltip="Search the claims' text (Chinese too)"),
        Binding("ctrl+l", "clear_filters", "Clear filters", show=False, id="clear-filters",
                tooltip="Back to the whole queue: no article, entity, date, relation or search filter"),
        Binding("f2", "queue('todo')", "To do", show=False, id="queue-todo", tooltip="Claims you have not judged"),
        Binding("f3", "queue('mine')", "Mine", show=False, id="queue-mine", tooltip="Claims you have judged"),
        Binding("f4", "queue('all')", "All", show=False, id="queue-all", tooltip="Every claim"),
        Binding("f5", "queue('disputed')", "Disputed", show=False, id="queue-disputed",
                tooltip="Claims reviewers disagree on, not adjudicated yet"),
        Binding("f6", "queue('flagged')", "Flagged", show=False, id="queue-flagged", tooltip="Flagged claims"),
        Binding("ctrl+q", "quit", "Quit", show=False, id="quit", tooltip="Leave the review screen (everything is saved)"),
        Binding("A", "agreement", "Agreement", id="agreement",
                tooltip="Cohen's kappa per pair of reviewers and counts per label"),
        Binding("tab", "focus_next", "Next pane", show=False, id="focus-next", tooltip="Focus the next pane"),
        Binding("shift+tab", "focus_previous", "Previous pane", show=False, id="focus-previous",
                tooltip="Focus the previous pane"),
        Binding("j", "move(1)", "Down", show=False, id="vim-down", tooltip="Next claim (vim)"),
        Binding("k", "move(-1)", "Up", show=False, id="vim-up", tooltip="Previous claim (vim)"),
        Binding("g", "move_to('first')", "First", show=False, id="vim-first", tooltip="First claim (vim)"),
        Binding("G", "move_to('last')", "Last", show=False, id="vim-last", tooltip="Last claim (vim)"),
    ]
    """Every binding has an id (remap with ``App.set_keymap``), a description and a tooltip.

    The digit bindings are relabelled with the active scale's labels when the app starts.
    """

    @dataclass
    class DataChanged(Message):
        """A worker wrote to the database: show the new state."""

        what: str
        claim_id: int | None = None

    def __init__(self, db_path: str | Path, reviewer: str, *, measure: bool = False,
                 poll_interval: float = POLL_SECONDS, blind: bool = True):
        super().__init__()
        reviewer = reviewer.strip()
        if not reviewer:
            raise ValueError("a reviewer name is needed")
        self.db_path = Path(db_path)
        self.reviewer = reviewer
        self.blind = blind
        self.poll_interval = poll_interval
        self.db = open_db(self.db_path)
        self.scale = review.active_scale(self.db)
        self.filter = QueueFilter()
        self.shown = Shown()
        self.undo_stack: list[UndoEntry] = []
        self.redo_stack: list[UndoEntry] = []
        self.measure = measure
        self.verdict_timings: list[tuple[float, float, float]] = []  # (key, committed, screen updated), monotonic
        self._key_time: float | None = None
        self._data_version = self._read_data_version()
        self._reviewed = self._total = 0
        self._count_progress()
        self._recount_seq = 0  # the latest recount asked for (older results are dropped)
        self._writes = 0  # the reviewer's own writes so far (a recount that raced one is redone)
        self._label_scale_keys()

    # -- setup ------------------------------------------------------------------
    def _label_scale_keys(self) -> None:
        """Give the digit keys the scale's labels (and drop digits the scale does not use)."""
        labels = self.scale.labels[:MAX_SCALE_KEYS]
        for i in range(1, MAX_SCALE_KEYS + 1):
            key = str(i)
            self._bindings.key_to_bindings.pop(key, None)
            if i <= len(labels):
                label = safe_line(labels[i - 1].label).plain
                # show=False: the verdict bar lists the scale's keys with their labels, in order
                self._bindings.key_to_bindings[key] = [Binding(
                    key, f"verdict({i})", label, show=False, id=f"verdict-{i}",
                    tooltip=f"Record the verdict \u201c{label}\u201d and move to the next claim")]

    def compose(self) -> ComposeResult:
        yield ProgressLine(id="progress")
        with Horizontal(id="panes"):
            with Vertical(id="queue-pane", classes="pane"):
                with Horizontal(classes="filters"):
                    yield Select(STATUS_OPTIONS, value="todo", allow_blank=False, compact=True, id="status")
                    yield Select(RELATION_OPTIONS, value="", allow_blank=False, compact=True, id="relation")
                yield Input(placeholder="/ search claims: 特斯拉, 数据, Musk…", compact=True, id="search")
                with Horizontal(classes="filters"):
                    yield Input(placeholder="from YYYY-MM-DD", compact=True, id="date-from")
                    yield Input(placeholder="to YYYY-MM-DD", compact=True, id="date-to")
                yield Static(id="scope")
                yield ClaimQueue(self._fetch_page, self._count_queue, id="queue")
            yield ClaimView(id="claim-pane", classes="pane")
            with Vertical(id="links-pane", classes="pane"):
                yield LinksList(id="links")
        yield VerdictBar(id="verdict-bar")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#queue-pane").border_title = Content("Queue")
        self.query_one("#claim-pane").border_title = Content("Claim")
        self.query_one("#links-pane").border_title = Content("Other sources")
        self.queue.focus()
        self.queue.reload(keep_row=0)
        self.set_interval(self.poll_interval, self.poll_changes, name="poll data_version")

    @property
    def queue(self) -> ClaimQueue:
        return self.query_one("#queue", ClaimQueue)

    # -- reading ----------------------------------------------------------------
    def _fetch_page(self, offset: int, limit: int) -> list[dict]:
        return review.queue_page(self.db, self.reviewer, self.filter, offset=offset, limit=limit)

    def _count_queue(self) -> int:
        return review.queue_count(self.db, self.reviewer, self.filter)

    def _count_progress(self) -> None:
        """The overall progress: counted at start and after others' writes, kept up to date after ours.

        Counting scans every claim (~130 ms at 100,000 claims), too slow to repeat per verdict.
        """
        overall = review.progress(self.db, self.reviewer)
        self._reviewed, self._total = overall["done"], overall["total"]

    def _read_data_version(self) -> int:
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    def search_claims(self, query: str, *, limit: int = 20) -> list[dict]:
        """Claims whose text matches ``query`` (the store's index; finds 2-character Chinese words)."""
        return review.queue_page(self.db, self.reviewer, QueueFilter(status="all", search=query), limit=limit)

    @on(ClaimQueue.Highlighted)
    def _claim_highlighted(self, event: ClaimQueue.Highlighted) -> None:
        claim_id = event.claim["id"] if event.claim else None
        if claim_id != self.shown.claim_id:
            self.show_claim(claim_id)

    def show_claim(self, claim_id: int | None) -> None:
        """Load and show everything about one claim (or the empty state)."""
        db = self.db
        if claim_id is None:
            self.shown = Shown()
        else:
            from workbench.store.links import list_links

            mine = review.my_verdict(db, claim_id, self.reviewer)
            verdicts = review.verdicts_for(db, claim_id, self.reviewer, blind=self.blind)
            final_mine = next((v for v in verdicts if v["final"] and v["reviewer"] == self.reviewer), None)

            self.shown = Shown(
                claim_id=claim_id,
                context=review.claim_context(db, claim_id),
                mine=mine,
                final_mine=final_mine,
                others=[v for v in verdicts if v["reviewer"] != self.reviewer or v["final"]],
                links=list_links(db, claim_id),
                flagged=review.is_flagged(db, claim_id, self.reviewer),
            )
        self._render_shown()

    def _render_shown(self) -> None:
        shown = self.shown
        self.query_one(ClaimView).show(shown.context)
        self.query_one(LinksList).show(shown.links)
        confirmed = sum(1 for link in shown.links if link["status"] == "confirmed")
        self.query_one(VerdictBar).show(self.scale, shown.mine, shown.others, shown.flagged, confirmed)
        article_id = shown.context["article"]["id"] if shown.context else None
        progress = {"done": self._reviewed, "total": self._total}
        if article_id is not None:
            progress.update(review.progress(self.db, self.reviewer, article_id, overall=False))
        self.query_one(ProgressLine).show(self.reviewer, progress, queue_label(self.filter.status), self.queue.count)
        if shown.context:
            title = Content.assemble(f"Claim #{shown.claim_id} in ", styled(
                shown.context["article"].get("title") or "untitled article", "bold", limit=60))
        else:
            title = Content("Claim")
        self.query_one("#claim-pane").border_title = title
        conflicts = sum(1 for link in shown.links if link["relation"] == "conflict" and link["status"] != "rejected")
        links_title = Content.assemble(f"Other sources ({len(shown.links)})",
                                       (f" · {conflicts} conflict(s)", "bold $error") if conflicts else "")
        self.query_one("#links-pane").border_title = links_title
        self._render_scope()

    def _render_scope(self) -> None:
        f = self.filter
        parts: list = [(f"{self.queue.count:,} claims", "bold")]
        if f.article_id is not None:
            parts += ["  ", (f"article #{f.article_id}", "$secondary"), (" (w clears)", "$text-muted")]
        if f.entity_id is not None:
            name = self.db.execute("SELECT name FROM entities WHERE id = ?", [f.entity_id]).fetchone()
            parts += ["  entity ", styled(name[0] if name else f.entity_id, "$secondary", limit=30),
                      (" (E clears)", "$text-muted")]
        if f.relation:
            parts += ["  ", (f.relation, "$error" if f.relation == "conflict" else "$secondary")]
        if f.search:
            parts += ["  search ", styled(f.search, "$secondary", limit=30)]
        if f.date_from or f.date_to:
            parts += [(f"  dates {f.date_from or '…'} – {f.date_to or '…'}", "$secondary")]
        self.query_one("#scope", Static).update(Content.assemble(*parts))
        self.query_one("#queue-pane").border_title = Content.assemble(
            "Queue · ", (queue_label(f.status), "bold"), f" ({self.queue.count:,})")

    def refresh_from_db(self, *, keep_claim: bool = True) -> None:
        """Re-read everything shown (after another connection committed)."""
        self._follow_scale()
        self._count_progress()
        claim_id = self.shown.claim_id
        row = self.queue.cursor
        if keep_claim and claim_id is not None:
            position = review.queue_position(self.db, self.reviewer, self.filter, claim_id)
            if position is not None:
                row = position
        self.queue.reload(keep_row=row)
        current = self.queue.current
        self.show_claim(current["id"] if current else None)

    def _follow_scale(self) -> None:
        scale = review.active_scale(self.db)
        if scale != self.scale:  # someone chose another scale: the digit keys follow it
            self.scale = scale
            self._label_scale_keys()
            self.refresh_bindings()

    def poll_changes(self) -> None:
        """Twice a second: has another connection committed? Then show the new state.

        The claim on screen is re-read at once (a few small queries); the counts
        (queue size, the claim's row, overall progress) scan every claim, ~0.3 s
        at 100,000 claims, so they are recounted in a thread worker.
        """
        version = self._read_data_version()
        if version != self._data_version:
            self._data_version = version
            self._follow_scale()
            self.show_claim(self.shown.claim_id)
            self.request_recount()

    def request_recount(self) -> None:
        self._recount_seq += 1
        self._recount(self._recount_seq, self._writes, replace(self.filter), self.shown.claim_id)

    @work(thread=True, exclusive=True, group="recount", exit_on_error=False, name="recount")
    def _recount(self, seq: int, writes: int, queue_filter: QueueFilter, claim_id: int | None) -> None:
        db = open_db(self.db_path, migrate=False)  # this thread's own connection
        try:
            count = review.queue_count(db, self.reviewer, queue_filter)
            position = (review.queue_position(db, self.reviewer, queue_filter, claim_id)
                        if claim_id is not None else None)
            overall = review.progress(db, self.reviewer)
        finally:
            db.close()
        self.post_message(self.Recounted(seq, writes, queue_filter, count, position, overall))

    @dataclass
    class Recounted(Message):
        """Fresh counts from the recount worker."""

        seq: int
        writes: int
        filter: QueueFilter
        count: int
        position: int | None
        overall: dict

    @on(Recounted)
    def _recounted(self, event: Recounted) -> None:
        if event.seq != self._recount_seq or event.filter != self.filter:
            return  # a newer recount is coming, or the reviewer changed the filter meanwhile
        if event.writes != self._writes:
            self.request_recount()  # the reviewer wrote meanwhile: these counts may be off by one
            return
        self._reviewed, self._total = event.overall["done"], event.overall["total"]
        row = event.position if event.position is not None else self.queue.cursor
        self.queue.reload(keep_row=row, count=event.count)
        current = self.queue.current
        current_id = current["id"] if current else None
        if current_id != self.shown.claim_id:
            self.show_claim(current_id)
        else:
            self._render_shown()

    # -- key timing ---------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self._key_time = event.time
        await super().on_event(event)

    # -- verdicts -----------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needs_claim = {"verdict", "verdict_form", "adjudicate", "flag", "skip", "edit_metadata", "link",
                       "open_link", "add_alias", "promote", "filter_entity", "filter_article"}
        if len(self.screen_stack) > 1 and action in _SCREEN_ACTIONS:
            return False  # a form or view is open: its keys only (a stray "u" must not undo behind it)
        if action in needs_claim and self.shown.claim_id is None:
            return None  # shown greyed out
        if action == "verdict" and parameters and int(parameters[0]) > len(self.scale.labels):
            return False
        return True

    def _evidence(self, urls: list[str] = ()) -> list[str]:
        """Confirmed links are evidence for the verdict, with any URLs the reviewer gave."""
        links = [f"link:{link['id']}" for link in self.shown.links if link["status"] == "confirmed"]
        return [*links, *urls]

    def action_verdict(self, number: int) -> None:
        key_time = self._key_time if self._key_time is not None else time.monotonic()
        self._key_time = None
        label = self.scale.labels[number - 1].label
        self._record(label, note=(self.shown.mine or {}).get("note", ""), urls=[
            e for e in (self.shown.mine or {}).get("evidence", []) if not str(e).startswith("link:")],
            key_time=key_time)

    def _record(self, label: str, *, note: str = "", urls: list[str] = (), final: bool = False,
                reason: str | None = None, key_time: float | None = None) -> bool:
        shown = self.shown
        claim_id = shown.claim_id
        if claim_id is None:
            self.bell()
            return False
        before = shown.final_mine if final else shown.mine
        try:
            result = review.record_verdict(
                self.db, claim_id, self.reviewer, label, note=note, evidence=self._evidence(urls),
                expected_version=before["version"] if before else 0, final=final, reason=reason)
        except Conflict as exc:
            self.show_conflict(exc)
            return False
        except ReviewError as exc:
            self.notify(Content(str(exc)), title="Not recorded", severity="error")
            return False
        committed = time.monotonic()
        self._writes += 1
        after = {k: result[k] for k in ("label", "note", "evidence")}
        self._push_undo(UndoEntry("verdict", claim_id, _state(before), after, result["version"], final=final))
        if final:
            self._count_progress()  # an adjudication may count as reviewed too; rare enough to recount
        elif before is None:
            self._reviewed += 1
        self._advance_after_verdict(claim_id, label)
        if self.measure and key_time is not None:
            self.call_after_refresh(lambda: self.verdict_timings.append((key_time, committed, time.monotonic())))
        return True

    def _advance_after_verdict(self, claim_id: int, label: str) -> None:
        """Show the next claim: the one that took this claim's place (to do) or the one after it."""
        row = self.queue.cursor
        status = self.filter.status
        if status == "todo":
            # the judged claim left the queue, so the next one is now at this row: no recount and no
            # refetch of cached pages (a deep page of a 100,000-claim queue costs ~170 ms)
            self.queue.remove_row(row)
        elif status in ("all", "flagged"):
            self.queue.patch_row(row, my_label=label)
            self.queue.cursor = row + 1
        else:  # mine (a new verdict joins it), disputed (it may come or go): ask where it is now
            self.queue.reload(keep_row=row)
            position = review.queue_position(self.db, self.reviewer, self.filter, claim_id)
            if position is not None:
                self.queue.cursor = position + 1
        current = self.queue.current
        self.show_claim(current["id"] if current else None)

    def show_conflict(self, exc: Exception) -> None:
        """Someone else changed what the reviewer saw: say so, never silently, and show the new state."""
        self.notify(Content(str(exc)), title="Changed elsewhere", severity="error", timeout=8)
        self.refresh_from_db()

    def action_verdict_form(self) -> None:
        def done(result) -> None:
            if result is not None:
                self._record(result.label, note=result.note, urls=result.evidence)

        self.push_screen(VerdictForm(self.scale, self.shown.mine), done)

    def action_adjudicate(self) -> None:
        def done(result) -> None:
            if result is not None:
                if self._record(result.label, note=result.note, urls=result.evidence, final=True,
                                reason=result.reason):
                    self.notify(Content(f"Final verdict recorded: {result.label}"), title="Adjudicated")

        self.push_screen(AdjudicateForm(self.scale, self.shown.final_mine), done)

    def action_skip(self) -> None:
        self.queue.cursor += 1

    def action_flag(self) -> None:
        claim_id = self.shown.claim_id
        flagged = not self.shown.flagged
        try:
            review.set_flag(self.db, claim_id, self.reviewer, flagged)
        except ReviewError as exc:
            self.notify(Content(str(exc)), severity="error")
            return
        self._writes += 1
        self._push_undo(UndoEntry("flag", claim_id, not flagged, flagged))
        self.refresh_from_db()

    # -- links -----------------------------------------------------------------------
    def action_link(self, status: str) -> None:
        link = self.query_one(LinksList).selected_link
        if link is None:
            self.notify(Content("This claim has no linked statement to decide on."), severity="warning")
            return
        if link["status"] == status:
            status = "suggested"  # pressing confirm on a confirmed link takes the decision back
        try:
            review.decide_link(self.db, link["id"], status, self.reviewer, expected_status=link["status"])
        except Conflict as exc:
            self.show_conflict(exc)
            return
        self._writes += 1
        self._push_undo(UndoEntry("link", link["claim_id"], link["status"], status, link_id=link["id"]))
        self.show_claim(self.shown.claim_id)

    def action_open_link(self) -> None:
        link = self.query_one(LinksList).selected_link
        if link is None:
            return
        from workbench.store.articles import get_article

        context = review.claim_context(self.db, link["statement_id"])
        article = get_article(self.db, link["article_id"])
        self.push_screen(ArticleScreen(article, context["span"]))

    # -- undo / redo -------------------------------------------------------------------
    def _push_undo(self, entry: UndoEntry) -> None:
        self.undo_stack.append(entry)
        self.redo_stack.clear()

    def _apply(self, entry: UndoEntry, target: Any, *, redo: bool) -> Any:
        """Put the claim's verdict/flag/link into ``target``; returns the new version marker."""
        if entry.kind == "verdict":
            return review.restore_verdict(self.db, entry.claim_id, self.reviewer, target,
                                          expected_version=entry.version, final=entry.final,
                                          action="verdict.redo" if redo else "verdict.undo")
        if entry.kind == "flag":
            review.set_flag(self.db, entry.claim_id, self.reviewer, target)
            return None
        expected = entry.after if not redo else entry.before
        review.decide_link(self.db, entry.link_id, target, self.reviewer, expected_status=expected)
        return None

    def action_undo(self) -> None:
        self._undo_redo(self.undo_stack, self.redo_stack, redo=False)

    def action_redo(self) -> None:
        self._undo_redo(self.redo_stack, self.undo_stack, redo=True)

    def _undo_redo(self, source: list[UndoEntry], target: list[UndoEntry], *, redo: bool) -> None:
        if not source:
            self.notify(Content("Nothing to redo." if redo else "Nothing to undo."), severity="warning")
            return
        entry = source.pop()
        try:
            version = self._apply(entry, entry.after if redo else entry.before, redo=redo)
        except Conflict as exc:
            self.show_conflict(exc)
            return
        self._writes += 1
        if entry.kind == "verdict" and not entry.final:
            now, was = (entry.after, entry.before) if redo else (entry.before, entry.after)
            self._reviewed += (now is not None) - (was is not None)
        target.append(replace(entry, version=version))
        self.jump_to_claim(entry.claim_id)
        self.notify(Content(f"{'Redone' if redo else 'Undone'}: {entry.kind} on claim #{entry.claim_id}"),
                    timeout=2)

    # -- navigation and filters ------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        self.queue.cursor += delta

    def action_move_to(self, where: str) -> None:
        self.queue.cursor = 0 if where == "first" else max(0, self.queue.count - 1)

    def jump_to_claim(self, claim_id: int) -> None:
        """Show a claim: in the current queue when it is there, else in the whole queue."""
        position = review.queue_position(self.db, self.reviewer, self.filter, claim_id)
        if position is None:
            self._set_filter(QueueFilter(status="all"), reload=False)
            position = review.queue_position(self.db, self.reviewer, self.filter, claim_id)
        self.queue.reload(keep_row=position or 0)
        self.show_claim(claim_id if position is not None else (self.queue.current or {}).get("id"))

    def _set_filter(self, new: QueueFilter, *, reload: bool = True) -> None:
        self.filter = new
        with self.prevent(Select.Changed, Input.Changed):
            self.query_one("#status", Select).value = new.status
            self.query_one("#relation", Select).value = new.relation or ""
            self.query_one("#search", Input).value = new.search or ""
            self.query_one("#date-from", Input).value = new.date_from or ""
            self.query_one("#date-to", Input).value = new.date_to or ""
        if reload:
            self.queue.reload(keep_row=0)
            current = self.queue.current
            self.show_claim(current["id"] if current else None)

    def action_queue(self, status: str) -> None:
        self._set_filter(replace(self.filter, status=status))

    def action_filter_conflicts(self) -> None:
        self._set_filter(replace(self.filter, relation=None if self.filter.relation == "conflict" else "conflict"))

    def action_filter_article(self) -> None:
        article_id = self.shown.context["article"]["id"] if self.shown.context else None
        self._set_filter(replace(self.filter, article_id=None if self.filter.article_id is not None else article_id))

    def action_filter_entity(self) -> None:
        if self.filter.entity_id is not None:
            self._set_filter(replace(self.filter, entity_id=None))
            return
        mention = self.query_one(ClaimView).selected_mention
        if mention is None:
            self.notify(Content("This claim mentions no entity."), severity="warning")
            return
        self._set_filter(replace(self.filter, entity_id=mention["id"]))

    def action_clear_filters(self) -> None:
        self._set_filter(QueueFilter(status=self.filter.status))

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    @on(Select.Changed, "#status")
    def _status_changed(self, event: Select.Changed) -> None:
        if event.value != self.filter.status:
            self._set_filter(replace(self.filter, status=str(event.value)))

    @on(Select.Changed, "#relation")
    def _relation_changed(self, event: Select.Changed) -> None:
        relation = str(event.value) or None
        if relation != self.filter.relation:
            self._set_filter(replace(self.filter, relation=relation))

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self._set_filter(replace(self.filter, search=event.value.strip() or None))
        self.queue.focus()

    @on(Input.Submitted, "#date-from, #date-to")
    def _dates_submitted(self) -> None:
        date_from = self.query_one("#date-from", Input).value.strip() or None
        date_to = self.query_one("#date-to", Input).value.strip() or None
        for value in (date_from, date_to):
            if value is not None and not _is_iso_day(value):
                self.notify(Content(f"Not a day: {value} (use YYYY-MM-DD)"), severity="error")
                return
        self._set_filter(replace(self.filter, date_from=date_from, date_to=date_to))
        self.queue.focus()

    # -- metadata, aliases, entities (thread workers with their own connections) -------------------
    def action_edit_metadata(self) -> None:
        article = self.shown.context["article"]

        def done(result) -> None:
            if result is not None:
                self.correct_metadata(article["id"], result.changes, article["revision"], result.reason or None)

        self.push_screen(MetadataForm(article), done)

    @work(thread=True, exclusive=False, group="writes", exit_on_error=False, name="metadata correction")
    def correct_metadata(self, article_id: int, changes: dict, revision: int, reason: str | None) -> None:
        """Correct the metadata, then re-analyse the article so relative dates re-resolve and links refresh."""
        from workbench.pipeline import Pipeline

        db = open_db(self.db_path, migrate=False)  # this thread's own connection
        try:
            review.correct_metadata(db, article_id, changes, self.reviewer, expected_revision=revision, reason=reason)
            Pipeline(db, actor=self.reviewer).reprocess([article_id])
        finally:
            db.close()
        self.post_message(self.DataChanged("metadata corrected and article re-analysed"))

    def action_add_alias(self) -> None:
        mention = self.query_one(ClaimView).selected_mention

        def done(result) -> None:
            if result is not None:
                self.add_alias(result.alias, result.entity, result.type)

        self.push_screen(AliasForm(mention), done)

    @work(thread=True, exclusive=False, group="writes", exit_on_error=False, name="add alias")
    def add_alias(self, alias: str, entity: str, type_: str) -> None:
        """Add the alias, re-find mentions in stored statements that contain it, relink what changed."""
        from workbench.pipeline import Pipeline
        from workbench.store.entities import add_entity, find_entity

        db = open_db(self.db_path, migrate=False)
        try:
            pipeline = Pipeline(db, actor=self.reviewer)
            with transaction(db):
                existing = find_entity(db, entity)
                add_entity(db, existing["name"] if existing else entity, [alias], type_, actor=self.reviewer)
                pipeline.apply_new_aliases([alias])
            pipeline.link_pending()
        finally:
            db.close()
        self.post_message(self.DataChanged(f"alias added: {alias}"))

    def action_promote(self) -> None:
        mention = self.query_one(ClaimView).selected_mention
        if mention is None or mention["status"] != "candidate":
            self.notify(Content("Highlight a candidate entity in the Entities list to promote it."),
                        severity="warning")
            return
        self.promote(mention["id"])

    @work(thread=True, exclusive=False, group="writes", exit_on_error=False, name="promote entity")
    def promote(self, entity_id: int) -> None:
        from workbench.store.entities import promote_candidate

        db = open_db(self.db_path, migrate=False)
        try:
            with transaction(db):
                promote_candidate(db, entity_id, actor=self.reviewer)
        finally:
            db.close()
        self.post_message(self.DataChanged("candidate promoted"))

    @on(DataChanged)
    def _data_changed(self, event: DataChanged) -> None:
        self._data_version = self._read_data_version()
        self.refresh_from_db()
        self.notify(Content(event.what.capitalize() + "."), timeout=3)

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        """The one place worker errors are shown (a Conflict included), as text, never markup."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            title = "Changed elsewhere" if isinstance(error, Conflict) else f"{event.worker.name} failed"
            self.notify(Content(f"{error}"), title=title, severity="error", timeout=10)
            if isinstance(error, Conflict):
                self.refresh_from_db()

    # -- other screens -------------------------------------------------------------------
    def action_agreement(self) -> None:
        self.push_screen(AgreementScreen(review.agreement(self.db)))

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.binding_rows()))

    def binding_rows(self) -> list[tuple[str, str, str, str, str]]:
        """(keys, description, where, id, tooltip) for every binding, with the user's keymap applied."""
        rows = []
        for where, node in (("everywhere", self), ("queue", self.queue)):
            bindings = node._bindings.copy()
            if self._keymap:
                bindings.apply_keymap(self._keymap)
            seen = set()
            for _key, binding in bindings:
                ident = binding.id or binding.action
                if ident in seen or not binding.description or binding.action.startswith("scroll_"):
                    continue  # Textual's own undescribed keys, and horizontal scrolling the queue does not do
                seen.add(ident)
                keys = ", ".join(self.get_key_display(b) for b in _same_id(bindings, binding))
                rows.append((keys, binding.description, where, binding.id or "", binding.tooltip))
        return rows

    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        for title, status in STATUS_OPTIONS:
            yield SystemCommand(f"Queue: {title}", f"Show the {title.lower()} queue",
                                lambda s=status: self.action_queue(s))
        yield SystemCommand("Conflicts only", "Claims with a conflicting statement (toggle)", self.action_filter_conflicts)
        yield SystemCommand("This article only", "Claims of the current article (toggle)", self.action_filter_article)
        yield SystemCommand("Clear filters", "The whole queue", self.action_clear_filters)
        yield SystemCommand("Agreement", "Cohen's kappa per pair of reviewers", self.action_agreement)
        yield SystemCommand("Undo", "Undo your last action", self.action_undo)
        yield SystemCommand("Redo", "Redo what you undid", self.action_redo)
        yield SystemCommand("Correct metadata", "Title, publication date, author of this article",
                            self.action_edit_metadata)
        yield SystemCommand("Keys", "Every key binding", self.action_help)


# the review screen's own actions (not quit, the palette or other app-wide ones)
_SCREEN_ACTIONS = {b.action.split("(")[0] for b in ReviewApp.BINDINGS} - {"quit", "help", "focus_next",
                                                                           "focus_previous"}


def _same_id(bindings, binding: Binding) -> list[Binding]:
    return [b for _k, b in bindings if (b.id or b.action) == (binding.id or binding.action)]


def _state(verdict: dict | None) -> dict | None:
    return None if verdict is None else {k: verdict[k] for k in ("label", "note", "evidence")}


def _is_iso_day(value: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def make_app(db_path: str | Path, reviewer: str, *, measure: bool = False,
             poll_interval: float = POLL_SECONDS) -> ReviewApp:
    """The review screen on the database at ``db_path`` for ``reviewer`` (the CLI, demo and tests call this).

    ``measure=True`` records ``(key, committed, screen updated)`` monotonic
    times for every verdict in ``app.verdict_timings``.
    """
    return ReviewApp(db_path, reviewer, measure=measure, poll_interval=poll_interval)
