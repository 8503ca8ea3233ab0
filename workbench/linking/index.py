"""Finding the best links per claim: the blocking index, brute force, merging.

:class:`LinkIndex` files statements under blocking keys (see
:mod:`.blocking`) and scores each claim only against the few candidates that
share rare keys with it. :func:`brute_force` scores every claim against every
statement of another article with the same scorer and the same selection; it
exists to measure what the index misses. :func:`merge_links` folds the links
of an incremental import into the stored ones.

All three return links grouped by claim id (ascending) and, within a claim,
best first: score descending, then statement id -- the same input always gives
the same output.
"""

from __future__ import annotations

import heapq
import math
from operator import neg
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from .blocking import KEY_WEIGHTS, item_keys, text_grams
from .records import Link, LinkConfig, LinkItem
from .scoring import EntityKinds, ScoreContext, StoryView, describe, evaluate


def _order(link: Link) -> tuple[float, int]:
    return (-link.score, link.statement_id)


def select_top(links: Iterable[Link], config: LinkConfig) -> list[Link]:
    """The best ``top_k`` links of one claim at or above ``min_score``, best first."""
    kept = [link for link in links if link.score >= config.min_score]
    kept.sort(key=_order)
    return kept[: config.top_k]


def _best_links(
    claim: LinkItem, others: Iterable[LinkItem], ctx: ScoreContext
) -> list[Link]:
    """Score *claim* against *others*; phrase reasons only for the links kept.

    Equivalent to ``select_top(score_pair(claim, o, ctx) for o in others)``,
    without formatting reasons for the many pairs that are dropped.
    """
    config = ctx.config
    kept = []
    for other in others:
        evidence = evaluate(claim, other, ctx)
        if evidence is not None and evidence.score >= config.min_score:
            kept.append(evidence)
    kept.sort(key=lambda e: (-e.score, e.other.item.statement_id))
    return [describe(e, ctx) for e in kept[: config.top_k]]


class LinkIndex:
    """An in-memory blocking index over candidate statements.

    ``entity_df``/``total`` give entity frequencies over the whole collection
    (the store knows them); without them, frequencies are counted over the
    items added here. Adding items is cheap; the key postings are (re)built on
    the next :meth:`link`, because key choice depends on frequencies.
    """

    def __init__(
        self,
        config: LinkConfig | None = None,
        entity_df: Mapping[int, int] | None = None,
        total: int | None = None,
        kinds: EntityKinds | None = None,
        stories: StoryView | None = None,
    ) -> None:
        self.config = config or LinkConfig()
        self.context = ScoreContext(self.config, entity_df, total, kinds, stories)
        self._token_df: Counter[str] = Counter()
        self._items: dict[int, LinkItem] = {}
        self._by_article: defaultdict[int, set[int]] = defaultdict(set)
        self._languages: Counter[str | None] = Counter()
        self._word_items: list[LinkItem] = []
        self._postings: dict[tuple, list[int]] | None = None

    def __len__(self) -> int:
        return len(self._items)

    def add(self, items: Iterable[LinkItem]) -> None:
        """Index candidate statements (a statement id added again replaces the old item)."""
        ctx = self.context
        for item in items:
            old = self._items.get(item.statement_id)
            if old is not None:
                ctx.observed_df.subtract(old.entities)
                ctx.observed_total -= 1
                self._token_df.subtract(text_grams(ctx.features(old)))
                self._by_article[old.article_id].discard(old.statement_id)
                self._languages[old.language] -= 1
            self._items[item.statement_id] = item
            self._by_article[item.article_id].add(item.statement_id)
            self._languages[item.language] += 1
            self._token_df.update(text_grams(ctx.features(item)))
            ctx.observe((item,))
        self._postings = None

    def _build(self) -> dict[tuple, list[int]]:
        config, ctx = self.config, self.context
        # Over what the first pass read too, when told (:meth:`count_words`), as a relink would: word
        # rarity, cross-language rarity and the subjects of the stored claims' articles.
        ctx.word_df, ctx.word_total, ctx.subjects = article_words([*self._items.values(), *self._word_items], ctx)
        postings: dict[tuple, list[int]] = defaultdict(list)
        spell, word_df = ctx.vocabulary.spell, self._word_df()
        # Sorted ids make every posting list ordered, so truncation is deterministic.
        for statement_id in sorted(self._items):
            f = ctx.features(self._items[statement_id])
            for key in item_keys(
                f, ctx.df, self._token_df, config.max_postings, config.number_tolerance, spell, word_df=word_df
            ):
                postings[key].append(statement_id)
        return dict(postings)

    def _word_df(self):
        """How many indexed statements use a token (by spelling), for the cross-language keys;
        None when the index holds only one of Chinese and English (no cross-language pair)."""
        languages = self._languages
        if not (languages["zh"] and languages["en"]):
            return None
        code, df = self.context.vocabulary.get, self._token_df
        return lambda token: df.get(code(token, ""), 0)

    def candidates(self, claim: LinkItem) -> list[LinkItem]:
        """Statements of other articles worth scoring against *claim*, most promising first."""
        if self._postings is None:
            self._postings = self._build()
        config, ctx = self.config, self.context
        keys = item_keys(
            ctx.features(claim),
            ctx.df,
            self._token_df,
            config.max_postings,
            config.number_tolerance,
            ctx.vocabulary.spell,
            widen=config.date_window_days,
            probe=True,
            word_df=self._word_df(),
        )
        # Integer weights: their sums, and so the ranking, cannot depend on
        # the order keys are visited in (set order varies between runs).
        weights: defaultdict[int, int] = defaultdict(int)
        oversized: list[list[int]] = []
        # Cross-language word keys go last and only rank statements other keys found: a pair
        # needs a shared entity to be scored at all, so a statement they alone find is wasted work.
        words = [key for key in keys if key[0] == "g"]
        for key in [key for key in keys if key[0] != "g"]:
            posting = self._postings.get(key)
            if not posting:
                continue
            if len(posting) > config.max_postings:
                oversized.append(posting)
                continue
            # A key shared by few statements is strong evidence of a match;
            # entities, days and figures weigh more than a single word.
            weight = round(1000 * KEY_WEIGHTS[key[0]] / math.log2(1 + len(posting)))
            for statement_id in posting:
                weights[statement_id] += weight
        for key in words:
            posting = self._postings.get(key)
            if not posting or len(posting) > config.max_postings:
                continue
            weight = round(1000 * KEY_WEIGHTS["g"] / math.log2(1 + len(posting)))
            for statement_id in weights.keys() & posting:  # (a set operation in C: most of the posting misses)
                weights[statement_id] += weight
        if not weights and oversized:
            # Only very common keys: fall back on the start of the smallest one.
            posting = min(oversized, key=lambda p: (len(p), p[0]))
            weights = defaultdict(int, dict.fromkeys(posting[: config.max_postings], 0))
        for statement_id in self._by_article.get(claim.article_id, ()):
            weights.pop(statement_id, None)
        # Ties go to the lower statement id (deterministic).
        best = heapq.nlargest(config.max_candidates, zip(weights.values(), map(neg, weights)))
        return [self._items[-neg_sid] for _, neg_sid in best]

    def link(self, claims: Iterable[LinkItem]) -> list[Link]:
        """The best links of each claim among the indexed statements."""
        out: list[Link] = []
        for claim in sorted(claims, key=lambda c: c.statement_id):
            out.extend(_best_links(claim, self.candidates(claim), self.context))
        return out

    def count_words(self, items: Iterable[LinkItem]) -> None:
        """Count *items* in cross-language word rarity and in their articles' subject words without
        indexing them (stored claims scored against new statements only: a glossed word is then as
        rare as among everything they were read with, not "rare" because the new statements are
        few, and a stored claim's article keeps its subject)."""
        self._word_items = list(items)
        self._postings = None


def article_words(items: Iterable[LinkItem], ctx: ScoreContext
                  ) -> tuple[Counter[str], int, dict[int, frozenset[str]]]:
    """How many articles use each word (vocabulary code, figures aside), how many articles there
    are, and each article's subject words (:func:`article_subjects`)."""
    words: defaultdict[int, Counter[str]] = defaultdict(Counter)
    for item in items:
        words[item.article_id].update(ctx.features(item).context_key)
    df: Counter[str] = Counter()
    for article_words in words.values():
        df.update(article_words.keys())
    return df, len(words), article_subjects(words, df, len(words), ctx)


def article_subjects(words: Mapping[int, Counter[str]], df: Mapping[str, int], total: int,
                     ctx: ScoreContext) -> dict[int, frozenset[str]]:
    """Each article's ``subject_words`` most characteristic words: tf-idf over the articles, among
    the words it uses at least twice that another article uses too, and no more than a quarter of
    them (刹车 in a post on brakes); the tokens of names are entity evidence and are left out.
    Ties at the cut go by spelling, so the choice does not depend on the order items came in."""
    count, names, spell = ctx.rules.subject_words, ctx.kinds.name_words, ctx.vocabulary.spell
    if count <= 0 or total < 4:
        return {}
    idf = {code: math.log(total / n) for code, n in df.items() if 2 <= n <= total / 4}
    tf = [0.0] + [math.log1p(n) for n in range(1, 64)]
    out: dict[int, frozenset[str]] = {}
    for article, counts in words.items():
        ranked = sorted((-(tf[n] if n < 64 else math.log1p(n)) * idf[code], code) for code, n in counts.items()
                        if n >= 2 and code in idf)
        chosen: list[str] = []
        i = 0
        while i < len(ranked) and len(chosen) < count:
            j = i
            while j < len(ranked) and ranked[j][0] == ranked[i][0]:
                j += 1
            tied = sorted((spell(code)[0], code) for _, code in ranked[i:j])
            chosen.extend(code for word, code in tied if word not in names)
            i = j
        out[article] = frozenset(chosen[:count])
    return out


def brute_force(
    items: Sequence[LinkItem],
    config: LinkConfig | None = None,
    entity_df: Mapping[int, int] | None = None,
    total: int | None = None,
    kinds: EntityKinds | None = None,
    stories: StoryView | None = None,
) -> list[Link]:
    """Every claim in *items* against every statement of another article.

    Same scorer, same entity frequencies (counted over *items* unless given)
    and same selection as :class:`LinkIndex`, so its output is what the index
    would return if blocking lost nothing.
    """
    config = config or LinkConfig()
    ctx = ScoreContext(config, entity_df, total, kinds, stories)
    ctx.observe(items)
    ctx.word_df, ctx.word_total, ctx.subjects = article_words(items, ctx)
    out: list[Link] = []
    for claim in sorted((i for i in items if i.is_claim), key=lambda c: c.statement_id):
        out.extend(_best_links(claim, items, ctx))
    return out


def merge_links(
    existing: Iterable[Link], new: Iterable[Link], config: LinkConfig | None = None
) -> list[Link]:
    """Top-k links per claim after an incremental import.

    A pair present in both keeps the new link: it was scored with the
    current evidence (entity frequencies change as the collection grows), so
    the old score is stale rather than better. Then each claim keeps its best
    ``top_k`` at or above ``min_score``, ordered as everywhere else.
    """
    config = config or LinkConfig()
    by_pair: dict[tuple[int, int], Link] = {}
    for link in existing:
        by_pair[(link.claim_id, link.statement_id)] = link
    for link in new:
        by_pair[(link.claim_id, link.statement_id)] = link
    per_claim: defaultdict[int, list[Link]] = defaultdict(list)
    for link in by_pair.values():
        per_claim[link.claim_id].append(link)
    out: list[Link] = []
    for claim_id in sorted(per_claim):
        out.extend(select_top(per_claim[claim_id], config))
    return out
