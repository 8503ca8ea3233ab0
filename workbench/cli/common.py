"""What every command shares: the --db option, the actor, safe output."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import click

from workbench.safe_text import json_line, one_line
from workbench.store.db import filesystem_warning, open_db, resolve_db_path

db_option = click.option(
    "--db", "db_path", type=click.Path(dir_okay=False), default=None,
    help="The database file (default: $WORKBENCH_DB, else ./workbench.db).",
)
format_option = click.option(
    "--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True,
    help="A table for people, or one JSON object per line for scripts.",
)


def current_user(explicit: str | None = None) -> str:
    """The reviewer: --reviewer, else $WORKBENCH_REVIEWER, else the OS user name."""
    name = explicit or os.environ.get("WORKBENCH_REVIEWER")
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
