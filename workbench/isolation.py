"""The per-file isolation boundary: reading one input file, and saying why not in one line.

The import's pure half (:mod:`workbench.prepare`: parse, fingerprint,
analyse) turns any exception into a refusal; this module is the half that
touches the file system. :func:`read_input` reads a regular file or refuses
with a :class:`~workbench.model.Refusal`: a FIFO, socket or device is opened
non-blocking and refused after ``fstat`` (never read, never hung on), a
symlink :func:`~workbench.ingest.files.iter_input_files` would not follow is
refused with its reason, and a file over ``max_bytes`` is refused by its size.

Reasons are one line of text that SQLite, the terminal and every export can
encode (:func:`one_line_reason` escapes lone surrogates; file names go
through :func:`workbench.ingest.names.stored_name`).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from workbench.model import Refusal

_MAX_REASON = 400
_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))


def reason_of(exc: BaseException, what: str = "importing") -> str:
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
    """One line, at most a few hundred characters, encodable as UTF-8 (lone surrogates escaped)."""
    text = " ".join(str(text).split())
    if len(text) > _MAX_REASON:
        text = text[:_MAX_REASON] + "…"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def read_input(item: str | os.PathLike, max_bytes: int) -> bytes:
    """The bytes of one input file, or :class:`Refusal` (see the module docstring)."""
    refusal = getattr(item, "refusal", None)
    if refusal:
        raise Refusal(refusal)
    path = Path(item)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket
            raise Refusal("a socket, not a regular file: not read") from None
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
            if total > max_bytes:  # it grew while we read it
                raise Refusal(f"larger than {max_bytes:,} bytes; raise --max-bytes to import it")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
