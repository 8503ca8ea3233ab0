"""``workbench link``, ``links``, ``confirm-link`` and ``reject-link``."""

from __future__ import annotations

import time

import click

from workbench.cli.common import connect, current_user, db_option, reviewer_option, row_id_callback
from workbench.cli.output import Column, listing_options
from workbench.cli.progress import bars, quiet_option, wanted
from workbench.safe_text import one_line
from workbench.store.links import count_links, list_links
from workbench.store.statements import statement_rows


@click.command()
@quiet_option
@db_option
def link_command(quiet, db_path):
    """Recompute every suggested link (confirmed and rejected links are kept)."""
    from workbench.pipeline import Pipeline

    db = connect(db_path)
    started = time.perf_counter()
    with bars(wanted(quiet)) as shown:
        Pipeline(db, actor=current_user()).relink_all(progress=shown.stage if shown else None)
    click.echo(f"{count_links(db)} links stored in {time.perf_counter() - started:.2f} s")


LINK_FIELDS = ("claim_id", "statement_id", "article_id", "score", "relation", "reasons", "status", "duplicate",
               "claim_text", "statement_text")
LINK_COLUMNS = [
    Column("claim_id", header="claim", justify="right"),
    Column("statement_id", header="stmt", justify="right"),
    Column("article_id", header="art", priority=4, justify="right"),
    Column("score", priority=2, justify="right"),
    Column("relation", value=lambda r: r["relation"] + (" (copy)" if r["duplicate"] else "")),
    Column("status", priority=3),
    Column("claim_text", header="claim text", priority=5, flex=2, lines=2, min_width=16),
    Column("statement_text", header="other statement", flex=3, lines=3, min_width=24),
    Column("reasons", priority=1, flex=2, lines=2, min_width=16, value=lambda r: "; ".join(r["reasons"])),
]


@click.command()
@click.option("--claim", "claim_id", callback=row_id_callback, default=None, help="Only this claim's links.")
@listing_options
@db_option
def links_command(claim_id, out, db_path):
    """List each claim's links to statements of other sources, best first, with reasons."""
    db = connect(db_path, readonly=True)
    if claim_id is not None and not statement_rows(db, claims_only=False, statement_ids=[claim_id]):
        raise click.ClickException(f"no statement {claim_id}")
    rows = list_links(db, claim_id)
    out.emit(({name: r[name] for name in LINK_FIELDS} for r in rows), LINK_COLUMNS, fields=LINK_FIELDS)


def _decide(claim_id: int, statement_id: int, status: str, reviewer, note, db_path) -> None:
    """Through the review session, exactly as the review screen's key decides a link."""
    from workbench.review.session import Conflict, ReviewError, ReviewSession

    db = connect(db_path)
    try:
        session = ReviewSession(db, current_user(reviewer))
        decision = session.decide_pair(claim_id, statement_id, status, note=note or None)
    except (ReviewError, Conflict) as exc:
        raise click.ClickException(one_line(str(exc))) from exc
    click.echo(f"{decision.message} by {one_line(session.reviewer)} (the same decision from both sides)")


@click.command()
@click.argument("claim_id", callback=row_id_callback)
@click.argument("statement_id", callback=row_id_callback)
@reviewer_option
@click.option("--note", default="", help="Why: what makes the two statements the same fact.")
@db_option
def confirm_link_command(claim_id, statement_id, reviewer, note, db_path):
    """Confirm the link between a claim and a statement, as the review screen's key does.

    The decision is about the pair: seen from the statement's side too (when
    it is a claim), and recorded once in the audit log.
    """
    _decide(claim_id, statement_id, "confirmed", reviewer, note, db_path)


@click.command()
@click.argument("claim_id", callback=row_id_callback)
@click.argument("statement_id", callback=row_id_callback)
@reviewer_option
@click.option("--note", default="", help="Why the link is wrong.")
@db_option
def reject_link_command(claim_id, statement_id, reviewer, note, db_path):
    """Reject the link between a claim and a statement; relinking never brings it back.

    The decision is about the pair: seen from the statement's side too (when
    it is a claim), and recorded once in the audit log.
    """
    _decide(claim_id, statement_id, "rejected", reviewer, note, db_path)
