"""Linking: statements of different articles -> scored links with reasons.

Pure: the store/pipeline hands in :class:`LinkItem` records and stores the
:class:`Link` records that come back. Candidates are found by blocking on
entities, dates, numbers and rare words (:mod:`.blocking`), scored by one
scorer (:func:`score_pair`) and cut to the best few per claim.
"""

from .index import LinkIndex, brute_force, merge_links, select_top
from .normalise import normalise, tokens
from .records import DUPLICATE_REASON, RELATIONS, Link, LinkConfig, LinkItem, LinkRules
from .scoring import EntityKinds, ScoreContext, StoryView, score_pair
from .stories import ArticleProfile, Relatedness, StoryRules, assign_stories

__all__ = [
    "ArticleProfile",
    "EntityKinds",
    "Relatedness",
    "StoryRules",
    "StoryView",
    "assign_stories",
    "DUPLICATE_REASON",
    "RELATIONS",
    "Link",
    "LinkConfig",
    "LinkIndex",
    "LinkItem",
    "LinkRules",
    "ScoreContext",
    "brute_force",
    "merge_links",
    "normalise",
    "score_pair",
    "select_top",
    "tokens",
]
