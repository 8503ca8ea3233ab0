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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from . import bilingual
from .normalise import has_digit, tokens
from .quantities import DateComparison, Interval, agrees, compare_dates, day_ordinal, format_number
from .records import DUPLICATE_REASON, Link, LinkConfig, LinkItem, LinkRules

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
    words: tuple | None = None  # cross-language words (:func:`bilingual_evidence`), glossed on first need
    ranked_words: list | None = None  # their stems, rarest word first (blocking's cross-language keys)


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
        kinds: EntityKinds | None = None,
        stories: StoryView | None = None,
    ) -> None:
        self.config = config or LinkConfig()
        self.rules = self.config.rules
        self.kinds = kinds or EntityKinds()
        self.stories = stories
        # How many articles use each word (vocabulary code), set by the index: words few articles
        # share are evidence (ALKS, Walter Huang, 李彦宏) where entities are too common.
        self.word_df: Mapping[str, int] | None = None
        self.word_total = 0
        # Each article's subject words (vocabulary codes), set by the index (:func:`.index.article_subjects`).
        self.subjects: Mapping[int, frozenset[str]] = {}
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
            if entity in self.kinds.terms:  # auto-discovered: weighs little, however rare
                cached *= self.rules.term_weight
            self._idf_cache[entity] = cached = min(1.0, cached)
        return cached

    def features(self, item: LinkItem) -> Features:
        """Features of *item*, cached by statement id."""
        found = self._features.get(item.statement_id)
        if found is None or found.item is not item:
            found = self._features[item.statement_id] = features_of(item, self.vocabulary)
        return found


@dataclass(frozen=True)
class EntityKinds:
    """Which entities are not actors: auto-discovered ``terms`` (weigh little, never link a pair
    alone) and ``topics``/``places`` (subject words and where: context, not who)."""

    terms: frozenset[int] = frozenset()
    topics: frozenset[int] = frozenset()
    places: frozenset[int] = frozenset()
    # entity -> {family member: "part_of" | "has_part" | "related"} (gazetteer relations)
    family: Mapping[int, Mapping[int, str]] = field(default_factory=dict, hash=False, compare=False)
    # the tokens of entities' aliases (特斯, 斯拉, tesla; discovered terms too): names are entity
    # evidence, not subject words
    name_words: frozenset[str] = field(default=frozenset(), hash=False, compare=False)

    def actors(self, entities: frozenset[int]) -> frozenset[int]:
        return frozenset(e for e in entities if e not in self.terms and e not in self.topics
                         and e not in self.places)


@dataclass
class StoryView:
    """The story stage's result as the scorer reads it: each article's story, and relatedness."""

    story_of: Mapping[int, int]
    related: Callable[[int, int], float]


@dataclass(slots=True)
class EntityEvidence:
    shared: frozenset[int]
    shared_weight: float  # sum of idf over shared entities
    dice: float  # weighted Dice of the two entity sets
    score: float  # dice times strength
    actors: bool  # the pair shares an actor (not only topics, places, discovered terms)
    family: tuple[tuple[int, int], ...] = ()  # (claim's, other's) actors that are family, not the same


@dataclass(slots=True)
class NumberEvidence:
    # (unit, claim values, other values, agreeing pair or None), by verdict
    agree: list[tuple]
    conflicts: list[tuple]
    differ: list[tuple]
    specific: bool  # a figure with a unit agrees


@dataclass(slots=True)
class StoryEvidence:
    known: bool  # the story stage ran (else the scorer decides as if every pair were in one story)
    same: bool
    story: int | None
    relatedness: float


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
    agree: list[tuple]
    conflicts: list[tuple]
    differ: list[tuple]
    story: StoryEvidence | None = None
    rare: str = ""  # rare shared words, as vocabulary codes
    family: tuple[tuple[int, int], ...] = ()
    subject: str = ""  # words of both articles' subject both statements use (codes)
    recalled: bool = False  # both recount one past moment (:func:`recalled_past`)
    bilingual: tuple[tuple[str, str], ...] = ()  # (English word, Chinese word) glossed alike


def entity_evidence(claim: LinkItem, other: LinkItem, ctx: ScoreContext) -> EntityEvidence | None:
    """Shared entities weighted by rarity; None when the pair shares none that can carry a link.

    Family members (Model Y on one side, Tesla on the other: :func:`family_evidence`) add to the
    shared weight at ``family_weight`` of the rarer one; they never make a pair a candidate alone.
    """
    shared = claim.entities & other.entities
    if not shared or shared <= ctx.kinds.terms:
        return None
    idf, rules = ctx.idf, ctx.rules
    family = family_evidence(claim, other, ctx)
    # fsum is exact, so the sums do not depend on set iteration order (the
    # symmetry guarantee must hold to the last bit at the thresholds).
    shared_weight = math.fsum([idf(e) for e in shared]
                              + [rules.family_weight * min(idf(a), idf(b)) for a, b in family])
    total_weight = math.fsum([idf(e) for e in claim.entities] + [idf(e) for e in other.entities])
    dice = min(1.0, 2 * shared_weight / total_weight) if total_weight else 0.0
    return EntityEvidence(shared, shared_weight, dice, dice * min(1.0, shared_weight / rules.entity_strength),
                          bool(ctx.kinds.actors(shared)) or bool(family), family)


def family_evidence(claim: LinkItem, other: LinkItem, ctx: ScoreContext) -> tuple[tuple[int, int], ...]:
    """Actors of the two statements that are family without being the same entity.

    A part and its whole (Model Y / Tesla, Huawei Cloud / Huawei) or related siblings (FSD /
    Autopilot), from the gazetteer's relations: weaker evidence than sharing the entity. Actors
    both statements name are not counted again.
    """
    family = ctx.kinds.family
    if not family:
        return ()
    shared = claim.entities & other.entities
    mine = ctx.kinds.actors(claim.entities - shared)
    theirs = ctx.kinds.actors(other.entities - shared)
    return tuple(sorted((a, b) for a in mine for b in family.get(a, ()) if b in theirs))


def text_evidence(a: Features, b: Features) -> float:
    """Indel similarity of the two token strings (0..1)."""
    return fuzz.ratio(a.text_key, b.text_key) / 100 if a.text_key and b.text_key else 0.0


def context_similarity(a: Features, b: Features) -> float:
    """Similarity of the wording around the figures (tokens without digits)."""
    return fuzz.ratio(a.context_key, b.context_key) / 100 if a.context_key and b.context_key else 0.0


def rare_words(a: Features, b: Features, ctx: ScoreContext) -> tuple[float, str]:
    """Words (not figures) both statements use that few articles use: their summed rarity
    (0..1 each, as for entities) and the words, as vocabulary codes."""
    df, total = ctx.word_df, ctx.word_total
    if not df or total <= 1:
        return 0.0, ""
    # Judged as if over at least ``rare_articles`` articles: among a handful (an incremental import
    # reads only the statements that share an entity with the new article) every word is "rare".
    floor, scale = ctx.rules.rare_word_idf, math.log1p(max(total, ctx.rules.rare_articles))
    shared = sorted(set(a.context_key) & set(b.context_key))
    weight, words = [], []
    for code in shared:
        idf = math.log1p(total / max(1, df.get(code, 1))) / scale
        if idf >= floor:
            weight.append(idf)
            words.append(code)
    return math.fsum(weight), "".join(words)


def subject_words(a: Features, b: Features, ctx: ScoreContext) -> str:
    """Words both statements use that are among the subject words of both their articles (as
    vocabulary codes, in code order): the two speak of what both articles are about."""
    subjects = ctx.subjects
    mine, theirs = subjects.get(a.item.article_id), subjects.get(b.item.article_id)
    if not mine or not theirs or mine.isdisjoint(theirs):
        return ""
    return "".join(sorted((mine & theirs).intersection(a.context_key).intersection(b.context_key)))


def recalled_past(dates: DateComparison, a: Features, b: Features, rare: str, entities: EntityEvidence,
                  ctx: ScoreContext) -> bool:
    """Both statements recount one past moment: an actor in common and an entity that says who or
    where (not a topic word, not a ubiquitous name), explicit dates that agree within a year,
    ending more than the date window before both publications, and a rare word in common that is
    not part of a name (Model X, 2018 and 隔离 in two accounts of Walter Huang's crash)."""
    rules = ctx.rules
    if (not rare or not entities.actors or dates.kind != "agree" or dates.narrowest > rules.moment_days
            or a.published is None or b.published is None):
        return False
    topics = ctx.kinds.topics
    if not any(ctx.idf(e) >= rules.informative_entities for e in entities.shared if e not in topics):
        return False
    end = max(dates.shown[0][1], dates.shown[1][1])
    if end >= min(a.published, b.published) - ctx.rules.date_window_days:
        return False
    names = ctx.kinds.name_words
    return any(word not in names for word in ctx.vocabulary.spell(rare))


def bilingual_evidence(a: Features, b: Features, ctx: ScoreContext) -> tuple[float, tuple[tuple[str, str], ...]]:
    """Words of a Chinese and an English statement that CC-CEDICT glosses alike (唯一 / "only").

    Only for a zh/en pair (0 otherwise). Each match weighs the rarity of its rarer side over the
    collection's articles, as for rare words (a Chinese word by its rarest character pair, an
    English word as it is spelled), so 汽车 / "car" in every article adds nearly nothing. Words of
    the two statements' entity names ("data centre", "Model Y") are entity evidence already and
    are not counted again. Symmetric: the pair is always read Chinese side first.
    """
    zh, en = (a, b) if a.item.language == "zh" else (b, a)
    if zh.item.language != "zh" or en.item.language != "en":
        return 0.0, ()
    words, zh_names = cross_language_words(zh)
    (stems, surfaces), en_names = cross_language_words(en)
    stems_of = bilingual.dictionary().stems_of
    found = bilingual.matches([(w, stems_of(w)) for w in words], dict(zip(stems, surfaces)), zh_names | en_names)
    if not found:
        return 0.0, ()
    df, total, code = ctx.word_df, ctx.word_total, ctx.vocabulary.get
    if not df or total <= 1:  # rarity unknown (no collection to count over): no evidence, as for rare words
        return 0.0, ()
    # Counted over at least ``bilingual_articles`` articles: in a handful, every word is "rare".
    scale = math.log1p(max(total, ctx.rules.bilingual_articles))

    def rarity(token: str) -> float:
        return math.log1p(total / max(1, df.get(code(token, ""), 1))) / scale

    weights = [min(max(rarity(word[i:i + 2]) for i in range(len(word) - 1)), rarity(english_word))
               for english_word, word, _ in found]
    return math.fsum(weights), tuple((e, w) for e, w, _ in found)


def cross_language_words(f: Features) -> tuple:
    """A zh statement's dictionary words, or an en statement's (stems, words), with the stems of its
    entity names; computed once per statement (cached on its features, compact: interned tuples)."""
    if f.words is None:
        names = bilingual.names_stems(tuple(f.names.values()))
        if f.item.language == "zh":
            f.words = (bilingual.gloss_words(f.item.text), names)
        else:
            f.words = (bilingual.english_pairs(f.item.text), names)
    return f.words


def story_evidence(claim: LinkItem, other: LinkItem, ctx: ScoreContext) -> StoryEvidence:
    view = ctx.stories
    if view is None:
        return StoryEvidence(False, True, None, 0.0)
    sa, sb = view.story_of.get(claim.article_id), view.story_of.get(other.article_id)
    same = sa is not None and sa == sb
    return StoryEvidence(True, same, sa if same else None, view.related(claim.article_id, other.article_id))


def number_evidence(a: Features, b: Features, rules: LinkRules, same_subject: Callable[[bool], bool]) -> NumberEvidence:
    """Per unit, pair up agreeing values; what is left on both sides differs ("from $40,000 to
    $30,000" vs "from 4万 to 2.6万": the first figure agrees, the second conflicts). A leftover pair
    is a conflict only when it is about one quantity (*same_subject*, asked lazily)."""
    agree: list[tuple] = []
    unmatched: list[tuple] = []
    for unit in a.units.keys() & b.units.keys():
        xs, ys = a.units[unit], b.units[unit]
        rest_x, rest_y, first = _pair_up(xs, ys, rules.number_tolerance)
        if first is not None:
            agree.append((unit, xs, ys, first))
        if rest_x and rest_y:
            unmatched.append((unit, rest_x, rest_y, None))
    specific = any(unit is not None for unit, *_ in agree)
    conflicts: list[tuple] = []
    differ: list[tuple] = []
    for unit, xs, ys, _ in unmatched:
        # A bare number (no unit) is too weak to be "the same quantity", and
        # so are two figures of a different order of magnitude.
        if unit is not None and same_subject(
            len(xs) == 1 and len(ys) == 1 and _comparable(xs[0], ys[0], rules.comparable_factor)
        ):
            conflicts.append((unit, xs, ys, None))
        else:
            differ.append((unit, xs, ys, None))
    return NumberEvidence(agree, conflicts, differ, specific)


def evaluate(claim: LinkItem, other: LinkItem, ctx: ScoreContext) -> Evidence | None:
    """Weigh the evidence for one pair; None when it is not a link.

    Not a candidate: same article, no shared entity (discovered terms alone do not count), or
    explicit dates of one precision that cannot be about the same moment. Then the evidence
    functions weigh entities, text, dates, numbers and the articles' story, and
    :func:`decide` (the relation table) says whether it is a link and of which kind.
    """
    if claim.article_id == other.article_id:
        return None
    entities = entity_evidence(claim, other, ctx)
    if entities is None:
        return None
    rules = ctx.rules
    a, b = ctx.features(claim), ctx.features(other)
    dates = compare_dates(a.intervals, a.published, b.intervals, b.published, rules.date_window_days)
    if dates.kind == "incompatible":
        return None
    text = text_evidence(a, b)
    cross_lingual = (
        claim.language is not None and other.language is not None and claim.language != other.language
    )
    same_day = dates.kind == "agree" and dates.narrowest == 1
    context: list[float] = []  # computed only when a number or date differs: most pairs never ask

    def ctx_sim() -> float:
        if not context:
            context.append(context_similarity(a, b))
        return context[0]

    agree_specific = False

    def same_subject(single: bool) -> bool:
        # Same quantity / same event? Either the words around the numbers match, or (when the
        # words cannot be compared, or barely) the two statements are about the same actors --
        # not only the ubiquitous ones, unless they also agree on the day -- and each mentions
        # exactly one such value.
        if ctx_sim() >= rules.conflict_context:
            return True
        actors_match = entities.dice >= 0.8 and (cross_lingual or ctx_sim() >= 0.25 or agree_specific or same_day)
        informative = entities.shared_weight >= rules.informative_entities or same_day or agree_specific
        if actors_match and informative and single:
            return True
        # Two reports of the same moment naming the same two or more actors, each with one
        # figure of the same unit: the same quantity told differently (1.5 million vs 1.7
        # million cars) -- exactly what a reviewer must see.
        return single and len(entities.shared) >= 2 and entities.dice >= 0.5 and dates.kind in ("agree", "fallback")

    # Units agreeing with a unit are known before any conflict is judged.
    agree_specific = any(
        u is not None and _pair_up(a.units[u], b.units[u], rules.number_tolerance)[2] is not None
        for u in a.units.keys() & b.units.keys())
    numbers = number_evidence(a, b, rules, same_subject)

    # One announcement dated differently by two sources (5月28日 vs May 25): many of the same
    # actors, strongly shared, and wording that agrees as far as it can be compared.
    date_conflict = dates.kind == "near" and dates.same_precision and dates.single and (
        same_subject(True)
        or len(entities.shared) >= 3 and entities.dice >= 0.6 and entities.shared_weight >= rules.entity_strength
        and (cross_lingual or ctx_sim() >= 0.25)
    )

    story = story_evidence(claim, other, ctx)
    rare_weight, rare = rare_words(a, b, ctx) if story.known and not cross_lingual_only(a, b) else (0.0, "")
    glossed, glossed_words = bilingual_evidence(a, b, ctx) if cross_lingual else (0.0, ())
    number_score = 1.0 if numbers.specific else 0.8 if numbers.conflicts else 0.5 if numbers.agree else 0.0
    structured = (rules.w_entity * entities.score + rules.w_number * number_score
                  + rules.w_date * _date_evidence(dates, date_conflict))
    text_score = max(0.0, (text - rules.text_noise) / (1.0 - rules.text_noise))
    score = 1.0 - (1.0 - rules.w_text * text_score) * (1.0 - structured)
    if rare_weight >= rules.rare_words:
        # Rare words in common (ALKS, Walter Huang) say what both are about where wording differs.
        score = 1.0 - (1.0 - score) * (1.0 - rules.w_words * min(1.0, rare_weight / (2 * rules.rare_words)))
    if glossed >= rules.bilingual_words:
        # Across languages the dictionary's shared words play the part of shared wording.
        score = 1.0 - (1.0 - score) * (1.0 - rules.w_bilingual * min(1.0, glossed / (2 * rules.bilingual_words)))
    subject = subject_words(a, b, ctx) if story.known and story.same and entities.actors else ""
    recalled = recalled_past(dates, a, b, rare, entities, ctx)
    if subject:
        # Both name an actor and a word both articles are about: what the story reports.
        score = 1.0 - (1.0 - score) * (1.0 - rules.w_subject)
    if recalled:
        score = 1.0 - (1.0 - score) * (1.0 - rules.w_recalled)
    if story.known and story.same:
        # Inside a story the articles' relatedness is evidence too (looser statement rules).
        score = 1.0 - (1.0 - score) * (1.0 - rules.w_story * story.relatedness)
    score = round(min(1.0, max(0.0, score)), 4)

    relation = decide(rules, entities, numbers, dates, date_conflict, same_day, text, cross_lingual, story,
                      rare_weight, glossed, subject=bool(subject), past_moment=recalled)
    if relation is None:
        return None
    return Evidence(
        claim=a, other=b, score=score, relation=relation, duplicate=claim.group_id == other.group_id,
        shared=entities.shared, dates=dates, date_conflict=date_conflict, text=text,
        cross_lingual=cross_lingual, agree=numbers.agree, conflicts=numbers.conflicts,
        differ=numbers.differ, story=story, rare=rare if rare_weight >= rules.rare_words else "",
        family=entities.family, bilingual=glossed_words if glossed >= rules.bilingual_words else (),
        subject=subject, recalled=recalled,
    )


def cross_lingual_only(a: Features, b: Features) -> bool:
    """Nothing to compare word for word (no shared token at all): skip the rare-word count."""
    return not a.context_key or not b.context_key


def decide(rules: LinkRules, entities: EntityEvidence, numbers: NumberEvidence, dates: DateComparison,
           date_conflict: bool, same_day: bool, text: float, cross_lingual: bool,
           story: StoryEvidence, rare_weight: float = 0.0, glossed: float = 0.0, *, subject: bool = False,
           past_moment: bool = False) -> str | None:
    """The relation decision table: ``same``, ``related``, ``conflict``, or None (no link).

    Read top to bottom; the first row that holds decides. Stories gate first: a conflict needs
    positive evidence that both statements are about one event (one story), and outside a story
    only near-identical wording or an agreeing figure links.
    """
    one_event = not story.known or story.same or story.relatedness >= rules.close_articles
    words = rare_weight >= rules.rare_words  # several rare words in common: a specific shared subject
    specific = ((dates.kind == "agree" and dates.narrowest <= 31) or numbers.specific or text >= rules.specific_text
                or words)
    # The same moment, as far as the dates tell: explicit dates overlapping within a year, or
    # (undated) published within the window. Explicit dates that differ speak against one fact.
    same_moment = (dates.kind == "agree" and dates.narrowest <= rules.moment_days) or dates.kind == "fallback"
    strong_actors = (entities.actors and len(entities.shared) >= 2 and entities.dice >= rules.outside_dice
                     and entities.shared_weight >= rules.entity_strength)
    if story.known and not one_event:
        # Outside a story the statement evidence alone must be strong: near-identical wording, an
        # agreeing figure, or an event recalled in another story (the same actors, strongly shared,
        # both dated explicitly to overlapping moments).
        # (Or one informative actor, when both recount a moment in the past of both publications
        # and share a rare word that is not a name: :func:`recalled_past`.)
        recalled = ((strong_actors or words and entities.actors or past_moment)
                    and dates.kind == "agree" and dates.narrowest <= rules.moment_days)
        if not (text >= rules.outside_text or numbers.specific and entities.actors and entities.dice >= 0.5
                or recalled or words and entities.actors and dates.kind not in ("near", "distant")):
            return None
    elif story.known and not (specific or numbers.conflicts or date_conflict):
        # Inside a story, shared entities alone link the articles that report one event, or
        # statements naming the same actors, strongly, at the same moment -- never across dates
        # that differ or publications far apart (with no other evidence, distance decides).
        # Or an actor and a word of both articles' subject (:func:`subject_words`), or one past moment
        # both recount (:func:`recalled_past`: what links across stories links inside one too).
        if dates.kind in ("near", "distant") or not (entities.actors and (story.relatedness >= rules.close_articles
                                                              or strong_actors and same_moment or subject
                                                              or past_moment)):
            return None
    if (numbers.conflicts or date_conflict) and one_event:
        return "conflict"
    if numbers.conflicts or date_conflict:
        return "related"
    if text >= rules.same_text:
        return "same"
    if entities.dice >= 0.5 and numbers.specific:
        return "same"
    if same_day and (text >= 0.35 and entities.dice >= 0.5 or text >= 0.25 and entities.dice >= 0.8):
        # Paraphrases of one report share the day and the actors but often little wording; the
        # more exactly the actors match, the less wording it takes.
        return "same"
    if cross_lingual and same_day and (entities.dice >= 0.8 or story.known and story.same and entities.dice >= 0.5
                                       and entities.actors):
        # Across languages the wording cannot tell "the same claim" from "another point on the
        # same day"; the same actors on the same day is the best evidence there is (inside one
        # story, most of the same actors suffice).
        return "same"
    if (cross_lingual and glossed >= rules.bilingual_same and entities.actors and one_event
            and (same_day or _published_together(dates))):
        # A Chinese and an English statement of one event, the same day, naming the same actor and
        # saying it in words the dictionary glosses alike ("the only foreign carmaker" / 唯一的外资车企).
        return "same"
    return "related"


def describe(evidence: Evidence, ctx: ScoreContext) -> Link:
    """Turn evidence into a Link whose reasons a reviewer can read."""
    a, b = evidence.claim, evidence.other
    claim, other = a.item, b.item
    reasons: list[str] = [DUPLICATE_REASON] if evidence.duplicate else []
    reasons.append("shares " + _entity_list(evidence.shared, a, b, ctx.idf))
    if evidence.family:
        reasons.append("family: " + "; ".join(_family_phrase(x, y, a, b, ctx) for x, y in evidence.family[:3]))
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
    if evidence.bilingual:
        reasons.append("bilingual words: " + ", ".join(f"{e} = {z}" for e, z in evidence.bilingual[:6]))
    if evidence.rare:
        words = ctx.vocabulary.spell(evidence.rare)
        reasons.append("shares rare words: " + ", ".join(sorted(words)[:6]))
    if evidence.subject:
        words = ctx.vocabulary.spell(evidence.subject)
        reasons.append("both articles are about: " + ", ".join(sorted(words)[:6]))
    if evidence.recalled:
        reasons.append("both recount one past moment, long before either was published")
    story = evidence.story
    if story is not None and story.known:
        if story.same:
            reasons.append(f"same story (S{story.story}; articles {round(story.relatedness * 100)}% related)")
        else:
            reasons.append(f"different stories (articles {round(story.relatedness * 100)}% related)")
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


def _comparable(x: float, y: float, factor: float) -> bool:
    """Same sign and within *factor* of each other."""
    if x == 0 or y == 0 or (x > 0) != (y > 0):
        return False
    ratio = x / y
    return 1 / factor <= ratio <= factor


def _unit_order(entry: tuple) -> tuple[bool, str]:
    """Units in a fixed order for reasons, bare numbers last."""
    return (entry[0] is None, entry[0] or "")


def _published_together(dates: DateComparison) -> bool:
    """Two undated statements published within a day of each other, or an undated one published
    within a day of the other's one dated day (a report of yesterday's news)."""
    if dates.kind != "fallback":
        return False
    if len(dates.shown) == 2:
        return abs(dates.shown[0] - dates.shown[1]) <= 1
    (start, end), published = dates.shown[0]
    return start == end and abs(published - start) <= 1


def _date_evidence(dates: DateComparison, conflict: bool) -> float:
    if dates.kind == "agree":
        # Agreeing on one day is evidence; both "in 2024" barely is.
        return 1.0 if dates.narrowest <= 7 else 0.7 if dates.narrowest <= 31 else 0.4
    if conflict:
        return 0.8
    return {"fallback": 0.35, "unknown": 0.3}.get(dates.kind, 0.1)


_FAMILY_WORDS = {"part_of": "is part of", "has_part": "includes", "related": "is related to"}


def _family_phrase(x: int, y: int, a: Features, b: Features, ctx: ScoreContext) -> str:
    relation = ctx.kinds.family.get(x, {}).get(y, "related")
    return f"{a.names.get(x) or f'entity {x}'} {_FAMILY_WORDS[relation]} {b.names.get(y) or f'entity {y}'}"


def _entity_list(shared: frozenset[int], a: Features, b: Features, idf) -> str:
    ordered = sorted(shared, key=lambda e: (-idf(e), e))
    names = [a.names.get(e) or b.names.get(e) or f"entity {e}" for e in ordered[:5]]
    if len(ordered) > 5:
        names.append(f"and {len(ordered) - 5} more")
    return ", ".join(names)
