"""Verdict scales: the labels a reviewer can give a claim, and what they mean in ClaimReview.

A scale is an ordered list of labels (the TUI maps digit keys 1..n to this
order). Each label carries the value stored in ``verdicts.label``, the
ClaimReview ``ratingValue`` (an integer between ``worst`` and ``best``, or
``None``) and the ClaimReview ``alternateName`` shown to readers.

Labels that say nothing about truth ("unproven", "not checkable", TFC's
事實釐清 and 證據不足, AVeriTeC's "Not Enough Evidence") have no numeric rating.
Google's fact-check guidance makes ``reviewRating.alternateName`` the required
part of a rating and ``ratingValue``/``bestRating``/``worstRating`` apply "for
numeric ratings" only; schema.org assumes 5 and 1 when best/worst are absent,
so a sentinel such as -1 or 0 would read as a (wrong) point on the scale. Such
labels are therefore exported with ``alternateName`` alone and no numbers.

The active scale lives in the database (settings key ``scale``, written by the
review core) as JSON: ``{"name", "labels": [{"label", "rating", "alternate"}],
"best", "worst"}``; :func:`scale_from_json` reads it back, checking it.

Pure: no database, no terminal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Label:
    """One verdict label of a scale."""

    label: str  # the value stored in verdicts.label
    rating: int | None  # ClaimReview ratingValue; None when the label is not a point on the scale
    alternate: str  # ClaimReview alternateName, as a reader should see it


@dataclass(frozen=True)
class Scale:
    """An ordered verdict scale; ``best``/``worst`` bound the numeric ratings."""

    name: str
    labels: tuple[Label, ...]
    best: int
    worst: int

    def __post_init__(self) -> None:
        if not self.labels:
            raise ValueError(f"scale {self.name!r} has no labels")
        if self.worst >= self.best:
            raise ValueError(f"scale {self.name!r}: worst ({self.worst}) must be below best ({self.best})")
        seen: set[str] = set()
        for entry in self.labels:
            if not entry.label or entry.label != entry.label.strip():
                raise ValueError(f"scale {self.name!r}: label {entry.label!r} is empty or padded")
            if entry.label in seen:
                raise ValueError(f"scale {self.name!r}: label {entry.label!r} appears twice")
            seen.add(entry.label)
            if entry.rating is not None and not (
                isinstance(entry.rating, int) and not isinstance(entry.rating, bool)
                and self.worst <= entry.rating <= self.best
            ):
                raise ValueError(
                    f"scale {self.name!r}: rating of {entry.label!r} must be an integer "
                    f"from {self.worst} to {self.best} or null"
                )

    def get(self, label: str) -> Label | None:
        """The entry for ``label``, or None when the scale does not have it."""
        for entry in self.labels:
            if entry.label == label:
                return entry
        return None

    def to_json(self) -> dict[str, Any]:
        """The settings form: ``{"name", "labels": [...], "best", "worst"}``."""
        return {
            "name": self.name,
            "labels": [{"label": e.label, "rating": e.rating, "alternate": e.alternate} for e in self.labels],
            "best": self.best,
            "worst": self.worst,
        }


def scale_from_json(value: Mapping[str, Any]) -> Scale:
    """Read a scale in its settings form, refusing anything malformed."""
    if not isinstance(value, Mapping):
        raise ValueError("a scale must be a JSON object")
    try:
        labels = value["labels"]
        if not isinstance(labels, list):
            raise ValueError("scale labels must be a list")
        entries = []
        for item in labels:
            if not isinstance(item, Mapping) or not isinstance(item.get("label"), str):
                raise ValueError(f"malformed scale label: {item!r}")
            alternate = item.get("alternate", item["label"])
            if not isinstance(alternate, str):
                raise ValueError(f"alternate name of {item['label']!r} must be text")
            entries.append(Label(item["label"], item.get("rating"), alternate))
        best, worst = value["best"], value["worst"]
    except KeyError as exc:
        raise ValueError(f"scale is missing {exc.args[0]!r}") from None
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (best, worst)):
        raise ValueError("scale best and worst must be integers")
    return Scale(str(value.get("name", "custom")), tuple(entries), best, worst)


def _scale(name: str, best: int, worst: int, *labels: tuple[str, int | None, str]) -> Scale:
    return Scale(name, tuple(Label(*entry) for entry in labels), best, worst)


DEFAULT_SCALE = _scale(
    "default", 5, 1,
    ("true", 5, "True"),
    ("mostly true", 4, "Mostly true"),
    ("mixed", 3, "Mixed"),
    ("mostly false", 2, "Mostly false"),
    ("false", 1, "False"),
    ("unproven", None, "Unproven"),
    ("not checkable", None, "Not checkable"),
)

# PolitiFact's Truth-O-Meter, best to worst.
POLITIFACT_SCALE = _scale(
    "politifact", 6, 1,
    ("true", 6, "True"),
    ("mostly true", 5, "Mostly True"),
    ("half true", 4, "Half True"),
    ("mostly false", 3, "Mostly False"),
    ("false", 2, "False"),
    ("pants on fire", 1, "Pants on Fire"),
)

# The AVeriTeC shared task's four classes, in the task's own order. Conflicting
# evidence / cherry-picking sits between supported and refuted; not enough
# evidence is no point on the scale.
AVERITEC_SCALE = _scale(
    "averitec", 3, 1,
    ("supported", 3, "Supported"),
    ("refuted", 1, "Refuted"),
    ("not enough evidence", None, "Not Enough Evidence"),
    ("conflicting evidence/cherry-picking", 2, "Conflicting Evidence/Cherry-picking"),
)

# Taiwan FactCheck Center (台灣事實查核中心): the five report categories its
# site filters by (正確, 部分錯誤, 錯誤, 事實釐清, 證據不足). 事實釐清 is a
# clarification, not a rating; 證據不足 means insufficient evidence. The
# alternate names stay in Chinese: ClaimReview shows them to the site's readers.
TFC_SCALE = _scale(
    "tfc", 3, 1,
    ("正確", 3, "正確"),
    ("部分錯誤", 2, "部分錯誤"),
    ("錯誤", 1, "錯誤"),
    ("事實釐清", None, "事實釐清"),
    ("證據不足", None, "證據不足"),
)

PRESETS: dict[str, Scale] = {
    scale.name: scale for scale in (DEFAULT_SCALE, POLITIFACT_SCALE, AVERITEC_SCALE, TFC_SCALE)
}


def get_scale(name: str) -> Scale:
    """The preset called ``name`` (case-insensitive); ValueError naming the presets otherwise."""
    try:
        return PRESETS[name.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown scale {name!r}; presets: {', '.join(PRESETS)}") from None
