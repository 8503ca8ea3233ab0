"""Snapshot tests of the review screen (pytest-textual-snapshot); each docstring says what a person should see.

The database is the fixtures imported by tests/conftest.py, the reviewer is
always "alice", and nothing on screen depends on the clock, so the pictures
are deterministic. After an intended change to the screen or to the analysis
of the fixtures, look at the new pictures and run ``pytest --snapshot-update``.
"""

from __future__ import annotations

import sqlite3

import pytest

from workbench.tui import make_app

SIZE = (160, 48)


def _claim_where(path, condition: str) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute(f"SELECT s.id FROM statements s JOIN articles a ON a.id = s.article_id WHERE s.checkworthy"
                           f" AND {condition} ORDER BY s.id LIMIT 1").fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (160, 48)], ids=["80x24", "120x40", "160x48"])
def test_main_screen_on_the_first_claim(snap_compare, fixtures_db, size):
    """The first to-do claim of the forum repost (a1), at three terminal sizes, after alice pressed 1 on the claim
    before it.

    At every size, without scrolling: the claim text first in the middle pane (highlighted in its
    paragraph), the scale's keys 1..7 at the bottom and "yours none yet" (the current verdict), with
    the confirmation "✓ #1 → true" of the verdict just given. The article's metadata is one line
    ("article a1_forum… · 2021-06-01 · …  m: details"). Left: the to-do queue with the cursor row in
    the accent colour and the focused pane's heavy border. At 120 and 160 columns the right pane lists
    the other sources; at 80 it is a tab (tab key) over the claim pane.
    """

    async def run_before(pilot):
        await pilot.press("1")
        await pilot.pause()

    assert snap_compare(make_app(fixtures_db, "alice", poll_interval=3600), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("key", ["n", "F"], ids=["note", "adjudicate"])
def test_dialogs_fit_80x24(snap_compare, fixtures_db, key):
    """The note dialog (n) and the adjudication dialog (F) at 80x24 after alice judged the claim "mostly false"
    with a note: each opens on that verdict, and its Save/Cancel buttons are on screen. The adjudication
    dialog lists alice's verdict, note and evidence above its fields."""

    async def run_before(pilot):
        await pilot.press("f4", "n", "4")
        pilot.app.screen.query_one("#note").value = "two sources disagree"
        pilot.app.screen.query_one("#evidence").value = "https://example.org/a"
        pilot.app.screen.query_one("#evidence").focus()
        await pilot.press("enter")
        await pilot.press("k", key)
        await pilot.pause()

    assert snap_compare(make_app(fixtures_db, "alice", poll_interval=3600), terminal_size=(80, 24),
                        run_before=run_before)


def test_conflict_queue_with_a_verdict_given(snap_compare, fixtures_db):
    """The "conflicts only" queue after alice gave verdict 5 (false) to its first claim and came back.

    The claim's links include at least one CONFLICT in the theme's error colour; the
    verdict bar shows key 5 highlighted and "yours false (v1)"; the queue row has a ✓.
    """

    async def run_before(pilot):
        await pilot.press("f4", "C")
        await pilot.press("5")
        await pilot.press("k")
        await pilot.pause()

    assert snap_compare(make_app(fixtures_db, "alice", poll_interval=3600), terminal_size=SIZE, run_before=run_before)


def test_hostile_article_is_shown_literally(snap_compare, fixtures_db):
    """A claim of `hostile [b]name[@click=app.quit]x.md`.

    The title reads literally `[@click=app.quit]x[/] 特<U+200B>斯拉过检 <U+2066>北京<U+2069> x[/] ...`:
    brackets stay brackets, invisible and bidi characters appear as <U+....> stand-ins,
    the author's U+202E shows as <U+202E>, and nothing is bold or clickable that the
    data asked to be.
    """
    claim_id = _claim_where(fixtures_db, "a.path LIKE '%hostile [b]%'")

    async def run_before(pilot):
        pilot.app.jump_to_claim(claim_id)
        await pilot.pause()

    assert snap_compare(make_app(fixtures_db, "alice", poll_interval=3600), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare, fixtures_db):
    """The help screen: every key with its description, where it works, its id and tooltip."""

    async def run_before(pilot):
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(fixtures_db, "alice", poll_interval=3600), terminal_size=SIZE, run_before=run_before)
