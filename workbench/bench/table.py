"""The bench's printed table: each figure beside its peer, then every target with met / missed."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.table import Table
from rich.text import Text


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def figure_rows(results: dict) -> list[tuple[str, str, str, str]]:
    """(figure, value, peer, peer's name) rows for the groups that ran."""
    rows = []
    if "import" in results:
        r = results["import"]
        p, q = r["pipeline"], r["plain_insert"]
        rows += [
            ("import: seconds (wall)", _fmt(p["seconds"]), _fmt(q["seconds"]), "sqlite-utils insert_all"),
            ("import: CPU seconds", _fmt(p["cpu_seconds"]), _fmt(q["cpu_seconds"]), "sqlite-utils insert_all"),
            ("import: MB/s", _fmt(p["mb_per_s"]), _fmt(q["mb_per_s"]), "sqlite-utils insert_all"),
            ("import: articles/s", _fmt(p["articles_per_s"]), _fmt(q["articles_per_s"]), "sqlite-utils insert_all"),
            ("import: planted pairs linked end to end", _fmt(r["planted_end_to_end"]["recall"]),
             _fmt(r["planted_end_to_end"]["relation_accuracy"]), "relation accuracy"),
        ]
        same = r.get("same_storage")
        if same:
            rows.append(("import: CPU s vs the same storage work", _fmt(p["cpu_seconds"]), _fmt(same["cpu_seconds"]),
                         f"sqlite-utils, {same['rows']['statements']:,} statements + FTS"))
        scaled = r.get("scaling")
        if scaled:
            for run in scaled["runs"]:
                rows.append((f"import {run['articles']:,} articles --jobs {run['jobs']}: s / articles/s/core",
                             _fmt(run["seconds"]), _fmt(run["articles_per_s_per_core"]),
                             f"{run['database_bytes'] / 1e6:,.1f} MB database"))
    if "linking" in results:
        for size in results["linking"]["sizes"]:
            n = f"{size['statements']:,}"
            rows.append((f"linking {n}: seconds / peak MiB", _fmt(size["seconds"]), _fmt(size["peak_rss_mib"]),
                         f"growth {size['peak_rss_growth_mib']:g} MiB"))
            rows.append((f"linking {n}: CPU seconds", _fmt(size.get("cpu_seconds")), "", ""))
            if "story_seconds" in size:
                rows.append((f"linking {n}: story stage / statement stage seconds", _fmt(size["story_seconds"]),
                             _fmt(size["statement_seconds"]), f"statement stage ({size['stories']:,} stories)"))
            rows.append((f"linking {n}: planted recall", _fmt(size["planted"]["recall"]),
                         _fmt(size["planted"]["relation_accuracy"]), "relation accuracy"))
        for step in results["linking"]["growth"]:
            rows.append((f"linking: time x{step['to'] / step['from']:.1f} statements",
                         _fmt(step["time_ratio"]), _fmt(step["per_x10"]), "per x10"))
        brute = results["linking"].get("brute_force", {}).get("brute_force")
        if brute:
            n = f"{results['linking']['brute_force']['statements']:,}"
            rows.append((f"linking {n}: index vs brute force seconds",
                         _fmt(results["linking"]["brute_force"]["seconds"]), _fmt(brute["seconds"]), "brute force"))
            rows.append((f"linking {n}: brute force's top-5 found", _fmt(brute["agreement"]),
                         f"{brute['index_finds']:,}/{brute['links']:,}", "links"))
    if "review" in results:
        r = results["review"]
        rows += [
            (f"review: first screen s ({r['database']['claims']:,} claims, {r.get('terminal', '')})",
             _fmt(r["first_screen_seconds"]), _fmt(r["bare_app_first_screen_seconds"]),
             "bare App with a Footer (both from a bytecode cache)"),
            ("review: first screen s, workbench compiled at each start", _fmt(r["first_screen_cold_compile_seconds"]),
             _fmt(r["bare_app_first_screen_cold_compile_seconds"]), "bare App (the environment as it is)"),
            ("review: key-to-screen median ms", _fmt(r["key_to_screen_ms"]["median"]),
             _fmt(r["floor_key_to_screen_ms"]["median"]), "floor peer (one pane repainted, the same text)"),
            ("review: key-to-screen p99 ms", _fmt(r["key_to_screen_ms"]["p99"]),
             _fmt(r["floor_key_to_screen_ms"]["p99"]), "floor peer"),
            ("review: key-to-screen median ms, the stricter floor", _fmt(r["key_to_screen_ms"]["median"]),
             _fmt(r.get("floor_sentence_key_to_screen_ms", {}).get("median")),
             "floor peer showing the claim's sentence alone"),
            ("review: key-to-commit ms, median / p99", _fmt(r["key_to_commit_ms"]["median"]),
             _fmt(r["key_to_commit_ms"]["p99"]), "p99"),
        ]
    if "audit" in results:
        a = results["audit"]
        rows += [
            (f"audit: verify {a['events']:,} events, chain only, s / CPU s", _fmt(a.get("chain_only_seconds")),
             _fmt(a.get("chain_only_cpu_seconds")), "CPU seconds (what verify did before signatures)"),
            (f"audit: verify {a['events']:,} events, everything, s / CPU s", _fmt(a["verify_seconds"]),
             _fmt(a.get("verify_cpu_seconds")),
             f"CPU seconds (chain, replay, tables, {a.get('signatures_checked')} signatures)"),
            ("audit: verify, every event's own signature, s / CPU s", _fmt(a.get("verify_every_signature_seconds")),
             _fmt(a.get("verify_every_signature_cpu_seconds")), "CPU seconds (--every-signature, thread pool)"),
            (f"audit: export {a['events']:,} events JSONL, s / CPU s", _fmt(a["export_seconds"]),
             _fmt(a.get("export_cpu_seconds")), f"CPU seconds ({a['export_bytes'] / 1e6:.1f} MB written)"),
        ]
    return rows


def print_table(results: dict, console: Console | None = None) -> None:
    # Wide enough for one line per row when the output goes to a file or a pipe.
    console = console or Console(width=None if sys.stdout.isatty() else 120)
    m = results["machine"]
    figures = Table(title="workbench bench: figures", title_justify="left")
    for column in ("figure", "value", "peer / second value", "peer is"):
        figures.add_column(column, justify="right" if column in ("value", "peer / second value") else "left")
    for row in figure_rows(results):
        figures.add_row(*(Text(cell) for cell in row))
    console.print(figures)
    goals = Table(title="targets", title_justify="left")
    for column in ("target", "value", "goal", "met"):
        goals.add_column(column, justify="right" if column == "value" else "left")
    for t in results["targets"]:
        met = Text("-" if t["met"] is None else "yes" if t["met"] else "NO",
                   style="" if t["met"] is None else "green" if t["met"] else "bold red")
        goals.add_row(Text(t["name"]), Text(_fmt(t["value"])), Text(t["target"]), met)
    console.print(goals)
    console.print(Text(
        f"{m['cpu_model']}, {m['cores']} cores, {m['memory_gib']} GiB, Python {m['python']}, SQLite {m['sqlite']}, "
        f"load average {m['load_average']} -> {m.get('load_average_at_end')}"))
    for group, trace in results.get("errors", {}).items():
        console.print(Text(f"{group} FAILED: {trace.strip().splitlines()[-1]}", style="bold red"))
    if results.get("fixed_sizes_overridden"):
        console.print(Text("--quick: fixed sizes were shrunk; these figures say nothing about the targets",
                           style="bold yellow"))
