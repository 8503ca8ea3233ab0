"""The review screen's feedback, one test per item of issue 12, driven with Pilot at 80x24 (the smallest
terminal we promise): what was recorded, history, labels, undo keeping the queue, dialogs, errors, panes,
reload after a refusal, adjudication."""

from __future__ import annotations

import json

from textual.widgets import Input, Select

from tests.test_tui import pilot_test, screen_text, verdict_of
from workbench.store.db import open_db
from workbench.tui import make_app
from workbench.tui.screens.forms import AdjudicateForm, ConfirmScreen, VerdictForm
from workbench.tui.widgets.history import HistoryList

SMALL = (80, 24)


async def until(pilot, condition, rounds: int = 50) -> None:
    """Let the app process messages until ``condition()`` holds (a dialog pushed from a callback)."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause()
    assert condition()


def app_for(path, reviewer="alice", **kwargs):
    return make_app(path, reviewer, poll_interval=3600, **kwargs)


@pilot_test
async def test_at_80x24_a_verdict_a_note_with_evidence_and_an_adjudication_without_leaving_the_screen(fixtures_db):
    app = app_for(fixtures_db)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f4")  # the whole queue: judged claims stay in it
        await pilot.pause()
        first = app.shown.claim_id
        text = screen_text(app)
        assert app.shown.context.text[:12] in text.replace("\n", "") or app.shown.context.text.split()[0] in text
        assert "1 true" in text and "7 not checkable" in text and "yours none yet" in text
        await pilot.press("4")  # a verdict
        assert verdict_of(fixtures_db, first, "alice").label == "mostly false"
        assert f"#{first} → mostly false" in screen_text(app)
        second = app.shown.claim_id
        await pilot.press("n", "2")  # a note with evidence
        app.screen.query_one("#note", Input).value = "the regulator says otherwise"
        app.screen.query_one("#evidence", Input).value = "https://example.org/r"
        await pilot.click("#save")
        await pilot.pause()
        verdict = verdict_of(fixtures_db, second, "alice")
        assert verdict.note == "the regulator says otherwise" and "https://example.org/r" in verdict.evidence
        await pilot.press("k", "F", "5")  # back to it, and adjudicate it (alice judged it: she is asked first)
        app.screen.query_one("#reason", Input).value = "read both sources"
        await pilot.click("#save")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await pilot.pause()
        final = verdict_of(fixtures_db, second, "alice", final=True)
        assert final.label == "false"
        assert app.screen.__class__.__name__ == "ReviewScreen"


@pilot_test
async def test_history_lists_your_last_decisions_and_one_is_judged_again_from_it(fixtures_db):
    app = app_for(fixtures_db)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        judged = []
        for key in "123":
            judged.append(app.shown.claim_id)
            await pilot.press(key)
        await pilot.press("h")
        await pilot.pause()
        history = app.screen.query_one(HistoryList)
        assert [r.claim_id for r in history.rows] == judged[::-1]  # newest first
        assert app.focused is history and "History" in screen_text(app)
        await pilot.press("down", "enter")  # the second newest
        await pilot.pause()
        assert app.shown.claim_id == judged[1]
        await pilot.press("6")
        assert verdict_of(fixtures_db, judged[1], "alice").label == "unproven"


@pilot_test
async def test_the_mine_queue_shows_each_label(fixtures_db):
    app = app_for(fixtures_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("4", "6", "f3")
        await pilot.pause()
        text = screen_text(app)
        assert "✓" in text and "mostly false" in text.split("Queue", 1)[1] and "unproven" in text


@pilot_test
async def test_undo_and_redo_keep_the_queue_and_its_filter(fixtures_db):
    app = app_for(fixtures_db)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("1", "f3", "C")  # mine, conflicts only
        await pilot.press("f3")
        await pilot.pause()
        before = app.filter
        await pilot.press("u")
        await pilot.pause()
        assert app.filter == before
        await pilot.press("U")
        await pilot.pause()
        assert app.filter == before and "redone" in screen_text(app)


@pilot_test
async def test_dialogs_open_on_the_current_verdict_and_take_digit_keys(fixtures_db):
    app = app_for(fixtures_db)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("f4", "4", "k", "n")
        assert isinstance(app.screen, VerdictForm)
        label = app.screen.query_one("#label", Select)
        assert label.value == "mostly false"  # the current verdict, not "1 true"
        await pilot.press("2")
        assert label.value == "mostly true"
        await pilot.press("escape", "j", "n")  # a claim not judged yet: nothing chosen, Save says so
        assert app.screen.query_one("#label", Select).is_blank()
        await pilot.click("#save")
        await pilot.pause()
        assert isinstance(app.screen, VerdictForm) and "Choose a verdict first" in screen_text(app)


@pilot_test
async def test_digits_typed_into_the_search_are_text_not_verdicts(fixtures_db):
    # the verdict keys are priority bindings (they skip the hops from the queue up to the screen): a text field
    # with the focus must still get them
    app = app_for(fixtures_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = app.shown.claim_id
        await pilot.press("slash", "1", "2", "3")
        await pilot.pause()
        assert app.screen.query_one("#search", Input).value == "123"
        assert app.session.writes == 0 and verdict_of(fixtures_db, shown, "alice") is None
        await pilot.press("escape")
        await pilot.pause()
        app.queue.focus()
        await pilot.pause()
        await pilot.press("1")  # with the queue focused the digit is a verdict again
        await pilot.pause()
        assert app.session.writes == 1


@pilot_test
async def test_an_invalid_date_shows_the_error_and_gives_the_keys_back(fixtures_db):
    app = app_for(fixtures_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        count = app.queue.count
        field = app.screen.query_one("#date-from", Input)
        field.focus()
        await pilot.press(*"2024-13-99", "enter")
        await pilot.pause()
        assert "not a day: 2024-13-99" in screen_text(app)
        assert app.focused is app.queue and app.queue.count == count and field.value == ""
        await pilot.press("slash", *"数据", "enter")  # the keys work again: / goes to the search, not the date
        await pilot.pause()
        assert app.filter.search == "数据" and field.value == ""


@pilot_test
async def test_one_key_cycles_the_panes_and_the_focused_one_is_unmistakable(fixtures_db):
    app = app_for(fixtures_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        seen = []
        for _ in range(4):
            focused = app.focused
            pane = next(w for w in focused.ancestors_with_self if "pane" in w.classes)
            assert pane.styles.border_top[0] == "heavy"  # the others keep a thin round border
            others = [p for p in app.screen.query(".pane") if p is not pane and p.display]
            assert all(p.styles.border_top[0] == "round" for p in others)
            seen.append(pane.id)
            await pilot.press("tab")
            await pilot.pause()
        assert seen == ["queue-pane", "claim-pane", "side-pane", "side-pane"]
        assert app.focused is app.queue
    small = app_for(fixtures_db)
    async with small.run_test(size=SMALL) as pilot:  # narrow: sources are a tab over the claim pane
        await pilot.pause()
        claim_pane, side_pane = small.screen.query_one("#claim-pane"), small.screen.query_one("#side-pane")
        assert claim_pane.display and not side_pane.display
        await pilot.press("tab", "tab")
        await pilot.pause()
        assert side_pane.display and not claim_pane.display and "Other sources" in screen_text(small)


@pilot_test
async def test_the_queues_cursor_row_is_brighter_while_the_queue_has_the_focus(fixtures_db):
    # the row styles are kept between refreshes: a focus or theme change must still restyle the rows
    app = app_for(fixtures_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        queue = app.queue

        def cursor_background():
            return list(queue.render_line(queue.cursor - queue.scroll_offset.y))[1].style.bgcolor  # after the mark

        focused = cursor_background()
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is not queue and cursor_background() != focused
        await pilot.press("tab", "tab", "tab")
        await pilot.pause()
        assert app.focused is queue and cursor_background() == focused
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        assert cursor_background() != focused


@pilot_test
async def test_a_refused_stale_save_offers_the_reload_key(fixtures_db):
    first, second = app_for(fixtures_db), app_for(fixtures_db)
    async with first.run_test(size=SMALL) as a, second.run_test(size=SMALL) as b:
        await a.pause()
        await b.pause()
        claim_id = first.shown.claim_id
        await a.press("1")
        await b.press("2")  # the second window still shows the claim without a verdict
        await b.pause()
        assert verdict_of(fixtures_db, claim_id, "alice").label == "true"
        assert "press r to reload" in screen_text(second)
        await b.press("r")
        await b.pause()
        assert second.shown.mine.label == "true"
        row = second.queue.current.id  # the to-do queue moved on while the judged claim is shown beside it
        await b.press("2")
        assert verdict_of(fixtures_db, claim_id, "alice").label == "mostly true"
        assert verdict_of(fixtures_db, row, "alice") is None and second.shown.claim_id == row


@pilot_test
async def test_the_adjudication_dialog_lists_every_verdict_and_your_own_dispute_is_marked(fixtures_db):
    db = open_db(fixtures_db)
    from workbench.review.session import ReviewSession

    ana, bo = ReviewSession(db, "ana"), ReviewSession(db, "bo")
    claim = ana.page(0, 1)[0].id
    ana.show(claim)
    ana.record("true", note="the company says so", urls=["https://a.example/1"])
    bo.show(claim)
    bo.record("false", note="the regulator denies it", urls=["https://b.example/2"])
    db.close()
    app = app_for(fixtures_db, "bo")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("f5")  # the disputed queue
        await pilot.pause()
        assert app.shown.claim_id == claim
        await pilot.press("F")
        assert isinstance(app.screen, AdjudicateForm)
        text = screen_text(app)
        for shown in ("ana", "the company says so", "https://a.example/1", "bo", "the regulator denies it",
                      "https://b.example/2"):
            assert shown in text
        assert app.screen.query_one("#label", Select).value == "false"  # opens on bo's own verdict
        app.screen.query_one("#reason", Input).value = "the filing settles it"
        await pilot.click("#save")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "yourself" in screen_text(app)
        await pilot.press("n")  # not now: nothing recorded
        await pilot.pause()
        assert verdict_of(fixtures_db, claim, "bo", final=True) is None
        await pilot.press("F", "1")
        app.screen.query_one("#reason", Input).value = "the filing settles it"
        await pilot.click("#save")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await pilot.pause()
    assert verdict_of(fixtures_db, claim, "bo", final=True).label == "true"
    db = open_db(fixtures_db)
    after = db.execute("SELECT after FROM audit_events WHERE action = 'verdict.adjudicate'").fetchone()[0]
    db.close()
    assert json.loads(after)["own_dispute"] is True
