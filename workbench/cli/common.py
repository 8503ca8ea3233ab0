"""What every command shares: the --db option, the actor, safe output."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import click

from workbench.safe_text import json_line, one_line
from workbench.store.db import DEFAULT_WAIT_SECONDS, filesystem_warning, open_db, resolve_db_path

_db_path_option = click.option(
    "--db", "db_path", type=click.Path(), default=None,  # what the path is, open_db checks (one line)
    help="The database file (default: $WORKBENCH_DB, else ./workbench.db).",
)


def _remember_wait(ctx: click.Context, _param, value: float | None) -> None:
    if value is not None:
        ctx.meta["workbench.wait"] = value


_wait_option = click.option(
    "--wait", type=click.FloatRange(min=0), default=None, expose_value=False, callback=_remember_wait,
    help=f"Seconds to wait for another process's write lock before giving up (default {DEFAULT_WAIT_SECONDS:g}).",
)


def db_option(function):
    """--db PATH and --wait SECONDS: every command that opens the database takes both."""
    return _db_path_option(_wait_option(function))
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
    except ValueError:
        raise click.ClickException(f"not an id: {one_line(text, limit=40)}") from None
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
    """The reviewer: --reviewer, else $WORKBENCH_REVIEWER, else the OS user name.

    A blank --reviewer is refused (one line, exit 1), never recorded as "unknown".
    """
    if explicit is not None and not explicit.strip():
        raise click.ClickException("the reviewer name is blank: give --reviewer NAME")
    name = explicit or os.environ.get("WORKBENCH_REVIEWER", "").strip()
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
    a database (a mistyped --db is an error, not a new empty file).
    """
    path = resolve_db_path(db_path)
    warning = filesystem_warning(path)
    if warning:
        click.echo(f"warning: {one_line(warning)}", err=True)
    ctx = click.get_current_context(silent=True)
    wait = ctx.meta.get("workbench.wait", DEFAULT_WAIT_SECONDS) if ctx else DEFAULT_WAIT_SECONDS
    return open_db(path, readonly=readonly, wait=wait, on_wait=_say_waiting)


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def print_table(columns: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str | None = None,
                limits: dict[str, int] | None = None) -> None:
    """A rich table whose cells are plain text: nothing in them is parsed as markup or reaches the terminal raw."""
    from rich.table import Table
    from rich.text import Text

    limits = limits or {}
    table = Table(title=Text(one_line(title)) if title else None, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold", max_width=limits.get(column))
    for row in rows:
        table.add_row(*(Text(one_line("" if value is None else value, limit=2000)) for value in row))
    console().print(table)


def print_jsonl(rows: Iterable[dict]) -> None:
    out = sys.stdout
    for row in rows:
        out.write(json_line(row) + "\n")
