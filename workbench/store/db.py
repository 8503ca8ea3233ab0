"""Opening the one SQLite file, and the transactions every write goes through.

Every connection is made by :func:`open_db`, so every process gets the same
settings: WAL (readers never block the writer), ``synchronous=FULL`` (a commit
survives a power cut, not just a crash), a generous busy timeout, foreign keys.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from workbench.store.schema import migrations

BUSY_TIMEOUT_MS = 10_000
DEFAULT_DB = "workbench.db"

# Filesystems where SQLite's WAL shared memory is unsafe (it needs one host's mmap).
_NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "sshfs", "fuse.sshfs", "9p", "afs",
               "fuse.rclone", "fuse.s3fs", "davfs", "fuse.davfs2", "ceph", "glusterfs", "fuse.glusterfs"}
_SYNC_DIRS = ("Dropbox", "OneDrive", "Google Drive", "GoogleDrive", "iCloud Drive", "Mobile Documents", "Nextcloud", "ownCloud", "Syncthing")


class DatabaseBusy(RuntimeError):
    """Another process held the write lock for longer than we are willing to wait."""


def resolve_db_path(explicit: str | os.PathLike | None) -> Path:
    """``--db PATH``, else ``$WORKBENCH_DB``, else ``./workbench.db``."""
    return Path(explicit or os.environ.get("WORKBENCH_DB") or DEFAULT_DB)


def open_db(path: str | os.PathLike, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating and migrating as needed) the workbench database at ``path``."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:":
        with db.ensure_autocommit_on():
            _retry_busy(lambda: db.execute("PRAGMA journal_mode = WAL"))
    db.execute("PRAGMA synchronous = FULL")
    if migrate:
        _apply_migrations(db)
    return db


def _apply_migrations(db: sqlite_utils.Database) -> None:
    # Two processes may open a new file at once: take the write lock first and
    # look again, so only one of them creates the schema.
    if not migrations.pending(db):
        return
    _retry_busy(lambda: db.execute("BEGIN IMMEDIATE"))
    try:
        pending = migrations.pending(db)
        db.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise
    if pending:
        migrations.apply(db)


def _retry_busy(fn, attempts: int = 20):
    """Run ``fn``, retrying while SQLite says the database is locked or busy.

    The busy timeout already waits; this covers the cases where SQLite gives up
    at once (a lock upgrade that would deadlock, WAL recovery in progress).
    """
    delay = 0.01
    for attempt in range(attempts):
        try:
            return fn()
        except sqlite3.OperationalError as exc:
            message = str(exc)
            if "locked" not in message and "busy" not in message:
                raise
            if attempt == attempts - 1:
                raise DatabaseBusy(
                    "the database stayed locked by another process; try again"
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A write transaction that takes the write lock up front (``BEGIN IMMEDIATE``).

    A deferred ``BEGIN`` that reads and then writes can fail with "database is
    locked" when another writer got in between; taking the lock first makes
    read-check-write sequences (optimistic concurrency, the audit chain) safe.
    Nested use becomes a savepoint.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    _retry_busy(lambda: db.execute("BEGIN IMMEDIATE"))
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    else:
        try:
            _retry_busy(lambda: db.execute("COMMIT"))
        except BaseException:
            db.rollback()
            raise


def filesystem_warning(path: str | os.PathLike) -> str | None:
    """A warning when the database sits where WAL is unsafe (network or sync folder)."""
    target = Path(path).resolve()
    for part in target.parts:
        if any(part == name or part.startswith(name + " ") for name in _SYNC_DIRS):
            return (f"{target} is inside a sync folder ({part}); sync tools copy SQLite files mid-write "
                    "and WAL needs one host: keep the database on a local disk")
    fstype = _fs_type(target.parent)
    if fstype and fstype.lower() in _NETWORK_FS:
        return (f"{target} is on a {fstype} network filesystem, where SQLite's WAL mode is unsafe: "
                "keep the database on a local disk")
    return None


def _fs_type(directory: Path) -> str | None:
    """The filesystem type of ``directory`` from /proc/mounts (longest mount prefix)."""
    try:
        with open("/proc/mounts", encoding="utf-8", errors="replace") as mounts:
            entries = [line.split() for line in mounts]
    except OSError:
        return None
    best, best_len = None, -1
    text = str(directory)
    for entry in entries:
        if len(entry) < 3:
            continue
        mount = entry[1].replace("\\040", " ")
        if (text == mount or text.startswith(mount.rstrip("/") + "/")) and len(mount) > best_len:
            best, best_len = entry[2], len(mount)
    return best
