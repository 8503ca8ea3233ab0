"""``workbench claims``, ``reprocess`` and ``entities``."""

from __future__ import annotations

import click

from workbench.cli.common import connect, current_user, db_option, reviewer_option, row_id_callback
from workbench.cli.output import Column, listing_options
from workbench.cli.progress import bars, quiet_option, wanted
from workbench.model import CLAIMANT_KINDS, ENTITY_TYPES, EntityStatus, values
from workbench.safe_text import one_line
from workbench.store.articles import get_article
from workbench.store import entities as store_entities
from workbench.store.db import transaction
from workbench.store.statements import statement_rows

CLAIM_FIELDS = ("id", "article_id", "index", "text", "start", "end", "score", "checkworthy", "types", "reasons",
                "entities", "dates", "numbers", "claimant")
CLAIMANT_FIELDS = ("name", "entity_id", "surface", "kind", "reason")


def claim_json(row: dict) -> dict:
    """The documented JSONL shape of a statement."""
    out = {name: row[name] for name in CLAIM_FIELDS}
    out["entities"] = [{k: e[k] for k in ("id", "name", "type", "surface", "start", "end")} for e in row["entities"]]
    out["dates"] = [{k: d[k] for k in ("surface", "start", "end", "precision", "anchor", "resolved")}
                    for d in row["dates"]]
    out["numbers"] = [{k: n[k] for k in ("surface", "value", "unit")} for n in row["numbers"]]
    claimant = row.get("claimant")
    # Who made the claim: a speaker or source in the text, else the article (kind "article").
    out["claimant"] = {k: claimant[k] for k in CLAIMANT_FIELDS} | {"corrected_by": claimant["corrected_by"]} \
        if claimant else None
    return out


def _describe_claimant(claimant: dict | None) -> str:
    if not claimant:
        return ""
    marks = {"article": " (article)", "source": " (source)"}
    return f"{claimant['name']}{marks.get(claimant['kind'], '')}{' ✎' if claimant.get('corrected_by') else ''}"


def _describe_dates(dates: list[dict]) -> str:
    parts = []
    for d in dates:
        if not d["resolved"]:
            parts.append(f"{d['surface']} (unresolved)")
        else:
            days = d["start"] if d["start"] == d["end"] else f"{d['start']}..{d['end']}"
            anchor = f", from {d['anchor']}" if d["anchor"] else ""
            parts.append(f"{d['surface']} = {days} ({d['precision']}{anchor})")
    return "; ".join(parts)


def _describe_numbers(numbers: list[dict]) -> str:
    return ", ".join(f"{n['surface']}={n['value']:g}{' ' + n['unit'] if n['unit'] else ''}" for n in numbers)


CLAIM_COLUMNS = [
    Column("id", justify="right"),
    Column("article_id", header="art", justify="right"),
    Column("index", header="#", priority=3, justify="right"),
    Column("score", priority=2, justify="right"),
    Column("types", priority=5, flex=1, min_width=8),
    Column("text", flex=6, lines=3, min_width=30),
    Column("claimant", priority=1, flex=1, lines=2, min_width=10, value=lambda r: _describe_claimant(r["claimant"])),
    Column("entities", priority=1, flex=2, lines=2, min_width=12,
           value=lambda r: ", ".join(sorted({e["name"] for e in r["entities"]}))),
    Column("dates", priority=4, flex=2, lines=2, min_width=14, value=lambda r: _describe_dates(r["dates"])),
    Column("numbers", priority=6, flex=1, lines=2, min_width=10, value=lambda r: _describe_numbers(r["numbers"])),
]


@click.command()
@click.option("--article", "article_id", callback=row_id_callback, default=None, help="Only this article's statements.")
@click.option("--all", "show_all", is_flag=True, help="Every statement, not just the check-worthy claims.")
@listing_options
@db_option
def claims_command(article_id, show_all, out, db_path):
    """List the claims (check-worthy statements) with their entities, dates and numbers."""
    db = connect(db_path, readonly=True)
    if article_id is not None and get_article(db, article_id) is None:
        raise click.ClickException(f"no article {article_id}")
    rows = statement_rows(db, article_id=article_id, claims_only=not show_all)
    out.emit((claim_json(row) for row in rows), CLAIM_COLUMNS, fields=CLAIM_FIELDS)


@click.command()
@click.argument("claim_id", type=int)
@click.argument("name", required=False, default="")
@click.option("--entity", "entity", default=None, help="A gazetteer entity (id or name) who made the claim.")
@click.option("--kind", type=click.Choice(CLAIMANT_KINDS), default="speaker", show_default=True,
              help="A speaker, a source that reported it, or the article itself.")
@click.option("--reason", default=None, help="Why (recorded in the audit log).")
@reviewer_option
@db_option
def claimant_command(claim_id, name, entity, kind, reason, reviewer, db_path):
    """Correct who made a claim (its claimant), audited; re-analysis keeps the correction."""
    from workbench.store.claimants import ClaimantError, correct_claimant

    db = connect(db_path)
    entity_id = None
    if entity is not None:
        found = store_entities.find_entity(db, entity)
        if found is None:
            raise click.ClickException(f"no entity {entity!r}")
        entity_id = found["id"]
    try:
        stored = correct_claimant(db, claim_id, current_user(reviewer), name=name, entity_id=entity_id, kind=kind,
                                  reason=reason)
    except ClaimantError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"claim {claim_id}: claimant {one_line(stored['name'])} ({stored['kind']}), "
               f"corrected by {one_line(stored['corrected_by'])}")


@click.command()
@click.option("--article", "article_ids", callback=row_id_callback, multiple=True, help="Only these articles (repeatable).")
@quiet_option
@db_option
def reprocess_command(article_ids, quiet, db_path):
    """Re-run segmentation, entities, dates, numbers and scores for stored articles.

    Use after a gazetteer change or a corrected publication date. Statement ids
    whose span is unchanged are kept, so verdicts and link decisions stay attached.
    """
    from workbench.pipeline import Pipeline

    db = connect(db_path)
    with bars(wanted(quiet)) as shown:
        count = Pipeline(db, actor=current_user()).reprocess(list(article_ids) or None,
                                                             progress=shown.stage if shown else None)
    click.echo(f"reprocessed {count} articles")


@click.group("entities")
def entities_group():
    """The gazetteer: entities with aliases in Chinese and English, and candidates found in the articles."""


ENTITY_COLUMNS = [
    Column("id", justify="right"),
    Column("name", flex=2, min_width=12),
    Column("type", priority=2),
    Column("status", priority=3),
    Column("aliases", priority=1, flex=4, lines=2, min_width=20),
    Column("mentions", header="mentions", justify="right"),
]


@entities_group.command("list")
@click.option("--status", type=click.Choice(values(EntityStatus)), default=None,
              help="Only entities with this status (the table shows gazetteer entities with mentions, then user "
                   "entities, then candidates; the other formats list every entity).")
@listing_options
@db_option
def entities_list(status, out, db_path):
    """List entities with aliases and mention counts; candidates are listed apart."""
    db = connect(db_path, readonly=True)
    statuses = [status] if status else ["gazetteer", "user", "candidate"]
    for current in statuses:
        rows = store_entities.list_entities(db, current)
        if out.table and not status and current == "gazetteer":
            rows = [r for r in rows if r["mentions"]]
        title = f"{current} entities" + (" (with mentions)" if current == "gazetteer" and not status else "")
        out.emit(rows, ENTITY_COLUMNS, title=title, fields=["id", "key", "name", "type", "status", "aliases",
                                                             "mentions"])


def _apply_aliases(db, aliases: list[str], actor: str) -> int:
    from workbench.pipeline import Pipeline

    pipeline = Pipeline(db, actor=actor)
    with transaction(db):
        changed = pipeline.apply_new_aliases(aliases)
    pipeline.link_pending()
    return len(changed)


@entities_group.command("add")
@click.argument("name")
@click.option("--alias", "aliases", multiple=True, help="Another name for it (repeatable).")
@click.option("--type", "type_", type=click.Choice(ENTITY_TYPES),
              default="other", show_default=True)
@db_option
def entities_add(name, aliases, type_, db_path):
    """Add an entity, or aliases to a known one; statements already imported pick them up."""
    db = connect(db_path)
    actor = current_user()
    with transaction(db):
        entity_id, added = store_entities.add_entity(db, name, list(aliases), type_, actor=actor)
    articles = _apply_aliases(db, added, actor)
    click.echo(f"entity {entity_id}: {len(added)} new aliases; mentions updated in {articles} articles")


@entities_group.command("promote")
@click.argument("entity")
@click.option("--type", "type_", type=click.Choice(ENTITY_TYPES),
              default=None)
@click.option("--name", default=None, help="A better canonical name.")
@db_option
def entities_promote(entity, type_, name, db_path):
    """Make a candidate entity (found in the articles) a real one."""
    db = connect(db_path)
    found = store_entities.find_entity(db, entity)
    if found is None:
        raise click.ClickException(f"no entity {entity!r}")
    try:
        with transaction(db):
            store_entities.promote_candidate(db, found["id"], actor=current_user(), type_=type_, name=name)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"entity {found['id']} promoted")
