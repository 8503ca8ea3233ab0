"""Stories: how related whole articles are, and which articles report one event or running topic.

Before statements are scored, each article gets a profile (its entities weighted by how often it
names them, actors above topic words, auto-discovered terms barely) and two articles' relatedness
is the cosine of their entity TF-IDF vectors, lowered softly by how far apart they were published
(never vetoed by it: a feature recalls a probe a year later). Copies of one article are related 1.

Articles are grouped into stories one at a time, in id order: an article joins the story of its
most related earlier article when that relatedness reaches ``join``, else it starts a story. So a
new article joins or starts a story without touching the others, and regrouping everything from
scratch gives the same stories as adding the articles one by one (the same order, the same
rules). Statement links are then searched mostly inside stories (see :mod:`.scoring`).

Pure: the store hands in :class:`ArticleProfile` records and stores the assignment.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class StoryRules:
    """Every threshold of the story stage, in one place (the benchmark can sweep them)."""

    # Relatedness at which an article joins an earlier article's story.
    join: float = 0.3
    # Weights of one mention by the entity's kind: actors say what an article is about, topic
    # words and places much less, terms discovered in the corpus least.
    actor_weight: float = 1.0
    topic_weight: float = 0.4
    place_weight: float = 0.4
    term_weight: float = 0.15
    # Publication distance: no effect within ``near_days``; beyond it relatedness is multiplied
    # by a factor falling to ``distant_floor`` at ``far_days`` (soft: never to zero).
    near_days: int = 45
    far_days: int = 400
    distant_floor: float = 0.6
    # An entity named by more articles than this does not propose story candidates on its own
    # (its articles are compared only through rarer shared entities): keeps grouping near-linear.
    max_postings: int = 200


@dataclass
class ArticleProfile:
    """What the story stage needs from one article."""

    article_id: int
    group_id: int  # duplicate group: copies of one article share it
    published: int | None  # ordinal day
    weights: dict[int, float] = field(default_factory=dict)  # entity id -> summed mention weight


def entity_kind_weight(kind: str, rules: StoryRules) -> float:
    """Weight of one mention of an entity of *kind* (``actor``, ``topic``, ``place`` or ``term``)."""
    return {"topic": rules.topic_weight, "place": rules.place_weight, "term": rules.term_weight}.get(
        kind, rules.actor_weight)


class Relatedness:
    """Article relatedness over a collection: TF-IDF cosine times a publication-distance factor.

    ``df`` counts the articles naming each entity, ``total`` the articles; vectors are computed
    once per article and pairs are cached, so scoring many statement pairs of two articles costs
    one cosine.
    """

    def __init__(self, profiles: Iterable[ArticleProfile], rules: StoryRules | None = None,
                 df: Mapping[int, int] | None = None, total: int | None = None) -> None:
        self.rules = rules or StoryRules()
        self.profiles: dict[int, ArticleProfile] = {p.article_id: p for p in profiles}
        if df is None:
            counted: dict[int, int] = {}
            for p in self.profiles.values():
                for e in p.weights:
                    counted[e] = counted.get(e, 0) + 1
            df = counted
        self.df = df
        self.total = max(total or len(self.profiles), 1)
        self._vectors: dict[int, dict[int, float]] = {}
        self._pairs: dict[tuple[int, int], float] = {}

    def add(self, profile: ArticleProfile) -> None:
        self.profiles[profile.article_id] = profile
        self._vectors.pop(profile.article_id, None)
        self._pairs = {k: v for k, v in self._pairs.items() if profile.article_id not in k}

    def vector(self, article_id: int) -> dict[int, float]:
        found = self._vectors.get(article_id)
        if found is None:
            profile = self.profiles.get(article_id)
            raw = {}
            if profile is not None:
                for e, w in profile.weights.items():
                    if w > 0:
                        raw[e] = math.log1p(w) * math.log1p(self.total / max(1, self.df.get(e, 1)))
            norm = math.sqrt(math.fsum(x * x for x in raw.values())) or 1.0
            found = self._vectors[article_id] = {e: x / norm for e, x in sorted(raw.items())}
        return found

    def __call__(self, a: int, b: int) -> float:
        if a == b:
            return 1.0
        key = (a, b) if a < b else (b, a)
        found = self._pairs.get(key)
        if found is None:
            found = self._pairs[key] = self._compute(*key)
        return found

    def _compute(self, a: int, b: int) -> float:
        pa, pb = self.profiles.get(a), self.profiles.get(b)
        if pa is None or pb is None:
            return 0.0
        if pa.group_id == pb.group_id:
            return 1.0
        va, vb = self.vector(a), self.vector(b)
        if len(vb) < len(va):
            va, vb = vb, va
        cosine = math.fsum(x * vb[e] for e, x in va.items() if e in vb)
        return round(min(1.0, cosine) * self.distance_factor(pa.published, pb.published), 6)

    def distance_factor(self, a: int | None, b: int | None) -> float:
        rules = self.rules
        if a is None or b is None:
            return 1.0
        days = abs(a - b)
        if days <= rules.near_days:
            return 1.0
        reach = (min(days, rules.far_days) - rules.near_days) / max(1, rules.far_days - rules.near_days)
        return 1.0 - (1.0 - rules.distant_floor) * reach


def assign_stories(
    new: Sequence[int],
    related: Relatedness,
    members: Mapping[int, Sequence[int]],
    next_id: int,
) -> dict[int, tuple[int, float]]:
    """Story of each article of *new* (processed in id order): ``article -> (story id, relatedness)``.

    *members* holds the stories so far (story id -> article ids). An article joins the story of
    its most related earlier article (ties: the lower story id) when that reaches
    ``related.rules.join``, else it starts story ``next_id`` (then ``next_id + 1`` ...). Copies
    of an article always share its story.
    """
    rules = related.rules
    story_of: dict[int, int] = {a: s for s, arts in members.items() for a in arts}
    postings: dict[int, list[int]] = {}
    heaviest: dict[int, float] = {}  # entity -> the largest weight an article filed under it has
    group_story: dict[int, int] = {}
    for article in sorted(story_of):
        if article in related.profiles:
            group_story.setdefault(related.profiles[article].group_id, story_of[article])
        _post(postings, heaviest, article, related.vector(article))
    out: dict[int, tuple[int, float]] = {}
    for article in sorted(new):
        vector = related.vector(article)
        # The cosine, accumulated over the postings of the entities rare enough to propose
        # candidates; an entity too common to enumerate adds at most the norm of the article's
        # weight on such entities (Cauchy-Schwarz). A candidate that cannot reach ``join`` even
        # so is not scored in full: the same stories, without a cosine per candidate.
        partial: dict[int, float] = {}
        common, bound = 0.0, 0.0
        for e, x in vector.items():
            posting = postings.get(e, ())
            if len(posting) <= rules.max_postings:
                for other in posting:
                    partial[other] = partial.get(other, 0.0) + x * related.vector(other)[e]
            else:
                common += x * x
                bound += x * heaviest[e]
        # Best first by that ceiling: once a ceiling is below the best score found, no later
        # candidate can beat it (relatedness is rounded to 6 places, hence the margin).
        slack = min(bound, math.sqrt(common)) + 1e-6
        ranked = sorted((-(p + slack), other) for other, p in partial.items()
                        if other != article and p + slack >= rules.join)
        profile = related.profiles.get(article)
        best: tuple[float, int] | None = None
        for ceiling, other in ranked:
            if best is not None and -ceiling < best[0]:
                break
            score = related(article, other)
            story = story_of[other]
            if score >= rules.join and (best is None or (score, -story) > (best[0], -best[1])):
                best = (score, story)
        if profile is not None and profile.group_id in group_story:
            best = (1.0, group_story[profile.group_id])  # a copy joins its original's story
        if best is None:
            story, score = next_id, 0.0
            next_id += 1
        else:
            score, story = best
        story_of[article] = story
        out[article] = (story, score)
        if profile is not None:
            group_story.setdefault(profile.group_id, story)
        _post(postings, heaviest, article, vector)
    return out


def _post(postings: dict[int, list[int]], heaviest: dict[int, float], article: int,
          vector: Mapping[int, float]) -> None:
    """File *article* under its entities, remembering each entity's heaviest weight so far."""
    for e, x in vector.items():
        postings.setdefault(e, []).append(article)
        if x > heaviest.get(e, 0.0):
            heaviest[e] = x
