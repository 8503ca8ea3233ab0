"""SEO fragment injection: pieces of the title cut up and pushed into the body's sentences.

Scraper farms "rewrite" a copied article by cutting its title into two- to
four-character pieces and inserting them into body sentences, in title order,
where they break the sentence (seed 000: title 布林肯前脚刚走,马斯克随即访华,…;
body "2024年4月26日,布林布林肯二次访华结束,肯前此次访华…的脚刚目的,26日下午,走马…").
The pieces end up in claims, entities and links; no boilerplate remover
handles them, because each piece is a real substring of real text.

The signature used here is the *order*: in one paragraph, three or more
short pieces of the title, each separated from the next by other text, spell
a stretch of the title in order (a piece may skip up to three title
characters, and the title may wrap round). Pieces glued to such a piece
(走马 + 中方 + 转移) go with it. To be conservative:

* only Chinese titles, pieces of 2-4 Han characters; a longer stretch of the
  title in the body is a quotation and is left alone (it also breaks chains);
* pieces separated only by punctuation are one quotation, never a chain;
* a chain needs two pieces that are not words of the article (a word recurs:
  转移, 汽车, 数据 are used four times or more; 肯前, 脚刚 only where pushed in);
* the article must show the pattern at least twice (two chains, eight pieces
  in all): a title word used naturally, even three in title order once, is
  not spam.

Each removed piece is returned with its offset in the text it was removed
from, so ``article --removed`` shows where it was and ``--raw`` keeps the bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PUNCT_GAP = re.compile(r"^[\s\W_]*$")
MIN_CHAIN = 3  # pieces in one chain
MIN_TITLE_CHARS = 6  # title characters a chain spells
MIN_CHAINS = 2  # chains in the article
MIN_PIECES = 8  # pieces in the article
MAX_SKIP = 3  # title characters a piece may skip after the previous one
MAX_PIECE = 4
MIN_BROKEN = 2  # members of a chain that are not words of the article (and, for one chain, cut a word)
MIN_CUT_USES = 3  # a title bigram used this often in the article is inside a word
MAX_WORD_USES = 4  # a piece used this often in the article is one of its words
_WINDOW = 16
_MAX_GAP = 80


@dataclass(frozen=True)
class Piece:
    start: int  # offset in the paragraph
    end: int
    title_positions: tuple[int, ...]


def find_injected(title: str | None, text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that are injected title fragments (empty when the pattern is not there)."""
    core = "".join(_HAN.findall(title or ""))
    if len(core) < MIN_TITLE_CHARS + 4:  # a title too short to be cut up
        return []
    positions: dict[str, list[int]] = {}
    for length in range(2, MAX_PIECE + 1):
        for i in range(len(core) - length + 1):
            positions.setdefault(core[i:i + length], []).append(i)
    substrings = _title_substrings(core)
    counts: dict[str, int] = {}

    def uses(piece: str) -> int:
        if piece not in counts:
            counts[piece] = text.count(piece)
        return counts[piece]

    def cuts_a_word(piece: Piece, paragraph: str) -> bool:
        # 肯前 starts inside 布林肯: the title bigram it cuts (林肯) is used across the article
        length = piece.end - piece.start
        for p in piece.title_positions:
            if p > 0 and uses(core[p - 1:p + 1]) >= MIN_CUT_USES:
                return True
            if p + length < len(core) and uses(core[p + length - 1:p + length + 1]) >= MIN_CUT_USES:
                return True
        return False

    found_by_paragraph = []
    chains: list[tuple[int, list[int], bool]] = []  # (paragraph, members, strong)
    for number, paragraph in enumerate(text.split("\n")):
        found = _pieces(paragraph, core, positions, substrings)
        found_by_paragraph.append((paragraph, found))
        weights = [1 if uses(paragraph[f.start:f.end]) < MAX_WORD_USES else 0 for f in found]
        for members in _chains(found, paragraph, len(core), weights):
            texts = [paragraph[found[m].start:found[m].end] for m in members]
            if sum(len(t) for t in texts) < MIN_TITLE_CHARS:
                continue
            # Title words used in prose (转移 … 汽车 … 数据) recur across the article;
            # cut pieces (肯前, 脚刚, 走马) occur only where they were pushed in.
            if sum(1 for t in texts if uses(t) < MAX_WORD_USES) < MIN_BROKEN:
                continue
            chains.append((number, members, False))
    chains = _trim_natural_ends(chains, found_by_paragraph, _clause_ends(title or ""))
    chains = [(number, members, sum(1 for m in members if cuts_a_word(found[m], paragraph)) >= MIN_BROKEN)
              for number, members, _ in chains
              for paragraph, found in [found_by_paragraph[number]]
              if _still_a_chain([paragraph[found[m].start:found[m].end] for m in members], uses)]
    if not any(strong for _, _, strong in chains) or len(chains) < MIN_CHAINS:
        return []
    flagged: dict[int, set[int]] = {}
    for number, members, _ in chains:
        flagged.setdefault(number, set()).update(members)
    spans: list[tuple[int, int]] = []
    offset = 0
    for number, (paragraph, found) in enumerate(found_by_paragraph):
        marked = _glue(found, flagged.get(number, set()))
        spans.extend((offset + found[i].start, offset + found[i].end) for i in sorted(marked))
        offset += len(paragraph) + 1
    if len(spans) < MIN_PIECES:
        return []
    return _merge(spans)


def _clause_ends(title: str) -> set[int]:
    """Positions in the title's Han core where a clause of the title ends (punctuation or the end)."""
    ends, han = set(), 0
    for char in title:
        if _HAN.match(char):
            han += 1
        elif han and _PUNCT_GAP.match(char) and not char.isspace():
            ends.add(han)
    ends.add(han)
    return ends


def _still_a_chain(texts: list[str], uses) -> bool:
    return (len(texts) >= MIN_CHAIN and sum(len(t) for t in texts) >= MIN_TITLE_CHARS
            and sum(1 for t in texts if uses(t) < MAX_WORD_USES) >= MIN_BROKEN)


def _trim_natural_ends(chains, found_by_paragraph, clause_ends: set[int]):
    """Drop a chain's last piece when nothing but the title order speaks for it.

    A chain is evidence where its pieces break the text. Its last piece has the
    order on one side only, so a natural title phrase that merely comes next in
    the title gets taken in (e1: 航突破 … 达到一千公里; 迪发 … 搭载新电池的). The last
    piece is read as prose, and leaves the chain, when

    * it ends a clause of the body where the title's clause ends (…一千公里, in
      a title …一千公里,宁德…): it breaks nothing on its right; or
    * it also stands alone elsewhere as a whole piece, outside every chain and
      touching none (新电池已经通过…): it is a word the article uses on its own.

    Inner pieces are left alone: there the order on both sides vouches for them.
    """
    flagged = {(number, m) for number, members, _ in chains for m in members}

    def stands_alone_elsewhere(number: int, index: int) -> bool:
        paragraph, found = found_by_paragraph[number]
        text = paragraph[found[index].start:found[index].end]
        for n, (other_paragraph, other) in enumerate(found_by_paragraph):
            for k, piece in enumerate(other):
                if (n, k) in flagged or other_paragraph[piece.start:piece.end] != text:
                    continue
                touching = any((n, j) in flagged and (other[j].end == piece.start or piece.end == other[j].start)
                               for j in (k - 1, k + 1) if 0 <= j < len(other))
                if not touching:
                    return True
        return False

    out = []
    for number, members, strong in chains:
        members = list(members)
        last = members[-1]
        paragraph, found = found_by_paragraph[number]
        piece = found[last]
        ends_clause = (piece.end == len(paragraph) or _PUNCT_GAP.match(paragraph[piece.end])) and any(
            p + piece.end - piece.start in clause_ends for p in piece.title_positions)
        if ends_clause or stands_alone_elsewhere(number, last):
            members.pop()
        out.append((number, members, strong))
    return out


def _title_substrings(core: str) -> set[str]:
    # Bounded: a title is short (at most a few hundred characters).
    return {core[i:j] for i in range(len(core)) for j in range(i + 2, min(len(core), i + 60) + 1)}


def _pieces(paragraph: str, core: str, positions: dict[str, list[int]], substrings: set[str]) -> list[Piece]:
    out: list[Piece] = []
    i, n = 0, len(paragraph)
    while i < n - 1:
        if paragraph[i:i + 2] not in positions:
            i += 1
            continue
        length = 2
        while i + length < n and paragraph[i:i + length + 1] in substrings:
            length += 1
        if length <= MAX_PIECE:
            out.append(Piece(i, i + length, tuple(positions[paragraph[i:i + length]])))
        i += length  # a longer stretch is a quotation: skipped whole
    return out


def _follows(previous: int, prev_len: int, position: int, size: int) -> bool:
    end = previous + prev_len
    return end <= position <= end + MAX_SKIP or (position <= MAX_SKIP - 1 and end >= size - 2 * MAX_SKIP - 2)


def _chains(found: list[Piece], paragraph: str, size: int, weights: list[int]) -> list[list[int]]:
    """Title-ordered chains of pieces (indices), most non-word pieces first, no piece in two.

    ``weights`` is 1 for a piece that is not a word of the article, else 0: a chain
    is chosen for its cut pieces, with words of the title only linking them.

    One pass of dynamic programming over the pieces, each linked only to the few
    before it (``_WINDOW`` pieces, ``_MAX_GAP`` characters): linear in the paragraph.
    """
    best: dict[tuple[int, int], tuple[tuple[int, int], tuple[int, int] | None]] = {}
    for j, b in enumerate(found):
        for q in b.title_positions:
            score, back = (weights[j], 1), None
            for i in range(max(0, j - _WINDOW), j):
                a = found[i]
                if a.end >= b.start or b.start - a.end > _MAX_GAP or _PUNCT_GAP.match(paragraph[a.end:b.start]):
                    continue  # adjacent, far, or only punctuation between: not a chain link
                for p in a.title_positions:
                    previous = best.get((i, p))
                    if previous and _follows(p, a.end - a.start, q, size):
                        candidate = (previous[0][0] + weights[j], previous[0][1] + 1)
                        if candidate > score:
                            score, back = candidate, (i, p)
            best[(j, q)] = (score, back)
    used: set[int] = set()
    chains = []
    ranked = sorted((k for k, v in best.items() if v[0][1] >= MIN_CHAIN and v[0][0] >= MIN_BROKEN),
                    key=lambda k: (-best[k][0][0], -best[k][0][1], k))
    for key in ranked:
        members, walk = [], key
        while walk is not None:
            members.append(walk[0])
            walk = best[walk][1]
        if any(m in used for m in members):
            continue
        used.update(members)
        chains.append(sorted(members))
    return chains


def _glue(found: list[Piece], flagged: set[int]) -> set[int]:
    """Pieces glued to a flagged one and further on in the title (走马中方转移: 中方, then 转移,
    follow 走马 with nothing between); a natural word touching a piece (布林 + 布林肯) is
    earlier in the title, or at the same place, and stays."""
    flagged = set(flagged)
    for i in range(1, len(found)):
        k = i - 1
        if k in flagged and i not in flagged and found[k].end == found[i].start and any(
                q >= p + found[k].end - found[k].start for p in found[k].title_positions for q in found[i].title_positions):
            flagged.add(i)
    return flagged


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def header_lines(text: str) -> list[str]:
    """Lines repeated word for word in ``text`` (a running header, a site banner), longest first.

    A farm that has no title to cut (or cuts another line) uses a line the page
    repeats; each is tried as the source with the same rules as the title.
    """
    counts: dict[str, int] = {}
    for line in text.split("\n"):
        line = line.strip()
        if len(_HAN.findall(line)) >= MIN_TITLE_CHARS + 4:
            counts[line] = counts.get(line, 0) + 1
    return sorted((line for line, n in counts.items() if n >= 2), key=lambda line: (-len(line), line))


def find_injected_any(title: str | None, text: str) -> list[tuple[int, int]]:
    """``find_injected`` with the title, else with the first repeated header line that shows the pattern."""
    spans = find_injected(title, text)
    if spans:
        return spans
    for line in header_lines(text)[:5]:  # bounded: a page has few repeated long lines
        if line != (title or "").strip():
            spans = find_injected(line, text)
            if spans:
                return spans
    return []


def remove_injected(title: str | None, text: str) -> tuple[str, list[tuple[int, str]]]:
    """``text`` without the injected fragments, and each fragment with its offset in ``text``."""
    spans = find_injected_any(title, text)
    if not spans:
        return text, []
    pieces, removed, last = [], [], 0
    for start, end in spans:
        pieces.append(text[last:start])
        removed.append((start, text[start:end]))
        last = end
    pieces.append(text[last:])
    return "".join(pieces), removed
