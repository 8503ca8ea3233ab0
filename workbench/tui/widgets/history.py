"""The history pane: the reviewer's last decisions, newest first; choosing one shows that claim to re-judge."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from workbench.review.records import DecisionRow
from workbench.tui.text import safe_line, styled


def decision_prompt(row: DecisionRow) -> Content:
    return Content.assemble((f"#{row.claim_id} ", "$text-muted"), ("★ " if row.final else "✓ ", "$success"),
                            styled(row.label, "bold", limit=20), "  ", safe_line(row.text, limit=120))


class HistoryList(OptionList):
    """Recent decisions (``ReviewSession.history``); Enter on one posts :class:`HistoryList.Chosen`."""

    rows: tuple[DecisionRow, ...] = ()

    @dataclass
    class Chosen(Message):
        claim_id: int

    def show(self, rows: list[DecisionRow]) -> None:
        rows = tuple(rows)
        if rows == self.rows and self.option_count:
            return
        self.rows = rows
        self.clear_options()
        if not rows:
            self.add_option(Option(Content.styled("No decisions yet: yours appear here, newest first.",
                                                  "italic $text-muted"), disabled=True))
            return
        self.add_options([Option(decision_prompt(r), id=str(i)) for i, r in enumerate(rows)])
        self.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.rows and event.option_index < len(self.rows):
            self.post_message(self.Chosen(self.rows[event.option_index].claim_id))
