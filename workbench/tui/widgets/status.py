"""Always-visible state: the progress line at the top and the verdict bar at the bottom.

Both have a fixed height and paint their own lines (:class:`FixedLine`), so
they update without a layout pass, only when what they show changed, and then
only the lines that changed: a key that changes nothing here repaints nothing
here.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.content import Content
from textual.geometry import Region
from textual.strip import Strip
from textual.style import Style
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


Part = str | tuple[str, str] | Content
"""A piece of a line as :meth:`Content.assemble` takes it: plain text, (text, style) or Content."""

Parts = tuple[Part, ...]
"""A line given as its pieces (:meth:`FixedLine.show_content`): each piece is rendered once, not the whole line."""

_PART_CACHE_SIZE = 512


class FixedLine(Widget):
    """A fixed-height line widget that repaints only the lines whose content changed (no layout, no re-render of
    the others): the progress line, the queue's scope line and the verdict bar change a little on every key."""

    DEFAULT_CSS = "FixedLine { height: 1; }"

    _shown: object = None

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self._strips: list[Strip] = []
        self._lines: list[Content | Parts] = []
        self._line_keys: list[object] = []  # what each line shows (None: unknown): an unchanged line is not re-rendered
        self._part_strips: dict[object, list[Segment]] = {}  # parts of lines as rendered (cleared with the theme)
        self._styles: dict[str, RichStyle] = {}  # a style string as Content renders it here
        self._offsets: dict[tuple[RichStyle, int], RichStyle] = {}

    def show_content(self, content: Content | Parts | list[Content | Parts], key: object,
                     line_keys: list[object] | None = None) -> None:
        """Show ``content`` (or one Content per line, with ``line_keys`` saying what each shows) unless ``key``
        is what is shown already.

        A line may be given as its parts (a tuple, as :meth:`Content.assemble` takes them): the parts that
        stay from key to key (labels, the bars) are rendered once and kept, the ones that change (a count, the
        last decision) are cheap, and the line is exactly the assembled Content's as long as it fits the width
        (otherwise it is rendered whole, wrapped and cut as before).
        """
        if key == self._shown:
            return
        self._shown = key
        self._lines = content if isinstance(content, list) else [content]
        self._render_strips(line_keys or [None] * len(self._lines))

    def _style(self, style: str) -> RichStyle:
        """The rich style Content renders ``style`` with here (its text-selection offset is set per segment)."""
        rich = self._styles.get(style)
        if rich is None:
            probe = Visual.to_strips(self, Content.styled("x", style), 1, 1, self.visual_style)
            rich = self._styles[style] = list(probe[0])[0].style
        return rich

    def _part_segments(self, part: Part) -> list[Segment] | None:
        """A part as Content renders it here (each segment's offset counted from the part's start)."""
        # Content compares and hashes by its text alone: its key is the text with the spans
        key = (part.plain, tuple(part.spans)) if isinstance(part, Content) else part
        segments = self._part_strips.get(key)
        if segments is not None:
            return segments
        text, style = (part, "") if isinstance(part, str) else part if isinstance(part, tuple) else (part.plain, None)
        if isinstance(part, Content):
            spans = part.spans
            if not spans:
                style = ""
            elif len(spans) == 1 and spans[0].start == 0 and spans[0].end >= len(text) and isinstance(
                    spans[0].style, str):
                style = spans[0].style
        if not text:
            segments = []
        elif "\t" in text:  # a tab's width depends on where the part starts: the line is rendered whole
            return None
        elif style is not None:  # one style over the whole part: one segment
            segments = [Segment(text, self._style(style))]
        else:
            content = part if isinstance(part, Content) else Content.assemble(part)
            segments = list(Strip.join(Visual.to_strips(self, content, content.cell_length, 1, self.visual_style)))
        if len(self._part_strips) >= _PART_CACHE_SIZE:
            self._part_strips.clear()
        self._part_strips[key] = segments
        return segments

    def _at(self, style: RichStyle, x: int) -> RichStyle:
        """``style`` with the text-selection offset of character ``x`` of the line, as Content sets it."""
        key = (style, x)
        found = self._offsets.get(key)
        if found is None:
            if len(self._offsets) >= 4 * _PART_CACHE_SIZE:
                self._offsets.clear()
            found = self._offsets[key] = style + RichStyle.from_meta({"offset": (x, 0)})
        return found

    def _line_strips(self, line: Content | Parts, width: int, height: int) -> list[Strip]:
        if isinstance(line, tuple):
            if (self.text_selection is None and self.styles.text_align in ("left", "start")
                    and not self.styles.line_pad):
                segments: list[Segment] | None = []
                x = 0
                for part in line:
                    kept = self._part_segments(part)
                    if kept is None:
                        segments = None
                        break
                    for segment in kept:
                        segments.append(Segment(segment.text, self._at(segment.style, x)))
                        x += len(segment.text)
                strip = Strip(segments) if segments is not None else None
                if strip is not None and strip.cell_length <= width:  # unwrapped, as the assembled Content renders
                    return [strip.extend_cell_length(width, (self.visual_style + Style(reverse=False)).rich_style)]
            line = Content.assemble(*line)
        return Visual.to_strips(self, line, width, height, self.visual_style, pad=True)

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
                strips.extend(self._line_strips(line, width, height - len(strips)))
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
        self._styles.clear()
        self._part_strips.clear()
        self._offsets.clear()
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
        self.show_content(tuple(parts), key)


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
        status: list[tuple] = [tuple(yours), tuple(theirs)]  # lines as parts (FixedLine renders each part once)
        if message is not None:
            status[0] = (message, ("  ", ""), *status[0])
        lines: list = key_lines + status
        line_keys: list[object] = [("keys", n, chips_key) for n in range(len(key_lines))] + [None, ("others", others)]
        if len(lines) > 3:  # narrow: the keys take two lines, yours and others share the third
            lines = key_lines[:2] + [(*status[0], "  ", *status[1])]
            line_keys = line_keys[:2] + [None]
        self.show_content(lines[:3], key, line_keys[:3])
