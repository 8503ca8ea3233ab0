"""Always-visible state: the progress line at the top and the verdict bar at the bottom."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from workbench.scales import Scale
from workbench.tui.text import styled

BAR_WIDTH = 20


def bar(done: int, total: int, width: int = BAR_WIDTH) -> Content:
    filled = round(width * done / total) if total else 0
    return Content.assemble(("━" * filled, "$accent"), ("━" * (width - filled), "$panel-lighten-2"))


class ProgressLine(Static):
    """Claims reviewed of all, overall and for the current article, and the reviewer's name."""

    def show(self, reviewer: str, progress: dict, queue_label: str, queue_count: int) -> None:
        done, total = progress["done"], progress["total"]
        parts = [
            ("workbench review", "bold $accent"), "  ",
            styled(reviewer, "bold"), "   reviewed ", bar(done, total), (f" {done}/{total}", "bold"),
            (f" ({100 * done / total:.0f}%)" if total else "", "$text-muted"),
        ]
        if "article_total" in progress:
            parts += ["   this article ", bar(progress["article_done"], progress["article_total"], 10),
                      (f" {progress['article_done']}/{progress['article_total']}", "bold")]
        parts += ["   queue ", (queue_label, "bold $secondary"), f" {queue_count:,}"]
        self.update(Content.assemble(*parts))


class VerdictBar(Static):
    """The scale's keys, the reviewer's verdict on the claim, others' (blind) and the final one."""

    def show(self, scale: Scale, mine: dict | None, others: list[dict], flagged: bool, evidence_links: int) -> None:
        keys = []
        for number, entry in enumerate(scale.labels[:9], start=1):
            chosen = mine is not None and mine["label"] == entry.label
            keys.append(Content.assemble((f" {number} ", "bold $background on $accent" if chosen else "bold $accent"),
                                         styled(entry.label, "bold" if chosen else "")))
        line1 = Content("  ").join(keys + [Content.styled("  n note · F adjudicate · s skip · f flag · u undo",
                                                          "$text-muted")])
        if mine:
            line2 = [("yours ", "$text-muted"), styled(mine["label"], "bold $success"),
                     (f" (v{mine['version']})", "$text-muted")]
            if mine.get("note"):
                line2 += ["  note: ", styled(mine["note"], "italic", limit=60)]
            if mine.get("evidence"):
                line2 += [(f"  evidence: {len(mine['evidence'])}", "$text-muted")]
        else:
            line2 = [("yours ", "$text-muted"), ("none yet", "italic $text-muted")]
        if evidence_links:
            line2 += [(f"  · {evidence_links} confirmed link(s) go in as evidence", "$text-muted")]
        if flagged:
            line2 += ["  ", ("⚑ flagged", "bold $warning")]
        final = [v for v in others if v["final"]]
        peers = [v for v in others if not v["final"]]
        line3: list = [("others ", "$text-muted")]
        if not peers:
            line3.append(("none", "italic $text-muted"))
        for v in peers:
            line3 += [styled(v["reviewer"], "bold", limit=30), ": "]
            line3.append(("hidden until you give yours", "italic $text-muted") if v["hidden"]
                         else styled(v["label"], "$secondary"))
            line3.append("   ")
        if final:
            f = final[0]
            line3 += ["  final ", styled(f["label"], "bold $accent"), " by ", styled(f["reviewer"], "", limit=30)]
        self.update(Content("\n").join([line1, Content.assemble(*line2), Content.assemble(*line3)]))


def queue_label(status: str) -> str:
    return {"todo": "to do", "mine": "mine", "all": "all", "disputed": "disputed", "flagged": "flagged"}[status]

