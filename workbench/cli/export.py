"""``workbench export``: the audit log, verdicts and the editor's report, to a file or stdout.

``-o FILE`` writes atomically and never replaces a file without ``--force``
(rules in :mod:`workbench.export.output`); without ``-o`` the data goes to
standard output and status lines to standard error.
"""

from __future__ import annotations

import click

from workbench import export as exporting
from workbench.audit import ChainVerifier
from workbench.cli.audit import open_existing_db, safe
from workbench.cli.common import db_option
from workbench.cli.progress import bars, quiet_option, wanted
from workbench.export.output import OutputRefused, open_output

export = click.Group("export", help="Export the audit log, verdicts (ClaimReview, JSONL, CSV) or a Markdown report.")


def _output_options(function):
    function = quiet_option(function)
    function = click.option("--force", is_flag=True, help="Replace an existing output file.")(function)
    return click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
                        help="Write to this file (default: standard output).")(function)


def _run(db_path: str | None, output: str | None, force: bool, write, what: str, quiet: bool = False) -> None:
    db = open_existing_db(db_path)
    try:
        with open_output(output, force=force) as out, bars(wanted(quiet)) as shown:
            result = write(db, shown.written(out) if shown else out)
    except OutputRefused as exc:
        raise click.ClickException(str(exc)) from None
    except ValueError as exc:  # a malformed setting, e.g. the scale
        raise click.ClickException(safe(str(exc))) from None
    target = f" to {safe(output)}" if output else ""
    click.echo(f"exported {result} {what}{target}", err=True)


@export.command("audit")
@db_option
@click.option("--format", "fmt", type=click.Choice(exporting.AUDIT_FORMATS), default="jsonl", show_default=True,
              help="jsonl is lossless and verifiable with 'audit verify --file'; csv is for spreadsheets.")
@_output_options
def export_audit(db_path: str | None, fmt: str, output: str | None, force: bool, quiet: bool) -> None:
    """Export the audit log (the chain is verified on the way; exit 1 if it is broken)."""
    verifier = ChainVerifier()
    _run(db_path, output, force, lambda db, out: exporting.export_audit(db, out, fmt, verifier=verifier), "events", quiet)
    chain = verifier.result()
    if not chain.ok:
        click.echo(f"warning: the chain is broken at seq {chain.first_bad_seq}: {safe(chain.problem or '')};"
                   " the export is complete but is not a verified log", err=True)
        raise SystemExit(1)


@export.command("verdicts")
@db_option
@click.option("--format", "fmt", type=click.Choice(exporting.VERDICT_FORMATS), default="claimreview",
              show_default=True, help="claimreview is schema.org JSON-LD (a JSON array).")
@_output_options
def export_verdicts(db_path: str | None, fmt: str, output: str | None, force: bool, quiet: bool) -> None:
    """Export verdicts: a claim's final verdict if adjudicated, else every reviewer's."""
    _run(db_path, output, force, lambda db, out: exporting.export_verdicts(db, out, fmt), "verdicts", quiet)


@export.command("report")
@db_option
@_output_options
def export_report(db_path: str | None, output: str | None, force: bool, quiet: bool) -> None:
    """A Markdown report for editors: per article its claims, verdicts, evidence and links."""
    _run(db_path, output, force, exporting.export_report, "articles", quiet)
