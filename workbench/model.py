"""The plain data that flows between the stages: read -> analyse -> store -> link.

Every stage is a pure function over these dataclasses, so each can be tested and
benchmarked alone. Nothing here touches the database or the terminal.

Offsets are always character offsets into an article's ``clean_text`` (never
into a statement), so a span can be highlighted without knowing how the text
was segmented: ``clean_text[start:end] == surface``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum

# Where a metadata field came from, as shown to a reviewer.
SOURCES = (
    "front matter",
    "header line",
    "byline",
    "poster line",
    "html meta",
    "json field",
    "body url",
    "body",
    "file name",
    "inferred",
    "reviewer",
)



# -- vocabularies -------------------------------------------------------------------------------
# One spelling per concept: the store validates against these, the CLI's click.Choice and the
# review screen's Select options are built from them (tests/test_vocabularies.py checks all three).

class MetadataField(StrEnum):
    """An article's metadata fields (each has a ``<name>_source`` provenance column)."""

    TITLE = "title"
    PUBLISHED = "published"
    AUTHOR = "author"
    SITE = "site"
    URL = "url"
    LANGUAGE = "language"


class EntityType(StrEnum):
    """What an entity is. ``topic`` entries are bilingual subject terms; ``other`` is a name not typed
    yet (the candidates found in the articles start there until a reviewer promotes them)."""

    ORG = "org"
    PERSON = "person"
    PLACE = "place"
    PRODUCT = "product"
    EVENT = "event"
    TOPIC = "topic"
    OTHER = "other"


class EntityStatus(StrEnum):
    GAZETTEER = "gazetteer"
    USER = "user"
    CANDIDATE = "candidate"


class QueueStatus(StrEnum):
    """The review queues: what a reviewer has left, has done, everything, disputes, flags."""

    TODO = "todo"
    MINE = "mine"
    ALL = "all"
    DISPUTED = "disputed"
    FLAGGED = "flagged"

    @property
    def title(self) -> str:
        return {"todo": "to do"}.get(self.value, self.value)


class Relation(StrEnum):
    """How a linked statement relates to a claim."""

    SAME = "same"
    RELATED = "related"
    CONFLICT = "conflict"


class LinkStatus(StrEnum):
    """A reviewer's decision on a link (``suggested``: none yet)."""

    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


def values(vocabulary: type[StrEnum]) -> tuple[str, ...]:
    """The plain strings of a vocabulary, in declaration order (for click.Choice, SQL CHECKs, Selects)."""
    return tuple(member.value for member in vocabulary)


METADATA_FIELDS = values(MetadataField)
ENTITY_TYPES = values(EntityType)


@dataclass
class Removed:
    """A piece of page chrome taken out of the body (kept so nothing is lost)."""

    kind: str  # "advert", "comment prompt", "related articles", "latest comments",
    #            "reply references", "end marker", "poster line", "source url", "seo fragment", ...
    text: str
    offset: int | None = None  # where it was, for pieces cut out of the body's sentences (seo fragments)


@dataclass
class ParsedArticle:
    """One article as read from disk: metadata with provenance and clean text.

    ``published`` is an ISO 8601 string: ``YYYY-MM-DD`` when only the day is
    known, ``YYYY-MM-DDTHH:MM:SS`` when the time is known and
    ``YYYY-MM-DDTHH:MM:SS+00:00`` when the zone is known too. None when unknown,
    never the import time.
    """

    path: str
    format: str  # "text", "markdown", "html", "forum", "json", "jsonl"
    encoding: str  # a Python codec name: "utf-8", "utf-8-sig", "utf-16-le", "gb18030", "big5", "cp1252", "cp949", ...
    raw: bytes  # the exact bytes this article came from (one record for JSONL)
    clean_text: str
    title: str | None = None
    published: str | None = None
    author: str | None = None
    site: str | None = None
    url: str | None = None
    language: str | None = None  # "zh", "en", "mixed"
    # field name -> one of SOURCES, for every field that has a value
    provenance: dict[str, str] = field(default_factory=dict)
    removed: list[Removed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    record: int | None = None  # 1-based record number inside a JSON/JSONL file
    encoding_source: str = ""  # how the encoding was decided, with its evidence (ingest.decoding)


class Refusal(Exception):
    """Input the importer will not take; ``str(exc)`` is a one-line reason."""


@dataclass
class EntityMention:
    entity_id: int
    surface: str
    start: int
    end: int
    fuzzy: bool = False  # found by near spelling, not an exact alias
    # Set when the mention was inferred, not named: "the company = Tesla, from the
    # previous sentence" (claims/coref.py). The surface is then the anaphor.
    reason: str | None = None


@dataclass
class DateMention:
    """A date expression resolved to an interval of days.

    ``start_day``/``end_day`` are ISO days (equal for a single day) or None when
    the expression could not be resolved (never guessed). ``anchor`` is the ISO
    day the expression was resolved against and ``anchor_source`` says what
    that day was ("published", "context", or None for absolute dates).
    """

    surface: str
    start: int
    end: int
    precision: str  # "day", "week", "month", "quarter", "year", "span"
    start_day: str | None
    end_day: str | None
    anchor: str | None = None
    anchor_source: str | None = None

    @property
    def resolved(self) -> bool:
        return self.start_day is not None


@dataclass
class NumberMention:
    """A quantity: ``170万辆`` -> value 1700000.0, unit "vehicle"."""

    surface: str
    start: int
    end: int
    value: float
    unit: str | None = None  # normalised: "%", "USD", "CNY", "vehicle", "person", ...


CLAIMANT_KINDS = ("speaker", "source", "article")


@dataclass(frozen=True)
class Claimant:
    """Who made a claim (claims/claimants.py). ``name`` is what a reader sees; ``surface`` is how the
    text wrote it; ``kind`` is one of :data:`CLAIMANT_KINDS`."""

    name: str
    entity_id: int | None
    surface: str
    kind: str  # "speaker" | "source" | "article"
    reason: str
    start: int | None = None  # offsets of the surface in the article's text, when it is there
    end: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Statement:
    """A sentence-like unit of an article with its annotations."""

    index: int  # 0-based order in the article
    paragraph: int  # 0-based paragraph number
    start: int
    end: int
    text: str  # == clean_text[start:end]
    score: float = 0.0  # check-worthiness 0..1
    checkworthy: bool = False
    types: list[str] = field(default_factory=list)  # quantity, date, quote, prediction, comparison, causal
    reasons: list[str] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    numbers: list[NumberMention] = field(default_factory=list)
    # Who made it (claims/claimants.py): a speaker or source in the text, else the article.
    claimant: Claimant | None = None
