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

First screen. Each app runs in a fresh process (``python .../first_screen.py``,
a script, so the peer does not import the workbench) with ``App.run_test``
(headless) at the bench's terminal size; the child waits for its workers, then
for the next refresh (``call_after_refresh``), and reports the wall-clock
time. The figure runs from just before the parent spawns the child to that
moment: interpreter start, imports, opening the database, the first queries
and the first full paint. The peer is a bare Textual ``App`` with a
``Footer``, started the same way. Each is started several times, alternating,
and the median is kept: the machine is shared.

Started the same way, bytecode included. Textual's modules come from the
``.pyc`` files pip wrote into site-packages; the workbench is an editable
install, and where ``PYTHONDONTWRITEBYTECODE`` is set (as in this project's
environment) every start compiles each of its modules from source, ~30 ms
the bare App never pays. So the figure (``first_screen_seconds``, the target's
ratio) starts both children with one bytecode cache of their own
(``PYTHONPYCACHEPREFIX`` in the bench's workdir, ``PYTHONDONTWRITEBYTECODE``
unset), after one discarded start of each that fills it: both then load every
module from bytecode, as after a pip install. The same starts in the
environment as it is (the workbench compiled at each start) are reported
beside it (``first_screen_cold_compile_*``).

Key latency. The review app is run in this process with ``measure=True``;
each press of the first verdict key records ``(key, committed, screen
updated)`` monotonic times in ``app.verdict_timings``: from the key event to
the refresh after the verdict and its audit event committed. The floor peer
is a Textual app with one pane of the claim pane's size (and a Footer) whose
key repaints that pane with the same text, timed the same way in the same
run: what any Textual screen pays per key on this machine. Pilot's own
pauses between presses are not part of either.

Side by side. The keys are pressed in blocks (five of a hundred): the
review screen's block, then the floor's on the texts that block showed, then
the stricter floor's, and again. A shared machine has slow spells lasting
seconds; one long run of each put a spell in one app's figures and not the
other's (the ratio moved 1.2-1.5x from run to run). Each block starts its
app afresh; the review screen's goes on in its queue where the last stopped.

The same text. After each key the bench reads what the claim pane shows
(``ClaimView.shown_text``: the claim's paragraph, its facts, the article's
line, its entities, dates and numbers, as plain text), and the floor's key
shows that text in its pane: one Static repainted with the text the review
pane repainted. Until 2026-12-01 the floor showed the claim's sentence
alone (a line or two of the pane's twenty); that floor is still run and
reported beside it (``floor_sentence_*``), a stricter one than the target's.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
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
BLOCKS = 5  # the keys are pressed in blocks, the review screen's and the floors' alternating (see the module doc)
VERDICT_KEY = "1"  # the first label of the active scale
STARTS = 9  # first-screen starts per app and way (median kept: a burst of load from other processes hits a few)
SCREEN = (160, 48)


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
# First screen: each app in a clean process, started the same way (first_screen.py)

FIRST_SCREEN = Path(__file__).with_name("first_screen.py")


def _start_seconds(which: str, db_path: Path, env: dict | None = None) -> float:
    # run as a script, not "-m workbench...": the bare App must not pay for importing the workbench package
    command = [sys.executable, str(FIRST_SCREEN), which, str(db_path), f"{SCREEN[0]}x{SCREEN[1]}"]
    started = time.time()
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{which} app did not start: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])["painted"] - started


def _bytecode_cache(cache: Path) -> dict:
    """The environment for a child that loads every module (Textual's and the workbench's) from one bytecode
    cache, writing it the first time."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


# --------------------------------------------------------------------------
# Key latency (in this process): the review screen, and a floor peer repainting one pane of the same size

async def _press_verdicts(db_path: Path, keys: int) -> tuple[list[tuple[float, float, float]], tuple[int, int],
                                                             list[str]]:
    """The review screen's timings, its claim pane's size, and the pane's text before the first key and after
    each (what the floor peer is to show)."""
    from workbench.tui import make_app
    from workbench.tui.widgets.claim_view import ClaimView

    app = make_app(db_path, "bench", measure=True)
    async with app.run_test(headless=True, size=SCREEN) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        view = app.screen.query_one(ClaimView)
        shown = [view.shown_text]
        for _ in range(keys):
            await pilot.press(VERDICT_KEY)
            shown.append(view.shown_text)
        await pilot.pause()
        return list(app.verdict_timings), (view.size.width, view.size.height), shown


def floor_app(texts: list[str], pane: tuple[int, int]):
    """The floor peer: a Textual app whose one key repaints one pane of the claim pane's size with the next of
    ``texts`` (no database, no other widget but a Footer): what any Textual screen pays for a key."""
    from textual import events
    from textual.app import App
    from textual.content import Content
    from textual.widgets import Footer, Static

    class Floor(App):
        CSS = f"#pane {{ width: {pane[0]}; height: {pane[1]}; border: round $accent; }}"
        BINDINGS = [(VERDICT_KEY, "next", "next")]

        def __init__(self):
            super().__init__()
            self.timings: list[tuple[float, float]] = []
            self._key: float | None = None
            self._at = 0

        def compose(self):
            yield Static(Content(texts[0]), id="pane")
            yield Footer()

        async def on_event(self, event: events.Event) -> None:
            if isinstance(event, events.Key):
                self._key = event.time
            await super().on_event(event)

        def action_next(self) -> None:
            self._at = (self._at + 1) % len(texts)
            self.query_one("#pane", Static).update(Content(texts[self._at]))
            key = self._key
            self.call_after_refresh(lambda: self.timings.append((key, time.monotonic())))

    return Floor()


async def _press_floor(texts: list[str], pane: tuple[int, int], keys: int) -> list[tuple[float, float]]:
    app = floor_app(texts, pane)
    async with app.run_test(headless=True, size=SCREEN) as pilot:
        await pilot.pause()
        for _ in range(keys):
            await pilot.press(VERDICT_KEY)
        await pilot.pause()
        return list(app.timings)


def _claim_sentences(db_path: Path, keys: int) -> list[str]:
    """The sentences of the claims the review screen is given keys on (the stricter floor's texts)."""
    db = open_db(db_path, migrate=False)
    try:
        return [r[0] for r in db.execute("SELECT text FROM statements WHERE checkworthy = 1 ORDER BY article_id, "
                                         "position LIMIT ?", [keys + 1])]
    finally:
        db.close()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def _summary(values: list[float]) -> dict:
    if not values:
        return {"median": None, "p99": None, "max": None}
    return {"median": round(statistics.median(values), 3), "p99": round(_percentile(values, 0.99), 3),
            "max": round(max(values), 3)}


def run(workdir: Path, seed: int, progress: Callable[[str], None], claims: int = CLAIMS, keys: int = KEYS,
        starts: int = STARTS) -> dict:
    db_path = workdir / "review.db"
    progress(f"review: building a database of {claims:,} claims")
    database = build_database(db_path, claims, seed, progress)
    sentences = _claim_sentences(db_path, keys)
    cached = _bytecode_cache(workdir / "pycache")
    for which in ("bare", "review"):  # fills the cache; not timed
        _start_seconds(which, db_path, cached)
    review_starts, bare_starts, review_cold, bare_cold = [], [], [], []
    for n in range(starts):
        progress(f"review: first screen, start {n + 1} of {starts} (bytecode cached, then compiled from source)")
        bare_starts.append(_start_seconds("bare", db_path, cached))
        review_starts.append(_start_seconds("review", db_path, cached))
        bare_cold.append(_start_seconds("bare", db_path))
        review_cold.append(_start_seconds("review", db_path))
    review_first, bare_first = statistics.median(review_starts), statistics.median(bare_starts)
    review_first_cold, bare_first_cold = statistics.median(review_cold), statistics.median(bare_cold)
    progress(f"review: pressing the verdict key {keys} times, then the floor peer's key {keys} times (the same "
             "text, then the claims' sentences alone)")
    timings, floor, floor_sentence, lines = [], [], [], []
    blocks = max(1, min(BLOCKS, keys))
    for block in range(blocks):
        count = keys // blocks + (1 if block < keys % blocks else 0)
        timed, pane, shown = asyncio.run(_press_verdicts(db_path, count))
        timings += timed
        lines += [text.count("\n") + 1 for text in shown[1:]]
        floor += asyncio.run(_press_floor(shown, pane, count))
        first = len(floor_sentence)
        floor_sentence += asyncio.run(_press_floor(sentences[first:first + count + 1], pane, count))
    latencies = [(updated - key) * 1000 for key, _committed, updated in timings]
    commits = [(committed - key) * 1000 for key, committed, _updated in timings]
    screen = _summary(latencies)
    floor_summary = _summary([(updated - key) * 1000 for key, updated in floor])
    sentence_summary = _summary([(updated - key) * 1000 for key, updated in floor_sentence])

    def ratio(a, b):
        return round(a / b, 3) if a is not None and b else None

    return {
        "database": database,
        "terminal": f"{SCREEN[0]}x{SCREEN[1]}",
        "first_screen_seconds": round(review_first, 3),
        "bare_app_first_screen_seconds": round(bare_first, 3),
        "first_screen_ratio": round(review_first / bare_first, 3),
        "first_screen_starts": {"review": [round(s, 3) for s in review_starts],
                                "bare": [round(s, 3) for s in bare_starts]},
        "first_screen_cold_compile_seconds": round(review_first_cold, 3),
        "bare_app_first_screen_cold_compile_seconds": round(bare_first_cold, 3),
        "first_screen_cold_compile_ratio": round(review_first_cold / bare_first_cold, 3),
        "first_screen_cold_compile_starts": {"review": [round(s, 3) for s in review_cold],
                                             "bare": [round(s, 3) for s in bare_cold]},
        "first_screen_method": "fresh process per start (python first_screen.py, no workbench import for the bare "
                               "App with a Footer), App.run_test(headless) at the same size, spawn -> "
                               "call_after_refresh after workers finished; median of the starts, alternating. "
                               "first_screen_*: both children load every module from one bytecode cache "
                               "(PYTHONPYCACHEPREFIX in the workdir, PYTHONDONTWRITEBYTECODE unset; one discarded "
                               "start of each fills it), as after a pip install. first_screen_cold_compile_*: the "
                               "environment as it is (here PYTHONDONTWRITEBYTECODE=1: the editable workbench "
                               "compiled from source at every start, Textual from site-packages' .pyc)",
        "keys_pressed": keys,
        "key_blocks": blocks,
        "verdicts_timed": len(latencies),
        "key_to_screen_ms": screen,
        "floor_key_to_screen_ms": floor_summary,
        "floor_pane": {"width": pane[0], "height": pane[1]},
        "floor_text_lines": round(statistics.mean(lines), 1) if lines else None,
        "key_to_screen_ratio": {"median": ratio(screen["median"], floor_summary["median"]),
                                "p99": ratio(screen["p99"], floor_summary["p99"])},
        "floor_sentence_key_to_screen_ms": sentence_summary,
        "key_to_screen_ratio_sentence_floor": {"median": ratio(screen["median"], sentence_summary["median"]),
                                               "p99": ratio(screen["p99"], sentence_summary["p99"])},
        "key_to_commit_ms": {k: v for k, v in _summary(commits).items() if k != "max"},
        "latency_method": "app.verdict_timings (measure=True): key event -> refresh after the commit; the floor "
                          "peer (one pane of the claim pane's size repainted with the text the claim pane showed "
                          "after that key, a Footer) is timed the same way, in the same run and terminal size, in "
                          "blocks alternating with the review screen's (key_blocks); "
                          "floor_sentence_*: the same peer showing each claim's sentence alone (until 2026-12-01 "
                          "the floor)",
    }


