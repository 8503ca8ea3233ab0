"""Entities, their aliases, and candidate entities found in the articles."""

from __future__ import annotations

import json
import re

import sqlite_utils

from workbench.model import ENTITY_TYPES
from workbench.store.audit import append_event

# A term seen in this many different articles becomes a candidate entity.
CANDIDATE_MIN_ARTICLES = 2


def seed_gazetteer(db: sqlite_utils.Database) -> None:
    """Copy the packaged gazetteer into a new database (users extend it there)."""
    from workbench.claims.entities import load_gazetteer

    for entry in load_gazetteer():
        cursor = db.execute(
            "INSERT INTO entities (key, name, type, status) VALUES (?, ?, ?, 'gazetteer')",
            [entry["key"], entry["name"], entry["type"]],
        )
        aliases = {entry["name"], *entry.get("aliases", [])}
        db.conn.executemany(
            "INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?, ?)",
            [(cursor.lastrowid, alias) for alias in sorted(aliases) if alias.strip()],
        )


def all_aliases(db: sqlite_utils.Database) -> list[tuple[str, int]]:
    """Every (alias, entity_id), candidates included: they count for linking too."""
    return [(row[0], row[1]) for row in db.execute("SELECT alias, entity_id FROM entity_aliases ORDER BY id")]


def named_aliases(db: sqlite_utils.Database) -> list[str]:
    """Aliases of gazetteer and user entities (not candidates), case-folded, two characters or more."""
    return sorted({row[0].casefold() for row in db.execute(
        """SELECT a.alias FROM entity_aliases a JOIN entities e ON e.id = a.entity_id
           WHERE e.status != 'candidate' AND length(a.alias) >= 2""")})


def topic_ids(db: sqlite_utils.Database) -> frozenset[int]:
    """Ids of the subject-term entities (type "topic")."""
    return frozenset(r[0] for r in db.execute("SELECT id FROM entities WHERE type = 'topic'"))


def entity_family(db: sqlite_utils.Database):
    """The gazetteer's relations (part_of, related) over this database's entity ids."""
    from workbench.claims.entities import EntityFamily, gazetteer_relations

    ids = {key: entity_id for entity_id, key in db.execute("SELECT id, key FROM entities")}
    return EntityFamily((ids[a], relation, ids[b]) for a, relation, b in gazetteer_relations()
                        if a in ids and b in ids)


def organisation_ids(db: sqlite_utils.Database) -> frozenset[int]:
    """Ids of the organisations (type "org"): what "the company" can stand for."""
    return frozenset(r[0] for r in db.execute("SELECT id FROM entities WHERE type = 'org'"))


def person_ids(db: sqlite_utils.Database) -> frozenset[int]:
    """Ids of the people (type "person"): who 他/她 can be, and who speaks (claims/claimants.py)."""
    return frozenset(r[0] for r in db.execute("SELECT id FROM entities WHERE type = 'person'"))


def _slug(name: str) -> str:
    return re.sub(r"\s+", "-", name.strip().lower())


def find_entity(db: sqlite_utils.Database, name_or_id: str) -> dict | None:
    """An entity by id, key, canonical name or alias (case-insensitive)."""
    if name_or_id.isdigit():
        rows = list(db.query("SELECT * FROM entities WHERE id = ?", [int(name_or_id)]))
        if rows:
            return rows[0]
    rows = list(db.query(
        "SELECT * FROM entities WHERE key = ? OR name = ? COLLATE NOCASE OR id IN "
        "(SELECT entity_id FROM entity_aliases WHERE alias = ? COLLATE NOCASE) ORDER BY id LIMIT 1",
        [name_or_id, name_or_id, name_or_id],
    ))
    return rows[0] if rows else None


def check_entity_type(type_: str) -> None:
    """Refuse an entity type nothing else recognises (one vocabulary: ``model.EntityType``)."""
    if type_ not in ENTITY_TYPES:
        raise ValueError(f"unknown entity type {type_!r}: use one of {', '.join(ENTITY_TYPES)}")


def add_entity(db: sqlite_utils.Database, name: str, aliases: list[str], type_: str, *, actor: str) -> tuple[int, list[str]]:
    """Add an entity or, when ``name`` is known, aliases to it. Returns (id, aliases added).

    Runs inside the caller's transaction; appends one audit event.
    """
    existing = find_entity(db, name)
    added: list[str] = []
    check_entity_type(type_)
    if existing is None:
        key = _slug(name)
        if db.execute("SELECT 1 FROM entities WHERE key = ?", [key]).fetchone():
            key = f"{key}-{db.execute('SELECT COALESCE(MAX(id), 0) + 1 FROM entities').fetchone()[0]}"
        entity_id = db.execute(
            "INSERT INTO entities (key, name, type, status) VALUES (?, ?, ?, 'user')", [key, name, type_]
        ).lastrowid
        before = None
        candidates = [name, *aliases]
    else:
        entity_id = existing["id"]
        before = {"name": existing["name"], "type": existing["type"], "status": existing["status"],
                  "aliases": aliases_of(db, entity_id)}
        candidates = aliases
    for alias in candidates:
        alias = alias.strip()
        if alias and db.execute(
            "INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?, ?)", [entity_id, alias]
        ).rowcount:
            added.append(alias)
    row = db.execute("SELECT name, type, status FROM entities WHERE id = ?", [entity_id]).fetchone()
    append_event(
        db, actor=actor, action="entity.add" if existing is None else "entity.alias_add",
        object_type="entity", object_id=entity_id, before=before,
        after={"name": row[0], "type": row[1], "status": row[2], "aliases": aliases_of(db, entity_id)},
    )
    return entity_id, added


def promote_candidate(db: sqlite_utils.Database, entity_id: int, *, actor: str, type_: str | None = None,
                      name: str | None = None) -> None:
    """Make a candidate entity a user entity (it stays linked to its mentions)."""
    row = db.execute("SELECT name, type, status FROM entities WHERE id = ?", [entity_id]).fetchone()
    if row is None:
        raise ValueError(f"no entity {entity_id}")
    if row[2] != "candidate":
        raise ValueError(f"entity {entity_id} ({row[0]}) is not a candidate")
    if type_ is not None:
        check_entity_type(type_)
    new = {"name": name or row[0], "type": type_ or row[1], "status": "user"}
    db.execute("UPDATE entities SET name = ?, type = ?, status = 'user' WHERE id = ?", [new["name"], new["type"], entity_id])
    append_event(db, actor=actor, action="entity.promote", object_type="entity", object_id=entity_id,
                 before={"name": row[0], "type": row[1], "status": row[2]}, after=new)


def aliases_of(db: sqlite_utils.Database, entity_id: int) -> list[str]:
    return [r[0] for r in db.execute("SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias", [entity_id])]


def list_entities(db: sqlite_utils.Database, status: str | None = None) -> list[dict]:
    """Entities with their aliases and how many statements mention them."""
    where, params = ("WHERE e.status = ?", [status]) if status else ("", [])
    rows = db.query(
        f"""SELECT e.id, e.key, e.name, e.type, e.status,
               (SELECT json_group_array(alias) FROM (SELECT alias FROM entity_aliases WHERE entity_id = e.id ORDER BY alias)) AS aliases,
               (SELECT COUNT(DISTINCT statement_id) FROM mentions WHERE entity_id = e.id) AS mentions
            FROM entities e {where} ORDER BY e.status, e.name""",
        params,
    )
    return [{**row, "aliases": json.loads(row["aliases"])} for row in rows]


def candidate_entity(db: sqlite_utils.Database, name: str, type_: str) -> int:
    """The candidate entity for a name not in the gazetteer, created on first sight."""
    check_entity_type(type_)
    row = db.execute(
        "SELECT entity_id FROM entity_aliases WHERE alias = ? COLLATE NOCASE ORDER BY entity_id LIMIT 1", [name]
    ).fetchone()
    if row:
        return row[0]
    key = "candidate:" + _slug(name)
    found = db.execute("SELECT id FROM entities WHERE key = ?", [key]).fetchone()
    if found:
        return found[0]
    entity_id = db.execute(
        "INSERT INTO entities (key, name, type, status) VALUES (?, ?, ?, 'candidate')", [key, name, type_]
    ).lastrowid
    db.execute("INSERT INTO entity_aliases (entity_id, alias) VALUES (?, ?)", [entity_id, name])
    return entity_id


def record_terms(db: sqlite_utils.Database, article_id: int, terms: set[str]) -> list[str]:
    """Store an article's Chinese terms; return the terms that just became recurring."""
    if not terms:
        return []
    db.conn.executemany(
        "INSERT OR IGNORE INTO article_terms (term, article_id) VALUES (?, ?)", [(t, article_id) for t in sorted(terms)]
    )
    placeholders = ",".join("?" * len(terms))
    rows = db.execute(
        f"""SELECT term FROM article_terms WHERE term IN ({placeholders})
            GROUP BY term HAVING COUNT(*) >= ?
            AND term NOT IN (SELECT alias FROM entity_aliases)""",
        [*sorted(terms), CANDIDATE_MIN_ARTICLES],
    )
    return [r[0] for r in rows]
