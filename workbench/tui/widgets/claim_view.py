"""The middle pane: a claim in its article, the claim first.

From the top: the claim highlighted in its paragraph (entity mentions, dates
and numbers marked inside it), a few one-line facts about it (check-worthiness
and why; :data:`FACT_LINES`), the article's metadata folded into one line
(``m`` unfolds every field with where it came from), then its entities, dates
with their anchors, and numbers. The mention list is focusable: from a mention
the reviewer adds an alias or promotes a candidate (the screen owns those).

To show something more about a claim, append a function to
:data:`FACT_LINES`: it takes the :class:`ClaimContext` and returns a Content
line (or None to skip).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

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


class MentionList(OptionList):
    """The claim's entity mentions; the highlighted one is the subject of alias/promote."""


class ClaimView(VerticalScroll):
    """Shows one claim (a :class:`ClaimContext`) in its article."""

    def compose(self):
        yield Static(id="paragraph", classes="section")
        yield Static(id="facts", classes="section muted")
        yield Static(id="meta", classes="section")
        yield Static(Content.styled("Entities  a alias · p promote · E filter", "bold $text-accent"), classes="heading")
        yield MentionList(id="mentions")
        yield Static(Content.styled("Dates and their anchors", "bold $text-accent"), classes="heading")
        yield Static(id="dates", classes="section")
        yield Static(Content.styled("Numbers", "bold $text-accent"), classes="heading")
        yield Static(id="numbers", classes="section")

    def on_mount(self) -> None:
        self.mentions: tuple[MentionRow, ...] = ()
        self.context: ClaimContext | None = None
        self.expanded = False

    def show(self, context: ClaimContext | None) -> None:
        if context is self.context:
            return
        self.context = context
        self.scroll_home(animate=False, immediate=True)
        mentions = self.query_one(MentionList)
        mentions.clear_options()
        if context is None:
            self.query_one("#paragraph", Static).update(
                Content.styled("No claim here: the queue is empty for these filters.", "italic $text-muted"))
            for name in ("#facts", "#meta", "#dates", "#numbers"):
                self.query_one(name, Static).update("")
            self.mentions = ()
            return
        self.query_one("#paragraph", Static).update(claim_in_paragraph(context))
        facts = [line for render in FACT_LINES if (line := render(context)) is not None]
        self.query_one("#facts", Static).update(Content("\n").join(facts))
        self._show_meta()
        self.mentions = context.mentions
        if self.mentions:
            mentions.add_options([Option(mention_prompt(m), id=str(i)) for i, m in enumerate(self.mentions)])
        else:
            mentions.add_option(Option(Content.styled("no entity mentions", "italic $text-muted"), disabled=True))
        self.query_one("#dates", Static).update(date_lines(context.dates))
        self.query_one("#numbers", Static).update(number_lines(context.numbers))

    def _show_meta(self) -> None:
        if self.context is not None:
            article = self.context.article
            self.query_one("#meta", Static).update(metadata_block(article) if self.expanded else metadata_line(article))

    def toggle_metadata(self) -> None:
        self.expanded = not self.expanded
        self._show_meta()

    @property
    def selected_mention(self) -> MentionRow | None:
        if not self.mentions:
            return None
        index = self.query_one(MentionList).highlighted
        return self.mentions[index if index is not None and index < len(self.mentions) else 0]
