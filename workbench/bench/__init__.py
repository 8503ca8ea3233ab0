"""The workbench's benchmark: synthetic corpora with planted truth, and figures beside their peers.

One module per figure group, each with ``run(...) -> dict``:

* :mod:`.importing` -- the whole pipeline vs a plain sqlite-utils insert;
* :mod:`.linking` -- time and memory at 1k/10k/100k statements, recall of
  planted pairs, agreement with brute force;
* :mod:`.review` -- the review screen's first paint on 100k claims vs an
  empty Textual app, and verdict key-to-commit latency;
* :mod:`.audit` -- verifying and exporting 100k audit events.

:mod:`.corpus` generates the articles and their truth. :func:`measure_all`
runs the chosen groups and adds ``targets`` (one ``{name, value, target,
met}`` per target) and ``machine``. ``python -m workbench.bench`` is the
command line.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
import traceback
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

GROUPS = ("import", "linking", "review", "audit", "ingest")
# --quick: the fixed sizes shrunk for smoke tests (the figures then say nothing about the targets).
QUICK = {"linking_sizes": (100, 1_000), "review_claims": 500, "review_keys": 10, "review_starts": 1,
         "audit_events": 1_000, "import_sizes": (30, 60)}
# Corpus sizes of the import's scaling figures: --jobs 2 vs --jobs 1 at the first, articles/s/core at each.
IMPORT_SIZES = (1_000, 10_000)


def machine() -> dict:
    """What the figures were measured on (a shared machine shows in the load average)."""
    cpu = None
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), None)
    except OSError:
        pass
    memory = None
    try:
        with open("/proc/meminfo", encoding="utf-8") as info:
            kib = next((int(line.split()[1]) for line in info if line.startswith("MemTotal:")), None)
            memory = round(kib / 1024**2, 2) if kib else None
    except OSError:
        pass
    versions = {}
    for package in ("textual", "rich", "sqlite-utils", "rapidfuzz"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "platform": platform.platform(),
        "cpu_model": cpu or platform.processor() or None,
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "memory_gib": memory,
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "packages": versions,
        "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
    }


def _target(name: str, value, target: float, *, at_most: bool, unit: str = "") -> dict:
    met = None if value is None else (value <= target if at_most else value >= target)
    return {"name": name, "value": value, "target": f"{'<=' if at_most else '>='} {target:g}{unit}", "met": met}


def targets(results: dict) -> list[dict]:
    """One entry per target of the brief, from whatever groups ran."""
    out = []
    if "import" in results:
        r = results["import"]
        out.append(_target("import: CPU seconds / same storage work in sqlite-utils", r["cpu_ratio_same_storage"], 10,
                           at_most=True, unit="x"))
        if r.get("scaling"):
            out.append(_target(f"import: --jobs 2 / --jobs 1 wall time, {r['scaling']['jobs_articles']:,} articles",
                               r["scaling"]["jobs2_over_jobs1"], 0.65, at_most=True))
    if "linking" in results:
        sizes = results["linking"]["sizes"]
        biggest = sizes[-1]
        out.append(_target(f"linking: {biggest['statements']:,} statements, seconds", biggest["seconds"], 30,
                           at_most=True, unit=" s"))
        out.append(_target(f"linking: {biggest['statements']:,} statements, peak memory MiB",
                           biggest["peak_rss_mib"], 1024, at_most=True, unit=" MiB"))
        growth = [g["per_x10"] for g in results["linking"]["growth"] if g["per_x10"] is not None]
        out.append(_target("linking: time growth per x10 statements (worst step)", max(growth) if growth else None,
                           12, at_most=True, unit="x"))
        out.append(_target(f"linking: recall of planted pairs at {biggest['statements']:,}",
                           biggest["planted"]["recall"], 0.9, at_most=False))
        brute = results["linking"].get("brute_force", {}).get("brute_force")
        if brute:
            out.append(_target("linking: share of brute force's top-5 links found", brute["agreement"], 0.95,
                               at_most=False))
            out.append(_target("linking: index time / brute-force time", brute["time_ratio"], 0.12, at_most=True))
    if "review" in results:
        r = results["review"]
        out.append(_target("review: first screen / bare App with a Footer (both from a bytecode cache)",
                           r["first_screen_ratio"], 2,
                           at_most=True, unit="x"))
        out.append(_target("review: key-to-screen median / floor peer", r["key_to_screen_ratio"]["median"], 1.5,
                           at_most=True, unit="x"))
        out.append(_target("review: key-to-screen p99 / floor peer", r["key_to_screen_ratio"]["p99"], 3,
                           at_most=True, unit="x"))
        out.append(_target("review: key-to-commit median ms", r["key_to_commit_ms"]["median"], 5, at_most=True,
                           unit=" ms"))
        out.append(_target("review: key-to-commit p99 ms", r["key_to_commit_ms"]["p99"], 20, at_most=True,
                           unit=" ms"))
    if "audit" in results:
        a = results["audit"]
        out.append(_target(f"audit: verify {a['events']:,} events (chain only), seconds", a["chain_only_seconds"], 2,
                           at_most=True, unit=" s"))
        out.append(_target(f"audit: export {a['events']:,} events as JSONL, seconds", a["export_seconds"], 2,
                           at_most=True, unit=" s"))
        out.append(_target("audit: verify with signatures and replay / chain-only verify", a["verify_ratio"], 2.5,
                           at_most=True, unit="x"))
        out.append(_target("audit: export / chain-only verify", a["export_ratio"], 2.5, at_most=True, unit="x"))
    if "ingest" in results:
        g = results["ingest"]
        out.append(_target("ingest: analysis s/MB at 0.5-4 MB, slowest / fastest", g["per_mb_spread"], 1.5,
                           at_most=True, unit="x"))
        biggest = g["sizes"][-1]
        out.append(_target(f"ingest: peak memory analysing a {biggest['bytes'] / 1e6:.0f} MB article, MiB",
                           biggest["peak_rss_mib"], 300, at_most=True, unit=" MiB"))
        nested = g["nested_html"]
        out.append(_target("ingest: 240 KB nested-HTML page ('<time>a ' * 30000), seconds", nested["seconds"], 5,
                           at_most=True, unit=" s"))
        out.append(_target("ingest: 240 KB nested-HTML page, peak memory MiB", nested["peak_rss_mib"], 300,
                           at_most=True, unit=" MiB"))
    return out


def measure_all(workdir: Path, *, groups: list[str] | tuple[str, ...] = GROUPS, articles: int = 300,
                seed: int = 0, progress: Callable[[str], None] = lambda _m: None,
                linking_sizes: tuple[int, ...] | None = None, review_claims: int | None = None,
                review_keys: int | None = None, review_starts: int | None = None,
                audit_events: int | None = None, import_sizes: tuple[int, ...] | None = None) -> dict:
    """Run the chosen figure groups in *workdir*; the size overrides exist for smoke tests (see QUICK)."""
    overridden = any(v is not None for v in (linking_sizes, review_claims, review_keys, review_starts, audit_events,
                                             import_sizes))
    results: dict = {"machine": machine(), "seed": seed, "articles": articles, "groups": list(groups),
                     "fixed_sizes_overridden": overridden}
    runners = {
        "import": lambda: _import(workdir, articles, seed, progress, import_sizes or IMPORT_SIZES),
        "linking": lambda: _linking(seed, progress, linking_sizes),
        "review": lambda: _review(workdir, seed, progress, review_claims, review_keys, review_starts),
        "audit": lambda: _audit(workdir, progress, audit_events),
        "ingest": lambda: _ingest(progress, linking_sizes is not None),
    }
    for group in GROUPS:
        if group not in groups:
            continue
        # One broken group (a module being rewritten, a crash) must not cost the figures of the others.
        try:
            results[group] = runners[group]()
        except Exception as exc:  # reported in the JSON and on stderr, and the run goes on
            progress(f"{group}: FAILED: {type(exc).__name__}: {exc}")
            results.setdefault("errors", {})[group] = traceback.format_exc()
    results["machine"]["load_average_at_end"] = machine()["load_average"]
    results["targets"] = targets(results)
    return results


def _import(workdir: Path, articles: int, seed: int, progress: Callable[[str], None],
            sizes: tuple[int, ...]) -> dict:
    from workbench.bench import corpus, importing

    progress(f"generating {articles} articles (seed {seed})")
    generated = corpus.generate(articles, seed)
    corpus.write(generated, workdir / "corpus")
    return importing.run(generated, workdir, progress, seed=seed, scale_sizes=sizes)


def _linking(seed: int, progress: Callable[[str], None], sizes: tuple[int, ...] | None) -> dict:
    from workbench.bench import linking

    brute_size = linking.BRUTE_FORCE_SIZE if sizes is None else min(sizes)
    return linking.run(seed, progress, sizes=sizes or linking.SIZES, brute_force_size=brute_size)


def _review(workdir: Path, seed: int, progress: Callable[[str], None], claims: int | None, keys: int | None,
            starts: int | None) -> dict:
    from workbench.bench import review

    return review.run(workdir, seed, progress, claims=claims or review.CLAIMS, keys=keys or review.KEYS,
                      starts=starts or review.STARTS)


def _audit(workdir: Path, progress: Callable[[str], None], events: int | None) -> dict:
    from workbench.bench import audit

    return audit.run(workdir, progress, events=events or audit.EVENTS)


def _ingest(progress: Callable[[str], None], quick: bool) -> dict:
    from workbench.bench import ingest

    return ingest.run(progress, sizes=(0.05, 0.1), repeats=1) if quick else ingest.run(progress)
