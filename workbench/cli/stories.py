"""``workbench stories``: the articles grouped by the event or running topic they report."""

from __future__ import annotations

import click

from workbench.cli.common import connect, db_option
from workbench.cli.output import Column, listing_options
from workbench.store.stories import list_stories

CSV_FIELDS = ["story", "article", "published", "title", "shared_entities", "first", "last"]


def _span(story: dict) -> str:
    if story["first"] != story["last"]:
        return f"{story['first'] or '?'} .. {story['last'] or '?'}"
    return story["first"] or "undated"


STORY_COLUMNS = [
    Column("story", value=lambda s: f"S{s['story']}"),
    Column("articles", justify="right", value=lambda s: len(s["articles"])),
    Column("span", priority=2, min_width=10, value=_span),
    Column("shared_entities", header="shared entities", priority=1, flex=2, lines=2, min_width=16),
    Column("titles", flex=4, lines=3, min_width=24,
           value=lambda s: " | ".join(f"{a['id']}: {a['title'] or ''}" for a in s["articles"])),
]


@click.command()
@click.option("--min-articles", type=int, default=1, show_default=True,
              help="Only stories with at least this many articles.")
@listing_options
@db_option
def stories_command(min_articles, out, db_path):
    """List the stories: their articles, the entities they share and their date span.

    A story groups the articles that report one event or running topic (how related whole
    articles are: the entities they name, weighted by rarity, and how far apart they were
    published). Links say whether their two articles are in one story. In csv, one row per
    article of a story.
    """
    stories = list_stories(connect(db_path), min_articles=min_articles)
    if out.fmt == "csv":
        out.emit(({"story": s["story"], "article": a["id"], "published": a["published"], "title": a["title"],
                   "shared_entities": "; ".join(s["shared_entities"]), "first": s["first"], "last": s["last"]}
                  for s in stories for a in s["articles"]), STORY_COLUMNS, fields=CSV_FIELDS)
        return
    out.emit(stories, STORY_COLUMNS)
