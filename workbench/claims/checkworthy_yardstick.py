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
import re
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
    speakers_total: int = 0  # CFS claims with a labelled speaker
    speakers_right: int = 0
    # (file, index, labelled speaker, claimant) where the claimant is not the labelled speaker
    speaker_misses: list[tuple[str, int, str, object]] = field(default_factory=list)
    # claims whose speaker is named only inside a quotation of the statement
    quoted_speakers: list[tuple[str, int, object]] = field(default_factory=list)

    @property
    def speaker_rate(self) -> float:
        return self.speakers_right / self.speakers_total if self.speakers_total else 0.0

    def summary(self) -> str:
        lines = [f"check-worthiness on {self.statements} labelled statements (CFS positive):"]
        for lang, c in sorted(self.by_language.items()):
            lines.append(f"  {lang}: precision {c.precision:.3f}  recall {c.recall:.3f}  F1 {c.f1:.3f}  "
                         f"(tp {c.tp}, fp {c.fp}, fn {c.fn}, tn {c.tn})")
        if self.resegmented:
            lines.append(f"  resegmented, not scored: {len(self.resegmented)}")
        lines.append(f"claimants: {self.speakers_right}/{self.speakers_total} = {self.speaker_rate:.1%} of the claims "
                     f"with an explicit speaker get that speaker; {len(self.quoted_speakers)} claims get a speaker "
                     f"named only inside a quotation")
        return "\n".join(lines)


def gazetteer_matcher() -> tuple[EntityMatcher, frozenset[int]]:
    """The matcher a fresh database builds: gazetteer aliases, ids in gazetteer order, and the topic ids."""
    gazetteer = load_gazetteer()
    matcher = EntityMatcher((a, i) for i, e in enumerate(gazetteer, 1) for a in e["aliases"])
    return matcher, _ids_of_type(gazetteer, "topic")


def _ids_of_type(gazetteer: list[dict], type_: str) -> frozenset[int]:
    return frozenset(i for i, e in enumerate(gazetteer, 1) if e.get("type") == type_)


def labelled_analyses(labels: dict, shared: Path):
    """Yield ``(entry, article, analysis)`` for every labelled file."""
    matcher, topics = gazetteer_matcher()
    gazetteer = load_gazetteer()
    people, organisations = _ids_of_type(gazetteer, "person"), _ids_of_type(gazetteer, "org")
    for entry in labels["files"]:
        path = shared / entry["file"]
        [article] = read_document(str(path), path.read_bytes())
        analysis = analyse(article.clean_text, published=article.published, matcher=matcher,
                           language=article.language, topics=topics, author=article.author, site=article.site,
                           people=people, organisations=organisations)
        yield entry, article, analysis


def score(labels: dict, shared: Path) -> Result:
    result = Result()
    matcher, _topics = gazetteer_matcher()
    for entry, article, analysis in labelled_analyses(labels, shared):
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
            claimant = stmt.claimant
            if claimant is not None and claimant.kind != "article" and claimant.start is not None \
                    and stmt.start <= claimant.start < stmt.end \
                    and _inside_quote(article.clean_text[stmt.start:stmt.end], claimant.start - stmt.start):
                result.quoted_speakers.append((entry["file"], index, claimant))
            if positive and label.get("speaker"):
                result.speakers_total += 1
                if _same_speaker(label["speaker"], claimant, matcher):
                    result.speakers_right += 1
                else:
                    result.speaker_misses.append((entry["file"], index, label["speaker"], claimant))
            if positive != stmt.checkworthy:
                result.misses.append((entry["file"], index, label["label"], stmt.checkworthy, stmt.score,
                                      stmt.text, stmt.reasons))
    return result


_QUOTATION = re.compile(r"“[^”]*”|「[^」]*」|\"[^\"]*\"")


def _inside_quote(body: str, pos: int) -> bool:
    return any(m.start() < pos < m.end() for m in _QUOTATION.finditer(body))


def _same_speaker(labelled: str, claimant, matcher: EntityMatcher) -> bool:
    """The claimant is the labelled speaker: the same gazetteer entity, or the same words (one inside the other)."""
    if claimant is None or claimant.kind == "article":
        return False
    for option in labelled.split("/"):
        ids = {m.entity_id for m in matcher.find(option)}
        if claimant.entity_id is not None and claimant.entity_id in ids:
            return True
        a = option.lower().removeprefix("the ").strip()
        for b in (claimant.name.lower().removeprefix("the ").strip(), claimant.surface.lower().removeprefix("the ").strip()):
            if a and b and (a in b or b in a):
                return True
    return False


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
    for file, index, speaker, claimant in result.speaker_misses:
        print(f"SPEAKER {Path(file).name[:20]}#{index} labelled {speaker!r}, got {claimant}")
    for file, index, claimant in result.quoted_speakers:
        print(f"QUOTED {Path(file).name[:20]}#{index} {claimant}")


if __name__ == "__main__":
    main(sys.argv[1:])
