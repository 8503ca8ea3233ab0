"""The review screen, driven with Textual's Pilot on databases imported from fixtures/.

Every test gets its own copy of one database built per session from the
fixtures (top-level files only; fixtures/bad/ must be refused), so the whole
file stays fast. Nothing sleeps: tests wait for workers with
``app.workers.wait_for_complete()`` and let messages run with ``pilot.pause()``.
"""

from __future__ import annotations

import asyncio
import functools
import os
import re
import sqlite3
from pathlib import Path

import pytest
from textual.widgets import Input, Select

from workbench.store import review
from workbench.store.db import open_db
from workbench.store.review import QueueFilter
from workbench.tui import make_app
from workbench.tui.app import ReviewApp
from workbench.tui.commands import ClaimSearch
from workbench.tui.screens.forms import AdjudicateForm, AliasForm, MetadataForm, VerdictForm
from workbench.tui.screens.views import AgreementScreen, ArticleScreen, HelpScreen
from workbench.tui.widgets.claim_queue import ClaimQueue
from workbench.tui.widgets.claim_view import ClaimView
from workbench.tui.widgets.links_list import LinksList

SIZE = (160, 48)
# ESC, other C0 controls but newline, C1 controls, bidi embeddings/overrides/isolates
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def pilot_test(scenario):
    """Run an async Pilot scenario as a plain test (no async plugin needed)."""

    @functools.wraps(scenario)
    def test(*args, **kwargs):
        asyncio.run(scenario(*args, **kwargs))

    return test


@pytest.fixture
def db_path(fixtures_db) -> Path:
    """A private copy of the fixtures database (tests/conftest.py imports fixtures/ once per session)."""
    return fixtures_db


def screen_text(app) -> str:
    """What the terminal shows, as text (the rendered strips of the current screen)."""
    return "\n".join("".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips())


def claims(path: Path, search: str, status: str = "all") -> list:
    db = open_db(path, migrate=False)
    try:
        return review.queue_page(db, "nobody", QueueFilter(status=status, search=search), limit=1000)
    finally:
        db.close()


def verdict_of(path: Path, claim_id: int, reviewer: str, final: bool = False):
    db = open_db(path, migrate=False)
    try:
        found = [v for v in review.verdicts_for(db, claim_id, reviewer, blind=False)
                 if v.reviewer == reviewer and v.final == final]
        return found[0] if found else None
    finally:
        db.close()


def app_for(path: Path, reviewer: str = "alice", **kwargs) -> ReviewApp:
    return make_app(path, reviewer, **kwargs)


# -- opening -----------------------------------------------------------------------------------

@pilot_test
async def test_opens_on_the_first_claim_with_progress_article_and_links(db_path):
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        db = app.db
        total = review.queue_count(db, "alice", QueueFilter())
        first = review.queue_page(db, "alice", QueueFilter(), limit=1)[0]
        assert app.queue.count == total > 0
        assert app.shown.claim_id == first.id
        text = screen_text(app)
        assert f"0/{total}" in text  # progress always in sight
        assert "this article" in text
        # the claim comes first in the middle pane; the metadata is one line until m unfolds it
        claim_pane = [line.split("│")[1] for line in text.splitlines()[2:6] if line.count("│") >= 2]
        assert first.text[:20] in "".join(claim_pane).replace(" ", "") or first.text[:20] in claim_pane[0]
        assert "m: details" in text and "(header line)" not in text
        await pilot.press("m")
        await pilot.pause()
        text = screen_text(app)
        assert "title" in text and "published" in text and "(" in text  # metadata with provenance
        # links of the claim, from the store
        assert len(app.screen.query_one(LinksList).links) == len(app.shown.links)


@pilot_test
async def test_the_first_frame_is_the_whole_screen_and_the_footer_composes_its_keys_once(db_path, monkeypatch):
    """At start the claim is shown before the first paint and the footer's keys are composed with the screen,
    enabled; the "bindings changed" signals of the start-up (focus, screen resumed) recompose nothing, a change
    of what a key shows still does."""
    import gc

    from workbench.tui.widgets.footer import ReviewFooter

    composed, painted = [], []
    compose = ReviewFooter.compose

    def counting(self):
        composed.append([key.key for key in self.query("FooterKey")])
        yield from compose(self)

    monkeypatch.setattr(ReviewFooter, "compose", counting)
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        app.call_after_refresh(lambda: painted.append((app.shown.claim_id, screen_text(app))))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert gc.isenabled()  # paused from the app's mount to its first paint only
        first = review.queue_page(app.db, "alice", QueueFilter(), limit=1)[0]
        assert painted and painted[0][0] == first.id and first.text[:15] in painted[0][1].replace("\n", "")
        footer = app.screen.query_one(ReviewFooter)
        keys = {key.key: key for key in footer.query("FooterKey")}
        assert len(composed) == 1 and {"question_mark", "n", "s", "f", "u"} <= keys.keys()
        assert not keys["n"].has_class("-disabled")
        app.screen.focus_next()  # focus moves, the keys shown do not: no recompose
        await pilot.pause()
        assert len(composed) == 1
        app.set_keymap({"skip": "S"})  # a key shown changes: the footer shows it
        await pilot.pause()
        await pilot.pause()
        assert len(composed) == 2 and "S" in {key.key for key in footer.query("FooterKey")}


def test_the_first_screen_loads_only_what_it_shows(db_path):
    """Starting the review screen imports neither the dialogs, the signing library, the audit log's hashing and
    replay, the check-worthiness cue tables, the search's regexes, a TOML parser (no keys file) nor installed
    packages' metadata (no sqlite-utils plugins): each cost milliseconds of the first screen, and each loads when
    first used."""
    import subprocess
    import sys

    code = ("import asyncio, sys\n"
            "from workbench.tui import make_app\n"
            "async def main():\n"
            f"    app = make_app({str(db_path)!r}, 'alice')\n"
            "    async with app.run_test(size=(160, 48)):\n"
            "        await app.workers.wait_for_complete()\n"
            "asyncio.run(main())\n"
            "print(' '.join(sorted(sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "WORKBENCH_KEYS": str(db_path.parent / "no-keys.toml")})
    loaded = set(done.stdout.split())
    assert "workbench.tui.screens.review" in loaded
    assert not loaded & {"workbench.tui.screens.forms", "workbench.tui.screens.views", "workbench.signing",
                         "cryptography", "workbench.claims.checkworthy", "workbench.store.search", "tomllib",
                         "importlib.metadata", "workbench.pipeline", "workbench.audit"}


def test_importing_the_screen_leaves_the_collector_as_it_found_it():
    """The collector waits while workbench.tui is imported (nothing made then is garbage), then is on again, or
    still off when the importer had turned it off."""
    import subprocess
    import sys

    code = ("import gc, sys\n"
            "if sys.argv[1] == 'off': gc.disable()\n"
            "import workbench.tui\n"
            "print(gc.isenabled(), gc.get_freeze_count() > 10_000)\n")
    for state, expected in (("on", "True True"), ("off", "False True")):
        done = subprocess.run([sys.executable, "-c", code, state], capture_output=True, text=True, check=True)
        assert done.stdout.split() == expected.split()


def test_the_collector_pauses_from_mount_to_the_first_paint_and_is_always_given_back():
    import gc

    from workbench.tui.startup import CollectorPause

    before = gc.get_threshold()
    assert gc.isenabled()
    painted = CollectorPause()
    painted.pause_until_painted()
    assert not gc.isenabled()
    painted.freeze()  # the first paint
    assert gc.isenabled() and gc.get_threshold()[2] > before[2]
    painted.restore()
    assert gc.isenabled() and gc.get_threshold() == before
    failed = CollectorPause()  # an app that failed before its first paint
    failed.pause_until_painted()
    failed.restore()
    assert gc.isenabled() and gc.get_threshold() == before


@pilot_test
async def test_queue_fetches_pages_on_demand(db_path):
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        queue = app.queue
        queue.pages.page_size = 10  # small pages so a short fixture queue spans several
        queue.reload(keep_row=0)
        await pilot.pause()
        fetched = queue.pages.fetches
        assert fetched <= 5  # only the visible rows' pages
        await pilot.press("G")  # vim: last claim
        await pilot.pause()
        assert queue.cursor == queue.count - 1
        assert app.shown.claim_id == queue.row(queue.count - 1).id
        await pilot.press("g", "j", "j", "k")
        await pilot.pause()
        assert queue.cursor == 1


@pilot_test
async def test_opens_on_100k_claims_without_loading_them(tmp_path):
    path = tmp_path / "big.db"
    db = open_db(path)
    db.execute("INSERT INTO articles (path, sha256, format, encoding, size_bytes, clean_text, imported_at, imported_by,"
               " title) VALUES ('big.txt', 'x', 'text', 'utf-8', 1, ?, 'now', 'test', 'big')", ["y" * 60])
    db.execute("""WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99999)
                  INSERT INTO statements (article_id, position, paragraph, span_start, span_end, text, score, checkworthy)
                  SELECT 1, i, 0, i, i + 1, 'claim number ' || i, 0.9, 1 FROM n""")
    db.conn.commit()
    db.close()
    app = app_for(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.queue.count == 100_000
        assert app.queue.pages.fetches <= 2
        await pilot.press("G")
        await pilot.pause()
        assert app.shown.context.text == "claim number 99999"
        assert app.queue.pages.fetches <= 4


def test_page_cache_fetches_lazily_by_key_and_survives_a_removed_row():
    from workbench.review.records import QueueRow
    from workbench.tui.widgets.claim_queue import PageCache

    rows = [QueueRow(i, 1, i, f"claim {i}", 0.9, None, None, False, False, 0) for i in range(250)]
    calls = []

    def fetch(offset, limit, after):
        calls.append((offset, after))
        start = offset if after is None else next(i for i, r in enumerate(rows) if r.key > after)
        return rows[start:start + limit]

    cache = PageCache(fetch, page_size=100, pages=2)
    assert cache.row(5).id == 5 and cache.row(150).id == 150
    assert calls == [(0, None), (100, (1, 99))]  # the second page is fetched after the first one's last key
    assert cache.row(7).id == 7 and len(calls) == 2  # cached
    cache.row(220)  # a third page evicts the least recently used (page 1)
    cache.row(120)
    assert calls[2:] == [(200, (1, 199)), (100, (1, 99))]
    # the claim at row 5 leaves the queue: its page stays cached without it, later pages are dropped
    cache.row(5)
    fetched = len(calls)
    del rows[5]
    cache.remove(5)
    assert cache.row(5).id == 6 and cache.row(98).id == 99 and len(calls) == fetched
    assert cache.row(99).id == 100 and calls[-1] == (0, None)  # the short page's last slot is refetched
    assert cache.row(100).id == 101
    cache.update(3, my_label="true")
    assert cache.row(3).my_label == "true"


# -- the review loop ---------------------------------------------------------------------------------

@pilot_test
async def test_verdict_moves_on_and_undo_redo_restore_it(db_path):
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = app.shown.claim_id
        scale = app.scale
        await pilot.press("1")
        assert verdict_of(db_path, first, "alice").label == scale.labels[0].label
        assert app.shown.claim_id != first  # moved to the next claim
        await pilot.press("n")  # with a form open, the screen's keys do nothing behind it
        app.screen.query_one("#cancel").focus()
        await pilot.press("u", "2")
        assert verdict_of(db_path, first, "alice").label == scale.labels[0].label
        await pilot.press("escape")
        second = app.shown.claim_id
        await pilot.press("3")
        assert verdict_of(db_path, second, "alice").label == scale.labels[2].label
        # the rows kept in the page cache across the two verdicts are the queue as the store has it now, with
        # the two judged rows still in sight (marked with their labels) until the queue reloads
        fresh = [r.id for r in review.queue_page(app.db, "alice", QueueFilter(), limit=10_000)]
        shown = [app.queue.row(i) for i in range(app.queue.count)]
        assert [r.id for r in shown if not r.my_label] == fresh and app.queue.remaining == len(fresh)
        assert [r.id for r in shown if r.my_label] == [first, second]
        await pilot.press("u")
        assert verdict_of(db_path, second, "alice") is None
        assert app.shown.claim_id == second  # undo shows the claim it changed
        await pilot.press("ctrl+z")
        assert verdict_of(db_path, first, "alice") is None
        await pilot.press("U")
        assert verdict_of(db_path, first, "alice").label == scale.labels[0].label
        await pilot.press("ctrl+y")
        assert verdict_of(db_path, second, "alice").label == scale.labels[2].label
        await pilot.press("U")  # nothing left to redo: nothing changes
        assert len(app.undo_stack) == 2 and not app.redo_stack
        # a skip writes nothing and moves on
        before = app.shown.claim_id
        written = app.db.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0]
        await pilot.press("s")
        await pilot.pause()
        assert app.shown.claim_id != before
        assert app.db.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0] == written


@pilot_test
async def test_confirmed_link_is_evidence_and_link_decisions_undo(db_path):
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        while not app.shown.links:
            await pilot.press("s")
        claim_id = app.shown.claim_id
        link = app.screen.query_one(LinksList).selected_link
        await pilot.press("c")
        assert app.shown.links[0].status == "confirmed"
        await pilot.press("n")  # verdict with a note and a URL
        assert isinstance(app.screen, VerdictForm)
        await pilot.press("4")  # the dialog takes the digit keys
        app.screen.query_one("#note", Input).value = "two sources agree"
        app.screen.query_one("#evidence", Input).value = "https://example.org/a"
        await pilot.click("#save")
        await pilot.pause()
        verdict = verdict_of(db_path, claim_id, "alice")
        assert verdict.note == "two sources agree"
        assert verdict.evidence == (f"link:{link.id}", "https://example.org/a")
        await pilot.press("u", "u")  # the verdict, then the link decision
        db = open_db(db_path, migrate=False)
        status = [row["status"] for row in review_links(db, claim_id) if row["id"] == link.id]
        db.close()
        assert status == ["suggested"] and verdict_of(db_path, claim_id, "alice") is None
        await pilot.press("x")
        assert app.shown.links[0].status == "rejected"


def review_links(db, claim_id):
    from workbench.store.links import list_links

    return list_links(db, claim_id)


@pilot_test
async def test_open_other_article_at_the_linked_statement(db_path):
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        while not app.shown.links:
            await pilot.press("s")
        link = app.screen.query_one(LinksList).selected_link
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        shown = app.screen.query_one("#article-statement").render()
        assert str(shown).strip() == link.statement_text.strip()
        await pilot.press("escape")
        assert not isinstance(app.screen, ArticleScreen)


@pilot_test
async def test_filters_todo_mine_conflict_article_dates(db_path):
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        total = app.queue.count
        await pilot.press("1")
        assert app.queue.remaining == total - 1 and f"{total - 1} claims" in screen_text(app)  # to do
        await pilot.press("f3")
        assert app.filter.status == "mine" and app.queue.count == 1
        await pilot.press("f4")
        assert app.queue.count == total
        await pilot.press("C")  # conflicts only
        conflicts = review.queue_count(app.db, "alice", QueueFilter(status="all", relation="conflict"))
        assert 0 < app.queue.count == conflicts < total
        assert all(app.queue.row(i).has_conflict for i in range(app.queue.count))
        await pilot.press("C", "w")  # this article only
        article_id = app.shown.context.article.id
        assert app.queue.count == review.queue_count(app.db, "alice", QueueFilter(status="all", article_id=article_id))
        await pilot.press("ctrl+l")
        app.screen.query_one("#date-from", Input).value = "2024-04-28"
        app.screen.query_one("#date-to", Input).value = "2024-04-28"
        app.screen.query_one("#date-to", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        expected = review.queue_count(app.db, "alice", QueueFilter(status="all", date_from="2024-04-28",
                                                                   date_to="2024-04-28"))
        assert 0 < app.queue.count == expected < total


@pilot_test
async def test_story_filter_from_the_claim(db_path):
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        story = app.session.story_of(app.shown.context.article.id)
        assert story is not None
        await pilot.press("S")
        assert app.filter.story_id == story
        expected = review.queue_count(app.db, "alice", QueueFilter(status="all", story_id=story))
        assert app.queue.remaining == expected and f"story #{story}" in screen_text(app)
        await pilot.press("S")
        assert app.filter.story_id is None


@pilot_test
async def test_entity_filter_from_a_mention(db_path):
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        while not app.shown.context.mentions:
            await pilot.press("s")
        entity = app.shown.context.mentions[0]
        await pilot.press("E")
        assert app.filter.entity_id == entity.entity_id
        assert app.queue.count == review.queue_count(app.db, "alice", QueueFilter(entity_id=entity.entity_id))
        await pilot.press("E")
        assert app.filter.entity_id is None


@pilot_test
async def test_search_finds_chinese_words_of_two_and_three_characters(db_path):
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for word in ("特斯拉", "数据", "华为"):
            await pilot.press("slash")
            assert isinstance(app.focused, Input)
            app.focused.value = ""
            await pilot.press(*word, "enter")
            await pilot.pause()
            assert app.queue.count == len(claims(db_path, word, status="todo")) > 0
            assert all(word in app.queue.row(i).text for i in range(app.queue.count))
            assert word in app.shown.context.text
            assert f"{app.queue.count} claims" in screen_text(app)
        await pilot.press("slash")
        app.focused.value = ""
        await pilot.press(*"Zero", "enter")  # one claim in the fixtures (the zero-width spaces one)
        await pilot.pause()
        assert app.queue.count == 1 and "1 claim " in screen_text(app) and "1 claims" not in screen_text(app)


@pilot_test
async def test_palette_jumps_to_a_claim_by_its_text(db_path):
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1")  # the first claim leaves the to-do queue
        target = claims(db_path, "数据")[0]
        provider = ClaimSearch(app.screen)
        hits = [hit async for hit in provider.search("数据")]
        assert hits and all("数据" in hit.text for hit in hits)
        assert all(not isinstance(hit.match_display, str) for hit in hits)
        hit = next(h for h in hits if h.text.startswith(target.text[:30]))
        hit.command()
        await pilot.pause()
        assert app.shown.claim_id == target.id


# -- several reviewers -----------------------------------------------------------------------------

@pilot_test
async def test_second_reviewer_sees_verdicts_after_the_poll_blind_until_giving_one(db_path):
    alice = app_for(db_path, "alice")
    bob = app_for(db_path, "bob", poll_interval=0.05)
    async with alice.run_test(size=SIZE) as a, bob.run_test(size=SIZE) as b:
        await a.pause()
        await b.pause()
        claim_id = alice.shown.claim_id
        assert bob.shown.claim_id == claim_id
        await a.press("1")
        for _ in range(40):  # the poll runs every 0.05 s here; give it up to 2 s of loop time
            if bob.shown.others:
                break
            await b.pause(0.05)
        assert [v.reviewer for v in bob.shown.others] == ["alice"]
        assert bob.shown.others[0].hidden
        assert "alice: hidden" in screen_text(bob)
        assert alice.scale.labels[0].label not in screen_text(bob).split("others", 1)[1].split("\n", 1)[0]
        await b.press("5")  # bob disagrees
        await b.press("f3")  # bob's judged claims: the one he just gave
        await b.pause()
        assert bob.shown.claim_id == claim_id
        assert not bob.shown.others[0].hidden and bob.shown.others[0].label == alice.scale.labels[0].label
        await b.press("f5")  # the disputed queue
        assert bob.queue.count == 1, bob.db.execute("SELECT claim_id, reviewer, label FROM verdicts").fetchall()
        assert bob.shown.claim_id == claim_id
        await b.press("A")
        await b.pause()
        assert isinstance(bob.screen, AgreementScreen)
        pair = bob.screen.result["pairs"][0]
        assert pair["reviewers"] == ("alice", "bob") and pair["claims"] == 1 and pair["agree"] == 0


@pilot_test
async def test_counts_follow_writes_made_elsewhere(db_path):
    first = app_for(db_path, "alice", poll_interval=60)
    second = app_for(db_path, "alice", poll_interval=0.05)
    async with first.run_test(size=SIZE) as a, second.run_test(size=SIZE) as b:
        await a.pause()
        await b.pause()
        total = second.queue.count
        await a.press("1", "1")
        for _ in range(40):  # the poll sees the change, the recount worker counts in its own thread
            await second.workers.wait_for_complete()
            await b.pause(0.05)
            if second.queue.count == total - 2:
                break
        assert second.queue.count == total - 2
        assert f"2/{second.review._total}" in screen_text(second)  # overall progress followed too
        assert second.shown.claim_id == first.shown.claim_id  # the first two left this queue


@pilot_test
async def test_a_late_queue_announcement_does_not_put_the_judged_claim_back(db_path):
    from workbench.tui.widgets.claim_queue import ClaimQueue

    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        queue, judged = app.queue, app.shown.claim_id
        # a reload's announcement of the row shown, still on its way when the verdict key runs (a poll's recount)
        queue.post_message(ClaimQueue.Highlighted(queue, queue.cursor, queue.current))
        app.screen.action_verdict(1)
        moved_to = app.shown.claim_id
        await pilot.pause()  # the announcement arrives now
        assert verdict_of(db_path, judged, "alice") is not None
        assert moved_to != judged and app.shown.claim_id == moved_to == queue.current.id


@pilot_test
async def test_digit_keys_follow_a_scale_chosen_elsewhere(db_path):
    from workbench.store.review import choose_scale

    app = app_for(db_path, poll_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        db = open_db(db_path, migrate=False)
        choose_scale(db, "tfc", actor="lead")
        db.close()
        for _ in range(40):
            await pilot.pause(0.05)
            if app.scale.name == "tfc":
                break
        claim_id = app.shown.claim_id
        await pilot.press("1")
        assert verdict_of(db_path, claim_id, "alice").label == "正確"
        following = app.shown.claim_id
        await pilot.press("6")  # TFC has five labels: the sixth digit records nothing and stays on the claim
        await pilot.pause()
        assert following != claim_id and app.shown.claim_id == following
        assert verdict_of(db_path, following, "alice") is None


@pilot_test
async def test_same_reviewer_in_two_apps_gets_a_conflict_not_a_silent_overwrite(db_path):
    first = app_for(db_path, "alice", poll_interval=60)
    second = app_for(db_path, "alice", poll_interval=60)
    async with first.run_test(size=SIZE) as a, second.run_test(size=SIZE) as b:
        await a.pause()
        await b.pause()
        claim_id = first.shown.claim_id
        await a.press("1")
        await b.press("2")  # the second window still shows the claim without a verdict
        await b.pause()
        assert verdict_of(db_path, claim_id, "alice").label == first.scale.labels[0].label
        notes = [n for n in second._notifications if n.title == "Changed elsewhere"]
        assert notes and "changed elsewhere" in str(notes[0].message)
        # after the reload the second window knows the current version and can change it
        await b.press("k") if second.shown.claim_id != claim_id else None
        second.jump_to_claim(claim_id)
        await b.press("2")
        assert verdict_of(db_path, claim_id, "alice").label == first.scale.labels[1].label


@pilot_test
async def test_adjudication_needs_a_reason_and_is_recorded_as_final(db_path):
    app = app_for(db_path, "carol")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        claim_id = app.shown.claim_id
        await pilot.press("F")
        assert isinstance(app.screen, AdjudicateForm)
        await pilot.press("1")
        app.screen.query_one("#reason", Input).focus()
        await pilot.press("enter")  # no reason
        await pilot.pause()
        assert isinstance(app.screen, AdjudicateForm)
        assert "needs a reason" in screen_text(app)
        assert verdict_of(db_path, claim_id, "carol", final=True) is None
        await pilot.press(*"both sources checked", "enter")
        await pilot.pause()
        final = verdict_of(db_path, claim_id, "carol", final=True)
        assert final is not None and final.label == app.scale.labels[0].label
        db = open_db(db_path, migrate=False)
        reason = db.execute("SELECT reason FROM audit_events WHERE action = 'verdict.adjudicate'").fetchone()[0]
        db.close()
        assert reason == "both sources checked"


# -- metadata, aliases ----------------------------------------------------------------------------------

@pilot_test
async def test_correcting_the_publication_date_re_resolves_relative_dates(db_path):
    target = claims(db_path, "last week")[0]
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.jump_to_claim(target.id)
        await pilot.pause()
        before = next(d for d in app.shown.context.dates if d.surface == "last week")
        assert before.anchor == "2021-06-01"
        # a date that cannot be read is refused in the form, which stays open with the error shown
        await pilot.press("e")
        field = app.screen.query_one("#field-published", Input)
        field.value = "not a date"
        field.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MetadataForm) and "Not a date: not a date" in screen_text(app)
        assert not app.workers  # nothing was written
        field = app.screen.query_one("#field-published", Input)
        field.value = "2021-07-01"
        field.focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.shown.claim_id == target.id  # the claim keeps its id through re-analysis
        after = next(d for d in app.shown.context.dates if d.surface == "last week")
        assert after.anchor == "2021-07-01" and after.start_day != before.start_day
        assert after.start_day in screen_text(app)
        assert app.shown.context.article.source("published") == "reviewer"


@pilot_test
async def test_add_a_mention_as_alias_in_a_worker(db_path):
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        while not app.shown.context.mentions:
            await pilot.press("s")
        mention = app.shown.context.mentions[0]
        await pilot.press("a")
        assert isinstance(app.screen, AliasForm)
        app.screen.query_one("#alias", Input).value = "特粉车"
        app.screen.query_one("#entity", Input).focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        from workbench.store.entities import find_entity

        assert find_entity(app.db, "特粉车")["id"] == mention.entity_id


@pilot_test
async def test_promote_a_candidate_entity_from_its_mention(db_path):
    con = sqlite3.connect(db_path)
    claim_id, entity_id = con.execute(
        "SELECT m.statement_id, e.id FROM mentions m JOIN entities e ON e.id = m.entity_id"
        " JOIN statements s ON s.id = m.statement_id WHERE e.status = 'candidate' AND s.checkworthy"
        " ORDER BY m.statement_id LIMIT 1").fetchone()
    con.close()
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.jump_to_claim(claim_id)
        await pilot.pause()
        mentions = app.shown.context.mentions
        app.screen.query_one(ClaimView).highlight(next(i for i, m in enumerate(mentions) if m.entity_id == entity_id))
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = app.db.execute("SELECT status FROM entities WHERE id = ?", [entity_id]).fetchone()[0]
        assert status == "user"
        assert any(m.entity_id == entity_id and m.status == "user" for m in app.shown.context.mentions)


@pilot_test
async def test_palette_runs_actions(db_path):
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        commands["Queue: Disputed"].callback()
        await pilot.pause()
        assert app.filter.status == "disputed" and app.queue.count == 0
        commands["Conflicts only"].callback()
        assert app.filter.relation == "conflict"


# -- keys -------------------------------------------------------------------------------------------------

def test_every_binding_has_an_id_a_description_and_a_tooltip():
    from workbench.tui.screens.forms import FormScreen
    from workbench.tui.screens.views import ReadOnlyScreen

    from workbench.tui.screens.review import ReviewScreen

    for owner in (ReviewApp, ReviewScreen, ClaimQueue, FormScreen, ReadOnlyScreen):
        for binding in owner.BINDINGS:
            assert binding.id and binding.description and binding.tooltip, (owner, binding)
    ids = [b.id for b in ReviewApp.BINDINGS + ReviewScreen.BINDINGS]
    assert len(ids) == len(set(ids))
    hidden = {b.key for b in ReviewScreen.BINDINGS if not b.show}
    assert {"j", "k", "g", "G"} <= hidden


@pilot_test
async def test_help_lists_every_key_with_labels_icons_and_a_keys_file_remaps(db_path, tmp_path):
    from workbench.tui.screens.review import ReviewScreen

    keys = tmp_path / "keys.toml"
    keys.write_text('[keys]\nverdict-1 = "z"\n', encoding="utf-8")
    app = make_app(db_path, "alice", keys_file=keys)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        ids = {row[3] for row in app.screen.rows}
        assert {b.id for b in ReviewScreen.BINDINGS} - {f"verdict-{i}" for i in range(8, 10)} <= ids
        assert "verdict-8" not in ids  # the default scale has seven labels: only real keys are listed
        rows = {(row[0], row[1]) for row in app.screen.rows}
        assert ("z", f"verdict: {app.scale.labels[0].label}") in rows
        assert ("2", f"verdict: {app.scale.labels[1].label}") in rows
        assert {row[2] for row in app.screen.rows} == {"review screen", "queue", "claim pane", "verdict dialogs",
                                                   "read-only views"}
        text = screen_text(app)
        for icon in "·✓★⚡⚑":
            assert icon in text
        assert "keys.toml" in text and "App.set_keymap" not in text
        await pilot.press("escape")
        claim_id = app.shown.claim_id
        await pilot.press("z")
        assert verdict_of(db_path, claim_id, "alice").label == app.scale.labels[0].label
        assert " z " in screen_text(app)  # the verdict bar shows the remapped key


def test_a_keys_file_with_an_unknown_id_or_a_key_bound_twice_is_refused(db_path, tmp_path):
    from workbench.tui.keys import KeymapError

    keys = tmp_path / "keys.toml"
    keys.write_text('[keys]\nverdict-one = "z"\n', encoding="utf-8")
    with pytest.raises(KeymapError, match="unknown binding id.*verdict-one"):
        make_app(db_path, "alice", keys_file=keys)
    keys.write_text('[keys]\nverdict-1 = "s"\n', encoding="utf-8")  # s is skip's
    with pytest.raises(KeymapError, match="'s' is bound twice in the review screen: verdict-1 and skip"):
        make_app(db_path, "alice", keys_file=keys)
    keys.write_text('[keys]\nverdict-1 = "s"\nskip = "K"\n', encoding="utf-8")  # moving skip away is fine
    assert make_app(db_path, "alice", keys_file=keys).keymap_overrides == {"verdict-1": "s", "skip": "K"}


@pilot_test
async def test_each_verdict_is_committed_with_its_audit_event_before_the_next_key(db_path):
    """A digit's verdict and its audit event are in the database (seen from another connection) before the
    next key is handled; with measure=True each verdict's key, commit and repaint times come in that order.
    How long it takes is the bench's figure (python -m workbench.bench --only review), not a test's."""
    app = app_for(db_path, measure=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        judged = []
        for n in range(1, 11):
            judged.append(app.shown.claim_id)
            await pilot.press("2")
            other = sqlite3.connect(db_path)
            try:
                verdicts = other.execute("SELECT claim_id FROM verdicts WHERE reviewer = 'alice' ORDER BY id").fetchall()
                events = other.execute("SELECT object_id FROM audit_events WHERE actor = 'alice' AND action = 'verdict.set'"
                                       " ORDER BY seq").fetchall()
            finally:
                other.close()
            assert [v[0] for v in verdicts] == judged
            assert [int(e[0]) for e in events] == judged
        await pilot.pause()
        timings = app.verdict_timings
        assert len(timings) == 10
        assert all(key <= committed <= shown for key, committed, shown in timings)


@pilot_test
async def test_leaving_the_app_closes_its_connection_and_the_wal_file_goes_with_it(db_path):
    """SQLite removes a database's -wal file when its last connection closes: after the app exits (the test
    still holding the app), a verdict written through it has left no WAL file and no usable connection."""
    wal = Path(f"{db_path}-wal")
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        judged = app.shown.claim_id
        await pilot.press("1")
        await app.workers.wait_for_complete()
        assert wal.exists()  # the app's connection is open and has written
    assert not wal.exists()
    with pytest.raises(sqlite3.ProgrammingError):
        app.db.execute("SELECT 1")
    assert verdict_of(db_path, judged, "alice").label == app.scale.labels[0].label  # and the verdict is kept


# -- hostile text ----------------------------------------------------------------------------------------

def hostile_claim_ids(path: Path) -> list[int]:
    con = sqlite3.connect(path)
    rows = con.execute("SELECT s.id FROM statements s JOIN articles a ON a.id = s.article_id"
                       " WHERE a.path LIKE '%hostile%' AND s.checkworthy ORDER BY s.id").fetchall()
    con.close()
    return [r[0] for r in rows]


def assert_clean(text: str) -> None:
    found = UNSAFE.findall(text)
    assert not found, [hex(ord(c)) for c in found]


@pilot_test
async def test_hostile_articles_are_shown_literally_on_every_screen(db_path):
    app = app_for(db_path)
    ids = hostile_claim_ids(db_path)
    assert ids
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for claim_id in ids:
            app.jump_to_claim(claim_id)
            await pilot.pause()
            assert_clean(screen_text(app))
        md = next(i for i in ids if "[@click" in app.db.execute(
            "SELECT a.title FROM statements s JOIN articles a ON a.id = s.article_id WHERE s.id = ?", [i]).fetchone()[0])
        app.jump_to_claim(md)
        await pilot.pause()
        text = screen_text(app)
        assert "[@click=app.quit]x[/]" in text
        assert "<U+202E>" in text or "<U+2066>" in text  # bidi controls made visible
        assert_clean(app.export_screenshot())  # what a terminal would be sent
        # clicking along the title (where "[@click=app.quit]" is shown) runs no action
        view = app.screen.query_one(ClaimView)
        meta = 1 + view.section_line("meta") - view.scroll_offset.y  # below the pane's top border
        for x in range(10, min(40, view.size.width), 4):
            await pilot.click("#claim-pane", offset=(x, meta))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        # every other screen opens on it too
        for key, screen_type in (("n", VerdictForm), ("F", AdjudicateForm), ("e", MetadataForm),
                                 ("a", AliasForm), ("question_mark", HelpScreen), ("A", AgreementScreen)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, screen_type)
            assert_clean(screen_text(app))
            await pilot.press("escape")
            await pilot.pause()
        if app.shown.links:
            await pilot.press("o")
            await pilot.pause()
            assert isinstance(app.screen, ArticleScreen)
            assert_clean(screen_text(app))
        # the palette shows hostile claims as text
        hits = [hit async for hit in ClaimSearch(app.screen).search("特斯拉")]
        assert all(not UNSAFE.search(hit.text) for hit in hits)
    assert app.return_code in (None, 0)


@pilot_test
async def test_a_note_with_markup_is_stored_and_shown_as_text(db_path):
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        claim_id = app.shown.claim_id
        await pilot.press("n", "2")
        app.screen.query_one("#note", Input).value = "[@click=app.quit]x[/] \x1b[31mred"
        await pilot.click("#save")
        await pilot.pause()
        app.jump_to_claim(claim_id)
        await pilot.pause()
        text = screen_text(app)
        assert "[@click=app.quit]x[/]" in text and "␛[31mred" in text
        assert_clean(text)


@pilot_test
async def test_a_custom_scale_with_markup_in_its_labels_stays_text(db_path):
    from workbench.store.review import choose_scale

    db = open_db(db_path, migrate=False)
    choose_scale(db, {"name": "odd", "labels": [{"label": "[@click=app.quit]t[/]", "rating": 2},
                                                {"label": "f[/]", "rating": 1}], "best": 2, "worst": 1}, actor="lead")
    db.close()
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "[@click=app.quit]t[/]" in screen_text(app)  # the verdict bar
        for key in ("n", "F"):
            await pilot.press(key)
            await pilot.pause()
            assert "[@click=app.quit]t[/]" in screen_text(app)  # the forms' label choices
            await pilot.press("escape")
        claim_id = app.shown.claim_id
        await pilot.press("2")
        assert verdict_of(db_path, claim_id, "alice").label == "f[/]"
        assert app.is_running


# -- claimants (issue 17) ------------------------------------------------------------------------------


@pilot_test
async def test_the_claimant_is_shown_and_a_reviewer_corrects_it_audited(db_path):
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        context = app.shown.context
        assert context.claimant is not None
        assert context.claimant.name in screen_text(app)
        await pilot.press("b")
        from workbench.tui.screens.forms import ClaimantForm

        assert isinstance(app.screen, ClaimantForm)
        app.screen.query_one("#claimant-name", Input).value = "Reuters"
        app.screen.query_one("#claimant-entity", Input).value = "Reuters"
        app.screen.query_one("#claimant-reason", Input).value = "wire copy"
        # the first claim (best-ranked) may start as the article's claim: the reviewer names a speaker
        app.screen.query_one("#claimant-kind", Select).value = "speaker"
        app.screen.query_one("#claimant-reason", Input).focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        claim_id = context.claim_id
    db = open_db(db_path)
    row = db.execute("SELECT name, kind, corrected_by FROM claimants WHERE statement_id = ?", [claim_id]).fetchone()
    assert row == ("Reuters", "speaker", "alice")
    event = db.execute("SELECT actor, action, object_id FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    assert event == ("alice", "claimant.correct", str(claim_id))
