"""Import figures: the whole pipeline against a plain insert of the same texts.

Both sides are timed the same way, in this process, with ``perf_counter``
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

import time
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from workbench.bench.corpus import Corpus
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


def run(corpus: Corpus, workdir: Path, progress: Callable[[str], None]) -> dict:
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
    progress("import: looking up the planted pairs in the store")
    planted = end_to_end(corpus, db)
    db.close()
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
        "ratio": round(pipeline_wall / peer_wall, 2),
        "cpu_ratio": round(pipeline_cpu / peer_cpu, 2) if peer_cpu else None,
        "planted_end_to_end": planted,
    }
