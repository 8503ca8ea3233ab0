"""Keys a person can remap: a TOML file of binding id -> keys, checked before the terminal is taken over.

The file is ``$WORKBENCH_KEYS`` when set, else ``~/.config/workbench/keys.toml``
(missing: the default keys)::

    # keys.toml: binding id = "key" or "key1,key2" (the ids are listed by ? in the review screen)
    [keys]
    verdict-1 = "z"
    undo = "backspace,ctrl+z"

An unknown id, or a key bound to two ids of the same screen, is refused with a
one-line :class:`KeymapError` naming them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from textual.binding import Binding


class KeymapError(ValueError):
    """The keys file cannot be used (a one-line reason)."""


def keys_path() -> Path:
    configured = os.environ.get("WORKBENCH_KEYS")
    return Path(configured).expanduser() if configured else Path("~/.config/workbench/keys.toml").expanduser()


def split_keys(keys: str) -> list[str]:
    return [k.strip() for k in keys.split(",") if k.strip()]


def load_keymap(path: Path | None, groups: dict[str, Iterable[Binding]] | Callable[[], dict[str, Iterable[Binding]]]
                ) -> dict[str, str]:
    """The keymap in ``path`` (``{}`` when there is no file), checked against each group of bindings.

    ``groups`` maps a context ("review screen", "dialogs", ...) to its
    bindings (or is a function returning that, called only when there is a
    file); keys must be unique within a context once the keymap applies.
    """
    path = keys_path() if path is None else path
    if not path.exists():
        return {}
    if callable(groups):
        groups = groups()
    import tomllib  # only when there is a keys file (most starts have none)

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise KeymapError(f"{path}: not a readable TOML file: {exc}") from exc
    table = data.get("keys", data)
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise KeymapError(f"{path}: expected a [keys] table of binding id = \"key\" strings")
    known = {b.id for bindings in groups.values() for b in bindings if b.id}
    unknown = sorted(set(table) - known)
    if unknown:
        raise KeymapError(f"{path}: unknown binding id(s) {', '.join(unknown)} (press ? in the review screen for "
                          f"the ids)")
    keymap = {ident: ",".join(split_keys(keys)) for ident, keys in table.items()}
    for where, bindings in groups.items():
        owner: dict[str, str] = {}
        for binding in bindings:
            ident = binding.id or binding.action
            for key in split_keys(keymap.get(binding.id, binding.key) if binding.id else binding.key):
                if key in owner and owner[key] != ident:
                    raise KeymapError(f"{path}: key {key!r} is bound twice in the {where}: {owner[key]} and {ident}")
                owner[key] = ident
    return keymap


def effective_keys(binding: Binding, keymap: dict[str, str]) -> list[str]:
    return split_keys(keymap.get(binding.id, binding.key) if binding.id else binding.key)
