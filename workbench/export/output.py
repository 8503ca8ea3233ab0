"""Where exported text goes: standard output, or a file written safely.

The rules for ``-o FILE``:

* A name containing NUL, or with a ``..`` component, is refused: ``..`` climbs
  out of the folder the user pointed at, and a NUL would silently truncate the
  name at the system call.
* Absolute paths and paths through symlinked *folders* are the user's own
  choice on their own command line and are allowed.
* A final component that is a symlink (even a dangling one) is refused: writing
  "through" it would land somewhere other than the name given.
* An existing file is never replaced without ``force``; a folder never is.
* The text is written to a temporary file in the same folder, flushed to disk,
  then moved into place (``os.replace``, or ``os.link`` when not forcing, which
  fails if a file appeared meanwhile), so a reader never sees half a file and a
  failed export leaves no trace.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO


class OutputRefused(ValueError):
    """An output path the exporter will not write to; ``str(exc)`` says why."""


def check_output_path(path: str | os.PathLike, *, force: bool = False) -> Path:
    """Apply the rules above to ``path`` and return it as a Path, or raise OutputRefused."""
    text = os.fspath(path)
    if "\x00" in text:
        raise OutputRefused("the output name contains a NUL character")
    if not text:
        raise OutputRefused("the output name is empty")
    target = Path(text)
    if ".." in target.parts:
        raise OutputRefused(f"the output name {printable(text)} has a '..' component")
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        info = None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise OutputRefused(f"{printable(text)} is a symbolic link; refusing to write through it")
        if stat.S_ISDIR(info.st_mode):
            raise OutputRefused(f"{printable(text)} is a folder")
        if not force:
            raise OutputRefused(f"{printable(text)} exists; use --force to replace it")
        if not stat.S_ISREG(info.st_mode):
            raise OutputRefused(f"{printable(text)} is not a regular file")
    parent = target.parent
    if not parent.is_dir():
        raise OutputRefused(f"the folder {printable(str(parent))} does not exist")
    return target


def printable(text: str) -> str:
    """A file name fit for a message: quoted, control characters escaped (never sent raw)."""
    return ascii(text) if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text) else repr(text)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def open_output(
    path: str | os.PathLike | None,
    *,
    force: bool = False,
    stdout: BinaryIO | None = None,
) -> Iterator[TextIO]:
    """A UTF-8 text stream with no newline translation, to ``path`` or to stdout.

    Writers put their own line ends ("\\n", or "\\r\\n" for CSV). On an error
    inside the block the file is not created (or not replaced).
    """
    if path is None:
        if stdout is None:
            sys.stdout.flush()  # anything already printed through the text layer goes first
            binary = sys.stdout.buffer
        else:
            binary = stdout
        stream = io.TextIOWrapper(binary, encoding="utf-8", newline="", write_through=False)
        try:
            yield stream
        finally:
            stream.flush()
            stream.detach()  # leave the process's stdout open
        return

    target = check_output_path(path, force=force)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        # mkstemp makes the file private (0600); an export is an ordinary file.
        if hasattr(os, "fchmod"):  # not on Windows before Python 3.13
            os.fchmod(fd, 0o666 & ~_umask())
        with open(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        _move_into_place(tmp, target, force=force)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _move_into_place(tmp: Path, target: Path, *, force: bool) -> None:
    if force:
        # The check ran before writing; look again so a symlink planted
        # meanwhile is not followed (os.replace would replace the link itself,
        # but the user asked for a file at this name, not a surprise).
        check_output_path(target, force=True)
        os.replace(tmp, target)
    else:
        try:
            os.link(tmp, target)  # fails if the name was taken meanwhile: never clobbers
        except FileExistsError:
            raise OutputRefused(f"{printable(str(target))} appeared while exporting; use --force to replace it") from None
        except OSError:
            # No hard links here (FAT, some network or FUSE filesystems): check and rename.
            check_output_path(target, force=False)
            os.replace(tmp, target)
        else:
            tmp.unlink()
    _fsync_dir(target.parent)


def _fsync_dir(folder: Path) -> None:
    # Make the rename itself durable; not every platform can open a folder.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
