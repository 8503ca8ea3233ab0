"""Modal forms: a verdict with a note, an adjudicated verdict, a metadata correction, an alias.

Each form dismisses with a small dataclass (or None when cancelled); the app
does the writing. Inputs are prefilled with data through ``value=`` (plain
text, never markup); labels and titles are trusted strings or Content.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from workbench.safe_text import one_line
from workbench.scales import Scale
from workbench.tui.text import safe_line


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
        with Vertical(classes="form"):
            yield Static(Content.styled(self.TITLE, "bold $accent"), classes="form-title")
            yield from self.compose_fields()
            yield Static("", id="form-error", classes="form-error")
            with Horizontal(classes="form-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(Content.styled(message, "bold $error"))

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


class VerdictForm(FormScreen):
    """A verdict with a note and evidence URLs (one key: n)."""

    TITLE = "Verdict with a note and evidence"

    def __init__(self, scale: Scale, current: dict | None):
        super().__init__()
        self.scale = scale
        self.current = current

    def compose_fields(self):
        initial = self.current["label"] if self.current else self.scale.labels[0].label
        yield Label("Verdict")
        yield Select(_label_options(self.scale), value=initial, allow_blank=False, id="label")
        yield Label("Note")
        yield Input(value=one_line((self.current or {}).get("note", "")), placeholder="why (optional)", id="note")
        yield Label("Evidence URLs (space separated)")
        urls = [e for e in (self.current or {}).get("evidence", []) if not str(e).startswith("link:")]
        yield Input(value=one_line(" ".join(urls)), placeholder="https://…", id="evidence")

    def submit(self) -> None:
        self.dismiss(VerdictInput(
            label=str(self.query_one("#label", Select).value),
            note=self.query_one("#note", Input).value.strip(),
            evidence=self.query_one("#evidence", Input).value.split(),
        ))


class AdjudicateForm(VerdictForm):
    """An adjudicator's final verdict: a reason is required."""

    TITLE = "Final verdict (adjudication) — a reason is required"

    def compose_fields(self):
        yield from super().compose_fields()
        yield Label("Reason (required)")
        yield Input(placeholder="why this is the final verdict", id="reason")

    def submit(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            self.error("An adjudicated verdict needs a reason.")
            self.query_one("#reason", Input).focus()
            return
        self.dismiss(VerdictInput(
            label=str(self.query_one("#label", Select).value),
            note=self.query_one("#note", Input).value.strip(),
            evidence=self.query_one("#evidence", Input).value.split(),
            reason=reason,
        ))


class MetadataForm(FormScreen):
    """Correct an article's title, publication date and author."""

    TITLE = "Correct the article's metadata"
    FIELDS = ("title", "published", "author")

    def __init__(self, article: dict):
        super().__init__()
        self.article = article

    def compose_fields(self):
        yield Static(Content.assemble(("article ", "$text-muted"), safe_line(self.article.get("path"), limit=80)))
        for name in self.FIELDS:
            hint = " (YYYY-MM-DD or YYYY-MM-DDTHH:MM)" if name == "published" else ""
            yield Label(f"{name.capitalize()}{hint}")
            # Inputs show their value raw, so the value goes in with its controls made visible; a field
            # left as shown is not written back (see submit), an edited one is stored as typed.
            yield Input(value=one_line(self.article.get(name) or ""), id=f"field-{name}")
        yield Label("Reason (optional)")
        yield Input(id="reason")

    def submit(self) -> None:
        changes = {}
        for name in self.FIELDS:
            value = self.query_one(f"#field-{name}", Input).value.strip()
            if value != one_line(self.article.get(name) or "").strip():
                changes[name] = value or None
        if not changes:
            self.error("Nothing changed.")
            return
        self.dismiss(MetadataInput(changes, self.query_one("#reason", Input).value.strip()))


class AliasForm(FormScreen):
    """Add a mention's text as an alias of an entity (new or existing)."""

    TITLE = "Add an alias"

    def __init__(self, mention: dict | None):
        super().__init__()
        self.mention = mention or {}

    def compose_fields(self):
        yield Label("Text in the article (the alias)")
        yield Input(value=one_line(self.mention.get("surface", "")), id="alias")
        yield Label("Entity it names (an existing name, alias or id; a new name creates the entity)")
        yield Input(value=one_line(self.mention.get("name", "")), id="entity")
        yield Label("Type for a new entity")
        yield Select([(t, t) for t in ("person", "organization", "place", "product", "term", "name")],
                     value=self.mention.get("type") if self.mention.get("type") in
                     ("person", "organization", "place", "product", "term", "name") else "organization",
                     allow_blank=False, id="type")

    def submit(self) -> None:
        alias = self.query_one("#alias", Input).value.strip()
        entity = self.query_one("#entity", Input).value.strip()
        if not alias or not entity:
            self.error("Both the alias and the entity are needed.")
            return
        self.dismiss(AliasInput(alias, entity, str(self.query_one("#type", Select).value)))
