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

MAX_WARNINGS = 20

export = click.Group("export", help="Export the audit log, verdicts (ClaimReview, JSONL, CSV) or a Markdown report.")


def _output_options(function):
    function = quiet_option(function)
    function = click.option("--force", is_flag=True, help="Replace an existing output file.")(function)
    return click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
                        help="Write to this file (default: standard output).")(function)


_excel_option = click.option(
    "--excel/--no-excel", default=None,
    help="CSV only: start with a UTF-8 byte-order mark so Excel reads Chinese text as UTF-8. "
         "Default: on when -o ends in .csv (a file for people), off on standard output (for pipes).")


def wants_bom(fmt: str, output: str | None, excel: bool | None) -> bool:
    """Whether a CSV export starts with a BOM: --excel/--no-excel, else yes for an -o *.csv file."""
    if fmt != "csv":
        if excel:
            raise click.UsageError("--excel is for --format csv")
        return False
    if excel is not None:
        return excel
    return bool(output) and output.lower().endswith(".csv")


def _run(db_path: str | None, output: str | None, force: bool, write, what: str, quiet: bool = False, *,
         bom: bool = False) -> None:
    db = open_existing_db(db_path)
    try:
        with open_output(output, force=force) as out, bars(wanted(quiet)) as shown:
            if bom:
                out.write("\ufeff")
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
@_excel_option
def export_audit(db_path: str | None, fmt: str, output: str | None, force: bool, quiet: bool,
                 excel: bool | None) -> None:
    """Export the audit log (the chain is verified on the way; exit 1 if it is broken)."""
    verifier = ChainVerifier()
    _run(db_path, output, force, lambda db, out: exporting.export_audit(db, out, fmt, verifier=verifier), "events", quiet,
         bom=wants_bom(fmt, output, excel))
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
@_excel_option
def export_verdicts(db_path: str | None, fmt: str, output: str | None, force: bool, quiet: bool,
                    excel: bool | None) -> None:
    """Export verdicts: a claim's final verdict (with the adjudication's reason) if adjudicated, else every
    reviewer's. ClaimReview needs settings publisher and review_url; without them it warns on stderr."""
    warnings: dict[str, None] = {}  # each distinct warning once, in order

    def warn(message: str) -> None:
        warnings.setdefault(message)

    try:
        _run(db_path, output, force, lambda db, out: exporting.export_verdicts(db, out, fmt, warn=warn), "verdicts",
             quiet, bom=wants_bom(fmt, output, excel))
    finally:
        shown = list(warnings)
        for message in shown[:MAX_WARNINGS]:
            click.echo(f"warning: {safe(message)}", err=True)
        if len(shown) > MAX_WARNINGS:
            click.echo(f"warning: ... and {len(shown) - MAX_WARNINGS} more", err=True)


@export.command("report")
@db_option
@click.option("--reviewed/--all", "reviewed", default=True, show_default=True,
              help="Only claims with a verdict (and a summary table per article), or every claim.")
@_output_options
def export_report(db_path: str | None, reviewed: bool, output: str | None, force: bool, quiet: bool) -> None:
    """A Markdown report for editors: a summary per article, then its claims, verdicts, evidence and links."""
    _run(db_path, output, force, lambda db, out: exporting.export_report(db, out, reviewed=reviewed), "articles",
         quiet)
