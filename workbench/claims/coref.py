"""Light coreference: "the company", 该公司, 其 -> the organisation they stand for.

Reports often name a company once and then say "the company", "the carmaker",
该公司 or start a sentence with 公司/其. Without help such a statement mentions
no one, and the linker (and the claimant finder: "the company said") cannot
tell who it is about. This module resolves those phrases, within one article,
to an organisation the gazetteer knows, and only when the answer is not in
doubt; otherwise it says nothing.

The rule, and why:

* **Anaphors.** Definite descriptions ("the company", "the carmaker", "the
  automaker", "the firm", "the EV maker", 该公司, 该车企, 该企业, 这家公司) are
  anaphoric wherever they stand. The bare Chinese forms 公司 and 其 are
  anaphoric only at the start of a statement (公司表示, 其CEO): elsewhere they
  are words (有限公司, 其中, 尤其). "the company that ..." and "the company of"
  introduce someone new and are skipped.
* **Antecedents.** The organisations named earlier in the same statement, or
  else in the nearest of the two statements before it that names one.
  Exactly one of them: that one. Several: the article's main organisation when
  it is among them. None nearby: the main organisation, when the article has one.
* **Main organisation.** The organisation mentioned most in the article, at
  least twice and at least twice as often as the next one. Articles about
  several carmakers have none, so their anaphors resolve only from context.

Each :class:`Resolution` carries a reason a reviewer can check ("the company =
Tesla, from the previous sentence"). The API is pure: offsets are offsets
into the article's text, like every other annotation.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from workbench.model import EntityMention

__all__ = ["Resolution", "find_anaphors", "main_organisation", "resolve", "resolutions_in"]

# Definite descriptions that stand for an organisation named before ("the Shenzhen-based carmaker" too:
# a place before -based only says where it is).
_EN_ANAPHOR = re.compile(
    r"(?<![A-Za-z])the\s+(?:[\w-]+-based\s+)?(?:company|carmaker|car\s?maker|automaker|auto\s?maker|firm|EV\s?maker"
    r"|electric[- ](?:car|vehicle)\s?maker)(?![A-Za-z])(?!\s+(?:that|of|which|whose|who)\b)",
    re.IGNORECASE,
)
_ZH_ANAPHOR = re.compile(r"该公司|該公司|该车企|該車企|该企业|該企業|这家公司|這家公司|这家车企|這家車企")
# At a statement start only: elsewhere these are parts of words.
_ZH_INITIAL = re.compile(r"(?:公司|其)(?!中|他|它|实|實|余|餘|次|后|後|间|間|一|二|三|实|乐|樂)")
# What may come before a statement-initial anaphor: spaces, quotes, list marks.
_LEAD = " \t\u3000\"'“‘「『(（[【-—*·•"
# How far back (in statements) an antecedent is searched before falling back
# to the main organisation.
LOOKBACK = 2


@dataclass(frozen=True)
class Resolution:
    """One anaphor resolved: ``text[start:end]`` stands for ``entity_id``."""

    start: int
    end: int
    surface: str  # the anaphor as written ("the company", "该公司")
    entity_id: int
    antecedent: str  # the organisation as named in the article ("Tesla", "特斯拉")
    reason: str  # "the company = Tesla, from the previous sentence"

    def as_mention(self) -> EntityMention:
        """The resolution as an entity mention of its statement (with its reason)."""
        return EntityMention(self.entity_id, self.surface, self.start, self.end, reason=self.reason)


def find_anaphors(text: str, sentences: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of the anaphors in ``text``, in order; ``sentences`` are (start, end) spans."""
    found = [m.span() for m in _EN_ANAPHOR.finditer(text)]
    found += [m.span() for m in _ZH_ANAPHOR.finditer(text)]
    for start, end in sentences:
        pos = start
        while pos < end and text[pos] in _LEAD:
            pos += 1
        match = _ZH_INITIAL.match(text, pos, end)
        if match and not any(s <= match.start() < e for s, e in found):
            found.append(match.span())
    return sorted(found)


def main_organisation(mentions: Sequence[EntityMention], organisations: Collection[int]) -> int | None:
    """The article's dominant organisation, or None when no one dominates."""
    counts = Counter(m.entity_id for m in mentions if m.entity_id in organisations and m.reason is None)
    if not counts:
        return None
    (top, n), *rest = counts.most_common(2) + [(None, 0)]
    runner_up = rest[0][1]
    return top if n >= 2 and n >= 2 * runner_up else None


def resolve(
    text: str,
    sentences: Sequence[tuple[int, int]],
    mentions: Sequence[EntityMention],
    organisations: Collection[int],
) -> list[Resolution]:
    """Resolve every anaphor of one article that can be resolved without doubt.

    ``text`` is the article's clean text, ``sentences`` its statements as
    ``(start, end)`` spans in order, ``mentions`` the entity mentions found in
    it (any order, offsets into ``text``), ``organisations`` the ids of the
    entities that are organisations. Resolutions come back in text order.
    """
    anaphors = find_anaphors(text, sentences)
    if not anaphors:
        return []
    orgs = sorted((m for m in mentions if m.entity_id in organisations and m.reason is None), key=lambda m: m.start)
    if not orgs:
        return []
    main = main_organisation(orgs, organisations)
    main_name = next((m.surface for m in orgs if m.entity_id == main), None)
    starts = [s for s, _ in sentences]
    out = []
    for start, end in anaphors:
        index = _sentence_of(starts, sentences, start)
        if index is None:
            continue
        surface = text[start:end]
        found = _antecedents(orgs, sentences, index, start)
        if found is not None:
            where, candidates = found
            ids = list(dict.fromkeys(m.entity_id for m in candidates))
            if len(ids) == 1:
                chosen = ids[0]
                name = next(m.surface for m in reversed(candidates) if m.entity_id == chosen)
                reason = f"{_quote(surface)} = {name}, from {where}"
            elif main is not None and main in ids:
                chosen, name = main, main_name
                reason = f"{_quote(surface)} = {name}, the article's main organisation (named in {where})"
            else:
                continue
        elif main is not None:
            chosen, name = main, main_name
            reason = f"{_quote(surface)} = {name}, the article's main organisation"
        else:
            continue
        out.append(Resolution(start, end, surface, chosen, name, reason))
    return out


def resolutions_in(resolutions: Sequence[Resolution], start: int, end: int) -> list[Resolution]:
    """The resolutions inside ``[start, end)`` (one statement's span)."""
    return [r for r in resolutions if start <= r.start and r.end <= end]


def _quote(surface: str) -> str:
    # Lower-case the English article so the reason reads the same at a sentence start.
    return ("the" + surface[3:]) if surface[:3].lower() == "the" else surface


def _sentence_of(starts: list[int], sentences: Sequence[tuple[int, int]], pos: int) -> int | None:
    import bisect

    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and pos < sentences[i][1]:
        return i
    return None


def _antecedents(orgs: list[EntityMention], sentences: Sequence[tuple[int, int]], index: int,
                 pos: int) -> tuple[str, list[EntityMention]] | None:
    """Where the nearest organisations before ``pos`` were named, and which ones."""
    sentence_start = sentences[index][0]
    here = [m for m in orgs if sentence_start <= m.start and m.end <= pos]
    if here:
        return "this sentence", here
    for back in range(1, LOOKBACK + 1):
        if index - back < 0:
            break
        s, e = sentences[index - back]
        named = [m for m in orgs if s <= m.start and m.end <= e]
        if named:
            return ("the previous sentence" if back == 1 else f"{back} sentences before"), named
    return None
