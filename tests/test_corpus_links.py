"""Link quality on the real posts of ../shared, measured against our own labels (tests/data/events.json).

Imports the five seeds and the hexo/en posts into a real database with the real pipeline, prints
the figures issue 11 asks for (link precision, post coverage, conflict precision, story purity,
the seeds' labelled fact pairs and every link between seeds) and asserts them. The asserted
floors only ever rise: each is what the linker measurably reaches (see docs/notes of issue 11).
"""

from __future__ import annotations

import pytest

from tests.helpers import link_quality as lq

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    if not lq.SHARED.is_dir():
        pytest.fail(f"{lq.SHARED} is missing: corpus tests need ../shared beside the checkout")
    db, result = lq.build(tmp_path_factory.mktemp("corpus") / "corpus.db")
    assert not result.refused, result.refused
    return db, lq.paths_by_article(db, result)


def test_every_post_is_labelled():
    labels = lq.load_events()
    assert sorted(labels["posts"]) == sorted(lq.label_key(p) for p in lq.corpus_paths())
    for post in labels["posts"].values():
        assert post["events"] and set(post["events"]) <= set(labels["events"])
        assert post["story"] in labels["stories"]


def test_links_on_the_real_posts_against_the_labels(corpus_db):
    db, path_of = corpus_db
    m = lq.measure(db, path_of)
    print()
    print(lq.report(m, lq.seed_fact_table(db), lq.seed_links(db), lq.short_names(path_of)))
    # Floors measured on this linker; the targets of issue 11 are 0.90 precision, 0.85 coverage,
    # 0.8 conflict precision with at least one conflict.
    assert m.pairs > 0
    # before (main at 6e8184d, the same labels): precision 0.570, story level 0.620, article pairs
    # 28 of 94 sharing an event, coverage 18/28, conflicts 0 of 2 right
    assert m.precision >= 0.95
    assert m.story_precision >= 0.98
    # 35 for an hour of issue 11 (C): two of those article pairs were linked only because words were
    # judged rare among the 8 articles of the last import chunk's second pass (功能, 控制); rarity is
    # now counted over what the first pass read and over at least 20 articles (rare_articles)
    assert m.article_pairs_ok >= 33 and m.article_pairs_ok / m.article_pairs >= 0.82
    # coverage 20/28 before the articles' subject words and events recalled from the past (issue 11, C)
    assert m.coverage >= 0.85 and m.posts_covered >= 24
    assert m.story_purity is not None and m.story_purity >= 0.93
    # Conflicts only within one event: the two flagged before (two CAC drafts months apart, Q1
    # 2021 deliveries vs 2020 China sales) were both false; none may be false now.
    assert not m.false_conflicts
    # Seeds: the 2021 Shanghai data centre, recalled in 000, is linked to 001's report of it.
    table = lq.seed_fact_table(db)
    assert sum(1 for row in table if row["linked"]) >= 1


def test_links_when_the_posts_are_imported_one_at_a_time(tmp_path):
    # The usual way in: one `workbench import` per article, each linked as it arrives (stories
    # joined or started one at a time, rarity counted over what is stored so far). At the start of
    # issue 11's last session this gave precision 0.861 against 0.946 for the same posts at once.
    from workbench.pipeline import Pipeline
    from workbench.store.db import open_db

    db = open_db(tmp_path / "one-by-one.db")
    pipeline = Pipeline(db, actor="corpus-test")
    already = []
    for path in lq.corpus_paths():
        result = pipeline.import_paths([path])
        assert not result.refused, result.refused
        already += result.already

    class _Report:  # what paths_by_article reads of an import report
        pass

    report = _Report()
    report.already = already
    path_of = lq.paths_by_article(db, report)
    m = lq.measure(db, path_of)
    print()
    print(lq.report(m, lq.seed_fact_table(db), lq.seed_links(db), lq.short_names(path_of)))
    assert m.precision >= 0.90
    assert m.coverage >= 0.85 and m.posts_covered >= 24
    assert not m.false_conflicts
