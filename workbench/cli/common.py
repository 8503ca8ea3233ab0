"""What every command shares: the --db and --reviewer options, the actor, listings.

How to add a command:

* ``@db_option`` (and ``@reviewer_option`` if it acts for someone): both are
  accepted before or after the subcommand (``workbench --db x.db articles`` and
  ``workbench articles --db x.db``); read them through :func:`connect` and
  :func:`current_user`.
* A listing: ``@listing_options`` from :mod:`workbench.cli.output`, then
  ``out.emit(records, COLUMNS)`` with ``Column`` specs (priority, flex, lines,
  kind="path"). That gives ``--format table|jsonl|json|csv`` and ``--wide``,
  tables that fit the terminal and untruncated piped output.
* Errors: ``raise click.ClickException("no claim 12")`` (exit 1, one line);
  click's usage errors exit 2. A filter on an id that does not exist is an
  error; a filter that matches nothing is an empty listing (exit 0).
* Then regenerate the reference: ``python -m workbench.cli.reference > docs/cli.md``.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterable

import click

from workbench.cli.output import Column, listing_options, print_table  # noqa: F401  (re-exported)
from workbench.safe_text import json_line, one_line
from workbench.store.db import filesystem_warning, open_db, resolve_db_path

DB_HELP = "The database file (default: $WORKBENCH_DB, else ./workbench.db)."
REVIEWER_HELP = "Your name (default: $WORKBENCH_REVIEWER, else the OS user)."


def _root_value(ctx: click.Context, key: str, value, flag: str):
    """The option given after the subcommand, else the one given before it; both and different is a usage error."""
    before = ctx.find_root().meta.get(key)
    if value is not None and before is not None and value != before:
        raise click.UsageError(f"{flag} given twice ({before} and {value}); give it once")
    return value if value is not None else before


db_option = click.option(
    "--db", "db_path", type=click.Path(dir_okay=False), default=None, help=DB_HELP,
    callback=lambda ctx, _param, value: _root_value(ctx, "workbench.db", value, "--db"),
)
reviewer_option = click.option(
    "--reviewer", default=None, help=REVIEWER_HELP,
    callback=lambda ctx, _param, value: _root_value(ctx, "workbench.reviewer", value, "--reviewer"),
)
# The older two-format option; new listings use ``listing_options`` (every format, --wide).
format_option = click.option(
    "--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True,
    help="A table for people, or one JSON object per line for scripts.",
)


def current_user(explicit: str | None = None) -> str:
    """The reviewer: --reviewer (after or before the subcommand), else $WORKBENCH_REVIEWER, else the OS user name."""
    ctx = click.get_current_context(silent=True)
    before = ctx.find_root().meta.get("workbench.reviewer") if ctx else None
    name = explicit or before or os.environ.get("WORKBENCH_REVIEWER")
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):  # no passwd entry (containers)
            name = "unknown"
    return name.strip() or "unknown"


def connect(db_path: str | None):
    """Open the database, warning (once, on stderr) when it sits on an unsafe filesystem."""
    path = resolve_db_path(db_path)
    warning = filesystem_warning(path)
    if warning:
        click.echo(f"warning: {one_line(warning)}", err=True)
    return open_db(path)


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def print_jsonl(rows: Iterable[dict]) -> None:
    out = sys.stdout
    for row in rows:
        out.write(json_line(row) + "\n")
