"""Score check-worthiness (and claimants) against our own labels of real articles.

The labels live in ``tests/data/checkworthy.json``; the texts stay in
``../shared``. Each labelled statement is CFS (check-worthy factual), UFS
(unimportant factual) or NFS (non-factual), ClaimBuster's classes. The
workbench's choice (``Statement.checkworthy``) is scored with CFS as the
positive class: precision, recall and F1, per language of the article.

A label names its statement by index and a short exact prefix; when the
segmentation has changed, the statement is counted under ``resegmented``
instead of being scored against the wrong text.

Run ``python -m workbench.claims.checkworthy_yardstick [LABELS] [SHARED]`` to
print the figures and every disagreement.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from workbench.claims.analyse import analyse
from workbench.claims.entities import EntityMatcher, load_gazetteer
from workbench.ingest.reader import read_document


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Result:
    by_language: dict[str, Counts] = field(default_factory=dict)
    resegmented: list[str] = field(default_factory=list)
    # (file, index, label, chosen, score, text, reasons)
    misses: list[tuple[str, int, str, bool, float, str, list[str]]] = field(default_factory=list)
    statements: int = 0

    def summary(self) -> str:
        lines = [f"check-worthiness on {self.statements} labelled statements (CFS positive):"]
        for lang, c in sorted(self.by_language.items()):
            lines.append(f"  {lang}: precision {c.precision:.3f}  recall {c.recall:.3f}  F1 {c.f1:.3f}  "
                         f"(tp {c.tp}, fp {c.fp}, fn {c.fn}, tn {c.tn})")
        if self.resegmented:
            lines.append(f"  resegmented, not scored: {len(self.resegmented)}")
        return "\n".join(lines)


def gazetteer_matcher() -> tuple[EntityMatcher, frozenset[int]]:
    """The matcher a fresh database builds: gazetteer aliases, ids in gazetteer order, and the topic ids."""
    gazetteer = load_gazetteer()
    matcher = EntityMatcher((a, i) for i, e in enumerate(gazetteer, 1) for a in e["aliases"])
    topics = frozenset(i for i, e in enumerate(gazetteer, 1) if e.get("type") == "topic")
    return matcher, topics


def labelled_analyses(labels: dict, shared: Path):
    """Yield ``(entry, article, analysis)`` for every labelled file."""
    matcher, topics = gazetteer_matcher()
    for entry in labels["files"]:
        path = shared / entry["file"]
        [article] = read_document(str(path), path.read_bytes())
        analysis = analyse(article.clean_text, published=article.published, matcher=matcher,
                           language=article.language, topics=topics)
        yield entry, article, analysis


def score(labels: dict, shared: Path) -> Result:
    result = Result()
    for entry, _article, analysis in labelled_analyses(labels, shared):
        counts = result.by_language.setdefault(entry["language"], Counts())
        for label in entry["statements"]:
            index = label["index"]
            stmt = analysis.statements[index] if index < len(analysis.statements) else None
            if stmt is None or not stmt.text.startswith(label["prefix"]):
                result.resegmented.append(f"{entry['file']}#{index}")
                continue
            result.statements += 1
            positive = label["label"] == "CFS"
            if positive and stmt.checkworthy:
                counts.tp += 1
            elif positive:
                counts.fn += 1
            elif stmt.checkworthy:
                counts.fp += 1
            else:
                counts.tn += 1
            if positive != stmt.checkworthy:
                result.misses.append((entry["file"], index, label["label"], stmt.checkworthy, stmt.score,
                                      stmt.text, stmt.reasons))
    return result


def load_labels(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def main(argv: list[str]) -> None:
    root = Path(__file__).resolve().parents[2]
    labels = Path(argv[0]) if argv else root / "tests" / "data" / "checkworthy.json"
    shared = Path(argv[1]) if len(argv) > 1 else root.parent / "shared"
    result = score(load_labels(labels), shared)
    print(result.summary())
    for file, index, label, chosen, value, text, reasons in result.misses:
        kind = "FP" if chosen else "FN"
        print(f"{kind} {label} {value:.2f} {Path(file).name[:20]}#{index} {text[:90]!r} {reasons}")


if __name__ == "__main__":
    main(sys.argv[1:])
