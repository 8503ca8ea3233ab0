"""Which URLs the workbench accepts as evidence and lets out in exports: http(s) and DOIs, nothing else.

One place for the rule, called by the store (so the review screen, the CLI
and a headless session refuse the same things) and by the exports (so a value
stored before the rule, or by hand, still never goes out as a link).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

_DOI = re.compile(r"10\.\d{4,9}/\S+")
LINK_EVIDENCE = re.compile(r"link:\d+")  # a confirmed link, as the review screen records it


def web_url(value: Any) -> str | None:
    """``value`` if it is an absolute http(s) URL with a host, else None (``javascript:``, ``data:``, relative...)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or any(ch.isspace() or ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in text):
        return None
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return text


def citation_url(value: Any) -> str | None:
    """An evidence item as a citable URL: http(s) as is, ``doi:10.x/y`` as its https://doi.org/ link."""
    if isinstance(value, str) and value.strip().lower().startswith("doi:"):
        doi = value.strip()[4:].strip()
        return web_url(f"https://doi.org/{doi}") if _DOI.fullmatch(doi) else None
    return web_url(value)


def evidence_problem(item: str) -> str | None:
    """Why ``item`` is not evidence (None when it is: an http(s) URL, ``doi:10.…/…``, or a confirmed link)."""
    if LINK_EVIDENCE.fullmatch(item) or citation_url(item) is not None:
        return None
    shown = item if len(item) <= 80 else item[:77] + "..."
    if item.lower().startswith("doi:"):
        return f"{shown!r} is not a DOI (doi:10.NNNN/suffix)"
    return f"{shown!r} is not evidence: give an http(s) URL or a doi: identifier (doi:10.1000/xyz)"
