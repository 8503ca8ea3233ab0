"""Keeping exported text data: no terminal escapes, no formulas, no markup.

Three encodings, three rules:

* JSON: lossless; :func:`workbench.safe_text.json_line` (shared with the
  CLI) escapes what ``json.dumps`` leaves raw (DEL, C1 controls, bidi and
  invisible characters, lone surrogates) as ``\\uXXXX``; parsing gives back
  exactly the same strings.
* CSV (:func:`csv_cell`): for spreadsheets. C0 controls other than tab and
  line feed, DEL, C1 controls and bidi controls are replaced with U+FFFD
  (NUL included: replaced, not removed, so a reader sees something was
  there). A cell that started with ``= + - @``, tab, CR, NUL or a space is
  prefixed with a single quote, as OWASP recommends against formula injection.
* Markdown (:func:`md_text`, :func:`md_code`): controls replaced as for CSV,
  line breaks and runs of white space folded to one space (untrusted text never
  starts a line, so it cannot open a heading, list, quote, table or code
  block), and every character that can start an inline construct mid-line is
  backslash-escaped (CommonMark: an escaped punctuation character is always
  literal): ``\\ ` * _ [ ] < > ! & | ~ # $ { } ^ = @``, so no emphasis, code,
  link, image, HTML tag, entity, strikethrough or math comes out of article
  text. GFM autolinks are broken where they start: the ``:`` of ``://`` (and
  of ``mailto:``/``xmpp:``), the ``.`` of ``www.``, and every ``@``. Other
  punctuation (``. , : - + ( )`` and quotes) is inert mid-line and left as is,
  so dates, times and numbers stay readable in the raw file.
"""

from __future__ import annotations

import re
from typing import Any

# Bidi embeddings, overrides (U+202A-U+202E) and isolates (U+2066-U+2069) reorder
# what a reader sees (the "Trojan Source" trick). LRM/RLM marks are left alone.
_BIDI = "\u202a-\u202e\u2066-\u2069"
_CONTROLS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\x00", " ")
_MD_SPECIAL = re.compile(
    r"([\\`*_\[\]<>!&|~#$}{^=@])"  # inline syntax, wherever it stands
    r"|(?<=www)(\.)"  # www. autolinks
    r"|(:)(?=//)|(?<=mailto)(:)|(?<=xmpp)(:)",  # scheme autolinks
    re.IGNORECASE,
)
_WHITESPACE = re.compile(r"\s+")
REPLACEMENT = "\ufffd"


def replace_controls(text: str) -> str:
    """Replace C0 (except tab and line feed), DEL, C1 and bidi controls with U+FFFD."""
    return _CONTROLS.sub(REPLACEMENT, text)


def csv_cell(value: Any) -> Any:
    """A value made safe for a CSV cell; numbers pass through, None becomes empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    safe = replace_controls(text)
    if text.startswith(_FORMULA_START):
        safe = "'" + safe
    return safe


def md_text(value: Any) -> str:
    """Untrusted text for inline use in Markdown: one line, every punctuation mark literal."""
    text = replace_controls(str(value))
    text = _WHITESPACE.sub(" ", text).strip()
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(), text)


def md_code(value: Any) -> str:
    """Untrusted text (a URL, say) as an inert, copyable code span.

    Nothing inside a code span is interpreted. The fence is one backtick longer
    than the longest run inside, and padded with spaces, per CommonMark.
    """
    text = _WHITESPACE.sub(" ", replace_controls(str(value))).strip()
    if not text:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    # A space on each side is stripped again by the renderer; it is needed only
    # when the text itself starts or ends with a backtick.
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
