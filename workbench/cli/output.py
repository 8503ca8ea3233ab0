"""Listings for people and for scripts: one set of formats, tables that fit the terminal.

A command that lists things declares its columns and hands over its records::

    COLUMNS = [Column("id"), Column("path", kind="path", priority=3), Column("title", flex=3, lines=2)]

    @click.command()
    @listing_options
    @db_option
    def things_command(out, db_path):
        out.emit(records, COLUMNS)          # records: dicts, the documented JSON shape

``--format`` is ``table`` (people), ``jsonl`` (one object a line), ``json``
(one array) or ``csv`` (a header row; cells formula-safe as the exports are,
lists and objects as JSON text). With no ``--format``, a terminal gets a table
that fits its width (cells cut with an ellipsis, paths shown as the file name,
the lowest-priority columns dropped when they cannot fit) and a pipe gets the
table at its natural width, untruncated, so ``| grep`` sees every character
(as ``gh`` does). ``--wide`` gives the untruncated table on a terminal too.
"""

from __future__ import annotations

import csv
import functools
import json
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import click

from workbench.export.text import csv_cell
from workbench.safe_text import json_line, one_line

FORMATS = ("table", "jsonl", "json", "csv")
ELLIPSIS = "…"
_TOKENS = re.compile(r"\S+\s*|\s+")
# SIMPLE_HEAD, no outer edge, one space of padding: a column costs its width plus 3 cells, minus 2 for the table.
_COLUMN_COST = 3
_TABLE_SAVING = 2


@dataclass(frozen=True)
class Column:
    """One table column over a record field.

    ``priority``: 0 is never dropped; on a narrow terminal the highest numbers
    go first. ``flex``: the share of spare width this column takes (0: only its
    natural width up to ``min_width``). ``lines``: how many lines a cell may
    wrap to before it is cut (1 for most; 2-3 for running text). ``kind``
    "path" shows only the file name and "date" only the day when the table is fitted.
    """

    key: str
    header: str | None = None
    priority: int = 0
    flex: int = 0
    lines: int = 1
    min_width: int = 4
    kind: str = "text"
    justify: str = "left"
    value: Callable[[dict], Any] | None = None

    @property
    def title(self) -> str:
        return self.header if self.header is not None else self.key

    def cell(self, record: dict, fitted: bool) -> str:
        raw = self.value(record) if self.value else record.get(self.key)
        if raw is None:
            return ""
        if isinstance(raw, float):
            raw = f"{raw:.2f}"
        elif isinstance(raw, bool):
            raw = "yes" if raw else ""
        elif isinstance(raw, (list, tuple)):
            raw = ", ".join(str(item) for item in raw)
        text = one_line(raw)
        if fitted and self.kind == "path" and text:
            text = PurePath(text).name or text
        if fitted and self.kind == "date" and len(text) > 10 and text[4:5] == "-":
            text = text[:10]  # the day; the time and zone are in --wide and the JSON
        return text


def terminal_width() -> int:
    """$COLUMNS, else the terminal's width, else 80."""
    return shutil.get_terminal_size((80, 24)).columns


class Output:
    """Where a listing goes: the chosen format, buffered for ``json`` and ``csv`` (one array, one header)."""

    def __init__(self, fmt: str | None, wide: bool = False, stream=None):
        self.fmt = fmt or "table"
        self.explicit = fmt is not None
        self.wide = wide
        self.stream = stream or sys.stdout
        self._records: list[dict] = []
        self._fields: list[str] = []
        self._closed = False

    @property
    def table(self) -> bool:
        return self.fmt == "table"

    @property
    def fitted(self) -> bool:
        """Fit the terminal: on a terminal (or when ``--format table`` is asked for), unless ``--wide``."""
        if self.wide:
            return False
        return self.explicit or self.stream.isatty()

    def emit(self, records: Iterable[dict], columns: Sequence[Column], *, title: str | None = None,
             fields: Sequence[str] | None = None) -> None:
        """Print ``records`` in the chosen format; ``fields`` names the CSV header when there may be no records."""
        records = list(records)
        if self.fmt == "jsonl":
            for record in records:
                self.stream.write(json_line(record) + "\n")
            return
        if self.fmt in ("json", "csv"):
            self._records.extend(records)
            for name in list(fields or []) + [k for r in records for k in r]:
                if name not in self._fields:
                    self._fields.append(name)
            return
        print_listing(records, columns, title=title, fitted=self.fitted, stream=self.stream)

    def close(self) -> None:
        """Write what ``json`` and ``csv`` buffered (once; later calls do nothing)."""
        if self._closed:
            return
        self._closed = True
        if self.fmt == "json":
            self.stream.write("[" + ",\n".join(json_line(r) for r in self._records) + "]\n")
        elif self.fmt == "csv":
            writer = csv.writer(self.stream, lineterminator="\n")
            writer.writerow(self._fields)
            for record in self._records:
                writer.writerow([_csv_value(record.get(name)) for name in self._fields])
        self._records.clear()


def _csv_value(value: Any) -> Any:
    if isinstance(value, (list, tuple, dict)):
        value = json.dumps(value, ensure_ascii=False)
    return csv_cell(value)


def listing_options(function):
    """Add ``--format`` and ``--wide``; the command gets ``out`` (an :class:`Output`) instead."""

    @click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                  help="table (default; fits the terminal, untruncated when piped), jsonl (one JSON object a "
                       "line), json (one array) or csv (a header row; formula-safe cells).")
    @click.option("--wide", is_flag=True, help="Show every column, untruncated, even on a narrow terminal.")
    @functools.wraps(function)
    def wrapper(*args, fmt, wide, **kwargs):
        out = Output(fmt, wide)
        result = function(*args, out=out, **kwargs)
        out.close()
        return result

    return wrapper


# -- tables -----------------------------------------------------------------------------------

def _cell_len(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def _chop(text: str, width: int) -> tuple[str, str]:
    """The longest head of ``text`` that fits ``width`` cells, and the rest."""
    used = 0
    for i, char in enumerate(text):
        used += _cell_len(char)
        if used > width:
            return text[:i], text[i:]
    return text, ""


def _wrap(text: str, width: int) -> list[str]:
    """Word-wrap on spaces; a word too long for a line (a Chinese sentence, a URL) is folded where it stands."""
    lines: list[str] = []
    line = ""
    for token in _TOKENS.findall(text):
        if _cell_len(line + token.rstrip()) <= width:
            line += token
            continue
        if _cell_len(token.rstrip()) > width - _cell_len(line):
            word = token.rstrip()
            if not line or _cell_len(word) > width or _cell_len(word) > len(word):
                # a word longer than a line, or running Chinese text: fill the line it starts on
                head, token = _chop(token, width - _cell_len(line))
                lines.append((line + head).rstrip())
                while _cell_len(token.rstrip()) > width:
                    head, token = _chop(token, width)
                    lines.append(head)
                line = token
                continue
        lines.append(line.rstrip())
        line = token
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def _cut(text: str, width: int, lines: int) -> str:
    """``text`` in at most ``lines`` lines of ``width`` cells, the last cut with an ellipsis."""
    if _cell_len(text) <= width:
        return text
    if lines > 1:
        parts = _wrap(text, width)
        if len(parts) <= lines:
            return "\n".join(parts)
        return "\n".join(parts[:lines - 1] + [_cut(" ".join(parts[lines - 1:]), width, 1)])
    head, _ = _chop(text, width - 1)
    return head.rstrip() + ELLIPSIS


def layout(columns: Sequence[Column], cells: list[list[str]], width: int) -> list[tuple[int, int]]:
    """(column index, width) of the columns kept in ``width`` terminal cells, in their order."""
    natural = []
    for i, column in enumerate(columns):
        longest = max((_cell_len(row[i]) for row in cells), default=0)
        natural.append(max(_cell_len(column.title), longest, 1))
    floor = [min(natural[i], max(c.min_width, _cell_len(c.title))) for i, c in enumerate(columns)]
    kept = list(range(len(columns)))

    def cost(indices, widths):
        return sum(widths[i] + _COLUMN_COST for i in indices) - _TABLE_SAVING

    # Drop the least important column (highest priority number, rightmost first) until the floors fit.
    while len(kept) > 1 and cost(kept, floor) > width:
        droppable = [i for i in kept if columns[i].priority > 0]
        if not droppable:
            break
        kept.remove(max(droppable, key=lambda i: (columns[i].priority, i)))
    widths = {i: floor[i] for i in kept}
    spare = width - cost(kept, floor)
    # Fixed columns first get their natural width, then flexible ones share what is left by weight.
    for i in kept:
        if columns[i].flex == 0 and spare > 0:
            grow = min(natural[i] - widths[i], spare)
            widths[i] += grow
            spare -= grow
    while spare > 0:
        growing = [i for i in kept if columns[i].flex and widths[i] < natural[i]]
        if not growing:
            break
        weight = sum(columns[i].flex for i in growing)
        given = 0
        for i in growing:
            share = max(1, spare * columns[i].flex // weight)
            share = min(share, natural[i] - widths[i], spare - given)
            if share <= 0:
                continue
            widths[i] += share
            given += share
        if given == 0:
            break
        spare -= given
    return [(i, widths[i]) for i in kept]


def print_listing(records: Sequence[dict], columns: Sequence[Column], *, title: str | None = None,
                  fitted: bool = True, stream=None) -> None:
    """A table of plain-text cells (nothing is parsed as markup or reaches the terminal raw)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    stream = stream or sys.stdout
    cells = [[column.cell(record, fitted) for column in columns] for record in records]
    if fitted:
        width = terminal_width()
        plan = layout(columns, cells, width)
    else:
        plan = [(i, max([_cell_len(c.title)] + [_cell_len(row[i]) for row in cells])) for i, c in enumerate(columns)]
        width = sum(w + _COLUMN_COST for _, w in plan) - _TABLE_SAVING
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1), expand=False)
    for i, column_width in plan:
        column = columns[i]
        table.add_column(Text(_cut(column.title, column_width, 1)), width=column_width, no_wrap=True,
                         overflow="ellipsis", justify=column.justify)
    for row in cells:
        table.add_row(*(Text(_cut(row[i], w, columns[i].lines) if fitted else row[i]) for i, w in plan))
    console = Console(file=stream, width=max(width, 20), highlight=False, soft_wrap=False, color_system=None
                      if not stream.isatty() else "auto", emoji=False, markup=False)
    if title:  # on its own line: a table's title would wrap to the table's width
        console.print(Text(_cut(one_line(title), max(width, 20), 1) if fitted else one_line(title)))
    console.print(table)


def print_table(columns: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str | None = None,
                limits: dict[str, int] | None = None) -> None:
    """A table from plain column names and rows (the older call; it fits the terminal like every listing)."""
    specs = [Column(str(i), header=name, flex=1 if (limits or {}).get(name) else 0, lines=2 if (limits or {}).get(
        name, 0) >= 36 else 1) for i, name in enumerate(columns)]
    records = [{str(i): value for i, value in enumerate(row)} for row in rows]
    print_listing(records, specs, title=title, fitted=sys.stdout.isatty())
