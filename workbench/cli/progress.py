"""Progress bars on stderr for long work: on a terminal only, never in a pipe, silenced by ``--quiet``.

The core reports progress through plain callbacks; rich stays here, in the CLI.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

import click

from workbench.cli.common import console

quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress bar (one is shown on a terminal only).")


def wanted(quiet: bool) -> bool:
    """A bar only when a person watches stderr: a terminal, not a pipe or a file, and not --quiet."""
    return not quiet and sys.stderr.isatty()


def _bar(*columns):
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), *columns, TimeRemainingColumn(),
                    console=console(stderr=True), transient=True)


@contextlib.contextmanager
def import_bar(files: int, total_bytes: int, enabled: bool) -> Iterator:
    """A callback ``(path, size, report)`` advancing files, articles, MB/s and ETA; None when disabled."""
    if not enabled or files < 2:
        yield None
        return
    from rich.progress import DownloadColumn, TextColumn, TransferSpeedColumn

    with _bar(TextColumn("{task.fields[files]}/{task.fields[all_files]} files, {task.fields[articles]} articles"),
              DownloadColumn(), TransferSpeedColumn()) as progress:
        task = progress.add_task("importing", total=total_bytes or 1, files=0, all_files=files, articles=0)
        done = {"files": 0}

        def advance(_path, size: int, report) -> None:
            done["files"] += 1
            progress.update(task, advance=size, files=done["files"], articles=len(report.imported))

        yield advance


@contextlib.contextmanager
def count_bar(description: str, enabled: bool) -> Iterator:
    """A callback ``(done, total)`` for counted work (articles linked, reprocessed, rows exported)."""
    if not enabled:
        yield None
        return
    from rich.progress import MofNCompleteColumn

    with _bar(MofNCompleteColumn()) as progress:
        task = progress.add_task(description, total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield advance
