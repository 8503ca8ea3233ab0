"""The middle pane: a claim in its article, the claim first.

From the top: the claim highlighted in its paragraph (entity mentions, dates
and numbers marked inside it), a few one-line facts about it (check-worthiness
and why; :data:`FACT_LINES`), the article's metadata folded into one line
(``m`` unfolds every field with where it came from), then its entities, dates
with their anchors, and numbers. The pane is focusable and highlights one
mention: from it the reviewer adds an alias or promotes a candidate (the
screen owns those).

To show something more about a claim, append a function to
:data:`FACT_LINES`: it takes the :class:`ClaimContext` and returns a Content
line (or None to skip).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from workbench.model import METADATA_FIELDS
from workbench.review.records import ArticleInfo, ClaimContext, DateRow, MentionRow, NumberRow
from workbench.safe_text import visible
from workbench.tui.text import plain_or_dash, safe_line, styled, template

CLAIM_STYLE = "bold $text on $accent-muted"
MENTION_STYLE = "underline"
DATE_STYLE = "$warning"
NUMBER_STYLE = "bold $success"
CONTEXT_BEFORE = 160  # characters of the paragraph shown before the claim (the claim must be in sight)
CONTEXT_AFTER = 400


def highlighted(text: str, offset: int, spans: list[tuple[int, int, str]]) -> Content:
    """``text`` (starting at article offset ``offset``) with styled spans (article offsets).

    Each piece is made visible on its own, so a stand-in such as ``<U+202E>``
    never shifts the highlighting of what follows it.
    """
    size = len(text)
    cuts = {0, size}
    for start, end, _style in spans:
        cuts.add(max(0, min(size, start - offset)))
        cuts.add(max(0, min(size, end - offset)))
    ordered = sorted(cuts)
    parts: list[str | tuple[str, str]] = []
    for a, b in zip(ordered, ordered[1:]):
        if a == b:
            continue
        piece = visible(text[a:b])
        styles = [style for start, end, style in spans if start - offset <= a and b <= end - offset]
        parts.append((piece, " ".join(styles)) if styles else piece)
    return Content.assemble(*parts)


def claim_in_paragraph(context: ClaimContext) -> Content:
    """The claim highlighted in its paragraph, cut to a little context either side so the claim is in sight."""
    text, offset = context.paragraph_text, context.paragraph_start
    start = max(0, context.start - offset - CONTEXT_BEFORE)
    end = min(len(text), context.end - offset + CONTEXT_AFTER)
    spans = [(context.start, context.end, CLAIM_STYLE)]
    spans += [(m.start, m.end, MENTION_STYLE) for m in context.mentions]
    spans += [(d.start, d.end, DATE_STYLE) for d in context.dates]
    spans += [(n.start, n.end, NUMBER_STYLE) for n in context.numbers]
    body = highlighted(text[start:end], offset + start, spans)
    return Content.assemble("…" if start > 0 else "", body, "…" if end < len(text) else "")


def why_line(context: ClaimContext) -> Content:
    return template("[b]#$id[/b] · [b]check-worthiness[/b] $score · $types  [i dim]$reasons[/]", id=context.claim_id,
                    score=f"{context.score:.2f}", types=", ".join(context.types) or "—",
                    reasons="; ".join(context.reasons) or "—")


def retired_line(context: ClaimContext) -> Content | None:
    if context.retired:
        return Content.styled("retired: re-analysis no longer finds this statement (kept for its verdicts)",
                              "italic $warning")
    return None


def claimant_line(context: ClaimContext) -> Content | None:
    """Who made the claim, and why the workbench thinks so (b corrects it)."""
    c = context.claimant
    if c is None:
        return None
    kind = {"speaker": "said by", "source": "reported by", "article": "the article's own:"}.get(c.kind, c.kind)
    corrected = f" · corrected by {c.corrected_by}" if c.corrected_by else ""
    return template("[b]$kind[/b] $name  [i dim]$reason$corrected[/]", kind=kind, name=c.name, reason=c.reason,
                    corrected=corrected)


FACT_LINES: list[Callable[[ClaimContext], Content | None]] = [why_line, claimant_line, retired_line]
"""One line each under the claim; append to show more (a claimant, say)."""


def metadata_line(article: ArticleInfo, *, hint: bool = True) -> Content:
    """The article on one line: file, site, date, author, language (``m`` shows every field and its source)."""
    parts: list = [("article ", "$text-muted"), styled(article.title or "untitled", "bold", limit=60), (" · ", "$text-muted"),
                   safe_line(article.file_name, limit=40)]
    for name in ("site", "published", "author", "language"):
        value = article.get(name)
        if value:
            parts += [(" · ", "$text-muted"), safe_line(value[:10] if name == "published" else value, limit=30)]
    if article.duplicate_of:
        parts += [("  near-duplicate of #", "$warning"), (str(article.duplicate_of), "$warning")]
    if hint:
        parts.append(("  m: details", "$text-muted italic"))
    return Content.assemble(*parts)


def metadata_block(article: ArticleInfo) -> Content:
    """One line per metadata field: value and, dimmed, where it came from."""
    lines = []
    for name in METADATA_FIELDS:
        value, source = article.get(name), article.source(name)
        lines.append(Content.assemble(
            (f"{name:<10}", "bold $text-muted"),
            plain_or_dash(value).truncate(200) if name == "title" else plain_or_dash(value),
            (f"  ({source})" if source else "  (unknown)", "italic $text-muted"),
        ))
    lines.append(Content.assemble(("file      ", "bold $text-muted"), safe_line(article.file_name),
                                  (f"  {article.format}, {article.encoding}, revision {article.revision}",
                                   "italic $text-muted")))
    if article.duplicate_of:
        lines.append(Content.styled(f"near-duplicate of article {article.duplicate_of}", "$warning"))
    return Content("\n").join(lines)


def date_lines(dates: tuple[DateRow, ...]) -> Content:
    if not dates:
        return Content.styled("no dates", "italic $text-muted")
    lines = []
    for d in dates:
        if d.resolved:
            span = d.start_day if d.start_day == d.end_day else f"{d.start_day} … {d.end_day}"
            anchor = f"  anchor {d.anchor} ({d.anchor_source})" if d.anchor else "  absolute"
            lines.append(Content.assemble(styled(d.surface, DATE_STYLE), f" → {span} ",
                                          (f"[{d.precision}]", "$text-muted"), (anchor, "italic $text-muted")))
        else:
            lines.append(Content.assemble(styled(d.surface, DATE_STYLE), (" → unresolved (no anchor)", "italic $error")))
    return Content("\n").join(lines)


def number_lines(numbers: tuple[NumberRow, ...]) -> Content:
    if not numbers:
        return Content.styled("no numbers", "italic $text-muted")
    lines = []
    for n in numbers:
        shown = f"{n.value:,.0f}" if float(n.value).is_integer() else f"{n.value:,}"
        lines.append(Content.assemble(styled(n.surface, NUMBER_STYLE), f" = {shown} ", styled(n.unit or "", "$text-muted")))
    return Content("\n").join(lines)


def mention_prompt(m: MentionRow) -> Content:
    return template("$surface → [b]$name[/b]  [dim]$type · $status[/dim]", surface=m.surface, name=m.name,
                    type=m.type, status=m.status)


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs in sorted numbers, as (first, last) pairs."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


class ClaimView(ScrollView, can_focus=True, inherit_bindings=False):
    """Shows one claim (a :class:`ClaimContext`) in its article: one widget that paints its own lines.

    Every section is rendered here into strips (no child widgets), so a new
    claim repaints this pane and nothing else: no layout pass (the virtual
    size only changes when the claim's lines no longer fit the pane) and no
    scrollbar change while they fit. The strips of the claim read ahead are
    rendered beforehand (:meth:`prerender`), so the key that moves on only
    paints them.

    Focused, up/down highlight one of the claim's entity mentions (the
    subject of alias, promote and the entity filter); pageup/pagedown scroll.
    """

    BINDINGS = [
        Binding("down", "mention(1)", "Next mention", show=False, id="mention-next",
                tooltip="Highlight the next entity mention of the claim"),
        Binding("up", "mention(-1)", "Previous mention", show=False, id="mention-previous",
                tooltip="Highlight the previous entity mention of the claim"),
        Binding("pagedown", "scroll_page(1)", "Scroll down", show=False, id="claim-page-down",
                tooltip="Scroll the claim pane one screen down"),
        Binding("pageup", "scroll_page(-1)", "Scroll up", show=False, id="claim-page-up",
                tooltip="Scroll the claim pane one screen up"),
    ]

    COMPONENT_CLASSES = {"claim-view--mention", "claim-view--heading"}

    DEFAULT_CSS = """
    ClaimView { overflow-x: hidden; overflow-y: auto; scrollbar-gutter: stable; scrollbar-size-vertical: 1; }
    ClaimView > .claim-view--mention { background: $block-cursor-blurred-background; }
    ClaimView:focus > .claim-view--mention { color: $block-cursor-foreground; background: $block-cursor-background;
                                             text-style: $block-cursor-text-style; }
    """
    """The highlighted mention as an OptionList highlights its option (dim until the pane has focus)."""

    PRERENDERED = 4  # claims whose strips are kept (the shown one, the one read ahead, a step back)

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.context: ClaimContext | None = None
        self.mentions: tuple[MentionRow, ...] = ()
        self.highlighted: int = 0  # index into mentions
        self.expanded = False
        self._lines: list[Strip] = []
        self._sections: dict[str, int] = {}  # section name -> its first line
        self._mention_starts: list[int] = []  # the first line of each mention, then the line after the last
        self._rendered: OrderedDict[tuple, tuple[list[Strip], dict[str, int]]] = OrderedDict()

    # -- what is shown ---------------------------------------------------------------------
    def show(self, context: ClaimContext | None) -> None:
        if context is self.context:
            return
        self.context = context
        self.mentions = context.mentions if context is not None else ()
        self.highlighted = 0
        if self.scroll_offset.y:
            self.scroll_to(y=0, animate=False, immediate=True)
        self._update()

    def toggle_metadata(self) -> None:
        self.expanded = not self.expanded
        self._update()

    def prerender(self, context: ClaimContext | None) -> None:
        """Render a claim's strips now (the one read ahead), so showing it later only paints."""
        if context is not None and self.size.width:
            self._strips(context, self.highlighted if context is self.context else 0)

    @property
    def shown_text(self) -> str:
        """The pane's text as it shows it, line by line, without styles (the bench's floor peer shows the same)."""
        return "\n".join("".join(segment.text for segment in strip).rstrip() for strip in self._lines).rstrip()

    @property
    def selected_mention(self) -> MentionRow | None:
        if not self.mentions:
            return None
        return self.mentions[self.highlighted if 0 <= self.highlighted < len(self.mentions) else 0]

    def highlight(self, index: int) -> None:
        """Highlight mention ``index`` (kept within the claim's mentions) and keep it in sight."""
        if not self.mentions:
            return
        index = max(0, min(index, len(self.mentions) - 1))
        if index != self.highlighted:
            self.highlighted = index
            self._update()
        starts = self._mention_starts
        line = starts[index] if index < len(starts) else self._sections.get("mentions", 0)
        height = self.scrollable_content_region.height
        if height and not self.scroll_offset.y <= line < self.scroll_offset.y + height:
            self.scroll_to(y=max(0, line - height // 2), animate=False, immediate=True)

    def section_line(self, name: str) -> int:
        """The first line of a section ("paragraph", "facts", "meta", "mentions", "dates", "numbers")."""
        return self._sections[name]

    # -- keys and mouse ------------------------------------------------------------------------
    def action_mention(self, step: int) -> None:
        self.highlight(self.highlighted + step)

    def action_scroll_page(self, direction: int) -> None:
        step = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_offset.y + direction * step, animate=False)

    def on_click(self, event) -> None:
        line = self.scroll_offset.y + event.y
        starts = self._mention_starts
        for index, (first, after) in enumerate(zip(starts, starts[1:])):
            if first <= line < after:
                self.highlight(index)

    def on_focus(self) -> None:
        self._update()  # the highlighted mention takes the focused style

    def on_blur(self) -> None:
        self._update()

    def on_resize(self) -> None:
        self._rendered.clear()
        self._update()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._rendered.clear()  # a theme or class change: the strips' colours come from the styles
        self._update()

    # -- rendering ------------------------------------------------------------------------------
    def _update(self) -> None:
        width = self.scrollable_content_region.width
        if not width:
            return
        old = self._lines
        self._lines, self._sections, self._mention_starts = self._strips(self.context, self.highlighted)
        # the virtual height only changes when the claim no longer fits (a layout pass and a scrollbar); a claim
        # that fits keeps the pane's height, so showing it repaints this pane and nothing else
        size = Size(width, max(len(self._lines), self.scrollable_content_region.height))
        if size != self.virtual_size:
            self.virtual_size = size
            self.refresh()
            return
        # only the lines that differ repaint (the blank lines below both claims, a heading in the same place, stay)
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        changed = [y for y in range(top, top + height)
                   if (old[y] if y < len(old) else None) != (self._lines[y] if y < len(self._lines) else None)]
        for first, last in _runs(changed):
            self.refresh_lines(first, last - first + 1)

    def _strips(self, context: ClaimContext | None,
                highlighted: int) -> tuple[list[Strip], dict[str, int], list[int]]:
        width = self.scrollable_content_region.width
        key = (id(context), context is not None and context.claim_id, width, self.expanded, highlighted,
               self.has_focus)
        found = self._rendered.get(key)
        if found is not None and (context is None or found[-1] is context):
            self._rendered.move_to_end(key)
            return found[:-1]
        rendered = self._render_claim(context, width, highlighted)
        self._rendered[key] = (*rendered, context)
        while len(self._rendered) > self.PRERENDERED:
            self._rendered.popitem(last=False)
        return rendered

    def _render_claim(self, context: ClaimContext | None, width: int,
                      highlighted: int) -> tuple[list[Strip], dict[str, int], list[int]]:
        style = self.visual_style
        lines: list[Strip] = []
        sections: dict[str, int] = {}

        def add(name: str | None, content: Content, *, gap: bool = False) -> None:
            if gap:
                lines.append(Strip.blank(width, style.rich_style))
            if name is not None:
                sections[name] = len(lines)
            lines.extend(Visual.to_strips(self, content, width, None, style, pad=True))

        if context is None:
            add("paragraph", Content.styled("No claim here: the queue is empty for these filters.",
                                            "italic $text-muted"))
            return lines, sections, []
        add("paragraph", claim_in_paragraph(context))
        facts = [line for render in FACT_LINES if (line := render(context)) is not None]
        add("facts", Content("\n").join(facts).stylize_before("$text-muted"), gap=True)
        add("meta", metadata_block(context.article) if self.expanded else metadata_line(context.article), gap=True)
        add(None, Content.styled("Entities  a alias · p promote · E filter", "bold $text-accent"), gap=True)
        sections["mentions"] = len(lines)
        starts: list[int] = []  # each mention's first line (a long one wraps)
        if context.mentions:
            chosen = self.get_component_rich_style("claim-view--mention")
            for index, m in enumerate(context.mentions):
                starts.append(len(lines))
                strips = Visual.to_strips(self, mention_prompt(m), width, None, style, pad=True)
                if index == highlighted:
                    strips = [strip.apply_style(chosen) for strip in strips]
                lines.extend(strips)
            starts.append(len(lines))
        else:
            add(None, Content.styled("no entity mentions", "italic $text-muted"))
        add(None, Content.styled("Dates and their anchors", "bold $text-accent"), gap=True)
        add("dates", date_lines(context.dates))
        add(None, Content.styled("Numbers", "bold $text-accent"), gap=True)
        add("numbers", number_lines(context.numbers))
        return lines, sections, starts

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        if 0 <= index < len(self._lines):
            return self._lines[index].crop_extend(0, width, self.visual_style.rich_style)
        return Strip.blank(width, self.visual_style.rich_style)
