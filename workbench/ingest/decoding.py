"""Bytes -> text: refuse binary input, find the encoding, never guess silently.

The order of the checks matters:

1. a byte-order mark decides (UTF-8, UTF-16 LE/BE);
2. known binary formats (PNG, ELF, ZIP, PDF, ...) are refused by their magic;
3. UTF-16 without a BOM is recognised by its NUL pattern (every other byte
   is NUL in ASCII-heavy text); a few isolated NUL bytes in otherwise
   ordinary text become U+FFFD with a warning; more mean binary;
4. a declared charset (``<meta charset>``, ``http-equiv``, the XML
   declaration, a front-matter ``encoding:``) when it decodes cleanly;
5. strict UTF-8;
6. our GB18030/Big5 path for Chinese: both strict, the one whose decoded
   text is more plausible wins (see :func:`_plausibility`);
7. charset-normalizer for the rest (cp1252, Latin-1, Shift_JIS, EUC-KR, ...),
   which also overrules the Chinese path when the bytes are Korean or
   Japanese (EUC-KR Hangul decodes "cleanly" as common GB2312 hanzi).

Every decision is recorded with its evidence (:attr:`Decoded.source`, kept as
the article's encoding provenance). Nothing is decoded with
``errors="replace"``: input that no candidate decodes strictly is refused, so
a reviewer never reads U+FFFD where the original had a character.
"""

from __future__ import annotations

import codecs
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
    source: str = ""  # how the encoding was decided, with its evidence ("declared in <meta charset>", ...)


# A few NULs in a long text are a damaged file, not a binary one.
_MAX_ISOLATED_NUL_SHARE = 0.001
_MAX_ISOLATED_NULS = 8
_DECLARED = (
    (re.compile(rb"<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([\w.:-]{1,40})", re.IGNORECASE), "the XML declaration"),
    (re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?([\w.:-]{1,40})", re.IGNORECASE), "<meta charset>"),
    (re.compile(rb"\A\s*---[ \t]*\r?\n(?:[^\n]*\n){0,40}?encoding\s*:\s*[\"']?([\w.:-]{1,40})", re.IGNORECASE),
     "the front matter's encoding"),
)
# What a declared name means in practice (WHATWG): GB2312/GBK pages are GB18030's subset,
# Latin-1 and ASCII pages are windows-1252; a UTF-16 name in ASCII-readable bytes is wrong.
_DECLARED_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
                     "latin-1": "cp1252", "iso8859-1": "cp1252", "iso-8859-1": "cp1252", "latin1": "cp1252",
                     "ascii": "cp1252", "us-ascii": "cp1252", "big5-hkscs": "big5hkscs"}
_SINGLE_BYTE = {"cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "latin-1", "iso8859-15", "iso8859-2"}
_CJK_OTHER = {"cp949", "euc_kr", "johab", "iso2022_kr", "cp932", "shift_jis", "shift_jis_2004", "shift_jisx0213",
              "euc_jp", "euc_jis_2004", "euc_jisx0213", "iso2022_jp", "iso2022_jp_2", "iso2022_jp_ext"}


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data`` or raise :class:`Refusal` with a one-line reason."""
    if not data.strip():
        raise Refusal("empty file (no text, only whitespace)" if data else "empty file")
    for bom, name in _BOMS:
        if data.startswith(bom):
            codec = "utf-8" if name == "utf-8-sig" else name
            return _finish(_strict(data[len(bom):], codec), name, "byte-order mark")
    kind = _magic_kind(data)
    if kind:
        raise Refusal(f"binary file: looks like {kind}")
    nuls = data.count(b"\x00")
    if nuls:
        utf16 = _utf16_by_nul_pattern(data)
        if utf16 is not None:
            return _finish(_strict(data, utf16), utf16, "UTF-16 by its NUL pattern (no byte-order mark)")
        if nuls > max(_MAX_ISOLATED_NULS, _MAX_ISOLATED_NUL_SHARE * len(data)):
            raise Refusal(f"binary file: contains {nuls:,} NUL bytes")
    warnings: list[str] = []
    declared = _declared(data, warnings)
    if declared is not None:
        return _finish(*declared, warnings=warnings)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _finish(text, "utf-8", "valid UTF-8", warnings=warnings)
    return _finish(*_detect(data), warnings=warnings)


def _declared(data: bytes, warnings: list[str]) -> tuple[str, str, str] | None:
    """(text, codec, source) for a declared charset that decodes the bytes strictly, else None (with a warning)."""
    head = data[:4096]
    for pattern, where in _DECLARED:
        match = pattern.search(head)
        if not match:
            continue
        name = match.group(1).decode("ascii", "replace").lower()
        try:
            info = codecs.lookup(_DECLARED_ALIASES.get(name, name))
        except LookupError:
            info = None
        # Python also knows codecs that are not character sets (base64, rot13, zlib) and one that refuses
        # everything (undefined): a declaration naming them is as unknown as a misspelt one.
        if info is None or not getattr(info, "_is_text_encoding", True) or info.name == "undefined":
            warnings.append(f"declared charset {name!r} ({where}) is unknown; detected instead")
            return None
        codec = info.name
        if codec.startswith("utf-16") or codec.startswith("utf-32"):
            codec = "utf-8"  # an ASCII-readable declaration cannot be UTF-16 (WHATWG)
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            warnings.append(f"declared charset {name} ({where}) does not decode the bytes (at byte {exc.start});"
                            " detected instead")
            return None
        if codec in _SINGLE_BYTE and not data.isascii():
            try:
                utf8 = data.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:  # Latin-1 decodes anything; bytes that are valid UTF-8 were written as UTF-8
                warnings.append(f"declared charset {name} ({where}), but the bytes are valid UTF-8: read as UTF-8")
                return utf8, "utf-8", f"valid UTF-8 (declared {name} in {where})"
        return text, codec, f"declared in {where} ({name})"
    return None


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise Refusal(f"undecodable: not valid {encoding} at byte {exc.start}") from None


def _finish(text: str, encoding: str, source: str = "", warnings: list[str] | None = None) -> Decoded:
    if not text.strip():
        raise Refusal("empty file (no text, only whitespace)")
    warnings = list(warnings or [])
    nuls = text.count("\x00")
    if nuls:
        if nuls > max(_MAX_ISOLATED_NULS, _MAX_ISOLATED_NUL_SHARE * len(text)):
            raise Refusal(f"binary file: contains {nuls:,} NUL characters")
        text = text.replace("\x00", "\ufffd")
        warnings.append(f"{nuls} NUL byte(s) in the text replaced with U+FFFD")
    # A regex finds the (normally absent) control runs far faster than
    # str.translate walks a large non-ASCII text.
    controls = sum(len(run) for run in _CONTROL_RUN.findall(text))
    if controls and controls > _MAX_CONTROL_SHARE * len(text):
        raise Refusal(f"binary file: {controls} control characters in {len(text)}")
    decoded = Decoded(text, encoding, warnings, source or encoding)
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


def _detect(data: bytes) -> tuple[str, str, str]:
    """(text, codec, source) for bytes that are not UTF-8 and declare nothing usable."""
    chinese = _decode_chinese(data)
    other = _charset_normalizer(data)
    if other is not None and other[1] in _CJK_OTHER:
        return other  # Korean or Japanese: the Chinese path would read them as plausible hanzi
    if chinese is not None and chinese[3] >= _MIN_PLAUSIBILITY:
        return chinese[:3]
    if other is not None:
        return other
    if chinese is not None:
        raise Refusal(f"undecodable: not UTF-8, and as {chinese[1]} only {chinese[3]:.0%} of the Chinese characters"
                      " are common ones")
    raise Refusal("undecodable: not UTF-8, UTF-16, GB18030 or Big5, and no other encoding fits")


def _charset_normalizer(data: bytes) -> tuple[str, str, str] | None:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    best = min(m.chaos for m in matches)
    if best > 0.3:
        return None
    tied = [m for m in matches if m.chaos <= best + 1e-9]
    # windows-1252 is the web's single-byte default: among equally clean readings, it wins
    chosen = next((m for m in tied if "cp1252" in m.could_be_from_charset), tied[0])
    codec = "cp1252" if "cp1252" in chosen.could_be_from_charset else chosen.encoding
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        codec, text = chosen.encoding, str(chosen)
    language = (f", {chosen.language}" if codec == chosen.encoding and chosen.language
                and chosen.language != "Unknown" else "")
    return text, codec, f"charset-normalizer: {codec}, confidence {1 - chosen.chaos:.2f}{language}"


def _decode_chinese(data: bytes) -> tuple[str, str, str, float] | None:
    """(text, codec, source, plausibility) of the more plausible of GB18030 and Big5, or None."""
    candidates = []
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_plausibility(text, encoding), encoding, text))
    if not candidates:
        return None
    score, encoding, text = max(candidates)
    return text, encoding, f"Chinese path: {encoding}, {score:.0%} of the Han characters common ones", score


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
