"""Always-visible state: the progress line at the top and the verdict bar at the bottom.

Both have a fixed height and paint their own lines (:class:`FixedLine`), so
they update without a layout pass, only when what they show changed, and then
only the lines that changed: a key that changes nothing here repaints nothing
here.
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Region
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget

from workbench.review.records import Progress, VerdictRow
from workbench.scales import Scale
from workbench.tui.text import styled

BAR_WIDTH = 20


def bar(done: int, total: int, width: int = BAR_WIDTH) -> Content:
    filled = round(width * done / total) if total else 0
    return Content.assemble(("━" * filled, "$accent"), ("━" * (width - filled), "$panel-lighten-2"))


def _changed_cells(old: Strip, new: Strip) -> tuple[int, int] | None:
    """The cells from the first segment that differs to the last one (None: the same line)."""
    if old == new:
        return None
    a, b = list(old), list(new)
    head = 0
    start = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        start += a[head].cell_length
        head += 1
    tail = 0
    end = max(old.cell_length, new.cell_length)
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail] and old.cell_length == new.cell_length:
        end -= a[-1 - tail].cell_length
        tail += 1
    return (start, max(end, start + 1))


class FixedLine(Widget):
    """A fixed-height line widget that repaints only the lines whose content changed (no layout, no re-render of
    the others): the progress line, the queue's scope line and the verdict bar change a little on every key."""

    DEFAULT_CSS = "FixedLine { height: 1; }"

    _shown: object = None

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self._strips: list[Strip] = []
        self._lines: list[Content] = []
        self._line_keys: list[object] = []  # what each line shows (None: unknown): an unchanged line is not re-rendered

    def show_content(self, content: Content | list[Content], key: object, line_keys: list[object] | None = None
                     ) -> None:
        """Show ``content`` (or one Content per line, with ``line_keys`` saying what each shows) unless ``key``
        is what is shown already."""
        if key == self._shown:
            return
        self._shown = key
        self._lines = content if isinstance(content, list) else [content]
        self._render_strips(line_keys or [None] * len(self._lines))

    def _render_strips(self, line_keys: list[object] | None = None, *, everything: bool = False) -> None:
        width, height = self.content_size
        if not width or not self._lines:
            return
        old, old_keys = self._strips, self._line_keys
        line_keys = line_keys if line_keys is not None else [None] * len(self._lines)
        strips: list[Strip] = []
        for y, line in enumerate(self._lines[:height]):
            if not everything and line_keys[y] is not None and y < len(old_keys) and old_keys[y] == line_keys[y]:
                strips.append(old[y])
            else:
                strips.extend(Visual.to_strips(self, line, width, height - len(strips), self.visual_style, pad=True))
        self._strips, self._line_keys = strips[:height], line_keys
        for y, strip in enumerate(self._strips):
            if everything or y >= len(old):
                self.refresh(Region(0, y, width, 1))
            elif (span := _changed_cells(old[y], strip)) is not None:
                # only the cells that changed: the screen's update then spans less of the panes above
                self.refresh(Region(span[0], y, span[1] - span[0], 1))
        if len(old) > len(self._strips):
            self.refresh(Region(0, len(self._strips), width, len(old) - len(self._strips)))

    def on_resize(self) -> None:
        self._render_strips(self._line_keys, everything=True)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._render_strips(self._line_keys, everything=True)  # a theme change: the colours come from it

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        if y < len(self._strips):
            return self._strips[y].crop_extend(0, width, self.visual_style.rich_style)
        return Strip.blank(width, self.visual_style.rich_style)


class ProgressLine(FixedLine):
    """Claims reviewed of all, overall and for the current article, the reviewer's name and the queue's name."""

    def show(self, reviewer: str, overall: Progress, article: Progress | None, queue: str) -> None:
        key = (reviewer, overall, article, queue, self.size.width)
        if key == self._shown:
            return
        wide = self.size.width >= 110
        done, total = overall.done, overall.total
        parts = [("workbench review", "bold $accent"), "  ", styled(reviewer, "bold", limit=20), "  reviewed ",
                 bar(done, total, BAR_WIDTH if wide else 8), (f" {done}/{total}", "bold")]
        if wide:
            parts.append((f" ({100 * done / total:.0f}%)" if total else "", "$text-muted"))
        if article is not None and article.article_total is not None:
            parts += ["  this article ", bar(article.article_done, article.article_total, 10) if wide else "",
                      (f" {article.article_done}/{article.article_total}", "bold")]
        parts += ["  queue ", (queue, "bold $secondary")]  # its count is in the queue pane's title only
        self.show_content(Content.assemble(*parts), key)


def key_chips(scale: Scale, chosen: str | None, keys: list[str]) -> list[Content]:
    chips = []
    for key, entry in zip(keys, scale.labels):
        mine = chosen == entry.label
        chips.append(Content.assemble((f" {key} ", "bold $background on $accent" if mine else "bold $accent"),
                                      styled(entry.label, "bold" if mine else "", limit=24)))
    return chips


def pack(chips: list[Content], width: int, sep: str = "  ") -> list[Content]:
    """Chips on as few lines of ``width`` cells as they fit on."""
    lines: list[list[Content]] = [[]]
    used = 0
    for chip in chips:
        size = chip.cell_length + (len(sep) if lines[-1] else 0)
        if lines[-1] and used + size > width:
            lines.append([])
            used, size = 0, chip.cell_length
        lines[-1].append(chip)
        used += size
    return [Content(sep).join(line) for line in lines]


class VerdictBar(FixedLine):
    """The scale's keys with the current verdict lit, the reviewer's verdict, others' (blind) and the final one,
    and the last thing recorded ("#12 → mostly false")."""

    _chips: tuple[object, list[Content]] = (None, [])  # (what the keys lines show, those lines)

    def show(self, scale: Scale, keys: list[str], mine: VerdictRow | None, others: tuple[VerdictRow, ...],
             flagged: bool, evidence_links: int, message: Content | None) -> None:
        width = max(20, self.size.width - 2)
        key = (scale, tuple(keys), mine, others, flagged, evidence_links, message, width)
        if key == self._shown:
            return
        chips_key = (scale, tuple(keys), mine.label if mine else None, width)
        if self._chips[0] != chips_key:  # the keys line(s) change only with your verdict
            self._chips = (chips_key, pack(key_chips(scale, mine.label if mine else None, keys), width))
        key_lines = self._chips[1]
        yours: list = [("yours ", "$text-muted")]
        if mine:
            yours += [styled(mine.label, "bold $success"), (f" v{mine.version}", "$text-muted")]
            if mine.note:
                yours += ["  note ", styled(mine.note, "italic", limit=40)]
            urls = [e for e in mine.evidence if not e.startswith("link:")]
            if urls:
                yours += [(f"  {len(urls)} url(s)", "$text-muted")]
        else:
            yours.append(("none yet", "italic $text-muted"))
        if evidence_links:
            yours += [(f"  +{evidence_links} confirmed link(s)", "$text-muted")]
        if flagged:
            yours += ["  ", ("⚑ flagged", "bold $warning")]
        peers = [v for v in others if not v.final]
        final = next((v for v in others if v.final), None)
        theirs: list = [("others ", "$text-muted")]
        if not peers:
            theirs.append(("none", "italic $text-muted"))
        for v in peers:
            theirs += [styled(v.reviewer, "bold", limit=20), ": ",
                       ("hidden", "italic $text-muted") if v.hidden else styled(v.label, "$secondary", limit=24), "  "]
        if final:
            theirs += [" final ", styled(final.label, "bold $accent", limit=24), " by ", styled(final.reviewer, "", limit=20)]
        status = [Content.assemble(*yours), Content.assemble(*theirs)]
        if message is not None:
            status[0] = Content.assemble(message, ("  ", ""), status[0])
        lines = key_lines + status
        line_keys: list[object] = [("keys", n, chips_key) for n in range(len(key_lines))] + [None, ("others", others)]
        if len(lines) > 3:  # narrow: the keys take two lines, yours and others share the third
            lines = key_lines[:2] + [Content.assemble(status[0], "  ", status[1])]
            line_keys = line_keys[:2] + [None]
        self.show_content(lines[:3], key, line_keys[:3])
