"""Which files an import reads: the paths given, folders walked recursively."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Yield the files named by ``paths``, walking folders recursively.

    Folders are walked in sorted order (by path), skipping dot-files and
    dot-folders (``.git``, ``.DS_Store``) and symlinked folders (no loops).  A
    file named explicitly is yielded even if its name starts with a dot: the
    user asked for it.  Each file is yielded once.  A path that does not exist
    raises :class:`FileNotFoundError` before anything is read from it.
    """
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            candidates: Iterable[Path] = _walk(path)
        elif path.is_file():
            candidates = (path,)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                yield candidate


def _walk(root: Path) -> Iterator[Path]:
    found = []
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        for name in filenames:
            if not name.startswith("."):
                candidate = Path(folder, name)
                if candidate.is_file():
                    found.append(candidate)
    yield from sorted(found, key=lambda p: p.relative_to(root).parts)
