"""Command palette provider: jump to a claim by its text, through the store's search index.

The index finds Chinese words of any length (特斯拉, 数据), so the palette does
too. Hits are built from Content: the matcher would parse markup in a str.
"""

from __future__ import annotations

from functools import partial

from textual.command import Hit, Hits, Provider
from textual.content import Content

from workbench.safe_text import one_line

SEARCH_LIMIT = 20


class ClaimSearch(Provider):
    """Claims whose text contains every word of the query; choosing one shows it."""

    async def search(self, query: str) -> Hits:
        app = self.app
        if len(query.strip()) < 2 or not hasattr(app, "search_claims"):
            return
        rows = app.search_claims(query, limit=SEARCH_LIMIT)
        for rank, row in enumerate(rows):
            text = one_line(row.text, limit=150)
            yield Hit(
                1.0 - rank / (2 * SEARCH_LIMIT),  # the index already matched every word; keep article order
                Content.assemble((f"#{row.id} ", "$text-muted"), text),
                partial(app.jump_to_claim, row.id),
                text=text,
                help="Show this claim",
            )
