"""Which files an import reads: the paths given, folders walked recursively.

A folder is walked without leaving it: a symlink whose target lies outside the
folder being imported (``ln -s /etc/shadow d/x.txt``) is not followed, nor is a
symlink loop or a broken link; each is yielded with the reason it is not read,
so the import prints one line for it instead of reading it or skipping it
silently. ``follow_symlinks=True`` (``--follow-symlinks``) follows links
anywhere, loops still excepted. FIFOs, sockets and devices are yielded too and
refused by :func:`workbench.isolation.read_file`, which never opens them for
a blocking read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from workbench.ingest.names import stored_name


class InputFile(type(Path())):
    """A path to import, and ``refusal``: why it will not be read (None: read it)."""

    refusal: str | None = None

    @property
    def path(self) -> Path:
        return Path(self)


def _entry(path, refusal: str | None = None) -> InputFile:
    item = InputFile(path)
    item.refusal = refusal
    return item


def iter_input_files(paths: Iterable[str | os.PathLike], *, follow_symlinks: bool = False) -> Iterator[InputFile]:
    """Yield the entries named by ``paths``, walking folders recursively.

    Folders are walked in sorted order (by path), skipping dot-files and
    dot-folders (``.git``, ``.DS_Store``). A path named explicitly is yielded
    even if its name starts with a dot or it is a symlink: the user asked for
    it. Each file is yielded once. A path that does not exist raises
    :class:`FileNotFoundError` before anything is read from it. An
    :class:`InputFile` passes through unchanged (a listing made earlier).
    """
    seen: set[str] = set()
    for given in paths:
        if isinstance(given, InputFile):
            candidates: Iterable[InputFile] = (given,)
        else:
            path = Path(given)
            if path.is_dir():
                candidates = _walk(path, follow_symlinks)
            elif os.path.lexists(path):
                candidates = (_entry(path, _broken_link(path)),)
            else:
                raise FileNotFoundError(f"no such file or folder: {stored_name(path)}")
        for candidate in candidates:
            key = os.path.realpath(candidate.path) if candidate.refusal is None else f"refused:{candidate.path}"
            if key not in seen:
                seen.add(key)
                yield candidate


def _broken_link(path: Path) -> str | None:
    try:
        os.stat(path)
    except OSError as exc:
        return f"a symlink that leads nowhere or to itself ({exc.strerror}): not followed"
    return None


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def _walk(root: Path, follow_symlinks: bool) -> Iterator[InputFile]:
    real_root = os.path.realpath(root)
    found: list[InputFile] = []
    visited: set[tuple[int, int]] = set()
    info = os.stat(root)
    visited.add((info.st_dev, info.st_ino))
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            found.append(_entry(folder, f"cannot list this folder: {exc.strerror or exc}"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if entry.is_symlink():
                try:
                    target_info = os.stat(path)
                except OSError as exc:
                    found.append(_entry(path, f"a symlink that leads nowhere or loops ({exc.strerror}): not followed"))
                    continue
                target = os.path.realpath(path)
                if not follow_symlinks and not _inside(target, real_root):
                    found.append(_entry(path, f"a symlink to {stored_name(target)}, outside the folder being"
                                                 " imported: not followed (--follow-symlinks to import it)"))
                    continue
                if stat.S_ISDIR(target_info.st_mode):
                    key = (target_info.st_dev, target_info.st_ino)
                    if key in visited or _inside(real_root, target):
                        found.append(_entry(path, "a symlink loop (a folder that contains itself): not followed"))
                        continue
                    visited.add(key)
                    stack.append(path)
                    continue
                found.append(_entry(path))
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                entry_info = entry.stat(follow_symlinks=False)
                key = (entry_info.st_dev, entry_info.st_ino)
                if key not in visited:  # a bind mount can loop too
                    visited.add(key)
                    stack.append(path)
                continue
            found.append(_entry(path))  # regular files, and FIFOs/sockets/devices to be refused with a line
    yield from sorted(found, key=lambda f: f.relative_to(root).parts)
