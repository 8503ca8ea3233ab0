"""``workbench review``, ``demo``, ``verdict``, ``promote``, ``verdicts`` and ``settings``."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import click

from workbench.cli.common import connect, current_user, db_option, nonblank_callback, reviewer_option, row_id_callback
from workbench.cli.output import Column, listing_options
from workbench.safe_text import one_line
from workbench.store import review as store_review
from workbench.store.db import resolve_db_path, transaction
from workbench.store import settings

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def demo_files(folder: Path = FIXTURES) -> list[Path]:
    """The bundled fixtures a demo imports: the good ones (``bad/`` holds inputs that must be refused)."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name != "README.md")


@click.command()
@reviewer_option
@db_option
def review_command(reviewer, db_path):
    """Open the review screen: claims, their articles and links; one key per verdict."""
    from workbench.tui import make_app

    path = resolve_db_path(db_path)
    connect(path).close()  # creates/migrates the file and warns about unsafe filesystems
    make_app(path, current_user(reviewer)).run()


@click.command()
@reviewer_option
@click.option("--no-ui", is_flag=True, help="Import and print the articles, without opening the review screen.")
@click.option("--keep", type=click.Path(dir_okay=False), default=None,
              help="Keep the demo database at this path (it must not exist) instead of a throwaway file.")
def demo_command(reviewer, no_ui, keep):
    """Import the bundled fixtures into a throwaway database and open the review screen on it.

    The throwaway database is deleted on exit (the last line says so); --keep PATH keeps it,
    to open again with workbench review --db PATH.
    """
    from workbench.cli.importing import ARTICLE_COLUMNS, run_import
    from workbench.cli.output import print_listing
    from workbench.store.articles import list_articles

    if not FIXTURES.is_dir():
        raise click.ClickException(f"the bundled fixtures are missing ({FIXTURES}); run from a source checkout")
    if keep and Path(keep).exists():
        raise click.ClickException(f"{one_line(keep)} exists; choose another --keep path")
    with tempfile.TemporaryDirectory(prefix="workbench-demo-") as tmp:
        path = Path(keep) if keep else Path(tmp) / "demo.db"
        db = connect(path)
        report = run_import(db, demo_files(), actor="demo", max_bytes=20_000_000, show_progress=sys.stderr.isatty())
        for refused_path, reason in report.refused:
            click.echo(f"{one_line(refused_path)}: {one_line(reason)}", err=True)
        click.echo(f"demo database: {one_line(path)} ({len(report.imported)} articles, {report.links} links)",
                   err=True)
        if no_ui:
            print_listing(list_articles(db), ARTICLE_COLUMNS, fitted=sys.stdout.isatty())
            db.close()
        else:
            db.close()
            from workbench.tui import make_app

            make_app(path, current_user(reviewer)).run()
    if keep:
        click.echo(f"kept the demo database at {one_line(path)}: workbench review --db {one_line(path)}", err=True)
    else:
        click.echo(f"the demo database {one_line(path)} is deleted (keep it next time with --keep PATH)", err=True)


@click.command()
@click.argument("claim_id", callback=row_id_callback)
@click.argument("label", callback=nonblank_callback)
@click.option("--note", default="", help="Why: what the evidence shows.")
@click.option("--evidence", multiple=True, help="An evidence URL (repeatable).")
@reviewer_option
@click.option("--final", is_flag=True, help="Record an adjudicator's final verdict (needs --reason).")
@click.option("--reason", default=None, help="Why, when adjudicating.")
@db_option
def verdict_command(claim_id, label, note, evidence, reviewer, final, reason, db_path):
    """Record a verdict on a claim, exactly as the review screen would (the same ReviewSession)."""
    from workbench.review.session import ReviewSession

    db = connect(db_path)
    try:
        session = ReviewSession(db, current_user(reviewer))
        session.show(claim_id)
        decision = session.record(label, note=note, urls=list(evidence), final=final, reason=reason,
                                  confirm_own=True)  # naming the claim on the command line is the confirmation
    except (store_review.ReviewError, store_review.Conflict) as exc:
        raise click.ClickException(str(exc)) from exc
    shown = session.show(claim_id)
    mine = shown.final_mine if final else shown.mine
    click.echo(f"claim {claim_id}: {one_line(decision.label)} by {one_line(session.reviewer)}"
               f"{' (final)' if final else ''}, version {mine.version}")


@click.command()
@click.argument("statement_id", callback=row_id_callback)
@reviewer_option
@click.option("--note", default="", help="Why this statement deserves a check.")
@db_option
def promote_command(statement_id, reviewer, note, db_path):
    """Make a statement a claim: it joins the review queue, takes verdicts and gets its own links.

    Recorded in the audit log; re-analysis (reprocess) keeps it a claim.
    """
    from workbench.pipeline import Pipeline
    from workbench.store.links import list_links

    db = connect(db_path)
    who = current_user(reviewer)
    try:
        changed = store_review.promote_statement(db, statement_id, who, note=note or None)
    except store_review.ReviewError as exc:
        raise click.ClickException(str(exc)) from exc
    if not changed:
        click.echo(f"statement {statement_id} already is a claim")
        return
    Pipeline(db, actor=who).link_pending()
    click.echo(f"statement {statement_id} is now a claim (promoted by {one_line(who)}); "
               f"{len(list_links(db, statement_id))} links")


VERDICT_COLUMNS = [
    Column("claim_id", header="claim", justify="right"),
    Column("reviewer", flex=1, min_width=8),
    Column("label", flex=1, min_width=8),
    Column("note", priority=1, flex=4, lines=2, min_width=16),
    Column("evidence", priority=3, flex=2, lines=2, min_width=16, value=lambda r: " ".join(r["evidence"])),
    Column("time", kind="date", priority=2, min_width=10),
    Column("final", priority=1),
]


@click.command()
@listing_options
@db_option
def verdicts_command(out, db_path):
    """List every verdict: claim, reviewer, label, note, evidence, time, final."""
    fields = ["claim_id", "reviewer", "label", "note", "evidence", "time", "final"]
    out.emit([{name: list(v.evidence) if name == "evidence" else getattr(v, name) for name in fields}
              for v in store_review.list_verdicts(connect(db_path, readonly=True))], VERDICT_COLUMNS, fields=fields)


PAIR_COLUMNS = [
    Column("reviewers", flex=1, min_width=12, value=lambda r: " & ".join(r["reviewers"])),
    Column("claims", header="claims both judged", justify="right"),
    Column("agree", justify="right"),
    Column("kappa", justify="right", value=lambda r: "n/a" if r["kappa"] is None else f"{r['kappa']:.2f}"),
]
LABEL_COLUMNS = [Column("reviewer", flex=1, min_width=12), Column("label", flex=1), Column("count", justify="right")]


@click.command("agreement")
@listing_options
@db_option
def agreement_command(out, db_path):
    """Inter-reviewer agreement: Cohen's kappa for each pair, counts per label.

    In jsonl, json and csv each row has a "kind": "pair" (reviewers, claims both
    judged, agree, kappa) or "label" (reviewer, label, count).
    """
    result = store_review.agreement(connect(db_path, readonly=True))
    fields = ["kind", "reviewers", "claims", "agree", "kappa", "reviewer", "label", "count"]
    out.emit(({"kind": "pair", **p, "reviewers": list(p["reviewers"])} for p in result["pairs"]), PAIR_COLUMNS,
             fields=fields, title="pairs of reviewers")
    out.emit(({"kind": "label", "reviewer": r, "label": label, "count": n}
              for r, counts in result["labels"].items() for label, n in sorted(counts.items())), LABEL_COLUMNS,
             fields=fields, title="verdicts per label")


@click.group("settings")
def settings_group():
    """Per-database settings: verdict scale, claim threshold, linker, ClaimReview publisher."""


SETTING_COLUMNS = [
    Column("key", min_width=8),
    Column("value", flex=2, lines=2, min_width=12, value=lambda r: json.dumps(r["value"], ensure_ascii=False)),
    Column("meaning", priority=1, flex=3, lines=2, min_width=20),
]


@settings_group.command("show")
@listing_options
@db_option
def settings_show(out, db_path):
    """Show every setting with its current value and what it means."""
    db = connect(db_path, readonly=True)
    out.emit(({"key": s.key, "value": settings.get(db, s.key), "meaning": s.help} for s in settings.all_settings()),
             SETTING_COLUMNS, fields=["key", "value", "meaning"])


@settings_group.command("set")
@click.argument("key")
@click.argument("value")
@db_option
def settings_set(key, value, db_path):
    """Change a setting (validated, and recorded in the audit log). VALUE is JSON, or plain text."""
    try:
        settings.validate(key, settings.parse_cli_value(value))  # refuse before touching the database
    except settings.SettingError as exc:
        raise click.ClickException(one_line(str(exc))) from exc
    db = connect(db_path)
    with transaction(db):
        stored = settings.set(db, key, settings.parse_cli_value(value), actor=current_user())
    if key == "scale":
        scale = store_review.active_scale(db)
        click.echo(f"scale: {one_line(scale.name)} ({', '.join(one_line(e.label) for e in scale.labels)})")
        return
    click.echo(f"{key} = {one_line(json.dumps(stored, ensure_ascii=False))}")
