"""Review-screen figures: time to the first screen on 100,000 claims, and key-to-commit latency.

The database. Importing 100,000 claims through the whole pipeline would take
many minutes, so the bench builds it through the store's own write
functions in one transaction instead: generated articles go in with
:func:`store.articles.insert_article`, their statements with
:func:`store.statements.save_statements` -- every statement marked
check-worthy (so each is a claim in the queue), with its entity mentions --
and the planted pairs become links with :func:`store.links.save_links`.
The rows are what an import writes; only segmentation, annotation and
linking are skipped.

First screen. Each app runs in a fresh subprocess (``python -m
workbench.bench.review --first-screen ...``) with ``App.run_test`` (headless);
the child waits for its workers, then for the next refresh
(``call_after_refresh``), and reports the wall-clock time. The figure runs
from just before the parent spawns the child to that moment: interpreter
start, imports, opening the database, the first query and the first full
paint. The peer is an empty Textual ``App`` started the same way. Each is
started several times, alternating, and the median is kept: the machine is
shared, and one slow start would otherwise decide the ratio.

Key latency. The review app is run in this process with ``measure=True``;
pressing the first verdict key records ``(key, committed, screen updated)``
monotonic times in ``app.verdict_timings``, measured inside the app from the
key event to the refresh after the verdict and its audit event committed.
Pilot's own pauses between presses are not part of it.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from workbench.bench import corpus as corpus_mod
from workbench.linking import Link
from workbench.model import EntityMention, ParsedArticle, Statement
from workbench.store import articles as store_articles
from workbench.store import entities as store_entities
from workbench.store import links as store_links
from workbench.store import statements as store_statements
from workbench.store.db import open_db, transaction

CLAIMS = 100_000
KEYS = 500
VERDICT_KEY = "1"  # the first label of the active scale
STARTS = 3  # first-screen starts per app (median kept)
SCREEN = (160, 50)


def build_database(path: Path, claims: int, seed: int, progress: Callable[[str], None]) -> dict:
    """A database of about *claims* check-worthy statements, written through the store (see the module doc)."""
    corpus = corpus_mod.with_statements(claims, seed)
    db = open_db(path)
    started = time.perf_counter()
    entity_ids = {row["key"]: row["id"] for row in store_entities.list_entities(db)}
    statement_ids: dict[tuple[int, int], int] = {}
    with transaction(db):
        for article in corpus.articles:
            text = article.clean_text
            raw = text.encode("utf-8")
            parsed = ParsedArticle(
                path=f"bench/{article.number:06d}.txt", format="text", encoding="utf-8", raw=raw,
                clean_text=text, title=article.title, published=article.published.isoformat(),
                author=article.author, site=article.site, url=article.url, language=article.language,
                provenance={"title": "header line", "published": "header line", "author": "header line",
                            "site": "header line", "url": "header line", "language": "inferred"})
            article_id = store_articles.insert_article(
                db, parsed, sha256=hashlib.sha256(raw).hexdigest(), fingerprints=set(), duplicate_of=None,
                duplicate_similarity=None, actor="bench")
            ids = store_statements.save_statements(db, article_id, _statements(article, text, corpus, entity_ids))
            for position, sid in enumerate(ids):
                statement_ids[(article.number, position)] = sid
        links: dict[int, list[Link]] = {}
        planted = 0
        for pair in corpus.pairs:
            a = statement_ids[(pair.left.article, pair.left.statement)]
            b = statement_ids[(pair.right.article, pair.right.statement)]
            planted += 1
            reasons = ["planted by the bench"]
            links.setdefault(a, []).append(Link(a, b, 0.8, pair.relation, reasons))
            links.setdefault(b, []).append(Link(b, a, 0.8, pair.relation, reasons))
        store_links.save_links(db, list(links), [link for group in links.values() for link in group])
    seconds = time.perf_counter() - started
    db.close()
    progress(f"review: database of {len(statement_ids):,} claims built in {seconds:.1f} s")
    return {"claims": len(statement_ids), "articles": len({a for a, _ in statement_ids}),
            "links": 2 * planted, "build_seconds": round(seconds, 2),
            "built_with": "store.articles.insert_article + store.statements.save_statements in one transaction"}


def _statements(article: corpus_mod.ArticleSpec, text: str, corpus: corpus_mod.Corpus,
                entity_ids: dict[str, int]) -> list[Statement]:
    out, cursor = [], 0
    for index, spec in enumerate(article.statements):
        start = text.index(spec.text, cursor)
        end = cursor = start + len(spec.text)
        mentions = []
        for key in spec.entities:
            entity = corpus.entities[key]
            surface = entity.zh if article.language == "zh" else entity.en
            at = spec.text.find(surface)
            if at >= 0 and key in entity_ids:
                mentions.append(EntityMention(entity_ids[key], surface, start + at, start + at + len(surface)))
        out.append(Statement(index=index, paragraph=spec.paragraph, start=start, end=end, text=spec.text,
                             score=0.9, checkworthy=True, entities=mentions))
    return out


# --------------------------------------------------------------------------
# First screen (the child side)

async def _first_screen(app) -> float:
    async with app.run_test(headless=True, size=SCREEN):
        await app.workers.wait_for_complete()
        painted = asyncio.get_running_loop().create_future()
        app.call_after_refresh(lambda: painted.done() or painted.set_result(time.time()))
        return await painted


def _child(which: str, db_path: str | None) -> None:
    if which == "review":
        from workbench.tui import make_app

        app = make_app(db_path, "bench")
    else:
        from textual.app import App

        app = App()
    painted = asyncio.run(_first_screen(app))
    print(json.dumps({"painted": painted}))


def _start_seconds(which: str, db_path: Path) -> float:
    command = [sys.executable, "-m", "workbench.bench.review", "--first-screen", which, "--db", str(db_path)]
    started = time.time()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{which} app did not start: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])["painted"] - started


# --------------------------------------------------------------------------
# Key latency (in this process)

async def _press_verdicts(db_path: Path, keys: int) -> list[tuple[float, float, float]]:
    from workbench.tui import make_app

    app = make_app(db_path, "bench", measure=True)
    async with app.run_test(headless=True, size=SCREEN) as pilot:
        await app.workers.wait_for_complete()
        for _ in range(keys):
            await pilot.press(VERDICT_KEY)
        await pilot.pause()
        return list(app.verdict_timings)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def run(workdir: Path, seed: int, progress: Callable[[str], None], claims: int = CLAIMS, keys: int = KEYS,
        starts: int = STARTS) -> dict:
    db_path = workdir / "review.db"
    progress(f"review: building a database of {claims:,} claims")
    database = build_database(db_path, claims, seed, progress)
    review_starts, empty_starts = [], []
    for n in range(starts):
        progress(f"review: first screen, start {n + 1} of {starts}")
        empty_starts.append(_start_seconds("empty", db_path))
        review_starts.append(_start_seconds("review", db_path))
    review_first, empty_first = statistics.median(review_starts), statistics.median(empty_starts)
    progress(f"review: pressing the verdict key {keys} times")
    timings = asyncio.run(_press_verdicts(db_path, keys))
    latencies = [(updated - key) * 1000 for key, _committed, updated in timings]
    commits = [(committed - key) * 1000 for key, committed, _updated in timings]
    return {
        "database": database,
        "first_screen_seconds": round(review_first, 3),
        "empty_app_first_screen_seconds": round(empty_first, 3),
        "first_screen_ratio": round(review_first / empty_first, 3),
        "first_screen_starts": {"review": [round(s, 3) for s in review_starts],
                                "empty": [round(s, 3) for s in empty_starts]},
        "first_screen_method": "fresh subprocess per start, App.run_test(headless), spawn -> call_after_refresh "
                               "after workers finished; median of the starts",
        "keys_pressed": keys,
        "verdicts_timed": len(latencies),
        "key_to_screen_ms": {"median": round(statistics.median(latencies), 3) if latencies else None,
                             "p99": round(_percentile(latencies, 0.99), 3) if latencies else None,
                             "max": round(max(latencies), 3) if latencies else None},
        "key_to_commit_ms": {"median": round(statistics.median(commits), 3) if commits else None,
                             "p99": round(_percentile(commits, 0.99), 3) if commits else None},
        "latency_method": "app.verdict_timings (measure=True): key event -> refresh after the commit",
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="first-screen worker of the review bench")
    parser.add_argument("--first-screen", choices=("review", "empty"), required=True)
    parser.add_argument("--db")
    args = parser.parse_args(argv)
    _child(args.first_screen, args.db)


if __name__ == "__main__":
    main()
