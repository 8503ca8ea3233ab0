"""The one door through which untrusted text reaches the screen.

Article text, titles, authors, notes, reviewer and entity names come from the
open web or from other people. Textual parses a plain ``str`` given to a
widget as markup (``"[@click=app.quit]x[/]"`` would become a live action, and
``"x[/]"`` crashes), and raw ESC, C1 or bidi characters would reach the
terminal. Everything the screen shows from the data goes through here:
:func:`workbench.safe_text.visible` first (controls become visible stand-ins),
then a :class:`~textual.content.Content` that is never parsed as markup.
Styled templates put the data in as *variables* (:func:`template`), which
Textual substitutes after parsing the template's own markup.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content

from workbench.safe_text import one_line, visible

__all__ = ["safe", "safe_line", "template", "styled", "plain_or_dash"]


def safe(text: Any, *, limit: int | None = None) -> Content:
    """Untrusted text as Content, newlines kept, every control or bidi character made visible."""
    return Content(visible(text, limit=limit))


def safe_line(text: Any, *, limit: int | None = None) -> Content:
    """Untrusted text on one line (list rows, table cells, titles)."""
    return Content(one_line(text, limit=limit))


def styled(text: Any, style: str, *, line: bool = True, limit: int | None = None) -> Content:
    """Untrusted text in one style (e.g. ``"bold $accent"``), never parsed as markup."""
    clean = one_line(text, limit=limit) if line else visible(text, limit=limit)
    return Content.styled(clean, style)


def template(markup: str, **values: Any) -> Content:
    """Trusted markup with untrusted values: ``template("[b]$title[/b]", title=row["title"])``.

    The values are made visible and passed as Content, so Textual inserts them
    as text: brackets in them stay brackets.
    """
    return Content.from_markup(markup, **{k: v if isinstance(v, Content) else safe_line(v) for k, v in values.items()})


def plain_or_dash(value: Any) -> Content:
    """A cell value: the text on one line, or an en dash when there is none."""
    return safe_line(value) if value not in (None, "") else Content("–")
