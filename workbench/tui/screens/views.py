"""Read-only screens: help (every binding), agreement between reviewers, another article at a statement."""

from __future__ import annotations

from rich.cells import cell_len
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from workbench.tui.text import safe, safe_line, styled
from workbench.tui.widgets.claim_view import CLAIM_STYLE, metadata_line


class ReadOnlyScreen(ModalScreen):
    """A modal that only shows things: Escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="view-close", tooltip="Back to the review screen"),
    ]
    """Closing keys shared by every read-only screen."""

    def action_close(self) -> None:
        self.dismiss(None)


LEGEND = [
    ("·", "not judged by you yet"), ("✓", "you gave a verdict (the label follows)"),
    ("★", "an adjudicated final verdict"), ("⚡", "a linked statement conflicts with the claim"),
    ("⚑", "flagged for a second look"),
]
"""Every icon the queue and history show."""


class HelpScreen(ReadOnlyScreen):
    """Every binding with its keys (digits with their labels), what it does, where, its id; the icons; remapping."""

    def __init__(self, rows: list[tuple[str, str, str, str, str]], keys_file: str = "~/.config/workbench/keys.toml"):
        super().__init__()
        self.rows = rows
        self.keys_file = keys_file

    def compose(self):
        with Vertical(classes="dialog wide tall"):
            yield Static(Content.styled("Keys", "bold $accent"), classes="form-title")
            yield Static(Content.assemble(*[part for icon, meaning in LEGEND
                                            for part in ((f" {icon} ", "bold $accent"), (meaning, ""), "  ")]),
                         id="legend")
            yield Static(Content.assemble(
                ("Remap: ", "bold"), "put ", ("binding-id = \"key\"", "$accent"), " lines under ", ("[keys]", "$accent"),
                " in ", (self.keys_file, "$accent"), " (or the file $WORKBENCH_KEYS names), e.g. ",
                ("verdict-1 = \"z\"", "$accent"), "; restart the review screen."), id="remap")
            table = DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            # DataTable sizes columns by their labels when the cells are Content,
            # so give each column the width of its widest cell.
            headers = ("keys", "does", "where", "id", "tooltip")
            for index, header in enumerate(headers):
                table.add_column(header, width=max([cell_len(header)] + [cell_len(row[index]) for row in self.rows]))
            for keys, description, where, binding_id, tooltip in self.rows:
                table.add_row(Content.styled(keys, "bold $accent"), Content(description), Content(where),
                              Content.styled(binding_id, "$text-muted"), Content(tooltip))
            yield table
            yield Static(Content.styled("Esc closes · ctrl+p: command palette (actions and claim search)", "$text-muted"))


class AgreementScreen(ReadOnlyScreen):
    """Cohen's kappa for each pair of reviewers and counts per label (store.review.agreement)."""

    def __init__(self, result: dict):
        super().__init__()
        self.result = result

    def compose(self):
        with Vertical(classes="dialog wide"):
            yield Static(Content.styled("Agreement between reviewers (Cohen's kappa)", "bold $accent"),
                         classes="form-title")
            pairs = DataTable(id="agreement-pairs", cursor_type="row")
            names = [name for pair in self.result["pairs"] for name in pair["reviewers"]] or [""]
            widest = min(30, max(cell_len(name) for name in names))
            pairs.add_column("reviewers", width=max(9, 2 * widest + 3))
            pairs.add_columns("claims both judged", "agree", "kappa")
            for pair in self.result["pairs"]:
                a, b = pair["reviewers"]
                kappa = "undefined" if pair["kappa"] is None else f"{pair['kappa']:.3f}"
                pairs.add_row(Content.assemble(safe_line(a, limit=30), " · ", safe_line(b, limit=30)),
                              Content(str(pair["claims"])), Content(str(pair["agree"])), Content(kappa))
            if not self.result["pairs"]:
                yield Static(Content.styled("Fewer than two reviewers have given verdicts yet.", "italic $text-muted"))
            yield pairs
            yield Static(Content.styled("Verdicts per label", "bold $text-accent"))
            counts = DataTable(id="agreement-labels", cursor_type="row")
            labels = sorted({label for per in self.result["labels"].values() for label in per})
            counts.add_column("reviewer", width=max(8, min(30, max([cell_len(r) for r in self.result["labels"]] or [0]))))
            for label in labels:
                counts.add_column(safe_line(label, limit=20), width=max(5, min(20, cell_len(label))))
            for reviewer, per in sorted(self.result["labels"].items()):
                counts.add_row(safe_line(reviewer, limit=30), *[Content(str(per.get(label, 0))) for label in labels])
            yield counts


class ArticleScreen(ReadOnlyScreen):
    """Another article, scrolled to the linked statement, which is highlighted."""

    def __init__(self, text: str, span: tuple[int, int], article):
        super().__init__()
        self.text = text
        self.article = article
        self.span = span

    def compose(self):
        text = self.text
        start, end = self.span
        with Vertical(classes="dialog wide tall"):
            yield Static(Content.assemble(("Article ", "bold $accent"), styled(self.article.title or "untitled",
                                                                               "bold", limit=120)),
                         classes="form-title")
            yield Static(metadata_line(self.article, hint=False), classes="section")
            with VerticalScroll(id="article-body"):
                yield Static(safe(text[:start]))
                yield Static(Content.styled(safe(text[start:end]).plain, CLAIM_STYLE), id="article-statement")
                yield Static(safe(text[end:]))

    def on_mount(self) -> None:
        self.call_after_refresh(
            lambda: self.query_one("#article-body").scroll_to_widget(self.query_one("#article-statement"),
                                                                     animate=False, top=True))
