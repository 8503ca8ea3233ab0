"""Split clean article text into statements (sentence-like spans).

Chinese and English share one pass. A statement ends at a line break or at a
terminator (``。！？；`` always; ``! ? . … ……`` when what follows looks like
a new sentence), and never:

* inside a decimal, a URL, an e-mail address or ``Ph.D.``-style tokens;
* after a known abbreviation (``Mr.``, ``U.S.``, ``p.m.``, ``No. 5``) unless the
  next word is a common sentence opener (``I live in the U.S. How about you?``);
* after a list number or letter (``1. The first item 2. The second item``);
* inside quotes and brackets (``他说：“好。”`` is one statement), where a
  quote only counts if it closes on the same line within ``QUOTE_REACH``
  characters, so one stray quote cannot swallow the rest of an article.

Closing quotes and brackets right after a terminator, and footnote marks such
as ``[7]``, belong to the statement they close.

The work is linear in the length of the text: candidate characters are found
with simple character-class regexes (no backtracking), every look-around is
capped at a fixed number of characters, and the quote stack has a fixed depth.

Statement boundaries are offsets into the text itself, never into a copy, so
``text[span.start:span.end]`` is the statement with its surrounding whitespace
excluded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Span", "segment", "QUOTE_REACH"]

# A quote or bracket that does not close within this many characters (or on
# the same line) is treated as stray punctuation rather than an enclosure.
QUOTE_REACH = 400

# How far back/forward we look for the word around a full stop. Words longer
# than this are never abbreviations, so the cap loses nothing and keeps the
# scan linear on pathological input (a 50 MB line without spaces).
_WORD_REACH = 40
_TOKEN_REACH = 200
_STACK_DEPTH = 32


@dataclass(frozen=True, slots=True)
class Span:
    """One statement: ``text[start:end]``, in paragraph ``paragraph`` (0-based)."""

    start: int
    end: int
    paragraph: int


# --- character classes -----------------------------------------------------

_STRONG_TERMINATORS = frozenset("。！？；｡")  # always end a statement
_WEAK_TERMINATORS = frozenset(".!?…．")  # end one when the context agrees
_TERMINATORS = _STRONG_TERMINATORS | _WEAK_TERMINATORS
_PAIRS = {
    "(": ")",
    "[": "]",
    "{": "}",
    "（": "）",
    "［": "］",
    "【": "】",
    "「": "」",
    "『": "』",
    "《": "》",
    "〈": "〉",
    "“": "”",
    "‘": "’",
    "〔": "〕",
    "`": "'",  # ``So what?' in older typeset English
}
_CLOSERS = frozenset(_PAIRS.values()) | {'"', "'"}
_BRACKETS = frozenset("([{（［【〔")
_GROUPING = _TERMINATORS | {" "}
_OPENERS = frozenset(_PAIRS) | {'"', "'"}
# Quotes, brackets and terminators. A half-width stop or mark glued to a
# lower-case letter or digit ("a.com", "3.5", "Y!j") is never a terminator, so
# the pattern skips it: adversarial input such as "a.a.a.a..." costs nothing.
_MARK = re.compile(
    r"""[…．。！？；｡\n"'`()\[\]{}（）［］【】「」『』《》〈〉“”‘’〔〕]"""
    # Every alternative starts with a character class, so the engine can skip
    # ahead at C speed; the look-behinds are only tried on a candidate.
    r"""|[.!?](?:(?<=[0-9].)(?![0-9a-z_@/%\-])|(?<![0-9].)(?![a-z_@/%\-]))"""
)

_BULLETS = "•⁃▪‣◦·*-–"
# A list marker: "1.", "1.)", "1)", "a.", "a)" (optionally after a bullet),
# at the start of the text or after whitespace, followed by a space.
_LIST_MARKER = re.compile(r"(?:(?<=\s)|^)[•⁃▪‣◦*]?\s?(\d{1,2}|[a-zA-Z])(\.\)|\.|\))(?= )")

_FOOTNOTES = re.compile(r"(?:\[\d{1,3}\])+")
_FOOTNOTE_NUMBERS = re.compile(r"\d{1,2}(?: \d{1,2}){0,3}(?= [A-Z])")

# Titles written before a name: never end a sentence.
_PREPOSITIVE = frozenset(
    """mr mrs ms mssrs messrs dr prof st mt sen rep gen gov rev capt lt col sgt hon
    pres supt adm brig cmdr cpl maj mme mlle fr sr jr""".split()
)
# Abbreviations that are followed by a number ("No. 5", "p. 55", "Jan. 20").
_NUMERIC = frozenset(
    """no nos nr p pp fig figs vol vols ch chap art sec sect para tab eq eqs
    jan feb mar apr jun jul aug sep sept oct nov dec rs op ed approx ca""".split()
)
# Other abbreviations: end a sentence only before a sentence opener.
_ABBREVIATIONS = _PREPOSITIVE | _NUMERIC | frozenset(
    """co corp inc ltd llc plc bros dept univ assn est etc al vs viz cf eg ie
    btw med fe min max avg ft mi km kg lb lbs oz yr yrs hr hrs mo mon tue wed thu
    fri sat sun ave blvd rd hwy mass calif wash ind""".split()
)
_AM_PM = frozenset({"a.m", "p.m"})
# Words that often open a sentence: after an ambiguous abbreviation ("U.S.",
# "co.", an initial) a capitalised word from this list starts a new one.
_OPENERS_WORDS = frozenset(
    """A After Also Although An And Are As At Being But By Can Could Did Do Does
    During Each Every For From He Her Here His How However I If In Is It Its Let
    Many Meanwhile Millions More Most My No Now On One Our Please She So Some
    That The Their Then There These They This Those Thus To Today We Were What
    When Where Which While Who Why Will With Would Yet You Your""".split()
)


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x3040 <= o <= 0x30FF
        or 0xAC00 <= o <= 0xD7AF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x2FFFF
    )


# --- public API --------------------------------------------------------------


def segment(text: str) -> list[Span]:
    """Split ``text`` into statements, in order, without overlap.

    Every non-whitespace character of ``text`` lies in exactly one returned
    span; spans never start or end with whitespace. ``paragraph`` counts
    blocks separated by blank lines, or lines when the text has no blank line.
    """
    spans: list[Span] = []
    blank_mode = re.search(r"\n[^\S\n]*\n", text) is not None
    paragraph = -1
    previous_blank = True
    line_start = 0
    n = len(text)
    while line_start <= n:
        line_end = text.find("\n", line_start)
        if line_end < 0:
            line_end = n
        first = _first_non_space(text, line_start, line_end)
        if first is None:
            previous_blank = True
        else:
            if previous_blank or not blank_mode:
                paragraph += 1
            previous_blank = False
            cuts = _line_boundaries(text, first, line_end)
            piece_start = first
            for cut in cuts + [line_end]:
                span = _strip(text, piece_start, cut, paragraph)
                if span is not None:
                    spans.append(span)
                piece_start = cut
        line_start = line_end + 1
    return spans


# --- helpers -------------------------------------------------------------------


_NON_SPACE = re.compile(r"\S")


def _first_non_space(text: str, start: int, end: int) -> int | None:
    m = _NON_SPACE.search(text, start, end)
    return m.start() if m else None


def _strip(text: str, start: int, end: int, paragraph: int) -> Span | None:
    first = _first_non_space(text, start, end)
    if first is None:
        return None
    last = end
    while text[last - 1].isspace():
        last -= 1
    return Span(first, last, paragraph)


def _enclosures(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], set[int], list[int]]:
    """Pair quotes and brackets on one line.

    Returns the outermost enclosures as sorted, disjoint ``(open, close)``
    pairs, the positions of every closing mark that closed something, and the
    positions of terminator candidates (collected in the same pass).
    """
    stack: list[tuple[str, int]] = []  # (expected closer, position)
    pairs: list[tuple[int, int]] = []
    closes: set[int] = set()
    terminators: list[int] = []
    for m in _MARK.finditer(text, start, end):
        ch = m.group()
        pos = m.start()
        if ch in _TERMINATORS:
            terminators.append(pos)
            continue
        before = text[pos - 1] if pos > start else " "
        after = text[pos + 1] if pos + 1 < end else " "
        if ch == '"':
            # A straight double quote closes an open one, else opens.
            role = "close" if _find_open(stack, '"', pos) >= 0 else "open"
        elif ch in "'’":
            # Apostrophes (isn't, one’s, 'nineties) are neither; a quote opens
            # after a non-word character and closes before one.
            can_close = not before.isspace() and not after.isalnum()
            if can_close and _find_open(stack, ch, pos) >= 0:
                role = "close"
            elif ch == "'" and not before.isalnum() and not after.isspace():
                role = "open"
            else:
                continue
        elif ch in _PAIRS:
            role = "open"
        else:
            role = "close"
        if role == "open":
            closer = _PAIRS.get(ch, ch)
            stack.append((closer, pos))
            if len(stack) > _STACK_DEPTH:
                del stack[0]
            continue
        k = _find_open(stack, ch, pos)  # ’ closes ‘, ' closes ' and `
        if k < 0:
            continue
        opened = stack[k][1]
        del stack[k:]
        closes.add(pos)
        # Enclosures nested inside this one are now covered by it.
        while pairs and pairs[-1][0] > opened:
            pairs.pop()
        pairs.append((opened, pos))
    return pairs, closes, terminators


def _find_open(stack: list[tuple[str, int]], closer: str, pos: int) -> int:
    """Index of the innermost open mark expecting ``closer`` within reach, or -1."""
    for k in range(len(stack) - 1, -1, -1):
        expected, opened = stack[k]
        if pos - opened > QUOTE_REACH:
            return -1  # everything further down is older still
        if expected == closer:
            return k
    return -1


def _line_boundaries(text: str, start: int, end: int) -> list[int]:
    """Offsets inside ``text[start:end]`` (one line) where a new statement begins."""
    pairs, closes, terminators = _enclosures(text, start, end)
    markers = _list_markers(text, start, end)
    cuts: list[int] = []
    pair_index = 0
    consumed = start  # terminators before this were part of an earlier group
    statement_start = start
    last_marker: tuple[str, int] | None = None
    marker_index = 0
    marker_dots: set[int] = set()

    # List markers are resolved in order with the terminators so that "the
    # start of a statement" is known when a marker is seen.
    if markers:
        events = sorted([(pos, 0) for pos in terminators] + [(m[0], 1) for m in markers])
    else:
        events = [(pos, 0) for pos in terminators]
    n_pairs = len(pairs)
    for pos, kind in events:
        if kind == 1:
            marker_start, dot, label = markers[marker_index]
            marker_index += 1
            label_kind, label_value = label
            at_start = marker_start == statement_start
            continues = (
                last_marker is not None
                and last_marker[0] == label_kind
                and label_value == last_marker[1] + 1
            )
            if at_start or continues:
                if dot is not None:
                    marker_dots.add(dot)
                if continues and not at_start and marker_start > statement_start:
                    cuts.append(marker_start)
                    statement_start = marker_start
                last_marker = (label_kind, label_value)
            continue
        if pos < consumed or pos in marker_dots:
            continue
        while pair_index < n_pairs and pairs[pair_index][1] < pos:
            pair_index += 1
        inside = pair_index < n_pairs and pairs[pair_index][0] < pos
        group_end = pos + 1 if pos + 1 == end or text[pos + 1] not in _GROUPING else _group_end(text, pos, end)
        consumed = group_end
        cut_at = group_end
        # Closing marks right after the terminator belong to the statement.
        while cut_at < end and (cut_at in closes or (not inside and text[cut_at] in _CLOSERS)):
            cut_at += 1
        if inside:
            if cut_at - 1 != pairs[pair_index][1]:
                continue  # a terminator inside quotes or brackets
            if text[pos - 1] in _OPENERS or (pos - 1 in closes and text[pos - 1] != '"'):
                continue  # an elision "[...]" or a bracket, not a sentence
        m = _FOOTNOTES.match(text, cut_at, end) if cut_at < end and text[cut_at] == "[" else None
        if m:
            cut_at = m.end()
        elif group_end == pos + 1 and text[pos] == "." and pos > start and (text[pos - 1].isalpha() or text[pos - 1] == ")"):
            # Footnote numbers glued to the stop: "... (type 2).10 This model".
            m = _FOOTNOTE_NUMBERS.match(text, cut_at, end)
            if m:
                cut_at = m.end()
        # A quote that opened mid-statement ("thought Alice, 'after ...!'")
        # ends it only before a capital letter; one that is the whole
        # statement ends it before anything that starts a new one.
        quoted_midway = inside and pairs[pair_index][0] > statement_start
        consumed = max(consumed, cut_at)
        if quoted_midway:
            if text[pairs[pair_index][0]] in _BRACKETS:
                continue  # "特斯拉（含Model 3。）销量上涨": a parenthesis never ends one
            nxt = _first_non_space(text, cut_at, end)
            if nxt is not None and not text[nxt].isupper() and not _is_cjk(text[nxt]):
                continue
        if text[pos] in _STRONG_TERMINATORS or _ends_statement(text, start, pos, group_end, cut_at, end):
            if cut_at < end and not text[cut_at].isspace():
                nxt = cut_at
            else:
                nxt = _first_non_space(text, cut_at, end)
            if nxt is not None:
                cuts.append(cut_at)
                statement_start = nxt
    return cuts


def _list_markers(text: str, start: int, end: int) -> list[tuple[int, int | None, tuple[str, int]]]:
    """Candidate list markers on a line: (start, position of its dot or None, label)."""
    found = []
    for m in _LIST_MARKER.finditer(text, start, end):
        label = m.group(1)
        if label.isdigit():
            key = ("digit", int(label))
        elif label.islower():
            key = ("lower", ord(label))
        else:
            key = ("upper", ord(label))
        dot = m.start(2) if m.group(2).startswith(".") else None
        marker_start = m.start() if not text[m.start()].isspace() else m.start() + 1
        found.append((marker_start, dot, key))
    return found


def _group_end(text: str, pos: int, end: int) -> int:
    """End of the run of terminators starting at ``pos`` ("?!", "...", ". . .")."""
    i = pos + 1
    while i < end:
        ch = text[i]
        if ch in _TERMINATORS:
            i += 1
        elif ch == " " and i + 1 < end and text[i + 1] in _WEAK_TERMINATORS and text[i + 1] == text[i - 1]:
            i += 2  # spaced ellipsis ". . ." or "! ! !"
        else:
            break
    return i


def _ends_statement(text: str, line_start: int, pos: int, group_end: int, cut_at: int, end: int) -> bool:
    """Decide whether the terminator run ``text[pos:group_end]`` ends a statement."""
    group = text[pos:group_end]
    if any(ch in _STRONG_TERMINATORS for ch in group):
        return True
    if group == "……" or (len(group) >= 2 and "…" in group and _is_cjk_near(text, pos, group_end, end)):
        return True
    nxt_pos = _first_non_space(text, cut_at, end)
    if nxt_pos is None:
        return True
    nxt = text[nxt_pos]
    spaced = nxt_pos > cut_at
    prev = text[pos - 1] if pos > line_start else " "

    if _is_cjk(nxt) or (_is_cjk(prev) and not spaced):
        # Chinese context: a half-width stop is still a stop, unless it sits
        # between digits (2024.4.29, 3.5).
        return not (group == "." and prev.isdigit() and nxt.isdigit())

    if group in ("!", "?") or (len(group) > 1 and set(group) <= set("!?")):
        if not spaced:
            return False  # Yahoo!J, Y!J
        return _looks_like_new_sentence(text, nxt_pos, end)

    if group != "." and group != "．":
        # An ellipsis or mixed run: a new sentence only if one visibly begins.
        if not spaced and group != "．":
            return False  # "what I mean...see"
        if group == ". . .":
            return False  # an elision inside a sentence; ". . . ." ends one
        return nxt.isupper() or nxt in _OPENERS or group == "．"

    # A single full stop.
    if not spaced:
        return _unspaced_stop(text, line_start, pos, end)
    if prev in "°º":
        return False  # the numero sign: "N°. 1026"
    if prev.isdigit() and nxt.isdigit():
        return True  # "I have 600. 700 more" (decimals never get here: they are unspaced)
    if nxt.islower() or nxt in ",;:%)]}":
        return False
    word = _word_before(text, line_start, pos)
    lower = word.lower()
    if nxt.isdigit():
        return lower not in _ABBREVIATIONS and not (len(word) == 1 and word.isalpha())
    if not (nxt.isupper() or nxt in _OPENERS or nxt in "-–—" or not nxt.isalnum()):
        return True
    next_word = _word_after(text, nxt_pos, end)
    if not word:
        return True
    if lower in _AM_PM:
        return nxt.isupper()
    if "." in word and max(len(part) for part in word.split(".")) > 3:
        # Not an abbreviation like U.S or Ph.D but joined words: "example.com",
        # "Tuesday.Mr" (an unspaced sentence end); only the last part counts.
        word = word.rsplit(".", 1)[1]
        lower = word.lower()
    if "." in word or (len(word) == 1 and word.isupper()):
        # U.S., J.C., e.g., an initial: only before a typical sentence opener.
        return next_word in _OPENERS_WORDS
    if lower in _PREPOSITIVE or lower in _NUMERIC:
        return False
    if lower in _ABBREVIATIONS:
        return next_word in _OPENERS_WORDS
    if len(word) == 1:
        # A lone lower-case letter is a variable ("contain v. If S") or a
        # list letter, which _list_markers handles.
        return False
    return True


def _is_cjk_near(text: str, pos: int, group_end: int, end: int) -> bool:
    return (pos > 0 and _is_cjk(text[pos - 1])) or (group_end < end and _is_cjk(text[group_end]))


def _looks_like_new_sentence(text: str, nxt_pos: int, end: int) -> bool:
    """After ``!``/``?``: a new sentence starts unless lower case or a comma follows."""
    i = nxt_pos
    limit = min(end, nxt_pos + 8)
    # Skip a dash aside ("-- voila! -- you") to the word behind it.
    while i < limit and text[i] in "-–— ":
        i += 1
    ch = text[i] if i < end else " "
    if ch.islower() or text[nxt_pos] in ",;:":
        return False
    return True


def _unspaced_stop(text: str, line_start: int, pos: int, end: int) -> bool:
    """A full stop with no space after it: 'world.Today' ends, 'a.com' does not."""
    if pos + 2 >= end:
        return False
    prev, nxt, after = text[pos - 1] if pos > line_start else " ", text[pos + 1], text[pos + 2]
    if not (nxt.isupper() and after.islower() and (prev.islower() or prev.isdigit())):
        return False
    token_start = max(line_start, pos - _TOKEN_REACH)
    k = pos - 1
    while k >= token_start and not text[k].isspace():
        k -= 1
    token_end = min(end, pos + _TOKEN_REACH)
    j = pos + 1
    while j < token_end and not text[j].isspace():
        j += 1
    token = text[k + 1 : j]
    if "@" in token or "/" in token or token.lower().startswith("www"):
        return False
    word = _word_before(text, line_start, pos)
    if prev.isdigit():
        return True  # "bought 1,000.That is a lot"
    return len(word) >= 2 and "." not in word and word.lower() not in _ABBREVIATIONS


def _word_before(text: str, line_start: int, pos: int) -> str:
    """The letters (and inner dots, as in U.S or e.g) right before ``pos``."""
    k = pos
    limit = max(line_start, pos - _WORD_REACH)
    while k > limit and (text[k - 1].isalpha() or (text[k - 1] == "." and k - 2 >= limit and text[k - 2].isalpha())):
        k -= 1
    word = text[k:pos]
    if k > line_start and (text[k - 1].isdigit() or text[k - 1] == "'"):
        # "x10.", "5th", "'nineties" are not abbreviations.
        return "" if text[k - 1].isdigit() else word
    return word


def _word_after(text: str, pos: int, end: int) -> str:
    j = pos
    limit = min(end, pos + _WORD_REACH)
    while j < limit and text[j].isalpha():
        j += 1
    return text[pos:j]
