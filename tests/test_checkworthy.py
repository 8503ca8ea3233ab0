"""Check-worthiness scores, types and reasons, in Chinese and English."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.claims.checkworthy import DEFAULT_THRESHOLD, TYPES, assess
from workbench.claims.entities import EntityMatcher, load_gazetteer
from workbench.model import DateMention, EntityMention, NumberMention

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def ent(text: str, surface: str, entity_id: int = 1) -> EntityMention:
    start = text.index(surface)
    return EntityMention(entity_id, surface, start, start + len(surface))


def num(text: str, surface: str, value: float, unit: str | None = None) -> NumberMention:
    start = text.index(surface)
    return NumberMention(surface, start, start + len(surface), value, unit)


def day(text: str, surface: str, iso: str | None = "2024-04-28") -> DateMention:
    start = text.index(surface)
    return DateMention(surface, start, start + len(surface), "day", iso, iso)


def test_quantity_with_names_is_checkworthy():
    text = "全国有170万辆特斯拉工厂生产售卖的汽车"
    score, types, reasons = assess(
        text, entities=[ent(text, "特斯拉")], dates=[], numbers=[num(text, "170万辆", 1.7e6, "vehicle")],
        language="zh",
    )
    assert score >= DEFAULT_THRESHOLD
    assert types == ["quantity"]
    assert "quantity: 170万辆" in reasons
    assert "names 特斯拉" in reasons


def test_english_sales_figure_is_checkworthy():
    text = "Tesla sold 147,445 vehicles in China last year"
    score, types, reasons = assess(
        text,
        entities=[ent(text, "Tesla"), ent(text, "China", 2)],
        dates=[DateMention("last year", 35, 44, "year", "2020-01-01", "2020-12-31")],
        numbers=[num(text, "147,445 vehicles", 147445, "vehicle")],
        language="en",
    )
    assert score >= 0.8
    assert types == ["quantity", "date"]
    assert reasons[:3] == ["quantity: 147,445 vehicles", "date: last year", "names Tesla, China"]
    assert any(r.startswith("event: sold") for r in reasons)


def test_date_and_name_clear_the_threshold_but_a_name_alone_does_not():
    text = "28日,马斯克抵达北京"
    with_date, types, reasons = assess(
        text, entities=[ent(text, "马斯克"), ent(text, "北京", 2)], dates=[day(text, "28日")], numbers=[],
        language="zh",
    )
    assert with_date >= DEFAULT_THRESHOLD and "date" in types and "date: 28日" in reasons
    plain = "这番通报不仅是对马斯克释放了友好的态度"
    alone, types, _ = assess(plain, entities=[ent(plain, "马斯克")], dates=[], numbers=[], language="zh")
    assert alone < DEFAULT_THRESHOLD and types == []


def test_question_scores_low_even_with_a_name():
    text = "那么,马斯克这次来华是想要干什么?"
    score, _, reasons = assess(text, entities=[ent(text, "马斯克")], dates=[], numbers=[], language="zh")
    assert score < 0.25
    assert "question" in reasons


def test_opinion_without_anything_concrete_scores_low():
    text = "我们也非常期待那天的到来。"
    score, types, reasons = assess(text, entities=[], dates=[], numbers=[], language="zh")
    assert score < 0.1
    assert any(r.startswith("opinion: 期待") for r in reasons)
    text = "I think the company should do better."
    score, _, reasons = assess(text, entities=[], dates=[], numbers=[], language="en")
    assert score < 0.1 and any(r.startswith("opinion") for r in reasons)


def test_opinion_about_a_named_party_stays_below_threshold():
    text = "马斯克身为链接中外汽车行业的一个标杆,必须要及时认清自己的身份"
    score, _, reasons = assess(text, entities=[ent(text, "马斯克")], dates=[], numbers=[], language="zh")
    assert score < DEFAULT_THRESHOLD
    assert "opinion: 必须" in reasons


@pytest.mark.parametrize(
    "text, kind",
    [
        ("相关文章", "相关文章"),
        ("  • Tag:", "Tag"),
        ("我要评论", "我要评论"),
        ("https://www.zerohedge.com/technology/tesla-establishes-data-center", "url"),
        ("2024-05-21", "no words"),
        ("上一篇：特斯拉发布新车", "上一篇"),
        ("- End -", "End"),
    ],
)
def test_page_chrome_scores_near_zero(text, kind):
    score, types, reasons = assess(text, entities=[], dates=[], numbers=[], language="zh")
    assert score < 0.05
    assert types == []
    assert reasons == [f"page chrome: {kind}"]


def test_very_short_fragments_are_marked_down():
    text = "FSD"
    score, _, reasons = assess(text, entities=[ent(text, "FSD")], dates=[], numbers=[], language="zh")
    assert score < 0.15 and "too short" in reasons


@pytest.mark.parametrize(
    "text, kind, cue",
    [
        ("通报显示,特斯拉目前成为了唯一一个通过检测的外资车企", "quote", "attribution: 通报显示"),
        ("马斯克表示,他希望借鉴中国的超级应用微信", "quote", "attribution: 表示"),
        ("According to Reuters, the ban only applies to Tesla", "quote", "attribution: According to"),
        ("马斯克的回复非常正向:“可能很快就会实现”。", "quote", "attribution: 回复"),
        ("预计2026年发电量可能达到美国的三倍", "prediction", "prediction: 预计"),
        ("The company will open a second plant in Berlin", "prediction", "prediction: will"),
        ("中国一直是特斯拉的第二大市场", "comparison", "comparison: 第二大"),
        ("营收同比下降", "comparison", "comparison: 同比"),
        ("The Hong Guang sold more than Tesla's Model 3", "comparison", "comparison: more than"),
        ("由于官僚阻力,仅完成16%的目标后就辞职了", "causal", "causal: 由于"),
        ("data loss that led to car owners complaining", "causal", "causal: led to"),
    ],
)
def test_types_and_their_cues(text, kind, cue):
    _, types, reasons = assess(text, entities=[], dates=[], numbers=[], language=None)
    assert kind in types
    assert cue in reasons
    assert set(types) <= set(TYPES)


def test_words_that_only_look_like_cues():
    # 名称/称为 are not attributions; 打造成 is not a cause; a scare-quoted word is not a quotation.
    text = "这款车的名称被称为“绿牌”,他要将平台X打造成超级应用"
    _, types, reasons = assess(text, entities=[], dates=[], numbers=[], language="zh")
    assert "quote" not in types and "causal" not in types


def test_numbers_inside_names_and_counting_words_are_not_quantities():
    text = "曾毓群认为4680电池不可行,这两条消息并不简单"
    entities = [ent(text, "曾毓群"), ent(text, "4680电池", 2)]
    numbers = [num(text, "4680", 4680), num(text, "两", 2)]
    _, types, reasons = assess(text, entities=entities, dates=[], numbers=numbers, language="zh")
    assert "quantity" not in types
    assert not any(r.startswith("quantity") for r in reasons)


def test_a_bare_small_count_is_weaker_than_a_figure():
    text = "海南椰岛发现旗下新增了5家假冒子公司"
    small, _, _ = assess(text, entities=[], dates=[], numbers=[num(text, "5", 5)], language="zh")
    text2 = "全国汽车商品累计进出口总额为887亿美元"
    figure, _, _ = assess(text2, entities=[], dates=[], numbers=[num(text2, "887亿美元", 8.87e10, "USD")],
                          language="zh")
    assert small < DEFAULT_THRESHOLD <= figure


def test_score_is_bounded_and_rounded():
    text = "据路透社报道,特斯拉去年在中国卖出147445辆汽车,比前年多出一倍以上,预计今年将超过20万辆,因为需求旺盛。"
    score, types, _ = assess(
        text,
        entities=[ent(text, "路透社"), ent(text, "特斯拉", 2), ent(text, "中国", 3)],
        dates=[day(text, "去年"), day(text, "今年")],
        numbers=[num(text, "147445辆", 147445, "vehicle"), num(text, "20万辆", 2e5, "vehicle")],
        language="zh",
    )
    assert 0.9 < score <= 1.0
    assert score == round(score, 3)
    assert types == ["quantity", "date", "quote", "prediction", "comparison", "causal"]


def test_with_real_matcher_on_seed_sentences():
    gazetteer = load_gazetteer()
    matcher = EntityMatcher((a, i) for i, e in enumerate(gazetteer, 1) for a in e["aliases"])
    high = "中国一直是特斯拉的第二大市场。"
    low = "这固然很好,但训练自动驾驶的汽车驾驶数据非常重要,不是这样一个理由就可以拿走的。"
    high_score, _, _ = assess(high, entities=matcher.find(high), dates=[], numbers=[], language="zh")
    low_score, _, _ = assess(low, entities=matcher.find(low), dates=[], numbers=[], language="zh")
    assert high_score >= DEFAULT_THRESHOLD > low_score


@pytest.mark.corpus
def test_seed_articles_share_of_checkworthy_statements():
    """On the seeds roughly a fifth to a half of the statements are worth checking."""
    from workbench.claims.analyse import analyse

    gazetteer = load_gazetteer()
    matcher = EntityMatcher((a, i) for i, e in enumerate(gazetteer, 1) for a in e["aliases"])
    total = flagged = 0
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        analysis = analyse(path.read_text(encoding="utf-8"), published="2024-05-21", matcher=matcher)
        total += len(analysis.statements)
        flagged += sum(s.checkworthy for s in analysis.statements)
        texts = {s.text: s for s in analysis.statements}
        for chrome in ("相关文章", "最新评论"):
            if chrome in texts:
                assert not texts[chrome].checkworthy
    assert 0.15 < flagged / total < 0.5, (flagged, total)


# ------------------------------------------------ what the labels of real articles taught (issue 17)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("信息来源:环球网-马斯克推迟访印数日后突然来华,印媒关注(2024.4.29)", "信息来源"),
        ("本文来自微信公众号“谈擎说AI”（ID:Mr-dushe），作者：郑开车，36氪经授权发布。", "本文来自"),
        ("文章摘自 电车汇 20211014 发自北京", "文章摘自"),
        ("（第一财经）", "credit line"),
        ("#特斯拉#特斯拉Model Y", "hashtags"),
    ],
)
def test_credit_lines_are_chrome(text, kind):
    score, types, reasons = assess(text, entities=[], dates=[], numbers=[], language="zh")
    assert score < 0.05 and types == [] and reasons == [f"page chrome: {kind}"]


def test_reported_speech_of_a_named_actor_is_a_claim_without_figures():
    text = "但马斯克认为,随着时间推移,这些限制的影响可能会逐渐减弱。"
    score, types, reasons = assess(text, entities=[ent(text, "马斯克")], dates=[], numbers=[], language="zh")
    assert score >= DEFAULT_THRESHOLD
    assert "quote" in types and "speaker: 马斯克" in reasons
    assert not any(r.startswith("speculation") for r in reasons)  # the hedge is his, not the author's


def test_pronoun_speaker_counts_and_a_name_before_a_role_noun_does_not():
    text = "他甚至指出,先进制程芯片的边际收益正在递减"
    _, _, reasons = assess(text, entities=[], dates=[], numbers=[], language="zh")
    assert "speaker: 他" in reasons
    text = "留在现场的特斯拉司机告知当地官员,他们没有看到那名摩托车手。"
    _, _, reasons = assess(text, entities=[ent(text, "特斯拉")], dates=[], numbers=[], language="zh")
    assert not any(r.startswith("speaker") for r in reasons)


def test_a_place_before_based_is_not_the_speaker_the_carmaker_is():
    text = "BYD sold 300,000 vehicles in April, the Shenzhen-based carmaker said in a stock exchange filing."
    _, _, reasons = assess(text, entities=[ent(text, "BYD"), ent(text, "Shenzhen", 2)], dates=[], numbers=[],
                           language="en")
    assert "speaker: the Shenzhen-based carmaker" in reasons
    assert "speaker: Shenzhen" not in reasons


def test_a_speaker_named_only_inside_a_quote_is_not_the_speaker():
    text = "“马斯克一再夸大其车辆的能力,”参议员表示。"
    _, _, reasons = assess(text, entities=[ent(text, "马斯克")], dates=[], numbers=[], language="zh")
    assert not any(r.startswith("speaker") for r in reasons)


@pytest.mark.parametrize(
    "text, names, cue",
    [
        ("特斯拉目前成为了唯一一个通过检测的外资车企", ["特斯拉"], "唯一"),
        ("最近德国勃兰登堡州环境办公室允许特斯拉销售这些Model Y", ["德国", "特斯拉"], "允许"),
        ("Apple handed all of the data from its Chinese iCloud users over to Guizhou-Cloud Big Data",
         ["Apple", "Guizhou-Cloud Big Data"], "handed"),
        ("这并不是特斯拉第一次因转向节问题启动召回", ["特斯拉"], "第一次"),
    ],
)
def test_specific_acts_are_claims_without_numbers(text, names, cue):
    score, _, reasons = assess(text, entities=[ent(text, n, i) for i, n in enumerate(names, 1)], dates=[],
                               numbers=[], language=None)
    assert score >= DEFAULT_THRESHOLD
    assert f"specific act: {cue}" in reasons


def test_via_is_not_passed():
    text = "通过软件不断升级为客户优化特斯拉的体验"
    _, _, reasons = assess(text, entities=[ent(text, "特斯拉")], dates=[], numbers=[], language="zh")
    assert not any(r.startswith(("specific act", "event")) for r in reasons)


@pytest.mark.parametrize(
    "text, names, reason",
    [
        ("以腾讯、华为为代表的国内知名云企业也正在积极拥抱汽车行业的数字化浪潮，来实现双赢局面。", ["腾讯", "华为"],
         "promotional: 为代表"),
        ("鉴于美国产特斯拉也存在类似事故，不排除设计存在缺陷的可能性。", ["美国", "特斯拉"], "speculation: 不排除"),
        ("One Chinese netizen said that it was clear who was pushing for Tesla’s move behind the scenes", ["Tesla"],
         "unnamed source: netizen"),
        ("特斯拉没有立即回应置评请求。", ["特斯拉"], "no comment: 没有立即回应"),
    ],
)
def test_negative_evidence_keeps_it_below_the_threshold(text, names, reason):
    score, _, reasons = assess(text, entities=[ent(text, n, i) for i, n in enumerate(names, 1)], dates=[],
                               numbers=[], language=None)
    assert score < DEFAULT_THRESHOLD
    assert reason in reasons


def test_a_products_dimensions_alone_are_a_spec():
    text = "Its total weight is about 1,466 pounds."
    score, _, _ = assess(text, entities=[], dates=[], numbers=[num(text, "1,466", 1466)], language="en")
    assert score < DEFAULT_THRESHOLD


def test_cues_are_found_in_one_pass_longest_first():
    from workbench.claims.checkworthy import cues

    found = cues("According to Reuters, the BAN only applies to Tesla; 这款车的名称被称为“绿牌”")
    assert found["attribution"][2] == "According to"
    assert found["specific"][2] == "only"
    assert "attribution" not in cues("这款车的名称被称为“绿牌”")  # 名称 and 称为 mask 称
    assert cues("This move not only made the data vulnerable").get("specific") is None
