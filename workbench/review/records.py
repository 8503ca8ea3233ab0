"""The typed records the review session hands out, read from the store (frozen: the screen only shows them).

Offsets are character offsets into the article's ``clean_text`` and are
always called ``start``/``end``; days are ISO strings called ``start_day`` /
``end_day`` (the dict rows of ``store.statements.statement_rows`` used
``start`` for both).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MentionRow:
    entity_id: int
    name: str
    type: str  # model.EntityType
    status: str  # model.EntityStatus
    surface: str
    start: int
    end: int


@dataclass(frozen=True)
class DateRow:
    surface: str
    start: int
    end: int
    precision: str
    start_day: str | None
    end_day: str | None
    anchor: str | None
    anchor_source: str | None

    @property
    def resolved(self) -> bool:
        return self.start_day is not None


@dataclass(frozen=True)
class NumberRow:
    surface: str
    start: int
    end: int
    value: float
    unit: str | None


@dataclass(frozen=True)
class MetaValue:
    """One metadata field of an article and where it came from (``model.SOURCES``; None: unknown)."""

    name: str  # model.MetadataField
    value: str | None
    source: str | None


@dataclass(frozen=True)
class ArticleInfo:
    id: int
    path: str
    format: str
    encoding: str
    revision: int
    duplicate_of: int | None
    meta: tuple[MetaValue, ...]

    def get(self, name: str) -> str | None:
        return next((m.value for m in self.meta if m.name == name), None)

    def source(self, name: str) -> str | None:
        return next((m.source for m in self.meta if m.name == name), None)

    @property
    def title(self) -> str | None:
        return self.get("title")

    @property
    def file_name(self) -> str:
        return str(self.path or "").replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class ClaimantRow:
    """Who made the claim (claims/claimants.py): ``kind`` is speaker, source or article."""

    name: str
    entity_id: int | None
    entity_type: str | None
    surface: str
    kind: str
    reason: str
    corrected_by: str | None = None


@dataclass(frozen=True)
class ClaimContext:
    """A claim in its article: its text and span, its paragraph, annotations, the article's metadata."""

    claim_id: int
    text: str
    start: int
    end: int
    score: float
    checkworthy: bool
    retired: bool
    types: tuple[str, ...]
    reasons: tuple[str, ...]
    article: ArticleInfo
    paragraph_start: int
    paragraph_text: str
    mentions: tuple[MentionRow, ...] = ()
    dates: tuple[DateRow, ...] = ()
    numbers: tuple[NumberRow, ...] = ()
    claimant: ClaimantRow | None = None


@dataclass(frozen=True)
class QueueRow:
    """One row of a review queue.

    ``key`` is the row's place in its queue's order: (score, id) in a ranked
    queue (best claims first, ties by statement id), (article, position) in an
    article's own queue, which keeps reading order (``store.review.queue_ranked``).
    """

    id: int
    article_id: int
    position: int
    text: str
    score: float
    my_label: str | None
    final_label: str | None
    flagged: bool
    has_conflict: bool
    links: int
    ranked: bool = False

    @property
    def key(self) -> tuple:
        return (self.score, self.id) if self.ranked else (self.article_id, self.position)


@dataclass(frozen=True)
class LinkRow:
    id: int
    claim_id: int
    statement_id: int
    score: float
    relation: str  # model.Relation
    reasons: tuple[str, ...]
    status: str  # model.LinkStatus
    duplicate: bool
    decided_by: str | None
    article_id: int
    statement_text: str
    article_title: str | None
    article_site: str | None
    article_published: str | None


@dataclass(frozen=True)
class VerdictRow:
    """A verdict on a claim as a reviewer may see it (``hidden``: another's, blind until you give yours)."""

    claim_id: int
    reviewer: str
    label: str
    note: str
    evidence: tuple[str, ...]
    version: int
    time: str
    final: bool
    hidden: bool = False


@dataclass(frozen=True)
class DecisionRow:
    """One of the reviewer's recent verdicts, for the history pane."""

    claim_id: int
    label: str
    final: bool
    time: str
    text: str


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    article_done: int | None = None
    article_total: int | None = None

__all__ = ["MentionRow", "DateRow", "NumberRow", "MetaValue", "ArticleInfo", "ClaimContext", "QueueRow", "LinkRow",
           "VerdictRow", "DecisionRow", "Progress"]
