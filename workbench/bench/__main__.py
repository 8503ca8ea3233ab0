"""``python -m workbench.bench``: measure import, linking, the review screen and the audit log.

    python -m workbench.bench [--articles N] [--seed S] [--json FILE] [--only import,linking,review,audit]

Prints a table (each figure beside its peer and its target) and, with
``--json``, writes every detail plus ``targets`` and ``machine``. Progress
goes to stderr. ``--articles`` sizes the import corpus only; the linking
sizes (1k/10k/100k statements), the review database (100k claims) and the
audit log (100k events) are fixed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from workbench.bench import GROUPS, QUICK, measure_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workbench.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300,
                        help="articles in the import corpus (default 300: a few minutes in all on 2 cores)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated corpora (default 0)")
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this file")
    parser.add_argument("--only", default=",".join(GROUPS),
                        help=f"comma-separated figure groups (default: {','.join(GROUPS)})")
    parser.add_argument("--quick", action="store_true",
                        help="shrink the fixed sizes for a smoke test (the figures then say nothing about the targets)")
    args = parser.parse_args(argv)
    groups = [g.strip() for g in args.only.split(",") if g.strip()]
    unknown = [g for g in groups if g not in GROUPS]
    if unknown:
        parser.error(f"unknown group(s) {', '.join(unknown)}; choose from {', '.join(GROUPS)}")
    if args.articles < 2:
        parser.error("--articles must be at least 2 (a planted pair needs two articles)")

    started = time.monotonic()

    def progress(message: str) -> None:
        print(f"[{time.monotonic() - started:7.1f}s] {message}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="workbench-bench-") as tmp:
        results = measure_all(Path(tmp), groups=groups, articles=args.articles, seed=args.seed, progress=progress,
                              **(QUICK if args.quick else {}))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        progress(f"figures written to {args.json}")
    from workbench.bench.table import print_table

    print_table(results)
    return 1 if results.get("errors") else 0


if __name__ == "__main__":
    sys.exit(main())
