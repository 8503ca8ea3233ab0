"""The editor's report: Markdown, per article its claims, verdicts, evidence and links.

All structure (headings, lists, labels) is ours; every piece of text that came
from an article or a reviewer goes through :func:`md_text` (punctuation
escaped, one line) or :func:`md_code` (URLs, as inert code spans), so nothing
in it can become a heading, a link, an image or HTML. URLs are shown, never
linked: a report must not carry a live link its author did not write.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from workbench.export.text import md_code, md_text
from workbench.scales import Scale
from workbench.urls import LINK_EVIDENCE


@dataclass
class ArticleSection:
    """One article and everything the report shows about it."""

    article: Mapping[str, Any]
    claims: Sequence[Mapping[str, Any]]
    verdicts: Sequence[Mapping[str, Any]] = field(default_factory=list)
    links: Sequence[Mapping[str, Any]] = field(default_factory=list)


def _evidence_items(text: Any) -> list[Any]:
    try:
        value = json.loads(text) if text else []
    except (TypeError, ValueError):
        return [text]
    return value if isinstance(value, list) else [value]


def _label(label: str, scale: Scale) -> str:
    entry = scale.get(label)
    if entry is None or entry.alternate.casefold() == label.casefold():
        return md_text(entry.alternate if entry else label)
    return f"{md_text(entry.alternate)} ({md_text(label)})"


def write_report(sections: Iterable[ArticleSection], out: TextIO, *, scale: Scale, title: str = "Fact-check report",
                 summary: Iterable[Mapping[str, Any]] = (), reviewed: bool = False) -> int:
    """Write the report; returns the number of articles. ``title`` is the caller's own Markdown.

    ``summary`` rows (one per article: id, title, claims, reviewed, final, disputed) become a table
    before the articles. Each linked pair is shown once, under the first claim of the report it joins.
    """
    out.write(f"# {title}\n")
    if reviewed:
        out.write("\nReviewed claims only (every claim: `export report --all`).\n")
    rows = list(summary)
    if rows:
        out.write("\n| Article | Title | Claims | With a verdict | Final | Disputed |\n|---:|---|---:|---:|---:|---:|\n")
        for row in rows:
            title_cell = (md_text(row.get("title") or "") or "(untitled)").replace("|", "\\|")
            out.write(f"| {int(row['id'])} | {title_cell} | {int(row['claims'])} | {int(row['reviewed'])} |"
                      f" {int(row['final'])} | {int(row['disputed'])} |\n")
    count = 0
    shown_links: set[frozenset] = set()
    for section in sections:
        count += 1
        _write_article(section, out, scale, shown_links)
    if not count:
        out.write("\nNo reviewed claims yet.\n" if reviewed else "\nNo claims yet.\n")
    return count


def _write_article(section: ArticleSection, out: TextIO, scale: Scale, shown_links: set[frozenset]) -> None:
    article = section.article
    heading = md_text(article.get("title") or "") or "(untitled)"
    out.write(f"\n## Article {int(article['id'])}: {heading}\n\n")
    for name, caption in (("site", "Site"), ("author", "Author"), ("published", "Published")):
        if article.get(name):
            out.write(f"- {caption}: {md_text(article[name])}\n")
    if article.get("url"):
        out.write(f"- URL: {md_code(article['url'])}\n")
    if article.get("path"):
        out.write(f"- File: {md_code(article['path'])}\n")

    verdicts: dict[int, list] = {}
    for verdict in section.verdicts:
        verdicts.setdefault(verdict["claim_id"], []).append(verdict)
    links: dict[int, list] = {}
    for link in section.links:
        links.setdefault(link["claim_id"], []).append(link)

    for claim in section.claims:
        out.write(f"\n### Claim {int(claim['id'])}\n\n")
        out.write(f"> {md_text(claim['text'])}\n\n")
        if claim.get("retired"):
            out.write("*Retired: the article was re-segmented; kept because it was reviewed.*\n\n")
        claim_verdicts = verdicts.get(claim["id"], [])
        if not claim_verdicts:
            out.write("- Verdict: none yet\n")
        for verdict in claim_verdicts:
            who = "final, by" if verdict["final"] else "by"
            out.write(f"- Verdict: **{_label(verdict['label'], scale)}** ({who} {md_text(verdict['reviewer'])},"
                      f" {md_text(verdict['time'])})\n")
            if verdict.get("final") and verdict.get("reason"):
                out.write(f"  - Adjudication: {md_text(verdict['reason'])}\n")
            if verdict.get("note"):
                out.write(f"  - Note: {md_text(verdict['note'])}\n")
            for item in _evidence_items(verdict.get("evidence")):
                if isinstance(item, int) and not isinstance(item, bool):
                    out.write(f"  - Evidence: confirmed link {item}\n")
                elif isinstance(item, str) and LINK_EVIDENCE.fullmatch(item):
                    out.write(f"  - Evidence: confirmed link {int(item[5:])}\n")
                else:
                    out.write(f"  - Evidence: {md_code(item)}\n")
        for link in links.get(claim["id"], []):
            # A pair of statements is shown once, under the first of its claims in the report, whichever
            # side each link row starts from (the linker may store A->B and B->A).
            pair = frozenset((link["from_id"], link["to_id"]))
            if pair in shown_links:
                continue
            shown_links.add(pair)
            other_title = md_text(link.get("other_article_title") or "") or "(untitled)"
            out.write(
                f"- Link ({md_text(link['relation'])}, {md_text(link['status'])}, score {float(link['score']):.2f}):"
                f" claim {int(link['other_id'])} in article {int(link['other_article_id'])} ({other_title}):"
                f" {md_text(link['other_text'])}\n"
            )
