"""Claimants: who made each claim, found in the sentence or its context, else the article; corrected, audited."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from workbench.claims.analyse import analyse
from workbench.claims.checkworthy_yardstick import gazetteer_matcher
from workbench.claims.entities import load_gazetteer
from workbench.cli import cli
from workbench.store.db import open_db

GAZETTEER = load_gazetteer()
PEOPLE = frozenset(i for i, e in enumerate(GAZETTEER, 1) if e["type"] == "person")
ORGS = frozenset(i for i, e in enumerate(GAZETTEER, 1) if e["type"] == "org")
MATCHER, TOPICS = gazetteer_matcher()
ID = {e["name"]: i for i, e in enumerate(GAZETTEER, 1)}


def claimants(text: str, *, author: str | None = "玩站小弟", site: str | None = None):
    analysis = analyse(text, published="2024-05-21", matcher=MATCHER, topics=TOPICS, author=author, site=site,
                       people=PEOPLE, organisations=ORGS)
    return [s.claimant for s in analysis.statements]


def test_speaker_after_a_quotation_not_the_name_inside_it():
    [c] = claimants("“也可能是中国自己决定要做，” 马斯克补充道。")
    assert (c.name, c.entity_id, c.kind) == ("马斯克", ID["Elon Musk"], "speaker")
    assert "补充道" in c.reason


def test_according_to_a_source():
    [c] = claimants("According to Reuters, citing anonymous sources, employees were not allowed to park their Tesla cars.")
    assert (c.entity_id, c.kind) == (ID["Reuters"], "source")


def test_the_company_said_is_the_main_organisation():
    text = ("Tesla sold 147,445 vehicles in China. Tesla also opened a store. "
            "Tesla has established a data center in China, the company said last week.")
    c = claimants(text, author="Anonymous")[-1]
    assert c.entity_id == ID["Tesla"] and c.kind == "speaker"
    assert c.surface.lower() == "the company"


def test_he_is_the_person_who_spoke_last():
    text = "马斯克表示，他希望借鉴中国的超级应用微信。他甚至指出，先进制程芯片的边际收益正在递减。"
    first, second = claimants(text)
    assert first.entity_id == second.entity_id == ID["Elon Musk"]
    assert second.surface == "他" and "who spoke last" in second.reason


def test_a_quotation_alone_belongs_to_the_speaker_around_it():
    announced = claimants("两位参议员在信中表示：\n“特斯拉和马斯克一再夸大其车辆的能力。”")
    assert announced[1].name == "两位参议员" and "previous sentence" in announced[1].reason
    named_after = claimants("“我很喜欢那种统一App或网站的概念，”\n马斯克对此解释道，“中国就通过微信实现了这点。”")
    assert named_after[0].entity_id == ID["Elon Musk"] and "next sentence" in named_after[0].reason


def test_a_name_only_inside_a_quotation_is_never_the_speaker():
    [c] = claimants("有网友写下“马斯克说特斯拉不会离开中国”这句话。", author=None, site="36kr")
    assert c.entity_id != ID["Elon Musk"]
    [c] = claimants("“Musk told us Tesla would never leave China,” one user wrote.", author=None, site=None)
    assert c.entity_id is None


def test_objects_and_roles_are_not_speakers():
    [c] = claimants("宁德时代董事长曾毓群曾与马斯克当面辩论，认为4680电池不可行。")
    assert c.entity_id == ID["Robin Zeng"]  # not 马斯克, the object of 与
    [c] = claimants("留在现场的特斯拉司机告知当地官员，他们没有看到那名摩托车手。")
    assert c.entity_id != ID["Tesla"]


def test_someone_the_gazetteer_does_not_know():
    [c] = claimants("针对转向节质量问题，汽车行业分析师章晓光对《证券日报》记者表示，双方均会进行破坏性检测。")
    assert (c.name, c.entity_id, c.kind) == ("章晓光", None, "speaker")


def test_no_speaker_is_the_article_author_else_the_site():
    [c] = claimants("特斯拉第三季度共生产237823辆汽车。")
    assert (c.name, c.kind) == ("玩站小弟", "article") and "author" in c.reason
    [c] = claimants("特斯拉第三季度共生产237823辆汽车。", author=None, site="3DMGame")
    assert (c.name, c.kind) == ("3DMGame", "article") and "site" in c.reason
    [c] = claimants("特斯拉第三季度共生产237823辆汽车。", author=None, site=None)
    assert c.kind == "article" and c.entity_id is None


# -- stored, listed, corrected ------------------------------------------------------------------------


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def claims(db_path, *extra):
    return [json.loads(line) for line in run("claims", "--format", "jsonl", "--db", db_path, *extra).stdout.splitlines()]


def test_claims_jsonl_carries_the_claimant(fixtures_db):
    rows = claims(fixtures_db)
    assert rows
    kinds = {r["claimant"]["kind"] for r in rows}
    assert kinds <= {"speaker", "source", "article"} and "article" in kinds and "speaker" in kinds
    spoken = [r for r in rows if r["claimant"]["kind"] == "speaker" and r["claimant"]["entity_id"]]
    assert spoken
    # a resolved claimant is named as the gazetteer names it
    db = open_db(fixtures_db)
    for r in spoken:
        name = db.execute("SELECT name FROM entities WHERE id = ?", [r["claimant"]["entity_id"]]).fetchone()[0]
        assert r["claimant"]["name"] == name


def test_a_reviewer_corrects_a_claimant_audited_and_kept_by_reprocess(fixtures_db):
    claim = claims(fixtures_db)[0]
    result = run("claimant", claim["id"], "--entity", "Reuters", "--kind", "source", "--reason", "wire copy",
                 "--reviewer", "ana", "--db", fixtures_db)
    assert result.exit_code == 0, result.output
    assert "Reuters" in result.output
    db = open_db(fixtures_db)
    event = db.execute("SELECT actor, action, object_id, after FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    assert event[:3] == ("ana", "claimant.correct", str(claim["id"]))
    assert json.loads(event[3])["kind"] == "source"
    db.close()
    run("reprocess", "--db", fixtures_db)
    after = {r["id"]: r for r in claims(fixtures_db)}[claim["id"]]["claimant"]
    assert (after["name"], after["kind"], after["corrected_by"]) == ("Reuters", "source", "ana")
    verify = run("audit", "verify", "--db", fixtures_db)
    assert verify.exit_code == 0, verify.output


def test_claimant_correction_refuses_what_it_cannot_store(fixtures_db):
    claim = claims(fixtures_db)[0]
    assert run("claimant", 999999, "Someone", "--db", fixtures_db).exit_code != 0
    result = run("claimant", claim["id"], "--entity", "no such entity here", "--db", fixtures_db)
    assert result.exit_code != 0 and "no entity" in result.output
    result = run("claimant", claim["id"], "--db", fixtures_db)
    assert result.exit_code != 0 and "needs a name" in result.output


@pytest.mark.parametrize("kind", ["speaker", "article"])
def test_a_hand_edit_of_a_corrected_claimant_is_caught_by_audit_verify(fixtures_db, kind):
    claim = claims(fixtures_db)[0]
    run("claimant", claim["id"], "Someone Else", "--kind", kind, "--reviewer", "ana", "--db", fixtures_db)
    db = open_db(fixtures_db)
    with db.conn:
        db.execute("UPDATE claimants SET name = 'Forged' WHERE statement_id = ?", [claim["id"]])
    db.close()
    result = run("audit", "verify", "--db", fixtures_db)
    assert result.exit_code != 0
    assert f"claimant of claim {claim['id']}" in result.output


def test_claimreview_item_author_is_the_claimant(fixtures_db):
    import io

    from workbench.export import export_verdicts
    from workbench.store import review as store_review

    db = open_db(fixtures_db)
    person = db.execute(
        """SELECT c.statement_id, e.name FROM claimants c JOIN entities e ON e.id = c.entity_id
           JOIN statements s ON s.id = c.statement_id
           WHERE c.kind = 'speaker' AND e.type = 'person' AND s.checkworthy LIMIT 1""").fetchone()
    own = db.execute(
        """SELECT c.statement_id, a.site, a.author FROM claimants c JOIN statements s ON s.id = c.statement_id
           JOIN articles a ON a.id = s.article_id WHERE c.kind = 'article' AND s.checkworthy LIMIT 1""").fetchone()
    assert person and own
    store_review.record_verdict(db, person[0], "ana", "false")
    store_review.record_verdict(db, own[0], "ana", "true")
    out = io.StringIO(newline="")
    export_verdicts(db, out, "claimreview")
    authors = {r["claimReviewed"]: r["itemReviewed"].get("author") for r in json.loads(out.getvalue())}
    texts = dict(db.execute("SELECT id, text FROM statements WHERE id IN (?, ?)", [person[0], own[0]]).fetchall())
    assert authors[texts[person[0]]] == {"@type": "Person", "name": person[1]}
    expected = {"@type": "Organization", "name": own[1]} if own[1] else {"@type": "Person", "name": own[2]}
    assert authors[texts[own[0]]] == expected


def test_the_place_based_carmaker_said_is_the_main_organisation_not_the_place():
    text = "BYD sold 300,000 vehicles in April, up 42% from a year earlier, the Shenzhen-based carmaker said on Wednesday."
    [c] = claimants(text, author=None, site="Harbor Line News")
    assert (c.entity_id, c.kind) == (ID["BYD"], "speaker")
    assert c.surface == "the Shenzhen-based carmaker"
