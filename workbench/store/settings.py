"""Per-database settings (JSON values), each change audited."""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from workbench.store.audit import append_event


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
