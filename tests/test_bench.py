"""The bench's corpus generator (deterministic, parseable, truthful) and a tiny end-to-end bench run."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest

from workbench.bench import corpus
from workbench.bench.__main__ import main
from workbench.ingest import read_document


@pytest.fixture(scope="module")
def generated():
    return corpus.generate(60, seed=7)


def _snapshot(c: corpus.Corpus) -> list:
    return [(a.language, a.format, a.title, a.published, a.author, a.clean_text,
             [(s.entities, s.dates, s.numbers, s.claim) for s in a.statements]) for a in c.articles] + c.pairs


def test_same_seed_same_corpus_and_bytes(tmp_path):
    first, second = corpus.generate(25, seed=3), corpus.generate(25, seed=3)
    assert _snapshot(first) == _snapshot(second)
    files_a = corpus.write(first, tmp_path / "a")
    files_b = corpus.write(second, tmp_path / "b")
    assert [p.name for p in files_a] == [p.name for p in files_b]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(files_a, files_b))


def test_other_seed_other_corpus():
    assert _snapshot(corpus.generate(25, seed=3)) != _snapshot(corpus.generate(25, seed=4))


def test_size_and_shape(generated):
    assert len(generated.articles) >= 60
    lo, hi = corpus.STATEMENTS_PER_ARTICLE
    assert all(lo <= len(a.statements) <= hi for a in generated.articles)
    assert {a.language for a in generated.articles} == {"zh", "en"}
    assert {a.format for a in generated.articles} == {"text", "markdown", "html", "json", "jsonl", "forum"}
    # filler too: most statements are not the planted claims
    claims = sum(s.claim for a in generated.articles for s in a.statements)
    assert claims < generated.statement_count / 2


def test_planted_pairs_are_consistent(generated):
    kinds = Counter(p.kind for p in generated.pairs)
    assert set(kinds) == {"same", "cross_lingual", "conflict_number", "conflict_date"}
    for pair in generated.pairs:
        left, right = generated.statement(pair.left), generated.statement(pair.right)
        a, b = generated.articles[pair.left.article], generated.articles[pair.right.article]
        assert pair.left.article != pair.right.article and a.event == b.event
        assert pair.left.fragment in left.text and pair.right.fragment in right.text
        assert left.claim and right.claim
        assert pair.cross_lingual == (a.language != b.language)
        assert set(left.entities) == set(right.entities)
        if pair.kind in ("same", "cross_lingual"):
            assert pair.relation == "same"
            assert (left.dates, left.numbers) == (right.dates, right.numbers)
            assert pair.cross_lingual == (pair.kind == "cross_lingual")
        elif pair.kind == "conflict_number":
            assert pair.relation == "conflict"
            assert left.dates == right.dates and left.numbers != right.numbers
            assert [u for _, u in left.numbers] == [u for _, u in right.numbers]
        else:
            assert pair.relation == "conflict"
            assert left.dates != right.dates and left.numbers == right.numbers
            (l_start, _), (r_start, _) = left.dates[0], right.dates[0]
            assert l_start[:7] == r_start[:7]  # same month, another day


def test_cross_lingual_figures_are_written_both_ways(generated):
    # 170万辆 on one side is 1.7 million vehicles on the other, never a different figure
    cross = [p for p in generated.pairs if p.kind == "cross_lingual"]
    assert cross
    for pair in cross:
        zh, en = sorted((pair.left, pair.right), key=lambda s: generated.articles[s.article].language == "en")
        zh_text, en_text = generated.statement(zh).text, generated.statement(en).text
        for value, unit in generated.statement(zh).numbers:
            if unit == "vehicle" and value >= 1e6:
                assert f"{value / 1e4:g}万辆" in zh_text and f"{value / 1e6:g} million vehicles" in en_text


def test_every_file_parses_with_metadata_and_statements(generated, tmp_path):
    files = corpus.write(generated, tmp_path)
    parsed = {}
    for path in files:
        for article in read_document(str(path), path.read_bytes()):
            parsed[(path.name, article.record or 1)] = article
    assert len(parsed) == len(generated.articles)
    for spec in generated.articles:
        article = parsed[(spec.path, spec.record or 1)]
        assert article.language in (spec.language, None)
        assert article.published and article.published[:10] == spec.published.date().isoformat()
        text = " ".join(article.clean_text.split())
        for statement in spec.statements:
            assert statement.text in text, (spec.path, statement.text)


def test_link_items_carry_the_truth(generated):
    items, ids = corpus.link_items(generated)
    assert len(items) == generated.statement_count == len(ids)
    assert len({i.statement_id for i in items}) == len(items)
    for pair in generated.pairs:
        left = items[ids[(pair.left.article, pair.left.statement)] - 1]
        assert left.is_claim and pair.left.fragment in left.text
        assert left.entities and left.dates


def test_tiny_bench_run_writes_the_json_shape(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert main(["--articles", "20", "--quick", "--json", str(out)]) == 0
    results = json.loads(out.read_text("utf-8"))
    assert {"machine", "targets", "import", "linking", "review", "audit", "ingest"} <= set(results)
    assert {"platform", "cpu_model", "cores", "memory_gib", "python", "sqlite"} <= set(results["machine"])
    names = [t["name"] for t in results["targets"]]
    assert len(names) == 21 and len(set(names)) == 21  # 4 of them the ingest group's (issue 14), 5 the review's
    for target in results["targets"]:
        assert set(target) == {"name", "value", "target", "met"}
        assert isinstance(target["value"], (int, float)) and isinstance(target["met"], bool)
    assert results["import"]["imported"] == results["import"]["articles"] >= 20
    assert results["import"]["plain_insert"]["seconds"] > 0
    assert [s["statements"] > 0 for s in results["linking"]["sizes"]] == [True, True]
    assert results["review"]["verdicts_timed"] == results["review"]["keys_pressed"]
    # the first screen both ways: from a bytecode cache (the target's), and compiled from source at each start
    assert results["review"]["first_screen_ratio"] > 0 and results["review"]["first_screen_cold_compile_ratio"] > 0
    assert results["audit"]["verify_ok"] and results["audit"]["exported_events"] == results["audit"]["events"]
    assert "targets" in capsys.readouterr().out


def test_the_floor_peer_is_given_the_text_the_claim_pane_showed(tmp_path):
    import asyncio

    from workbench.bench import review

    db_path = tmp_path / "review.db"
    review.build_database(db_path, 300, 5, lambda _: None)
    timings, pane, shown = asyncio.run(review._press_verdicts(db_path, 3))
    sentences = review._claim_sentences(db_path, 3)
    assert len(timings) == 3 and len(shown) == 4 and pane[0] > 20
    # each text is the pane's: the claim's sentence (the one judged next) in its paragraph, and the sections below
    for sentence, text in zip(sentences, shown):
        assert sentence[:8] in text.replace("\n", "")
        assert "Entities" in text and "Numbers" in text and text.count("\n") > sentence.count("\n") + 5
    floor = asyncio.run(review._press_floor(shown, pane, 3))
    assert len(floor) == 3 and all(updated >= key for key, updated in floor)


def test_a_child_started_by_a_big_parent_reports_its_own_peak_memory():
    # ru_maxrss keeps the parent's peak across exec: the ingest bench's children reported the whole bench's
    # 926 MiB (their baseline equal to their peak) after the 100k-statement groups had run in the parent
    held = bytearray(400 * 1024 * 1024)
    held[:: 4096] = b"x" * len(held[:: 4096])  # touch every page, so it is resident
    child = subprocess.run([sys.executable, "-c", "from workbench.bench.memory import peak_rss_mib;"
                            " print(peak_rss_mib())"], capture_output=True, text=True, check=True)
    assert float(child.stdout) < 200
    assert len(held) == 400 * 1024 * 1024
