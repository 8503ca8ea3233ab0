"""One file's bytes -> the records the writer stores: the pure half of the import.

:func:`prepare_files` is what the import ships to its executor (in-process,
worker processes, or a Dask cluster): it reads (decodes, parses, strips
chrome), fingerprints and analyses each file, and returns plain picklable
records -- an article ready to store, or a refusal with its one-line reason.
It never raises and never touches the database, so any worker can run it
and the single writer in the main process stores the results in order.

The entities the analysis looks for come with the task (:class:`Context`):
a worker keeps the matcher built for the last context it saw, so a batch of
tasks sharing one context builds it once per worker.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from workbench import dedup
from workbench.claims.analyse import Analysis, analyse
from workbench.claims.entities import EntityMatcher
from workbench.ingest import read_document
from workbench.isolation import one_line_reason
from workbench.model import ParsedArticle, Refusal

# Analysis costs about 20 s per megabyte of one unbroken line; a longer line is a dump,
# not an article, and is refused so an import's time stays bounded
# (tests/test_reliability_inputs.py measures it).
MAX_LINE_CHARS = 2_000_000


@dataclass(frozen=True)
class Context:
    """What analysis needs from the database, as of one moment of the import.

    ``version`` names the alias set (it changes when the import adds
    candidate entities), so workers rebuild their matcher only when it does.
    """

    version: tuple[str, int]
    aliases: tuple[tuple[str, int], ...]
    topics: frozenset[int]
    organisations: frozenset[int]
    threshold: float
    people: frozenset[int] = frozenset()  # who 他/她 can be, and who speaks (claims/claimants.py)


@dataclass
class Prepared:
    """An article read and analysed, ready for the writer."""

    parsed: ParsedArticle
    sha256: str
    prints: dedup.Fingerprint
    analysis: Analysis


@dataclass
class Refused:
    reason: str  # one line


@dataclass
class PreparedFile:
    path: str
    size: int
    items: list[Prepared | Refused]


_matcher: tuple[tuple[str, int], EntityMatcher] | None = None


def matcher_for(context: Context) -> EntityMatcher:
    global _matcher
    if _matcher is None or _matcher[0] != context.version:
        _matcher = (context.version, EntityMatcher(context.aliases))
    return _matcher[1]


def prepare_files(context: Context, files: list[tuple[str, bytes]]) -> list[PreparedFile]:
    """:func:`prepare_file` for each (path, bytes), in order: one task of the import."""
    return [prepare_file(context, path, data) for path, data in files]


def prepare_file(context: Context, path: str, data: bytes) -> PreparedFile:
    """Read one file's bytes into prepared articles and refusals (never raises)."""
    try:
        parsed_list = read_document(path, data)
    except Refusal as exc:
        return PreparedFile(path, len(data), [Refused(_one_line(str(exc)))])
    except Exception as exc:  # a reader bug must not sink the import: refuse this file
        return PreparedFile(path, len(data), [Refused(internal_error(exc))])
    items: list[Prepared | Refused] = []
    for parsed in parsed_list:
        if isinstance(parsed, Refusal):  # one bad record of a JSON/JSONL file
            items.append(Refused(_one_line(str(parsed))))
        else:
            items.append(prepare_article(context, parsed))
    return PreparedFile(path, len(data), items)


def prepare_article(context: Context, parsed: ParsedArticle) -> Prepared | Refused:
    longest = max(map(len, parsed.clean_text.split("\n")))
    if longest > MAX_LINE_CHARS:
        record = f"record {parsed.record}: " if parsed.record else ""
        return Refused(f"{record}one line of {longest:,} characters (over {MAX_LINE_CHARS:,}) would take minutes "
                       "to analyse; split it into lines or paragraphs")
    try:
        prints = dedup.fingerprint(parsed.clean_text)
        analysis = analyse(parsed.clean_text, published=parsed.published, matcher=matcher_for(context),
                           language=parsed.language, threshold=context.threshold, topics=context.topics,
                           organisations=context.organisations, people=context.people, author=parsed.author,
                           site=parsed.site)
    except Exception as exc:  # a bug must not sink the other articles: refuse this one
        return Refused(internal_error(exc))
    return Prepared(parsed, hashlib.sha256(parsed.raw).hexdigest(), prints, analysis)


def analyse_texts(context: Context, inputs: list[tuple]) -> list[Analysis]:
    """Analyses of stored articles' (clean_text, published, language[, author, site]), in order: re-analysis
    on a worker."""
    matcher = matcher_for(context)
    out = []
    for text, published, language, *meta in inputs:
        author, site = (list(meta) + [None, None])[:2]
        out.append(analyse(text, published=published, matcher=matcher, language=language, threshold=context.threshold,
                           topics=context.topics, organisations=context.organisations, people=context.people,
                           author=author, site=site))
    return out


def internal_error(exc: Exception) -> str:
    return _one_line(f"internal error while importing: {type(exc).__name__}: {exc}")


def _one_line(reason: str) -> str:
    # one line that SQLite and the terminal can encode (a message may carry a lone surrogate)
    return one_line_reason(reason)
