"""Exporting verdicts: ClaimReview JSON-LD, JSONL and CSV.

Which verdicts: a claim's final (adjudicated) verdict when it has one, else
the verdict of every reviewer who gave one (see
:func:`workbench.store.exports.iter_exported_verdicts`). An adjudication
settles disagreement, so publishing the overruled verdicts beside it would
contradict the organisation's own decision; before adjudication each reviewer's
view is all there is, and dropping any would hide disagreement.

ClaimReview follows schema.org and Google's fact-check guidance (required:
``claimReviewed``, ``reviewRating`` with ``alternateName``, ``url``):

* ``url`` is settings ``review_url`` with ``{claim_id}`` replaced; ``author``
  and ``publisher`` are the organisation of settings ``publisher`` (name, url,
  logo); the reviewer is the ``creator`` (a ``Person``). Without the settings
  the export still runs and warns (:mod:`workbench.export.publishing`).
* ``reviewRating.alternateName`` is always the label's reader-facing name;
  ``ratingValue``/``bestRating``/``worstRating`` appear only for labels that
  are a point on the scale (see :mod:`workbench.scales`). A label the active
  scale does not know (the scale changed after the verdict) is exported by
  name only.
* ``reviewBody`` is the reviewer's note (and an adjudication's reason);
  ``citation`` the evidence URLs (``doi:`` as https://doi.org/ links).
* ``itemReviewed`` is a ``Claim`` whose ``appearance`` is the article
  (``NewsArticle`` when it has a site, else ``CreativeWork``) and every
  statement of another source a reviewer confirmed as linked; its
  ``firstAppearance`` is the earliest dated of them; ``inLanguage`` the
  article's language. ``author`` is left for the claimant (issue 17).
* Only http(s) URLs go out (``javascript:`` and the like are dropped, with a
  warning), and ``<``, ``>``, ``&`` are written as ``\\u003c``... so the
  JSON-LD is safe inside a ``<script>`` element.

Absent values are left out rather than written as null.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from workbench.export.publishing import Warn
from workbench.export.text import csv_cell
from workbench.safe_text import json_line
from workbench.scales import DEFAULT_SCALE, Scale, scale_from_json
from workbench.urls import LINK_EVIDENCE, citation_url, web_url

VERDICT_FIELDS = (
    "verdict_id", "claim_id", "article_id", "reviewer", "label", "alternate", "rating", "final",
    "adjudication_reason", "time", "note", "evidence", "claim", "article_title", "article_url", "article_published",
)


def active_scale(setting: Any) -> Scale:
    """The scale from settings ``scale`` (its decoded JSON), or the default when unset."""
    return DEFAULT_SCALE if setting is None else scale_from_json(setting)


def _evidence(text: Any) -> list:
    if not text:
        return []
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return [str(text)]
    return value if isinstance(value, list) else [value]


def verdict_record(row: Mapping[str, Any], scale: Scale) -> dict[str, Any]:
    """A verdict row as the JSONL/CSV export shows it: label with its rating, evidence decoded."""
    entry = scale.get(row["label"])
    return {
        "verdict_id": row["verdict_id"],
        "claim_id": row["claim_id"],
        "article_id": row["article_id"],
        "reviewer": row["reviewer"],
        "label": row["label"],
        "alternate": entry.alternate if entry else row["label"],
        "rating": entry.rating if entry else None,
        "final": bool(row["final"]),
        "adjudication_reason": row.get("adjudication_reason"),
        "time": row["time"],
        "note": row["note"],
        "evidence": _evidence(row["evidence"]),
        "claim": row["claim"],
        "article_title": row["article_title"],
        "article_url": row["article_url"],
        "article_published": row["article_published"],
    }


def _compact(mapping: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in mapping.items() if value not in (None, "", [], {})}


def _organisation(publisher: Mapping[str, str] | None) -> dict[str, Any] | None:
    if not publisher:
        return None
    out = {"@type": "Organization", "name": publisher["name"], "url": publisher.get("url")}
    if publisher.get("logo"):
        out["logo"] = {"@type": "ImageObject", "url": publisher["logo"]}
    return _compact(out)


def _appearance(article: Mapping[str, Any], claim_id: Any, warn: Warn) -> dict[str, Any]:
    """An article the claim appears in, as a schema.org CreativeWork (only an http(s) URL goes out)."""
    url = article.get("url")
    safe_url = web_url(url)
    if url and safe_url is None:
        warn(f"claim {claim_id}: article {article.get('id')} has a url that is not http(s), left out: {url!r}")
    return _compact({
        "@type": "NewsArticle" if article.get("site") else "CreativeWork",
        "url": safe_url,
        "headline": article.get("title"),
        "datePublished": article.get("published"),
        "inLanguage": article.get("language"),
        "publisher": {"@type": "Organization", "name": article["site"]} if article.get("site") else None,
        "author": {"@type": "Person", "name": article["author"]} if article.get("author") else None,
    })


def _claim_author(row: Mapping[str, Any]) -> dict[str, Any] | None:
    """Who made the claim: the claimant, once claims carry one (issue 17 fills ``claimant``).

    The site and byline are the appearance's publisher and author, not the
    claim's: a newspaper reporting a minister's claim did not make it.
    """
    claimant = row.get("claimant")
    if isinstance(claimant, Mapping) and claimant.get("name"):
        return _compact({"@type": claimant.get("type") or "Person", "name": claimant["name"]})
    if isinstance(claimant, str) and claimant.strip():
        return {"@type": "Person", "name": claimant.strip()}
    return None


def _no_warnings(_message: str) -> None:
    return None


def claimreview(
    row: Mapping[str, Any],
    scale: Scale,
    *,
    publisher: Mapping[str, str] | None = None,
    url_template: str | None = None,
    appearances: Iterable[Mapping[str, Any]] = (),
    warn: Warn = _no_warnings,
) -> dict[str, Any]:
    """One ClaimReview JSON-LD object for an exported verdict row.

    ``publisher`` and ``url_template`` are the checked settings
    (:func:`workbench.export.publishing.publishing_settings`); ``appearances``
    are the articles of the other sources' statements a reviewer confirmed as
    the same claim. Every URL that goes out is http(s); others are left out
    and reported through ``warn``.
    """
    entry = scale.get(row["label"])
    rating: dict[str, Any] = {"@type": "Rating"}
    if entry is not None and entry.rating is not None:
        rating.update(ratingValue=entry.rating, bestRating=scale.best, worstRating=scale.worst)
    rating["alternateName"] = entry.alternate if entry else row["label"]

    claim_id = row["claim_id"]
    own = {"id": row.get("article_id"), "url": row.get("article_url"), "title": row.get("article_title"),
           "site": row.get("article_site"), "author": row.get("article_author"),
           "published": row.get("article_published"), "language": row.get("article_language")}
    articles = [own, *appearances]
    shown = [_appearance(article, claim_id, warn) for article in articles]
    dated = [(article["published"], n) for n, article in enumerate(articles) if article.get("published")]
    first = shown[min(dated)[1]] if dated else shown[0]  # the earliest dated appearance, else the article
    item = _compact({
        "@type": "Claim",
        "author": _claim_author(row),
        "datePublished": first.get("datePublished"),
        "inLanguage": row.get("article_language"),
        "appearance": shown,
        "firstAppearance": first,
    })
    citations = []
    for evidence in _evidence(row.get("evidence")):
        if not isinstance(evidence, str) or LINK_EVIDENCE.fullmatch(evidence):
            continue  # a confirmed link: its statement is already an appearance
        url = citation_url(evidence)
        if url is None:
            warn(f"claim {claim_id}: evidence that is not an http(s) URL or doi:, left out: {evidence!r}")
        else:
            citations.append(url)
    body = row.get("note") or ""
    reason = row.get("adjudication_reason")
    if row.get("final") and reason:
        body = f"{body}\n\nAdjudication: {reason}" if body else f"Adjudication: {reason}"
    organisation = _organisation(publisher)
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url_template.replace("{claim_id}", str(claim_id)) if url_template else None,
        "claimReviewed": row["claim"],
        "reviewRating": rating,
        "reviewBody": body,
        "itemReviewed": item,
        # str.replace, not str.format: a template is text, and other braces in it stay as they are.
        "author": organisation,
        "publisher": organisation,
        "creator": {"@type": "Person", "name": row["reviewer"]},
        "datePublished": (row.get("time") or "")[:10] or None,
        "citation": citations,
    }
    return _compact(review)


# Inside an HTML <script> element "</script>" ends the element and "<!--" changes how it is parsed:
# JSON-LD for publication escapes the characters that could start either (valid JSON, same value).
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def script_safe_json(value: Any) -> str:
    """JSON text safe to paste inside ``<script type="application/ld+json">``."""
    return json_line(value).translate(_SCRIPT_SAFE)


def write_claimreview(reviews: Iterable[Mapping[str, Any]], out: TextIO) -> int:
    """A JSON array of ClaimReview objects, written one object per line as they come, safe inside <script>."""
    count = 0
    out.write("[")
    for review in reviews:
        out.write(",\n" if count else "\n")
        out.write(script_safe_json(review))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def write_verdicts_jsonl(records: Iterable[Mapping[str, Any]], out: TextIO) -> int:
    count = 0
    for record in records:
        out.write(json_line(dict(record)))
        out.write("\n")
        count += 1
    return count


def write_verdicts_csv(records: Iterable[Mapping[str, Any]], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(VERDICT_FIELDS)
    count = 0
    for record in records:
        cells = []
        for name in VERDICT_FIELDS:
            value = record.get(name)
            if name == "evidence":
                value = " ".join(str(item) for item in value)
            cells.append(csv_cell(value))
        writer.writerow(cells)
        count += 1
    return count
