"""YAML front matter (``---`` ... ``---``), read with a deliberately small YAML.

Front matter comes from strangers, so PyYAML is used only up to its
*composer* (the node tree) and never its constructor:

* aliases and anchors are refused, so an alias bomb ("billion laughs")
  cannot expand;
* explicit tags other than the core string/number/bool/null/seq/map tags are
  refused (``!!python/object``, ``!!binary``, custom ``!tags``), so nothing
  is ever instantiated or decoded into bytes;
* nesting deeper than :data:`MAX_DEPTH` is refused while composing, before
  PyYAML's recursive composer can get anywhere near the recursion limit;
* every scalar stays the string it was written as: dates are parsed later by
  :mod:`workbench.ingest.dates`, never by YAML's implicit timestamp rule.

PyYAML's SafeLoader already refuses Python tags; this goes further because a
fact-checker's importer only ever needs flat metadata.
"""

from __future__ import annotations

import re

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from workbench.model import Refusal

MAX_DEPTH = 8
MAX_CHARS = 64 * 1024
# PyYAML's scanner keeps one "possible simple key" per open flow collection and
# rescans them on every token, so deep flow nesting costs depth squared before
# the composer (and our depth check) ever sees it.  Capping the bracket count
# up front keeps the worst case in milliseconds.
MAX_BRACKETS = 512
_CORE_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "seq", "map")
} | {"!"}
_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_OPEN = re.compile(r"^---[ \t]*$")


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader that composes a bounded, alias-free, tag-free node tree."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise Refusal(f"front matter uses a YAML alias (*{event.anchor}); aliases are not accepted")
        if isinstance(event, (ScalarEvent, CollectionStartEvent)):
            if event.anchor is not None:
                raise Refusal(f"front matter uses a YAML anchor (&{event.anchor}); anchors are not accepted")
            if event.tag is not None and event.tag not in _CORE_TAGS:
                raise Refusal(f"front matter uses the YAML tag {event.tag!r}; only plain values are accepted")
        if isinstance(event, CollectionStartEvent):
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise Refusal(f"front matter is nested deeper than {MAX_DEPTH} levels")
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1
        return super().compose_node(parent, index)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split ``text`` into (yaml, body, body_line) if it opens with ``---``.

    Blank lines before the opening fence are allowed (the Hexo corpus has
    one).  Returns None when there is no front matter; raises
    :class:`Refusal` when the opening fence is never closed.
    """
    start = 0
    length = len(text)
    # Skip leading blank lines without splitting a possibly huge text.
    while start < length:
        end = text.find("\n", start)
        end = length if end < 0 else end
        if text[start:end].strip():
            break
        start = end + 1
    first_end = text.find("\n", start)
    first_end = length if first_end < 0 else first_end
    if not _OPEN.match(text[start:first_end].rstrip("\r")):
        return None
    pos = first_end + 1
    while pos <= length:
        end = text.find("\n", pos)
        end = length if end < 0 else end
        if _FENCE.match(text[pos:end].rstrip("\r")):
            yaml_text = text[first_end + 1 : pos]
            body = text[end + 1 :]
            return yaml_text, body, text.count("\n", 0, end + 1) + 1
        if pos - first_end > MAX_CHARS:
            raise Refusal(f"front matter is longer than {MAX_CHARS // 1024} KiB or never closed")
        pos = end + 1
    raise Refusal("front matter opens with --- but is never closed")


# What YAML's reader refuses outright (C0 controls but tab/newlines, DEL, C1
# controls, U+FFFE/U+FFFF, surrogates): one such character in a title is no reason
# to lose the article, so each becomes U+FFFD, with a warning (the raw bytes keep it).
# NEL (U+0085) is allowed but read as a line break, which breaks a value in two: it goes too.
_NOT_YAML = re.compile(yaml.reader.Reader.NON_PRINTABLE.pattern + "|\x85")


def parse_front_matter(yaml_text: str, warnings: list[str] | None = None) -> dict[str, object]:
    """Parse front matter into a dict of strings, lists and dicts of strings.

    Characters YAML does not allow are replaced (see ``_NOT_YAML``) and counted
    in ``warnings`` when given.
    """
    if not yaml_text.strip():
        return {}
    yaml_text, replaced = _NOT_YAML.subn("\ufffd", yaml_text)
    if replaced and warnings is not None:
        warnings.append(f"front matter: {replaced} character(s) YAML does not allow (controls, NEL, U+FFFF) "
                        "replaced with U+FFFD")
    if yaml_text.count("[") + yaml_text.count("{") > MAX_BRACKETS:
        raise Refusal(f"front matter has more than {MAX_BRACKETS} brackets (nesting too deep to be metadata)")
    try:
        loader = _FrontMatterLoader(yaml_text)
    except yaml.YAMLError as exc:
        raise Refusal(f"front matter is not valid YAML: {_one_line(exc)}") from None
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise Refusal(f"front matter is not valid YAML: {_one_line(exc)}") from None
    except RecursionError:
        raise Refusal(f"front matter is nested deeper than {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()
    if node is None:
        return {}
    if not isinstance(node, MappingNode):
        raise Refusal("front matter is not a mapping of keys to values")
    value = _plain(node)
    assert isinstance(value, dict)
    return value


def _plain(node: yaml.Node) -> object:
    """Node tree -> plain Python, every scalar kept as written (a string)."""
    if isinstance(node, ScalarNode):
        return node.value
    if isinstance(node, SequenceNode):
        return [_plain(item) for item in node.value]
    if isinstance(node, MappingNode):
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise Refusal("front matter has a key that is not a plain value")
            result[key_node.value] = _plain(value_node)
        return result
    raise Refusal("front matter has an unsupported YAML node")


def _one_line(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc)
    mark = getattr(exc, "problem_mark", None)
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    return " ".join(f"{problem}{where}".split())
