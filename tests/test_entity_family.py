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
