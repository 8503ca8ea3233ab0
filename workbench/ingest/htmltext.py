"""HTML -> plain text with paragraph breaks, plus the page's own metadata.

Built on the standard library's :class:`html.parser.HTMLParser` (no new
dependency).  ``convert_charrefs=True`` decodes every entity exactly once,
so ``&amp;lt;`` becomes the four characters ``&lt;`` and is never decoded a
second time.  Scripts, styles, comments, attributes and images are dropped;
block elements become paragraph breaks (a blank line); runs of HTML
whitespace collapse to one space as a browser would, except inside ``<pre>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

BLOCK_TAGS = frozenset(
    "address article aside blockquote br caption dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table "
    "tbody thead tfoot tr ul".split()
)
# Content of these is never text a reader sees.
_SKIP_TAGS = frozenset("script style noscript template svg math iframe object head".split())
_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_PARAGRAPH = "\x00"  # internal paragraph marker; decoded text never contains NUL

# meta name/property -> metadata field, in order of preference per field.
_META_FIELDS = {
    "og:title": "title",
    "twitter:title": "title",
    "article:published_time": "published",
    "og:published_time": "published",
    "datepublished": "published",
    "pubdate": "published",
    "publishdate": "published",
    "publish-date": "published",
    "date": "published",
    "dc.date": "published",
    "dc.date.issued": "published",
    "author": "author",
    "article:author": "author",
    "dc.creator": "author",
    "og:site_name": "site",
    "application-name": "site",
    "og:url": "url",
    "language": "language",
    "content-language": "language",
}


@dataclass
class HtmlDocument:
    text: str
    meta: dict[str, str] = field(default_factory=dict)  # field -> value (first wins)
    title_tag: str | None = None
    first_h1: str | None = None
    lang: str | None = None
    canonical: str | None = None
    time_texts: list[str] = field(default_factory=list)  # <time> and class="...time/date..." texts
    navigation: list[str] = field(default_factory=list)  # text of <nav> menus, kept out of ``text``


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.doc = HtmlDocument(text="")
        self._skip_depth = 0
        self._skip_stack: list[str] = []
        self._pre = 0
        self._nav: list[str] | None = None  # pieces of the <nav> being read
        self._nav_depth = 0
        self._capture: list[tuple[str, list[str]]] = []  # (what, pieces) for title/h1/time

    # -- tags ---------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if tag == "html":
            self._html_attrs(attrs)
        elif tag == "meta":
            self._meta(attrs)
        elif tag == "link":
            self._link(attrs)
        if tag == "title" and self.doc.title_tag is None:
            self._capture.append(("title", []))
            return
        if tag in _SKIP_TAGS and tag not in _VOID_TAGS:
            self._skip_stack.append(tag)
            return
        if self._skip_stack:
            return
        if tag == "nav":
            # Site menus are page chrome: read aside, reported by the caller.
            self._nav_depth += 1
            if self._nav is None:
                self._nav = []
            return
        if self._nav is not None:
            if tag in BLOCK_TAGS:
                self._nav.append(" ")
            return
        if tag in BLOCK_TAGS:
            self.out.append(_PARAGRAPH)
        if tag == "pre":
            self._pre += 1
        if tag == "h1" and self.doc.first_h1 is None:
            self._capture.append(("h1", []))
        elif tag == "time" or _looks_like_time(attrs):
            if tag not in _VOID_TAGS:
                self._capture.append(("time:" + tag, []))
            for name, value in attrs:
                if name == "datetime" and value:
                    self.doc.time_texts.append(value)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag.lower() not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if self._capture and self._capture[-1][0] == "title" and tag == "title":
            self.doc.title_tag = _squash("".join(self._capture.pop()[1])) or None
            return
        if self._skip_stack:
            if tag == self._skip_stack[-1]:
                self._skip_stack.pop()
            return
        if self._nav is not None:
            if tag == "nav":
                self._nav_depth -= 1
                if self._nav_depth == 0:
                    text = _squash("".join(self._nav))
                    if text:
                        self.doc.navigation.append(text)
                    self._nav = None
            return
        if self._capture:
            what, pieces = self._capture[-1]
            if what == "h1" and tag == "h1":
                self._capture.pop()
                self.doc.first_h1 = _squash("".join(pieces)) or None
            elif what == "time:" + tag:
                self._capture.pop()
                value = _squash("".join(pieces))
                if value:
                    self.doc.time_texts.append(value)
        if tag == "pre" and self._pre:
            self._pre -= 1
        if tag in BLOCK_TAGS:
            self.out.append(_PARAGRAPH)

    def handle_data(self, data: str) -> None:
        if self._capture and self._capture[-1][0] == "title":
            self._capture[-1][1].append(data)
            return
        if self._skip_stack:
            return
        if self._nav is not None:
            self._nav.append(data)
            return
        for _, pieces in self._capture:
            pieces.append(data)
        if self._pre:
            # Preformatted text keeps its line breaks (inside one paragraph).
            self.out.append(data.replace("\r\n", "\n").replace("\r", "\n"))
        else:
            text = _HTML_SPACE.sub(" ", data)
            # Adjacent text nodes (around a dropped comment or image) must not
            # add up to a double space.
            if text.startswith(" ") and self.out and self.out[-1].endswith((" ", _PARAGRAPH)):
                text = text[1:]
            if text:
                self.out.append(text)

    # comments, processing instructions and declarations are dropped by not
    # overriding handle_comment / handle_pi / handle_decl.

    # -- metadata -------------------------------------------------------------
    def _html_attrs(self, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("lang", "xml:lang") and value and self.doc.lang is None:
                self.doc.lang = value.strip()

    def _meta(self, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: (value or "") for name, value in attrs}
        key = (values.get("property") or values.get("name") or values.get("itemprop") or values.get("http-equiv") or "").strip().lower()
        content = _squash(values.get("content", ""))
        target = _META_FIELDS.get(key)
        if target and content and target not in self.doc.meta:
            self.doc.meta[target] = content

    def _link(self, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: (value or "") for name, value in attrs}
        if "canonical" in values.get("rel", "").lower().split() and values.get("href") and self.doc.canonical is None:
            self.doc.canonical = values["href"].strip()


def _looks_like_time(attrs: list[tuple[str, str | None]]) -> bool:
    for name, value in attrs:
        if name == "class" and value:
            classes = value.lower().split()
            if any(c in ("time", "date", "pubdate", "publish-time", "publish_time", "post-time", "pub-time") for c in classes):
                return True
    return False


def _squash(text: str) -> str:
    return _HTML_SPACE.sub(" ", text).strip()


def html_to_text(markup: str) -> HtmlDocument:
    """Convert HTML to paragraph-separated text and collect page metadata."""
    parser = _Extractor()
    parser.feed(markup)
    parser.close()
    # Paragraphs: split on markers, trim, drop empties.  Trimming includes
    # NBSP and U+3000, which pages use only to indent a paragraph.
    paragraphs = []
    for chunk in "".join(parser.out).split(_PARAGRAPH):
        chunk = chunk.strip()
        if chunk:
            paragraphs.append(chunk)
    doc = parser.doc
    doc.text = "\n\n".join(paragraphs)
    return doc


_HTML_HINT = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta\s|title>|div|p|br|span|a\s|img\s|h[1-6]|ul|ol|li|table|article|section)\b",
    re.IGNORECASE,
)


def looks_like_html(text: str, window: int = 4096) -> bool:
    """True when the start of ``text`` contains HTML tags."""
    return bool(_HTML_HINT.search(text[:window]))


_HTML_PAGE = re.compile(r"\s*(?:<!--.*?-->\s*)?<(?:!doctype\s+html|html|head)\b", re.IGNORECASE | re.DOTALL)


def looks_like_html_page(text: str) -> bool:
    """True when ``text`` is an HTML page (doctype, <html> or <head> first)."""
    return bool(_HTML_PAGE.match(text[:4096]))
