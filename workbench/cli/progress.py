"""Progress bars on stderr for long work: on a terminal only, never in a pipe, silenced by ``--quiet``.

The core reports progress through plain callbacks (``progress(path, bytes,
report)`` per imported file, ``progress(stage, done, total)`` for linking,
reprocessing; an export's stream is counted as it is written); rich stays
here, in the CLI.
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


    def written(self, stream, description: str = "exporting"):
        """``stream`` wrapped so the bytes written show as MB and MB/s (an export's size is not known ahead)."""
        task = self._progress.add_task(description, total=None, unit="written")
        return _Counting(stream, lambda n: self._progress.update(task, completed=n))


class _Counting:
    """A text stream that reports how much was written through it (every 64 KB)."""

    def __init__(self, stream, report) -> None:
        self._stream, self._report = stream, report
        self._written = self._told = 0

    def write(self, text: str) -> int:
        written = self._stream.write(text)
        self._written += len(text.encode("utf-8", "surrogatepass"))
        if self._written - self._told >= 65536:
            self._told = self._written
            self._report(self._written)
        return written

    def __getattr__(self, name):  # flush, writelines, encoding...: the real stream's
        return getattr(self._stream, name)


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
                if task.fields.get("unit") == "written":
                    return Text(f"{task.completed / 1e6:,.1f} MB written")
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
                return self._speed.render(task) if task.fields.get("unit") in ("bytes", "written") else Text("")

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
