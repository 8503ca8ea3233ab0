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
* A command that only reads opens with ``connect(db_path, readonly=True)``;
  ids come through ``callback=row_id_callback`` (SQLite's integer range).
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
from workbench.store.db import DEFAULT_WAIT_SECONDS, filesystem_warning, open_db, resolve_db_path

DB_HELP = "The database file (default: $WORKBENCH_DB, else ./workbench.db)."
REVIEWER_HELP = "Your name (default: $WORKBENCH_REVIEWER, else the OS user)."


def _root_value(ctx: click.Context, key: str, value, flag: str):
    """The option given after the subcommand, else the one given before it; both and different is a usage error."""
    before = ctx.find_root().meta.get(key)
    if value is not None and before is not None and value != before:
        raise click.UsageError(f"{flag} given twice ({before} and {value}); give it once")
    return value if value is not None else before


WAIT_HELP = f"Seconds to wait for another process's write lock before giving up (default {DEFAULT_WAIT_SECONDS:g})."
_db_path_option = click.option(
    # the path is checked by open_db (a directory, a FIFO, not SQLite: one line, exit 1)
    "--db", "db_path", type=click.Path(), default=None, help=DB_HELP,
    callback=lambda ctx, _param, value: _root_value(ctx, "workbench.db", value, "--db"),
)
_wait_option = click.option(
    "--wait", type=click.FloatRange(min=0), default=None, expose_value=False, help=WAIT_HELP,
    callback=lambda ctx, _param, value: ctx.meta.__setitem__(
        "workbench.wait", _root_value(ctx, "workbench.wait", value, "--wait")),
)


def db_option(function):
    """--db PATH and --wait SECONDS: every command that opens the database takes both."""
    return _db_path_option(_wait_option(function))
reviewer_option = click.option(
    "--reviewer", default=None, help=REVIEWER_HELP,
    callback=lambda ctx, _param, value: _root_value(ctx, "workbench.reviewer", value, "--reviewer"),
)
# The older two-format option; new listings use ``listing_options`` (every format, --wide).
format_option = click.option(
    "--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True,
    help="A table for people, or one JSON object per line for scripts.",
)


# SQLite's INTEGER is 64-bit signed: an id beyond it can match nothing and would overflow in the driver.
MAX_ROW_ID = 2**63 - 1


def _row_id(value):
    if value is None or isinstance(value, int):
        return value
    text = str(value).strip()
    try:
        number = int(text)
    except ValueError:  # not a number at all: a usage error (exit 2), as for any mistyped option
        raise click.BadParameter(f"not an id: {one_line(text, limit=40)}") from None
    if not 1 <= number <= MAX_ROW_ID:
        raise click.ClickException(f"no such id: {one_line(text, limit=40)} (ids run from 1 to {MAX_ROW_ID})")
    return number


def row_id_callback(_ctx, _param, value):
    """An id argument/option: a whole number within SQLite's integer range, else a one-line error (exit 1)."""
    if isinstance(value, (tuple, list)):
        return tuple(_row_id(v) for v in value)
    return _row_id(value)


def nonblank_callback(_ctx, param, value):
    """Text that must say something (a label, a name): blank is a one-line error (exit 1)."""
    if value is not None and not str(value).strip():
        raise click.ClickException(f"{param.human_readable_name.lower()} is blank")
    return value


def current_user(explicit: str | None = None) -> str:
    """The reviewer: --reviewer (after or before the subcommand), else $WORKBENCH_REVIEWER, else the OS user name.

    A blank --reviewer is refused (one line, exit 1), never recorded as "unknown".
    """
    ctx = click.get_current_context(silent=True)
    before = ctx.find_root().meta.get("workbench.reviewer") if ctx else None
    for given in (explicit, before):
        if given is not None and not given.strip():
            raise click.ClickException("the reviewer name is blank: give --reviewer NAME")
    name = explicit or before or os.environ.get("WORKBENCH_REVIEWER", "").strip()
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):  # no passwd entry (containers)
            name = "unknown"
    return name.strip() or "unknown"


def _say_waiting(message: str) -> None:
    click.echo(message, err=True)


def connect(db_path: str | None, *, readonly: bool = False):
    """Open the database, warning (once, on stderr) when it sits on an unsafe filesystem.

    ``readonly`` for commands that only read: they never create, migrate or write
    a database (a mistyped --db is an error, not a new empty file). ``--wait``
    bounds how long a write waits for another process's lock.
    """
    path = resolve_db_path(db_path)
    warning = filesystem_warning(path)
    if warning:
        click.echo(f"warning: {one_line(warning)}", err=True)
    ctx = click.get_current_context(silent=True)
    wait = ctx.meta.get("workbench.wait") if ctx else None
    return open_db(path, readonly=readonly, wait=DEFAULT_WAIT_SECONDS if wait is None else wait,
                   on_wait=_say_waiting)


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def print_jsonl(rows: Iterable[dict]) -> None:
    out = sys.stdout
    for row in rows:
        out.write(json_line(row) + "\n")
