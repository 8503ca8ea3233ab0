"""ReviewSession without a terminal: queue, verdicts, flags, links, undo/redo, conflicts, polling, history."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from workbench.model import LinkStatus, QueueStatus
from workbench.review.session import Conflict, NeedsConfirmation, QueueFilter, ReviewError, ReviewSession
from workbench.store.db import open_db


@pytest.fixture
def db(fixtures_db):
    db = open_db(fixtures_db)
    yield db
    db.close()


def first_claim(session: ReviewSession) -> int:
    return session.page(0, 1)[0].id


def test_the_session_imports_no_terminal_library():
    code = "import sys, workbench.review.session, workbench.cli.review; " \
           "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_verdict_moves_claim_out_of_todo_and_says_what_was_recorded(db):
    session = ReviewSession(db, "ana")
    total = session.count()
    claim = first_claim(session)
    session.show(claim)
    decision = session.record(session.label_of(3))
    assert decision.message == f"#{claim} → {session.scale.labels[2].label}"
    assert decision.left_queue
    assert session.count() == total - 1
    assert session.count(QueueFilter(status=QueueStatus.MINE)) == 1
    mine = session.page(0, 5, None) and session.show(claim).mine
    assert mine.label == session.scale.labels[2].label and mine.version == 1
    # the Mine queue's row carries the label
    session.set_filter(status=QueueStatus.MINE)
    assert [r.my_label for r in session.page(0, 5)] == [mine.label]
    # history: newest first
    session.set_filter(status=QueueStatus.TODO)
    other = first_claim(session)
    session.show(other)
    session.record(session.label_of(1))
    assert [h.claim_id for h in session.history()] == [other, claim]


def test_the_article_progress_kept_up_after_verdicts_is_the_recount(db):
    from workbench.store import review as store

    session = ReviewSession(db, "ana")
    article = db.execute("SELECT article_id FROM statements WHERE checkworthy = 1 AND retired = 0"
                         " GROUP BY article_id HAVING COUNT(*) >= 3 ORDER BY article_id LIMIT 1").fetchone()[0]
    session.set_filter(article_id=article)
    claims = [row.id for row in session.page(0, 4)]
    assert len(claims) >= 3
    session.show(claims[0])
    assert session.article_progress().article_done == 0
    for claim_id, number in ((claims[0], 1), (claims[1], 2), (claims[1], 3), (claims[2], 1)):
        session.show(claim_id)
        session.article_progress()  # counted before the write, as the screen does on showing the claim
        session.record(session.label_of(number))  # claims[1] twice: a changed verdict is not one more done
        kept = session.article_progress()
        assert kept == store.progress(db, "ana", article, overall=False)
    assert kept.article_done == 3


def test_undo_redo_keep_the_filter_and_restore_the_state(db):
    session = ReviewSession(db, "ana")
    session.set_filter(status=QueueStatus.MINE)
    session.set_filter(status=QueueStatus.ALL)
    claim = first_claim(session)
    session.show(claim)
    session.record(session.label_of(1), note="first")
    session.show(claim)
    session.record(session.label_of(2))
    assert session.show(claim).mine.note == "first"  # a digit keeps the note
    undone = session.undo()
    assert undone.claim_id == claim and "undone" in undone.message
    assert session.show(claim).mine.label == session.scale.labels[0].label
    assert session.filter.status == QueueStatus.ALL
    session.undo()
    assert session.show(claim).mine is None
    assert session.undo() is None
    session.redo()
    session.redo()
    assert session.show(claim).mine.label == session.scale.labels[1].label
    assert session.redo() is None and session.filter.status == QueueStatus.ALL


def test_undo_and_redo_across_claims_judged_again_after_others(db):
    # each undo/redo entry of a claim expects the version the session's own last write left: judged again after
    # other claims, after an undo and a new verdict (which drops the redo entries), undo still finds it
    session = ReviewSession(db, "ana")
    session.set_filter(status=QueueStatus.ALL)
    a, b = (row.id for row in session.page(0, 2))
    first, second, third = (session.label_of(n) for n in (1, 2, 3))
    for claim, label in ((a, first), (b, first), (a, second), (b, second)):
        session.show(claim)
        session.record(label)
    session.undo()  # b back to first (a redo entry of b now)
    session.show(a)
    session.record(third)  # drops the redo entry
    assert session.redo() is None
    assert [session.show(c).mine.label for c in (a, b)] == [third, first]
    for expected in ((second, first), (first, first), (first, None), (None, None)):
        session.undo()
        assert tuple(v.label if v else None for v in (session.show(a).mine, session.show(b).mine)) == expected
    assert session.undo() is None
    for _ in range(4):
        session.redo()
    assert [session.show(c).mine.label for c in (a, b)] == [third, first]


def test_a_stale_save_is_refused_and_reload_shows_the_new_state(fixtures_db):
    one, two = open_db(fixtures_db), open_db(fixtures_db)
    try:
        mine, elsewhere = ReviewSession(one, "ana"), ReviewSession(two, "ana")
        claim = first_claim(mine)
        mine.show(claim)
        elsewhere.show(claim)
        elsewhere.record(elsewhere.label_of(2))
        assert mine.changed_elsewhere()
        assert not mine.changed_elsewhere()
        with pytest.raises(Conflict):
            mine.record(mine.label_of(1))
        assert mine.shown.mine is None  # still what was seen, until a reload
        assert mine.reload().mine.label == mine.scale.labels[1].label
        mine.record(mine.label_of(1))
        assert not mine.changed_elsewhere()  # own writes do not count
    finally:
        one.close()
        two.close()


def test_blind_review_and_adjudicating_your_own_dispute_needs_confirmation(db):
    ana, bo = ReviewSession(db, "ana"), ReviewSession(db, "bo")
    claim = first_claim(ana)
    ana.show(claim)
    ana.record(ana.label_of(1), note="ana's note", urls=["https://a.example"])
    bo.show(claim)
    assert bo.shown.peers[0].hidden and bo.shown.peers[0].note == ""
    bo.record(bo.label_of(5))
    assert not bo.show(claim).peers[0].hidden and bo.shown.disputed
    everyone = {v.reviewer: v for v in bo.all_verdicts()}
    assert everyone["ana"].note == "ana's note" and everyone["ana"].evidence == ("https://a.example",)
    with pytest.raises(NeedsConfirmation):
        bo.record(bo.label_of(5), final=True, reason="sources")
    with pytest.raises(ReviewError):
        bo.record(bo.label_of(5), final=True, reason="", confirm_own=True)
    decision = bo.record(bo.label_of(5), final=True, reason="sources", confirm_own=True)
    assert decision.kind == "adjudication"
    event = db.execute("SELECT after FROM audit_events WHERE action = 'verdict.adjudicate' ORDER BY seq DESC"
                       " LIMIT 1").fetchone()
    assert json.loads(event[0])["own_dispute"] is True
    carl = ReviewSession(db, "carl")
    carl.show(claim)
    carl.record(carl.label_of(1), final=True, reason="a third look")  # not part of it: no question
    event = db.execute("SELECT after FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    assert json.loads(event[0])["own_dispute"] is False


def test_link_decisions_are_evidence_and_undo(db):
    session = ReviewSession(db, "ana")
    session.set_filter(status=QueueStatus.ALL, relation="conflict")
    claim = first_claim(session)
    link = session.show(claim).links[0]
    session.decide_link(link.id, LinkStatus.CONFIRMED)
    assert session.shown.links[0].status == LinkStatus.CONFIRMED
    session.record(session.label_of(5), urls=["https://x.example"])
    assert session.show(claim).mine.evidence == (f"link:{link.id}", "https://x.example")
    session.decide_link(link.id, LinkStatus.CONFIRMED)  # again: takes it back
    assert session.shown.links[0].status == LinkStatus.SUGGESTED
    session.undo()
    assert session.show(claim).links[0].status == LinkStatus.CONFIRMED


def test_filters_are_validated_and_toggle(db):
    session = ReviewSession(db, "ana")
    with pytest.raises(ReviewError):
        session.set_filter(status="nonsense")
    with pytest.raises(ReviewError):
        session.set_filter(date_from="2024-13-01")
    assert session.filter == QueueFilter()  # unchanged by a refused value
    session.toggle_filter("relation", "conflict")
    assert session.filter.relation == "conflict"
    session.toggle_filter("relation", "conflict")
    assert session.filter.relation is None
    session.set_filter(status=QueueStatus.ALL, search="特斯拉")
    assert all("特斯拉" in r.text for r in session.page(0, 100))
    assert session.clear_filters() == QueueFilter(status=QueueStatus.ALL)


def test_keyset_pages_equal_offset_pages(db):
    session = ReviewSession(db, "ana")
    session.set_filter(status=QueueStatus.ALL)
    everything = session.page(0, 10_000)
    assert len(everything) > 20
    first = session.page(0, 7)
    second = session.page(0, 7, after=first[-1].key)
    assert [r.id for r in first + second] == [r.id for r in everything[:14]]


def test_the_cli_decides_links_through_the_session_as_the_screen_does(fixtures_db):
    from click.testing import CliRunner

    from workbench.cli import cli

    db = open_db(fixtures_db)
    session = ReviewSession(db, "ana")
    session.set_filter(status=QueueStatus.ALL, relation="conflict")
    claim = first_claim(session)
    link = session.show(claim).links[0]
    db.close()
    runner = CliRunner()
    args = ["confirm-link", str(claim), str(link.statement_id), "--reviewer", "ana", "--db", str(fixtures_db)]
    first = runner.invoke(cli, args)
    again = runner.invoke(cli, args)
    assert first.exit_code == 0 and ": confirmed by ana" in first.output
    assert again.exit_code == 0 and "already confirmed" in again.output  # the CLI names a decision: no toggle
    db = open_db(fixtures_db)
    try:
        screen_side = ReviewSession(db, "bo")
        assert screen_side.show(claim).links[0].status == LinkStatus.CONFIRMED
        assert db.execute("SELECT COUNT(*) FROM audit_events WHERE action = 'link.confirm'").fetchone()[0] == 1
    finally:
        db.close()


def test_the_queue_comes_best_first_and_pages_by_score_without_skips_or_repeats(db):
    from workbench.store import review as store

    session = ReviewSession(db, "ana")
    # Ties on score across a page boundary: the (score, id) key must neither skip nor repeat one.
    claims = [r[0] for r in db.execute(
        "SELECT id FROM statements WHERE checkworthy = 1 AND retired = 0 ORDER BY id").fetchall()]
    assert len(claims) > 12
    with db.conn:
        db.execute("UPDATE statements SET score = 0.75 WHERE id IN (%s)" % ",".join("?" * 6), claims[3:9])
    for status in (QueueStatus.TODO, QueueStatus.ALL):
        session.set_filter(status=status)
        everything = session.page(0, 10_000)
        assert len(everything) == session.count() == store.queue_count(db, "ana", session.filter)
        assert [(r.score, r.id) for r in everything] == sorted(((r.score, r.id) for r in everything),
                                                               key=lambda k: (-k[0], k[1]))
        assert everything[0].score == max(r.score for r in everything)
        tied = [r.id for r in everything if r.score == 0.75]
        assert tied == sorted(claims[3:9])
        # pages by key, sized so the first boundary falls inside the tied run (3 tied rows on each side)
        size = [r.id for r in everything].index(tied[0]) + 3
        first = session.page(0, size)
        assert [r.id for r in first][-3:] == tied[:3]
        paged, key = [], None
        while page := session.page(0, size, after=key):
            paged += page
            key = page[-1].key
        assert [r.id for r in paged] == [r.id for r in everything]
        # offsets agree, and a claim's position is its row in the ranked queue
        assert [r.id for r in session.page(5, 4)] == [r.id for r in everything[5:9]]
        for row_no in (0, 5, len(everything) - 1):
            assert session.position(everything[row_no].id) == row_no
    # the ranked page walks the partial score index (from its key, or from the top), without a sort
    for status in (QueueStatus.TODO, QueueStatus.ALL):
        where, params = store._queue_where("ana", QueueFilter(status=status))
        for extra, key_params in ((" AND s.score <= ? AND (s.score < ? OR s.id > ?)", [0.75, 0.75, claims[3]]),
                                  ("", [])):
            plan = " ".join(str(r[-1]) for r in db.execute(
                f"EXPLAIN QUERY PLAN SELECT s.id FROM statements s WHERE {where}{extra}"
                " ORDER BY s.score DESC, s.id LIMIT 4", [*params, *key_params]))
            assert "idx_statements_ranked" in plan and "TEMP B-TREE" not in plan, plan


def test_an_article_queue_keeps_reading_order(db):
    session = ReviewSession(db, "ana")
    article = db.execute("SELECT article_id FROM statements WHERE checkworthy = 1 AND retired = 0"
                         " GROUP BY article_id ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
    session.set_filter(status=QueueStatus.ALL, article_id=article)
    rows = session.page(0, 10_000)
    assert len(rows) > 2
    assert [r.position for r in rows] == sorted(r.position for r in rows)
    first = session.page(0, 2)
    assert [r.id for r in first + session.page(0, 2, after=first[-1].key)] == [r.id for r in rows[:4]]


def test_the_start_up_counts_are_the_to_do_count_and_the_progress(db):
    """The review screen's first counts come from one query (store.start_counts, in a thread at start): the same
    numbers as queue_count (to do) and progress, whoever has judged what (own, others', final; a retired claim)."""
    from workbench.store import review as store

    ana, bo, carl = ReviewSession(db, "ana"), ReviewSession(db, "bo"), ReviewSession(db, "carl")
    claims = [row.id for row in ana.page(0, 10)]
    ana.show(claims[0])
    ana.record(ana.label_of(1))
    bo.show(claims[0])
    bo.record(bo.label_of(5))
    carl.show(claims[0])
    carl.record(carl.label_of(2), final=True, reason="a third look")  # carl's only verdict there is the final one
    bo.show(claims[1])
    bo.record(bo.label_of(2))
    with db.conn:
        db.execute("UPDATE statements SET retired = 1 WHERE id = ?", [claims[2]])
    for reviewer in ("ana", "bo", "carl", "nobody"):
        assert store.start_counts(db, reviewer) == (store.queue_count(db, reviewer, QueueFilter()),
                                                     store.progress(db, reviewer))
    assert store.start_counts(db, "carl")[1].done == 1 and store.start_counts(db, "bo")[1].done == 2
