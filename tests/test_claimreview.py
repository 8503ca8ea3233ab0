"""ClaimReview a fact-checker can publish: validated against schema.org's properties and Google's requirements.

The schema below is small on purpose: the ClaimReview, Claim, Rating and
CreativeWork properties the export uses, each with the type schema.org gives
it, no property schema.org does not define for the type, and the fields
Google's fact-check documentation requires (``claimReviewed``, ``url``,
``reviewRating`` with ``alternateName``, and an ``author`` organisation with
a name when a publisher is set).
"""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from click.testing import CliRunner

from workbench.cli import cli
from workbench.store import review
from workbench.store.db import open_db

WEB_URL = {"type": "string", "pattern": r"^https?://[^\s<>]+$"}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}"}
TEXT = {"type": "string", "minLength": 1}
ORGANIZATION = {
    "type": "object", "additionalProperties": False, "required": ["@type", "name"],
    "properties": {"@type": {"const": "Organization"}, "name": TEXT, "url": WEB_URL,
                   "logo": {"type": "object", "required": ["@type", "url"],
                            "properties": {"@type": {"const": "ImageObject"}, "url": WEB_URL}}},
}
PERSON = {"type": "object", "additionalProperties": False, "required": ["@type", "name"],
          "properties": {"@type": {"const": "Person"}, "name": TEXT}}
CREATIVE_WORK = {
    "type": "object", "additionalProperties": False, "required": ["@type"],
    "properties": {"@type": {"enum": ["CreativeWork", "NewsArticle"]}, "url": WEB_URL, "headline": TEXT,
                   "datePublished": DATE, "inLanguage": TEXT, "publisher": ORGANIZATION, "author": PERSON},
}
CLAIMREVIEW = {
    "type": "object", "additionalProperties": False,
    # Google: claimReviewed, reviewRating, url; author (the publisher) recommended, required here once set
    "required": ["@context", "@type", "claimReviewed", "reviewRating", "url", "author", "itemReviewed",
                 "datePublished"],
    "properties": {
        "@context": {"const": "https://schema.org"},
        "@type": {"const": "ClaimReview"},
        "url": WEB_URL,
        "claimReviewed": TEXT,
        "reviewBody": TEXT,
        "reviewRating": {
            "type": "object", "additionalProperties": False, "required": ["@type", "alternateName"],
            "properties": {"@type": {"const": "Rating"}, "alternateName": TEXT, "ratingValue": {"type": "number"},
                           "bestRating": {"type": "number"}, "worstRating": {"type": "number"}},
            "dependentRequired": {"ratingValue": ["bestRating", "worstRating"]},
        },
        "itemReviewed": {
            "type": "object", "additionalProperties": False, "required": ["@type", "appearance", "firstAppearance"],
            "properties": {"@type": {"const": "Claim"}, "author": {"anyOf": [PERSON, ORGANIZATION]},
                           "datePublished": DATE, "inLanguage": TEXT,
                           "appearance": {"type": "array", "minItems": 1, "items": CREATIVE_WORK},
                           "firstAppearance": CREATIVE_WORK},
        },
        "author": ORGANIZATION,
        "publisher": ORGANIZATION,
        "creator": PERSON,
        "datePublished": DATE,
        "citation": {"type": "array", "items": WEB_URL},
    },
}


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def published(fixtures_db):
    db = open_db(fixtures_db)
    claims = [r[0] for r in db.execute("SELECT id FROM statements WHERE checkworthy ORDER BY id LIMIT 6")]
    link = db.execute("SELECT id, claim_id FROM links ORDER BY score DESC LIMIT 1").fetchone()
    review.decide_link(db, link[0], "confirmed", "ana")
    review.record_verdict(db, link[1], "ana", "false", note="the filing says otherwise",
                          evidence=["https://filings.example/2024", "doi:10.1000/xyz123"])
    for n, claim in enumerate(claims):
        review.record_verdict(db, claim, "bo", ("true", "false", "mixed")[n % 3])
    review.record_verdict(db, claims[0], "ed", "mostly true", final=True, reason="two sources agree")
    db.conn.close()
    assert run("settings", "set", "publisher", '{"name": "Fact Desk", "url": "https://factdesk.example",'
               ' "logo": "https://factdesk.example/logo.png"}', "--db", fixtures_db).exit_code == 0
    assert run("settings", "set", "review_url", "https://factdesk.example/checks/{claim_id}",
               "--db", fixtures_db).exit_code == 0
    return {"path": fixtures_db, "claims": claims, "linked_claim": link[1]}


def test_the_fixtures_export_passes_the_schema_and_googles_required_fields(published):
    result = run("export", "verdicts", "--format", "claimreview", "--db", published["path"])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    reviews = json.loads(result.stdout)
    assert len(reviews) >= 6
    for item in reviews:
        jsonschema.validate(item, CLAIMREVIEW)
        claim_id = item["url"].rsplit("/", 1)[1]
        assert item["url"] == f"https://factdesk.example/checks/{claim_id}"
        assert item["author"] == item["publisher"] == {
            "@type": "Organization", "name": "Fact Desk", "url": "https://factdesk.example",
            "logo": {"@type": "ImageObject", "url": "https://factdesk.example/logo.png"}}
        first = item["itemReviewed"]["firstAppearance"]
        dated = [a["datePublished"] for a in item["itemReviewed"]["appearance"] if "datePublished" in a]
        assert first in item["itemReviewed"]["appearance"]
        assert not dated or first["datePublished"] == min(dated)
    assert len({item["url"] for item in reviews if item["creator"]["name"] != "bo"}) == \
        len([item for item in reviews if item["creator"]["name"] != "bo"])
    ana = next(item for item in reviews if item["creator"]["name"] == "ana")
    assert ana["citation"] == ["https://filings.example/2024", "https://doi.org/10.1000/xyz123"]
    assert ana["reviewBody"] == "the filing says otherwise"
    assert len(ana["itemReviewed"]["appearance"]) == 2  # the article and the confirmed link's source
    assert ana["itemReviewed"]["inLanguage"] in ("zh", "en")
    final = next(item for item in reviews if item["creator"]["name"] == "ed")
    assert final["reviewBody"] == "Adjudication: two sources agree"


def test_adjudication_reason_and_final_in_the_jsonl_and_csv(published, tmp_path):
    lines = run("export", "verdicts", "--format", "jsonl", "--db", published["path"]).stdout.splitlines()
    records = [json.loads(line) for line in lines]
    final = [r for r in records if r["final"]]
    assert [(r["reviewer"], r["adjudication_reason"]) for r in final] == [("ed", "two sources agree")]
    assert all(r["adjudication_reason"] is None for r in records if not r["final"])
    target = tmp_path / "v.csv"
    assert run("export", "verdicts", "--format", "csv", "-o", target, "--db", published["path"]).exit_code == 0
    assert "adjudication_reason" in target.read_text(encoding="utf-8-sig").splitlines()[0]


def test_without_publishing_settings_the_export_runs_and_says_how_to_set_them(fixtures_db):
    db = open_db(fixtures_db)
    claim = db.execute("SELECT id FROM statements WHERE checkworthy ORDER BY id LIMIT 1").fetchone()[0]
    review.record_verdict(db, claim, "bo", "true")
    db.conn.close()
    result = run("export", "verdicts", "--format", "claimreview", "--db", fixtures_db)
    assert result.exit_code == 0
    reviews = json.loads(result.stdout)
    assert len(reviews) == 1 and "url" not in reviews[0] and "author" not in reviews[0]
    assert "no publisher is set" in result.stderr and "workbench settings set publisher" in result.stderr
    assert "no review_url is set" in result.stderr and "workbench settings set review_url" in result.stderr
    assert result.stderr.count("no publisher is set") == 1  # once, not once per review


@pytest.mark.parametrize("template, why", [
    ("https://factdesk.example/checks/", "must contain {claim_id}"),
    ("https://factdesk.example/{claimid}", "must contain {claim_id}"),
    ("javascript:alert({claim_id})", "must be an http(s) URL"),
    ("/relative/{claim_id}", "must be an http(s) URL"),
])
def test_a_review_url_that_cannot_work_is_refused(fixtures_db, template, why):
    result = run("settings", "set", "review_url", template, "--db", fixtures_db)
    assert result.exit_code == 1 and why in result.output
    conn = open_db(fixtures_db)
    assert conn.execute("SELECT COUNT(*) FROM settings WHERE key = 'review_url'").fetchone()[0] == 0
    conn.conn.close()


@pytest.mark.parametrize("value, why", [
    ('{"name": "Desk", "url": "javascript:alert(1)"}', "must be an http(s) URL"),
    ('{"name": "Desk", "homepage": "https://x.example"}', "unknown fields: homepage"),
    ('{"url": "https://x.example"}', "needs a name"),
])
def test_a_publisher_that_cannot_work_is_refused(fixtures_db, value, why):
    result = run("settings", "set", "publisher", value, "--db", fixtures_db)
    assert result.exit_code == 1 and why in result.output


def test_csv_files_get_a_bom_for_excel_and_pipes_do_not(published, tmp_path):
    path = published["path"]
    for what in ("verdicts", "audit"):
        target = tmp_path / f"{what}.csv"
        assert run("export", what, "--format", "csv", "-o", target, "--db", path).exit_code == 0
        raw = target.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
        plain = tmp_path / f"{what}-plain.csv"
        assert run("export", what, "--format", "csv", "--no-excel", "-o", plain, "--db", path).exit_code == 0
        assert plain.read_bytes() == raw[3:]
        piped = CliRunner().invoke(cli, ["export", what, "--format", "csv", "--db", str(path)])
        assert not piped.stdout_bytes.startswith(b"\xef\xbb\xbf")
        forced = CliRunner().invoke(cli, ["export", what, "--format", "csv", "--excel", "--db", str(path)])
        assert forced.stdout_bytes.startswith(b"\xef\xbb\xbf")
    refused = run("export", "verdicts", "--format", "jsonl", "--excel", "--db", path)
    assert refused.exit_code == 2 and "--excel is for --format csv" in refused.output


# -- the editor's report --------------------------------------------------------------------------


def test_the_report_lists_reviewed_claims_links_once_and_a_summary_per_article(published, tmp_path):
    path = published["path"]
    db = open_db(path)
    # a link between two claims that both have verdicts would be listed under each of them
    both = db.execute("""SELECT l.id, l.claim_id, l.statement_id FROM links l JOIN statements s ON s.id = l.statement_id
                         WHERE s.checkworthy AND l.status != 'rejected' ORDER BY l.id LIMIT 1""").fetchone()
    review.record_verdict(db, both[1], "cy", "true")
    review.record_verdict(db, both[2], "cy", "false")
    with_verdict = {r[0] for r in db.execute("SELECT DISTINCT claim_id FROM verdicts")}
    all_claims = db.execute("SELECT COUNT(*) FROM statements WHERE checkworthy AND NOT retired").fetchone()[0]
    db.conn.close()
    result = run("export", "report", "--db", path)
    assert result.exit_code == 0
    text = result.stdout
    assert "Verdict: none yet" not in text
    shown = {int(n) for n in re.findall(r"^### Claim (\d+)$", text, flags=re.M)}
    assert shown == with_verdict
    pairs, current = [], None  # every link line as the pair of claims it joins
    for line in text.splitlines():
        heading = re.match(r"^### Claim (\d+)$", line)
        current = int(heading.group(1)) if heading else current
        link = re.match(r"^- Link \(.*?\): claim (\d+) in article", line)
        if link:
            pairs.append(frozenset((current, int(link.group(1)))))
    assert frozenset((both[1], both[2])) in pairs
    assert len(pairs) == len(set(pairs))  # each link once, under the first of its claims
    assert "| Article | Title | Claims | With a verdict | Final | Disputed |" in text
    rows = [line for line in text.splitlines() if re.match(r"^\| \d+ \|", line)]
    assert len(rows) == text.count("\n## Article ")
    assert sum(int(row.split("|")[4]) for row in rows) == len(with_verdict)
    assert "  - Adjudication: two sources agree" in text
    everything = run("export", "report", "--all", "--db", path).stdout
    assert "Verdict: none yet" in everything
    assert everything.count("\n### Claim ") == all_claims
