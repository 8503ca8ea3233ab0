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


@dataclass
class LinkConfig:
    """Knobs for candidate generation, scoring and selection.

    ``top_k``/``min_score`` decide which links are kept per claim.
    ``date_window_days`` is how far apart two dates (or an undated statement's
    publication day and a date) may lie and still be about the same moment;
    beyond it a pair is not a candidate. ``max_postings`` is the size above
    which a blocking key is too common to enumerate on its own (the index then
    relies on rarer keys), and ``max_candidates`` caps how many candidates per
    claim are scored in full after ranking them by the keys they share.
    """

    top_k: int = 5
    min_score: float = 0.35
    date_window_days: int = 60
    max_postings: int = 100
    max_candidates: int = 40
    # Relation thresholds: raw text similarity at which two statements are
    # "the same", and context similarity (text without numbers) at which two
    # different figures or dates are taken to be about one quantity or event.
    same_text: float = 0.7
    conflict_context: float = 0.5
    number_tolerance: float = 0.01
