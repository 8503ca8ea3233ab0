"""The right pane: statements of other sources linked to the claim.

Each link shows its relation (conflicts in the theme's ``$error`` colour),
score, status, the other source and date, the statement and the linker's
reasons. The highlighted link is the one confirm/reject/open act on.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from workbench.review.records import LinkRow
from workbench.tui.text import safe, styled

RELATION_STYLES = {"conflict": "bold $error", "same": "bold $success", "related": "$text-muted"}
STATUS_MARKS = {"confirmed": ("✓ confirmed", "bold $success"), "rejected": ("✗ rejected", "$text-muted strike"),
                "suggested": ("? suggested", "$text-muted")}


def link_prompt(link: LinkRow) -> Content:
    """A link as three lines of Content (all data from the store goes through the text door)."""
    relation = link.relation.upper() if link.relation == "conflict" else link.relation
    status, status_style = STATUS_MARKS.get(link.status, (link.status, ""))
    source = link.article_site or link.article_title or f"article {link.article_id}"
    date = (link.article_published or "undated")[:10]
    head = Content.assemble(
        (f"{relation:<8}", RELATION_STYLES.get(link.relation, "")), f" {link.score:.2f}  ",
        (status, status_style), "  ", styled(source, "bold", limit=40), ("  " + date, "$text-muted"),
        ("  (duplicate article)", "italic $warning") if link.duplicate else "",
    )
    body = safe(link.statement_text, limit=400)
    reasons = styled("; ".join(str(r) for r in link.reasons) or "no reasons", "italic $text-muted", limit=300)
    return Content("\n").join([head, body, reasons])


class LinksList(OptionList):
    """Linked statements, best first; option ids are link ids."""

    links: tuple[LinkRow, ...] = ()

    def show(self, links: tuple[LinkRow, ...]) -> None:
        if links == self.links and self.option_count:
            return  # unchanged: no re-render
        highlighted = self.highlighted
        self.links = links
        self.clear_options()
        if not links:
            self.add_option(Option(Content.styled("No linked statements from other sources.", "italic $text-muted"),
                                   disabled=True))
            return
        options: list[Option | None] = []
        for link in links:
            if options:
                options.append(None)  # a separator line between links
            options.append(Option(link_prompt(link), id=str(link.id)))
        self.add_options(options)
        if highlighted is not None and highlighted < len(links):
            self.highlighted = highlighted
        else:
            self.highlighted = 0

    @property
    def selected_link(self) -> LinkRow | None:
        links = self.links
        if not links or self.highlighted is None or self.highlighted >= len(links):
            return None
        return links[self.highlighted]
