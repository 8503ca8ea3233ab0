"""Compose the claim stages: article text -> annotated statements.

:func:`analyse` composes the pure stages: segmentation, entity mentions, dates
(resolved against the publication date and the article's own context),
numbers, and check-worthiness. Annotations are found over the whole text once
and then handed to the statement that contains them, so a date's context
(the latest explicit date earlier in the article) is never cut at a sentence.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from workbench.claims.checkworthy import DEFAULT_THRESHOLD, assess
from workbench.claims.claimants import find_claimants
from workbench.claims.coref import resolve
from workbench.claims.dates import find_dates
from workbench.claims.entities import EntityMatcher, chinese_terms, english_candidates
from workbench.claims.numbers import find_numbers
from workbench.claims.segment import segment
from workbench.ingest.textmeta import infer_language
from workbench.model import Statement



@dataclass
class Analysis:
    statements: list[Statement]
    # Capitalised multi-word names not in the gazetteer: (name, start, end) in clean_text.
    name_candidates: list[tuple[str, int, int]] = field(default_factory=list)
    # Chinese terms of this article; terms recurring across articles become candidate entities.
    terms: set[str] = field(default_factory=set)


def _distribute(items, spans, key=lambda item: item.start):
    """Hand each annotation to the statement whose span contains its start."""
    starts = [s.start for s in spans]
    buckets: list[list] = [[] for _ in spans]
    for item in items:
        i = bisect.bisect_right(starts, key(item)) - 1
        if i >= 0 and key(item) < spans[i].end:
            buckets[i].append(item)
    return buckets


def analyse(
    text: str,
    *,
    published: str | None,
    matcher: EntityMatcher,
    language: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    topics: frozenset[int] = frozenset(),
    author: str | None = None,
    site: str | None = None,
    people: frozenset[int] = frozenset(),
    organisations: frozenset[int] = frozenset(),
) -> Analysis:
    """Split ``text`` into statements and annotate each one.

    ``topics`` are the ids of subject-term entities (data centre, recall):
    they are kept as mentions, for linking, but do not make a statement
    check-worthy the way a named actor does. ``organisations`` are the ids of
    the organisations: "the company", 该公司 resolve to one of them
    (claims/coref.py) and become mentions with the reason. Every statement
    gets a claimant (claims/claimants.py): a speaker or source named in it or
    its context, else the article's ``author`` or ``site``; ``people`` and
    ``organisations`` say who can speak, and 他 is the person who spoke last.
    """
    spans = segment(text)
    dates = find_dates(text, published)
    entities = matcher.find(text)
    if organisations:
        inferred = resolve(text, [(s.start, s.end) for s in spans], entities, organisations)
        if inferred:
            entities = sorted(entities + [r.as_mention() for r in inferred], key=lambda m: m.start)
    date_spans = [(d.start, d.end) for d in dates]
    numbers = [n for n in find_numbers(text) if not _overlaps(n.start, n.end, date_spans)]
    by_entities = _distribute(entities, spans)
    by_dates = _distribute(dates, spans)
    by_numbers = _distribute(numbers, spans)
    statements = []
    for index, span in enumerate(spans):
        body = text[span.start:span.end]
        stmt_lang = infer_language(body) or language
        actors = [m for m in by_entities[index] if m.entity_id not in topics]
        score, types, reasons = assess(
            body, entities=actors, dates=by_dates[index], numbers=by_numbers[index], language=stmt_lang
        )
        statements.append(Statement(
            index=index, paragraph=span.paragraph, start=span.start, end=span.end, text=body,
            score=score, checkworthy=score >= threshold, types=types, reasons=reasons,
            entities=by_entities[index], dates=by_dates[index], numbers=by_numbers[index],
        ))
    speakers = (people | organisations) or None
    for stmt, claimant in zip(statements, find_claimants(text, statements, author=author, site=site, speakers=speakers,
                                                         people=people, organisations=organisations)):
        stmt.claimant = claimant
    names = english_candidates(text, matcher) if language != "zh" else []
    terms = chinese_terms(text) if language in ("zh", "mixed") else set()
    return Analysis(statements, names, terms)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    # spans are sorted by start; look at the neighbours of the insertion point
    i = bisect.bisect_left(spans, (start, end))
    for j in (i - 1, i):
        if 0 <= j < len(spans) and spans[j][0] < end and start < spans[j][1]:
            return True
    return False
