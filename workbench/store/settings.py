"""Per-database settings (JSON values) through one registry, each change audited.

Every key is registered once with a validator, a default and a line of help:
``settings set`` refuses a key nobody registered and a value its validator
rejects, so a typo or ``{"top_k": "5"}`` fails at the prompt, not in every
later import. A validator takes the decoded value and returns the value to
store (normalised), or raises ``ValueError`` with a one-line reason.

Modules that own a setting register it where its meaning lives; the modules
in ``PROVIDERS`` are imported before the registry is listed, so ``settings
show`` sees every key::

    from workbench.store.settings import register
    register("publisher", text_setting, None, "the organisation named as ClaimReview author")
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from workbench.claims import DEFAULT_THRESHOLD
from workbench.store.audit import append_event

Validator = Callable[[Any], Any]

# Modules that register settings at import time (append yours).
PROVIDERS: tuple[str, ...] = ("workbench.export.publishing",)


class SettingError(ValueError):
    """An unknown key or a value its validator refuses; the message is one line."""


@dataclass(frozen=True)
class Setting:
    key: str
    validator: Validator
    default: Any
    help: str


_REGISTRY: dict[str, Setting] = {}


def register(key: str, validator: Validator, default: Any = None, help: str = "") -> Setting:
    """Register ``key``; registering the same key again replaces it (module reloads)."""
    setting = Setting(key, validator, default, help)
    _REGISTRY[key] = setting
    return setting


def _load_providers() -> None:
    for module in PROVIDERS:
        importlib.import_module(module)


def all_settings() -> list[Setting]:
    """Every registered setting, sorted by key."""
    _load_providers()
    return [_REGISTRY[key] for key in sorted(_REGISTRY)]


def lookup(key: str) -> Setting:
    _load_providers()  # always: a provider may refine a key registered here (imports are cached)
    try:
        return _REGISTRY[key]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise SettingError(f"unknown setting {key!r}; the settings are: {known}") from None


def validate(key: str, value: Any) -> Any:
    """The value to store for ``key``, or :class:`SettingError` saying why not."""
    setting = lookup(key)
    try:
        return setting.validator(value)
    except (ValueError, TypeError) as exc:
        raise SettingError(f"{key}: {' '.join(str(exc).split())}") from None


def parse_cli_value(text: str) -> Any:
    """A value typed at the command line: JSON when it parses as JSON, else the text itself."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def get(db: sqlite_utils.Database, key: str) -> Any:
    """The stored value of a registered key, else its default."""
    setting = lookup(key)
    return get_setting(db, key, setting.default)


def set(db: sqlite_utils.Database, key: str, value: Any, *, actor: str, reason: str | None = None) -> Any:  # noqa: A001
    """Validate and store; runs inside the caller's transaction with its audit event. Returns the stored value."""
    stored = validate(key, value)
    set_setting(db, key, stored, actor=actor, reason=reason)
    return stored


# -- the raw row access (no validation: internal keys such as database_id) -----------

def get_setting(db: sqlite_utils.Database, key: str, default: Any = None) -> Any:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return default if row is None else json.loads(row[0])


def set_setting(db: sqlite_utils.Database, key: str, value: Any, *, actor: str, reason: str | None = None) -> None:
    """Change a setting; runs inside the caller's transaction with its audit event."""
    before = get_setting(db, key)
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, json.dumps(value, ensure_ascii=False)],
    )
    append_event(db, actor=actor, action="setting.change", object_type="setting", object_id=key,
                 before=before, after=value, reason=reason)


# -- validators for the common shapes ------------------------------------------------

def text_setting(value: Any) -> str | None:
    """Non-blank text (or null to clear it)."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = json.dumps(value)  # `settings set publisher 2024` means the text "2024"
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected non-blank text")
    return value.strip()


def number_between(low: float, high: float) -> Validator:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"expected a number from {low} to {high}, got {json.dumps(value, ensure_ascii=False)}")
        if not low <= value <= high:
            raise ValueError(f"expected a number from {low} to {high}, got {value}")
        return float(value)
    return check


def dataclass_overrides(*classes: type, exclude: frozenset[str] = frozenset()) -> Validator:
    """A JSON object whose keys are fields of ``classes`` and whose values have the field's type (its default's)."""
    defaults = {}
    for cls in classes:
        instance = cls()
        for f in dataclasses.fields(cls):
            if f.name not in exclude:
                defaults.setdefault(f.name, getattr(instance, f.name))
    fields = defaults

    def check(value: Any) -> dict:
        if not isinstance(value, dict):
            raise ValueError("expected a JSON object")
        out = {}
        for key, item in value.items():
            if key not in fields:
                raise ValueError(f"unknown key {key!r}; known: {', '.join(sorted(fields))}")
            default = defaults[key]
            kind = type(default)
            if isinstance(item, bool) != isinstance(default, bool):
                raise ValueError(f"{key} must be {kind.__name__}, got {json.dumps(item, ensure_ascii=False)}")
            if kind is float and isinstance(item, int):
                item = float(item)
            if not isinstance(item, kind) or (kind is float and not math.isfinite(item)):
                raise ValueError(f"{key} must be {kind.__name__}, got {json.dumps(item, ensure_ascii=False)}")
            if kind in (int, float) and item < 0:
                raise ValueError(f"{key} must not be negative, got {item}")
            out[key] = item
        return out
    return check


# -- the settings every part of the workbench shares ----------------------------------

def _scale(value: Any) -> dict:
    from workbench.scales import get_scale, scale_from_json

    scale = scale_from_json(value) if isinstance(value, dict) else get_scale(str(value))
    return scale.to_json()


def _link_config(value: Any) -> dict:
    from workbench.linking import LinkConfig, LinkRules

    # the selection knobs of LinkConfig and every rule of LinkRules (pipeline.link_config applies both)
    return dataclass_overrides(LinkConfig, LinkRules, exclude=frozenset({"rules"}))(value)


register("scale", _scale, None,
         "the verdict scale: a preset name (default, politifact, averitec, tfc) or a JSON scale")
register("claim_threshold", number_between(0, 1), DEFAULT_THRESHOLD,
         "check-worthiness score from which a statement is a claim (0..1; run reprocess after)")
register("link_config", _link_config, {},
         'linker settings as JSON, e.g. {"top_k": 5, "min_score": 0.35} (run link after)')
# publisher, review_url: registered by workbench.export.publishing (in PROVIDERS)
