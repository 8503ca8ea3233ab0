"""Bytes -> text: refuse binary input, detect the encoding, never guess silently.

The order of the checks matters:

1. a byte-order mark decides (UTF-8, UTF-16 LE/BE);
2. known binary formats (PNG, ELF, ZIP, PDF, ...) are refused by their magic;
3. UTF-16 without a BOM is recognised by its NUL pattern (every other byte
   is NUL in ASCII-heavy text); any other NUL byte means binary;
4. strict UTF-8;
5. GB18030 and Big5, both strict, and the one whose decoded text is more
   plausible wins (see :func:`_plausibility`).

Nothing is ever decoded with ``errors="replace"``: input that no candidate
decodes strictly is refused, so a reviewer never reads U+FFFD where the
original had a character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from workbench.model import Refusal

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\x7fELF", "an ELF executable"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"%PDF-", "a PDF document"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", None),  # too short to be sure on its own; see _magic_kind
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"MZ", None),
)

# C0 control characters that never occur in text; tab, newlines, form feed
# and ESC are left out (ESC sequences in hostile text stay data).
_CONTROL_CHARS = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r\x0b\x0c\x1b") + "\x7f"
_CONTROL_RUN = re.compile("[" + re.escape(_CONTROL_CHARS) + "]+")
_MAX_CONTROL_SHARE = 0.10

_SAMPLE_CHARS = 200_000
_MIN_PLAUSIBILITY = 0.6

# Latin-1 / cp1252 renderings of UTF-8 lead + continuation bytes ("Ã©", "å¤§", "â€™").
_MOJIBAKE = re.compile("[\u00c2-\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{1,3}")
_HAN = re.compile("[\u4e00-\u9fff]")


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data`` or raise :class:`Refusal` with a one-line reason."""
    if not data.strip():
        raise Refusal("empty file (no text, only whitespace)" if data else "empty file")
    for bom, name in _BOMS:
        if data.startswith(bom):
            codec = "utf-8" if name == "utf-8-sig" else name
            return _finish(_strict(data[len(bom):], codec), name)
    kind = _magic_kind(data)
    if kind:
        raise Refusal(f"binary file: looks like {kind}")
    if b"\x00" in data:
        utf16 = _utf16_by_nul_pattern(data)
        if utf16 is None:
            raise Refusal("binary file: contains NUL bytes")
        return _finish(_strict(data, utf16), utf16)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _finish(text, "utf-8")
    return _finish(*_decode_chinese(data))


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise Refusal(f"undecodable: not valid {encoding} at byte {exc.start}") from None


def _finish(text: str, encoding: str) -> Decoded:
    if not text.strip():
        raise Refusal("empty file (no text, only whitespace)")
    if "\x00" in text:
        raise Refusal("binary file: contains NUL characters")
    # A regex finds the (normally absent) control runs far faster than
    # str.translate walks a large non-ASCII text.
    controls = sum(len(run) for run in _CONTROL_RUN.findall(text))
    if controls and controls > _MAX_CONTROL_SHARE * len(text):
        raise Refusal(f"binary file: {controls} control characters in {len(text)}")
    decoded = Decoded(text, encoding)
    example = find_mojibake(text)
    if example:
        decoded.warnings.append(
            f"text looks like mojibake (UTF-8 read as Latin-1 upstream), e.g. {example[0]!r} for {example[1]!r}"
        )
    return decoded


def _magic_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if not data.startswith(magic):
            continue
        if kind is not None:
            return kind
        if magic == b"MZ" and b"This program cannot be run in DOS mode" in data[:512]:
            return "a Windows executable"
        if magic == b"BZh" and data[3:4].isdigit() and data[4:10] == b"1AY&SY":
            return "a bzip2 archive"
    return None


def _utf16_by_nul_pattern(data: bytes) -> str | None:
    """Return "utf-16-le"/"utf-16-be" when NULs sit on one byte parity only."""
    sample = data[:8192]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul >= 0.3 and even_nul <= 0.02:
        return "utf-16-le"  # "A\0B\0": the high byte (second) is NUL
    if even_nul >= 0.3 and odd_nul <= 0.02:
        return "utf-16-be"
    return None


def _decode_chinese(data: bytes) -> tuple[str, str]:
    """Pick GB18030 or Big5 by the plausibility of the decoded text."""
    candidates = []
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_plausibility(text, encoding), encoding, text))
    if not candidates:
        raise Refusal("undecodable: not UTF-8, UTF-16, GB18030 or Big5")
    score, encoding, text = max(candidates)
    if score < _MIN_PLAUSIBILITY:
        raise Refusal(
            f"undecodable: not UTF-8, and as {encoding} only {score:.0%} of the Chinese characters are common ones"
        )
    return text, encoding


def _plausibility(text: str, encoding: str) -> float:
    """Share of Han characters that are common in the script the encoding serves.

    A wrong legacy decoding still "succeeds" surprisingly often, but it yields
    rare characters: GBK bytes read as Big5 land outside Big5's frequent-character
    block and vice versa.  The common sets come from the encodings themselves,
    so no word list is needed: GB2312 level 1 (the 3,755 most frequent
    simplified characters) and Big5's 常用字 block (5,401 traditional ones).
    """
    common = _gb_common() if encoding == "gb18030" else _big5_common()
    han = _HAN.findall(text[:_SAMPLE_CHARS])
    if not han:
        return 0.0
    return sum(1 for ch in han if ch in common) / len(han)


@cache
def _gb_common() -> frozenset[str]:
    chars = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


@cache
def _big5_common() -> frozenset[str]:
    chars = set()
    for lead in range(0xA4, 0xC7):
        for trail in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            if lead == 0xC6 and trail > 0x7E:
                break
            try:
                chars.add(bytes((lead, trail)).decode("big5"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


def find_mojibake(text: str, limit: int = 200) -> tuple[str, str] | None:
    """Return (garbled, repaired) for the first UTF-8-read-as-Latin-1 sequence."""
    for n, match in enumerate(_MOJIBAKE.finditer(text)):
        if n >= limit:
            break
        for end in range(len(match.group()), 1, -1):
            garbled = match.group()[:end]
            for codec in ("cp1252", "latin-1"):
                try:
                    repaired = garbled.encode(codec).decode("utf-8")
                except (UnicodeEncodeError, UnicodeDecodeError):
                    continue
                return garbled, repaired
    return None
