"""JSON and JSONL files: split into records, each with its exact source text.

A JSON file holds one object or a list of objects; a JSONL file holds one
object per non-empty line.  Records are numbered from 1 in file order.  The
source span of every record is kept so the article's ``raw`` is exactly that
record's bytes, not a re-serialisation.

A JSONL file with a bad line is refused as a whole (the reason names the
record and line): importing the good records silently would hide the loss,
and a partly imported file is hard to re-import once fixed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from workbench.model import Refusal

TEXT_FIELDS = ("text", "content", "body", "article", "article_text", "full_text", "fulltext")
TITLE_FIELDS = ("title", "headline", "name")
DATE_FIELDS = ("published", "published_at", "publishedAt", "date", "pubDate", "datePublished", "date_published", "time", "created_at")
AUTHOR_FIELDS = ("author", "authors", "byline", "creator")
SITE_FIELDS = ("site", "site_name", "source", "publisher", "outlet", "domain")
URL_FIELDS = ("url", "link", "href", "canonical_url", "source_url")
LANGUAGE_FIELDS = ("language", "lang", "locale")

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
# Python refuses to read an integer of more than 4,300 digits (a ValueError, not a
# JSONDecodeError); a field like that is noise, not a reason to lose the record,
# so such a number is kept as the text it was written as.
_MAX_INT_DIGITS = 4000


def _int(text: str) -> int | str:
    return int(text) if len(text) <= _MAX_INT_DIGITS else text


_decoder = json.JSONDecoder(parse_int=_int)


def loads(text: str):
    """``json.loads`` that never raises on a huge integer."""
    return json.loads(text, parse_int=_int)


@dataclass
class Record:
    number: int  # 1-based
    span: str  # the record's source text
    value: dict
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # JSON may escape a lone surrogate ("\ud800"); json.loads keeps it, and
        # such a string cannot be encoded as UTF-8 (SQLite, the terminal and
        # every export would fail on it).  Replace each with U+FFFD and say so.
        if _SURROGATE_ESCAPE.search(self.span) is None:
            return  # the only way one gets in; most records skip the walk
        found = [0]
        try:
            self.value = _without_surrogates(self.value, found)
        except RecursionError:
            raise Refusal(f"JSON record {self.number} is nested too deeply") from None
        if found[0]:
            self.warnings.append(f"record {self.number}: {found[0]} lone surrogate escape(s) replaced with U+FFFD")


def _without_surrogates(value: object, found: list[int]) -> object:
    if isinstance(value, str):
        if _SURROGATE.search(value) is None:
            return value
        found[0] += len(_SURROGATE.findall(value))
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_surrogates(item, found) for item in value]
    if isinstance(value, dict):
        return {_without_surrogates(k, found): _without_surrogates(v, found) for k, v in value.items()}
    return value


def split_json(text: str) -> list[Record]:
    """Records of a JSON document (an object or a list of objects)."""
    start = _WHITESPACE.match(text).end()
    try:
        if text.startswith("[", start):
            return _split_array(text, start)
        value, end = _decoder.raw_decode(text, start)
    except json.JSONDecodeError as exc:
        raise Refusal(f"invalid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise Refusal("invalid JSON: nested too deeply") from None
    if text[end:].strip():
        raise Refusal("invalid JSON: extra data after the first value")
    if not isinstance(value, dict):
        raise Refusal("JSON file is neither an object nor a list of objects")
    return [Record(1, text[start:end], value)]


def _split_array(text: str, start: int) -> list[Record | Refusal]:
    records: list[Record | Refusal] = []
    pos = _WHITESPACE.match(text, start + 1).end()
    if text.startswith("]", pos):
        raise Refusal("JSON list is empty")
    while True:
        value, end = _decoder.raw_decode(text, pos)
        number = len(records) + 1
        if isinstance(value, dict):
            try:
                records.append(Record(number, text[pos:end], value))
            except Refusal as exc:
                records.append(exc)
        else:
            records.append(Refusal(f"JSON record {number} is not an object"))
        pos = _WHITESPACE.match(text, end).end()
        if text.startswith(",", pos):
            pos = _WHITESPACE.match(text, pos + 1).end()
            continue
        if text.startswith("]", pos):
            if text[pos + 1 :].strip():
                raise Refusal("invalid JSON: extra data after the list")
            return records
        raise Refusal(f"invalid JSON: expected ',' or ']' after record {number}")


def split_jsonl(text: str) -> list[Record | Refusal]:
    """Records of a JSONL file; a bad line becomes a Refusal in its place (the other records still import)."""
    records: list[Record | Refusal] = []
    for line_number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        number = len(records) + 1
        try:
            value = loads(stripped)
        except json.JSONDecodeError as exc:
            records.append(Refusal(f"JSONL record {number} (line {line_number}) is not valid JSON: {exc.msg}"))
            continue
        except RecursionError:
            records.append(Refusal(f"JSONL record {number} (line {line_number}) is nested too deeply"))
            continue
        if not isinstance(value, dict):
            records.append(Refusal(f"JSONL record {number} (line {line_number}) is not an object"))
            continue
        try:
            records.append(Record(number, line.rstrip("\r"), value))
        except Refusal as exc:
            records.append(exc)
    if not records:
        raise Refusal("JSONL file has no records")
    return records


def text_of(record: Record) -> str:
    """The record's article text, or a refusal naming the record."""
    for name in TEXT_FIELDS:
        value = record.value.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            # a number where text was expected is still text: its JSON spelling
            record.warnings.append(f"record {record.number}: text field {name!r} holds a number; imported as text")
            return json.dumps(value)
        if isinstance(value, str) and value.strip():
            if "\x00" in value:
                raise Refusal(f"JSON record {record.number}: text field {name!r} contains NUL characters")
            return value
    present = [name for name in TEXT_FIELDS if name in record.value]
    if present:
        raise Refusal(f"JSON record {record.number}: its text field {present[0]!r} is empty or not text")
    raise Refusal(
        f"JSON record {record.number} has no text field (one of: {', '.join(TEXT_FIELDS[:4])})"
    )


def field_of(record: Record, names: tuple[str, ...]) -> str | None:
    """First non-empty metadata value among ``names``, flattened to a string.

    Authors and publishers are often objects (``{"name": ...}``) or lists.
    """
    for name in names:
        value = _flatten(record.value.get(name))
        if value:
            return value
    return None


def _flatten(value: object) -> str | None:
    if isinstance(value, str):
        return " ".join(value.split()) or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        return _flatten(value.get("name")) or _flatten(value.get("title"))
    if isinstance(value, list):
        names = [name for name in (_flatten(item) for item in value[:20]) if name]
        return ", ".join(names) or None
    return None
