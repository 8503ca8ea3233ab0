"""The fixtures' planted pairs (fixtures/README.md, "Planted links and conflicts") found by the linker.

Counts how many planted pairs become a link, how many with the planted relation, and how many
of the planted conflicts are flagged; the floors are what the linker reached when they were set
and only ever rise.
"""

from __future__ import annotations

from tests.helpers import link_quality as lq
from workbench.store.db import open_db


def test_the_planted_pairs_are_found_and_typed(fixtures_db):
    db = open_db(fixtures_db)
    table = lq.planted_table(db)
    summary = lq.planted_summary(table)
    for row in table:
        print(row["n"], row["expected"], row["got"], row["label"])
    print(summary)
    assert summary["pairs"] == 38 and summary["located"] == 38
    assert summary["found"] >= 33  # 30 before the glossed-day fix (#14), 31 before bilingual words (#17, #18)
    assert summary["typed"] >= 25  # 22 before bilingual words (#16, #17, #18 typed same)
    assert summary["conflicts"] == 6 and summary["conflicts_found"] >= 4
