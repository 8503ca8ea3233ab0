"""Text normalisation and tokens for comparing statements.

Two statements of the same claim differ in superficial ways: full-width versus
half-width characters, case, traditional versus simplified Chinese, spacing.
:func:`normalise` folds those away; :func:`tokens` then cuts the text into the
units that are compared: character bigrams for runs of CJK characters (Chinese
has no spaces, and bigrams are the usual robust unit for it) and words for
Latin text, with a few English function words left out so that two unrelated
English sentences do not look alike just because both say "the" and "of".
"""

from __future__ import annotations

import re
import unicodedata

from workbench.simplified import to_simplified

# Function words that carry no claim; kept short on purpose: content words
# such as "not" or "million" change what a statement says and stay in.
_EN_STOPWORDS = frozenset(
    "a an the of to in on at by for from and or is are was were be been has have had "
    "it its this that with as which who their there".split()
)

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# CJK runs, or runs of other letters/digits (with decimal/thousands marks).
_TOKEN_RE = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+(?:[.,][0-9]+)*")
_DIGIT_RE = re.compile(r"[0-9]")


def fold_chinese(text: str) -> str:
    """Map traditional characters to their simplified forms (OpenCC's table, one to one)."""
    return to_simplified(text)


def normalise(text: str) -> str:
    """Fold width (NFKC), case and script variants; collapse whitespace."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(fold_chinese(text).split())


def tokens(text: str) -> list[str]:
    """Comparable units of *text*: CJK character bigrams and Latin words.

    The text is normalised first. A CJK run of one character is kept as a
    unigram. Digits are never part of a CJK run (``170万辆`` gives ``170``,
    ``万辆``), so numbers compare alike in both scripts.
    """
    out: list[str] = []
    for run in _TOKEN_RE.findall(normalise(text)):
        if run[0] in _CJK_CHARS:
            if len(run) == 1:
                out.append(run)
            else:
                out.extend([run[i : i + 2] for i in range(len(run) - 1)])
        elif run not in _EN_STOPWORDS:
            out.append(run)
    return out


class _CharRange:
    """Membership test for the CJK ranges (faster than a regex per token)."""

    def __contains__(self, ch: str) -> bool:
        return (
            "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"
        )


_CJK_CHARS = _CharRange()


def has_digit(token: str) -> bool:
    """True for tokens that carry a number (``170``, ``1.7``, ``2024``).

    Statements that differ only in such tokens say the same thing about a
    different figure or date: the other tokens are their context.
    """
    return _DIGIT_RE.search(token) is not None
