"""The middle pane: a claim in its article.

The article's metadata with where each field came from, the claim highlighted
in its paragraph (entity mentions, dates and numbers marked inside it), and
lists of its entities, dates with their anchors, and numbers. The mention list
is focusable: from a mention the reviewer adds an alias or promotes a
candidate entity (the app owns those actions).
"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from workbench.safe_text import visible
from workbench.tui.text import plain_or_dash, safe_line, styled, template

CLAIM_STYLE = "bold $text on $accent-muted"
MENTION_STYLE = "underline"
DATE_STYLE = "$warning"
NUMBER_STYLE = "bold $success"

META_FIELDS = ("title", "published", "author", "site", "url", "language")


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


def metadata_block(article: dict) -> Content:
    """One line per metadata field: value and, dimmed, where it came from."""
    lines = []
    for name in META_FIELDS:
        value = article.get(name)
        source = article.get(f"{name}_source")
        lines.append(Content.assemble(
            (f"{name:<10}", "bold $text-muted"),
            plain_or_dash(value).truncate(200) if name == "title" else plain_or_dash(value),
            (f"  ({source})" if source else "  (unknown)", "italic $text-muted"),
        ))
    # the file name only: the folder it was imported from says nothing about the article
    name = str(article.get("path") or "").replace("\\", "/").rsplit("/", 1)[-1]
    extra = Content.assemble(("file      ", "bold $text-muted"), safe_line(name),
                             (f"  {article.get('format')}, {article.get('encoding')}, revision "
                              f"{article.get('revision')}", "italic $text-muted"))
    lines.append(extra)
    if article.get("duplicate_of"):
        lines.append(Content.styled(f"near-duplicate of article {article['duplicate_of']}", "$warning"))
    return Content("\n").join(lines)


def date_lines(dates: list[dict]) -> Content:
    if not dates:
        return Content.styled("no dates", "italic $text-muted")
    lines = []
    for d in dates:
        if d["resolved"]:
            span = d["start"] if d["start"] == d["end"] else f"{d['start']} … {d['end']}"
            anchor = (f"  anchor {d['anchor']} ({d['anchor_source']})" if d.get("anchor") else "  absolute")
            lines.append(Content.assemble(styled(d["surface"], DATE_STYLE), f" → {span} ", (f"[{d['precision']}]", "$text-muted"),
                                          (anchor, "italic $text-muted")))
        else:
            lines.append(Content.assemble(styled(d["surface"], DATE_STYLE), (" → unresolved (no anchor)", "italic $error")))
    return Content("\n").join(lines)


def number_lines(numbers: list[dict]) -> Content:
    if not numbers:
        return Content.styled("no numbers", "italic $text-muted")
    lines = []
    for n in numbers:
        value = n["value"]
        shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
        lines.append(Content.assemble(styled(n["surface"], NUMBER_STYLE), f" = {shown} ",
                                      styled(n.get("unit") or "", "$text-muted")))
    return Content("\n").join(lines)


class MentionList(OptionList):
    """The claim's entity mentions; the highlighted one is the subject of alias/promote."""


class ClaimView(VerticalScroll):
    """Shows one claim (a ``claim_context`` dict) in its article."""

    def compose(self):
        yield Static(id="meta", classes="section")
        yield Static(Content.styled("The claim in its paragraph", "bold $text-accent"), classes="heading")
        yield Static(id="paragraph", classes="section")
        yield Static(id="why", classes="section muted")
        yield Static(Content.styled("Entities  (a: add alias · p: promote candidate · E: filter)", "bold $text-accent"),
                     classes="heading")
        yield MentionList(id="mentions")
        yield Static(Content.styled("Dates and their anchors", "bold $text-accent"), classes="heading")
        yield Static(id="dates", classes="section")
        yield Static(Content.styled("Numbers", "bold $text-accent"), classes="heading")
        yield Static(id="numbers", classes="section")

    def show(self, context: dict | None) -> None:
        meta = self.query_one("#meta", Static)
        paragraph = self.query_one("#paragraph", Static)
        mentions = self.query_one(MentionList)
        mentions.clear_options()
        if context is None:
            meta.update(Content.styled("No claim here: the queue is empty for these filters.", "italic $text-muted"))
            for name in ("#paragraph", "#why", "#dates", "#numbers"):
                self.query_one(name, Static).update("")
            self.mentions = []
            return
        article = context["article"]
        claim = context["claim"] or {"entities": [], "dates": [], "numbers": [], "score": 0, "types": [], "reasons": []}
        meta.update(metadata_block(article))
        span_start, span_end = context["span"]
        spans = [(span_start, span_end, CLAIM_STYLE)]
        spans += [(e["start"], e["end"], MENTION_STYLE) for e in claim["entities"]]
        spans += [(d["span"][0], d["span"][1], DATE_STYLE) for d in claim["dates"]]
        spans += [(n["span"][0], n["span"][1], NUMBER_STYLE) for n in claim["numbers"]]
        para = context["paragraph"]
        paragraph.update(highlighted(para["text"], para["start"], spans))
        types = ", ".join(claim.get("types") or []) or "—"
        reasons = "; ".join(claim.get("reasons") or []) or "—"
        self.query_one("#why", Static).update(template(
            "[b]check-worthiness[/b] $score  [b]types[/b] $types\n[i]$reasons[/i]",
            score=f"{claim.get('score', 0):.2f}", types=types, reasons=reasons))
        self.mentions = claim["entities"]
        if self.mentions:
            mentions.add_options([
                Option(template("$surface → [b]$name[/b]  [dim]$type · $status[/dim]", surface=e["surface"],
                                name=e["name"], type=e["type"], status=e["status"]), id=str(i))
                for i, e in enumerate(self.mentions)])
        else:
            mentions.add_option(Option(Content.styled("no entity mentions", "italic $text-muted"), disabled=True))
        self.query_one("#dates", Static).update(date_lines(claim["dates"]))
        self.query_one("#numbers", Static).update(number_lines(claim["numbers"]))

    @property
    def selected_mention(self) -> dict | None:
        mentions = getattr(self, "mentions", [])
        if not mentions:
            return None
        index = self.query_one(MentionList).highlighted
        return mentions[index if index is not None and index < len(mentions) else 0]
