"""Check-worthiness: how much a statement asserts something a fact-checker can verify.

A statement is worth checking when it commits to something concrete: a
quantity, a date, a named party, a quotation or attribution, a comparison, a
cause, a prediction, or a specific act with a record (passed, banned, handed
over, the only one, the first). :func:`assess` scores those signals, says which
it saw in words a reviewer reads ("quantity: 170万辆", "names 特斯拉, 马斯克",
"speaker: 马斯克 表示"), and marks down what cannot be checked: questions,
opinions and hedges with nothing concrete in them, promotional language,
unnamed netizens and pseudonymous sources, and leftovers of page chrome
("相关文章", "Tag:", "信息来源:…", a bare URL).

Signals combine like independent pieces of evidence (a noisy-or), so each one
adds less as the score rises and the score stays within 0..1. The weights were
first set by reading the seeds, then checked against our own labels of 442
statements of real articles (``tests/data/checkworthy.json``, measured by
``tests/test_checkworthy_corpus.py``): what the labels taught is that reported
speech by a named actor is a claim, that a specific act needs no number to be
one, and that promotion, speculation and anonymous opinion are not.

Cue words are matched in one pass: every cue, lower-cased once at import, sits
in one alternation (longest first) and each match is looked up in a table
saying which kinds of evidence it is. Words that only look like cues ("名称",
"称为", "not only", "相比之下") are entries of that same table that mean
nothing, so the longer word wins and masks the cue inside it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from workbench.claims import DEFAULT_THRESHOLD  # re-exported: the analyser's and the setting's default

TYPES = ("quantity", "date", "quote", "prediction", "comparison", "causal")

# Weight of each signal, read as "the chance this signal alone makes it checkable".
_WEIGHTS = {
    "quantity": 0.5,
    "measurement": 0.4,  # a product's dimensions ("115 inches long", "1,466 pounds"): a spec, not a claim, alone
    "date": 0.3,
    "entity": 0.3,
    "second entity": 0.1,
    "quote": 0.3,
    "speaker": 0.2,  # on top of "quote": the attribution names who said it
    "comparison": 0.3,
    "specific": 0.3,  # the only, the first, banned, passed, handed over: a fact without a number
    "causal": 0.2,
    "prediction": 0.15,
    "event": 0.25,
    "small number": 0.25,
}
# Multipliers for what makes a statement unfit to check.
_QUESTION = 0.3
_OPINION = 0.5
_HEDGE = 0.6
_PROMOTION = 0.6
_ANONYMOUS = 0.5
_BOILERPLATE = 0.5
_CHROME_FACTOR = 0.05
_TOO_SHORT = 0.3

# -- cue table: kind -> words (lower case). English words match on word boundaries. ----------------
_EN = {
    "attribution": (
        "said", "says", "say", "told", "tells", "according to", "reported", "reports", "announced", "announces",
        "stated", "states that", "claimed", "claims", "confirmed", "confirms", "noted", "notes that", "wrote",
        "writes", "added", "denied", "admitted", "testified", "disclosed", "citing", "cited", "revealed",
    ),
    "prediction": (
        "will", "would", "expects", "expected", "expect", "forecast", "forecasts", "predicts", "predicted",
        "projected", "plans to", "is set to", "are set to", "aims to", "is likely to", "are likely to",
        "next year", "by 2025", "by 2030", "going to",
    ),
    "comparison": (
        "than", "more than", "less than", "fewer", "largest", "biggest", "highest", "lowest", "smallest",
        "most", "least", "top", "best-selling", "top-selling", "record high", "record low", "a record",
        "record-breaking", "surpassed", "overtook", "beat", "ahead of", "behind", "compared to", "compared with",
        "year-on-year", "year over year", "doubled", "tripled", "outsold", "leading", "edged out",
    ),
    "specific": (
        "only", "first", "banned", "bans", "barred", "prohibited", "passed", "handed", "handed over",
        "hand over", "lifted", "approved", "approves", "blocked", "blocking", "not allowed", "refused",
        "rejected", "established", "establishes", "shut down", "apologized", "apologised",
    ),
    "causal": (
        "because", "because of", "due to", "led to", "leads to", "lead to", "caused", "causes", "cause",
        "as a result", "resulted in", "results in", "owing to", "thanks to", "therefore", "blamed",
    ),
    "event": (
        "recalled", "recall", "recalls", "investigation", "investigating", "launched", "launches", "launch",
        "sued", "fined", "released", "acquired", "sold", "sells", "crashed", "killed", "died", "opened",
        "stored", "built", "hung up", "dropped", "abandoned",
    ),
    "opinion": (
        "i think", "i believe", "we believe", "in my opinion", "should", "must", "ought to", "i feel",
        "hopefully", "it is clear", "arguably", "obviously", "cute", "unfortunately", "vulnerable",
    ),
    "hedge": ("may", "might", "could", "suggest", "suggests", "presumably", "perhaps", "possibly"),
    "anonymous": ("netizen", "netizens", "one user", "an anonymous user"),
    "boilerplate": ("did not respond", "did not immediately respond", "declined to comment",
                    "could not be reached"),
    # look like cues, mean nothing here
    "none": ("not only", "first time", "at first", "the only way", "compared to other"),
}
_ZH = {
    "attribution": (
        "表示", "指出", "透露", "介绍", "强调", "宣布", "回应", "坦言", "声称", "宣称", "称", "说道", "表态",
        "据悉", "据了解", "据报道", "报道称", "消息称", "通报显示", "数据显示", "财报显示", "公告", "证实",
        "承认", "否认", "援引", "引述", "发文", "回复", "补充道", "解释道", "解释说", "说", "认为", "披露",
        "报道", "测试显示", "调查显示", "研究显示", "报告显示", "统计显示", "文件显示", "信中表示", "一封信显示",
        "显示", "告知", "估计", "辩论", "质问", "承诺",
    ),
    "prediction": (
        "预计", "预测", "预期", "有望", "可能会", "或将", "将会", "将要", "将在", "将于", "将达", "将成为",
        "将推出", "将继续", "将进一步", "将逐渐", "将迎来", "即将", "计划", "未来", "届时",
    ),
    "comparison": (
        "超过", "高于", "低于", "多于", "少于", "不及", "超越", "领先", "落后", "同比", "环比", "居首",
        "排名", "位列", "位居", "榜首", "之最", "翻番", "翻倍", "相比", "比去年", "相较", "创新高", "创纪录",
        "历史新高", "名列前茅", "最大", "最高", "最低", "最多", "最少", "最早", "最快", "最强", "最便宜",
        "最贵", "最先进",
    ),
    "specific": (
        "唯一", "首次", "第一次", "第一个", "第一家", "首个", "首家", "首款", "首位", "首批", "禁止", "禁入", "禁令", "解除", "移交", "交给",
        "批准", "允许", "不允许", "拒绝", "通过检测", "通过审查", "通过测试", "通过认证", "通过验收",
        "获得通过", "正式通过", "审议通过", "放弃", "停用", "存放", "带回", "辞职", "下台", "当选",
    ),
    "causal": ("因为", "由于", "导致", "因此", "所以", "引发", "致使", "归因", "源于", "受此影响", "受益于", "因而",
               "造成"),
    "event": (
        "召回", "调查", "发布", "推出", "起诉", "罚款", "收购", "上市", "成立", "建成", "撞", "死亡", "事故",
        "涨价", "降价", "上调", "下调", "提价", "签署", "访华", "抵达", "任命", "获得", "卖出", "出售", "交付",
        "被升级为", "致信", "发出", "投产", "申请",
    ),
    "opinion": (
        "我认为", "我觉得", "我们认为", "笔者认为", "相信", "必须", "应该", "应当", "希望", "期待", "显然",
        "无疑", "固然", "想必", "势必", "不得不说", "令人", "振奋人心", "毫无疑问", "有趣的是", "盲目",
        "表明", "困境", "不言而喻", "众所周知",
    ),
    "hedge": ("可能", "不排除", "有待观察", "仍有待", "或许", "也许", "似乎", "恐怕", "大概"),
    "promotion": (
        "赋能", "双赢", "共赢", "助力", "积极拥抱", "帮手", "为代表", "为例", "浪潮", "蓝海", "引领",
        "领跑", "高光", "颠覆", "深刻变革", "拥抱", "生态", "标配", "弹药",
    ),
    "anonymous": ("网友", "化名", "不愿具名", "不愿透露姓名", "知情人士称"),
    "boilerplate": ("没有立即回应", "未立即回应", "拒绝置评", "拒绝进一步置评", "未予置评", "尚未回应"),
    # look like cues, mean nothing here ("称" in 名称, "造成" in 打造成, 相比 as a discourse marker)
    "none": (
        "名称", "简称", "称为", "称号", "号称", "俗称", "堪称", "对称", "称呼", "称赞", "相称", "自称为", "总称",
        "打造成", "制造成", "建造成", "改造成", "塑造成", "相比之下", "说法", "小说", "说明", "传说", "听说",
        "据说", "所说", "来说", "虽说", "再说", "说白了", "值得一提", "值得注意", "值得关注", "显示屏", "未来已来",
        "就是说", "比如说", "可以说", "换句话说", "说实话", "说的", "可能的",
    ),
}
# Patterns that are not a fixed word: 据…报道, 第N, 到2030年, dated predictions.
_PATTERNS = {
    "attribution": r"据[^，。！？,]{1,20}?(?:报道|消息|统计|显示|介绍|称)",
    "comparison": r"第[一二三四五六七八九十\d]+(?:大|起|家|位|名)",
    "prediction": r"到\s*20\d\d\s*年",
}
_SPEAKER_KINDS = ("attribution",)


def _build_cues():
    table: dict[str, tuple[str, ...]] = {}
    for source in (_EN, _ZH):
        for kind, words in source.items():
            for word in words:
                word = word.lower()
                kinds = table.get(word, ())
                if kind == "none":
                    table[word] = ()
                elif kinds != () or word not in table:
                    table[word] = kinds + (kind,)
    english = sorted((w for w in table if w.isascii()), key=len, reverse=True)
    chinese = sorted((w for w in table if not w.isascii()), key=len, reverse=True)
    pattern = "|".join(
        [f"(?P<p_{k}>{p})" for k, p in _PATTERNS.items()]
        + [r"(?P<zh>" + "|".join(map(re.escape, chinese)) + ")"]
        + [r"(?P<en>\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in english) + r")\b)"]
    )
    return table, re.compile(pattern)


_CUE_KINDS, _CUES = _build_cues()

# Quotation: a quoted passage long enough to be speech, not a scare-quoted word.
_QUOTED = re.compile(r"“[^”]{6,}”|「[^」]{6,}」|\"[^\"]{12,}\"")
# Page chrome left in the text by a scraper: navigation, prompts, tags, credit lines (matched on lower case).
_CHROME = re.compile(
    r"^\s*(?:[•·\-–—*>]\s*)?(?:"
    r"tags?\s*[:：]|标签\s*[:：]|关键词\s*[:：]|相关文章|相关阅读|相关推荐|延伸阅读|推荐阅读|热门文章|最新评论|"
    r"我要评论|发表评论|查看评论|网友评论|评论\s*\(|分享到|转发|点赞|收藏|扫码|扫一扫|关注我们|关注公众号|"
    r"上一篇|下一篇|返回顶部|返回首页|首页\s*[>›»]|阅读原文|原文链接|原文标题|本文来源|来源\s*[:：]|"
    r"信息来源|消息来源|图片来源|资料来源|数据来源\s*[:：]|本文来自|文章摘自|本文摘自|文章来源|转自|原标题|"
    r"部分参考资料|参考资料\s*[:：]|【\d+】|\[\d+\]|"
    r"责任编辑|本文地址|转载请|如需转载|违反转载|＊?版权声明|编辑\s*[:：|｜]|作者\s*[:：|｜]|文\s*[|｜]|"
    r"发布时间\s*[:：]|免责声明|#[^#\s]{1,20}#|"
    r"[-－—]*\s*end\s*[-－—]*\s*$|the end\s*$|read more|related articles|share (?:this|on)|comments?\s*\(\d|"
    r"sign up|subscribe|advertisement|click here|home\s*[>›»]"
    r")"
)
# A line that is only an outlet's name in brackets: "（第一财经）".
_OUTLET_ONLY = re.compile(r"^\s*[（(【\[][^（）()【】\[\]]{1,20}[）)】\]]\s*$")
_URL_ONLY = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")
_QUESTION_END = re.compile(r"[?？]\s*[”\"’')）」』]*\s*$")
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def cues(text: str) -> dict[str, tuple[int, int, str]]:
    """The first cue of each kind in ``text``: kind -> (start, end, surface), in one pass over it."""
    lowered = text.lower()
    found: dict[str, tuple[int, int, str]] = {}
    for match in _CUES.finditer(lowered):
        group = match.lastgroup
        kinds = (group[2:],) if group.startswith("p_") else _CUE_KINDS.get(" ".join(match.group().split()), ())
        for kind in kinds:
            if kind not in found:
                found[kind] = (match.start(), match.end(), text[match.start():match.end()])
    return found


def assess(
    text: str,
    *,
    entities: Sequence,
    dates: Sequence,
    numbers: Sequence,
    language: str | None,
) -> tuple[float, list[str], list[str]]:
    """Score how check-worthy ``text`` is: ``(score 0..1, types, reasons)``.

    ``entities``, ``dates`` and ``numbers`` are the mentions found in this
    statement (anything with a ``surface``). ``types`` are drawn from
    :data:`TYPES`; ``reasons`` are short phrases for a reviewer, in the order
    the signals were weighed, including what lowered the score.
    """
    body = text.strip()
    types: list[str] = []
    reasons: list[str] = []
    evidence: list[float] = []

    chrome = _chrome(body)
    if chrome:
        return round(_CHROME_FACTOR * _noisy_or([_WEIGHTS["entity"]] if entities else []), 3), [], [f"page chrome: {chrome}"]

    # A number inside a name ("4680电池", "Model 3") is part of the name, not a figure.
    inside_name = _containment([(getattr(e, "start", -1), getattr(e, "end", -1)) for e in entities])
    quantities = [n for n in numbers if _is_quantity(n) and not inside_name(n)]
    number_surfaces = _surfaces(quantities)
    if number_surfaces:
        types.append("quantity")
        # A bare count below ten ("5家", a list marker "1") says less than a figure with a unit.
        strong = any(_is_figure(n) for n in quantities)
        measured = all(_MEASUREMENT.match(body, _local_end(body, n)) for n in quantities)
        evidence.append(_WEIGHTS["small number" if not strong else "measurement" if measured else "quantity"])
        reasons.append("quantity: " + ", ".join(number_surfaces[:3]))
    date_surfaces = _surfaces(dates)
    if date_surfaces:
        types.append("date")
        evidence.append(_WEIGHTS["date"])
        reasons.append("date: " + ", ".join(date_surfaces[:3]))
    names = _surfaces(entities)
    if names:
        evidence.append(_WEIGHTS["entity"])
        if len(names) > 1:
            evidence.append(_WEIGHTS["second entity"])
        reasons.append("names " + ", ".join(names[:4]))

    found = cues(body)
    quote = _QUOTED.search(body)
    attribution = found.get("attribution")
    anonymous = found.get("anonymous")
    speaker = None
    if not anonymous:
        if attribution:
            speaker = _named_speaker(body, names, attribution)
        elif "prediction" in found and found["prediction"][2].lower() in _FORECAST_VERBS:
            # "百度预计…": a named forecaster speaks as much as one who "表示".
            speaker = _named_speaker(body, names, found["prediction"], near=3)
    if quote or attribution:
        types.append("quote")
        evidence.append(_WEIGHTS["quote"])
        reasons.append(f"attribution: {_squash(attribution[2])}" if attribution else "quotation")
    if speaker:
        # Reported speech of a named actor is a claim someone can be held to, whatever its content.
        evidence.append(_WEIGHTS["speaker"])
        reasons.append(f"speaker: {speaker}")
    for kind in ("prediction", "comparison", "causal"):
        if kind in found:
            types.append(kind)
            evidence.append(_WEIGHTS[kind])
            reasons.append(f"{kind}: {_squash(found[kind][2])}")
    specific = found.get("specific")
    if specific and (names or date_surfaces or number_surfaces):
        # Only, first, banned, passed, handed over: a checkable fact even without a figure.
        evidence.append(_WEIGHTS["specific"])
        reasons.append(f"specific act: {_squash(specific[2])}")
    event = found.get("event")
    if event and (names or date_surfaces or number_surfaces):
        # An event verb matters only when it is pinned to someone or some time.
        evidence.append(_WEIGHTS["event"])
        reasons.append(f"event: {_squash(event[2])}")

    score = _noisy_or(evidence)
    concrete = bool(number_surfaces or date_surfaces or names)
    figures = bool(number_surfaces or date_surfaces)

    if _QUESTION_END.search(body) and not (speaker and _reported_question(body)):
        score *= _QUESTION
        reasons.append("question")
    opinion = found.get("opinion")
    if opinion and not (figures or quote or speaker):
        # Evaluative wording with nothing concrete to hold it to.
        score *= _OPINION if concrete else _OPINION * _OPINION
        reasons.append(f"opinion: {_squash(opinion[2])}")
    hedge = found.get("hedge")
    if hedge and not (figures or attribution or quote):
        # "May", "不排除…可能": the author's speculation, unless it is someone's reported word.
        score *= _HEDGE
        reasons.append(f"speculation: {_squash(hedge[2])}")
    promotion = found.get("promotion")
    if promotion and not (figures or speaker):
        score *= _PROMOTION
        reasons.append(f"promotional: {_squash(promotion[2])}")
    if anonymous:
        score *= _ANONYMOUS
        reasons.append(f"unnamed source: {_squash(anonymous[2])}")
    boilerplate = found.get("boilerplate")
    if boilerplate and not (attribution and attribution[0] < boilerplate[0]):
        # "没有立即回应置评请求": a non-answer, unless someone said something first.
        score *= _BOILERPLATE
        reasons.append(f"no comment: {_squash(boilerplate[2])}")
    if _too_short(body, language):
        score *= _TOO_SHORT
        reasons.append("too short")
    if not evidence and not reasons:
        reasons.append("nothing checkable")
    return round(min(max(score, 0.0), 1.0), 3), types, reasons


# Units of a product's size and weight: a figure in them is a specification.
_MEASUREMENT = re.compile(r"\s*(?:inch|inches|in\b|feet|foot|ft\b|pounds?|lbs?\b|kg\b|kilograms?|mm\b|cm\b|millimet|centimet|"
                          r"英寸|毫米|厘米|公斤|千克|磅)")


def _local_end(body: str, number) -> int:
    """Where a number mention ends inside ``body`` (mentions carry article offsets)."""
    surface = getattr(number, "surface", "")
    at = body.find(surface) if surface else -1
    return at + len(surface) if at >= 0 else len(body)


_FORECAST_VERBS = frozenset(("预计", "预测", "预期", "估计", "expects", "expected", "predicts", "predicted", "forecast",
                             "forecasts"))
# A name followed by one of these is not the speaker: "特斯拉司机告知" is a driver, not Tesla.
# So is a place before "-based": "the Shenzhen-based carmaker said" is the carmaker speaking.
_NOT_THE_NAME = re.compile(r"\s*(?:司机|车主|用户|员工|工程师|粉丝|股东|车迷|driver|owner|user|employee|engineer|fan)s?"
                           r"|-(?:based|headquartered)\b", re.ASCII)
_PRONOUN_SPEAKER = re.compile(r"(?P<who>他|她|其|该公司|该机构|该部门|公司方面|(?<![a-z])(?:he|she|it|the (?:[\w-]+-based )?"
                              r"(?:company|agency|carmaker|automaker|firm|regulator)))"
                              r"\s*(?:甚至|还|也|则|又|曾|随后|当时|同时|进一步|再次|)\s*$")


def _named_speaker(body: str, names: list[str], attribution: tuple[int, int, str], near: int = 25) -> str | None:
    """The name that speaks through ``attribution``: just before it ("马斯克表示", "Musk told"),
    or right after "according to"/"据" ("据路透社报道"), never inside a quotation. A pronoun
    right before the cue ("他指出", "the company said") is a speaker too, named by the context."""
    start, end, cue = attribution
    pronoun = _PRONOUN_SPEAKER.search(body.lower(), max(0, start - 40), start)
    if pronoun:
        return body[pronoun.start("who"):pronoun.end("who")]
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(body)]
    best = None
    for name in names:
        pos = body.find(name)
        while pos >= 0:
            inside = any(s <= pos < e for s, e in quoted)
            if not inside:
                before = 0 <= start - (pos + len(name)) <= near and not _QUOTE_OPEN.search(body, pos, start) \
                    and not _NOT_THE_NAME.match(body, pos + len(name))
                after = cue.lower().startswith(("据", "according", "citing")) and 0 <= pos - end <= 25 or \
                    cue.startswith("据") and start < pos < end
                if before or after:
                    best = name
                    break
            pos = body.find(name, pos + 1)
        if best:
            break
    if best is None and cue.lower().rstrip() in ("said", "says", "told", "wrote", "added", "according to"):
        # "…, the company said" / "…, Tesla said in a video": a name right after the cue or before it at the end.
        tail = body[start - 40 if start > 40 else 0:]
        for name in names:
            at = tail.find(name)
            if at >= 0 and not _NOT_THE_NAME.match(tail, at + len(name)):
                return name
    return best


_QUOTE_OPEN = re.compile(r"[“「\"]")


def _reported_question(body: str) -> bool:
    """A question someone is reported asking ("NHTSA质问特斯拉：…为什么…？")."""
    colon = max(body.find("："), body.find(":"))
    return colon > 0


def _noisy_or(weights: list[float]) -> float:
    miss = 1.0
    for weight in weights:
        miss *= 1.0 - weight
    return 1.0 - miss


def _surfaces(mentions: Sequence) -> list[str]:
    """Distinct surfaces in order of appearance."""
    seen: list[str] = []
    for mention in mentions:
        surface = getattr(mention, "surface", None) or str(mention)
        if surface not in seen:
            seen.append(surface)
    return seen


def _is_quantity(number) -> bool:
    """Whether a number mention states a quantity worth checking.

    Small numbers spelled in Chinese words without a unit ("二次", "两条消息",
    "三个领域") are counting words of ordinary prose, not figures.
    """
    surface = getattr(number, "surface", str(number))
    if getattr(number, "unit", None) or any(c.isdigit() and c.isascii() or "０" <= c <= "９" for c in surface):
        return True
    value = getattr(number, "value", None)
    return value is not None and value >= 100


def _is_figure(number) -> bool:
    """A number with a unit, a fraction, or a value of ten or more."""
    value = getattr(number, "value", None)
    surface = getattr(number, "surface", "")
    if value is not None and value < 10 and surface[:1].isalpha():
        return False  # "four people", "two cars": a count spelled as a word, not a figure
    return bool(getattr(number, "unit", None)) or value is None or value >= 10 or value != int(value) \
        or "." in surface


def _containment(spans: list[tuple[int, int]]):
    """A test "does some span contain this mention?", in log time per mention.

    A one-line megabyte statement holds thousands of numbers and names; testing
    every pair made scoring quadratic (minutes). Sorted starts with a running
    maximum of ends answer the same question by bisection.
    """
    spans = sorted(spans)
    starts = [s for s, _ in spans]
    reach: list[int] = []
    for _, e in spans:
        reach.append(max(e, reach[-1]) if reach else e)

    def inside(mention) -> bool:
        start, end = getattr(mention, "start", None), getattr(mention, "end", None)
        if start is None:
            return False
        i = bisect_right(starts, start) - 1
        return i >= 0 and reach[i] >= end

    return inside


def _chrome(text: str) -> str | None:
    """What kind of page chrome ``text`` is, or None."""
    if not text:
        return "empty"
    lowered = text.lower()
    if _URL_ONLY.match(lowered):
        return "url"
    match = _CHROME.match(lowered)
    if match:
        if match.group().lstrip(" •·-–—*>").startswith("#"):
            return "hashtags"
        return _squash(text[match.start():match.end()]).strip(" •·-–—*>:：|｜(")
    if _OUTLET_ONLY.match(text):
        return "credit line"
    if not _CJK_CHAR.search(text) and not _LATIN_WORD.search(text):
        return "no words"
    return None


def _too_short(text: str, language: str | None) -> bool:
    cjk = len(_CJK_CHAR.findall(text))
    words = len(_LATIN_WORD.findall(text))
    if language == "en" or (language is None and cjk == 0):
        return words < 4 and cjk == 0
    return cjk + words < 6


def _squash(text: str) -> str:
    return " ".join(text.split())
