"""Entities that know their family: gazetteer part_of / related relations, loaded over a database's ids."""

from __future__ import annotations

import pytest

from workbench.claims.entities import EntityFamily, gazetteer_relations, load_gazetteer
from workbench.store.db import open_db
from workbench.store.entities import entity_family


def test_the_shipped_relations_name_existing_entities():
    keys = {e["key"] for e in load_gazetteer()}
    relations = gazetteer_relations()
    assert ("huawei-cloud", "part_of", "huawei") in relations
    assert ("alibaba-cloud", "part_of", "alibaba") in relations
    assert ("tencent-cloud", "part_of", "tencent") in relations
    for product in ("model-y", "model-3", "model-s", "cybertruck", "autopilot", "fsd"):
        assert (product, "part_of", "tesla") in relations
    assert ("fsd", "related", "autopilot") in relations
    assert all(a in keys and b in keys for a, _r, b in relations)


def test_a_relation_to_an_unknown_key_is_refused():
    with pytest.raises(ValueError, match="bad entity relation"):
        EntityFamily([(1, "cousin_of", 2)])


def test_the_family_over_a_database(tmp_path):
    db = open_db(tmp_path / "w.db")
    ids = {key: i for i, key in db.execute("SELECT id, key FROM entities")}
    family = entity_family(db)
    tesla, model_y, model_3, fsd, autopilot = (ids[k] for k in ("tesla", "model-y", "model-3", "fsd", "autopilot"))
    assert {model_y, model_3, fsd, autopilot} <= family.family(tesla)
    assert family.family(model_y) == {tesla}  # siblings are not family
    assert family.relation(model_y, tesla) == "part_of"
    assert family.relation(tesla, model_y) == "has_part"
    assert family.relation(fsd, autopilot) == family.relation(autopilot, fsd) == "related"
    assert family.relation(model_y, model_3) is None
    # across two statements: Model Y on one side, Tesla on the other; a shared entity is not family evidence
    assert family.shared({model_y, ids["china"]}, {tesla, ids["china"]}) == [(model_y, tesla, "part_of")]
    assert family.shared({tesla, model_y}, {tesla}) == []  # Tesla is shared already: no extra evidence
    assert family.shared({ids["huawei-cloud"]}, {ids["huawei"]}) == [(ids["huawei-cloud"], ids["huawei"], "part_of")]


def _item(sid, article, text, entities, names):
    from workbench.linking import LinkItem

    ents = frozenset(entities)
    return LinkItem(statement_id=sid, article_id=article, group_id=article, text=text, is_claim=True, language="en",
                    entities=ents, dates=(("2021-05-25", "2021-05-25"),), numbers=(), published="2021-05-26",
                    entity_names=tuple(names[e] for e in sorted(ents)))


def test_a_part_and_its_whole_are_weaker_shared_evidence_with_a_reason():
    from workbench.claims.entities import EntityFamily
    from workbench.linking import EntityKinds, ScoreContext, score_pair

    TESLA, MODEL_Y, CHINA, RECALL, NIO = 1, 2, 3, 4, 5
    names = {TESLA: "Tesla", MODEL_Y: "Model Y", CHINA: "China", RECALL: "recall", NIO: "NIO"}
    family = EntityFamily([(MODEL_Y, "part_of", TESLA)]).as_map()
    claim = _item(10, 1, "Model Y owners in China report a recall on May 25.", {MODEL_Y, CHINA, RECALL}, names)
    other = _item(20, 2, "Tesla starts a recall in China on May 25.", {TESLA, CHINA, RECALL}, names)
    unrelated = _item(30, 3, "NIO starts a recall in China on May 25.", {NIO, CHINA, RECALL}, names)
    kinds = dict(topics=frozenset({RECALL}), places=frozenset({CHINA}))

    def score(a, b, fam):
        ctx = ScoreContext(entity_df={e: 3 for e in names}, total=1000, kinds=EntityKinds(**kinds, family=fam))
        return score_pair(a, b, ctx)

    with_family = score(claim, other, family)
    without = score(claim, other, {})
    assert with_family is not None
    assert "family: Model Y is part of Tesla" in with_family.reasons
    assert without is not None and without.score < with_family.score  # the pair shares only China and "recall"
    # seen from the other side: the same score, the relation named from that side
    back = score(other, claim, family)
    assert back.score == with_family.score and "family: Tesla includes Model Y" in back.reasons
    # a stranger of the same kind gets nothing from the family
    stranger = score(claim, unrelated, family)
    assert stranger is None or not any(r.startswith("family:") for r in stranger.reasons)
