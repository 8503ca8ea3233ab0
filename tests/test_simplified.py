"""Traditional -> simplified from OpenCC's table, one character to one, shared by search, gazetteer and linker."""

from __future__ import annotations

import json
from importlib import resources

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.claims.entities import EntityMatcher
from workbench.linking.normalise import normalise, tokens
from workbench.simplified import table, to_simplified
from workbench.store.db import open_db
from workbench.store.entities import all_aliases
from workbench.store.search import index_text, match_expression

MISSED_BY_THE_OLD_TABLE = "備設達規劃預創興協遠歸屬邊觀雖範雙"


def test_the_characters_the_hand_table_missed_are_folded():
    assert to_simplified(MISSED_BY_THE_OLD_TABLE) == "备设达规划预创兴协远归属边观虽范双"
    assert len(table()) > 4000


@given(st.text(alphabet=st.characters(min_codepoint=0x3400, max_codepoint=0x9FFF), max_size=200))
@settings(max_examples=200, deadline=None)
def test_folding_keeps_the_length_so_spans_survive(text):
    assert len(to_simplified(text)) == len(text)


def test_the_gazetteer_lists_no_traditional_alias_by_hand():
    entries = json.loads(resources.files("workbench.claims").joinpath("gazetteer.json").read_text(encoding="utf-8"))
    for entry in entries:
        folded = [to_simplified(a) for a in entry.get("aliases", [])]
        assert len(folded) == len(set(folded)), entry["key"]


def test_a_traditional_spelling_finds_the_simplified_alias_with_its_own_span():
    matcher = EntityMatcher(all_aliases(open_db(":memory:")))
    text = "據報導，比亞迪與蔚來汽車在臺灣設立研發中心。"
    found = {(m.surface, m.start, m.end) for m in matcher.find(text)}
    assert ("比亞迪", 4, 7) in found and ("蔚來汽車", 8, 12) in found and ("臺灣", 13, 15) in found
    for surface, start, end in found:
        assert text[start:end] == surface


def test_the_linker_and_search_fold_alike():
    assert normalise("雙方協議") == normalise("双方协议")
    assert tokens("規劃預算") == tokens("规划预算")
    assert index_text("特斯拉規劃") == index_text("特斯拉规划")
    assert match_expression("規劃") == match_expression("规划")
