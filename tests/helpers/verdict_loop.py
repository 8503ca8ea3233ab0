"""Record verdicts in a loop, as one reviewer's process would: ``python verdict_loop.py DB REVIEWER FIRST COUNT [gate]``.

Takes the statements ``FIRST .. FIRST+COUNT-1`` (in id order) and records a
verdict on each through :func:`workbench.store.review.record_verdict`, the
labels cycling over the active scale.  ``COUNT`` 0 means forever, round and
round (for the crash trials, which kill it).  Prints ``ready`` once the
database is open (with ``gate``, then waits for a line on stdin, so a test
can start two of them at the same moment) and ``done N SECONDS`` at the end
(the longest single save); any exception -- "database is
locked" included -- ends it with a traceback and a non-zero status, which is
what the tests look for.
"""

from __future__ import annotations

import itertools
import sys
import time

from workbench.store.db import open_db
from workbench.store.review import active_scale, record_verdict


def main(db_path: str, reviewer: str, first: int, count: int, gate: bool = False) -> int:
    db = open_db(db_path)
    ids = [row[0] for row in db.execute("SELECT id FROM statements ORDER BY id")]
    labels = [entry.label for entry in active_scale(db).labels]
    print("ready", flush=True)
    if gate:
        sys.stdin.readline()
    targets = ids[first:first + count] if count else itertools.cycle(ids[first:] or ids)
    done, longest = 0, 0.0
    for claim_id, label in zip(targets, itertools.cycle(labels)):
        started = time.perf_counter()
        record_verdict(db, claim_id, reviewer, label, note=f"{reviewer} #{done}")
        longest = max(longest, time.perf_counter() - started)
        done += 1
    print("done", done, f"{longest:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:6] == ["gate"]))
