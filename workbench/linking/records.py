"""The records linking reads and writes, and the knobs that tune it.

The store/pipeline turns stored statements into :class:`LinkItem` records and
stores the :class:`Link` records that come back; nothing in this package knows
about the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RELATIONS = ("same", "related", "conflict")

DUPLICATE_REASON = "copy of the same article (not independent)"


@dataclass(frozen=True)
class LinkItem:
    """One statement as linking sees it.

    ``group_id`` is the article's duplicate group (its ``duplicate_of``, or its
    own id): two items of the same group come from copies of one article.
    ``dates`` holds resolved intervals only, as ISO days ``(start, end)``;
    ``numbers`` holds ``(value, canonical unit)`` pairs. ``entity_names``, when
    given, is parallel to ``sorted(entities)`` and only used for reasons.
    """

    statement_id: int
    article_id: int
    group_id: int
    text: str
    is_claim: bool
    language: str | None
    entities: frozenset[int]
    dates: tuple[tuple[str, str], ...]
    numbers: tuple[tuple[float, str | None], ...]
    published: str | None
    entity_names: tuple[str, ...] = ()


@dataclass
class Link:
    """A scored link from a claim to a statement of another article."""

    claim_id: int
    statement_id: int
    score: float
    relation: str  # one of RELATIONS
    reasons: list[str] = field(default_factory=list)
    duplicate: bool = False  # the statement is in the claim's duplicate group


@dataclass(frozen=True)
class LinkRules:
    """Every threshold of the statement scorer, in one frozen object the benchmark can sweep.

    Grouped by the evidence they weigh (see :mod:`.scoring`); the relation decision table reads
    only these.
    """

    # -- the score: a noisy-or of text and structured evidence
    w_entity: float = 0.5
    w_number: float = 0.3
    w_date: float = 0.2
    w_text: float = 0.9  # text similarity never counts fully on its own (boilerplate)
    w_words: float = 0.3  # shared rare words add this much at most
    w_story: float = 0.15  # inside one story, the articles' relatedness adds to the score
    text_noise: float = 0.25  # similarity below this is no evidence (shared 的, "said")
    # -- entities
    informative_entities: float = 0.5  # shared idf that says who a statement is about
    entity_strength: float = 1.0  # shared idf at which sharing is "strong"
    term_weight: float = 0.2  # auto-discovered terms weigh this much of a named entity
    family_weight: float = 0.5  # a part and its whole (Model Y, Tesla), or related siblings (FSD, Autopilot)
    # -- numbers
    number_tolerance: float = 0.01
    comparable_factor: float = 2.0  # further apart than this: not two versions of one quantity
    # -- dates
    date_window_days: int = 60  # how far apart two dates may lie and still be "near"
    # -- text and relation
    same_text: float = 0.7
    conflict_context: float = 0.5
    # -- stories: how a pair's articles being related changes what it takes to link
    close_articles: float = 0.4  # relatedness at which two articles are taken to report one event
    specific_text: float = 0.4  # wording this similar is specific evidence by itself
    outside_text: float = 0.7  # outside one story only near-identical wording, or agreeing figures, link
    outside_dice: float = 0.55
    rare_word_idf: float = 0.6  # a word this rare (0..1, like entities) is a "rare word"
    rare_words: float = 4.0  # summed rarity of shared rare words that makes a specific shared subject
    rare_articles: int = 20  # rarity of words is judged as if over at least this many articles
    moment_days: int = 366  # overlapping dates this narrow (or closer) are "the same moment"
    # -- what two articles are about: each article's few most characteristic words (tf-idf over the
    # collection's articles, names aside) are its subject; two statements of one story naming an
    # actor and a word of both articles' subject speak of what both articles report (刹车 in two
    # posts on Tesla brakes)
    subject_words: int = 5
    w_subject: float = 0.3
    # -- an event recalled in two articles: one informative actor, explicit dates that agree and
    # lie in the past of both publications, and a rare word that is not a name in common
    w_recalled: float = 0.3
    # -- across languages: words CC-CEDICT glosses alike (linking/bilingual.py), summed rarity 0..1 each
    bilingual_words: float = 0.9  # this much adds to the score (up to w_bilingual) and shows in the reasons:
    #                               one word no other article uses, or two fairly rare ones
    w_bilingual: float = 0.3
    bilingual_same: float = 0.9  # this much, one actor, one event and one day: a cross-lingual "same"
    bilingual_articles: int = 20  # rarity is judged as if over at least this many articles


@dataclass
class LinkConfig:
    """Knobs for candidate generation and selection, and the scorer's rules.

    ``top_k``/``min_score`` decide which links are kept per claim. ``max_postings`` is the size
    above which a blocking key is too common to enumerate on its own (the index then relies on
    rarer keys), and ``max_candidates`` caps how many candidates per claim are scored in full
    after ranking them by the keys they share. ``rules`` holds every scoring threshold.
    """

    top_k: int = 5
    min_score: float = 0.35
    max_postings: int = 100
    max_candidates: int = 48  # brute force's top-5 found at 10k: 0.954 with 40, 0.968 with 48 (8% more time)
    rules: LinkRules = field(default_factory=LinkRules)

    @property
    def number_tolerance(self) -> float:
        return self.rules.number_tolerance

    @property
    def date_window_days(self) -> int:
        return self.rules.date_window_days
