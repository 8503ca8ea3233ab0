"""Stories: article relatedness, grouping (incremental), the store query and ``workbench stories``."""

from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import fixture_files
from workbench.cli import cli
from workbench.linking import ArticleProfile, Relatedness, StoryRules, assign_stories
from workbench.pipeline import Pipeline
from workbench.store import stories as store_stories
from workbench.store.db import open_db


def _profile(aid, weights, group=None, day=738000):
    return ArticleProfile(aid, group or aid, day, dict(weights))


def test_articles_naming_the_same_rare_actors_are_related_and_copies_fully():
    profiles = [_profile(1, {10: 3, 11: 2, 1: 5}), _profile(2, {10: 2, 11: 1, 1: 4}),
                _profile(3, {12: 3, 1: 5}), _profile(4, {99: 1}, group=1)]
    related = Relatedness(profiles + [_profile(5, {1: 1}), _profile(6, {1: 1})])
    assert related(1, 2) > 0.5 > related(1, 3)
    assert related(1, 4) == 1.0  # a copy of article 1
    assert related(1, 2) == related(2, 1)


def test_publication_distance_lowers_relatedness_softly_and_never_to_zero():
    near = Relatedness([_profile(1, {10: 1}), _profile(2, {10: 1}), _profile(3, {11: 1})])
    far = Relatedness([_profile(1, {10: 1}), _profile(2, {10: 1}, day=738000 + 2000), _profile(3, {11: 1})])
    assert near(1, 2) > far(1, 2) >= StoryRules().distant_floor * near(1, 2) > 0


def test_a_new_article_joins_the_story_of_its_most_related_article_or_starts_one():
    profiles = [_profile(1, {10: 3, 11: 1}), _profile(2, {20: 3, 21: 1}), _profile(3, {10: 2, 11: 1}),
                _profile(4, {30: 1})]
    related = Relatedness(profiles)
    first = assign_stories([1, 2], related, {}, 1)
    assert first == {1: (1, 0.0), 2: (2, 0.0)}
    later = assign_stories([3, 4], related, {1: [1], 2: [2]}, 3)
    assert later[3][0] == 1 and later[3][1] >= related.rules.join
    assert later[4] == (3, 0.0)
    # grouping everything at once gives the same stories as adding the articles one by one
    assert {a: s for a, (s, _) in assign_stories([1, 2, 3, 4], related, {}, 1).items()} == \
        {1: 1, 2: 2, 3: 1, 4: 3}


def _stories_scoring_every_candidate(related, order, max_postings):
    """The grouping rule stated plainly: every earlier article sharing an entity whose posting is
    small enough is scored in full; the most related one at or above ``join`` gives the story."""
    story_of, postings, group_story, out, next_id = {}, {}, {}, {}, 1
    for article in order:
        vector = related.vector(article)
        candidates = {o for e in vector if len(postings.get(e, ())) <= max_postings for o in postings.get(e, ())}
        best = None
        for other in sorted(candidates):
            score, story = related(article, other), story_of[other]
            if score >= related.rules.join and (best is None or (score, -story) > (best[0], -best[1])):
                best = (score, story)
        group = related.profiles[article].group_id
        if group in group_story:
            best = (1.0, group_story[group])
        if best is None:
            best, next_id = (0.0, next_id), next_id + 1
        story_of[article] = best[1]
        out[article] = (best[1], best[0])
        group_story.setdefault(group, best[1])
        for e in vector:
            postings.setdefault(e, []).append(article)
    return out


def test_grouping_prunes_candidates_without_changing_a_story():
    # The story stage bounds each candidate's cosine from its rare shared entities and scores
    # in full only those that can still win: the result must be that of scoring all of them,
    # also when common entities (postings above max_postings) are skipped as proposers.
    import random

    rng = random.Random(11)
    rules = StoryRules(max_postings=6)
    for _ in range(20):
        profiles = []
        for aid in range(1, 61):
            weights = {rng.randrange(1, 25): rng.randrange(1, 4) for _ in range(rng.randrange(1, 5))}
            weights[100] = 1  # named by every article: too common to propose candidates
            group = aid - 1 if aid % 17 == 0 else aid  # a few copies
            profiles.append(_profile(aid, weights, group=group, day=738000 + rng.randrange(0, 500)))
        related = Relatedness(profiles, rules)
        order = [p.article_id for p in profiles]
        assert assign_stories(order, related, {}, 1) == _stories_scoring_every_candidate(related, order, 6)


def test_importing_more_articles_keeps_the_stories_already_formed(tmp_path):
    files = fixture_files()
    db = open_db(tmp_path / "w.db")
    Pipeline(db, actor="t").import_paths(files[:8])
    before = store_stories.story_of(db)
    assert before and set(before) == {r[0] for r in db.execute("SELECT id FROM articles")}
    Pipeline(db, actor="t").import_paths(files[8:])
    after = store_stories.story_of(db)
    assert {a: after[a] for a in before} == before  # a new article joins or starts a story
    assert len(after) == db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    story = after[min(after)]
    claims = store_stories.claims_in_story(db, story)
    assert claims and all(
        db.execute("SELECT checkworthy FROM statements WHERE id = ?", [c]).fetchone()[0] for c in claims)


def test_links_say_whether_their_articles_are_in_one_story(fixtures_db):
    db = open_db(fixtures_db)
    reasons = [json.loads(r[0]) for r in db.execute("SELECT reasons FROM links WHERE NOT duplicate")]
    assert reasons and all(any(x.startswith(("same story", "different stories")) for x in r) for r in reasons)


def test_stories_command_lists_articles_shared_entities_and_span(fixtures_db):
    out = CliRunner().invoke(cli, ["stories", "--db", str(fixtures_db), "--format", "jsonl"],
                             catch_exceptions=False).output
    stories = [json.loads(line) for line in out.splitlines()]
    assert stories and sum(len(s["articles"]) for s in stories) == \
        open_db(fixtures_db).execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    biggest = stories[0]
    assert len(biggest["articles"]) >= 2 and "Tesla" in biggest["shared_entities"]
    assert biggest["first"] <= biggest["last"]
    table = CliRunner().invoke(cli, ["stories", "--db", str(fixtures_db), "--min-articles", "2"],
                               catch_exceptions=False).output
    assert f"S{biggest['story']}" in table
    csv_out = CliRunner().invoke(cli, ["stories", "--db", str(fixtures_db), "--format", "csv"],
                                 catch_exceptions=False).output
    assert csv_out.splitlines()[0].startswith("story,article,published,title")


def test_the_review_queue_can_hold_one_story(fixtures_db):
    from workbench.review.session import QueueFilter, ReviewSession
    from workbench.store.review import QueueStatus

    db = open_db(fixtures_db)
    story = store_stories.list_stories(db)[0]["story"]
    session = ReviewSession(db, "ana")
    session.set_filter(QueueFilter(status=QueueStatus.ALL, story_id=story))
    assert session.count() == len(store_stories.claims_in_story(db, story)) > 0
    assert session.count() < session.count(QueueFilter(status=QueueStatus.ALL))
