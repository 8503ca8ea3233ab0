"""File names as text that round-trips, whatever their bytes.

On Linux a file name is bytes; a Chinese archive made on Windows names its files
in GBK, which is not UTF-8. Python hands such a name over with each undecodable
byte as a lone surrogate (``surrogateescape``), which SQLite, the terminal and
every export refuse to encode. :func:`stored_name` turns the name into plain
text: an undecodable byte becomes ``\\xNN`` and a backslash becomes ``\\\\``, so
a stored name with a backslash is always an escaped one and :func:`name_bytes`
gives back the exact bytes. A name that is valid UTF-8 without a backslash
(nearly all) is kept as it is.
"""

from __future__ import annotations

import os
import re

_SURROGATE = re.compile("[\udc80-\udcff]")
_ESCAPE = re.compile(r"\\(\\|x[0-9a-f]{2})")


def stored_name(path: str | os.PathLike | bytes) -> str:
    """The name as storable, printable text (see the module docstring)."""
    text = os.fsdecode(path)
    if _SURROGATE.search(text) is None and "\\" not in text:
        try:
            text.encode("utf-8")
            return text
        except UnicodeEncodeError:  # another lone surrogate: not from the file system
            pass
    try:
        raw = os.fsencode(text)
    except UnicodeEncodeError:  # a lone surrogate that no file system gave us
        raw = text.encode("utf-8", "surrogatepass")
    decoded = raw.decode("utf-8", "surrogateescape")
    out = decoded.replace("\\", "\\\\")
    return _SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", out)


def name_bytes(stored: str) -> bytes:
    """The file name's bytes back from :func:`stored_name`."""
    if "\\" not in stored:
        return stored.encode("utf-8")
    text = _ESCAPE.sub(lambda m: "\\" if m.group(1) == "\\" else chr(0xDC00 + int(m.group(1)[1:], 16)), stored)
    return text.encode("utf-8", "surrogateescape")
