"""Link quality measured against hand labels: the real posts of ../shared and the fixtures' planted pairs.

Everything here reads a real database built by the real pipeline and compares its links with
labels kept in ``tests/data`` (the real texts stay in ../shared). The figures are printed by the
corpus test and asserted against the targets of issue 11; the same functions let an engineer
measure a change without running pytest (``python -m tests.helpers.link_quality``).

How links are counted: a link row is stored per claim, so a pair of statements that are both
claims can be stored twice (once from each side); figures count *statement pairs*, each once,
with the relation of its best-scored row. Links between copies of one article (``duplicate``) are
counted apart: they say "same article", not "another source agrees".
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
DATA = ROOT / "tests" / "data"


def corpus_paths(shared: Path = SHARED) -> list[Path]:
    """The 49 real posts: seeds, hexo and en (peer/ holds test suites, not articles)."""
    return (sorted((shared / "seeds").iterdir()) + sorted((shared / "corpus" / "hexo").iterdir())
            + sorted((shared / "corpus" / "en").iterdir()))


def label_key(path: Path | str) -> str:
    """The key of a post in events.json: ``seeds/...``, ``hexo/...``, ``en/...``."""
    parts = Path(path).parts
    return "/".join(parts[-2:])


def load_events() -> dict:
    return json.loads((DATA / "events.json").read_text(encoding="utf-8"))


@dataclass
class Pair:
    a: int  # statement ids, a < b
    b: int
    relation: str
    score: float
    duplicate: bool
    reasons: list[str]
    articles: tuple[int, int]


@dataclass
class Measure:
    """What the corpus test prints and asserts."""

    pairs: int = 0
    duplicate_pairs: int = 0
    event_ok: int = 0
    story_ok: int = 0
    by_relation: Counter = field(default_factory=Counter)
    event_ok_by_relation: Counter = field(default_factory=Counter)
    conflicts: int = 0
    conflicts_ok: int = 0
    posts_with_partner: int = 0
    posts_covered: int = 0
    uncovered: list[str] = field(default_factory=list)
    wrong: list[tuple] = field(default_factory=list)  # (article a, article b, relation, count, example reasons)
    false_conflicts: list[tuple] = field(default_factory=list)
    story_purity: float | None = None
    stories: int = 0
    article_pairs: int = 0  # distinct pairs of articles (not copies) joined by at least one link
    article_pairs_ok: int = 0  # ... of which the two share a labelled event

    @property
    def precision(self) -> float:
        return self.event_ok / self.pairs if self.pairs else 1.0

    @property
    def story_precision(self) -> float:
        return self.story_ok / self.pairs if self.pairs else 1.0

    @property
    def coverage(self) -> float:
        return self.posts_covered / self.posts_with_partner if self.posts_with_partner else 1.0

    @property
    def conflict_precision(self) -> float:
        return self.conflicts_ok / self.conflicts if self.conflicts else 1.0


def statement_pairs(db) -> list[Pair]:
    """Every linked pair of statements once (best-scored row), with its two articles."""
    best: dict[tuple[int, int], Pair] = {}
    for claim, other, score, relation, reasons, duplicate, ca, oa in db.execute(
            """SELECT l.claim_id, l.statement_id, l.score, l.relation, l.reasons, l.duplicate,
                      s1.article_id, s2.article_id
               FROM links l JOIN statements s1 ON s1.id = l.claim_id JOIN statements s2 ON s2.id = l.statement_id"""):
        key = (min(claim, other), max(claim, other))
        arts = (ca, oa) if claim < other else (oa, ca)
        if key not in best or score > best[key].score:
            best[key] = Pair(key[0], key[1], relation, score, bool(duplicate), json.loads(reasons or "[]"), arts)
    return sorted(best.values(), key=lambda p: (p.a, p.b))


def article_labels(db, labels: dict, path_of: dict[int, list[str]]) -> tuple[dict[int, set], dict[int, set]]:
    """Article id -> labelled events and stories (an article stored once for two files gets both files' labels)."""
    events: dict[int, set] = defaultdict(set)
    stories: dict[int, set] = defaultdict(set)
    for article, paths in path_of.items():
        for path in paths:
            post = labels["posts"][label_key(path)]
            events[article].update(post["events"])
            stories[article].add(post["story"])
    return events, stories


def paths_by_article(db, report=None) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for article, path in db.execute("SELECT id, path FROM articles"):
        out[article].append(path)
    if report is not None:
        for path, article in report.already:  # same bytes as a stored article: one article, two files
            out[article].append(str(path))
    return out


def measure(db, path_of: dict[int, list[str]], labels: dict | None = None) -> Measure:
    labels = labels or load_events()
    events, stories = article_labels(db, labels, path_of)
    group = {a: (d or a) for a, d in db.execute("SELECT id, duplicate_of FROM articles")}
    m = Measure()
    wrong: dict[tuple, list] = defaultdict(list)
    linked_to_partner: set[int] = set()
    for pair in statement_pairs(db):
        x, y = pair.articles
        if pair.duplicate or group[x] == group[y]:
            m.duplicate_pairs += 1
            continue
        m.pairs += 1
        m.by_relation[pair.relation] += 1
        same_event = bool(events[x] & events[y])
        if same_event:
            m.event_ok += 1
            m.event_ok_by_relation[pair.relation] += 1
            linked_to_partner.update((x, y))
        else:
            wrong[(min(x, y), max(x, y), pair.relation)].append(pair)
        if stories[x] & stories[y]:
            m.story_ok += 1
        if pair.relation == "conflict":
            m.conflicts += 1
            if same_event:
                m.conflicts_ok += 1
            else:
                m.false_conflicts.append((x, y, pair.reasons))
    for article in events:
        partners = [o for o in events if o != article and group[o] != group[article] and events[o] & events[article]]
        if partners:
            m.posts_with_partner += 1
            if article in linked_to_partner:
                m.posts_covered += 1
            else:
                m.uncovered.append(label_key(path_of[article][0]))
    joined = {(min(p.articles), max(p.articles)) for p in statement_pairs(db)
              if not p.duplicate and group[p.articles[0]] != group[p.articles[1]]}
    m.article_pairs = len(joined)
    m.article_pairs_ok = sum(1 for x, y in joined if events[x] & events[y])
    m.wrong = sorted(((a, b, r, len(ps), ps[0].reasons) for (a, b, r), ps in wrong.items()),
                     key=lambda w: -w[3])
    m.story_purity, m.stories = _story_purity(db, stories)
    return m


def _story_purity(db, stories: dict[int, set]) -> tuple[float | None, int]:
    """Share of articles whose computed story's majority label is theirs (None before stories exist)."""
    try:
        rows = db.execute("SELECT story_id, article_id FROM story_articles").fetchall()
    except Exception:  # noqa: BLE001 -- no stories table yet (before m011)
        return None, 0
    members: dict[int, list[int]] = defaultdict(list)
    for story, article in rows:
        members[story].append(article)
    if not members:
        return None, 0
    pure = 0
    for arts in members.values():
        counts = Counter(label for a in arts for label in stories.get(a, ()))
        top = counts.most_common(1)[0][0] if counts else None
        pure += sum(1 for a in arts if top in stories.get(a, ()))
    return pure / sum(len(a) for a in members.values()), len(members)


# -- the seeds' labelled fact pairs ---------------------------------------------------------------

def seed_fact_table(db) -> list[dict]:
    """For each labelled seed fact pair: the two statements and the link between them, if any."""
    facts = json.loads((DATA / "seed_facts.json").read_text(encoding="utf-8"))["pairs"]
    out = []
    for fact in facts:
        left = _statement_in(db, *fact["left"])
        right = _statement_in(db, *fact["right"])
        found = _link_between(db, left, right) if left and right else None
        out.append({**fact, "left_id": left, "right_id": right,
                    "linked": found[0] if found else None, "reasons": found[1] if found else None})
    return out


def _statement_in(db, file_name: str, fragment: str) -> int | None:
    rows = db.execute("""SELECT s.id FROM statements s JOIN articles a ON a.id = s.article_id
                         WHERE NOT s.retired AND a.path LIKE ? AND instr(s.text, ?) > 0 ORDER BY s.id""",
                      ["%" + file_name, fragment]).fetchall()
    return rows[0][0] if rows else None


def _link_between(db, a: int, b: int) -> tuple[str, list[str]] | None:
    row = db.execute("""SELECT relation, reasons FROM links WHERE (claim_id = ? AND statement_id = ?)
                        OR (claim_id = ? AND statement_id = ?) ORDER BY score DESC LIMIT 1""", [a, b, b, a]).fetchone()
    return (row[0], json.loads(row[1])) if row else None


def seed_links(db) -> list[tuple]:
    """Every link between two seeds: (left file, left text, right file, right text, relation, reasons)."""
    rows = db.execute(
        """SELECT a1.path, s1.text, a2.path, s2.text, l.relation, l.reasons, l.score
           FROM links l JOIN statements s1 ON s1.id = l.claim_id JOIN statements s2 ON s2.id = l.statement_id
           JOIN articles a1 ON a1.id = s1.article_id JOIN articles a2 ON a2.id = s2.article_id
           WHERE a1.path LIKE '%/seeds/%' AND a2.path LIKE '%/seeds/%' ORDER BY l.score DESC""").fetchall()
    seen, out = set(), []
    for p1, t1, p2, t2, relation, reasons, score in rows:
        key = frozenset((t1, t2))
        if key in seen:
            continue
        seen.add(key)
        out.append((Path(p1).name, t1, Path(p2).name, t2, relation, json.loads(reasons), score))
    return out


# -- the fixtures' planted pairs (fixtures/README.md) ----------------------------------------------

_FIXTURE_NAMES = {
    "a1": "a1_forum_tesla_data_centre.txt", "a2": "a2_chetan_tesla_shanghai_data_centre.md",
    "a2_dup": "a2_dup_zhijia_tesla_shanghai_data_centre.md", "a3": "a3_tw_repost_tesla_data_centre.big5.txt",
    "a4": "a4_en_tesla_shanghai_data_centre.html", "b1": "b1_musk_beijing_header.txt",
    "b2": "b2_en_musk_beijing_caam.html", "b3": "b3_musk_beijing_fleet.gbk.txt", "b4": "b4_wire_feed.jsonl",
    "b5": "b5_app_caam_check.json", "b6": "b6_en_byline_musk_beijing.txt", "b7": "b7_fsd_price_flash.utf16le.txt",
    "c1": "c1_byd_april_sales.utf8bom.txt", "c2": "c2_huawei_harmony_cockpit_invalid_date.md",
    "d1": "d1_opinion_undated.txt", "hostile md": "hostile [b]name[@click=app.quit]x.md",
    "hostile txt": "hostile_escapes_byline.txt",
}


def planted_pairs(readme: Path = ROOT / "fixtures" / "README.md") -> list[dict]:
    """The table "Planted links and conflicts": number, both sides, and the expected relation."""
    rows = []
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 6 or not cells[0].isdigit():
            continue
        number, lf, lfrag, rf, rfrag, relation = cells
        text = relation.lower()
        if text.startswith("duplicate"):
            expected = "duplicate"
        elif text.startswith("**conflict") or "**but conflict" in text:
            expected = "conflict"
        elif text.startswith("related"):
            expected = "related"
        else:
            expected = "same"
        rows.append({"n": int(number), "left": _side(lf, lfrag), "right": _side(rf, rfrag),
                     "expected": expected, "label": relation})
    return rows


def _side(name: str, fragment: str) -> tuple[str, int | None, str]:
    record = None
    if "#" in name:
        name, record = name.split("#")
        record = int(record)
    fragment = fragment.strip().strip("`")
    fragment = re.sub(r"\s*\(inside .*\)$", "", fragment)
    return _FIXTURE_NAMES[name.strip()], record, fragment


def planted_table(db) -> list[dict]:
    out = []
    for row in planted_pairs():
        left = _fixture_statements(db, *row["left"])
        right = _fixture_statements(db, *row["right"])
        found = None
        for a in left:
            for b in right:
                link = db.execute("""SELECT relation, duplicate, reasons, score FROM links
                                     WHERE (claim_id = ? AND statement_id = ?) OR (claim_id = ? AND statement_id = ?)
                                     ORDER BY score DESC LIMIT 1""", [a, b, b, a]).fetchone()
                if link and (found is None or link[3] > found[3]):
                    found = link
        got = None if found is None else ("duplicate" if found[1] else found[0])
        out.append({**row, "got": got, "reasons": json.loads(found[2]) if found else None,
                    "located": bool(left and right)})
    return out


def _fixture_statements(db, file_name: str, record: int | None, fragment: str) -> list[int]:
    where = "a.path LIKE ?"
    params: list = ["%/" + file_name]
    if record is not None:
        where += " AND a.record = ?"
        params.append(record)
    rows = db.execute(f"""SELECT s.id, s.text FROM statements s JOIN articles a ON a.id = s.article_id
                          WHERE NOT s.retired AND {where}""", params).fetchall()
    folded = _fold(fragment)
    return [sid for sid, text in rows if folded in _fold(text)]


def _fold(text: str) -> str:
    """Compare fragments as a reader would: width, punctuation and control characters aside."""
    import unicodedata
    # the README's hostile rows hold the fragment "after control characters are removed":
    # terminal escape sequences go whole (OSC ... BEL/ST, CSI ... final byte)
    text = re.sub(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[[0-9;?]*[ -/]*[@-~]|\x9b[0-9;?]*[@-~]", "", text)
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if ch.isalnum() or ch in "%$.")


def planted_summary(table: list[dict]) -> dict:
    found = [r for r in table if r["got"] is not None]
    typed = [r for r in found if r["got"] == r["expected"]]
    conflicts = [r for r in table if r["expected"] == "conflict"]
    return {"pairs": len(table), "found": len(found), "typed": len(typed),
            "conflicts": len(conflicts), "conflicts_found": sum(1 for r in conflicts if r["got"] == "conflict"),
            "located": sum(1 for r in table if r["located"])}


# -- printing ------------------------------------------------------------------------------------

def report(m: Measure, seeds: list[dict], seed_link_rows: list[tuple], names: dict[int, str]) -> str:
    lines = [
        f"statement pairs linked across sources: {m.pairs} (+{m.duplicate_pairs} between copies of one article)",
        f"  by relation: {dict(sorted(m.by_relation.items()))}; sharing an event: "
        f"{dict(sorted(m.event_ok_by_relation.items()))}",
        f"link precision (the two posts share a labelled event): {m.precision:.3f} ({m.event_ok}/{m.pairs})",
        f"link precision at story level (the two posts share a labelled story): {m.story_precision:.3f} "
        f"({m.story_ok}/{m.pairs})",
        f"article pairs linked: {m.article_pairs}, sharing an event: {m.article_pairs_ok}",
        f"post coverage (posts with a same-event partner linked to one): {m.coverage:.3f} "
        f"({m.posts_covered}/{m.posts_with_partner})",
        f"conflict precision: {m.conflict_precision:.3f} ({m.conflicts_ok}/{m.conflicts})",
        "story purity: " + ("n/a (no stories)" if m.story_purity is None
                            else f"{m.story_purity:.3f} over {m.stories} stories"),
    ]
    if m.uncovered:
        lines.append("  not covered: " + "; ".join(m.uncovered))
    for a, b, relation, count, reasons in m.wrong[:25]:
        lines.append(f"  wrong: {names.get(a, a)} <-> {names.get(b, b)}: {count} {relation}; e.g. {reasons}")
    for a, b, reasons in m.false_conflicts[:10]:
        lines.append(f"  false conflict: {names.get(a, a)} <-> {names.get(b, b)}: {reasons}")
    lines.append(f"seed facts linked: {sum(1 for s in seeds if s['linked'])}/{len(seeds)}")
    for s in seeds:
        lines.append(f"  {s['left'][0][:3]} {s['left'][1][:18]} | {s['right'][0][:3]} {s['right'][1][:24]}: "
                     f"label {s['relation']}, linked {s['linked']}")
    lines.append(f"links between seeds: {len(seed_link_rows)}")
    for lf, lt, rf, rt, relation, reasons, score in seed_link_rows:
        lines.append(f"  {lf[:3]} {lt[:40]!r} -> {rf[:3]} {rt[:40]!r}: {relation} {score} {reasons}")
    return "\n".join(lines)


def build(path: Path):
    from workbench.pipeline import Pipeline
    from workbench.store.db import open_db

    db = open_db(path)
    result = Pipeline(db, actor="corpus-test").import_paths(corpus_paths())
    return db, result


def short_names(path_of: dict[int, list[str]]) -> dict[int, str]:
    return {a: f"{a}:{Path(p[0]).stem[:14]}" for a, p in path_of.items()}


if __name__ == "__main__":  # measure without pytest: python -m tests.helpers.link_quality DB
    import sys
    import tempfile

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "corpus.db"
    target.unlink(missing_ok=True)
    db, result = build(target)
    path_of = paths_by_article(db, result)
    m = measure(db, path_of)
    print(report(m, seed_fact_table(db), seed_links(db), short_names(path_of)))
