"""The store: the only place with SQL. One SQLite file, opened by :func:`open_db`.

Modules by subject: ``db`` (connection, transactions), ``schema`` (migrations),
``articles``, ``statements``, ``entities``, ``links``, ``review`` (verdicts,
flags, link decisions, corrections), ``search``, ``settings``, ``audit``.
Every function that changes reviewer data appends its audit event inside the
same transaction.
"""

from workbench.store.db import DatabaseBusy, open_db, resolve_db_path, transaction

__all__ = ["DatabaseBusy", "open_db", "resolve_db_path", "transaction"]
