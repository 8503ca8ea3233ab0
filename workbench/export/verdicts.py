"""Exporting verdicts: ClaimReview JSON-LD, JSONL and CSV.

Which verdicts: a claim's final (adjudicated) verdict when it has one, else
the verdict of every reviewer who gave one (see
:func:`workbench.store.exports.iter_exported_verdicts`). An adjudication
settles disagreement, so publishing the overruled verdicts beside it would
contradict the organisation's own decision; before adjudication each reviewer's
view is all there is, and dropping any would hide disagreement.

ClaimReview follows schema.org and Google's fact-check guidance:

* ``reviewRating.alternateName`` is always the label's reader-facing name;
  ``ratingValue``/``bestRating``/``worstRating`` appear only for labels that
  are a point on the scale (see :mod:`workbench.scales`). A label the active
  scale does not know (the scale changed after the verdict) is exported by
  name only.
* ``itemReviewed`` is a ``Claim`` whose ``appearance`` is the article
  (``NewsArticle`` when it has a site, else ``CreativeWork``), with the
  article's own publication date; the claim's author is its claimant (the
  speaker or source who made it, claims/claimants.py: a ``Person`` or an
  ``Organization``), and for a claim that is the article's own, the site as an
  ``Organization``, or the byline as a ``Person`` when there is no site.
* ``author`` is the reviewing organisation from settings ``publisher`` (a
  name, or an object with ``name`` and optionally ``url``), else the reviewer
  as a ``Person``. ``datePublished`` is the verdict's day. ``url`` comes from
  settings ``claimreview_url_template`` with ``{claim_id}`` replaced.

Absent values are left out rather than written as null.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from workbench.export.text import csv_cell
from workbench.safe_text import json_line
from workbench.scales import DEFAULT_SCALE, Scale, scale_from_json

VERDICT_FIELDS = (
    "verdict_id", "claim_id", "article_id", "reviewer", "label", "alternate", "rating", "final",
    "time", "note", "evidence", "claim", "article_title", "article_url", "article_published",
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


def _publisher(setting: Any) -> dict[str, Any] | None:
    if isinstance(setting, str) and setting.strip():
        return {"@type": "Organization", "name": setting.strip()}
    if isinstance(setting, Mapping) and isinstance(setting.get("name"), str) and setting["name"].strip():
        return _compact({"@type": "Organization", "name": setting["name"].strip(),
                         "url": setting.get("url") if isinstance(setting.get("url"), str) else None})
    return None


def claimreview(
    row: Mapping[str, Any],
    scale: Scale,
    *,
    publisher: Any = None,
    url_template: str | None = None,
) -> dict[str, Any]:
    """One ClaimReview JSON-LD object for an exported verdict row."""
    entry = scale.get(row["label"])
    rating: dict[str, Any] = {"@type": "Rating"}
    if entry is not None and entry.rating is not None:
        rating.update(ratingValue=entry.rating, bestRating=scale.best, worstRating=scale.worst)
    rating["alternateName"] = entry.alternate if entry else row["label"]

    if row.get("claimant_name") and row.get("claimant_kind") in ("speaker", "source"):
        # Who made the claim (claims/claimants.py): a gazetteer person is a Person, an organisation an
        # Organization; a speaker the gazetteer does not know is taken for a Person, a source for an Organization.
        person = row.get("claimant_type") == "person" or (row.get("claimant_type") is None
                                                          and row["claimant_kind"] == "speaker")
        claim_author = {"@type": "Person" if person else "Organization", "name": row["claimant_name"]}
    elif row.get("article_site"):
        claim_author = {"@type": "Organization", "name": row["article_site"]}
    elif row.get("article_author"):
        claim_author = {"@type": "Person", "name": row["article_author"]}
    else:
        claim_author = None
    appearance = _compact({
        "@type": "NewsArticle" if row.get("article_site") else "CreativeWork",
        "url": row.get("article_url"),
        "headline": row.get("article_title"),
        "datePublished": row.get("article_published"),
    })
    item = _compact({
        "@type": "Claim",
        "appearance": [appearance],
        "datePublished": row.get("article_published"),
        "author": claim_author,
    })
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": row["claim"],
        "reviewRating": rating,
        "itemReviewed": item,
        "author": _publisher(publisher) or {"@type": "Person", "name": row["reviewer"]},
        "datePublished": (row.get("time") or "")[:10] or None,
    }
    if url_template:
        # str.replace, not str.format: a template is text, and other braces in it stay as they are.
        review["url"] = url_template.replace("{claim_id}", str(row["claim_id"]))
    return _compact(review)


def write_claimreview(reviews: Iterable[Mapping[str, Any]], out: TextIO) -> int:
    """A JSON array of ClaimReview objects, written one object per line as they come."""
    count = 0
    out.write("[")
    for review in reviews:
        out.write(",\n" if count else "\n")
        out.write(json_line(review))
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
