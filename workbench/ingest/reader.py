"""One document's bytes -> ParsedArticle(s): format detection and assembly.

The format is decided by content first and by the file extension second:
JSON/JSONL when the text parses as such, Markdown when it opens with YAML
front matter, HTML when it starts like a page, a forum repost when the first
line is an imageboard poster line, plain text otherwise.  An extension only
breaks ties (``.json`` that does not parse is refused rather than read as
text; ``.md`` without front matter is still Markdown).
"""

from __future__ import annotations

import json
from pathlib import PurePath

from workbench.ingest import chrome, records, seo, textmeta
from workbench.ingest.dates import parse_date
from workbench.ingest.decoding import decode_bytes
from workbench.ingest.frontmatter import parse_front_matter, split_front_matter
from workbench.ingest.htmltext import HtmlDocument, html_to_text, looks_like_html, looks_like_html_page
from workbench.model import ParsedArticle, Refusal, Removed

_HTML_EXTENSIONS = {".html", ".htm", ".xhtml"}
_MARKDOWN_EXTENSIONS = {".md", ".markdown", ".mdown", ".mkd"}
_JSONL_EXTENSIONS = {".jsonl", ".ndjson", ".jsonlines"}


class _Article:
    """Collects metadata in priority order: the first value set for a field wins."""

    def __init__(self, path: str, fmt: str, encoding: str, raw: bytes) -> None:
        self.article = ParsedArticle(path=path, format=fmt, encoding=encoding, raw=raw, clean_text="")

    def set(self, name: str, value: str | None, source: str) -> None:
        if value is None or getattr(self.article, name) is not None:
            return
        value = " ".join(str(value).split())
        if value:
            setattr(self.article, name, value)
            self.article.provenance[name] = source

    def set_date(self, value: object, source: str, label: str) -> None:
        if self.article.published is not None or value is None:
            return
        iso, warning = parse_date(value)
        if warning:
            self.article.warnings.append(f"{label}: {warning}; treated as missing")
        self.set("published", iso, source)

    def warn(self, messages: list[str]) -> None:
        self.article.warnings.extend(messages)


def read_document(path: str, data: bytes) -> list[ParsedArticle | Refusal]:
    """Read one file's bytes into articles (one, or one per JSON/JSONL record).

    Raises :class:`workbench.model.Refusal` with a one-line reason for input
    the importer will not take: empty, binary, undecodable, broken front
    matter, invalid JSON. A JSON/JSONL file is a collection: a bad record
    (not an object, no text field, nothing left after clean-up) comes back as
    a ``Refusal`` in its place, naming the record, and the good records still
    import -- a scraper's export of ten thousand records is not lost to one
    empty record. A file none of whose records is good is refused whole.
    """
    decoded = decode_bytes(data)
    text = decoded.text.lstrip("\ufeff")
    fmt = detect_format(text, path)
    if fmt in ("json", "jsonl"):
        split = records.split_json(text) if fmt == "json" else records.split_jsonl(text)
        raw_codec = "utf-8" if decoded.encoding == "utf-8-sig" else decoded.encoding
        articles = []
        # A file holding a single object is that record's bytes exactly.
        single = fmt == "json" and not text.lstrip().startswith("[")
        for record in split:
            if isinstance(record, Refusal):
                articles.append(record)
                continue
            raw = data if single else record.span.encode(raw_codec, "replace")  # NULs became U+FFFD
            builder = _Article(path, fmt, decoded.encoding, raw)
            builder.article.record = record.number
            builder.article.encoding_source = decoded.source
            builder.warn(decoded.warnings)
            try:
                _read_record(builder, record, path)
            except Refusal as exc:
                reason = str(exc)
                articles.append(exc if "record" in reason else Refusal(f"record {record.number}: {reason}"))
                continue
            builder.warn(record.warnings)  # after reading: the text field may add one
            articles.append(builder.article)
        if not any(isinstance(item, ParsedArticle) for item in articles):
            raise next(item for item in articles if isinstance(item, Refusal))
        return articles
    builder = _Article(path, fmt, decoded.encoding, data)
    builder.article.encoding_source = decoded.source
    builder.warn(decoded.warnings)
    if fmt == "markdown":
        _read_markdown(builder, text, path)
    elif fmt == "html":
        _read_html(builder, text, path)
    else:
        _read_plain(builder, text, path, forum=(fmt == "forum"))
    return [builder.article]


def detect_format(text: str, path: str) -> str:
    """"json", "jsonl", "markdown", "html", "forum" or "text"."""
    suffix = PurePath(path).suffix.lower()
    head = text.lstrip()[:1]
    if head in ("{", "["):
        kind = _json_kind(text, suffix)
        if kind:
            return kind
    if suffix in _JSONL_EXTENSIONS or suffix == ".json":
        # Content did not parse as JSON: say why rather than read it as prose.
        (records.split_jsonl if suffix in _JSONL_EXTENSIONS else records.split_json)(text)
    if split_front_matter(text) is not None:
        return "markdown"
    if looks_like_html_page(text):
        return "html"
    lines = text[:20_000].split("\n")
    if textmeta.find_poster_line(lines) is not None:
        return "forum"
    if suffix in _HTML_EXTENSIONS and looks_like_html(text):
        return "html"
    if suffix in _MARKDOWN_EXTENSIONS:
        return "markdown"
    return "text"


def _json_kind(text: str, suffix: str) -> str | None:
    if suffix in _JSONL_EXTENSIONS:
        return "jsonl"
    try:
        records.loads(text)
    except RecursionError:
        return "json"  # split_json refuses it with a clear reason
    except json.JSONDecodeError:
        first = text.lstrip().split("\n", 1)[0]
        try:
            return "jsonl" if isinstance(records.loads(first), dict) else None
        except (json.JSONDecodeError, RecursionError):
            return None
    return "json"


# -- formats ------------------------------------------------------------------


def _read_markdown(builder: _Article, text: str, path: str) -> None:
    split = split_front_matter(text)
    front: dict[str, object] = {}
    body = text
    if split is not None:
        yaml_text, body, _ = split
        front = parse_front_matter(yaml_text, builder.article.warnings)
    source = "front matter"
    builder.set("title", _scalar(front, "title"), source)
    builder.set_date(_scalar(front, "date", "published", "pubDate", "published_at"), source, "front matter date")
    builder.set("author", _scalar(front, "author", "authors", "byline"), source)
    builder.set("site", _scalar(front, "site", "site_name", "source", "publisher") or _site_from_categories(front), source)
    builder.set("url", _scalar(front, "url", "link", "permalink", "source_url", "canonical_url"), source)
    language = _scalar(front, "language", "lang", "locale")
    builder.set("language", textmeta.language_code(language) if language else None, source)
    doc = html_to_text(body) if looks_like_html(body) else None
    if doc is None:
        lines = body.split("\n")
        for index in textmeta.head_indices(lines, 1):
            if lines[index].lstrip().startswith("# "):
                builder.set("title", lines[index].lstrip()[2:].strip(), "body")
    _finish(builder, doc.text if doc else body, path, doc=doc)


def _read_html(builder: _Article, text: str, path: str) -> None:
    doc = html_to_text(text)
    source = "html meta"
    builder.set("title", doc.meta.get("title") or doc.title_tag, source)
    builder.set_date(doc.meta.get("published"), source, "html meta date")
    builder.set("author", doc.meta.get("author"), source)
    builder.set("site", doc.meta.get("site"), source)
    builder.set("url", doc.meta.get("url") or doc.canonical, source)
    declared = doc.lang or doc.meta.get("language")
    builder.set("language", textmeta.language_code(declared) if declared else None, source)
    builder.set("title", doc.first_h1, "body")
    _finish(builder, doc.text, path, doc=doc)


def _read_plain(builder: _Article, text: str, path: str, forum: bool) -> None:
    lines = _normalise(text).split("\n")
    removed: list[Removed] = []
    if forum:
        poster = textmeta.find_poster_line(lines)
        if poster is not None:
            builder.set("author", poster.author, "poster line")
            builder.set("published", poster.published, "poster line")
            builder.warn(poster.warnings)
            removed.append(Removed("poster line", poster.line.strip()))
            if poster.reply_references:
                removed.append(Removed("reply references", " ".join(poster.reply_references)))
            lines[poster.index] = ""
    else:
        header = textmeta.find_header_line(lines)
        if header is not None:
            builder.set("published", header.published, "header line")
            builder.set("author", header.author, "header line")
            builder.set("site", header.site, "header line")
            builder.warn(header.warnings)
            removed.append(Removed("header line", header.line.strip()))
            lines[header.index] = ""
            # An SEO keyword line sits right under the header on reposting sites.
            following = textmeta.head_indices(lines[header.index + 1 :], 1)
            if following:
                index = header.index + 1 + following[0]
                if chrome.is_keyword_line(lines[index]):
                    removed.append(Removed("advert", lines[index].strip()))
                    lines[index] = ""
    builder.set("title", textmeta.first_line_title(lines), "body")
    builder.article.removed.extend(removed)
    _finish(builder, "\n".join(lines), path, doc=None)


def _read_record(builder: _Article, record: records.Record, path: str) -> None:
    source = "json field"
    body = records.text_of(record)
    builder.set("title", records.field_of(record, records.TITLE_FIELDS), source)
    date_value = records.field_of(record, records.DATE_FIELDS)
    builder.set_date(date_value, source, f"record {record.number} date")
    builder.set("author", records.field_of(record, records.AUTHOR_FIELDS), source)
    builder.set("site", records.field_of(record, records.SITE_FIELDS), source)
    builder.set("url", records.field_of(record, records.URL_FIELDS), source)
    language = records.field_of(record, records.LANGUAGE_FIELDS)
    builder.set("language", textmeta.language_code(language) if language else None, source)
    doc = html_to_text(body) if looks_like_html(body) else None
    _finish(builder, doc.text if doc else body, path, doc=doc, record=record.number)


# -- shared tail ----------------------------------------------------------------


def _finish(builder: _Article, body: str, path: str, doc: HtmlDocument | None, record: int | None = None) -> None:
    """Clean the body, remove chrome, and fill the fields still missing."""
    article = builder.article
    if doc is not None:
        article.removed.extend(Removed(kind, text) for kind, text in doc.removed)
    body = _normalise(body)
    cleaned = chrome.strip_chrome(body)
    if not _normalise(cleaned.text) and body:
        # Everything looked like chrome (a record that is only a URL): chrome is
        # defined against a body, so with no body there is none -- keep it all.
        cleaned = chrome.ChromeResult(text=body)
        builder.warn(["the whole text looked like page chrome; kept as it is"])
    article.removed.extend(cleaned.removed)
    text = _normalise(cleaned.text)
    # Title fragments pushed into the sentences (SEO spam): out of the text, kept with their offsets.
    text, fragments = seo.remove_injected(article.title, text)
    if fragments:
        article.removed.extend(Removed("seo fragment", piece, offset) for offset, piece in fragments)
        builder.warn([f"{len(fragments)} fragments of the title injected into the body's sentences removed (SEO spam)"])
    article.clean_text = _normalise(text)
    if not article.clean_text:
        where = f"record {record}: " if record else ""
        raise Refusal(f"{where}no text left after removing markup and page chrome")
    lines = article.clean_text.split("\n")
    builder.set("url", cleaned.source_url, "body url")
    if article.published is None:
        builder.set("published", textmeta.find_body_date(lines, doc.time_texts if doc else []), "body")
    builder.set("author", textmeta.find_byline(lines), "byline")
    builder.set("language", textmeta.infer_language(article.clean_text), "inferred")
    if article.title is None:
        stem = PurePath(path).stem or PurePath(path).name or "untitled"
        builder.set("title", f"{stem} #{record}" if record else stem, "file name")


def _normalise(text: str) -> str:
    """Newlines to ``\\n``, trailing spaces stripped, blank-line runs collapsed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    blank = True  # drops leading blank lines
    for line in text.split("\n"):
        line = line.rstrip()
        if not line:
            if not blank:
                out.append("")
            blank = True
            continue
        out.append(line)
        blank = False
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _scalar(front: dict[str, object], *names: str) -> str | None:
    for name in names:
        value = front.get(name)
        if isinstance(value, list):
            value = ", ".join(str(item) for item in value if isinstance(item, str) and item.strip())
        if isinstance(value, str) and value.strip():
            return value
    return None


def _site_from_categories(front: dict[str, object]) -> str | None:
    """Hexo RSS posts file a feed under ``[top category, feed name, channel]``."""
    categories = front.get("categories")
    if isinstance(categories, str):
        return categories or None
    if isinstance(categories, list):
        names = [item for item in categories if isinstance(item, str) and item.strip()]
        if len(names) >= 2:
            return names[1]
        if names:
            return names[0]
    return None
