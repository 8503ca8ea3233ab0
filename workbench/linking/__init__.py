"""Linking: statements of different articles -> scored links with reasons.

Pure: the store/pipeline hands in :class:`LinkItem` records and stores the
:class:`Link` records that come back. Candidates are found by blocking on
entities, dates, numbers and rare words (:mod:`.blocking`), scored by one
scorer (:func:`score_pair`) and cut to the best few per claim.
"""

from .index import LinkIndex, brute_force, merge_links, select_top
from .normalise import normalise, tokens
from .records import DUPLICATE_REASON, RELATIONS, Link, LinkConfig, LinkItem
from .scoring import ScoreContext, score_pair

__all__ = [
    "DUPLICATE_REASON",
    "RELATIONS",
    "Link",
    "LinkConfig",
    "LinkIndex",
    "LinkItem",
    "ScoreContext",
    "brute_force",
    "merge_links",
    "normalise",
    "score_pair",
    "select_top",
    "tokens",
]
