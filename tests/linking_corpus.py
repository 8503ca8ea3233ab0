"""A synthetic corpus of LinkItems for testing and measuring linking.

Shaped like the real problem rather than uniform noise: two very common
entities (a third of all statements each, like Tesla and China), many rare
ones, events that several articles report in Chinese or English (sometimes
with a different figure or date: conflicts), background statements that only
share the common entities, and articles copied from another feed (duplicate
groups). Deterministic for a given seed.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from workbench.linking import LinkItem

COMMON = (1, 2)
UNITS = ("vehicle", "USD", "%", "person", None)
_CJK_POOL = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理世车"
_SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"]
_WORDS = sorted(
    {"".join(random.Random(i).sample(_SYLLABLES, 3)) for i in range(6000)}
)


def _words(rng: random.Random, n: int) -> list[str]:
    return [_WORDS[_zipf_rank(rng, len(_WORDS))] for _ in range(n)]


def _hanzi(rng: random.Random, n: int) -> str:
    return "".join(_CJK_POOL[_zipf_rank(rng, len(_CJK_POOL))] for _ in range(n))


def _zipf_rank(rng: random.Random, size: int) -> int:
    """A rank in [0, size) with P(rank) ~ 1/rank: a few words everywhere, most rare."""
    return min(size - 1, int(math.exp(rng.random() * math.log(size))) - 1)


def synthetic_corpus(n: int, seed: int = 0, claim_rate: float = 0.3) -> list[LinkItem]:
    """About *n* statements in articles of ~8, with events, conflicts and copies."""
    rng = random.Random(seed)
    n_entities = max(20, n // 4)
    n_events = max(5, n // 25)
    start = date(2023, 1, 1)
    events = []
    for _ in range(n_events):
        rare = {rng.randint(3, n_entities) for _ in range(rng.randint(1, 2))}
        common = {e for e in COMMON if rng.random() < 0.5}
        day = start + timedelta(days=rng.randint(0, 729))
        unit = rng.choice(UNITS)
        value = float(rng.choice([rng.randint(1, 99), rng.randint(100, 9999) * 100]))
        events.append(
            dict(
                entities=rare | common,
                day=day,
                unit=unit,
                value=value,
                en=_words(rng, 8),
                zh=_hanzi(rng, 14),
            )
        )
    items: list[LinkItem] = []
    sid = 0
    article = 0
    articles: list[list[LinkItem]] = []
    while sid < n:
        article += 1
        if articles and rng.random() < 0.05:
            # A copy of an earlier article from another feed.
            original = rng.choice(articles)
            copy = []
            for item in original:
                sid += 1
                copy.append(
                    LinkItem(
                        sid, article, original[0].group_id, item.text, item.is_claim, item.language,
                        item.entities, item.dates, item.numbers, item.published,
                    )
                )
            items.extend(copy)
            continue
        language = "zh" if rng.random() < 0.6 else "en"
        covered = rng.sample(events, k=min(len(events), rng.randint(1, 2)))
        published = covered[0]["day"] + timedelta(days=rng.randint(0, 20))
        statements = []
        for _ in range(rng.randint(5, 10)):
            sid += 1
            dates: tuple[tuple[str, str], ...] = ()
            numbers: tuple[tuple[float, str | None], ...] = ()
            if rng.random() < 0.6:
                event = rng.choice(covered)
                entities = frozenset(e for e in event["entities"] if rng.random() < 0.8) or frozenset(
                    event["entities"]
                )
                if language == "en":
                    words = [w for w in event["en"] if rng.random() < 0.8] + _words(rng, rng.randint(0, 4))
                    text = " ".join(words)
                else:
                    text = "".join(
                        event["zh"][i : i + 2] for i in range(0, 14, 2) if rng.random() < 0.8
                    ) + _hanzi(rng, rng.randint(0, 6))
                if rng.random() < 0.6:
                    day = event["day"]
                    if rng.random() < 0.08:
                        day += timedelta(days=rng.choice([-3, 2, 5]))
                    dates = ((day.isoformat(), day.isoformat()),)
                if rng.random() < 0.5:
                    value = event["value"]
                    if rng.random() < 0.1:
                        value *= rng.choice([0.8, 1.25])
                    numbers = ((value, event["unit"]),)
            else:
                entities = frozenset(e for e in COMMON if rng.random() < 0.66) or frozenset(
                    {rng.choice(COMMON)}
                )
                if rng.random() < 0.3:
                    entities |= {rng.randint(3, n_entities)}
                text = " ".join(_words(rng, 10)) if language == "en" else _hanzi(rng, 20)
                if rng.random() < 0.3:
                    numbers = ((float(rng.randint(1, 500) * 1000), rng.choice(UNITS)),)
            statements.append(
                LinkItem(
                    sid, article, article, text, rng.random() < claim_rate, language,
                    entities, dates, numbers, published.isoformat(),
                )
            )
        articles.append(statements)
        items.extend(statements)
    return items
