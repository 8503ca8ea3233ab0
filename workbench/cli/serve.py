"""``workbench serve``: the review screen in a web page, for reviewers without a terminal.

textual-serve runs ``workbench review`` once per browser tab, in a subprocess
with its own terminal, and relays it over a WebSocket to xterm.js in the page:
the same screen, keys and database as in a terminal. It has no login of its
own: whoever reaches the port reviews as ``--reviewer``, so it listens on
localhost unless told otherwise, and says so when told.
"""

from __future__ import annotations

import ipaddress
import shlex
import sys

import click

from workbench.cli.common import connect, current_user, db_option, reviewer_option
from workbench.safe_text import one_line
from workbench.store.db import resolve_db_path

INSTALL_HINT = "workbench serve needs textual-serve: pip install 'workbench[web]'"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def review_command_line(db_path: str, reviewer: str) -> str:
    """The shell command textual-serve runs for each page: this Python, this database, this reviewer."""
    return shlex.join([sys.executable, "-m", "workbench", "review", "--db", db_path, "--reviewer", reviewer])


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on. Anything but localhost lets others on the network review.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@reviewer_option
@db_option
def serve_command(host, port, reviewer, db_path):
    """Serve the review screen in a web page (http://HOST:PORT/), one review session per browser tab.

    There is no login: anyone who can open the page reviews as --reviewer. It listens on
    127.0.0.1 by default; with another --host it warns on stderr before it starts.
    """
    try:
        from textual_serve.server import Server
    except ImportError as exc:
        raise click.ClickException(INSTALL_HINT) from exc

    path = str(resolve_db_path(db_path))
    connect(path).close()  # creates/migrates the file and warns about unsafe filesystems before any page opens
    name = current_user(reviewer)
    if not is_loopback(host):
        click.echo(f"warning: listening on {one_line(host)}:{port}, not only this machine: anyone who can reach "
                   f"the port can review as {one_line(name)!r} (there is no login)", err=True)
    click.echo(f"serving the review screen of {one_line(path)} as {one_line(name)!r} on http://{host}:{port}/ "
               "(Ctrl+C stops)", err=True)
    Server(review_command_line(path, name), host=host, port=port, title=f"workbench review: {name}").serve()
