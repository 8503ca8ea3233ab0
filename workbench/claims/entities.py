"""Entity mentions: gazetteer aliases, near spellings, and candidate names.

Three jobs, all pure:

* :class:`EntityMatcher` finds every known alias in a text in one pass over an
  Aho-Corasick automaton (leftmost, longest, non-overlapping), then catches
  near spellings of Latin names ("Telsa") with rapidfuzz. The store hands it
  the aliases, so names a reviewer adds work exactly like the shipped ones.
* :func:`english_candidates` proposes capitalised names that the gazetteer
  does not know ("Daily Car Watch").
* :func:`chinese_terms` proposes Chinese terms of one article; the store keeps
  those that recur across articles as candidate entities.

The shipped gazetteer is ``gazetteer.json`` beside this module
(:func:`load_gazetteer`); the store seeds it into the database on creation.

Matching rules for Latin aliases, and why:

* case-insensitive, because feeds write "TESLA", "Tesla" and, inside Chinese
  text, "tiktok" -- except that an alias with capitals does not match an
  all-lowercase word in Latin context ("windows", "apple", "trump" are words),
* all-caps aliases of at most three letters ("US", "GM", "CAC") match only in
  capitals, so "us" and "gm" stay words,
* a Latin alias must sit on word boundaries, so "Ford" is not found in
  "Fordham"; a possessive ("Tesla's", "Musk’s") is fine and stays outside the
  surface, and so is a plural after a digit ("Model 3s").
"""

from __future__ import annotations

import bisect
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from importlib import resources
from typing import NamedTuple

import ahocorasick
from rapidfuzz.distance import OSA
from rapidfuzz.utils import default_process

from workbench.model import ENTITY_TYPES, EntityMention
from workbench.simplified import to_simplified

GAZETTEER_FILE = "gazetteer.json"
# "topic" entries are bilingual subject terms (data centre = 数据中心): they are
# not names, but they let the linker match a Chinese and an English statement
# about the same subject; check-worthiness ignores them.


def load_gazetteer() -> list[dict]:
    """The packaged gazetteer: ``[{"key", "name", "type", "aliases", "part_of"?, "related"?}, ...]``.

    ``part_of`` names the key of the entity this one belongs to (Model Y ->
    tesla, Huawei Cloud -> huawei); ``related`` lists keys of siblings that
    are often confused or reported together (FSD <-> autopilot).
    """
    text = resources.files("workbench.claims").joinpath(GAZETTEER_FILE).read_text(encoding="utf-8")
    entries = json.loads(text)
    keys = {entry.get("key") for entry in entries}
    for entry in entries:
        if entry.get("type") not in ENTITY_TYPES or not entry.get("key") or not entry.get("aliases"):
            raise ValueError(f"bad gazetteer entry: {entry!r}")
        targets = [entry["part_of"]] if "part_of" in entry else []
        targets += list(entry.get("related", []))
        if any(t not in keys or t == entry["key"] for t in targets):
            raise ValueError(f"bad gazetteer relation in {entry['key']!r}: {targets!r}")
    return entries


RELATIONS = ("part_of", "related")


def gazetteer_relations(entries: Iterable[dict] | None = None) -> list[tuple[str, str, str]]:
    """``(key, relation, other key)`` for every relation of the gazetteer, in file order."""
    found = []
    for entry in load_gazetteer() if entries is None else entries:
        if "part_of" in entry:
            found.append((entry["key"], "part_of", entry["part_of"]))
        found.extend((entry["key"], "related", other) for other in entry.get("related", []))
    return found


class EntityFamily:
    """Which entities are family: a part and its whole (Model Y, Tesla), or related siblings (FSD, Autopilot).

    Sharing a family member is weaker evidence than sharing the entity: a
    report on Model Y and one on Tesla may be about one event, or not. Built
    from ``(entity id, relation, entity id)`` triples; ``part_of`` is followed
    one step up and down (Model S Plaid -> Model S, not on to Tesla), so
    siblings (Model 3, Model Y) are not family of each other.
    """

    def __init__(self, triples: Iterable[tuple[int, str, int]] = ()):
        self._relation: dict[tuple[int, int], str] = {}
        self._family: dict[int, set[int]] = defaultdict(set)
        for a, relation, b in triples:
            if relation not in RELATIONS or a == b:
                raise ValueError(f"bad entity relation: {(a, relation, b)!r}")
            self._relation[(a, b)] = relation
            self._relation.setdefault((b, a), "has_part" if relation == "part_of" else relation)
            self._family[a].add(b)
            self._family[b].add(a)

    def __bool__(self) -> bool:
        return bool(self._relation)

    def family(self, entity_id: int) -> frozenset[int]:
        """The entities one relation away from ``entity_id`` (its whole, its parts, its related)."""
        return frozenset(self._family.get(entity_id, ()))

    def as_map(self) -> dict[int, dict[int, str]]:
        """``{entity: {family member: relation}}``, the plain form the linker reads."""
        out: dict[int, dict[int, str]] = defaultdict(dict)
        for (a, b), relation in self._relation.items():
            out[a][b] = relation
        return dict(out)

    def relation(self, a: int, b: int) -> str | None:
        """How ``a`` stands to ``b``: "part_of" (Model Y, Tesla), "has_part" (Tesla, Model Y), "related", or None."""
        return self._relation.get((a, b))

    def shared(self, left: Iterable[int], right: Iterable[int]) -> list[tuple[int, int, str]]:
        """Family pairs across two entity sets, ``(left id, right id, relation)``, excluding entities both share."""
        left, right = set(left), set(right)
        both = left & right
        pairs = []
        for a in sorted(left - both):
            for b in sorted(self._family.get(a, set()) & (right - both)):
                pairs.append((a, b, self._relation[(a, b)]))
        return pairs


# --- character classes and folding -------------------------------------------------

# Length-preserving folding, so offsets into the folded text are offsets into the
# original: full-width letters and digits (Ｔｅｓｌａ, ＦＳＤ) to ASCII, typographic
# apostrophes to "'", odd spaces to " ", the many middle dots of transliterated
# names (埃隆•马斯克) to "·". Full-width punctuation is left alone: it is
# everywhere in Chinese text, never inside an alias, and folding it would cost
# a pass over every character.
_FOLD_MAP = {chr(cp): chr(cp - 0xFEE0) for r in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for cp in range(*r)}
_FOLD_MAP.update({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00a0": " ", "\u3000": " ", "\uff0e": "."})
_FOLD_MAP.update({c: "·" for c in "\u2022\u30fb\u2027\u2219\u22c5\uff65"})
_NEEDS_FOLD = re.compile("[" + "".join(_FOLD_MAP) + "]")


def _fold_width(text: str) -> str:
    if not _NEEDS_FOLD.search(text):
        return text
    return _NEEDS_FOLD.sub(lambda m: _FOLD_MAP[m.group()], text)


def _fold_case(text: str) -> str:
    """Lower-case ``text`` without changing its length."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters lower to two ("İ"); keep those as they are.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _fold(text: str) -> str:
    """Width-, script- and case-fold ``text`` without changing its length (traditional -> simplified:
    the gazetteer lists each Chinese name once, in simplified characters)."""
    return _fold_case(to_simplified(_fold_width(text)))


def _as_bytes_text(text: str) -> str:
    """``text`` as UTF-8 bytes spelled in a str (one char per byte) for the automaton.

    pyahocorasick finds a node's child by scanning its children, and the root
    has a child for every first character of every alias -- hundreds of CJK
    characters. In UTF-8 all CJK characters begin with one of a few lead bytes,
    so the same automaton over bytes does a few comparisons per step instead of
    hundreds: about four times faster on Chinese text. Matches always start and
    end on character boundaries because aliases are whole characters.
    """
    return text.encode("utf-8").decode("latin-1")


def _is_latin(ch: str) -> bool:
    """An ASCII letter or digit: the characters that make a Latin word."""
    return ch in _LATIN


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def _short_caps(alias: str) -> bool:
    """An all-caps alias of at most three letters ("US", "GM", "ES8"): match case-sensitively."""
    letters = [c for c in alias if c.isalpha()]
    return 0 < len(letters) <= 3 and all(c.isascii() and c.isupper() for c in letters)


# --- the matcher ------------------------------------------------------------------------

# Near spellings: a capitalised word (or two) of at least five letters, at most
# one edit (two for names of nine letters or more) from a Latin alias of at least
# five letters, with the same first letter. One OSA edit counts a transposition as
# one, so "Telsa" is one edit from "Tesla" while "Tesco" is two.
_FUZZY_MIN_LEN = 5
_FUZZY_CACHE_SIZE = 100_000
_TITLE_NAME = re.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*")
_CAP_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Z][a-z][A-Za-z]*(?![A-Za-z0-9])")
_SENTENCE_END = set(".!?。！？；;:：\n\"“「『《(（[【")


class EntityMatcher:
    """Find gazetteer aliases in text, in one pass, plus near spellings of Latin names.

    ``aliases`` are ``(alias, entity_id)`` pairs. When two entities share an
    alias the first pair wins, so the caller decides by the order it passes.
    Build once and reuse: building the automaton is the costly part.
    """

    def __init__(self, aliases: Iterable[tuple[str, int]]):
        self._automaton = ahocorasick.Automaton()
        # folded alias -> [_Alias, ...]
        entries: dict[str, list[_Alias]] = defaultdict(list)
        # Latin aliases for near-spelling search, bucketed by (first letter, length).
        self._latin: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
        self._exact_latin: dict[str, int] = {}
        for alias, entity_id in aliases:
            alias = _fold_width(alias.strip())
            if not alias:
                continue
            key = _fold(alias)
            if any(a.alias == alias for a in entries[key]):
                continue
            entries[key].append(_Alias.of(alias, entity_id))
            if all(c.isascii() for c in alias) and any(c.isalpha() for c in alias):
                processed = default_process(alias)
                self._exact_latin.setdefault(processed, entity_id)
                # Only names spelled like words ("Tesla", "Elon Musk") have near
                # spellings; codes and brand casings ("SupET", "iCloud") do not.
                if len(processed) >= _FUZZY_MIN_LEN and _TITLE_NAME.fullmatch(alias):
                    self._latin[(processed[0], len(processed))].append((processed, entity_id))
        for key, value in entries.items():
            data = _as_bytes_text(key)
            # (bytes, characters, whether no entry needs a check, entries)
            self._automaton.add_word(data, (len(data), len(key), all(e.plain for e in value), tuple(value)))
        self._empty = not entries
        if not self._empty:
            self._automaton.make_automaton()
        self._fuzzy_cache: dict[str, int | None] = {}

    def find(self, text: str, offset: int = 0) -> list[EntityMention]:
        """All mentions in ``text``, in order; ``offset`` is added to every span.

        Exact aliases first (leftmost, longest, non-overlapping), then near
        spellings in the gaps, marked ``fuzzy=True``.
        """
        if not text or self._empty:
            return []
        width = _fold_width(text)
        exact = self._exact(width)
        mentions = [EntityMention(eid, text[s:e], s + offset, e + offset) for s, e, eid in exact]
        fuzzy = self._fuzzy(width, exact)
        if fuzzy:
            mentions.extend(EntityMention(eid, text[s:e], s + offset, e + offset, fuzzy=True) for s, e, eid in fuzzy)
            mentions.sort(key=lambda m: m.start)
        return mentions

    # -- exact aliases

    def _exact(self, width: str) -> list[tuple[int, int, int]]:
        folded = _fold_case(to_simplified(width))
        data = _as_bytes_text(folded)
        size = len(data)
        # Word boundaries first, in bytes: a Latin character is one ASCII byte in
        # UTF-8, so the test is exact there, and it throws away most raw hits ("us"
        # inside "must") before the costlier offset conversion.
        hits = []
        for last, (length, chars, plain, entries) in self._automaton.iter(data):
            start = last + 1 - length
            if plain:
                hits.append((start, chars, entries))
                continue
            end = last + 1
            before = data[start - 1] if start else ""
            after = data[end] if end < size else ""
            kept = [e for e in entries if e.plain or _on_boundaries(data, start, end, before, after, e)]
            if kept:
                hits.append((start, chars, kept))
        if size != len(folded):
            hits = _bytes_to_chars(data, hits)
        candidates = []
        for start, chars, entries in hits:
            end = start + chars
            for entry in entries:
                if entry.plain or _case_ok(width, start, end, entry):
                    candidates.append((start, -end, entry.entity_id))
                    break
        # Leftmost first, longest first at the same start; skip overlaps.
        candidates.sort()
        chosen = []
        taken_until = 0
        for start, neg_end, entity_id in candidates:
            if start >= taken_until:
                chosen.append((start, -neg_end, entity_id))
                taken_until = -neg_end
        return chosen

    # -- near spellings

    def _fuzzy(self, width: str, exact: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        if not self._latin:
            return []
        # Capitalised words outside exact mentions (both lists are in text order).
        words = []
        k = 0
        for m in _CAP_WORD.finditer(width):
            start, end = m.span()
            while k < len(exact) and exact[k][1] <= start:
                k += 1
            if k < len(exact) and exact[k][0] < end:
                continue
            words.append((start, end, m.group()))
        found = []
        i = 0
        while i < len(words):
            start, end, word = words[i]
            # Two capitalised words in a row ("Elon Muks") are tried as one name first.
            if i + 1 < len(words) and words[i + 1][0] == end + 1 and width[end] == " ":
                entity_id = self._near(width[start:words[i + 1][1]])
                if entity_id is not None and not _sentence_initial(width, start):
                    found.append((start, words[i + 1][1], entity_id))
                    i += 2
                    continue
            if len(word) >= _FUZZY_MIN_LEN:
                entity_id = self._near(word)
                if entity_id is not None and not _sentence_initial(width, start):
                    found.append((start, end, entity_id))
            i += 1
        return found

    def _near(self, word: str) -> int | None:
        """The entity whose Latin alias ``word`` is a near spelling of, if exactly one is."""
        if word in self._fuzzy_cache:
            return self._fuzzy_cache[word]
        result = None
        token = default_process(word)
        if token in self._exact_latin:
            # Same letters, other punctuation or case: not a near spelling but a
            # spelling the exact pass refused on purpose ("US" vs "Us").
            result = None
        elif len(token) >= _FUZZY_MIN_LEN and token.endswith("s") and token[:-1] in self._exact_latin:
            # A plural of a known name: "Teslas", "Musks".
            result = self._exact_latin[token[:-1]]
        elif len(token) >= _FUZZY_MIN_LEN:
            best: dict[int, int] = {}
            for length in range(len(token) - 2, len(token) + 3):
                for alias, entity_id in self._latin.get((token[0], length), ()):
                    limit = 1 if len(alias) <= 8 else 2
                    if abs(len(alias) - len(token)) > limit:
                        continue
                    if alias.startswith(token) or token.startswith(alias):
                        # "German"/"Germany", "Indian"/"India": a derived word, not a misspelling.
                        continue
                    distance = OSA.distance(token, alias, score_cutoff=limit)
                    if distance <= limit:
                        best[entity_id] = min(distance, best.get(entity_id, distance))
            if best:
                top = min(best.values())
                winners = [eid for eid, d in best.items() if d == top]
                result = winners[0] if len(winners) == 1 else None
        if len(self._fuzzy_cache) >= _FUZZY_CACHE_SIZE:
            # Words recur within an article; across a long session, start afresh.
            self._fuzzy_cache.clear()
        self._fuzzy_cache[word] = result
        return result


class _Alias(NamedTuple):
    """One alias with what its checks need, worked out once."""

    alias: str
    entity_id: int
    plain: bool  # no Latin edge and no capitals: nothing to check (all CJK aliases)
    case_sensitive: bool
    latin_start: bool
    latin_end: bool
    digit_end: bool
    has_upper: bool

    @classmethod
    def of(cls, alias: str, entity_id: int) -> _Alias:
        latin_start, latin_end = _is_latin(alias[0]), _is_latin(alias[-1])
        has_upper = any(c.isupper() for c in alias)
        case_sensitive = _short_caps(alias)
        plain = not (latin_start or latin_end or has_upper or case_sensitive)
        return cls(alias, entity_id, plain, case_sensitive, latin_start, latin_end, alias[-1].isdigit(), has_upper)


_LATIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _on_boundaries(text: str, start: int, end: int, before: str, after: str, entry: _Alias) -> bool:
    """A Latin alias must not continue a Latin word on either side."""
    if entry.latin_start and before in _LATIN:
        return False
    if entry.latin_end and after in _LATIN:
        # "Model 3s": a plural after a digit is still the name.
        return entry.digit_end and after == "s" and (end + 1 >= len(text) or text[end + 1] not in _LATIN)
    return True


def _case_ok(text: str, start: int, end: int, entry: _Alias) -> bool:
    """Case rules (see the module notes) on the unfolded text."""
    surface = text[start:end]
    if entry.case_sensitive and surface != entry.alias:
        return False
    if entry.has_upper and surface.islower() and not _next_to_cjk(text, start, end):
        # "windows", "apple", "trump" in English prose are words, not names.
        return False
    return True


def _bytes_to_chars(data: str, hits: list[tuple[int, int, object]]) -> list[tuple[int, int, object]]:
    """Turn the byte start offsets of ``hits`` (into ``data``, see :func:`_as_bytes_text`) into characters."""
    raw = data.encode("latin-1")
    chars = {}
    byte_pos = char_pos = 0
    for offset in sorted({hit[0] for hit in hits}):
        chunk = raw[byte_pos:offset]
        char_pos += len(chunk) if chunk.isascii() else len(chunk.decode("utf-8"))
        byte_pos = offset
        chars[offset] = char_pos
    return [(chars[start], length, value) for start, length, value in hits]


def _next_to_cjk(text: str, start: int, end: int) -> bool:
    """Whether the nearest character on either side (past one space) is CJK."""
    before = text[max(0, start - 2):start].rstrip(" ")
    after = text[end:end + 2].lstrip(" ")
    return bool(before and _is_cjk(before[-1])) or bool(after and _is_cjk(after[0]))


def _sentence_initial(text: str, start: int) -> bool:
    """Whether ``start`` begins a sentence, a line or a quotation."""
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


# --- English candidate names --------------------------------------------------------

# A name word: capitalised or all caps, maybe hyphenated or with digits ("KCAL-9",
# "Guizhou-Cloud", "NeochaEDGE"). Possessives end the word.
_NAME_WORD = re.compile(r"(?<![A-Za-z0-9'])[A-Z][A-Za-z0-9]*(?:[-.&][A-Za-z0-9]+)*(?![A-Za-z0-9])")
# Lowercase words allowed inside a name when a capitalised word follows.
_CONNECTORS = {"of", "and", "for", "de", "du", "la", "von", "van", "der", "&"}
# Capitalised words that are not names (or not on their own).
_NOT_NAMES = {
    # function words that start sentences or headings
    "The", "A", "An", "This", "That", "These", "Those", "It", "Its", "In", "On", "At", "For", "But", "And",
    "Or", "If", "As", "By", "To", "Of", "With", "From", "So", "Yet", "Still", "Also", "However", "According",
    "When", "While", "After", "Before", "Despite", "Some", "Many", "Most", "More", "All", "Both", "Each",
    "Other", "Others", "Such", "There", "Here", "Then", "Now", "Even", "Just", "One", "Two", "Three",
    "He", "She", "They", "We", "You", "I", "His", "Her", "Their", "Our", "Your", "My", "Me", "Us", "Them",
    "What", "Which", "Who", "Why", "How", "Where", "Not", "No", "Yes", "Last", "Next", "First", "New",
    "Mr", "Mrs", "Ms", "Dr", "Inc", "Ltd", "Co", "Corp", "Jr", "Sr", "St",
    # time words
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
    "Dec", "GMT", "UTC", "AM", "PM",
    # demonyms and generic capitalised words: adjectives, not entities
    "Chinese", "American", "Americans", "German", "Japanese", "Korean", "Indian", "European", "British",
    "French", "Canadian", "Western", "Eastern", "Asian", "English",
    # common acronyms that are not names
    "CEO", "CFO", "CTO", "COO", "AI", "EV", "EVs", "SUV", "APP", "App", "OS", "IT", "ID", "OTA", "ADAS", "IPO",
    "USD", "CNY", "RMB", "PDF", "URL", "FAQ", "OK", "TV", "PC", "END", "End", "THE", "NEW", "PS", "VS",
}


def english_candidates(text: str, known: EntityMatcher) -> list[tuple[str, int, int]]:
    """Capitalised names in ``text`` that ``known`` does not cover: ``(name, start, end)``.

    Multi-word names are kept anywhere ("National Transportation Safety
    Board", "Guizhou-Cloud Big Data"); a single capitalised word only when it
    does not begin a sentence, since there capitals say nothing. Title-case
    headlines, URLs and file names are skipped: their capitals are not names.
    """
    width = _fold_width(text)
    known_spans = [(m.start, m.end, m.entity_id) for m in known.find(text)]
    known_ends = [e for _, e, _ in known_spans]
    skip = [m.span() for m in _NOT_PROSE.finditer(width)]
    skip_ends = [e for _, e in skip]
    words = [m for m in _NAME_WORD.finditer(width) if not _in_spans(skip, skip_ends, m.start())]
    out = []
    i = 0
    while i < len(words):
        if words[i].group() in _NOT_NAMES and not _followed_by_name(width, words, i):
            i += 1
            continue
        # Grow a run of name words joined by single spaces or connectors.
        run = [words[i]]
        j = i + 1
        while j < len(words):
            gap = width[run[-1].end():words[j].start()]
            if words[j].group() in _NOT_NAMES - {"The", "Of", "And", "For"}:
                break
            if gap == " " or (gap.strip() in _CONNECTORS and gap.startswith(" ") and gap.endswith(" ")
                              and gap.count(" ") == 2):
                run.append(words[j])
                j += 1
            else:
                break
        i = j
        for part in _split_at_and(width, run):
            candidate = _trim(width, part)
            if candidate and not _covered(known_spans, known_ends, width, *candidate):
                out.append((text[candidate[0]:candidate[1]], *candidate))
    return out


# URLs, paths, file names, hashes, and title-case headline lines.
_NOT_PROSE = re.compile(
    r"(?:https?://|www\.)\S+|\S*[/_=]\S*"
    r"|^(?:[ \t]*(?:[A-Z][\w'’.,:;-]*|[a-z]{1,3}|\d[\w,.]*)(?:[ \t]+|$)){4,}$",
    re.MULTILINE,
)
# Heads of organisation names: "Securities and Exchange Commission" is one name,
# "Nanchang Power Grid and Daily Car Watch" two.
_ORG_HEADS = {
    "Commission", "Committee", "Administration", "Agency", "Department", "Ministry", "Association", "Council",
    "Bureau", "Office", "Authority", "Board", "Institute", "University", "Center", "Centre", "Foundation",
    "Group", "Company", "Corporation", "Bank", "Exchange", "Society", "Academy", "Service", "Services",
}


def _in_spans(spans: list[tuple[int, int]], ends: list[int], pos: int) -> bool:
    k = bisect.bisect_right(ends, pos)
    return k < len(spans) and spans[k][0] <= pos


def _split_at_and(text: str, run: list[re.Match]) -> list[list[re.Match]]:
    """Split a run at "and"/"&" unless it ends in an organisation head."""
    if run[-1].group() in _ORG_HEADS:
        return [run]
    parts = [[run[0]]]
    for prev, word in zip(run, run[1:]):
        if text[prev.end():word.start()].strip() in ("and", "&"):
            parts.append([word])
        else:
            parts[-1].append(word)
    return parts


def _trim(text: str, run: list[re.Match]) -> tuple[int, int] | None:
    """The span of a run without leading and trailing non-name words, or None."""
    # Drop leading function words ("The Hong Guang Mini EV" -> "Hong Guang Mini EV"),
    # unless that leaves a single word ("The Verge" is the name).
    while len(run) > 2 and run[0].group() in _NOT_NAMES:
        run = run[1:]
    while run and run[-1].group() in _NOT_NAMES:
        run = run[:-1]
    if not run:
        return None
    start, end = run[0].start(), run[-1].end()
    if len(run) == 1:
        word = run[0].group()
        if (word in _NOT_NAMES or _sentence_initial(text, start) or sum(c.isalpha() for c in word) < 2
                or len(word) > 20):
            return None
    return start, end


def _followed_by_name(text: str, words: list[re.Match], i: int) -> bool:
    """'The' begins a name when a capitalised non-stop word follows at once ("The Dawn Project")."""
    return (
        words[i].group() == "The"
        and i + 1 < len(words)
        and text[words[i].end():words[i + 1].start()] == " "
        and words[i + 1].group() not in _NOT_NAMES
    )


def _covered(spans: list[tuple[int, int, int]], ends: list[int], text: str, start: int, end: int) -> bool:
    """Whether known mentions cover [start, end), leaving only spaces and connectors.

    ``spans`` are in text order and do not overlap, so ``ends`` is sorted too.
    """
    pos = start
    # walk by index from the first span ending after ``start``: slicing the list
    # here copied its whole tail on every call (quadratic in the article's length)
    for k in range(bisect.bisect_right(ends, start), len(spans)):
        s, e, _ = spans[k]
        if s >= end:
            break
        gap = text[pos:s]
        if gap.strip(" -&") and gap.strip() not in _CONNECTORS:
            return False
        pos = max(pos, e)
    return pos >= start and not text[pos:end].strip(" -&'s")


# --- Chinese candidate terms ----------------------------------------------------------

# Organisation and place markers, longest first. Single characters are ambiguous
# ("市场", "内部", "布局", "办公"), so they come with words they must not be part of.
_ORG_MARKERS = (
    "委员会", "研究院", "研究所", "研究中心", "管理局", "监管局", "交易所", "联合会", "联席会",
    "办公室", "总局", "公司", "集团", "协会", "学会", "银行", "大学", "学院", "法院", "政府", "基金会",
    "日报", "晚报", "时报", "新闻", "汽车", "科技", "电子", "控股", "传媒",
)
# Weak markers also end ordinary phrases ("传统汽车", "国内科技"): the name before
# them must be short and start at a clear boundary.
_WEAK_MARKERS = {"汽车", "科技", "电子", "控股", "传媒", "新闻"}
_WEAK_MAX = 4
_SINGLE_MARKERS = {
    # marker: characters that, following it, make it part of an ordinary word
    "部": set("分署件门长位队"),
    "局": set("面限势部长"),
    "办": set("公理法事好"),
    "署": set("名理"),
    "委": set("托屈员婉"),
    "省": set("份钱去略时力心"),
    "市": set("场值民面区内级容"),
    "州": set(""),
    "县": set("城级"),
    "区": set("域间别块分"),
}
# Words ending in a single marker that are ordinary words, not names.
_MARKER_WORDS = {
    "内部", "全部", "外部", "头部", "大部", "局部", "总部", "东部", "西部", "南部", "北部", "中部", "底部",
    "顶部", "背部", "干部", "部部", "俱乐部", "编辑部", "市场部", "销售部", "事业部", "业务部", "技术部",
    "布局", "格局", "结局", "当局", "大局", "开局", "出局", "入局", "僵局", "骗局", "飞局",
    "举办", "主办", "创办", "承办", "开办", "兴办", "督办", "怎么办", "在家办",
    "部署", "签署", "公署", "专署",
    "常委", "编委", "党委", "纪委", "村委",
    "省市", "各省", "外省", "全省", "本省", "反省", "节省", "俭省",
    "城市", "上市", "都市", "股市", "车市", "楼市", "开市", "新市", "全市", "本市", "各市", "超市",
    "门市", "闹市", "集市", "夜市", "黑市", "早市", "街市",
    "全州", "各县", "郊区", "地区", "社区", "园区", "小区", "城区", "市区", "景区", "山区", "矿区",
    "灾区", "禁区", "误区", "盲区", "片区", "辖区", "分区", "专区", "展区", "厂区", "区区", "中国区",
    "汽车", "新能源汽车", "电动汽车", "智能汽车", "传统汽车", "燃油汽车",
    "智能", "人工智能", "科技", "高科技", "黑科技", "新闻",
}
_ORG_MAX = 12
# Characters that make the words before a weak marker a description, not a name ("每一辆汽车").
_GENERIC_CHARS = set("一每各该本全多少新老大小国内外")
# Measure words right after a number ("5家公司", "28日中国汽车工业协会") are not part of a name.
_MEASURE_CHARS = set("家个辆名位款台次年月日号岁亿万千百元倍")
# Generic heads and tails: an n-gram that starts or ends with one is a phrase ("汽车行业").
_GENERIC_EDGES = (
    "市场", "行业", "产业", "能力", "价值", "模式", "技术", "工程师", "企业", "领域", "方面", "问题", "来说",
    "而言", "以来", "内部", "可能", "能够", "已经", "开始", "继续", "进一步", "来源", "中国", "美国", "汽车",
    "数据", "用户", "车企", "越来越", "近年", "上",
)
_NGRAM_MIN, _NGRAM_MAX, _NGRAM_MIN_COUNT = 3, 6, 3
# Characters that end or start a name only by accident: particles, pronouns,
# prepositions and conjunctions. A run of CJK text is cut at these.
_FUNCTION_CHARS = set("的了是在和与及对把被将也都就而其这那此该个们为从向于以等着过吗呢吧啊让给称据由使并或又很更最已还再所因")
# n-grams with these inside are phrases, not names.
_PHRASE_CHARS = set("的了是着过吗呢吧啊这那我你他她它们不没很都也就还又再已被把让给")
# Common words and domain vocabulary that recur in every article about cars and tech.
_STOP_TERMS = {
    "我们", "他们", "你们", "自己", "一个", "这个", "那个", "没有", "可以", "已经", "目前", "表示", "认为",
    "进行", "发展", "问题", "情况", "能力", "需要", "相关", "方面", "时间", "信息", "安全", "数据", "汽车",
    "车辆", "车主", "司机", "公司", "集团", "企业", "行业", "市场", "技术", "产品", "服务", "平台", "系统",
    "软件", "硬件", "芯片", "政府", "国家", "全球", "世界", "国内", "国外", "海外", "今年", "去年", "明年",
    "未来", "用户", "消费者", "车企", "自动驾驶", "辅助驾驶", "智能驾驶", "无人驾驶", "新能源", "电动汽车",
    "新能源汽车", "电动车", "云计算", "人工智能", "数字化", "智能化", "网联化", "电动化", "智能汽车",
    "大数据", "互联网", "智能座舱", "驾驶员", "新势力", "主机厂", "数据安全", "自动驾驶技术", "越来越",
    "与此同时", "事实上", "实际上", "一方面", "另一方面", "不仅如此", "也就是说", "换句话说", "总的来说",
    "值得一提", "据了解", "据悉", "报道称", "消息称", "记者", "编辑", "作者", "来源", "原文标题", "本文来源",
    "相关文章", "我要评论", "最新评论", "责任编辑", "经授权发布", "微信公众号", "编者按", "百分点",
    "同比增长", "同比下降", "环比增长", "环比下降", "亿美元", "亿元", "万辆", "万元", "美元", "人民币",
    "中国", "美国", "全国", "各地", "当地", "外媒", "媒体", "网友", "业内人士", "分析师", "投资者",
    "有限公司", "股份有限公司", "上市", "城市", "地区", "社区", "超市", "总部", "部门", "内部", "外部", "全部", "工厂", "科技",
}
_QUOTED = re.compile(r"《([^《》\n]{2,12})》|「([^「」\n]{2,6})」|『([^『』\n]{2,6})』|“([^“”\n]{2,6})”|【([^【】\n]{2,6})】")
# Product-like mixed tokens: "ES8", "D1芯片", "Model Y", "EyeQ5", "A100".
_MIXED = re.compile(
    r"(?<![A-Za-z0-9.%#/=_&?-])(?:[A-Z][A-Za-z]{0,9}[ -]?\d{1,4}[A-Za-z]{0,3}|[A-Z][a-z]{2,9} [A-Z])(?![A-Za-z0-9.])"
    r"(?:芯片|系统|平台|车型|电池|汽车|版)?"
)
_NOT_PRODUCTS = re.compile(r"^(?:L\d(?:\+|-L\d)?|Q[1-4]|H[12]|[A-Z]{1,5}[ -]?(?:19|20)\d\d|.*\d(?:nm|km|mm|kg|GB|MB|TB|PB|Wh|kWh|mAh|ms))$")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def chinese_terms(text: str) -> set[str]:
    """Candidate Chinese terms of one article: names more than words.

    Sources, most precise first: terms in 《》「」“” (2-6 characters; titles up
    to 12), names ending in an organisation or place marker (国家网信办,
    司法鉴定科学研究院; up to 12 characters), product-like mixed tokens (Model Y,
    ES8, D1芯片), and maximal n-grams of 3-6 characters that recur at least
    three times in the article. Common words and domain vocabulary are dropped.
    """
    text = _fold_width(text)
    terms: set[str] = set()
    for match in _QUOTED.finditer(text):
        term = next(g for g in match.groups() if g)
        if sum(_is_cjk(c) for c in term) >= 2 and not any(c in "，。,.!?！？；;:：" for c in term):
            terms.add(term.strip())
    for run in _CJK_RUN.finditer(text):
        chars = run.group()
        if run.start() > 0 and text[run.start() - 1].isdigit():
            chars = chars.lstrip("".join(_MEASURE_CHARS))
        terms.update(_marked_names(chars))
    mixed = Counter(m.group() for m in _MIXED.finditer(text))
    for token, count in mixed.items():
        # One-off codes ("B0" in a hash, "S20" a road) are noise; a product recurs or
        # carries a product word ("D1芯片").
        if (count >= 2 or not token[-1].isascii()) and not _NOT_PRODUCTS.match(token) \
                and token.split()[0] not in _NOT_NAMES:
            terms.add(token)
    terms.update(_recurring_ngrams(text))
    return {t for t in terms if _good_term(t)}


_MARKER_RE = re.compile("|".join(_ORG_MARKERS) + "|[" + "".join(_SINGLE_MARKERS) + "]")


def _marked_names(run: str) -> set[str]:
    """Names in a run of CJK text that end in an organisation or place marker."""
    found = set()
    taken = 0
    for match in _MARKER_RE.finditer(run):
        i, end = match.span()
        marker = match.group()
        if i < taken:
            continue
        if len(marker) == 1 and end < len(run) and run[end] in _SINGLE_MARKERS[marker]:
            continue
        # Walk left to the start of the name: stop at a function character.
        limit = _WEAK_MAX + len(marker) if marker in _WEAK_MARKERS else _ORG_MAX
        start = i
        while start > taken and end - start < limit and run[start - 1] not in _FUNCTION_CHARS:
            start -= 1
        # Where the walk ran out of room we do not know where the name begins.
        bounded = start == 0 or run[start - 1] in _FUNCTION_CHARS or (taken and start == taken)
        name = run[start:end]
        stem = run[start:i]
        if (
            bounded
            and len(stem) >= 2
            # The marker belongs to an ordinary word ("内部", "上市", "传统汽车").
            and not any(name.endswith(w) and len(w) > len(marker) for w in _MARKER_WORDS)
            and not (marker in _WEAK_MARKERS and (stem in _STOP_TERMS or _GENERIC_CHARS & set(stem)))
        ):
            found.add(name)
            taken = end
    return found


def _recurring_ngrams(text: str) -> set[str]:
    """Maximal CJK n-grams (3-6 characters) seen at least three times in ``text``."""
    # One string of CJK runs separated by newlines; n-grams across a newline are dropped.
    joined = "\n".join(run.group() for run in _CJK_RUN.finditer(text))
    size = len(joined)
    counts = {}
    for n in range(_NGRAM_MIN, _NGRAM_MAX + 2):
        grams = Counter(map(joined.__getitem__, map(slice, range(size - n + 1), range(n, size + 1))))
        counts[n] = {g: c for g, c in grams.items() if c >= _NGRAM_MIN_COUNT and "\n" not in g}
    found = set()
    for n in range(_NGRAM_MIN, _NGRAM_MAX + 1):
        # A gram is not maximal when a one-character extension occurs as often: the name is longer.
        extended: dict[str, int] = {}
        for longer, count in counts[n + 1].items():
            for part in (longer[:-1], longer[1:]):
                extended[part] = max(extended.get(part, 0), count)
        for gram, count in counts[n].items():
            if extended.get(gram, 0) >= count or any(c in _PHRASE_CHARS for c in gram):
                continue
            if gram[0] in _FUNCTION_CHARS or gram[-1] in _FUNCTION_CHARS:
                continue
            if gram.startswith(_GENERIC_EDGES) or gram.endswith(_GENERIC_EDGES):
                continue
            found.add(gram)
    return found


def _good_term(term: str) -> bool:
    if term in _STOP_TERMS or len(term) < 2:
        return False
    cjk = sum(_is_cjk(c) for c in term)
    if cjk and (term[0] in _FUNCTION_CHARS or term[-1] in _FUNCTION_CHARS):
        return False
    if cjk == len(term) and any(term.endswith(s) and len(term) - len(s) < 1 for s in _STOP_TERMS):
        return False
    return not term.isdigit()
