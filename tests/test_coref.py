"""Light coreference: "the company", 该公司, 其 resolve to the organisation they stand for, or to nothing."""

from __future__ import annotations

from workbench.claims.coref import find_anaphors, main_organisation, resolve, resolutions_in
from workbench.claims.entities import EntityMatcher
from workbench.claims.segment import segment

TESLA, NIO, REUTERS, WEIBO, APPLE = 1, 2, 3, 4, 5
ORGS = frozenset({TESLA, NIO, REUTERS, APPLE})  # Weibo is a product
MATCHER = EntityMatcher([("Tesla", TESLA), ("特斯拉", TESLA), ("NIO", NIO), ("蔚来", NIO), ("Reuters", REUTERS),
                         ("路透社", REUTERS), ("Weibo", WEIBO), ("Apple", APPLE), ("苹果", APPLE)])


def _resolve(text: str):
    spans = [(s.start, s.end) for s in segment(text)]
    return resolve(text, spans, MATCHER.find(text), ORGS)


def test_the_company_in_the_next_sentence_is_the_company_named_before():
    text = ("Tesla has established a data center in China, the company said last week.\n\n"
            "A May 25 post on the Weibo social media site said that the data center has already been built "
            "and the company plans on expanding its data network in China.")
    found = _resolve(text)
    assert [(text[r.start:r.end], r.entity_id) for r in found] == [("the company", TESLA), ("the company", TESLA)]
    assert found[0].reason == "the company = Tesla, from this sentence"
    # Weibo (a product) is no antecedent: the organisation comes from the previous sentence.
    assert found[1].reason == "the company = Tesla, from the previous sentence"
    assert found[1].antecedent == "Tesla"


def test_a_chinese_anaphor_resolves_and_says_where_from():
    text = "特斯拉已在中国建立数据中心。该公司表示，所有数据都将存储在国内。"
    (found,) = _resolve(text)
    assert text[found.start:found.end] == "该公司" and found.entity_id == TESLA
    assert found.reason == "该公司 = 特斯拉, from the previous sentence"


def test_bare_gong_si_and_qi_count_only_at_a_statement_start():
    text = "蔚来发布了新车。公司表示将在明年交付。其CEO李斌出席了发布会。其中一位高管没有出席。该车有限公司的说法不一。"
    found = _resolve(text)
    assert [text[r.start:r.end] for r in found] == ["公司", "其"]
    assert {r.entity_id for r in found} == {NIO}
    spans = [(s.start, s.end) for s in segment(text)]
    # 其中 (among them) and 有限公司 inside a sentence are words, not anaphors
    assert [text[s:e] for s, e in find_anaphors(text, spans)] == ["公司", "其"]


def test_two_organisations_nearby_and_no_main_one_is_left_unresolved():
    text = "Tesla and NIO both opened stores in Oslo. The company said sales were strong."
    assert _resolve(text) == []


def test_the_main_organisation_breaks_a_tie_between_nearby_ones():
    text = ("Tesla opened a data center. Tesla said data stays in China. Tesla owners can ask about their cars.\n\n"
            "Reuters and Tesla were both quoted. The company said the center is finished.")
    found = _resolve(text)
    assert [(r.entity_id, r.reason) for r in found] == [
        (TESLA, "the company = Tesla, the article's main organisation (named in the previous sentence)")]


def test_far_from_any_name_only_a_main_organisation_is_used():
    text = ("特斯拉发布了财报。特斯拉的股价上涨。\n\n天气很好。街上人很多。\n\n该公司的股价小幅上涨。")
    (found,) = _resolve(text)
    assert found.entity_id == TESLA and found.reason == "该公司 = 特斯拉, the article's main organisation"
    # the same far anaphor in an article about two companies equally is not guessed
    text2 = "特斯拉发布了财报。蔚来发布了财报。\n\n天气很好。街上人很多。\n\n该公司的股价小幅上涨。"
    assert _resolve(text2) == []


def test_a_company_that_introduces_someone_new_is_not_an_anaphor():
    text = "Tesla sued a supplier. The company that made the chips denied it. The firm of lawyers declined."
    assert _resolve(text) == []


def test_main_organisation_needs_to_dominate():
    from workbench.model import EntityMention as M

    def mentions(*ids):
        return [M(i, "x", k, k + 1) for k, i in enumerate(ids)]

    assert main_organisation(mentions(TESLA, TESLA, NIO), ORGS) == TESLA
    assert main_organisation(mentions(TESLA, TESLA, NIO, NIO), ORGS) is None
    assert main_organisation(mentions(TESLA), ORGS) is None  # one mention dominates nothing
    assert main_organisation(mentions(WEIBO, WEIBO, WEIBO), ORGS) is None  # not an organisation


def test_resolutions_in_a_statement_span_and_as_mentions():
    text = "Tesla opened a store. The company said it was busy."
    found = _resolve(text)
    second = segment(text)[1]
    (inside,) = resolutions_in(found, second.start, second.end)
    mention = inside.as_mention()
    assert (mention.entity_id, mention.surface, mention.reason) == (TESLA, "The company", inside.reason)
    assert inside.reason == "the company = Tesla, from the previous sentence"
    assert resolutions_in(found, 0, second.start) == []


def test_an_import_stores_the_resolved_mention_with_its_reason_and_reprocess_keeps_it(tmp_path):
    from workbench.pipeline import Pipeline
    from workbench.store.db import open_db
    from workbench.store.links import link_items

    article = tmp_path / "tesla_dc.txt"
    article.write_text(
        "Tesla opens China data centre\n\n"
        "Tesla has established a data center in Shanghai, the company said on May 25, 2021.\n\n"
        "A post on Weibo said that the data center has already been built and the company plans to expand it.\n",
        encoding="utf-8")
    db = open_db(tmp_path / "wb.db")
    pipeline = Pipeline(db, actor="tester")
    pipeline.import_paths([article])

    def inferred():
        return [tuple(r) for r in db.execute(
            "SELECT m.surface, e.name, m.reason, s.text LIKE 'A post on Weibo%' FROM mentions m "
            "JOIN entities e ON e.id = m.entity_id JOIN statements s ON s.id = m.statement_id "
            "WHERE m.reason IS NOT NULL ORDER BY m.span_start")]

    assert inferred() == [
        ("the company", "Tesla", "the company = Tesla, from this sentence", 0),
        ("the company", "Tesla", "the company = Tesla, from the previous sentence", 1),
    ]
    # the statement that names no one now mentions Tesla, and a link reason says how
    (weibo,) = [i for i in link_items(db) if i.text.startswith("A post on Weibo")]
    tesla = db.execute("SELECT id FROM entities WHERE key = 'tesla'").fetchone()[0]
    assert tesla in weibo.entities
    assert "Tesla (the company = Tesla, from the previous sentence)" in weibo.entity_names
    pipeline.reprocess()
    assert len(inferred()) == 2
    # a new alias re-finds named mentions only; the inferred ones stay
    pipeline.apply_new_aliases(["Weibo"])
    assert len(inferred()) == 2
