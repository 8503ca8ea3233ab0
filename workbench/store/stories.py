"""Stories in the store: article profiles for the story stage, story membership, listings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

import sqlite_utils

from workbench.linking import ArticleProfile, EntityKinds, StoryRules
from workbench.linking.stories import entity_kind_weight


def entity_kinds(db: sqlite_utils.Database) -> EntityKinds:
    """Which entities are not actors: discovered terms (candidates), topic words, places."""
    terms, topics, places = set(), set(), set()
    for eid, type_, status in db.execute("SELECT id, type, status FROM entities"):
        if status == "candidate":
            terms.add(eid)
        elif type_ == "topic":
            topics.add(eid)
        elif type_ == "place":
            places.add(eid)
    from workbench.linking.normalise import tokens
    from workbench.store.entities import all_aliases, entity_family

    name_words = frozenset(t for alias, _ in all_aliases(db) for t in tokens(alias))
    return EntityKinds(frozenset(terms), frozenset(topics), frozenset(places), entity_family(db).as_map(),
                       name_words)


def article_profiles(db: sqlite_utils.Database, rules: StoryRules, kinds: EntityKinds) -> list[ArticleProfile]:
    """Every article's profile: its entities weighted by mentions and kind (all articles: any of
    them may be a new article's nearest)."""
    profiles: dict[int, ArticleProfile] = {}
    for aid, dup, published in db.execute("SELECT id, duplicate_of, substr(published, 1, 10) FROM articles"):
        day = None
        if published:
            try:
                day = date.fromisoformat(published).toordinal()
            except ValueError:
                day = None
        profiles[aid] = ArticleProfile(aid, dup or aid, day)
    for aid, eid, count in db.execute(
            """SELECT s.article_id, m.entity_id, COUNT(*) FROM mentions m JOIN statements s ON s.id = m.statement_id
               WHERE NOT s.retired GROUP BY s.article_id, m.entity_id ORDER BY s.article_id, m.entity_id"""):
        kind = ("term" if eid in kinds.terms else "topic" if eid in kinds.topics
                else "place" if eid in kinds.places else "actor")
        if aid in profiles:
            profiles[aid].weights[eid] = count * entity_kind_weight(kind, rules)
    return [profiles[a] for a in sorted(profiles)]


def article_entity_df(db: sqlite_utils.Database) -> tuple[dict[int, int], int]:
    """How many articles name each entity, and how many articles there are."""
    df = {e: n for e, n in db.execute(
        """SELECT m.entity_id, COUNT(DISTINCT s.article_id) FROM mentions m
           JOIN statements s ON s.id = m.statement_id WHERE NOT s.retired GROUP BY m.entity_id""")}
    total = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    return df, total


def members(db: sqlite_utils.Database) -> dict[int, list[int]]:
    """Story id -> its article ids (ascending)."""
    out: dict[int, list[int]] = defaultdict(list)
    for story, article in db.execute("SELECT story_id, article_id FROM story_articles ORDER BY story_id, article_id"):
        out[story].append(article)
    return dict(out)


def next_story_id(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT COALESCE(MAX(story_id), 0) + 1 FROM story_articles").fetchone()[0]


def story_of(db: sqlite_utils.Database) -> dict[int, int]:
    """Article id -> story id."""
    return {a: s for a, s in db.execute("SELECT article_id, story_id FROM story_articles")}


def save_assignment(db: sqlite_utils.Database, assignment: dict[int, tuple[int, float]]) -> None:
    db.conn.executemany(
        "INSERT OR REPLACE INTO story_articles (article_id, story_id, relatedness) VALUES (?, ?, ?)",
        [(a, s, r) for a, (s, r) in sorted(assignment.items())])


def clear(db: sqlite_utils.Database) -> None:
    db.execute("DELETE FROM story_articles")


def forget(db: sqlite_utils.Database, article_ids: Iterable[int]) -> None:
    """Take articles out of their stories (they are regrouped when next linked)."""
    db.conn.executemany("DELETE FROM story_articles WHERE article_id = ?", [(a,) for a in article_ids])


def claims_in_story(db: sqlite_utils.Database, story_id: int) -> list[int]:
    """Ids of the claims of the articles of one story (the review queue's story filter)."""
    return [r[0] for r in db.execute(
        """SELECT s.id FROM statements s JOIN story_articles sa ON sa.article_id = s.article_id
           WHERE sa.story_id = ? AND s.checkworthy AND NOT s.retired ORDER BY s.article_id, s.position""",
        [story_id])]


def list_stories(db: sqlite_utils.Database, *, min_articles: int = 1, shared_limit: int = 8) -> list[dict]:
    """Every story with its articles, the entities two or more of them name, and its date span.

    Biggest stories first (then the lowest id). Untrusted text (titles, names) is returned as is;
    the CLI shows it literally.
    """
    stories = members(db)
    titles = {a: (t, p, path) for a, t, p, path in db.execute("SELECT id, title, published, path FROM articles")}
    named: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    names: dict[int, tuple[str, str]] = {}
    for aid, eid, name, type_, status, story in db.execute(
            """SELECT DISTINCT s.article_id, e.id, e.name, e.type, e.status, sa.story_id FROM mentions m
               JOIN statements s ON s.id = m.statement_id JOIN entities e ON e.id = m.entity_id
               JOIN story_articles sa ON sa.article_id = s.article_id WHERE NOT s.retired"""):
        named[story][eid].add(aid)
        names[eid] = (name, "term" if status == "candidate" else type_)
    out = []
    for story, arts in stories.items():
        if len(arts) < min_articles:
            continue
        shared = sorted(((len(a), names[e][0]) for e, a in named[story].items()
                         if len(a) >= 2 and names[e][1] != "term"), key=lambda x: (-x[0], x[1]))
        days = sorted(p[:10] for a in arts if (p := titles[a][1]))
        out.append({
            "story": story,
            "articles": [{"id": a, "title": titles[a][0], "published": titles[a][1], "path": titles[a][2]}
                         for a in arts],
            "shared_entities": [n for _, n in shared[:shared_limit]],
            "first": days[0] if days else None,
            "last": days[-1] if days else None,
        })
    out.sort(key=lambda s: (-len(s["articles"]), s["story"]))
    return out
