"""``workbench link`` and ``links``."""

from __future__ import annotations

import time

import click

from workbench.cli.common import (connect, current_user, db_option, format_option, print_jsonl, print_table,
                                  row_id_callback)
from workbench.store.links import list_links


@click.command()
@db_option
def link_command(db_path):
    """Recompute every suggested link (confirmed and rejected links are kept)."""
    from workbench.pipeline import Pipeline

    db = connect(db_path)
    started = time.perf_counter()
    written = Pipeline(db, actor=current_user()).relink_all()
    click.echo(f"{written} links in {time.perf_counter() - started:.2f} s")


@click.command()
@click.option("--claim", "claim_id", callback=row_id_callback, default=None, help="Only this claim's links.")
@format_option
@db_option
def links_command(claim_id, fmt, db_path):
    """List each claim's links to statements of other sources, best first, with reasons."""
    rows = list_links(connect(db_path, readonly=True), claim_id)
    if fmt == "jsonl":
        print_jsonl({"claim_id": r["claim_id"], "statement_id": r["statement_id"], "score": r["score"],
                     "relation": r["relation"], "reasons": r["reasons"], "status": r["status"],
                     "duplicate": r["duplicate"]} for r in rows)
        return
    print_table(
        ["claim", "statement", "article", "score", "relation", "status", "claim text", "other statement", "reasons"],
        ((r["claim_id"], r["statement_id"], r["article_id"], f"{r['score']:.2f}",
          r["relation"] + (" (copy)" if r["duplicate"] else ""), r["status"], r["claim_text"], r["statement_text"],
          "; ".join(r["reasons"])) for r in rows),
        limits={"claim text": 36, "other statement": 36, "reasons": 40},
    )
