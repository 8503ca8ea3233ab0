"""HTML -> plain text with paragraph breaks, the page's own metadata, and the chrome removed.

Parsed by a real HTML5 parser, selectolax's Lexbor: a page that omits
``</head>``, ``</p>`` or ``</nav>`` is built into the tree a browser builds,
and every entity is decoded exactly once (``&amp;lt;`` stays the four
characters ``&lt;``). Page chrome is removed as *elements*: ``nav``,
``header``, ``footer``, ``aside``, ``form``, ``script``, ``style``,
``noscript`` and ad containers (a class or id such as ``ad``, ``ads``,
``advert``, ``sponsored``, ``adsbygoogle``), each recorded with its text in
:attr:`HtmlDocument.removed` so nothing is lost. A chrome element that holds
the page's ``<article>`` or ``<main>`` (an unclosed ``<nav>`` that swallowed
the rest) is not removed whole: its content is read.

Block elements become paragraph breaks; runs of HTML whitespace collapse to
one space as a browser would, except inside ``<pre>``. The walk over the tree
is iterative and every per-element piece of work is bounded, so the cost is
linear in the page, however deep it nests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from workbench.model import Refusal

BLOCK_TAGS = frozenset(
    "address article aside blockquote br caption dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table "
    "tbody thead tfoot tr ul".split()
)
# Content of these is never text a reader sees (and is not page chrome either).
_SKIP_TAGS = frozenset("template svg math iframe object head title -comment -doctype".split())
# Page chrome, removed as elements and recorded: tag -> the kind of removed chrome.
CHROME_TAGS = {
    "nav": "navigation", "header": "page header", "footer": "page footer", "aside": "aside", "form": "form",
    "script": "script", "style": "style", "noscript": "noscript",
}
_AD_TOKEN = re.compile(
    r"(?:^|[-_])(?:ad|ads|advert|adverts|advertisement|advertising|adsbygoogle|adslot|adbox|adunit|"
    r"sponsor|sponsored|sponsors)(?:$|[-_])", re.IGNORECASE)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_PARAGRAPH = "\x00"  # internal paragraph marker; NUL is removed from the page's own text
# Lexbor checks the stack of open elements on every block start tag, so a page nesting
# tens of thousands of <div>s costs depth x tags (100,000 nested divs: 75 s). No real
# page nests block elements this deep; deeper is refused before parsing.
MAX_BLOCK_DEPTH = 2_000
_BLOCK_TAG = re.compile(r"<(/?)(div|section|article|blockquote|ul|ol|dl|fieldset|figure|main|center|details|"
                        r"dialog|address|menu|nav|header|footer|aside|form|table)\b", re.IGNORECASE)
_MAX_TIME_ELEMENTS = 50
_MAX_TIME_CHARS = 200
_MAX_SWALLOW_CHECKS = 200

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
_TIME_CLASSES = {"time", "date", "pubdate", "publish-time", "publish_time", "post-time", "pub-time"}


class HtmlTooDeep(Refusal):
    """Block elements nested deeper than :data:`MAX_BLOCK_DEPTH` (the file is refused)."""


@dataclass
class HtmlDocument:
    text: str
    meta: dict[str, str] = field(default_factory=dict)  # field -> value (first wins)
    title_tag: str | None = None
    first_h1: str | None = None
    lang: str | None = None
    canonical: str | None = None
    time_texts: list[str] = field(default_factory=list)  # <time> and class="...time/date..." texts
    removed: list[tuple[str, str]] = field(default_factory=list)  # (kind, text) of the chrome removed
    charset: str | None = None  # <meta charset> or http-equiv Content-Type, as declared


def html_to_text(markup: str) -> HtmlDocument:
    """Convert HTML to paragraph-separated text, collect page metadata, remove and record chrome."""
    _check_depth(markup)
    tree = LexborHTMLParser(markup.replace("\x00", ""))
    doc = HtmlDocument(text="")
    _metadata(tree, doc)
    out = _walk(tree, doc)
    # Paragraphs: split on markers, trim, drop empties.  Trimming includes
    # NBSP and U+3000, which pages use only to indent a paragraph.
    doc.text = "\n\n".join(chunk for chunk in (c.strip() for c in "".join(out).split(_PARAGRAPH)) if chunk)
    return doc


def _check_depth(markup: str) -> None:
    depth = 0
    for match in _BLOCK_TAG.finditer(markup):
        if match.group(1):
            depth = max(0, depth - 1)
            continue
        depth += 1
        if depth > MAX_BLOCK_DEPTH:
            raise HtmlTooDeep(f"HTML nests block elements more than {MAX_BLOCK_DEPTH:,} deep; not an article page")


def _metadata(tree: LexborHTMLParser, doc: HtmlDocument) -> None:
    html = tree.css_first("html")
    if html is not None:
        lang = html.attributes.get("lang") or html.attributes.get("xml:lang")
        doc.lang = lang.strip() if lang and lang.strip() else None
    title = tree.css_first("title")
    if title is not None:
        doc.title_tag = _squash(title.text(deep=True)) or None
    for meta in tree.css("meta"):
        values = {name.lower(): (value or "") for name, value in meta.attributes.items()}
        if doc.charset is None:
            if values.get("charset"):
                doc.charset = values["charset"].strip()
            elif values.get("http-equiv", "").strip().lower() == "content-type":
                match = re.search(r"charset\s*=\s*['\"]?([\w.:-]+)", values.get("content", ""), re.IGNORECASE)
                if match:
                    doc.charset = match.group(1)
        key = (values.get("property") or values.get("name") or values.get("itemprop")
               or values.get("http-equiv") or "").strip().lower()
        content = _squash(values.get("content", ""))
        target = _META_FIELDS.get(key)
        if target and content and target not in doc.meta:
            doc.meta[target] = content
    for link in tree.css("link[rel]"):
        rel = (link.attributes.get("rel") or "").lower().split()
        href = (link.attributes.get("href") or "").strip()
        if "canonical" in rel and href:
            doc.canonical = href
            break
    h1 = tree.css_first("h1")
    if h1 is not None:
        doc.first_h1 = _squash(h1.text(deep=True)) or None
    # Dates: <time> elements and date-classed ones, wherever they are (a header's <time>
    # is the article's date even though the header itself is chrome). Bounded: a page of
    # 30,000 nested <time>s gives its first few.
    candidates = tree.css("time") + [n for n in tree.css("[class]") if n.tag != "time" and _looks_like_time(n)]
    for node in candidates[:_MAX_TIME_ELEMENTS]:
        stamp = node.attributes.get("datetime")
        if stamp and stamp.strip():
            doc.time_texts.append(stamp.strip())
        # a <time> inside this one has its own entry: read only up to it
        deep = node.css_first("time") is None
        value = _squash(node.text(deep=deep)[: _MAX_TIME_CHARS * 4])[:_MAX_TIME_CHARS].strip()
        if value:
            doc.time_texts.append(value)


def _looks_like_time(node) -> bool:
    classes = (node.attributes.get("class") or "").lower().split()
    return any(c in _TIME_CLASSES for c in classes)


def _is_ad(node) -> bool:
    attributes = node.attributes
    for name in ("class", "id"):
        value = attributes.get(name)
        if value and any(_AD_TOKEN.search(token) for token in value.split()):
            return True
    return False


def _walk(tree: LexborHTMLParser, doc: HtmlDocument) -> list[str]:
    out: list[str] = []
    root = tree.body if tree.body is not None else tree.root
    if root is None:
        return out
    body_chars = len(root.text(deep=True))
    checks = 0
    pre = 0
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag
        if leaving:
            if tag == "pre":
                pre -= 1
            if tag in BLOCK_TAGS:
                out.append(_PARAGRAPH)
            continue
        if tag == "-text":
            _text(node.text_content or "", out, pre)
            continue
        if tag in _SKIP_TAGS or tag.startswith("-"):
            continue
        kind = CHROME_TAGS.get(tag) or ("advert" if _is_ad(node) else None)
        if kind is not None:
            swallowing = False
            if kind not in ("script", "style", "noscript") and checks < _MAX_SWALLOW_CHECKS:
                checks += 1
                swallowing = node.css_first("article, main") is not None or (
                    body_chars > 2000 and len(node.text(deep=True)) > body_chars / 2)
            if not swallowing:
                text = node.text(deep=True) if kind in ("script", "style") else node.text(deep=True, separator=" ")
                text = text.strip() if kind in ("script", "style") else _squash(text)
                if text:
                    doc.removed.append((kind, text))
                if tag in BLOCK_TAGS:
                    out.append(_PARAGRAPH)
                continue
        if tag in BLOCK_TAGS:
            out.append(_PARAGRAPH)
        if tag == "pre":
            pre += 1
        stack.append((node, True))
        children = list(node.iter(include_text=True))
        stack.extend((child, False) for child in reversed(children))
    return out


def _text(data: str, out: list[str], pre: int) -> None:
    if pre:
        # Preformatted text keeps its line breaks (inside one paragraph).
        out.append(data.replace("\r\n", "\n").replace("\r", "\n"))
        return
    text = _HTML_SPACE.sub(" ", data)
    # Adjacent text nodes (around a dropped comment or image) must not add up to a double space.
    if text.startswith(" ") and (not out or out[-1].endswith((" ", _PARAGRAPH))):
        text = text[1:]
    if text:
        out.append(text)


def _squash(text: str) -> str:
    return _HTML_SPACE.sub(" ", text).strip()


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
