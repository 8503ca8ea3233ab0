"""Audit figures: verifying and exporting a log of 100,000 events.

The log is built the way the application builds it -- every event through
:func:`workbench.store.audit.append_event`, which reads the head and extends
the hash chain -- but all in one transaction, because the figure of interest
is reading the log back, not committing 100,000 separate changes. Then:

* verification: :func:`workbench.audit.verify_events` over
  :func:`workbench.store.audit.iter_events` (batched reads, every hash
  recomputed);
* export: :func:`workbench.export.export_audit` writing JSONL to a file in
  the bench's temporary folder.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from workbench.audit import verify_events
from workbench.export import export_audit
from workbench.store.audit import append_event, iter_events
from workbench.store.db import open_db, transaction

EVENTS = 100_000
_ACTIONS = ("verdict.set", "verdict.change", "link.confirm", "link.reject", "flag.set")


def build_log(db, events: int) -> float:
    """Append *events* verdict-like events in one transaction; returns the seconds it took."""
    started = time.perf_counter()
    with transaction(db):
        for n in range(events):
            append_event(
                db, actor=f"reviewer{n % 7}", action=_ACTIONS[n % len(_ACTIONS)], object_type="claim",
                object_id=n % 25_000 + 1, before=None if n % 3 else {"label": "unverified", "version": n % 4},
                after={"label": ("true", "false", "misleading")[n % 3], "note": f"checked against source {n}",
                       "version": n % 4 + 1},
            )
    return time.perf_counter() - started


def run(workdir: Path, progress: Callable[[str], None], events: int = EVENTS) -> dict:
    db_path = workdir / "audit.db"
    db = open_db(db_path)
    try:
        progress(f"audit: appending {events:,} events")
        append_seconds = build_log(db, events)
        progress("audit: verifying")
        started, cpu = time.perf_counter(), time.process_time()
        verification = verify_events(iter_events(db))
        verify_seconds, verify_cpu = time.perf_counter() - started, time.process_time() - cpu
        progress("audit: exporting JSONL")
        out_path = workdir / "audit.jsonl"
        started, cpu = time.perf_counter(), time.process_time()
        with open(out_path, "w", encoding="utf-8", newline="\n") as out:
            exported = export_audit(db, out, "jsonl")
        export_seconds, export_cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        db.close()
    return {
        "events": events,
        "append_seconds_one_transaction": round(append_seconds, 3),
        "verify_seconds": round(verify_seconds, 3),
        "verify_cpu_seconds": round(verify_cpu, 3),
        "verify_ok": verification.ok,
        "verified_events": verification.count,
        "export_seconds": round(export_seconds, 3),
        "export_cpu_seconds": round(export_cpu, 3),
        "exported_events": exported,
        "export_bytes": out_path.stat().st_size,
    }
