"""Cross-language word evidence (workbench.linking.bilingual): CC-CEDICT glosses, and the links they make."""

from __future__ import annotations

import json

import pytest

from workbench.linking import LinkConfig, LinkIndex, LinkItem, brute_force
from workbench.linking import bilingual
from workbench.linking.records import LinkRules

TESLA, BYD = 1, 2
NAMES = {TESLA: "Tesla", BYD: "BYD"}
DF = {TESLA: 300, BYD: 40}
TOTAL = 1000
DAY = "2024-04-29T08:00:00"


def item(sid: int, article: int, text: str, language: str, entities=(TESLA,), published: str = DAY) -> LinkItem:
    ents = frozenset(entities)
    return LinkItem(statement_id=sid, article_id=article, group_id=article, text=text, is_claim=True,
                    language=language, entities=ents, dates=(), numbers=(), published=published,
                    entity_names=tuple(NAMES[e] for e in sorted(ents)))


def test_stems_meet_across_inflections_and_spellings():
    assert bilingual.stem("stored") == bilingual.stem("store") == bilingual.stem("storing")
    assert bilingual.stem("brands") == bilingual.stem("brand")
    assert bilingual.stem("centre") == bilingual.stem("center")
    assert bilingual.stem("companies") == bilingual.stem("company")
    assert bilingual.stem("built") == bilingual.stem("build")
    assert bilingual.stem("only") == "only"


def test_parse_merges_entries_and_drops_pointers_classifiers_surnames_and_proper_nouns():
    lines = [
        "# a comment line",
        "測試 测试 [ce4 shi4] /to test (machinery etc)/CL:個|个[ge4]/",
        "測試 测试 [ce4 shi4] /variant of 考试[kao3 shi4]/examination/",
        "上海 上海 [Shang4 hai3] /Shanghai municipality/",
        "王 王 [wang2] /king/surname Wang/",
        "名單 名单 [ming2 dan1] /list of names/",
    ]
    parsed = bilingual.parse(lines)
    entries = parsed.entries
    # both entries merged; no parenthesised note, no cross-reference, no classifier
    assert parsed.stems_of("测试") == frozenset({"test", "examination"})
    assert "上海" not in entries  # capitalised pinyin: a name, the entity matcher's job
    assert "王" not in entries  # one character: too ambiguous to gloss
    assert parsed.stems_of("名单") == frozenset({"list", "name"})
    assert parsed.segment("名单测试") == ["名单", "测试"]


def test_only_the_first_senses_of_an_entry_are_glossed():
    line = "符合 符合 [fu2 he2] /to fit/to match/to agree/to tally/to accord/to conform/to correspond/to handle/"
    stems = bilingual.parse([line]).stems_of("符合")
    assert {"fit", "match", "conform"} <= stems and "handl" not in stems and "correspond" not in stems


def test_gloss_cuts_by_longest_match_and_leaves_names_and_single_characters_out():
    glossed = dict(bilingual.gloss("特斯拉是名单中唯一的外资车企"))
    assert {"名单", "唯一", "外资"} <= glossed.keys()
    assert "only" in glossed["唯一"] and "foreign" in glossed["外资"] and "list" in glossed["名单"]
    assert not {"是", "中", "的"} & glossed.keys()
    # traditional characters are folded to simplified first (名單 -> 名单)
    assert "名单" in dict(bilingual.gloss("特斯拉是名單中唯一的外資車企"))
    # proper nouns are not glossed (上海 is entity evidence, not a word)
    assert "上海" not in dict(bilingual.gloss("上海的数据中心"))


def test_matches_use_each_word_once_and_skip_entity_name_words():
    zh = bilingual.gloss("名单中唯一的外资车企也在名单之中")
    en = bilingual.english_words("the only foreign carmaker on the list")
    found = bilingual.matches(zh, en)
    assert [(e, z) for e, z, _ in found] == [("list", "名单"), ("only", "唯一"), ("foreign", "外资")]
    assert bilingual.matches(zh, en, exclude=frozenset({"list"})) == [("only", "唯一", "only"),
                                                                      ("foreign", "外资", "foreign")]


def _collection() -> list[LinkItem]:
    """Eight articles that all speak of cars (汽车 / car): a common word on both sides."""
    items = [
        item(1, 1, "特斯拉是名单中唯一的外资车企。", "zh"),
        item(2, 2, "Tesla is the only foreign carmaker on the list.", "en"),
        item(3, 3, "特斯拉的汽车很受欢迎。", "zh"),
        item(4, 4, "Tesla sells a car to everyone who asks.", "en"),
    ]
    fillers_zh = ["汽车市场竞争激烈。", "汽车行业正在变化。"]
    fillers_en = ["The car market is crowded.", "Every car maker is changing."]
    for n, text in enumerate(fillers_zh):
        items.append(item(10 + n, 5 + n, text, "zh", entities=()))
    for n, text in enumerate(fillers_en):
        items.append(item(20 + n, 7 + n, text, "en", entities=()))
    items += [item(30, 3, "汽车", "zh", entities=()), item(31, 1, "汽车的", "zh", entities=()),
              item(32, 4, "one car", "en", entities=()), item(33, 2, "a car", "en", entities=())]
    return items


def _link(links, a: int, b: int):
    found = [lk for lk in links if {lk.claim_id, lk.statement_id} == {a, b}]
    return found[0] if found else None


def test_a_chinese_and_an_english_statement_sharing_rare_glosses_link_as_same_with_the_words_shown():
    links = brute_force(_collection(), entity_df=DF, total=TOTAL)
    link = _link(links, 1, 2)
    assert link is not None and link.relation == "same"
    reason = next(r for r in link.reasons if r.startswith("bilingual words:"))
    assert "only = 唯一" in reason and "list = 名单" in reason and "foreign = 外资" in reason
    # the evidence is what links them: without it the pair shares only a common entity
    rules = LinkRules(bilingual_words=99.0, bilingual_same=99.0)
    assert _link(brute_force(_collection(), LinkConfig(rules=rules), entity_df=DF, total=TOTAL), 1, 2) is None


def test_an_undated_report_published_the_day_after_a_dated_statement_is_the_same_day():
    items = _collection()
    items[0] = LinkItem(**{**items[0].__dict__, "dates": (("2024-04-28", "2024-04-28"),)})
    items[1] = LinkItem(**{**items[1].__dict__, "published": "2024-04-29T09:00:00"})
    link = _link(brute_force(items, entity_df=DF, total=TOTAL), 1, 2)
    assert link is not None and link.relation == "same"
    # a week later it is not "the same day": the words still add to the score, the relation is related
    items[1] = LinkItem(**{**items[1].__dict__, "published": "2024-05-06T09:00:00"})
    link = _link(brute_force(items, entity_df=DF, total=TOTAL), 1, 2)
    assert link is None or link.relation == "related"


def test_a_pair_sharing_only_a_common_word_gets_no_bilingual_evidence():
    links = brute_force(_collection(), entity_df=DF, total=TOTAL)
    link = _link(links, 3, 4)  # 汽车 / car, in every article
    assert link is None or (link.relation != "same" and not any("bilingual" in r for r in link.reasons))


def test_the_index_finds_a_cross_language_paraphrase_among_many_statements_of_a_common_entity():
    items = _collection()
    # forty English statements about Tesla on the same day crowd the entity's candidates
    items += [item(100 + n, 100 + n, f"Tesla statement number {n} about deliveries and stock.", "en")
              for n in range(40)]
    config = LinkConfig(max_candidates=10)
    index = LinkIndex(config, entity_df=DF, total=TOTAL)
    index.add(items)
    assert 2 in [c.statement_id for c in index.candidates(items[0])]
    assert _link(index.link([items[0]]), 1, 2).relation == "same"


def test_the_parsed_dictionary_is_cached_as_json_keyed_by_package_version(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path))
    path = bilingual._cache_path()
    assert path is not None and path.parent == tmp_path and "cedict-" in path.name
    bilingual.dictionary.cache_clear()
    try:
        parsed = bilingual.dictionary()
        stored = json.loads(path.read_text(encoding="utf-8"))
        assert set(stored["entries"]["唯一"].split()) == parsed.stems_of("唯一") == {"only", "sole"}
        bilingual.dictionary.cache_clear()
        assert bilingual.dictionary().entries == parsed.entries  # read back from the cache
        path.write_text("{not json", encoding="utf-8")  # a broken cache is parsed again, not trusted
        bilingual.dictionary.cache_clear()
        assert bilingual.dictionary().entries == parsed.entries
    finally:
        bilingual.dictionary.cache_clear()
