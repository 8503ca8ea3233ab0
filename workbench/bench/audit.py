"""Audit figures: verifying and exporting a log of 100,000 signed events, beside chain-only verification.

The log is built the way the application builds it: articles recorded with
their import events, then verdicts (new, changed, adjudicated), flags and
undos through the store's own write functions (:mod:`workbench.store.review`),
every event signed with its reviewer's Ed25519 key (keys in the bench's
temporary folder) -- all inside one outer transaction, because the figure of
interest is reading the log back, not committing 100,000 separate changes.
Then, in the same run and on the same file:

* ``chain_only``: :func:`workbench.audit.verify_events` over
  :func:`workbench.store.audit.iter_events` -- what ``audit verify`` did
  before signatures and the replay (every hash recomputed);
* ``verify``: :func:`workbench.store.audit.verify_database` -- chain,
  signatures (each actor's last and each key registration, which vouch for
  all their events: see :mod:`workbench.signing`), the replay of the state
  and its comparison with every reviewer table, the triggers; and again with
  every event's own signature checked on a thread pool (``verify_every_signature``);
* ``export``: :func:`workbench.export.export_audit` writing JSONL (signatures
  included) with the chain checked in the same pass, as ``export audit`` does.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from workbench.audit import ChainVerifier, verify_events
from workbench.export import export_audit
from workbench.store import review
from workbench.store.audit import append_event, iter_events, now_utc, verify_database
from workbench.store.db import open_db, transaction

EVENTS = 100_000
REVIEWERS = tuple(f"reviewer{n}" for n in range(7))
_LABELS = ("true", "false", "mixed", "mostly true")


def build_log(db, events: int, *, claims: int = 25_000, articles: int = 100) -> float:
    """About ``events`` signed events from real store writes in one transaction; returns the seconds taken."""
    started = time.perf_counter()
    claims = max(1, min(claims, events // 4))
    articles = max(1, min(articles, claims))
    with transaction(db):
        claim_ids = []
        for a in range(articles):
            article_id = db.execute(
                "INSERT INTO articles (path, sha256, format, encoding, size_bytes, title, clean_text, imported_at,"
                " imported_by) VALUES (?, ?, 'text', 'utf-8', 1, ?, '', ?, 'importer')",
                [f"bench/{a}.txt", f"{a:064x}", f"Article {a}", now_utc()]).lastrowid
            append_event(db, actor="importer", action="article.import", object_type="article", object_id=article_id,
                         after={"path": f"bench/{a}.txt", "title": f"Article {a}", "published": None, "author": None,
                                "site": None, "url": None, "language": None})
            per = claims // articles + (a < claims % articles)
            for position in range(per):
                claim_ids.append(db.execute(
                    "INSERT INTO statements (article_id, position, paragraph, span_start, span_end, text, score,"
                    " checkworthy) VALUES (?, ?, 0, ?, ?, 'x', 0.8, 1)",
                    [article_id, position, position, position + 1]).lastrowid)
        count = db.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0]
        versions: dict[tuple[int, str], int] = {}
        n = 0
        while count < events:
            claim = claim_ids[n % len(claim_ids)]
            reviewer = REVIEWERS[(n // len(claim_ids) + n) % len(REVIEWERS)]
            kind = n % 20
            if kind == 19:
                review.set_flag(db, claim, reviewer, not review.is_flagged(db, claim, reviewer))
            elif kind == 18:
                review.record_verdict(db, claim, "chief", _LABELS[n % 4], final=True, reason="settled by the filing")
            elif kind == 17 and (claim, reviewer) in versions:
                review.restore_verdict(db, claim, reviewer, None, expected_version=versions.pop((claim, reviewer)))
            else:
                stored = review.record_verdict(db, claim, reviewer, _LABELS[n % 4], note=f"checked against source {n}",
                                               evidence=[f"https://example.org/{n}"])
                versions[(claim, reviewer)] = stored["version"]
            n += 1
            count = db.execute("SELECT MAX(seq) FROM audit_events").fetchone()[0]
    return time.perf_counter() - started


def _timed(fn):
    started, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, round(time.perf_counter() - started, 3), round(time.process_time() - cpu, 3)


def run(workdir: Path, progress: Callable[[str], None], events: int = EVENTS) -> dict:
    db_path = workdir / "audit.db"
    saved = os.environ.get("WORKBENCH_KEYS_DIR")
    os.environ["WORKBENCH_KEYS_DIR"] = str(workdir / "keys")  # the reviewers' keys, never the user's own
    db = open_db(db_path)
    try:
        progress(f"audit: writing {events:,} signed events through the store")
        append_seconds = build_log(db, events)
        total = db.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0]
        progress("audit: chain-only verification (as before)")
        chain, chain_seconds, chain_cpu = _timed(lambda: verify_events(iter_events(db)))
        progress("audit: full verification (chain, signatures, replay, tables)")
        report, verify_seconds, verify_cpu = _timed(lambda: verify_database(db))
        progress("audit: full verification checking every event's own signature (thread pool)")
        every, every_seconds, every_cpu = _timed(lambda: verify_database(db, every_signature=True))
        progress("audit: exporting JSONL")
        out_path = workdir / "audit.jsonl"
        verifier = ChainVerifier()

        def export():
            with open(out_path, "w", encoding="utf-8", newline="\n") as out:
                return export_audit(db, out, "jsonl", verifier=verifier)

        exported, export_seconds, export_cpu = _timed(export)
    finally:
        db.close()
        if saved is None:
            os.environ.pop("WORKBENCH_KEYS_DIR", None)
        else:
            os.environ["WORKBENCH_KEYS_DIR"] = saved
    return {
        "events": total,
        "workers": os.cpu_count(),
        "append_seconds_one_transaction": round(append_seconds, 3),
        "chain_only_seconds": chain_seconds,
        "chain_only_cpu_seconds": chain_cpu,
        "verify_seconds": verify_seconds,
        "verify_cpu_seconds": verify_cpu,
        "verify_ratio": round(verify_seconds / chain_seconds, 2) if chain_seconds else None,
        "verify_every_signature_seconds": every_seconds,
        "verify_every_signature_cpu_seconds": every_cpu,
        "verify_ok": chain.ok and report.ok and every.ok,
        "verified_events": report.chain.count,
        "signed_events": report.signed,
        "signatures_checked": report.verified,
        "signatures_checked_every": every.verified,
        "export_seconds": export_seconds,
        "export_cpu_seconds": export_cpu,
        "export_ratio": round(export_seconds / chain_seconds, 2) if chain_seconds else None,
        "exported_events": exported,
        "export_ok": verifier.result().ok,
        "export_bytes": out_path.stat().st_size,
    }
