"""``workbench review``, ``demo``, ``verdict``, ``verdicts`` and ``settings``."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import click

from workbench.cli.common import (connect, current_user, db_option, format_option, nonblank_callback, print_jsonl,
                                  print_table, row_id_callback)
from workbench.safe_text import one_line
from workbench.store import review as store_review
from workbench.store.db import resolve_db_path, transaction
from workbench.store import settings

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def demo_files(folder: Path = FIXTURES) -> list[Path]:
    """The bundled fixtures a demo imports: the good ones (``bad/`` holds inputs that must be refused)."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name != "README.md")


@click.command()
@click.option("--reviewer", default=None, help="Your name (default: $WORKBENCH_REVIEWER, else the OS user).")
@db_option
def review_command(reviewer, db_path):
    """Open the review screen: claims, their articles and links; one key per verdict."""
    from workbench.tui import make_app

    path = resolve_db_path(db_path)
    connect(path).close()  # creates/migrates the file and warns about unsafe filesystems
    make_app(path, current_user(reviewer)).run()


@click.command()
@click.option("--reviewer", default=None, help="Your name (default: $WORKBENCH_REVIEWER, else the OS user).")
@click.option("--no-ui", is_flag=True, help="Import and print the articles, without opening the review screen.")
@click.option("--keep", type=click.Path(dir_okay=False), default=None,
              help="Keep the demo database at this path instead of a throwaway file.")
def demo_command(reviewer, no_ui, keep):
    """Import the bundled fixtures into a throwaway database and open the review screen on it."""
    from workbench.cli.importing import run_import
    from workbench.store.articles import list_articles

    if not FIXTURES.is_dir():
        raise click.ClickException(f"the bundled fixtures are missing ({FIXTURES}); run from a source checkout")
    with tempfile.TemporaryDirectory(prefix="workbench-demo-") as tmp:
        path = Path(keep) if keep else Path(tmp) / "demo.db"
        if path.exists():
            raise click.ClickException(f"{path} exists; choose another --keep path")
        db = connect(path)
        report = run_import(db, demo_files(), actor="demo", max_bytes=20_000_000, show_progress=sys.stderr.isatty())
        for refused_path, reason in report.refused:
            click.echo(f"{one_line(refused_path)}: {one_line(reason)}", err=True)
        click.echo(f"demo database: {path} ({len(report.imported)} articles, {report.links} links)", err=True)
        if no_ui:
            columns = ["id", "title", "published", "site", "language", "duplicate_of", "statements", "claims"]
            print_table(columns, ([r[c] for c in columns] for r in list_articles(db)), limits={"title": 50})
            return
        db.close()
        from workbench.tui import make_app

        make_app(path, current_user(reviewer)).run()


@click.command()
@click.argument("claim_id", callback=row_id_callback)
@click.argument("label", callback=nonblank_callback)
@click.option("--note", default="", help="Why: what the evidence shows.")
@click.option("--evidence", multiple=True, help="An evidence URL (repeatable).")
@click.option("--reviewer", default=None, help="Your name (default: $WORKBENCH_REVIEWER, else the OS user).")
@click.option("--final", is_flag=True, help="Record an adjudicator's final verdict (needs --reason).")
@click.option("--reason", default=None, help="Why, when adjudicating.")
@db_option
def verdict_command(claim_id, label, note, evidence, reviewer, final, reason, db_path):
    """Record a verdict on a claim, exactly as the review screen would."""
    db = connect(db_path)
    try:
        stored = store_review.record_verdict(db, claim_id, current_user(reviewer), label, note=note,
                                             evidence=list(evidence), final=final, reason=reason)
    except (store_review.ReviewError, store_review.Conflict) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"claim {claim_id}: {one_line(stored['label'])} by {one_line(stored['reviewer'])}"
               f"{' (final)' if final else ''}, version {stored['version']}")


@click.command()
@format_option
@db_option
def verdicts_command(fmt, db_path):
    """List every verdict: claim, reviewer, label, note, evidence, time, final."""
    rows = store_review.list_verdicts(connect(db_path, readonly=True))
    if fmt == "jsonl":
        print_jsonl(rows)
        return
    print_table(["claim_id", "reviewer", "label", "note", "evidence", "time", "final"],
                ((r["claim_id"], r["reviewer"], r["label"], r["note"], " ".join(r["evidence"]), r["time"],
                  "yes" if r["final"] else "") for r in rows),
                limits={"note": 40, "evidence": 40})


@click.command("agreement")
@db_option
def agreement_command(db_path):
    """Inter-reviewer agreement: Cohen's kappa for each pair, counts per label."""
    result = store_review.agreement(connect(db_path, readonly=True))
    print_table(["reviewers", "claims both judged", "agree", "kappa"],
                ((" & ".join(p["reviewers"]), p["claims"], p["agree"],
                  "n/a" if p["kappa"] is None else f"{p['kappa']:.2f}") for p in result["pairs"]))
    print_table(["reviewer", "label", "count"],
                ((r, label, n) for r, counts in result["labels"].items() for label, n in sorted(counts.items())))


@click.group("settings")
def settings_group():
    """Per-database settings: verdict scale, claim threshold, linker, ClaimReview publisher."""


@settings_group.command("show")
@db_option
def settings_show(db_path):
    """Show every setting with its current value and what it means."""
    db = connect(db_path, readonly=True)
    print_table(["key", "value", "meaning"],
                ((s.key, json.dumps(settings.get(db, s.key), ensure_ascii=False), s.help)
                 for s in settings.all_settings()))


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
