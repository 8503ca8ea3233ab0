"""The status lines (progress, scope, verdict bar) render a line from its parts exactly as the assembled Content.

:class:`~workbench.tui.widgets.status.FixedLine` renders each part of a line once and keeps it, so a key that
changes one count re-renders one count. What reaches the screen must be what rendering the whole line as one
Content gives: the same characters, the same styles, the same text-selection offsets in each cell.
"""

from __future__ import annotations

import asyncio

from textual.app import App
from textual.content import Content
from textual.visual import Visual

from workbench.tui.text import styled
from workbench.tui.widgets.status import FixedLine, bar


def cells(strips) -> list[tuple[str, object, int | None]]:
    """Each cell's character, style and text offset (a segment's offset is its first character's)."""
    out = []
    for strip in strips:
        for segment in strip:
            offset = (segment.style.meta.get("offset") or (None,))[0] if segment.style else None
            for n, char in enumerate(segment.text):
                out.append((char, segment.style.clear_meta_and_links() if segment.style else None,
                            None if offset is None else offset + n))
    return out


class Lines(App):
    def compose(self):
        yield FixedLine(id="line")


def rendered(widget: FixedLine, line) -> tuple[list, list]:
    width = widget.content_size.width
    ours = widget._line_strips(line, width, 1)
    whole = Visual.to_strips(widget, Content.assemble(*line), width, 1, widget.visual_style, pad=True)
    return cells(ours), cells(whole)


def test_a_line_from_parts_is_the_assembled_contents_cell_for_cell():
    async def scenario():
        app = Lines()
        async with app.run_test(size=(60, 3)) as pilot:
            await pilot.pause()
            widget = app.query_one("#line", FixedLine)
            lines = [
                (("workbench review", "bold $accent"), "  ", styled("ana", "bold"), "  reviewed ", bar(3, 10),
                 (" 3/10", "bold"), (" (30%)", "$text-muted")),
                # the same text in other styles (Content compares by text alone: the kept parts must not mix up)
                (styled("true", "bold $success"), " ", styled("true", "$secondary"), " ", bar(7, 10), " ",
                 bar(2, 10)),
                ("", ("yours ", "$text-muted"), ("none yet", "italic $text-muted"), ("  ", "")),
                (Content.from_markup("[b]mixed[/b] [i]spans[/i] in one part"), " ", "plain\ttab"),
            ]
            for line in lines + lines:  # again, from the kept parts
                ours, whole = rendered(widget, line)
                assert ours == whole, line
            too_long = (("x" * 50, "bold"), " ", ("y" * 30, "$accent"))  # wider than the line: rendered whole
            ours, whole = rendered(widget, too_long)
            assert ours == whole and len(ours) == 60
            widget.show_content(lines[1], "key")
            await pilot.pause()
            assert cells(widget._strips) == rendered(widget, lines[1])[1]

    asyncio.run(scenario())
