"""``workbench stories``: the articles grouped by the event or running topic they report."""

from __future__ import annotations

import csv
import json
import sys

import click

from workbench.cli.common import connect, db_option, print_jsonl, print_table
from workbench.store.stories import list_stories


@click.command()
@click.option("--min-articles", type=int, default=1, show_default=True,
              help="Only stories with at least this many articles.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "json", "csv"]), default="table",
              show_default=True, help="A table for people; JSON lines, one JSON document or CSV for scripts.")
@db_option
def stories_command(min_articles, fmt, db_path):
    """List the stories: their articles, the entities they share and their date span.

    A story groups the articles that report one event or running topic (how related whole
    articles are: the entities they name, weighted by rarity, and how far apart they were
    published). Links say whether their two articles are in one story.
    """
    stories = list_stories(connect(db_path), min_articles=min_articles)
    if fmt == "jsonl":
        print_jsonl(stories)
    elif fmt == "json":
        click.echo(json.dumps(stories, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        out = csv.writer(sys.stdout)
        out.writerow(["story", "article", "published", "title", "shared_entities", "first", "last"])
        for s in stories:
            for a in s["articles"]:
                out.writerow([s["story"], a["id"], a["published"] or "", a["title"] or "",
                              "; ".join(s["shared_entities"]), s["first"] or "", s["last"] or ""])
    else:
        print_table(
            ["story", "articles", "span", "shared entities", "titles"],
            ((f"S{s['story']}", len(s["articles"]),
              f"{s['first'] or '?'} .. {s['last'] or '?'}" if s["first"] != s["last"] else (s["first"] or "undated"),
              ", ".join(s["shared_entities"]),
              " | ".join(f"{a['id']}: {a['title'] or ''}" for a in s["articles"])) for s in stories),
            limits={"shared entities": 40, "titles": 80},
        )
