"""The per-file isolation boundary: one file in, articles or refusals out, never an exception.

Reading, parsing and analysing a file are pure functions of its bytes, so a
hostile file can only cost its own line: :func:`read_file` turns any exception
raised while reading and parsing into a :class:`~workbench.model.Refusal`
naming the exception class and message, and :func:`analyse_article` does the
same for one article's analysis. Neither touches the database, so the batch
around them is never at risk, and both are plain functions of picklable
arguments: what a worker process runs.

Reasons are one line of text that SQLite, the terminal and every export can
encode (file names through :func:`workbench.ingest.names.stored_name`, lone
surrogates in messages escaped).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench import dedup
from workbench.claims.analyse import analyse
from workbench.ingest import read_document
from workbench.ingest.files import InputFile
from workbench.ingest.names import stored_name
from workbench.model import ParsedArticle, Refusal

# Analysis costs about 20 s per megabyte of one unbroken line; a longer line is a
# dump, not an article, and is refused so an import's time stays bounded.
MAX_LINE_CHARS = 2_000_000
_MAX_REASON = 400

_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))


@dataclass
class FileRead:
    """What one file gave: its storable name, the bytes read, and an article or a refusal per record."""

    name: str
    size: int = 0
    items: list[ParsedArticle | Refusal] = field(default_factory=list)


@dataclass
class Analysed:
    """One article ready to store: its bytes' hash, near-duplicate fingerprint and analysis."""

    parsed: ParsedArticle
    sha256: str
    prints: Any
    analysis: Any


def reason_of(exc: BaseException, what: str = "reading") -> str:
    """A one-line, encodable reason: a Refusal's own words, else the exception class and message."""
    if isinstance(exc, Refusal):
        text = str(exc)
    elif isinstance(exc, OSError):
        text = f"cannot read: {exc.strerror or exc}"
    elif isinstance(exc, MemoryError):
        text = f"out of memory while {what} this file"
    elif isinstance(exc, RecursionError):
        text = f"nested too deeply to be an article (RecursionError while {what})"
    else:
        text = f"internal error while {what}: {type(exc).__name__}: {exc}"
    return one_line_reason(text)


def one_line_reason(text: str) -> str:
    text = " ".join(str(text).split())
    if len(text) > _MAX_REASON:
        text = text[:_MAX_REASON] + "…"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def read_file(item: InputFile | str | os.PathLike, *, max_bytes: int) -> FileRead:
    """Read and parse one file; every failure becomes a refusal (see the module docstring)."""
    path = item.path if isinstance(item, InputFile) else Path(item)
    result = FileRead(stored_name(path))
    try:
        if isinstance(item, InputFile) and item.refusal:
            raise Refusal(item.refusal)
        data = _read_regular(path, max_bytes)
        result.size = len(data)
        result.items = [item if isinstance(item, ParsedArticle) else Refusal(one_line_reason(str(item)))
                        for item in read_document(result.name, data)]
    except Exception as exc:  # noqa: BLE001 -- the boundary (MemoryError, RecursionError included)
        result.items = [Refusal(reason_of(exc))]
    return result


def _read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file; a FIFO, socket or device is refused without blocking on it."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket, or a FIFO nobody writes to
            raise Refusal("not a regular file (a socket or FIFO): not read") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
            raise Refusal(f"{kind}, not a regular file: not read")
        if info.st_size > max_bytes:
            raise Refusal(f"larger than {max_bytes:,} bytes ({info.st_size:,}); raise --max-bytes to import it")
        if getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:  # grew while we read it
                raise Refusal(f"larger than {max_bytes:,} bytes; raise --max-bytes to import it")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def content_hash(parsed: ParsedArticle) -> str:
    return hashlib.sha256(parsed.raw).hexdigest()


def analyse_article(parsed: ParsedArticle, *, matcher, threshold: float, topics: frozenset[int],
                    sha256: str | None = None, organisations: frozenset[int] = frozenset()) -> Analysed | Refusal:
    """Fingerprint and analyse one article, or a refusal saying why not (never raises)."""
    record = f"record {parsed.record}: " if parsed.record else ""
    try:
        longest = max(map(len, parsed.clean_text.split("\n")))
        if longest > MAX_LINE_CHARS:
            return Refusal(f"{record}one line of {longest:,} characters (over {MAX_LINE_CHARS:,}) would take"
                           " minutes to analyse; split it into lines or paragraphs")
        prints = dedup.fingerprint(parsed.clean_text)
        analysis = analyse(parsed.clean_text, published=parsed.published, matcher=matcher,
                           language=parsed.language, threshold=threshold, topics=topics,
                           organisations=organisations)
    except Exception as exc:  # noqa: BLE001 -- the boundary
        return Refusal(record + reason_of(exc, "analysing"))
    return Analysed(parsed, sha256 or content_hash(parsed), prints, analysis)
