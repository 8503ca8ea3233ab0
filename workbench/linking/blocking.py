"""Blocking keys: which statements are worth scoring against a claim.

Scoring every claim against every statement is quadratic. Instead each
statement is filed under a few keys, and a claim is scored only against
statements that share a key with it. A key is one of:

* ``("e", entity)`` -- any entity; useful on its own only when it is rare;
* ``("m", entity, month)`` -- a common entity in a calendar month (dated
  statements under the months their intervals touch, undated ones under their
  publication month), so "Tesla in May 2024" is a key where "Tesla" is not;
* ``("y", entity, year)`` -- the same for statements dated by year (or a
  span of a few years), which month keys leave out;
* ``("u", entity, unit, month)`` -- a common entity, a number unit and a month:
  finer still, and exactly what a cross-lingual pair about one quantity shares;
* ``("d", entity, day)`` -- any entity on a day its dates name (intervals of up
  to a week); probed without widening, it only adds weight to candidates that
  agree on the day, so that "both 2024-01-03" ranks high among an entity's
  statements;
* ``("v", unit, bucket)`` -- a value with a unit (``170万 vehicles``), so that
  statements agreeing on a figure meet whatever language they are in;
* ``("t", gram)`` -- one of the statement's rarest tokens or pairs of adjacent
  tokens, so that near-identical wording meets even when all its entities
  are common;
* ``("g", language, stem)`` -- an English stem of one of a Chinese statement's
  rarest dictionary words (``"zh"``), or of an English statement's rarest words
  (``"en"``); a claim probes the other language's keys, so that a paraphrase
  across languages meets where its only entity is common (:mod:`.bilingual`).

Keys whose posting list is longer than ``max_postings`` are skipped when a
claim probes (rarer keys say the same more cheaply); candidates are then
ranked by how many rare keys they share and only the best ``max_candidates``
are scored. Both bounds keep the work per claim constant, so linking grows
near-linearly with the collection. Whatever blocking proposes, the scorer
still requires a shared entity and compatible dates, so blocking can lose a
link but never invent one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date

from . import bilingual
from .quantities import value_bucket
from .scoring import Features, cross_language_words

# How much sharing one key of each kind counts when candidates are ranked
# (divided by log2 of the key's posting size). A shared rare entity is what
# scoring rewards most; one shared word proves little, since text similarity
# needs many.
KEY_WEIGHTS = {"e": 2.0, "d": 1.0, "m": 1.0, "y": 1.0, "u": 1.5, "v": 1.5, "t": 0.5, "g": 0.1}
# How many of an item's rarest tokens it is filed under, and how many a claim
# probes: probing more than is filed lets two paraphrases meet when their
# rarest tokens differ slightly.
STORED_TOKENS = 6
PROBED_TOKENS = 10
# The same for cross-language words (each Chinese word files all the stems of its glosses).
STORED_WORDS = 4
PROBED_WORDS = 8
# Intervals longer than this are not spread over months (a whole year would
# file the statement under twelve keys and match everything in it).
MAX_MONTH_SPAN_DAYS = 93
# Longer intervals than this (decades, "since 1990") are not filed by year either.
MAX_YEAR_SPAN_DAYS = 3 * 366


def month_of(ordinal: int) -> int:
    day = date.fromordinal(ordinal)
    return day.year * 12 + day.month - 1


def years(f: Features, widen: int) -> set[int]:
    """Years touched by the item's long intervals (a year, a span of a few)."""
    out: set[int] = set()
    for start, end in f.intervals:
        if MAX_MONTH_SPAN_DAYS <= end - start < MAX_YEAR_SPAN_DAYS:
            first = date.fromordinal(start - widen).year
            out.update(range(first, date.fromordinal(end + widen).year + 1))
    return out


def months(f: Features, widen: int) -> set[int]:
    """Months the item's dates touch (widened by *widen* days on each side)."""
    spans = [iv for iv in f.intervals if iv[1] - iv[0] < MAX_MONTH_SPAN_DAYS]
    if not f.intervals and f.published is not None:
        spans = [(f.published, f.published)]
    out: set[int] = set()
    for start, end in spans:
        first, last = month_of(start - widen), month_of(end + widen)
        out.update(range(first, last + 1))
    return out


def text_grams(f: Features) -> set[str]:
    """The item's tokens and pairs of adjacent tokens (as vocabulary codes).

    Pairs are much rarer than single tokens in a large collection, so two
    near-identical statements still share a rare key when all their words
    are common.
    """
    key = f.text_key
    grams = set(key)
    grams.update([key[i : i + 2] for i in range(len(key) - 1)])
    return grams


def rare_tokens(
    f: Features, token_df: Counter[str], count: int, spell: Callable[[str], tuple[str, ...]]
) -> list[str]:
    """The item's *count* rarest grams (as vocabulary codes) that another item shares.

    Ties are broken by spelling, not by code, so the choice does not depend
    on the order in which items were added.
    """
    df = token_df.get
    ranked = sorted([(n, t) for t in text_grams(f) if (n := df(t, 0)) >= 2])
    if len(ranked) <= count or ranked[count - 1][0] != ranked[count][0]:
        return [t for _, t in ranked[:count]]
    # A tie across the cut: choose within the tied group by spelling (only
    # that group is spelled out; it is the costly part).
    boundary = ranked[count - 1][0]
    head = [t for n, t in ranked if n < boundary]
    tied = sorted((t for n, t in ranked if n == boundary), key=spell)
    return head + tied[: count - len(head)]


def item_keys(
    f: Features,
    entity_df: Callable[[int], int],
    token_df: Counter[str],
    common: int,
    tolerance: float,
    spell: Callable[[str], tuple[str, ...]],
    widen: int = 0,
    probe: bool = False,
    word_df: Callable[[str], int] | None = None,
) -> set[tuple]:
    """The keys an item is filed under (or, with ``probe``, the keys a claim looks up).

    An entity with more than *common* mentions is "common" and is combined
    with a month and a unit. A probing claim widens its months by the date
    window and looks up the two neighbouring value buckets as well, so that
    values within the tolerance meet across a bucket boundary. *word_df*
    (how many statements use a token, by spelling) enables the cross-language keys.
    """
    keys: set[tuple] = set()
    units = [u for u in f.units if u is not None]
    month_set = months(f, widen)
    year_set = years(f, widen)
    days = {d for start, end in f.intervals if end - start < 7 for d in range(start, end + 1)}
    for entity in f.item.entities:
        keys.add(("e", entity))
        for day in days:
            keys.add(("d", entity, day))
        if entity_df(entity) <= common:
            continue
        for year in year_set:
            keys.add(("y", entity, year))
        for month in month_set:
            keys.add(("m", entity, month))
            for unit in units:
                keys.add(("u", entity, unit, month))
    for unit in units:
        for value in f.units[unit]:
            bucket = value_bucket(value, tolerance)
            keys.add(("v", unit, bucket))
            if probe:
                keys.add(("v", unit, bucket - 1))
                keys.add(("v", unit, bucket + 1))
    for token in rare_tokens(f, token_df, PROBED_TOKENS if probe else STORED_TOKENS, spell):
        keys.add(("t", token))
    if word_df is not None and f.item.language in ("zh", "en"):
        language = f.item.language
        if probe:
            language = "en" if language == "zh" else "zh"
        for stem in cross_language_keys(f, word_df, PROBED_WORDS if probe else STORED_WORDS):
            keys.add(("g", language, stem))
    return keys


def cross_language_keys(f: Features, word_df: Callable[[str], int], count: int) -> set[str]:
    """English stems of the statement's *count* rarest cross-language words (by how many
    statements use them; ties by spelling): a Chinese word's by its rarest character pair.

    The ranking is made once per statement (filing and probing read it; the token counts it
    depends on are fixed once the index is built)."""
    ranked = f.ranked_words
    words, names = cross_language_words(f)
    if f.item.language == "zh":
        if ranked is None:
            ranked = f.ranked_words = [word for _, word in sorted([
                (word_df(word) if len(word) == 2 else min([word_df(word[i:i + 2]) for i in range(len(word) - 1)]), word)
                for word in words])]
        stems_of = bilingual.dictionary().stems_of
        return set().union(*map(stems_of, ranked[:count])) - names
    if ranked is None:
        stems, surfaces = words
        ranked = f.ranked_words = [stem for _, _, stem in sorted(
            (word_df(word), word, stem) for stem, word in zip(stems, surfaces) if stem not in names)]
    return set(ranked[:count])
