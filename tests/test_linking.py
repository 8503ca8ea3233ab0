"""Tests for workbench.linking: normalisation, scoring, relations, blocking, merging."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linking_corpus import synthetic_corpus
from workbench.linking import (
    DUPLICATE_REASON,
    Link,
    LinkConfig,
    LinkIndex,
    LinkItem,
    ScoreContext,
    brute_force,
    merge_links,
    normalise,
    score_pair,
    tokens,
)

REPO = Path(__file__).resolve().parents[1]

TESLA, CHINA, NHTSA, BYD = 1, 2, 3, 4
NAMES = {TESLA: "Tesla", CHINA: "China", NHTSA: "NHTSA", BYD: "BYD"}
# Frequencies as the store would report them: Tesla and China are everywhere.
DF = {TESLA: 300, CHINA: 300, NHTSA: 4, BYD: 40}
TOTAL = 1000


def item(
    sid: int,
    article: int,
    text: str,
    entities: set[int],
    *,
    language: str | None = "en",
    numbers: tuple = (),
    dates: tuple = (),
    published: str | None = None,
    group: int | None = None,
    claim: bool = True,
) -> LinkItem:
    ents = frozenset(entities)
    return LinkItem(
        statement_id=sid,
        article_id=article,
        group_id=article if group is None else group,
        text=text,
        is_claim=claim,
        language=language,
        entities=ents,
        dates=tuple(dates),
        numbers=tuple(numbers),
        published=published,
        entity_names=tuple(NAMES[e] for e in sorted(ents)),
    )


def day(iso: str) -> tuple[str, str]:
    return (iso, iso)


def ctx() -> ScoreContext:
    return ScoreContext(LinkConfig(), entity_df=DF, total=TOTAL)


# --- normalisation -------------------------------------------------------------


def test_normalise_folds_width_case_and_traditional_characters():
    assert normalise("ＴＥＳＬＡ　Ｍｏｄｅｌ３") == "tesla model3"
    assert normalise("全國有170萬輛特斯拉，據說") == "全国有170万辆特斯拉,据说"
    assert normalise("電動車 華為 馬斯克") == "电动车 华为 马斯克"


def test_tokens_are_cjk_bigrams_and_latin_words_with_numbers_apart():
    assert tokens("特斯拉170万辆") == ["特斯", "斯拉", "170", "万辆"]
    assert tokens("Tesla has 1.7 million cars, $8,000") == ["tesla", "1.7", "million", "cars", "8,000"]
    # A lone CJK character between non-CJK text stays a unigram.
    assert tokens("Model 3 车") == ["model", "3", "车"]
    # Traditional and simplified spellings give the same tokens.
    assert tokens("國產電動車") == tokens("国产电动车")


# --- relations -------------------------------------------------------------------


def test_traditional_and_simplified_copies_compare_as_identical_text():
    trad = item(1, 10, "全國有170萬輛特斯拉，據說", {TESLA, CHINA}, language="zh")
    simp = item(2, 20, "全国有170万辆特斯拉，据说", {TESLA, CHINA}, language="zh")
    link = score_pair(trad, simp, ctx())
    assert link is not None and link.relation == "same"
    assert "text 100% similar" in link.reasons


def test_sharing_a_rare_entity_counts_more_than_sharing_a_common_one():
    claim = item(1, 10, "Regulators looked into the crash", {TESLA, NHTSA})
    rare = item(2, 20, "A hearing was scheduled", {NHTSA})
    common = item(3, 30, "A hearing was scheduled", {TESLA})
    by_rare, by_common = score_pair(claim, rare, ctx()), score_pair(claim, common, ctx())
    assert by_rare is not None and by_common is not None
    assert by_rare.score > by_common.score




def test_near_identical_statements_are_the_same_claim():
    a = item(1, 10, "Tesla recalled 2 million cars in the United States", {TESLA, NHTSA})
    b = item(2, 20, "Tesla has recalled 2 million cars in the United States.", {TESLA, NHTSA})
    link = score_pair(a, b, ctx())
    assert link is not None
    assert link.relation == "same"
    assert link.score > 0.8
    assert any(r.startswith("text ") and r.endswith("% similar") for r in link.reasons)
    assert "shares NHTSA, Tesla" in link.reasons


def test_different_figure_for_the_same_quantity_is_a_conflict():
    a = item(1, 10, "全国有170万辆特斯拉在路上行驶", {TESLA, CHINA}, language="zh",
             numbers=((1_700_000.0, "vehicle"),))
    b = item(2, 20, "全国有150万辆特斯拉在路上行驶", {TESLA, CHINA}, language="zh",
             numbers=((1_500_000.0, "vehicle"),))
    link = score_pair(a, b, ctx())
    assert link is not None and link.relation == "conflict"
    assert "numbers conflict: 170万 vs 150万 (vehicle)" in link.reasons


def test_different_day_for_the_same_announcement_is_a_date_conflict():
    a = item(1, 10, "Tesla announced the recall on May 25", {TESLA, NHTSA},
             dates=(day("2024-05-25"),))
    b = item(2, 20, "Tesla announced the recall on May 28", {TESLA, NHTSA},
             dates=(day("2024-05-28"),))
    link = score_pair(a, b, ctx())
    assert link is not None and link.relation == "conflict"
    assert "date conflict: 2024-05-25 vs 2024-05-28" in link.reasons


def test_one_figure_agreeing_and_the_next_differing_is_a_conflict():
    en = item(1, 10, "On March 7, Geely cut the price of its flagship model from $40,000 to $30,000.",
              {BYD}, numbers=((40_000.0, "USD"), (30_000.0, "USD")), dates=(day("2024-03-07"),))
    zh = item(2, 20, "吉利于3月7日把旗舰车型的价格由4万美元降到2.6万美元。", {BYD}, language="zh",
              numbers=((40_000.0, "USD"), (26_000.0, "USD")), dates=(day("2024-03-07"),))
    link = score_pair(en, zh, ctx())
    assert link is not None and link.relation == "conflict"
    assert "numbers agree: 40,000 = 4万 (USD)" in link.reasons
    assert "numbers conflict: 30,000 vs 2.6万 (USD)" in link.reasons


def test_paraphrases_with_the_same_figure_on_different_days_are_a_date_conflict():
    a = item(1, 10, "工信部于5月26日表示，计划投入75亿元在天津新建生产基地。", {NHTSA, BYD}, language="zh",
             numbers=((7.5e9, "CNY"),), dates=(day("2024-05-26"),))
    b = item(2, 20, "5月28日，工信部宣布将在天津投资75亿元建设新工厂。", {NHTSA, BYD}, language="zh",
             numbers=((7.5e9, "CNY"),), dates=(day("2024-05-28"),))
    link = score_pair(a, b, ctx())
    assert link is not None and link.relation == "conflict"
    assert "date conflict: 2024-05-26 vs 2024-05-28" in link.reasons
    assert "numbers agree: 75亿 = 75亿 (CNY)" in link.reasons


def test_same_actors_and_day_with_a_different_point_is_related():
    a = item(1, 10, "Tesla announced a recall of the Model Y", {TESLA, NHTSA},
             dates=(day("2024-04-28"),))
    b = item(2, 20, "Regulators opened a hearing about autopilot crashes", {TESLA, NHTSA},
             dates=(day("2024-04-28"),))
    link = score_pair(a, b, ctx())
    assert link is not None and link.relation == "related"
    assert "both 2024-04-28" in link.reasons
    assert link.score >= LinkConfig().min_score


def test_two_different_numbers_of_different_things_are_not_a_conflict():
    # Same unit, different figures, but the sentences are about different
    # quantities (sales in Europe vs a recall): no evidence of one quantity.
    a = item(1, 10, "Tesla sold 500,000 cars in Europe last year", {TESLA, CHINA},
             numbers=((500_000.0, "vehicle"),))
    b = item(2, 20, "BYD recalled 200,000 cars over faulty airbags, China said", {TESLA, CHINA, BYD},
             numbers=((200_000.0, "vehicle"),))
    link = score_pair(a, b, ctx())
    assert link is not None
    assert link.relation != "conflict"
    assert "numbers differ: 500,000 vs 200,000 (vehicle)" in link.reasons


def test_cross_lingual_pair_scores_through_entities_and_numbers():
    zh = item(1, 10, "全国有170万辆特斯拉在路上行驶", {TESLA, CHINA}, language="zh",
              numbers=((1_700_000.0, "vehicle"),))
    en = item(2, 20, "Tesla has 1.7 million cars on China's roads", {TESLA, CHINA},
              numbers=((1_700_000.0, "vehicle"),))
    link = score_pair(zh, en, ctx())
    assert link is not None
    assert link.relation == "same"
    assert link.score >= 0.5
    assert "shares Tesla, China" in link.reasons or "shares China, Tesla" in link.reasons
    assert "numbers agree: 170万 = 1.7 million (vehicle)" in link.reasons
    assert "text 0% similar (zh vs en)" in link.reasons


def test_cross_lingual_report_of_the_same_actors_on_the_same_day_is_the_same():
    en = item(1, 10, "Elon Musk arrived in China on April 28 for a short visit.", {TESLA, CHINA},
              dates=(day("2024-04-28"),))
    zh = item(2, 20, "4月28日，马斯克乘坐私人飞机抵达中国，开始了一次短暂的访问。", {TESLA, CHINA},
              language="zh", dates=(day("2024-04-28"),))
    link = score_pair(en, zh, ctx())
    assert link is not None and link.relation == "same"
    assert "both 2024-04-28" in link.reasons


def test_unrelated_statements_sharing_only_a_common_entity_fall_below_min_score():
    a = item(1, 10, "Shanghai weather was rainy all week", {CHINA}, published="2024-05-01")
    b = item(2, 20, "Exports of soybeans rose sharply", {CHINA}, published="2024-05-03")
    link = score_pair(a, b, ctx())
    assert link is not None and link.score < LinkConfig().min_score


def test_incompatible_dates_are_not_candidates():
    # Two explicit dates of one precision, years apart: not the same moment.
    a = item(1, 10, "Tesla recalled cars", {TESLA, NHTSA}, dates=(day("2019-03-01"),))
    b = item(2, 20, "Tesla recalled cars", {TESLA, NHTSA}, dates=(day("2024-03-01"),))
    assert score_pair(a, b, ctx()) is None
    # Publication distance is soft evidence and never vetoes a pair on its own: an undated
    # statement published five years later still links on identical wording, and says how far.
    c = item(3, 30, "Tesla recalled cars", {TESLA, NHTSA}, published="2024-03-10")
    far = score_pair(a, c, ctx())
    assert far is not None
    assert "dates far apart: 2019-03-01 and an undated statement published 2024-03-10" in far.reasons
    near = score_pair(b, c, ctx())
    assert near is not None and near.score > far.score
    # Dates of different precision that do not overlap only differ (a day vs another year).
    e = item(5, 50, "Tesla recalled cars", {TESLA, NHTSA}, dates=(("2021-01-01", "2021-12-31"),))
    assert score_pair(a, e, ctx()) is not None
    # No date information at all is compatible.
    d = item(4, 40, "Tesla recalled cars", {TESLA, NHTSA})
    assert score_pair(a, d, ctx()) is not None


def test_statements_without_a_shared_entity_are_not_candidates():
    a = item(1, 10, "Tesla recalled cars", {TESLA})
    b = item(2, 20, "Tesla recalled cars", {BYD})
    assert score_pair(a, b, ctx()) is None


# --- duplicates and articles -------------------------------------------------------


def test_copy_from_another_feed_is_kept_but_marked_duplicate():
    a = item(1, 10, "Tesla recalled 2 million cars", {TESLA, NHTSA})
    copy = item(2, 11, "Tesla recalled 2 million cars", {TESLA, NHTSA}, group=10)
    link = score_pair(a, copy, ctx())
    assert link is not None and link.duplicate
    assert link.reasons[0] == DUPLICATE_REASON
    independent = score_pair(a, item(3, 12, "Tesla recalled 2 million cars", {TESLA, NHTSA}), ctx())
    assert independent is not None and not independent.duplicate
    assert DUPLICATE_REASON not in independent.reasons


def test_never_links_within_one_article():
    a = item(1, 10, "Tesla recalled 2 million cars", {TESLA, NHTSA})
    b = item(2, 10, "Tesla recalled 2 million cars", {TESLA, NHTSA})
    assert score_pair(a, b, ctx()) is None
    items = synthetic_corpus(600, seed=4)
    article = {i.statement_id: i.article_id for i in items}
    index = LinkIndex()
    index.add(items)
    links = index.link([i for i in items if i.is_claim])
    assert links
    assert all(article[l.claim_id] != article[l.statement_id] for l in links)
    assert all(article[l.claim_id] != article[l.statement_id] for l in brute_force(items))


# --- selection, order, determinism ---------------------------------------------------


def test_links_are_top_k_above_min_score_best_first_with_reasons():
    config = LinkConfig(top_k=3)
    items = synthetic_corpus(800, seed=5)
    index = LinkIndex(config)
    index.add(items)
    links = index.link([i for i in items if i.is_claim])
    by_claim: dict[int, list[Link]] = {}
    for link in links:
        by_claim.setdefault(link.claim_id, []).append(link)
        assert 0.0 <= link.score <= 1.0 and link.score >= config.min_score
        assert link.relation in ("same", "related", "conflict")
        assert any(r.startswith("shares ") for r in link.reasons)
        assert any(r.startswith("text ") for r in link.reasons)
    assert list(by_claim) == sorted(by_claim)
    for group in by_claim.values():
        assert len(group) <= 3
        keys = [(-l.score, l.statement_id) for l in group]
        assert keys == sorted(keys)
        assert len({l.statement_id for l in group}) == len(group)


def test_linking_does_not_depend_on_input_order():
    items = synthetic_corpus(800, seed=6)
    claims = [i for i in items if i.is_claim]
    first = LinkIndex()
    first.add(items)
    shuffled = items[:]
    random.Random(1).shuffle(shuffled)
    second = LinkIndex()
    second.add(shuffled[:300])
    second.add(shuffled[300:])
    assert first.link(claims) == second.link(list(reversed(claims)))


def test_linking_does_not_depend_on_hash_seed():
    script = (
        "import sys; sys.path[:0] = ['.', 'tests']\n"
        "from linking_corpus import synthetic_corpus\n"
        "from workbench.linking import LinkIndex\n"
        "items = synthetic_corpus(400, seed=7)\n"
        "index = LinkIndex(); index.add(items)\n"
        "for l in index.link([i for i in items if i.is_claim]):\n"
        "    print(l.claim_id, l.statement_id, l.score, l.relation, '|'.join(l.reasons))\n"
    )
    outputs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True, check=True
        )
        outputs.append(result.stdout)
    assert outputs[0] and outputs[0] == outputs[1]


# --- merge_links ---------------------------------------------------------------------


def test_merge_links_keeps_best_per_claim_without_duplicate_pairs():
    config = LinkConfig(top_k=2, min_score=0.3)
    existing = [
        Link(1, 10, 0.9, "same", ["old"]),
        Link(1, 11, 0.5, "related", ["old"]),
        Link(2, 10, 0.4, "related", ["old"]),
    ]
    new = [
        Link(1, 11, 0.6, "related", ["new"]),  # same pair, re-scored: replaces the old one
        Link(1, 12, 0.7, "same", ["new"]),
        Link(2, 13, 0.2, "related", ["new"]),  # below min_score
        Link(3, 10, 0.8, "conflict", ["new"]),
    ]
    merged = merge_links(existing, new, config)
    assert [(l.claim_id, l.statement_id, l.score) for l in merged] == [
        (1, 10, 0.9),
        (1, 12, 0.7),
        (2, 10, 0.4),
        (3, 10, 0.8),
    ]
    merged = merge_links(existing, new, LinkConfig(top_k=5, min_score=0.3))
    pairs = [(l.claim_id, l.statement_id) for l in merged]
    assert len(pairs) == len(set(pairs))
    assert next(l for l in merged if (l.claim_id, l.statement_id) == (1, 11)).reasons == ["new"]


def test_incremental_import_then_merge_matches_linking_everything_at_once():
    items = synthetic_corpus(900, seed=8)
    articles = sorted({i.article_id for i in items})
    cut = articles[len(articles) // 2]
    old = [i for i in items if i.article_id < cut]
    new = [i for i in items if i.article_id >= cut]
    # Fixed entity frequencies (as the store provides), so old scores stay valid.
    df: dict[int, int] = {}
    for i in items:
        for e in i.entities:
            df[e] = df.get(e, 0) + 1

    def make() -> LinkIndex:
        return LinkIndex(entity_df=df, total=len(items))

    everything = make()
    everything.add(items)
    expected = everything.link([i for i in items if i.is_claim])

    first = make()
    first.add(old)
    stored = first.link([i for i in old if i.is_claim])
    second = make()
    second.add(items)
    # After the import: new claims against everything, old claims against the new statements.
    fresh = second.link([i for i in new if i.is_claim])
    new_only = make()
    new_only.add(new)
    fresh += new_only.link([i for i in old if i.is_claim])
    merged = merge_links(stored, fresh, LinkConfig())
    got = {(l.claim_id, l.statement_id) for l in merged}
    want = {(l.claim_id, l.statement_id) for l in expected}
    assert len(got & want) >= 0.95 * len(want)


# --- the index against brute force -------------------------------------------------------


def test_index_finds_almost_everything_brute_force_finds():
    items = synthetic_corpus(1000, seed=9)
    config = LinkConfig()
    exact = brute_force(items, config)
    index = LinkIndex(config)
    index.add(items)
    found = index.link([i for i in items if i.is_claim])
    want = {(l.claim_id, l.statement_id): l for l in exact}
    got = {(l.claim_id, l.statement_id): l for l in found}
    assert len(want) > 200
    assert len(want.keys() & got.keys()) >= 0.95 * len(want)
    # Same scorer: a link both find carries the same score, relation and reasons.
    for pair in want.keys() & got.keys():
        assert want[pair] == got[pair]


# --- properties ----------------------------------------------------------------------------

_texts = st.text(alphabet="特斯拉国车辆万在有 teslacarhsmion0123456789.,", max_size=30)
_days = st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 3, 31))


@st.composite
def link_items(draw, article: int) -> LinkItem:
    dates = draw(st.lists(st.tuples(_days, st.integers(0, 40)), max_size=2))
    published = draw(st.none() | _days)
    return LinkItem(
        statement_id=article,
        article_id=article,
        group_id=draw(st.sampled_from([article, 0])),
        text=draw(_texts),
        is_claim=True,
        language=draw(st.sampled_from(["zh", "en", "mixed", None])),
        entities=frozenset(draw(st.sets(st.integers(1, 5), min_size=1, max_size=4))),
        dates=tuple((d.isoformat(), d.fromordinal(d.toordinal() + n).isoformat()) for d, n in dates),
        numbers=tuple(
            draw(
                st.lists(
                    st.tuples(
                        st.sampled_from([0.0, 1.0, 30.0, 30.2, 45.0, 1.5e6, 1.7e6, -3.0]),
                        st.sampled_from(["vehicle", "%", "USD", None]),
                    ),
                    max_size=3,
                )
            )
        ),
        published=None if published is None else published.isoformat(),
    )


@settings(max_examples=150, deadline=None)
@given(link_items(1), link_items(2), st.dictionaries(st.integers(1, 5), st.integers(1, 50)))
def test_scores_are_in_range_and_symmetric(a, b, df):
    context = ScoreContext(LinkConfig(), entity_df=df, total=60)
    forward, backward = score_pair(a, b, context), score_pair(b, a, context)
    assert (forward is None) == (backward is None)
    if forward is None:
        return
    assert 0.0 <= forward.score <= 1.0
    assert forward.score == backward.score
    assert forward.relation == backward.relation
    assert forward.duplicate == backward.duplicate
    assert forward.reasons


def test_linking_core_does_not_import_the_terminal():
    code = (
        "import sys; import workbench.linking; "
        "sys.exit(1 if {'textual', 'rich'} & set(sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO).returncode == 0


@pytest.mark.parametrize("value,unit,language,expected", [
    (1_700_000.0, "vehicle", "zh", "170万"),
    (1_700_000.0, "vehicle", "en", "1.7 million"),
    (8000.0, "USD", "en", "8,000"),
    (30.0, "%", "zh", "30%"),
    (2.5e8, "CNY", "zh", "2.5亿"),
])
def test_numbers_are_phrased_as_each_side_writes_them(value, unit, language, expected):
    from workbench.linking.quantities import format_number

    assert format_number(value, unit, language) == expected


# --- stories, entity kinds and the relation table ---------------------------------------

TERM = 9  # an auto-discovered term (制造商)
NAMES[TERM] = "制造商"


def story_ctx(story_of: dict[int, int], related: float, kinds=None) -> ScoreContext:
    from workbench.linking import EntityKinds, StoryView

    return ScoreContext(LinkConfig(), entity_df={**DF, TERM: 2}, total=TOTAL,
                        kinds=kinds or EntityKinds(terms=frozenset({TERM})),
                        stories=StoryView(story_of, lambda x, y: related))


def test_a_conflict_needs_both_statements_in_one_event():
    a = item(1, 10, "全国有170万辆特斯拉在路上行驶", {TESLA, CHINA}, language="zh", numbers=((1_700_000.0, "vehicle"),))
    b = item(2, 20, "全国有150万辆特斯拉在路上行驶", {TESLA, CHINA}, language="zh", numbers=((1_500_000.0, "vehicle"),))
    inside = score_pair(a, b, story_ctx({10: 1, 20: 1}, 0.6))
    assert inside.relation == "conflict" and any(r.startswith("same story (S1") for r in inside.reasons)
    # the same two figures in articles of different stories are not flagged as a conflict
    outside = score_pair(a, b, story_ctx({10: 1, 20: 2}, 0.05))
    assert outside is not None and outside.relation != "conflict"
    assert any(r.startswith("different stories") for r in outside.reasons)


def test_outside_a_story_shared_actors_alone_do_not_link_but_identical_wording_does():
    a = item(1, 10, "Tesla and NHTSA met to talk about the new rules", {TESLA, NHTSA}, published="2024-03-01")
    b = item(2, 20, "NHTSA officials later spoke about Tesla at a hearing in Congress", {TESLA, NHTSA},
             published="2024-03-05")
    assert score_pair(a, b, story_ctx({10: 1, 20: 1}, 0.6)) is not None  # one event: related
    assert score_pair(a, b, story_ctx({10: 1, 20: 2}, 0.05)) is None
    c = item(3, 30, "Tesla and NHTSA met to talk about the new rules", {TESLA, NHTSA}, published="2024-03-02")
    assert score_pair(a, c, story_ctx({10: 1, 30: 2}, 0.05)).relation == "same"


def test_a_discovered_term_never_links_a_pair_alone_and_weighs_little():
    a = item(1, 10, "制造商表示将继续扩大产能", {TERM}, language="zh")
    b = item(2, 20, "这家制造商的产能不足", {TERM}, language="zh")
    assert score_pair(a, b, story_ctx({10: 1, 20: 1}, 0.6)) is None
    context = story_ctx({}, 0.0)
    context.observe([])
    assert context.idf(TERM) < 0.5 * context.idf(NHTSA)


def test_words_few_articles_share_link_two_reports_whose_entities_say_little():
    from workbench.linking import EntityKinds, StoryView

    a = item(1, 10, "In 2018 Apple engineer Walter Huang died when his Model X hit a concrete barrier on Highway 101",
             {TESLA}, dates=(("2018-01-01", "2018-12-31"),))
    b = item(2, 20, "Walter Huang, an Apple engineer, was killed in 2018 when the Model X steered into a barrier",
             {TESLA}, dates=(("2018-01-01", "2018-12-31"),))
    filler = [item(10 + i, 100 + i, f"Tesla sold more cars in quarter {i} than analysts expected", {TESLA},
                   published="2021-01-01") for i in range(30)]
    stories = StoryView({10: 1, 20: 2, **{100 + i: 3 for i in range(30)}}, lambda x, y: 0.1)
    index = LinkIndex(LinkConfig(), entity_df=DF, total=TOTAL, kinds=EntityKinds(), stories=stories)
    index.add([a, b, *filler])
    links = [link for link in index.link([a]) if link.statement_id == 2]
    assert links and links[0].relation == "related"
    assert any(r.startswith("shares rare words: ") and "walter" in r for r in links[0].reasons)
    # without the rare words (another crash), the same single shared entity is no link across stories
    c = item(3, 30, "A Model S crashed into a truck in Florida in 2018, killing its driver", {TESLA},
             dates=(("2018-01-01", "2018-12-31"),))
    index.add([c])
    assert not [link for link in index.link([a]) if link.statement_id == 3]


def test_an_actor_and_a_word_both_articles_are_about_link_two_reports_of_one_story():
    # Two posts on Tesla brakes, one story but only 32% related by their entities: the statements
    # share only the ubiquitous Tesla, and 刹车 -- among both articles' most characteristic words
    # -- says what both report. Without the word, or outside the story, no link.
    from workbench.linking import EntityKinds, StoryView

    a = item(1, 10, "从视频的画面看，不免让人对特斯拉的刹车心存疑虑", {TESLA}, language="zh", published="2021-04-21")
    a2 = item(2, 10, "车主称特斯拉刹车僵硬踩不动", {TESLA}, language="zh", published="2021-04-21")
    b = item(3, 20, "关于中国频繁发生的特斯拉刹车问题猜想", {TESLA}, language="zh", published="2021-05-20")
    b2 = item(4, 20, "特斯拉海外将针对刹车问题召回部分车辆", {TESLA}, language="zh", published="2021-05-20")
    b3 = item(5, 20, "特斯拉的股价今天收盘上涨", {TESLA}, language="zh", published="2021-05-20")
    c = item(6, 30, "特斯拉刹车问题再次引发关注", {TESLA}, language="zh", published="2021-05-01")
    c2 = item(7, 30, "网友讨论刹车的设计", {TESLA}, language="zh", published="2021-05-01")
    filler = [item(100 + i, 100 + i, f"特斯拉第{i}季度的销量继续增长，交付创下新高", {TESLA}, language="zh",
                   published="2021-05-01") for i in range(12)]
    stories = StoryView({10: 1, 20: 1, 30: 2, **{100 + i: 3 for i in range(12)}},
                        lambda x, y: 0.32 if {x, y} == {10, 20} else 0.1)
    index = LinkIndex(LinkConfig(), entity_df=DF, total=TOTAL, kinds=EntityKinds(), stories=stories)
    index.add([a, a2, b, b2, b3, c, c2, *filler])
    links = {link.statement_id: link for link in index.link([a])}
    assert 3 in links and links[3].relation == "related"
    assert "both articles are about: 刹车" in links[3].reasons
    assert 5 not in links  # the same actor, not the subject
    assert 6 not in links and 7 not in links  # the subject, in another story


def test_an_event_both_articles_recount_from_the_past_links_across_stories():
    # Walter Huang's 2018 crash, recalled in passing in two features published years later: one
    # informative actor, 2018 on both sides, a rare word that is no name. The same statements
    # dated at their publication, or naming only the ubiquitous Tesla, stay unlinked.
    from workbench.linking import EntityKinds, StoryView

    def post(sid, article, text, entities, year):
        return item(sid, article, text, entities, dates=((f"{year}-01-01", f"{year}-12-31"),),
                    published="2021-05-28" if article == 10 else "2022-02-06")

    a = post(1, 10, "In 2018 an Apple engineer died when the NHTSA-listed car hit a concrete barrier", {NHTSA, TESLA}, 2018)
    b = post(2, 20, "Readers may remember the 2018 crash on Highway 101 into a concrete barrier", {NHTSA}, 2018)
    filler = [item(10 + i, 100 + i, f"Tesla sold more cars in quarter {i} than analysts expected", {TESLA},
                   published="2021-01-01") for i in range(30)]
    stories = StoryView({10: 1, 20: 2, **{100 + i: 3 for i in range(30)}}, lambda x, y: 0.1)

    def linked(x, y):
        index = LinkIndex(LinkConfig(), entity_df=DF, total=TOTAL, kinds=EntityKinds(), stories=stories)
        index.add([x, y, *filler])
        return [link for link in index.link([x]) if link.statement_id == y.statement_id]

    found = linked(a, b)
    assert found and found[0].relation == "related"
    assert "both recount one past moment, long before either was published" in found[0].reasons
    assert not linked(post(1, 10, a.text, a.entities, 2021), post(2, 20, b.text, b.entities, 2021))
    assert not linked(post(1, 10, a.text, {TESLA}, 2018), post(2, 20, b.text, {TESLA}, 2018))
    # what links across stories links inside one too (two weakly related articles of one story)
    stories = StoryView({10: 1, 20: 1, **{100 + i: 3 for i in range(30)}}, lambda x, y: 0.1)
    assert linked(a, b)


def test_words_are_not_rare_just_because_few_articles_were_read():
    # An incremental import reads only the statements sharing an entity with the new article: in
    # a handful of articles every word is "rare". Rarity is judged as if over at least
    # ``rare_articles`` articles, so a word two of 8 articles use is no rare word, one of 60 is.
    from workbench.linking.scoring import rare_words

    context = ctx()
    a = context.features(item(1, 10, "adaptive cruise control engaged", {TESLA}))
    b = context.features(item(2, 20, "cruise control was on", {TESLA}))
    for total, rare in ((8, False), (60, True)):
        context.word_df = {code: 2 for code in set(a.context_key) | set(b.context_key)}
        context.word_total = total
        assert bool(rare_words(a, b, context)[1]) is rare
