"""Modal forms: a verdict with a note, an adjudicated verdict, a metadata correction, an alias.

Each form dismisses with a small dataclass (or None when cancelled); the app
does the writing. Inputs are prefilled with data through ``value=`` (plain
text, never markup); labels and titles are trusted strings or Content.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from workbench.model import CLAIMANT_KINDS, ENTITY_TYPES, EntityType
from workbench.review.records import ArticleInfo, MentionRow, VerdictRow
from workbench.safe_text import one_line
from workbench.scales import Scale
from workbench.tui.text import safe_line, styled


@dataclass
class VerdictInput:
    label: str
    note: str
    evidence: list[str]
    reason: str = ""


@dataclass
class MetadataInput:
    changes: dict[str, str | None]
    reason: str


@dataclass
class ClaimantInput:
    name: str
    entity: str
    kind: str
    reason: str


@dataclass
class AliasInput:
    alias: str
    entity: str
    type: str


class FormScreen(ModalScreen):
    """A small modal form: Enter in the last field or the Save button submits, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="form-cancel", tooltip="Close without saving")]
    """Escape closes every form without writing anything."""

    TITLE = ""

    def compose_fields(self):  # pragma: no cover - overridden
        yield from ()

    def compose(self):
        # the fields scroll and the buttons stay: every form fits an 80x24 terminal
        with Vertical(classes="form"):
            yield Static(Content.styled(self.TITLE, "bold $accent"), classes="form-title")
            with VerticalScroll(classes="form-fields"):
                yield from self.compose_fields()
            yield Static("", id="form-error", classes="form-error")
            with Horizontal(classes="form-buttons"):
                yield Static(Content.styled("Enter saves · Esc cancels", "$text-muted"), classes="form-hint")
                yield Button("Save", variant="primary", id="save", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def error(self, message: str, field: str | None = None) -> None:
        """Show what is wrong; the keys stay with the form (Escape cancels, the field keeps its text)."""
        self.query_one("#form-error", Static).update(Content.styled(message, "bold $error"))
        if field is not None:
            self.query_one(field).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def _save(self) -> None:
        self.submit()

    def submit(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


def _label_options(scale: Scale) -> list[tuple[Content, str]]:
    # a custom scale's labels are data: Content, so "[b]" in one stays text
    return [(Content(f"{i}  {one_line(e.label)}"), e.label) for i, e in enumerate(scale.labels, start=1)]


def _digit_bindings() -> list[Binding]:
    return [Binding(str(i), f"pick({i})", f"verdict {i}", show=False, id=f"form-verdict-{i}",
                    tooltip=f"Choose label {i} of the scale (when the verdict field, not a text field, has focus)")
            for i in range(1, 10)]


class VerdictForm(FormScreen):
    """A verdict with a note and evidence URLs (one key: n). It opens on the claim's current verdict, if any."""

    TITLE = "Verdict with a note and evidence"
    BINDINGS = _digit_bindings()

    def __init__(self, scale: Scale, current: VerdictRow | None):
        super().__init__()
        self.scale = scale
        self.current = current

    def compose_fields(self):
        yield Label(f"Verdict (1–{len(self.scale.labels)} choose)")
        initial = self.current.label if self.current and self.scale.get(self.current.label) else Select.NULL
        yield Select(_label_options(self.scale), value=initial, prompt=f"press 1–{len(self.scale.labels)}",
                     id="label", compact=True)
        yield Label("Note")
        yield Input(value=one_line(self.current.note if self.current else ""), placeholder="why (optional)", id="note",
                    compact=True)
        yield Label("Evidence URLs (space separated)")
        urls = [e for e in (self.current.evidence if self.current else ()) if not str(e).startswith("link:")]
        yield Input(value=one_line(" ".join(urls)), placeholder="https://…", id="evidence", compact=True)

    def on_mount(self) -> None:
        self.query_one("#label", Select).focus()

    def action_pick(self, number: int) -> None:
        if number <= len(self.scale.labels):
            self.query_one("#label", Select).value = self.scale.labels[number - 1].label

    def chosen(self) -> str | None:
        value = self.query_one("#label", Select).value
        if value is Select.NULL or value is None:
            self.error(f"Choose a verdict first (keys 1–{len(self.scale.labels)}).", "#label")
            return None
        return str(value)

    def submit(self) -> None:
        label = self.chosen()
        if label is not None:
            self.dismiss(VerdictInput(label=label, note=self.query_one("#note", Input).value.strip(),
                                      evidence=self.query_one("#evidence", Input).value.split()))


def verdict_lines(verdicts: list[VerdictRow]) -> Content:
    """Each reviewer's verdict, note and evidence: what an adjudication settles."""
    if not verdicts:
        return Content.styled("No verdicts yet.", "italic $text-muted")
    lines = []
    for v in verdicts:
        lines.append(Content.assemble(("★ final " if v.final else "• ", "$accent"), styled(v.reviewer, "bold", limit=24),
                                      ": ", styled(v.label, "bold $secondary", limit=30),
                                      (f"  v{v.version}", "$text-muted")))
        if v.note:
            lines.append(Content.assemble("    note: ", styled(v.note, "italic", limit=200)))
        if v.evidence:
            lines.append(Content.assemble("    evidence: ", styled(" ".join(v.evidence), "$text-muted", limit=200)))
    return Content("\n").join(lines)


class AdjudicateForm(VerdictForm):
    """An adjudicator's final verdict over every reviewer's verdict (listed); a reason is required."""

    TITLE = "Final verdict (adjudication): a reason is required"

    def __init__(self, scale: Scale, current: VerdictRow | None, verdicts: list[VerdictRow] = ()):
        super().__init__(scale, current)
        self.verdicts = list(verdicts)

    def compose_fields(self):
        yield Static(verdict_lines(self.verdicts), id="verdicts", classes="form-verdicts")
        yield from super().compose_fields()
        yield Label("Reason (required)")
        yield Input(placeholder="why this is the final verdict", id="reason", compact=True)

    def submit(self) -> None:
        label = self.chosen()
        if label is None:
            return
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            self.error("An adjudicated verdict needs a reason.", "#reason")
            return
        self.dismiss(VerdictInput(label=label, note=self.query_one("#note", Input).value.strip(),
                                  evidence=self.query_one("#evidence", Input).value.split(), reason=reason))


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question (y or Enter: yes; n or Escape: no)."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm-yes", tooltip="Go ahead"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no", tooltip="Do not do it"),
    ]

    def __init__(self, question: Content):
        super().__init__()
        self.question = question

    def compose(self):
        with Vertical(classes="form"):
            yield Static(self.question)
            yield Static(Content.styled("y / Enter: yes · n / Esc: no", "$text-muted"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class MetadataForm(FormScreen):
    """Correct an article's title, publication date and author."""

    TITLE = "Correct the article's metadata"
    FIELDS = ("title", "published", "author")

    def __init__(self, article: ArticleInfo):
        super().__init__()
        self.article = article

    def compose_fields(self):
        yield Static(Content.assemble(("article ", "$text-muted"), safe_line(self.article.path, limit=80)))
        for name in self.FIELDS:
            hint = " (YYYY-MM-DD or YYYY-MM-DDTHH:MM)" if name == "published" else ""
            yield Label(f"{name.capitalize()}{hint}")
            # Inputs show their value raw, so the value goes in with its controls made visible; a field
            # left as shown is not written back (see submit), an edited one is stored as typed.
            yield Input(value=one_line(self.article.get(name) or ""), id=f"field-{name}", compact=True)
        yield Label("Reason (optional)")
        yield Input(id="reason", compact=True)

    def submit(self) -> None:
        from workbench.ingest.dates import parse_date

        changes = {}
        for name in self.FIELDS:
            value = self.query_one(f"#field-{name}", Input).value.strip()
            if value != one_line(self.article.get(name) or "").strip():
                changes[name] = value or None
        if not changes:
            self.error("Nothing changed.")
            return
        if changes.get("published") and parse_date(changes["published"])[0] is None:
            self.error(f"Not a date: {one_line(changes['published'], limit=40)} (use YYYY-MM-DD or YYYY-MM-DD HH:MM)",
                       "#field-published")
            return
        self.dismiss(MetadataInput(changes, self.query_one("#reason", Input).value.strip()))


class ClaimantForm(FormScreen):
    """Say who made the claim: a name, or an entity of the gazetteer, and whether they said or reported it."""

    TITLE = "Who made this claim"
    KINDS = (("speaker (said it)", "speaker"), ("source (reported it)", "source"), ("the article itself", "article"))

    def __init__(self, current=None):
        super().__init__()
        self.current = current

    def compose_fields(self):
        current = self.current
        yield Label("Name (as a reader should see it)")
        yield Input(value=one_line(current.name if current else ""), id="claimant-name", compact=True)
        yield Label("Entity (an existing name, alias or id; optional)")
        yield Input(value=str(current.entity_id) if current and current.entity_id else "", id="claimant-entity",
                    compact=True)
        yield Label("Kind")
        yield Select(self.KINDS, value=current.kind if current and current.kind in CLAIMANT_KINDS
                     else "speaker", allow_blank=False, id="claimant-kind")
        yield Label("Reason (optional)")
        yield Input(id="claimant-reason", compact=True)

    def submit(self) -> None:
        name = self.query_one("#claimant-name", Input).value.strip()
        entity = self.query_one("#claimant-entity", Input).value.strip()
        if not name and not entity:
            self.error("A name or an entity is needed.", "#claimant-name")
            return
        self.dismiss(ClaimantInput(name, entity, str(self.query_one("#claimant-kind", Select).value),
                                   self.query_one("#claimant-reason", Input).value.strip()))


ENTITY_TYPE_OPTIONS = [(t, t) for t in ENTITY_TYPES]  # the one vocabulary (model.EntityType)


class AliasForm(FormScreen):
    """Add a mention's text as an alias of an entity (new or existing)."""

    TITLE = "Add an alias"

    def __init__(self, mention: MentionRow | None):
        super().__init__()
        self.mention = mention

    def compose_fields(self):
        m = self.mention
        yield Label("Text in the article (the alias)")
        yield Input(value=one_line(m.surface if m else ""), id="alias", compact=True)
        yield Label("Entity it names (an existing name, alias or id; a new name creates the entity)")
        yield Input(value=one_line(m.name if m else ""), id="entity", compact=True)
        yield Label("Type for a new entity")
        yield Select(ENTITY_TYPE_OPTIONS, value=m.type if m and m.type in ENTITY_TYPES else EntityType.OTHER,
                     allow_blank=False, id="type", compact=True)

    def submit(self) -> None:
        alias = self.query_one("#alias", Input).value.strip()
        entity = self.query_one("#entity", Input).value.strip()
        if not alias or not entity:
            self.error("Both the alias and the entity are needed.")
            return
        self.dismiss(AliasInput(alias, entity, str(self.query_one("#type", Select).value)))
