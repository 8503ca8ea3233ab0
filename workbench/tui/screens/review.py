"""The review screen: the queue, the claim in its article, other sources and history, the verdict and filter bars.

The screen owns the panes and their keys (the dialogs are imported when first
opened: the first screen does not need them); what the keys *do* is the review
session's (:class:`~workbench.review.session.ReviewSession`), which the CLI
uses too. Widgets take the session's typed records and repaint only when what
they show changed.

Below :data:`NARROW` columns the sources/history pane becomes a tab over the
claim pane (``tab`` cycles queue → claim → sources → history).
"""

from __future__ import annotations

import time
from dataclasses import replace

from textual import events, on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Input, Select

from workbench.model import LinkStatus, QueueStatus, Relation, values
from workbench.review.session import Conflict, Decision, NeedsConfirmation, QueueFilter, ReviewError, ReviewSession
from workbench.store.review import is_iso_day
from workbench.tui.text import styled
from workbench.tui.widgets.claim_queue import ClaimQueue
from workbench.tui.widgets.claim_view import ClaimView
from workbench.tui.widgets.footer import ReviewFooter
from workbench.tui.widgets.history import HistoryList
from workbench.tui.widgets.links_list import LinksList
from workbench.tui.widgets.status import FixedLine, ProgressLine, VerdictBar

MAX_SCALE_KEYS = 9
NARROW = 110
STATUS_OPTIONS = [(QueueStatus(s).title.capitalize(), s) for s in values(QueueStatus)]
RELATION_OPTIONS = [("Any relation", ""), *((f"{r.capitalize()}", r) for r in values(Relation))]
PANES = ("queue", "claim", "sources", "history")


def _verdict_bindings() -> list[Binding]:
    # priority: the app runs a verdict key before the key travels from the focused queue up to the screen (five
    # message hops, ~0.3 ms of every verdict). A focused text field still gets its digits: Textual lets a widget
    # that consumes a printable key (Input.check_consume_key) have it before any priority binding
    return [Binding(str(i), f"verdict({i})", f"verdict {i}", show=False, id=f"verdict-{i}", priority=True,
                    tooltip=f"Record label {i} of the scale and move to the next claim")
            for i in range(1, MAX_SCALE_KEYS + 1)]


class BlankRow(Horizontal):
    """A row whose children cover it: it paints only its background (see ReviewScreen.BLANK). The panes' row and
    the filter line."""

    BLANK = True


class BlankColumn(Vertical):
    """A column whose child covers it. It holds the sources/history pane, so that pane is re-rendered only when
    something in it changed: Textual re-renders each widget whose container overlaps what changed, and for the
    pane that container is this one, beside the claim pane, not the panes' row every verdict's changes overlap."""

    BLANK = True


class ReviewScreen(Screen):
    """Review claims: read each in its article, weigh the other sources, give a verdict by one key."""

    BLANK = True
    """Its bars and panes cover the whole screen, so it has nothing of its own to show; Textual still renders
    each widget whose container overlaps what a key changed, and a blank one costs one line instead of 48."""

    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help", tooltip="Every key, what it does, its id; the icons"),
        *_verdict_bindings(),
        Binding("n", "verdict_form", "Note", id="verdict-note", tooltip="Give a verdict with a note and evidence URLs"),
        Binding("F", "adjudicate", "Adjudicate", id="adjudicate",
                tooltip="Record the final verdict on a claim, seeing every reviewer's (needs a reason)"),
        Binding("s", "skip", "Skip", id="skip", tooltip="Next claim, without writing anything"),
        Binding("f", "flag", "Flag", id="flag", tooltip="Flag or unflag the claim for a second look"),
        Binding("u,ctrl+z", "undo", "Undo", id="undo", tooltip="Undo your last action (verdict, flag, link)"),
        Binding("U,ctrl+y", "redo", "Redo", show=False, id="redo", tooltip="Redo what you undid"),
        Binding("r", "reload", "Reload", show=False, id="reload",
                tooltip="Read the claim again (after \u201cchanged elsewhere\u201d)"),
        Binding("c", "link('confirmed')", "Confirm", id="link-confirm",
                tooltip="Confirm the highlighted link: it becomes evidence for your verdict"),
        Binding("x", "link('rejected')", "Reject", id="link-reject", tooltip="Reject the highlighted link"),
        Binding("o", "open_link", "Open", show=False, id="link-open",
                tooltip="Open the other article at the linked statement"),
        Binding("tab", "cycle_pane(1)", "Pane", id="pane-next", tooltip="Focus the next pane: queue, claim, sources, history"),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False, id="pane-previous",
                tooltip="Focus the previous pane"),
        Binding("h", "focus_pane('history')", "History", show=False, id="history",
                tooltip="Your last 20 decisions; Enter on one shows that claim to judge again"),
        Binding("m", "toggle_metadata", "Metadata", show=False, id="metadata-toggle",
                tooltip="Show every metadata field with where it came from (again: one line)"),
        Binding("e", "edit_metadata", "Correct", show=False, id="edit-metadata",
                tooltip="Correct the article's title, publication date or author, then re-analyse it"),
        Binding("b", "correct_claimant", "Claimant", show=False, id="claimant-correct",
                tooltip="Correct who made the claim (said by, reported by, or the article's own)"),
        Binding("a", "add_alias", "Alias", show=False, id="mention-alias",
                tooltip="Add the highlighted mention as an alias of an entity"),
        Binding("p", "promote", "Promote", show=False, id="mention-promote",
                tooltip="Promote the highlighted candidate entity to a real one"),
        Binding("E", "filter_entity", "Entity filter", show=False, id="filter-entity",
                tooltip="Show only claims that mention the highlighted entity (again: clear)"),
        Binding("w", "filter_article", "This article", show=False, id="filter-article",
                tooltip="Show only claims of the current article (again: clear)"),
        Binding("S", "filter_story", "This story", show=False, id="filter-story",
                tooltip="Show only claims of the articles in this claim's story (again: clear)"),
        Binding("C", "filter_conflicts", "Conflicts", show=False, id="filter-conflicts",
                tooltip="Show only claims with a conflicting statement (again: clear)"),
        Binding("slash", "focus_search", "Search", show=False, id="search",
                tooltip="Search the claims' text (Chinese too); Enter applies, Esc goes back"),
        Binding("ctrl+l", "clear_filters", "Clear filters", show=False, id="clear-filters",
                tooltip="Back to the whole queue: no article, entity, date, relation or search filter"),
        *(Binding(f"f{n}", f"queue('{s}')", QueueStatus(s).title.capitalize(), show=False, id=f"queue-{s}",
                  tooltip=tip) for n, s, tip in (
            (2, "todo", "Claims you have not judged"), (3, "mine", "Claims you have judged, with your label"),
            (4, "all", "Every claim"), (5, "disputed", "Claims reviewers disagree on, not adjudicated yet"),
            (6, "flagged", "Flagged claims"))),
        Binding("A", "agreement", "Agreement", show=False, id="agreement",
                tooltip="Cohen's kappa per pair of reviewers and counts per label"),
        Binding("j", "move(1)", "Down", show=False, id="vim-down", tooltip="Next claim (vim)"),
        Binding("k", "move(-1)", "Up", show=False, id="vim-up", tooltip="Previous claim (vim)"),
        Binding("g", "move_to('first')", "First", show=False, id="vim-first", tooltip="First claim (vim)"),
        Binding("G", "move_to('last')", "Last", show=False, id="vim-last", tooltip="Last claim (vim)"),
    ]
    """Every binding has an id (remap it in keys.toml), a description and a tooltip."""

    AUTO_FOCUS = "#queue"
    """The queue has the focus from the start (Textual's default, the first focusable widget, is the status
    Select: focusing it and then the queue restyled the screen twice before the first paint)."""

    NEEDS_CLAIM = {"verdict", "verdict_form", "adjudicate", "flag", "skip", "edit_metadata", "link", "open_link",
                   "add_alias", "promote", "filter_entity", "filter_article", "filter_story", "toggle_metadata"}

    def __init__(self, session: ReviewSession):
        super().__init__()
        self.session = session
        self.message: Content | None = None  # the last confirmation ("#12 → mostly false")
        self.pane = "queue"
        self._titles: dict[str, object] = {}
        self._reviewed: int | None = None  # overall progress, counted at start and after others' writes
        self._total = 0

    # -- layout ------------------------------------------------------------------------------
    def compose(self):
        # The queue's first claim is shown from the start (its row is one indexed query; the queue's count comes
        # from the start-up thread at mount): the footer's keys are composed enabled, as they stay
        first = self.session.page(0, 1)
        self.session.show(first[0].id if first else None)
        yield ProgressLine(id="progress")
        with BlankRow(id="panes"):
            with Vertical(id="queue-pane", classes="pane"):
                yield FixedLine(id="scope")
                yield ClaimQueue(self.session.page, self.session.count, id="queue")
            yield ClaimView(id="claim-pane", classes="pane")
            with BlankColumn(id="side"), ContentSwitcher(id="side-pane", classes="pane", initial="links"):
                yield LinksList(id="links")
                yield HistoryList(id="history")
        yield VerdictBar(id="verdict-bar")
        # The filters get a line of their own at the bottom, outside the box around what a verdict repaints (the
        # progress line at the top down to the verdict bar): Textual re-renders each widget whose container
        # overlaps that box, and in the queue pane these eleven widgets cost ~0.4 ms of each key. At 80 columns
        # the dates now fit too.
        with BlankRow(id="filter-bar"):
            yield Select(STATUS_OPTIONS, value=QueueStatus.TODO.value, allow_blank=False, compact=True, id="status")
            yield Select(RELATION_OPTIONS, value="", allow_blank=False, compact=True, id="relation")
            yield Input(placeholder="/ search: 特斯拉, Musk…", compact=True, id="search")
            yield Input(placeholder="from YYYY-MM-DD", compact=True, id="date-from")
            yield Input(placeholder="to YYYY-MM-DD", compact=True, id="date-to")
        yield ReviewFooter()

    def on_mount(self) -> None:
        counted = self.app.startup_counts(self.session.filter)  # counted while the screen was being built
        if counted is None:
            self._count_progress()
            count = None
        else:
            count, overall = counted
            self._reviewed, self._total = overall.done, overall.total
        # the first claim is shown now, not when the queue's Highlighted message comes round: the first
        # frame painted is then the whole screen, not the panes without their claim and then again with it
        self.queue.reload(keep_row=0, count=count, announce=False)
        current = self.queue.current
        if (current.id if current else None) == self.shown.claim_id:
            self.render_shown()
        else:  # the queue changed since compose
            self.show_claim(current.id if current else None)

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")
        self.call_after_refresh(self.render_shown)  # the bars pack their lines to the new width

    @property
    def queue(self) -> ClaimQueue:
        return self.query_one("#queue", ClaimQueue)

    @property
    def shown(self):
        return self.session.shown

    def _title(self, selector: str, key: object, build) -> None:
        """Set a border title only when what it shows (``key``) changed: each set repaints the pane's border, and
        ``build()`` makes its Content only then."""
        if self._titles.get(selector, self) != key:
            self._titles[selector] = key
            self.query_one(selector).border_title = build()

    # -- showing -------------------------------------------------------------------------------
    @on(ClaimQueue.Highlighted)
    def _claim_highlighted(self, event: ClaimQueue.Highlighted) -> None:
        claim_id = event.claim.id if event.claim else None
        current = self.queue.current
        if claim_id != (current.id if current else None):
            # the cursor moved on after this was posted (a verdict moved on while a reload's announcement was on
            # its way): showing it would put back a claim the reviewer has just left, the one just judged
            return
        if claim_id != self.shown.claim_id:
            self.show_claim(claim_id)
        else:
            self.render_shown()

    def show_claim(self, claim_id: int | None) -> None:
        try:
            self.session.show(claim_id)
        except ReviewError:  # gone meanwhile (re-analysed away): show the queue's current row instead
            self.session.show(None)
        self.render_shown()

    def render_shown(self) -> None:
        s, shown = self.session, self.session.shown
        self.query_one(ClaimView).show(shown.context)
        self.query_one(LinksList).show(shown.links)
        self.query_one(VerdictBar).show(s.scale, self.digit_keys(), shown.mine, shown.others, shown.flagged,
                                        shown.confirmed_links, self.message)
        status = QueueStatus(s.filter.status).title
        self.query_one(ProgressLine).show(s.reviewer, self._progress(), s.article_progress(), status)
        # Border titles stay the same from claim to claim (setting one repaints the whole pane): the claim's
        # number and article are inside the pane, the queue's count in its scope line
        self._title("#claim-pane", "Claim", lambda: Content("Claim"))
        self._side_title()
        self._render_scope()
        self.call_after_refresh(self._read_ahead)

    def _read_ahead(self) -> None:
        """Once this claim is painted, read the next one (the key that moves on then only paints)."""
        following = self.queue.row(self.queue.cursor + 1)
        if following is not None:
            ahead = self.session.prefetch(following.id)
            if ahead is not None:
                self.query_one(ClaimView).prerender(ahead.context)

    def _side_title(self) -> None:
        current = self.query_one(ContentSwitcher).current
        self._title("#side-pane", current, lambda: Content.assemble(
            ("Other sources", "bold" if current == "links" else "$text-muted"), " │ ",
            ("History", "bold" if current == "history" else "$text-muted"), ("  h", "$text-muted")))

    def _render_scope(self) -> None:
        f, count = self.session.filter, self.queue.remaining
        self._title("#queue-pane", f.status,
                    lambda: Content.assemble("Queue · ", (QueueStatus(f.status).title, "bold")))
        scope = self.query_one("#scope", FixedLine)
        if scope._shown == (f, count):
            return
        parts: list = [(f"{count:,} claim{'' if count == 1 else 's'}", "bold"), "  "]  # the one place it is shown
        if f.article_id is not None:
            parts += [(f"article #{f.article_id}", "$secondary"), (" w clears  ", "$text-muted")]
        if f.story_id is not None:
            parts += [(f"story #{f.story_id}", "$secondary"), (" S clears  ", "$text-muted")]
        if f.entity_id is not None:
            parts += ["entity ", styled(self.session.entity_name(f.entity_id) or f.entity_id, "$secondary", limit=30),
                      (" E clears  ", "$text-muted")]
        if f.relation:
            parts += [(f.relation, "$error" if f.relation == Relation.CONFLICT else "$secondary"), "  "]
        if f.search:
            parts += ["search ", styled(f.search, "$secondary", limit=30), "  "]
        if f.date_from or f.date_to:
            parts += [(f"dates {f.date_from or '…'} – {f.date_to or '…'}", "$secondary")]
        scope.show_content(tuple(parts), (f, count))

    def digit_keys(self) -> list[str]:
        """The keys of verdict-1..n as the keymap has them (the verdict bar shows these)."""
        keymap = self.app.keymap_overrides
        return [keymap.get(f"verdict-{i}", str(i)).split(",")[0]
                for i in range(1, min(len(self.session.scale.labels), MAX_SCALE_KEYS) + 1)]

    def _progress(self):
        from workbench.review.records import Progress

        return Progress(self._reviewed or 0, self._total)

    def _count_progress(self) -> None:
        overall = self.session.progress()
        self._reviewed, self._total = overall.done, overall.total

    def say(self, decision: Decision | str, *, error: bool = False) -> None:
        text = decision if isinstance(decision, str) else decision.message
        self.message = styled(("✗ " if error else "✓ ") + text, "bold $error" if error else "bold $success", limit=80)

    # -- actions: verdicts --------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.NEEDS_CLAIM and self.shown.claim_id is None:
            return None  # greyed out
        if action == "verdict" and parameters and int(parameters[0]) > len(self.session.scale.labels):
            return False
        return True

    def action_verdict(self, number: int) -> None:
        key_time = self.app.take_key_time()
        self.record(self.session.label_of(number), key_time=key_time)

    def record(self, label: str, *, note: str | None = None, urls: list[str] | None = None, final: bool = False,
               reason: str | None = None, confirm_own: bool = False, key_time: float | None = None) -> bool:
        session = self.session
        claim_id = session.shown.claim_id
        try:
            decision = session.record(label, note=note, urls=urls, final=final, reason=reason, confirm_own=confirm_own)
        except NeedsConfirmation as exc:
            def answered(yes: bool | None) -> None:
                if yes:
                    self.record(label, note=note, urls=urls, final=final, reason=reason, confirm_own=True)

            from workbench.tui.screens.forms import ConfirmScreen

            self.app.push_screen(ConfirmScreen(Content.assemble((str(exc), "bold"), "\n\nAdjudicate anyway?")),
                                 answered)
            return False
        except Conflict as exc:
            self.show_conflict(exc)
            return False
        except ReviewError as exc:
            self.say(str(exc), error=True)
            self.render_shown()
            return False
        committed = time.monotonic()
        if final:
            self._count_progress()
        elif self._reviewed is not None and session.shown.mine is None:
            self._reviewed += 1
        self.say(decision)
        self._advance(claim_id, label, final)
        self.app.record_timing(key_time, committed)
        return True

    def _advance(self, claim_id: int, label: str, final: bool) -> None:
        """Show the next claim: the one that took this claim's place (to do) or the one after it."""
        queue, status = self.queue, self.session.filter.status
        row = queue.cursor
        on_row = queue.current is not None and queue.current.id == claim_id
        if not on_row:  # a claim shown beside the queue (from history, a reload): the queue's row comes back
            queue.reload(keep_row=row)
        elif status == QueueStatus.TODO and not final:
            # the judged claim left the queue; its row stays in sight, marked, until the next reload (one line
            # repaints, not every row below it), and the cursor moves on
            queue.settle(row, my_label=label)
            queue.move_quietly(row + 1)
        elif status in (QueueStatus.ALL, QueueStatus.FLAGGED):
            queue.patch_row(row, **({"final_label": label} if final else {"my_label": label}))
            queue.move_quietly(row + 1)
        else:  # mine (a new verdict joins it), disputed (it may come or go): ask where it is now
            queue.reload(keep_row=row)
            position = self.session.position(claim_id)
            if position is not None:
                queue.move_quietly(position + 1)
        current = queue.current  # shown here, at once (the queue does not announce moves made for the screen)
        self.show_claim(current.id if current else None)

    def show_conflict(self, exc: Exception) -> None:
        """Someone else changed what the reviewer saw: say so, never silently, and offer the reload key."""
        reload_key = self.app.keymap_overrides.get("reload", "r")
        self.say(f"changed elsewhere: press {reload_key} to reload", error=True)
        self.notify(Content(f"{exc}"), title="Changed elsewhere", severity="error", timeout=8)
        self.render_shown()

    def action_reload(self) -> None:
        """Read the shown claim and the counts again, and keep showing that claim (to see what changed)."""
        claim_id = self.session.reload().claim_id
        self._count_progress()
        if claim_id is not None:
            self.jump_to_claim(claim_id, keep_filter=True)
        else:
            self.refresh_counts()
        self.say(f"#{claim_id} reloaded: judge it again if you disagree" if claim_id else "reloaded")
        self.render_shown()

    def action_verdict_form(self) -> None:
        def done(result) -> None:
            if result is not None:
                self.record(result.label, note=result.note, urls=result.evidence)

        from workbench.tui.screens.forms import VerdictForm

        self.app.push_screen(VerdictForm(self.session.scale, self.shown.mine), done)

    def action_adjudicate(self) -> None:
        def done(result) -> None:
            if result is not None:
                self.record(result.label, note=result.note, urls=result.evidence, final=True, reason=result.reason)

        from workbench.tui.screens.forms import AdjudicateForm

        self.app.push_screen(AdjudicateForm(self.session.scale, self.shown.final or self.shown.mine,
                                            self.session.all_verdicts()), done)

    def action_skip(self) -> None:
        self.queue.cursor += 1

    def _write(self, write) -> None:
        try:
            decision = write()
        except Conflict as exc:
            self.show_conflict(exc)
            return
        except ReviewError as exc:
            self.say(str(exc), error=True)
            self.render_shown()
            return
        if decision is not None:
            self.say(decision)
        self.render_shown()

    def action_flag(self) -> None:
        self._write(self.session.toggle_flag)
        self.queue.patch_row(self.queue.cursor, flagged=self.shown.flagged)

    def action_link(self, status: str) -> None:
        link = self.query_one(LinksList).selected_link
        if link is None:
            self.say("this claim has no linked statement to decide on", error=True)
            self.render_shown()
            return
        self._write(lambda: self.session.decide_link(link.id, status))

    def action_open_link(self) -> None:
        link = self.query_one(LinksList).selected_link
        if link is not None:
            from workbench.tui.screens.views import ArticleScreen

            self.app.push_screen(ArticleScreen(self.app.article_text(link.article_id), self.app.statement_span(
                link.statement_id), self.app.article_info(link.article_id)))

    # -- undo / redo: the queue and its filter stay --------------------------------------------
    def action_undo(self) -> None:
        self._undo_redo(self.session.undo, "undo")

    def action_redo(self) -> None:
        self._undo_redo(self.session.redo, "redo")

    def _undo_redo(self, step, word: str) -> None:
        try:
            decision = step()
        except Conflict as exc:
            self.show_conflict(exc)
            return
        if decision is None:
            self.say(f"nothing to {word}", error=True)
            self.render_shown()
            return
        self._count_progress()
        self.say(decision)
        self.jump_to_claim(decision.claim_id, keep_filter=True)

    # -- navigation, panes, filters -------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        self.queue.cursor += delta

    def action_move_to(self, where: str) -> None:
        self.queue.cursor = 0 if where == "first" else max(0, self.queue.count - 1)

    def jump_to_claim(self, claim_id: int, *, keep_filter: bool = False) -> None:
        """Show a claim: at its row when the current queue has it; else in the whole queue (unless
        ``keep_filter``: then the queue stays and the claim is shown beside it)."""
        position = self.session.position(claim_id)
        if position is None and not keep_filter:
            self.set_filter(QueueFilter(status=QueueStatus.ALL), reload=False)
            position = self.session.position(claim_id)
        # a claim not in this queue (judged, in the to-do queue) is shown beside it, the queue staying as it is
        self.queue.reload(keep_row=position if position is not None else self.queue.cursor,
                          announce=position is not None)
        self.show_claim(claim_id)

    def action_cycle_pane(self, step: int) -> None:
        self.action_focus_pane(PANES[(PANES.index(self.pane) + step) % len(PANES)])

    def action_focus_pane(self, pane: str) -> None:
        self.pane = pane
        side = pane in ("sources", "history")
        if side:
            self.query_one(ContentSwitcher).current = "links" if pane == "sources" else "history"
            if pane == "history":
                self.query_one(HistoryList).show(self.session.history())
        self.set_class(side, "-side")
        target = {"queue": "#queue", "claim": "#claim-pane", "sources": "#links", "history": "#history"}[pane]
        self.query_one(target).focus()
        self._side_title()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Clicking into a pane makes it the current one (so tab goes on from there)."""
        for pane, selector in (("queue", "#queue-pane"), ("claim", "#claim-pane")):
            if self.query_one(selector) in event.widget.ancestors_with_self:
                self.pane = pane
                self.set_class(False, "-side")

    @on(HistoryList.Chosen)
    def _history_chosen(self, event: HistoryList.Chosen) -> None:
        self.jump_to_claim(event.claim_id, keep_filter=True)
        self.say(f"#{event.claim_id}: judge it again with a digit")
        self.action_focus_pane("queue")
        self.render_shown()

    def action_toggle_metadata(self) -> None:
        self.query_one(ClaimView).toggle_metadata()

    def set_filter(self, new: QueueFilter, *, reload: bool = True) -> None:
        self.session.set_filter(new)
        with self.prevent(Select.Changed, Input.Changed):
            self.query_one("#status", Select).value = new.status
            self.query_one("#relation", Select).value = new.relation or ""
            self.query_one("#search", Input).value = new.search or ""
            self.query_one("#date-from", Input).value = new.date_from or ""
            self.query_one("#date-to", Input).value = new.date_to or ""
        if reload:
            self.queue.reload(keep_row=0)
            current = self.queue.current
            self.show_claim(current.id if current else None)

    def action_queue(self, status: str) -> None:
        self.set_filter(replace(self.session.filter, status=status))

    def action_filter_conflicts(self) -> None:
        f = self.session.filter
        self.set_filter(replace(f, relation=None if f.relation == Relation.CONFLICT else Relation.CONFLICT.value))

    def action_filter_article(self) -> None:
        f, context = self.session.filter, self.shown.context
        self.set_filter(replace(f, article_id=None if f.article_id is not None else context.article.id))

    def action_filter_story(self) -> None:
        f, context = self.session.filter, self.shown.context
        if f.story_id is not None:
            self.set_filter(replace(f, story_id=None))
            return
        story = self.session.story_of(context.article.id)
        if story is None:
            self.say("this article is in no story yet (workbench link groups them)", error=True)
            self.render_shown()
            return
        self.set_filter(replace(f, story_id=story))

    def action_filter_entity(self) -> None:
        f = self.session.filter
        if f.entity_id is not None:
            self.set_filter(replace(f, entity_id=None))
            return
        mention = self.query_one(ClaimView).selected_mention
        if mention is None:
            self.say("this claim mentions no entity", error=True)
            self.render_shown()
            return
        self.set_filter(replace(f, entity_id=mention.entity_id))

    def action_clear_filters(self) -> None:
        self.set_filter(QueueFilter(status=self.session.filter.status))

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    @on(Select.Changed, "#status")
    def _status_changed(self, event: Select.Changed) -> None:
        if event.value != self.session.filter.status:
            self.set_filter(replace(self.session.filter, status=str(event.value)))

    @on(Select.Changed, "#relation")
    def _relation_changed(self, event: Select.Changed) -> None:
        relation = str(event.value) or None
        if relation != self.session.filter.relation:
            self.set_filter(replace(self.session.filter, relation=relation))

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self.set_filter(replace(self.session.filter, search=event.value.strip() or None))
        self.queue.focus()

    @on(Input.Submitted, "#date-from, #date-to")
    def _dates_submitted(self) -> None:
        date_from = self.query_one("#date-from", Input).value.strip() or None
        date_to = self.query_one("#date-to", Input).value.strip() or None
        bad = next((v for v in (date_from, date_to) if v is not None and not is_iso_day(v)), None)
        if bad is not None:
            # say what is wrong, put the filter back as it was and give the keys back to the queue
            self.say(f"not a day: {bad} (use YYYY-MM-DD)", error=True)
            self.set_filter(self.session.filter, reload=False)
            self.queue.focus()
            self.render_shown()
            return
        self.set_filter(replace(self.session.filter, date_from=date_from, date_to=date_to))
        self.queue.focus()

    def on_key(self, event: events.Key) -> None:
        if event.key == "escape" and isinstance(self.focused, Input):
            self.set_filter(self.session.filter, reload=False)  # Esc in a filter field: back, as it was
            self.queue.focus()
            event.stop()

    # -- counts after others' writes --------------------------------------------------------------
    def refresh_counts(self, count: int | None = None, position: int | None = None, overall=None) -> None:
        """Re-read the queue around the shown claim (after another connection committed)."""
        if overall is not None:
            self._reviewed, self._total = overall.done, overall.total
        claim_id = self.shown.claim_id
        row = position if position is not None else self.queue.cursor
        if position is None and claim_id is not None and count is None:
            found = self.session.position(claim_id)
            row = found if found is not None else row
        self.queue.reload(keep_row=row, count=count)
        current = self.queue.current
        if (current.id if current else None) != self.shown.claim_id:
            self.show_claim(current.id if current else None)
        else:
            self.render_shown()

    # -- metadata, aliases, entities: thread workers with their own connections ------------------------
    def action_edit_metadata(self) -> None:
        article = self.shown.context.article

        def done(result) -> None:
            if result is not None:
                self.app.correct_metadata(article.id, result.changes, article.revision, result.reason or None)

        from workbench.tui.screens.forms import MetadataForm

        self.app.push_screen(MetadataForm(article), done)

    def action_correct_claimant(self) -> None:
        context = self.shown.context
        if context is None:
            return

        def done(result) -> None:
            if result is not None:
                self.app.correct_claimant(context.claim_id, result.name, result.entity, result.kind,
                                          result.reason or None)

        from workbench.tui.screens.forms import ClaimantForm

        self.app.push_screen(ClaimantForm(context.claimant), done)

    def action_add_alias(self) -> None:
        def done(result) -> None:
            if result is not None:
                self.app.add_alias(result.alias, result.entity, result.type)

        from workbench.tui.screens.forms import AliasForm

        self.app.push_screen(AliasForm(self.query_one(ClaimView).selected_mention), done)

    def action_promote(self) -> None:
        mention = self.query_one(ClaimView).selected_mention
        if mention is None or mention.status != "candidate":
            self.say("highlight a candidate entity in the Entities list to promote it", error=True)
            self.render_shown()
            return
        self.app.promote(mention.entity_id)

    def action_agreement(self) -> None:
        from workbench.tui.screens.views import AgreementScreen

        self.app.push_screen(AgreementScreen(self.session.agreement()))

    def action_help(self) -> None:
        from workbench.tui.screens.views import HelpScreen

        self.app.push_screen(HelpScreen(self.app.binding_rows(), self.app.keys_file))
