"""Import figures: the whole pipeline against peers doing the storage alone, and on more cores.

* **same storage work** (the target's peer): sqlite-utils inserting, in one
  transaction, the very rows the pipeline stored -- articles with their raw
  bytes, statements, and the full-text rows (``enable_fts`` on the indexed
  text) -- so the ratio is what reading, analysis, linking and the audit
  cost on top of storing, not the fsync noise of a file creation;
* **plain insert** (today's peer, reported): the raw texts with
  ``insert_all``, a few milliseconds, so its ratio swings run to run;
* **--jobs 2 vs --jobs 1** wall time on the same corpus of at least 1,000
  articles (workers' start-up included), and articles per second per core
  at 1,000 and 10,000 articles (``--jobs 1``: one core), with the database
  size and the peak memory of that import.

The first two sides are timed the same way, in this process, with ``perf_counter``
from the list of file paths to a committed database file in the same
folder:

* the pipeline: ``Pipeline(open_db(path)).import_paths(files, link=True)`` --
  reading and decoding, page chrome, metadata, segmentation, annotation,
  near-duplicate fingerprints, storing with audit events, then linking;
* the peer: sqlite-utils' Python API -- read each file, decode it (UTF-8,
  else GB18030, the two encodings the generator writes) and
  ``db["texts"].insert_all(rows)`` with one row ``{path, text}`` per file.

CPU seconds (``process_time``) are reported beside wall-clock seconds: the
machine may be shared, and CPU time is what the code costs.

After the import, the planted pairs are looked up in the store (each side's
fragment in its article's statements) to report the end-to-end recall: the
share of pairs whose two statements were both found, stored as claims and
linked, with the relation the truth expects.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from workbench.bench import corpus as corpus_module
from workbench.bench.corpus import Corpus
from workbench.bench.memory import peak_rss_mib
from workbench.executors import executor_for
from workbench.pipeline import Pipeline
from workbench.store import articles as store_articles
from workbench.store import links as store_links
from workbench.store import statements as store_statements
from workbench.store.db import open_db


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def plain_insert(files: list[Path], path: Path) -> tuple[float, float]:
    """The peer: the same texts as plain rows with sqlite-utils' insert_all; (wall, cpu) seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    db = sqlite_utils.Database(path)
    db["texts"].insert_all({"path": str(p), "text": _decode(p.read_bytes())} for p in files)
    db.close()
    return time.perf_counter() - wall, time.process_time() - cpu


def stored_rows(db) -> dict[str, list[dict]]:
    """The rows the pipeline stored that the same-storage peer stores again (read outside its timing)."""
    return {
        "articles": list(db.query("SELECT a.*, r.raw FROM articles a JOIN article_raw r ON r.article_id = a.id")),
        "statements": list(db.query(
            "SELECT s.*, f.body AS search_body FROM statements s JOIN statement_search f ON f.rowid = s.id")),
    }


def same_storage_insert(rows: dict[str, list[dict]], path: Path) -> tuple[float, float]:
    """The peer: sqlite-utils storing the same article, statement and full-text rows in one transaction."""
    wall, cpu = time.perf_counter(), time.process_time()
    db = sqlite_utils.Database(path)
    with db.conn:
        db["articles"].insert_all(rows["articles"], pk="id")
        db["statements"].insert_all(rows["statements"], pk="id", foreign_keys=[("article_id", "articles")])
        db["statements"].enable_fts(["search_body"], tokenize="unicode61 remove_diacritics 2")
    db.close()
    return time.perf_counter() - wall, time.process_time() - cpu


def _timed_import(files: list[Path], path: Path, jobs: int) -> dict:
    """One import (with linking) into a new database on ``jobs`` workers: wall and this process's CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    db = open_db(path)
    with executor_for(jobs) as executor:
        report = Pipeline(db, actor="bench").import_paths(files, executor=executor)
    db.close()
    seconds, cpu_seconds = time.perf_counter() - wall, time.process_time() - cpu
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    return {"jobs": jobs, "articles": len(report.imported), "statements": None, "seconds": round(seconds, 3),
            "cpu_seconds_main_process": round(cpu_seconds, 3), "links": report.links,
            "articles_per_s": round(len(report.imported) / seconds, 2),
            "articles_per_s_per_core": round(len(report.imported) / seconds / jobs, 2),
            "database_bytes": size}


def scaling(workdir: Path, seed: int, sizes: tuple[int, ...], progress: Callable[[str], None]) -> dict:
    """--jobs 2 against --jobs 1 at the first size; articles/s/core (--jobs 1) at every size."""
    runs = []
    jobs_ratio = None
    for size in sizes:
        generated = corpus_module.generate(size, seed)
        folder = workdir / f"corpus{size}"
        corpus_module.write(generated, folder)
        files = generated.files
        progress(f"import: {size:,} articles with --jobs 1")
        one = _timed_import(files, workdir / f"jobs1-{size}.db", 1)
        one["statements"] = generated.statement_count
        runs.append(one)
        if size == sizes[0]:
            progress(f"import: {size:,} articles with --jobs 2")
            two = _timed_import(files, workdir / f"jobs2-{size}.db", 2)
            two["statements"] = generated.statement_count
            runs.append(two)
            jobs_ratio = round(two["seconds"] / one["seconds"], 3)
    largest = max((r for r in runs if r["jobs"] == 1), key=lambda r: r["articles"])
    return {
        "runs": runs,
        "jobs2_over_jobs1": jobs_ratio,
        "jobs_articles": sizes[0],
        "database_bytes_per_article": round(largest["database_bytes"] / max(largest["articles"], 1)),
        "peak_rss_mib": round(peak_rss_mib(), 1),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "note": "wall clock on a shared machine: --jobs 2 can only be as fast as the second core is free",
    }


def end_to_end(corpus: Corpus, db) -> dict:
    """Planted pairs as the stored links see them (fragments mapped to stored statement ids)."""
    # A file's articles are told apart by record number (None for a one-article file, 1 for a JSON object).
    stored = {}
    for article_id in store_articles.article_ids(db):
        row = store_articles.get_article(db, article_id)
        stored[(Path(row["path"]).name, row["record"] or 1)] = article_id
    cache: dict[int, list[dict]] = {}

    def statement_id(side) -> tuple[int | None, bool]:
        article = corpus.articles[side.article]
        article_id = stored.get((article.path, article.record or 1))
        if article_id is None:
            return None, False
        rows = cache.get(article_id)
        if rows is None:
            rows = cache[article_id] = store_statements.statement_rows(db, article_id=article_id, claims_only=False)
        for row in rows:
            if side.fragment in row["text"]:
                return row["id"], row["checkworthy"]
        return None, False

    links: dict[tuple[int, int], str] = {}
    for link in store_links.list_links(db):
        links[(link["claim_id"], link["statement_id"])] = link["relation"]
    counts = {"pairs": len(corpus.pairs), "both_sides_stored": 0, "both_claims": 0, "linked": 0, "relation_right": 0}
    for pair in corpus.pairs:
        (a, a_claim), (b, b_claim) = statement_id(pair.left), statement_id(pair.right)
        if a is None or b is None:
            continue
        counts["both_sides_stored"] += 1
        counts["both_claims"] += a_claim and b_claim
        relation = links.get((a, b)) or links.get((b, a))
        if relation is not None:
            counts["linked"] += 1
            counts["relation_right"] += relation == pair.relation
    total = counts["pairs"] or 1
    counts["recall"] = round(counts["linked"] / total, 4)
    counts["relation_accuracy"] = round(counts["relation_right"] / counts["linked"], 4) if counts["linked"] else None
    return counts


def run(corpus: Corpus, workdir: Path, progress: Callable[[str], None], *, seed: int = 0,
        scale_sizes: tuple[int, ...] = (1_000, 10_000)) -> dict:
    files = corpus.files
    size = sum(p.stat().st_size for p in files)
    progress(f"import: {len(corpus.articles):,} articles in {len(files):,} files ({size / 1e6:.2f} MB) "
             "through the pipeline")
    db = open_db(workdir / "import.db")
    wall, cpu = time.perf_counter(), time.process_time()
    report = Pipeline(db, actor="bench").import_paths(files, link=True)
    pipeline_wall, pipeline_cpu = time.perf_counter() - wall, time.process_time() - cpu
    progress(f"import: pipeline took {pipeline_wall:.2f} s; now the plain sqlite-utils insert")
    peer_wall, peer_cpu = plain_insert(files, workdir / "plain.db")
    progress("import: the same storage work with sqlite-utils")
    rows = stored_rows(db)
    same_wall, same_cpu = same_storage_insert(rows, workdir / "same-storage.db")
    progress("import: looking up the planted pairs in the store")
    planted = end_to_end(corpus, db)
    db.close()
    scaled = scaling(workdir, seed, scale_sizes, progress) if scale_sizes else None
    megabytes = size / 1e6
    return {
        "files": len(files),
        "articles": len(corpus.articles),
        "statements_generated": corpus.statement_count,
        "bytes": size,
        "imported": len(report.imported),
        "refused": len(report.refused),
        "refusals": report.refused[:5],
        "near_duplicates": len(report.near_duplicates),
        "links": report.links,
        "pipeline": {"seconds": round(pipeline_wall, 3), "cpu_seconds": round(pipeline_cpu, 3),
                     "mb_per_s": round(megabytes / pipeline_wall, 4),
                     "articles_per_s": round(len(report.imported) / pipeline_wall, 2)},
        "plain_insert": {"seconds": round(peer_wall, 3), "cpu_seconds": round(peer_cpu, 3),
                         "mb_per_s": round(megabytes / peer_wall, 4),
                         "articles_per_s": round(len(corpus.articles) / peer_wall, 2),
                         "method": "sqlite-utils Python API: Database(path)['texts'].insert_all({path, text}), "
                                   "files read and decoded inside the timing"},
        "same_storage": {"seconds": round(same_wall, 3), "cpu_seconds": round(same_cpu, 3),
                         "rows": {"articles": len(rows["articles"]), "statements": len(rows["statements"]),
                                  "full_text": len(rows["statements"])},
                         "method": "sqlite-utils in one transaction: articles (with raw bytes) and statements "
                                   "via insert_all, full-text rows via enable_fts on the indexed text; the rows "
                                   "the pipeline stored, read outside the timing"},
        "ratio": round(pipeline_wall / peer_wall, 2),
        "cpu_ratio": round(pipeline_cpu / peer_cpu, 2) if peer_cpu else None,
        "cpu_ratio_same_storage": round(pipeline_cpu / same_cpu, 2) if same_cpu else None,
        "scaling": scaled,
        "planted_end_to_end": planted,
    }
