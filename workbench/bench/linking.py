"""Linking figures: time and peak memory at 1k/10k/100k statements, recall, agreement with brute force.

Linking is measured alone: the generator's statements become LinkItems in
memory (:func:`workbench.bench.corpus.link_items`, the annotations the
statements were written with), so the figures say what the linker costs,
not what segmentation or the store cost. The clock covers what
:meth:`Pipeline.relink_all` does between loading and saving: building the
:class:`LinkIndex` and linking every claim.

Each size runs in a fresh subprocess (``python -m workbench.bench.linking``),
so one size's memory cannot leak into the next. Peak memory is the
process's high-water mark (``VmHWM`` on Linux, see :func:`workbench.bench.memory.peak_rss_mib`):
reported both as the whole process (interpreter, corpus and all -- what a
user would see) and as the growth over the baseline taken just before
linking starts. tracemalloc is not used: it slows allocation-heavy Python
code several times and would distort the timings.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Callable

from workbench.bench import corpus as corpus_mod
from workbench.bench.memory import peak_rss_mib
from datetime import date

from workbench.linking import (ArticleProfile, EntityKinds, Link, LinkConfig, LinkIndex, LinkItem, Relatedness,
                               StoryRules, StoryView, assign_stories, brute_force, tokens)

SIZES = (1_000, 10_000, 100_000)
BRUTE_FORCE_SIZE = 10_000


def recall(corpus: corpus_mod.Corpus, ids: dict[tuple[int, int], int], links: list[Link]) -> dict:
    """How many planted pairs the links contain, and with the right relation.

    A pair is found when either side's links include the other side (both
    sides are claims, and a reviewer sees the link from either one); the
    relation counts as right when that link says ``same`` for a same-claim
    pair and ``conflict`` for a conflict pair.
    """
    by_claim: dict[int, dict[int, str]] = {}
    for link in links:
        by_claim.setdefault(link.claim_id, {})[link.statement_id] = link.relation
    per_kind: dict[str, list[int]] = {}
    found = right = both = 0
    for pair in corpus.pairs:
        a = ids[(pair.left.article, pair.left.statement)]
        b = ids[(pair.right.article, pair.right.statement)]
        ab, ba = by_claim.get(a, {}).get(b), by_claim.get(b, {}).get(a)
        relation = ab or ba
        counts = per_kind.setdefault(pair.kind, [0, 0, 0])
        counts[0] += 1
        if relation is not None:
            found += 1
            counts[1] += 1
            both += ab is not None and ba is not None
            if relation == pair.relation:
                right += 1
                counts[2] += 1
    total = len(corpus.pairs)
    return {
        "pairs": total,
        "found": found,
        "recall": round(found / total, 4) if total else None,
        "found_from_both_sides": both,
        "relation_accuracy": round(right / found, 4) if found else None,
        "by_kind": {kind: {"pairs": n, "found": f, "relation_right": r} for kind, (n, f, r) in sorted(per_kind.items())},
    }


def stories_of(items: list[LinkItem], rules: StoryRules | None = None) -> StoryView:
    """The story stage as the pipeline runs it, on LinkItems: article profiles (entities weighted
    by mentions; the generator's entities are all actors), relatedness, grouping in id order."""
    rules = rules or StoryRules()
    profiles: dict[int, ArticleProfile] = {}
    for item in items:
        profile = profiles.get(item.article_id)
        if profile is None:
            day = date.fromisoformat(item.published).toordinal() if item.published else None
            profile = profiles[item.article_id] = ArticleProfile(item.article_id, item.group_id, day)
        for e in item.entities:
            profile.weights[e] = profile.weights.get(e, 0.0) + rules.actor_weight
    related = Relatedness(profiles.values(), rules)
    assignment = assign_stories(sorted(profiles), related, {}, 1)
    return StoryView({a: s for a, (s, _r) in assignment.items()}, related)


def name_kinds(corpus: corpus_mod.Corpus) -> EntityKinds:
    """The words of the entities' names, as the store hands them to the scorer (names are entity
    evidence, not subject or rare words); every generated entity is an actor."""
    return EntityKinds(name_words=frozenset(t for e in corpus.entities.values() for name in (e.zh, e.en)
                                            for t in tokens(name)))


def measure(statements: int, seed: int, *, with_brute_force: bool = False) -> dict:
    """Generate about *statements* statements, group their articles into stories and link them
    (in this process); the story stage and the statement stage are timed apart."""
    corpus = corpus_mod.with_statements(statements, seed)
    items, ids = corpus_mod.link_items(corpus)
    claims = [item for item in items if item.is_claim]
    gc.collect()
    baseline = peak_rss_mib()
    started, cpu = time.perf_counter(), time.process_time()
    stories = stories_of(items)
    story_seconds = time.perf_counter() - started
    kinds = name_kinds(corpus)
    index = LinkIndex(LinkConfig(), kinds=kinds, stories=stories)
    index.add(items)
    links = index.link(claims)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    peak = peak_rss_mib()
    result = {
        "statements": len(items),
        "claims": len(claims),
        "articles": len(corpus.articles),
        "links": len(links),
        "seconds": round(seconds, 3),
        "story_seconds": round(story_seconds, 3),
        "statement_seconds": round(seconds - story_seconds, 3),
        "stories": len(set(stories.story_of.values())),
        "cpu_seconds": round(cpu_seconds, 3),
        "peak_rss_mib": round(peak, 1),
        "peak_rss_growth_mib": round(max(0.0, peak - baseline), 1),
        "planted": recall(corpus, ids, links),
    }
    if with_brute_force:
        started, cpu = time.perf_counter(), time.process_time()
        truth = brute_force(items, LinkConfig(), kinds=kinds, stories=stories)
        brute_seconds, brute_cpu = time.perf_counter() - started, time.process_time() - cpu
        found = {(link.claim_id, link.statement_id) for link in links}
        top = [(link.claim_id, link.statement_id) for link in truth]
        shared = sum(pair in found for pair in top)
        result["brute_force"] = {
            "seconds": round(brute_seconds, 3),
            "cpu_seconds": round(brute_cpu, 3),
            "links": len(top),
            "index_finds": shared,
            "agreement": round(shared / len(top), 4) if top else None,
            "time_ratio": round(seconds / brute_seconds, 4) if brute_seconds else None,
        }
    return result


def _in_subprocess(statements: int, seed: int, with_brute_force: bool) -> dict:
    command = [sys.executable, "-m", "workbench.bench.linking", "--statements", str(statements), "--seed", str(seed)]
    if with_brute_force:
        command.append("--brute-force")
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONHASHSEED": "0"})
    if done.returncode != 0:
        raise RuntimeError(f"linking worker failed ({statements} statements): {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)


def run(seed: int, progress: Callable[[str], None], sizes: tuple[int, ...] = SIZES,
        brute_force_size: int | None = BRUTE_FORCE_SIZE) -> dict:
    """Each size in its own process; growth per x10; brute-force agreement at one size."""
    results = []
    for size in sizes:
        progress(f"linking: {size:,} statements")
        results.append(_in_subprocess(size, seed, False))
        progress(f"linking: {size:,} statements in {results[-1]['seconds']:.2f} s, "
                 f"peak {results[-1]['peak_rss_mib']:.0f} MiB")
    growth = []
    for small, big in zip(results, results[1:]):
        # Normalise by the real size ratio (whole articles make sizes approximate).
        size_ratio = big["statements"] / small["statements"]
        time_ratio = big["seconds"] / small["seconds"] if small["seconds"] else None
        growth.append({
            "from": small["statements"], "to": big["statements"],
            "time_ratio": round(time_ratio, 2) if time_ratio else None,
            "per_x10": round(time_ratio ** (1 / _log10(size_ratio)), 2) if time_ratio else None,
        })
    out = {"sizes": results, "growth": growth, "memory_method": "VmHWM (peak RSS) of a fresh subprocess per size"}
    if brute_force_size:
        progress(f"linking: brute force at {brute_force_size:,} statements (slow by design)")
        out["brute_force"] = _in_subprocess(brute_force_size, seed, True)
    return out


def _log10(x: float) -> float:
    return math.log10(x) if x > 1 else 1.0


def main(argv: list[str] | None = None) -> None:
    """The worker: measure one size and print its figures as JSON on stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--brute-force", action="store_true")
    args = parser.parse_args(argv)
    json.dump(measure(args.statements, args.seed, with_brute_force=args.brute_force), sys.stdout)


if __name__ == "__main__":
    main()
