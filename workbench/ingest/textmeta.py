"""Metadata written into the text itself: header lines, forum poster lines,
bylines, dates in the body, and the language of the text.

These readers look only at the first few lines (:data:`HEAD_LINES`) and only
at lines of bounded length, so their cost does not grow with the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workbench.ingest.chrome import COMMENT_PROMPTS, line_key
from workbench.ingest.dates import parse_date

HEAD_LINES = 8
MAX_HEAD_LINE = 400

_DATE_KEYS = (
    "发布时间", "发布日期", "发表时间", "发表日期", "更新时间", "时间", "日期",
    "發布時間", "發佈時間", "發表時間", "發表日期", "更新時間", "時間",
    "published", "posted", "updated", "date",
)
_AUTHOR_KEYS = ("作者", "author")
_SITE_KEYS = ("来源", "來源", "source")
_OTHER_KEYS = ("编辑", "責任編輯", "责任编辑", "編輯")
_KEYS = "|".join(sorted(_DATE_KEYS + _AUTHOR_KEYS + _SITE_KEYS + _OTHER_KEYS, key=len, reverse=True))
# "key: value"; the value runs until a double space or the next "key:".
_HEADER_FIELD = re.compile(
    rf"(?P<key>{_KEYS})\s*[:：]\s*"
    rf"(?P<value>[^\s](?:[^\s]| (?!\s|(?:{_KEYS})\s*[:：]))*)",
    re.IGNORECASE,
)
_FIELD_SPLIT = re.compile(r"[ \t\u00a0\u3000]{2,}")
_BY_FIELD = re.compile(r"^By\s+(?P<name>\S.{0,80})$")

_POSTER = re.compile(
    r"^(?P<name>\S(?:[^\n]{0,58}\S)?)\s+ID:\s*(?P<id>[0-9A-Za-z+/.!]{3,16})\s+"
    r"(?P<date>\S[^\n]{2,58}?)\s+No\.\s?(?P<no>\d{1,12})\b"
)
_BYLINE = re.compile(
    r"^(?:(?:作者|撰文|记者|编译)\s*[:：｜|/]?\s*|文\s*[:：｜|/]\s*)(?P<name>[^\s，,。|｜:：]{1,20})(?=\s|$)"
    r"|^By\s+(?P<en>[A-Z][\w.'\-]+(?:\s+[A-Z][\w.'\-]+){0,3})\s*$"
)
_REPLY_REF = re.compile(r">>\d{1,12}")
_DATE_LINE = re.compile(r"^\s*\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_LANGUAGE_SAMPLE = 200_000


@dataclass
class HeaderLine:
    index: int
    line: str
    published: str | None = None
    author: str | None = None
    site: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class PosterLine:
    index: int
    line: str
    author: str | None
    published: str | None
    post_number: str
    reply_references: list[str] = field(default_factory=list)  # ">>8397", ...
    warnings: list[str] = field(default_factory=list)


def head_indices(lines: list[str], count: int = HEAD_LINES) -> list[int]:
    """Indices of the first ``count`` non-empty lines."""
    found = []
    for index, line in enumerate(lines):
        if line.strip():
            found.append(index)
            if len(found) == count:
                break
    return found


def find_header_line(lines: list[str]) -> HeaderLine | None:
    """A line like ``发布时间:2024-05-21 09:19:20   作者:玩站小弟   我要评论``.

    The line is read as fields separated by runs of spaces: ``key: value``
    fields (publication time, author, source), a bare date, ``By Name`` and
    comment prompts.  It is a header line when it yields a date that parses
    and at least one other field, or a date under an explicit key.  The
    whole line is page chrome.
    """
    for index in head_indices(lines):
        line = lines[index]
        if len(line) > MAX_HEAD_LINE:
            continue
        header = _read_header(index, line)
        if header is not None:
            return header
    return None


def _read_header(index: int, line: str) -> HeaderLine | None:
    header = HeaderLine(index, line)
    keyed_date = False
    recognised = 0
    for part in _FIELD_SPLIT.split(line.strip()):
        matches = list(_HEADER_FIELD.finditer(part))
        if matches:
            for match in matches:
                key, value = match.group("key").lower(), match.group("value").strip()
                recognised += 1
                if key in _DATE_KEYS and header.published is None:
                    keyed_date = True
                    iso, warning = parse_date(value)
                    header.published = iso
                    if warning:
                        header.warnings.append(f"header line: {warning}")
                elif key in _AUTHOR_KEYS and header.author is None:
                    header.author = value
                elif key in _SITE_KEYS and header.site is None:
                    header.site = value
            continue
        by = _BY_FIELD.match(part)
        if by and header.author is None:
            header.author = by.group("name").strip()
            recognised += 1
        elif line_key(part) in COMMENT_PROMPTS:
            recognised += 1
        elif header.published is None and len(part) <= 40 and _DATE_LINE.match(part):
            header.published, _ = parse_date(part)
            recognised += 1
    if header.published is None:
        return None
    if keyed_date or recognised >= 2:
        return header
    return None


def find_poster_line(lines: list[str]) -> PosterLine | None:
    """An imageboard poster line: ``Anonymous ID: 329d3a June 2, 2021, 8:43 p.m. No.13818355``."""
    for index in head_indices(lines, 3):
        line = lines[index]
        if len(line) > 2000:
            continue
        match = _POSTER.match(line.strip())
        if not match:
            continue
        iso, warning = parse_date(match.group("date"))
        poster = PosterLine(index, line, match.group("name").strip(), iso, match.group("no"))
        poster.reply_references = _REPLY_REF.findall(line)
        if warning:
            poster.warnings.append(f"poster line: {warning}")
        return poster
    return None


def find_byline(lines: list[str]) -> str | None:
    """``作者 赵宇奇``, ``文｜杜晨``, ``By Jane Doe`` near the top of the text."""
    for index in head_indices(lines, 5):
        line = lines[index].strip()
        if len(line) > 60:
            continue
        match = _BYLINE.match(line)
        if match:
            return match.group("name") or match.group("en")
    return None


def find_body_date(lines: list[str], candidates: list[str] = ()) -> str | None:
    """A date given in the body: page time elements first, then a line near
    the top that is just a date (``2021-07-13 13:03:59``)."""
    for value in candidates:
        iso, _ = parse_date(value)
        if iso:
            return iso
    for index in head_indices(lines, 12):
        line = lines[index].strip()
        if len(line) <= 40 and _DATE_LINE.match(line):
            iso, _ = parse_date(line)
            if iso:
                return iso
    return None


def first_line_title(lines: list[str], limit: int = 120) -> str | None:
    """The first non-empty line, shortened to ``limit`` characters."""
    for index in head_indices(lines, 1):
        title = lines[index].strip()
        return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
    return None


def infer_language(text: str) -> str | None:
    """"zh", "en" or "mixed" from the shares of Han characters and Latin letters.

    One Han character carries about as much as a short English word, so
    Latin letters are weighted by a quarter: "特斯拉Model Y" is still Chinese.
    """
    sample = text[:_LANGUAGE_SAMPLE]
    han = len(_HAN.findall(sample))
    latin = len(_LATIN.findall(sample)) / 4
    if han + latin == 0:
        return None
    share = han / (han + latin)
    if share >= 0.8:
        return "zh"
    if share <= 0.2:
        return "en"
    return "mixed"


def language_code(value: str) -> str | None:
    """Map a declared language (``zh-CN``, ``en_US``, ``Chinese``) to zh/en/mixed."""
    value = value.strip().lower().replace("_", "-")
    if value.startswith(("zh", "chinese", "中文", "cn")):
        return "zh"
    if value.startswith(("en", "english")):
        return "en"
    if value in ("mixed", "multi", "mul"):
        return "mixed"
    return None
