"""One vocabulary per concept: the store, the CLI and the review screen spell entity types, metadata fields,
queues, relations and link statuses the same way (model.py's StrEnums); this fails when one of them drifts."""

from __future__ import annotations

import click
import pytest

from workbench.cli import cli
from workbench.model import (ENTITY_TYPES, METADATA_FIELDS, EntityStatus, EntityType, LinkStatus, MetadataField,
                             QueueStatus, Relation, values)
from workbench.store import review
from workbench.store.db import open_db
from workbench.store.entities import add_entity, candidate_entity


def _choices(*path: str, option: str) -> tuple[str, ...]:
    command = cli
    ctx = click.Context(cli)
    for name in path:
        command = command.get_command(ctx, name)
    param = next(p for p in command.params if p.name == option)
    assert isinstance(param.type, click.Choice)
    return tuple(param.type.choices)


def test_cli_choices_are_the_vocabularies():
    assert _choices("entities", "add", option="type_") == ENTITY_TYPES
    assert _choices("entities", "promote", option="type_") == ENTITY_TYPES
    assert _choices("entities", "list", option="status") == values(EntityStatus)


def test_review_screen_options_are_the_vocabularies():
    from workbench.tui.screens.forms import ENTITY_TYPE_OPTIONS
    from workbench.tui.screens.review import RELATION_OPTIONS, STATUS_OPTIONS

    assert tuple(v for _t, v in ENTITY_TYPE_OPTIONS) == ENTITY_TYPES
    assert tuple(v for _t, v in STATUS_OPTIONS) == values(QueueStatus)
    assert tuple(v for _t, v in RELATION_OPTIONS if v) == values(Relation)


def test_the_gazetteer_and_the_store_use_the_same_types(fixtures_db):
    from workbench.claims.entities import load_gazetteer

    assert {e["type"] for e in load_gazetteer()} <= set(ENTITY_TYPES)
    db = open_db(fixtures_db)
    try:
        # every entity an import made (gazetteer and candidates) has a known type
        assert {r[0] for r in db.execute("SELECT DISTINCT type FROM entities")} <= set(ENTITY_TYPES)
        with pytest.raises(ValueError, match="unknown entity type 'organization'"):
            add_entity(db, "Acme", [], "organization", actor="ana")
        with pytest.raises(ValueError):
            candidate_entity(db, "Acme", "term")
        # the relation CHECK of the links table is the Relation vocabulary
        sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'links'").fetchone()[0]
        assert all(f"'{r}'" in sql for r in values(Relation))
        assert tuple(review.QUEUES) == values(QueueStatus)
        assert tuple(review.CORRECTABLE) == values(MetadataField) == METADATA_FIELDS
        with pytest.raises(review.ReviewError):
            review.decide_link(db, 1, "approved", "ana")
        with pytest.raises(review.ReviewError):
            review.QueueFilter(status="done")
        with pytest.raises(review.ReviewError):
            review.QueueFilter(relation="contradicts")
        assert values(LinkStatus) == ("suggested", "confirmed", "rejected")
    finally:
        db.close()


def test_old_entity_types_are_migrated(tmp_path):
    path = tmp_path / "old.db"
    db = open_db(path)
    db.execute("UPDATE entities SET type = 'organization' WHERE id = 1")
    db.execute("INSERT INTO entities (key, name, type, status) VALUES ('candidate:x', 'X', 'term', 'candidate')")
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm012_vocabularies'")
    db.conn.commit()
    db.close()
    db = open_db(path)  # the migration runs again on open
    types = {r[0] for r in db.execute("SELECT type FROM entities")}
    db.close()
    assert types <= set(ENTITY_TYPES) and EntityType.ORG in types and EntityType.OTHER in types
