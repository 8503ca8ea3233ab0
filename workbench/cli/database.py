"""``workbench upgrade``: migrate a database made by an older workbench, explicitly.

Read-only commands never migrate (they refuse an older schema and say to run
this); writing commands migrate as they open.
"""

from __future__ import annotations

import click

from workbench.cli.common import connect, db_option
from workbench.safe_text import one_line
from workbench.store.db import resolve_db_path, schema_version


@click.command("upgrade")
@db_option
def upgrade_command(db_path):
    """Bring an existing database to this workbench's schema (never creates one)."""
    path = resolve_db_path(db_path)
    if not path.is_file():
        raise click.ClickException(f"no workbench database at {one_line(str(path))}")
    connect(db_path).close()
    click.echo(f"{one_line(str(path))}: schema version {schema_version()}")
