"""Untrusted text made safe to show in a terminal, and to print as JSON.

Article text, titles, notes and names come from the open web. Shown as they
are, an ESC or C1 byte starts a terminal control sequence (OSC 52 writes the
clipboard, OSC 8 plants a link), and bidi overrides reorder what the reader
sees. :func:`visible` replaces every such character with a visible stand-in,
so the text is shown literally and can never act. Markup is a separate
concern: the CLI and the TUI never let a string be parsed as markup (they
wrap it in ``rich.text.Text`` / ``textual.content.Content``).
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 controls but tab and newline, DEL, C1 controls; bidi embeddings, overrides,
# isolates and marks; zero-width characters and the BOM; line/paragraph
# separators; lone surrogates (they cannot be encoded for the terminal).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u2028\u2029"
    "\ud800-\udfff]"
)
_UNSAFE_WITH_NEWLINES = re.compile(_UNSAFE.pattern[:-1] + "\n\t]")


def _stand_in(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control picture: ␛ for ESC, ␀ for NUL
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def visible(text: Any, *, keep_newlines: bool = True, limit: int | None = None) -> str:
    """``text`` with every control, bidi and invisible character replaced by a visible stand-in.

    ``limit`` cuts very long strings (a megabyte on one line) for display, with an ellipsis.
    """
    if text is None:
        return ""
    text = str(text)
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    pattern = _UNSAFE if keep_newlines else _UNSAFE_WITH_NEWLINES
    return pattern.sub(_stand_in, text)


def one_line(text: Any, limit: int | None = None) -> str:
    """For table cells and list rows: no newlines, nothing invisible."""
    return visible(text, keep_newlines=False, limit=limit).replace("\u240a", " ").replace("\u2409", " ")


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u2028\u2029]")


def json_line(value: Any) -> str:
    """One JSON line, UTF-8 kept readable, but C1, bidi and invisible characters escaped.

    ``json.dumps`` escapes C0 controls itself; the rest would reach the
    terminal raw when the output is not redirected. The escapes are valid JSON,
    so the data is unchanged for a parser.
    """
    text = escape_json_text(json.dumps(value, ensure_ascii=False))
    # lone surrogates: json.dumps keeps them as characters; escape them too
    return text.encode("utf-8", "backslashreplace").decode("utf-8") if _has_surrogates(text) else text


def escape_json_text(text: str) -> str:
    """Escape C1, bidi and invisible characters in JSON text (they only occur inside strings)."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
