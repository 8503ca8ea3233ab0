"""The one scorer: how strongly a statement supports, repeats or contradicts a claim.

A score in 0..1 combines four kinds of evidence:

* text similarity (rapidfuzz Indel ratio over normalised tokens: CJK bigrams,
  Latin words), which carries pairs in the same language;
* shared entities weighted by rarity (an idf), so sharing a rare company says
  more than sharing "China";
* numbers: same unit and values within ``number_tolerance`` agree;
* dates: overlapping intervals agree.

Entities, numbers and dates do not depend on the language, so a Chinese claim
and an English report of it still score well although their text similarity
is near zero. The combination is a noisy-or of the text and the structured
evidence, so either can carry a link and both together reinforce it.

Every component is symmetric in its two arguments, which is what makes the
guarantee in :func:`score_pair` hold.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz

from .normalise import has_digit, tokens
from .quantities import DateComparison, Interval, agrees, compare_dates, day_ordinal, format_number
from .records import DUPLICATE_REASON, Link, LinkConfig, LinkItem

# Weights of the structured evidence; entities lead because blocking and the
# reviewer both start from who a statement is about.
_W_ENTITY, _W_NUMBER, _W_DATE = 0.5, 0.3, 0.2
# Text similarity never counts fully on its own: boilerplate sentences can be
# near-identical without being the same claim.
_W_TEXT = 0.9
_TEXT_NOISE = 0.25
# Shared idf above which the shared entities say who a statement is about
# (one fairly rare entity); below it they are only the ubiquitous ones.
_INFORMATIVE_ENTITIES = 0.5
# Two figures further apart than this factor are not two versions of one
# quantity (unless their wording says so).
_COMPARABLE_FACTOR = 2.0
# Sum of normalised idf over shared entities at which sharing is "strong":
# two rare entities, or one rare and a couple of common ones.
_ENTITY_STRENGTH = 1.0


class Vocabulary(dict):
    """Token -> one character, so a statement's tokens become a short string.

    rapidfuzz compares strings much faster than lists of strings, and a
    string of code points is far smaller in memory than a list of token
    objects. ``numeric`` marks the codes of tokens with digits, so that the
    context of a statement (its tokens without numbers) is one ``translate``.
    """

    # Code points available (the surrogate block is skipped: not characters).
    _CAPACITY = 0x110000 - 0x800

    def __init__(self) -> None:
        super().__init__()
        self.numeric: dict[int, None] = {}
        self._spelling: dict[str, str] = {}

    def __missing__(self, token: str) -> str:
        # Past ~1.1M distinct tokens codes are reused: a rare collision only
        # makes two statements look slightly more alike.
        n = len(self) % self._CAPACITY
        code = chr(n if n < 0xD800 else n + 0x800)
        self[token] = code
        self._spelling[code] = token
        if has_digit(token):
            self.numeric[ord(code)] = None
        return code

    def spell(self, codes: str) -> tuple[str, ...]:
        """The tokens behind *codes*: an order that does not depend on which
        token happened to be seen first (codes are assigned as tokens come)."""
        return tuple([self._spelling[c] for c in codes])

    def encode(self, toks: list[str]) -> tuple[str, str]:
        """(all tokens, tokens without digits), one character each."""
        key = "".join([self[t] for t in toks])
        return key, key.translate(self.numeric)


@dataclass(slots=True)
class Features:
    """What the scorer needs from a LinkItem, computed once per item.

    ``text_key`` is the item's tokens encoded by a :class:`Vocabulary`;
    ``context_key`` the same without the tokens that carry digits.
    """

    item: LinkItem
    text_key: str
    context_key: str
    intervals: tuple[Interval, ...]
    published: int | None
    units: dict[str | None, tuple[float, ...]]
    names: dict[int, str]


def features_of(item: LinkItem, vocabulary: Vocabulary) -> Features:
    """Tokenise and parse one item (pure apart from growing *vocabulary*)."""
    text_key, context_key = vocabulary.encode(tokens(item.text))
    intervals = tuple(sorted({(day_ordinal(s), day_ordinal(e)) for s, e in item.dates}))
    units: dict[str | None, list[float]] = {}
    for value, unit in item.numbers:
        units.setdefault(unit, []).append(value)
    names: dict[int, str] = {}
    if item.entity_names and len(item.entity_names) == len(item.entities):
        names = dict(zip(sorted(item.entities), item.entity_names))
    return Features(
        item=item,
        text_key=text_key,
        context_key=context_key,
        intervals=intervals,
        published=day_ordinal(item.published) if item.published else None,
        units={u: tuple(sorted(v)) for u, v in units.items()},
        names=names,
    )


class ScoreContext:
    """Shared state of one linking run: config, entity rarity, feature cache.

    Entity rarity comes from ``entity_df``/``total`` when the caller knows the
    whole collection (the store does), otherwise from the items observed here.
    """

    def __init__(
        self,
        config: LinkConfig | None = None,
        entity_df: Mapping[int, int] | None = None,
        total: int | None = None,
    ) -> None:
        self.config = config or LinkConfig()
        self._given_df = entity_df
        self._given_total = total
        self.observed_df: Counter[int] = Counter()
        self.observed_total = 0
        self._features: dict[int, Features] = {}
        self.vocabulary = Vocabulary()
        self._idf_cache: dict[int, float] = {}

    def observe(self, items: Iterable[LinkItem]) -> None:
        """Count entity frequencies of *items* (used when no df was given)."""
        for item in items:
            self.observed_df.update(item.entities)
            self.observed_total += 1
        self._idf_cache.clear()

    def df(self, entity: int) -> int:
        """How many statements mention *entity* (at least 1)."""
        if self._given_df is not None:
            return max(1, self._given_df.get(entity, 0))
        return max(1, self.observed_df.get(entity, 0))

    @property
    def total(self) -> int:
        if self._given_df is not None and self._given_total is not None:
            return max(1, self._given_total)
        return max(1, self.observed_total)

    def idf(self, entity: int) -> float:
        """Rarity in 0..1: log(1 + N/df) / log(1 + N).

        1 for an entity seen once, about 0.1 for one in a third of 100k
        statements. Smoothed so that a tiny collection does not zero out.
        """
        cached = self._idf_cache.get(entity)
        if cached is None:
            total = self.total
            cached = 1.0 if total <= 1 else math.log1p(total / self.df(entity)) / math.log1p(total)
            self._idf_cache[entity] = cached = min(1.0, cached)
        return cached

    def features(self, item: LinkItem) -> Features:
        """Features of *item*, cached by statement id."""
        found = self._features.get(item.statement_id)
        if found is None or found.item is not item:
            found = self._features[item.statement_id] = features_of(item, self.vocabulary)
        return found


@dataclass(slots=True)
class Evidence:
    """Everything the scorer found about one pair; reasons are phrased on demand."""

    claim: Features
    other: Features
    score: float
    relation: str
    duplicate: bool
    shared: frozenset[int]
    dates: DateComparison
    date_conflict: bool
    text: float
    cross_lingual: bool
    # (unit, claim values, other values, agreeing pair or None), by verdict
    agree: list[tuple]
    conflicts: list[tuple]
    differ: list[tuple]


def evaluate(claim: LinkItem, other: LinkItem, ctx: ScoreContext) -> Evidence | None:
    """Weigh the evidence for one pair; None when it is not a candidate.

    Not a candidate: same article, no shared entity, or dates that cannot be
    about the same moment. This is the scorer; :func:`score_pair` only phrases
    its result.
    """
    if claim.article_id == other.article_id:
        return None
    shared = claim.entities & other.entities
    if not shared:
        return None
    config = ctx.config
    a, b = ctx.features(claim), ctx.features(other)
    dates = compare_dates(a.intervals, a.published, b.intervals, b.published, config.date_window_days)
    if dates.kind == "incompatible":
        return None

    # --- entities, weighted by rarity (weighted Dice times strength)
    idf = ctx.idf
    # fsum is exact, so the sums do not depend on set iteration order (the
    # symmetry guarantee must hold to the last bit at the thresholds).
    shared_weight = math.fsum([idf(e) for e in shared])
    total_weight = math.fsum([idf(e) for e in claim.entities] + [idf(e) for e in other.entities])
    entity_dice = 2 * shared_weight / total_weight if total_weight else 0.0
    entity_score = entity_dice * min(1.0, shared_weight / _ENTITY_STRENGTH)

    # --- text
    text = fuzz.ratio(a.text_key, b.text_key) / 100 if a.text_key and b.text_key else 0.0
    cross_lingual = (
        claim.language is not None and other.language is not None and claim.language != other.language
    )

    # Same quantity / same event? Either the words around the numbers match,
    # or (when the words cannot be compared, or barely) the two statements are
    # about the same actors -- not only the ubiquitous ones, unless they also
    # agree on the day -- and each mentions exactly one such value.
    # (Computed only when a number or date differs: most pairs never ask.)
    context: float | None = None

    def same_subject(single: bool) -> bool:
        nonlocal context
        if context is None:
            context = (
                fuzz.ratio(a.context_key, b.context_key) / 100
                if a.context_key and b.context_key
                else 0.0
            )
        if context >= config.conflict_context:
            return True
        # A figure or a day both sides agree on also says they report one event.
        actors_match = entity_dice >= 0.8 and (
            cross_lingual or context >= 0.25 or agree_specific or same_day
        )
        informative = shared_weight >= _INFORMATIVE_ENTITIES or same_day or agree_specific
        if actors_match and informative and single:
            return True
        # Two reports of the same moment (dates overlap, or undated but
        # published within the window) naming the same two or more actors,
        # each with one figure of the same unit: the same quantity told
        # differently (1.5 million vs 1.7 million cars) -- exactly what a
        # reviewer must see, even when the actors are the ubiquitous ones.
        return single and len(shared) >= 2 and entity_dice >= 0.5 and dates.kind in ("agree", "fallback")

    same_day = dates.kind == "agree" and dates.narrowest == 1

    # --- numbers: per unit, pair up agreeing values; what is left on both
    # sides differs ("from $40,000 to $30,000" vs "from 4万 to 2.6万": the
    # first figure agrees, the second conflicts).
    agree: list[tuple] = []
    unmatched: list[tuple] = []
    for unit in a.units.keys() & b.units.keys():
        xs, ys = a.units[unit], b.units[unit]
        rest_x, rest_y, first = _pair_up(xs, ys, config.number_tolerance)
        if first is not None:
            agree.append((unit, xs, ys, first))
        if rest_x and rest_y:
            unmatched.append((unit, rest_x, rest_y, None))
    agree_specific = any(unit is not None for unit, *_ in agree)
    conflicts: list[tuple] = []
    differ: list[tuple] = []
    for unit, xs, ys, _ in unmatched:
        # A bare number (no unit) is too weak to be "the same quantity", and
        # so are two figures of a different order of magnitude.
        if unit is not None and same_subject(
            len(xs) == 1 and len(ys) == 1 and _comparable(xs[0], ys[0])
        ):
            conflicts.append((unit, xs, ys, None))
        else:
            differ.append((unit, xs, ys, None))

    # One announcement dated differently by two sources (5月28日 vs May 25): many of the same actors,
    # strongly shared, and wording that agrees as far as it can be compared (across languages it cannot).
    # (same_subject runs first: it computes the context similarity this reads.)
    date_conflict = dates.kind == "near" and dates.same_precision and dates.single and (
        same_subject(True)
        or len(shared) >= 3 and entity_dice >= 0.6 and shared_weight >= _ENTITY_STRENGTH
        and (cross_lingual or context >= 0.25)
    )

    number_evidence = 1.0 if agree_specific else 0.8 if conflicts else 0.5 if agree else 0.0
    date_evidence = _date_evidence(dates, date_conflict)
    structured = _W_ENTITY * entity_score + _W_NUMBER * number_evidence + _W_DATE * date_evidence
    # Unrelated statements in one language share common words and bigrams
    # (的, 是, "said"): similarity below _TEXT_NOISE is no evidence at all.
    text_evidence = max(0.0, (text - _TEXT_NOISE) / (1.0 - _TEXT_NOISE))
    score = 1.0 - (1.0 - _W_TEXT * text_evidence) * (1.0 - structured)
    score = round(min(1.0, max(0.0, score)), 4)

    if conflicts or date_conflict:
        relation = "conflict"
    elif text >= config.same_text:
        relation = "same"
    elif entity_dice >= 0.5 and agree_specific:
        relation = "same"
    elif same_day and (text >= 0.35 and entity_dice >= 0.5 or text >= 0.25 and entity_dice >= 0.8):
        # Paraphrases of one report share the day and the actors but often
        # little wording; the more exactly the actors match, the less wording
        # it takes.
        relation = "same"
    elif cross_lingual and entity_dice >= 0.8 and same_day:
        # Across languages the wording cannot tell "the same claim" from
        # "another point on the same day"; the same actors on the same day is
        # the best evidence there is, and a reviewer sees it in the reasons.
        relation = "same"
    else:
        relation = "related"

    return Evidence(
        claim=a,
        other=b,
        score=score,
        relation=relation,
        duplicate=claim.group_id == other.group_id,
        shared=shared,
        dates=dates,
        date_conflict=date_conflict,
        text=text,
        cross_lingual=cross_lingual,
        agree=agree,
        conflicts=conflicts,
        differ=differ,
    )


def describe(evidence: Evidence, ctx: ScoreContext) -> Link:
    """Turn evidence into a Link whose reasons a reviewer can read."""
    a, b = evidence.claim, evidence.other
    claim, other = a.item, b.item
    reasons: list[str] = [DUPLICATE_REASON] if evidence.duplicate else []
    reasons.append("shares " + _entity_list(evidence.shared, a, b, ctx.idf))
    date_reason = evidence.dates.reason
    if evidence.date_conflict:
        date_reason = date_reason.replace("dates differ", "date conflict")
    reasons.append(date_reason)

    def values(unit: str | None, xs: tuple[float, ...], language: str | None) -> str:
        return "/".join(format_number(x, unit, language) for x in xs)

    def label(unit: str | None) -> str:
        return f" ({unit})" if unit and unit != "%" else ""

    for unit, _, _, (x, y) in sorted(evidence.agree, key=_unit_order):
        reasons.append(
            f"numbers agree: {format_number(x, unit, claim.language)} = "
            f"{format_number(y, unit, other.language)}{label(unit)}"
        )
    for verdict, entries in (("conflict", evidence.conflicts), ("differ", evidence.differ)):
        for unit, xs, ys, _ in sorted(entries, key=_unit_order):
            reasons.append(
                f"numbers {verdict}: {values(unit, xs, claim.language)} vs "
                f"{values(unit, ys, other.language)}{label(unit)}"
            )
    similarity = f"text {round(evidence.text * 100)}% similar"
    if evidence.cross_lingual:
        similarity += f" ({claim.language} vs {other.language})"
    reasons.append(similarity)
    return Link(
        claim_id=claim.statement_id,
        statement_id=other.statement_id,
        score=evidence.score,
        relation=evidence.relation,
        reasons=reasons,
        duplicate=evidence.duplicate,
    )


def score_pair(claim: LinkItem, other: LinkItem, ctx: ScoreContext) -> Link | None:
    """Score *claim* against a statement of another article.

    Returns None when the pair is not a candidate at all: same article, no
    shared entity, or dates that cannot be about the same moment. Otherwise a
    Link with its score (0..1), relation and reasons; whether it is kept is
    decided by the caller (top-k, min_score).

    Guarantee: ``score_pair(a, b)`` and ``score_pair(b, a)`` (same context)
    are both None or have the same score, relation and duplicate flag -- every
    piece of evidence is computed symmetrically. So if A's claim links B's as
    "same", scoring B's against A's gives "same" too.
    """
    evidence = evaluate(claim, other, ctx)
    return None if evidence is None else describe(evidence, ctx)


def _pair_up(
    xs: tuple[float, ...], ys: tuple[float, ...], tolerance: float
) -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, float] | None]:
    """Match agreeing values one to one (both sorted, greedily in order).

    Returns the values left on each side and the first agreeing pair.
    """
    used = [False] * len(ys)
    rest_x: list[float] = []
    first = None
    for x in xs:
        for j, y in enumerate(ys):
            if not used[j] and agrees(x, y, tolerance):
                used[j] = True
                first = first or (x, y)
                break
        else:
            rest_x.append(x)
    rest_y = tuple(y for j, y in enumerate(ys) if not used[j])
    return tuple(rest_x), rest_y, first


def _comparable(x: float, y: float) -> bool:
    """Same sign and within _COMPARABLE_FACTOR of each other."""
    if x == 0 or y == 0 or (x > 0) != (y > 0):
        return False
    ratio = x / y
    return 1 / _COMPARABLE_FACTOR <= ratio <= _COMPARABLE_FACTOR


def _unit_order(entry: tuple) -> tuple[bool, str]:
    """Units in a fixed order for reasons, bare numbers last."""
    return (entry[0] is None, entry[0] or "")


def _date_evidence(dates: DateComparison, conflict: bool) -> float:
    if dates.kind == "agree":
        # Agreeing on one day is evidence; both "in 2024" barely is.
        return 1.0 if dates.narrowest <= 7 else 0.7 if dates.narrowest <= 31 else 0.4
    if conflict:
        return 0.8
    return {"fallback": 0.35, "unknown": 0.3}.get(dates.kind, 0.1)


def _entity_list(shared: frozenset[int], a: Features, b: Features, idf) -> str:
    ordered = sorted(shared, key=lambda e: (-idf(e), e))
    names = [a.names.get(e) or b.names.get(e) or f"entity {e}" for e in ordered[:5]]
    if len(ordered) > 5:
        names.append(f"and {len(ordered) - 5} more")
    return ", ".join(names)
