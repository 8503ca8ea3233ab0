"""Progress bars on stderr for long work: on a terminal only, never in a pipe, silenced by ``--quiet``.

The core reports progress through plain callbacks (``progress(path, bytes,
report)`` per imported file, ``progress(stage, done, total)`` for linking,
reprocessing, exporting); rich stays here, in the CLI.
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


class Bars:
    """One live display on stderr with a bar per stage (rich allows one live display at a time)."""

    def __init__(self, progress) -> None:
        self._progress = progress
        self._stages: dict[str, int] = {}

    def files(self, files: int, total_bytes: int):
        """The import's callback: files, articles, MB/s and ETA (by bytes)."""
        progress = self._progress
        task = progress.add_task("importing", total=total_bytes or 1, files=0, all_files=files, articles=0,
                                 unit="bytes")
        done = {"files": 0}

        def advance(_path, size: int, report) -> None:
            done["files"] += 1
            progress.update(task, advance=size, files=done["files"], articles=len(report.imported))

        return advance

    def stage(self, stage: str, done: int, total: int) -> None:
        """The ``(stage, done, total)`` callback: a bar per stage, made when the stage first reports."""
        task = self._stages.get(stage)
        if task is None:
            task = self._stages[stage] = self._progress.add_task(stage, total=total, unit="count")
        self._progress.update(task, completed=done, total=total)


class _Counts:
    """``files, articles`` for the import's bar, ``done/total`` for the others."""

    def __new__(cls):
        from rich.progress import ProgressColumn
        from rich.text import Text

        class Column(ProgressColumn):
            def render(self, task):
                if task.fields.get("unit") == "bytes":
                    return Text(f"{task.fields['files']}/{task.fields['all_files']} files, "
                                f"{task.fields['articles']} articles")
                total = "?" if task.total is None else f"{int(task.total):,}"
                return Text(f"{int(task.completed):,}/{total}")

        return Column()


class _Speed:
    """MB/s for the import's bar (by bytes), nothing for counted stages."""

    def __new__(cls):
        from rich.progress import ProgressColumn, TransferSpeedColumn
        from rich.text import Text

        class Column(ProgressColumn):
            _speed = TransferSpeedColumn()

            def render(self, task):
                return self._speed.render(task) if task.fields.get("unit") == "bytes" else Text("")

        return Column()


@contextlib.contextmanager
def bars(enabled: bool) -> Iterator[Bars | None]:
    """The live display, or None when nobody watches (then callers pass no callbacks)."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), _Counts(), _Speed(), TimeRemainingColumn(),
                  console=console(stderr=True), transient=True) as progress:
        yield Bars(progress)
