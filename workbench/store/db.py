"""Opening the one SQLite file, and the transactions every write goes through.

Every connection is made by :func:`open_db`, so every process gets the same
settings: WAL (readers never block the writer), ``synchronous=FULL`` (a commit
survives a power cut, not just a crash), a generous busy timeout, foreign keys.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import sqlite_utils
from sqlite_utils import Migrations

from workbench.store.schema import migrations

DEFAULT_DB = "workbench.db"
# How long a write waits for another process's lock before giving up (``--wait``),
# and after how long it says it is waiting.
DEFAULT_WAIT_SECONDS = 30.0
NOTICE_AFTER_SECONDS = 1.0
WAITING_MESSAGE = "waiting for the database: another process is writing"
# ``PRAGMA application_id``: the four bytes "WkBn", so `file(1)` and we can tell our files from others'.
APPLICATION_ID = int.from_bytes(b"WkBn", "big")
_SQLITE_HEADER = b"SQLite format 3\x00"
_SQLITE_FULL = 13

# Filesystems where SQLite's WAL shared memory is unsafe (it needs one host's mmap).
_NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "sshfs", "fuse.sshfs", "9p", "afs",
               "fuse.rclone", "fuse.s3fs", "davfs", "fuse.davfs2", "ceph", "glusterfs", "fuse.glusterfs"}
_SYNC_DIRS = ("Dropbox", "OneDrive", "Google Drive", "GoogleDrive", "iCloud Drive", "Mobile Documents", "Nextcloud", "ownCloud", "Syncthing")


class DatabaseError(RuntimeError):
    """The database cannot be used as asked; the message is one line for the user."""


class DatabaseBusy(DatabaseError):
    """Another process held the write lock for longer than we are willing to wait."""


class DatabaseFull(DatabaseError):
    """The disk (or the database's size limit) is full; the transaction was rolled back."""


def resolve_db_path(explicit: str | os.PathLike | None) -> Path:
    """``--db PATH``, else ``$WORKBENCH_DB``, else ``./workbench.db``."""
    return Path(explicit or os.environ.get("WORKBENCH_DB") or DEFAULT_DB)


def schema_version() -> int:
    """The schema version this code writes: the number of migrations it knows."""
    return len(migrations._migrations)


def open_db(path: str | os.PathLike, *, migrate: bool = True, readonly: bool = False,
            wait: float = DEFAULT_WAIT_SECONDS, on_wait: Callable[[str], None] | None = None) -> sqlite_utils.Database:
    """Open the workbench database at ``path``: creating and migrating it when ``migrate``.

    ``readonly`` opens an existing, current database only (never creating or
    migrating one) and refuses writes on the connection. A file that is not
    SQLite, another application's database, a newer schema, a directory or a
    FIFO raise :class:`DatabaseError` before anything is written. ``wait`` is
    how long a write waits for another process's lock; ``on_wait`` is told
    (once) when that takes longer than a second.
    """
    memory = str(path) == ":memory:"
    if not memory:
        _check_file(Path(path), must_exist=readonly or not migrate)
    conn = _connect(path, "rw" if readonly else "rwc", wait)
    # no sqlite-utils plugins: nothing of the workbench uses them, and loading them scans every installed
    # package's entry points at each start (~10 ms); the tests run without them too (sqlite-utils skips them there)
    db = sqlite_utils.Database(conn, execute_plugins=False)
    db.wait_seconds = wait  # read by _with_lock: every write transaction of this connection
    db.on_wait = on_wait
    try:
        _set_busy_timeout(db, wait)
        db.execute("PRAGMA foreign_keys = ON")
        _check_identity(db, path, readonly=readonly or not migrate)
        if readonly:
            db.execute("PRAGMA query_only = ON")
        elif not memory:
            with db.ensure_autocommit_on():
                _with_lock(db, lambda: db.execute("PRAGMA journal_mode = WAL"))
        db.execute("PRAGMA synchronous = FULL")
        if migrate and not readonly:
            _apply_migrations(db)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _translate(exc, path) from None
    except BaseException:
        conn.close()
        raise
    return db


def open_second(path: str | os.PathLike, *, wait: float = DEFAULT_WAIT_SECONDS) -> sqlite_utils.Database:
    """Another connection, for reading only, to a database this process has already opened with
    :func:`open_db` (which checked the file is ours and current, and migrated it): no checks again.

    For a count in a background thread while the UI thread is busy: every statement there waits for the
    UI thread to hand over the interpreter lock (up to 5 ms each time), so this one runs none of its own.
    """
    return sqlite_utils.Database(_connect(path, "rw", wait), recursive_triggers=False, execute_plugins=False)


def _connect(path: str | os.PathLike, mode: str, wait: float) -> sqlite3.Connection:
    """The SQLite connection behind both openers (``mode``: rw, or rwc to create the file), or a one-line error."""
    memory = str(path) == ":memory:"
    uri = ":memory:" if memory else f"file:{quote(os.fspath(path))}?mode={mode}"
    try:
        return sqlite3.connect(uri, uri=not memory, timeout=wait, check_same_thread=False)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open the database {_shown(path)}: {exc}") from None


def _shown(path) -> str:
    from workbench.safe_text import one_line

    return one_line(os.fspath(path))


def _check_file(path: Path, *, must_exist: bool) -> None:
    """Refuse what is not a regular SQLite file before SQLite touches it (a FIFO would hang the open)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if must_exist:
            raise DatabaseError(f"no workbench database at {_shown(path)} (a read-only command never creates one;"
                                " check --db or $WORKBENCH_DB)") from None
        if not path.parent.is_dir():
            raise DatabaseError(f"cannot create the database {_shown(path)}: no folder {_shown(path.parent)}") from None
        return
    except OSError as exc:
        raise DatabaseError(f"cannot open the database {_shown(path)}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise DatabaseError(f"{_shown(path)} is a directory, not a database file")
    if not stat.S_ISREG(info.st_mode):
        raise DatabaseError(f"{_shown(path)} is not a regular file (a FIFO, socket or device), not a database")
    if info.st_size == 0:
        if must_exist:
            raise DatabaseError(f"{_shown(path)} is an empty file, not a workbench database yet")
        return
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseError(f"cannot read the database {_shown(path)}: {exc.strerror or exc}") from None
    if header != _SQLITE_HEADER:
        raise DatabaseError(f"{_shown(path)} is not a SQLite database (refusing to touch it)")


def _check_identity(db: sqlite_utils.Database, path, *, readonly: bool) -> None:
    """Ours (stamped, or an unstamped workbench file from before the stamp) and not newer than this code."""
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if app_id not in (0, APPLICATION_ID):
        raise DatabaseError(f"{_shown(path)} belongs to another application (application_id {app_id:#010x});"
                            " workbench will not use it")
    everything = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    # A killed first open may leave the migrations table alone: that file is still ours to create.
    tables = {t for t in everything if t != Migrations.migrations_table and not t.startswith("sqlite_")}
    applied = []
    if Migrations.migrations_table in everything:
        applied = [r[0] for r in db.execute(f"SELECT name FROM {Migrations.migrations_table} WHERE migration_set = ?",
                                            [migrations.name])]
    if app_id == 0 and tables and not applied:
        raise DatabaseError(f"{_shown(path)} is another application's SQLite database (it has tables but no"
                            " workbench schema); workbench will not use it")
    known = {m.name for m in migrations._migrations}
    unknown = [name for name in applied if name not in known]
    if unknown or version > schema_version():
        raise DatabaseError(f"{_shown(path)} has a newer schema (version {max(version, len(applied))}; this"
                            f" workbench knows {schema_version()}): upgrade workbench to open it")
    if readonly and tables and len(applied) < schema_version():
        raise DatabaseError(f"{_shown(path)} has an older schema (version {len(applied)} of {schema_version()});"
                            " a read-only command does not upgrade it: run `workbench upgrade` first")
    if readonly and not tables:
        raise DatabaseError(f"{_shown(path)} is an empty SQLite file, not a workbench database yet")


def _apply_migrations(db: sqlite_utils.Database) -> None:
    # Two processes may open a new file at once: take the write lock first and
    # look again, so only one of them creates the schema.
    if not migrations.pending(db) and _stamped(db):
        return
    _with_lock(db, lambda: db.execute("BEGIN IMMEDIATE"))
    try:
        pending = migrations.pending(db)
        db.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise
    if pending:
        migrations.apply(db)
    with db.ensure_autocommit_on():
        # The stamp: ours, and the schema this code wrote (checked on every open).
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {len(migrations.applied(db))}")


def _stamped(db: sqlite_utils.Database) -> bool:
    return (db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
            and db.execute("PRAGMA user_version").fetchone()[0] == schema_version())


def _set_busy_timeout(db: sqlite_utils.Database, seconds: float) -> None:
    milliseconds = max(0, int(seconds * 1000))
    if getattr(db, "_busy_ms", None) != milliseconds:  # only this module sets it: skip a pragma that changes nothing
        db.execute(f"PRAGMA busy_timeout = {milliseconds}")
        db._busy_ms = milliseconds


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    message = str(exc)
    return "locked" in message or "busy" in message


def _with_lock(db: sqlite_utils.Database, fn, *, restore: bool = True):
    """Run ``fn`` (which needs the write lock), waiting for another process's lock up to ``db.wait_seconds``.

    After a second the wait is announced (``db.on_wait``), so a user knows why
    nothing happens; past the limit it gives up with :class:`DatabaseBusy`.
    SQLite's busy timeout does the waiting; the loop covers the cases where
    SQLite gives up at once (a lock upgrade that would deadlock, WAL recovery).
    ``restore=False`` leaves the short timeout set (the caller puts the full
    one back: :func:`transaction`, from ``BEGIN`` through ``COMMIT``).
    """
    wait = getattr(db, "wait_seconds", DEFAULT_WAIT_SECONDS)
    on_wait = getattr(db, "on_wait", None)
    started = time.monotonic()
    announced = False
    delay = 0.01
    try:
        _set_busy_timeout(db, min(NOTICE_AFTER_SECONDS, wait))
        while True:
            try:
                return fn()
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc):
                    raise
                waited = time.monotonic() - started
                if waited >= wait:
                    raise DatabaseBusy(f"gave up after {wait:g} s waiting for the database: another process is"
                                       " writing; try again later or raise --wait") from None
                if not announced and waited >= NOTICE_AFTER_SECONDS * 0.9:
                    announced = True
                    if on_wait:
                        on_wait(WAITING_MESSAGE)
                _set_busy_timeout(db, max(0.0, wait - waited))
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
    finally:
        if restore:
            _set_busy_timeout(db, wait)


def _translate(exc: sqlite3.Error, path=None) -> Exception:
    """A one-line :class:`DatabaseError` for what a user can act on; anything else as it was."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code == _SQLITE_FULL or "database or disk is full" in str(exc):
        return DatabaseFull("the disk is full (or the database reached its size limit): nothing of this step"
                            " was written; free some space and run the command again")
    if isinstance(exc, sqlite3.DatabaseError) and "file is not a database" in str(exc):
        return DatabaseError(f"{_shown(path) if path is not None else 'the file'} is not a SQLite database")
    return exc


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
    # The short busy timeout (so a wait is announced after a second) stays set from BEGIN to COMMIT: two pragmas
    # per transaction, not four. The body holds the write lock (BEGIN IMMEDIATE; WAL readers never block it), so
    # nothing in it waits for another connection.
    try:
        _with_lock(db, lambda: db.execute("BEGIN IMMEDIATE"), restore=False)
        try:
            yield db
            _with_lock(db, lambda: db.execute("COMMIT"), restore=False)
        except sqlite3.Error as exc:  # in the body or at COMMIT (a full disk shows at COMMIT): nothing is kept
            db.rollback()
            translated = _translate(exc)
            if translated is exc:
                raise
            raise translated from None
        except BaseException:
            db.rollback()
            raise
    finally:
        _set_busy_timeout(db, getattr(db, "wait_seconds", DEFAULT_WAIT_SECONDS))


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
