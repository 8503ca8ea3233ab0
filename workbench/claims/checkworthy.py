"""Check-worthiness: how much a statement asserts something a fact-checker can verify.

A statement is worth checking when it commits to something concrete: a
quantity, a date, a named party, a quotation or attribution, a comparison, a
cause, a prediction. :func:`assess` scores those signals, says which it saw in
words a reviewer reads ("quantity: 170万辆", "names 特斯拉, 马斯克"), and marks
down what cannot be checked: questions, opinions with nothing concrete in them,
and leftovers of page chrome ("相关文章", "Tag:", a bare URL).

Signals combine like independent pieces of evidence (a noisy-or), so each one
adds less as the score rises and the score stays within 0..1. The weights were
set by reading the sentences of the five seed articles: a sentence with a
number and a name, or a name and a date, or a name and a superlative clears
:data:`DEFAULT_THRESHOLD`; a name alone, or an evaluative sentence, does not.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

DEFAULT_THRESHOLD = 0.5

TYPES = ("quantity", "date", "quote", "prediction", "comparison", "causal")

# Weight of each signal, read as "the chance this signal alone makes it checkable".
_WEIGHTS = {
    "quantity": 0.5,
    "date": 0.3,
    "entity": 0.3,
    "second entity": 0.1,
    "quote": 0.3,
    "comparison": 0.3,
    "causal": 0.2,
    "prediction": 0.15,
    "event": 0.25,
    "small number": 0.25,
}
# Multipliers for what makes a statement unfit to check.
_QUESTION = 0.3
_OPINION = 0.5
_CHROME_FACTOR = 0.05
_TOO_SHORT = 0.3


def _words(*words: str) -> str:
    """An alternation of English words or phrases on word boundaries."""
    return r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")\b"


def _cjk(*words: str) -> str:
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"


# Quotation: a quoted passage long enough to be speech, not a scare-quoted word.
_QUOTED = re.compile(r"“[^”]{6,}”|「[^」]{6,}」|\"[^\"]{12,}\"")
_ATTRIBUTION = re.compile(
    _words(
        "said", "says", "say", "told", "tells", "according to", "reported", "reports", "announced", "announces",
        "stated", "states that", "claimed", "claims", "confirmed", "confirms", "noted", "notes that", "wrote",
        "writes", "added", "denied", "admitted", "testified", "disclosed",
    )
    + "|" + _cjk(
        "表示", "指出", "透露", "介绍", "强调", "宣布", "回应", "坦言", "声称", "宣称", "称", "说道", "表态",
        "据悉", "据了解", "据报道", "报道称", "消息称", "通报显示", "数据显示", "财报显示", "公告", "证实", "承认",
        "否认", "援引", "引述", "发文", "回复",
    )
    + r"|据[^，。！？,]{1,20}(?:报道|消息|统计|显示|介绍|称)",
    re.IGNORECASE,
)
# "称" and "说" are also parts of common words that are not attributions.
_NOT_ATTRIBUTION = re.compile(r"名称|简称|称为|称号|号称|俗称|堪称|对称|称呼|称赞|相称|自称为|总称")
_PREDICTION = re.compile(
    _words(
        "will", "would", "expects", "expected", "expect", "forecast", "forecasts", "predicts", "predicted",
        "projected", "plans to", "is set to", "are set to", "aims to", "is likely to", "are likely to",
        "next year", "by 2025", "by 2030", "going to",
    )
    + "|" + _cjk(
        "预计", "预测", "预期", "有望", "可能会", "或将", "将会", "将要", "将在", "将于", "将达", "将成为",
        "将推出", "将继续", "将进一步", "将逐渐", "将迎来", "即将", "计划", "未来", "届时",
    )
    + r"|到\s*20\d\d\s*年",
    re.IGNORECASE,
)
_COMPARISON = re.compile(
    _words(
        "than", "more than", "less than", "fewer", "largest", "biggest", "highest", "lowest", "smallest",
        "first", "only", "most", "least", "top", "best-selling", "record high", "record low", "a record",
        "record-breaking", "surpassed", "overtook", "beat",
        "ahead of", "behind", "compared to", "compared with", "year-on-year", "year over year", "doubled",
        "tripled", "outsold", "leading",
    )
    + "|" + _cjk(
        "超过", "高于", "低于", "多于", "少于", "不及", "超越", "领先", "落后", "同比", "环比", "唯一", "首次",
        "首个", "首家", "首款", "首位", "居首", "排名", "位列", "位居", "榜首", "之最", "翻番", "翻倍", "相比",
        "比去年", "相较", "创新高", "创纪录", "历史新高",
    )
    + r"|第[一二三四五六七八九十\d]+大?|最(?:先进|[大高低多少早快强好差贵便宜])",
    re.IGNORECASE,
)
_CAUSAL = re.compile(
    _words(
        "because", "because of", "due to", "led to", "leads to", "lead to", "caused", "causes", "cause",
        "as a result", "resulted in", "results in", "owing to", "thanks to", "therefore", "blamed",
    )
    + "|" + _cjk("因为", "由于", "导致", "因此", "所以", "引发", "致使", "归因", "源于", "受此影响", "受益于", "因而")
    + r"|(?<![打制建改塑])造成",
    re.IGNORECASE,
)
# Verbs of things that happened and left a record: recalls, investigations, launches.
_EVENT = re.compile(
    _words(
        "recalled", "recall", "recalls", "investigation", "investigating", "launched", "launches", "approved",
        "banned", "barred", "sued", "fined", "released", "acquired", "sold", "crashed", "killed", "died",
        "established", "opened", "apologized", "apologised", "prohibited",
    )
    + "|" + _cjk(
        "召回", "调查", "发布", "推出", "批准", "禁止", "起诉", "罚款", "收购", "上市", "成立", "建成", "撞",
        "死亡", "事故", "通过", "涨价", "降价", "上调", "下调", "签署", "访华", "抵达", "辞职", "任命", "获得",
    ),
    re.IGNORECASE,
)
_OPINION_WORDS = re.compile(
    _words(
        "I think", "I believe", "we believe", "in my opinion", "should", "must", "ought to", "I feel", "hopefully",
        "it is clear", "arguably", "obviously", "cute", "unfortunately",
    )
    + "|" + _cjk(
        "我认为", "我觉得", "我们认为", "笔者认为", "相信", "必须", "应该", "应当", "希望", "期待", "显然", "无疑",
        "固然", "想必", "势必", "不得不说", "值得关注", "值得一提", "令人", "振奋人心", "毫无疑问",
    ),
    re.IGNORECASE,
)
# Page chrome left in the text by a scraper: navigation, prompts, tags, credits.
_CHROME = re.compile(
    r"^\s*(?:[•·\-–—*>]\s*)?(?:"
    r"tags?\s*[:：]|标签\s*[:：]|关键词\s*[:：]|相关文章|相关阅读|相关推荐|延伸阅读|推荐阅读|热门文章|最新评论|"
    r"我要评论|发表评论|查看评论|网友评论|评论\s*\(|分享到|转发|点赞|收藏|扫码|扫一扫|关注我们|关注公众号|"
    r"上一篇|下一篇|返回顶部|返回首页|首页\s*[>›»]|阅读原文|原文链接|原文标题|本文来源|来源\s*[:：]|"
    r"责任编辑|本文地址|转载请|如需转载|违反转载|编辑\s*[:：|｜]|作者\s*[:：|｜]|文\s*[|｜]|发布时间\s*[:：]|免责声明|版权声明|"
    r"[-－—]*\s*end\s*[-－—]*\s*$|the end\s*$|read more|related articles|share (?:this|on)|comments?\s*\(\d|"
    r"sign up|subscribe|advertisement|click here|home\s*[>›»]"
    r")",
    re.IGNORECASE,
)
_URL_ONLY = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)
_QUESTION_END = re.compile(r"[?？]\s*[”\"’')）」』]*\s*$")
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


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
        evidence.append(_WEIGHTS["quantity" if strong else "small number"])
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

    quote = _QUOTED.search(body)
    attribution = _attribution(body)
    if quote or attribution:
        types.append("quote")
        evidence.append(_WEIGHTS["quote"])
        reasons.append(f"attribution: {attribution}" if attribution else "quotation")
    for kind, pattern in (("prediction", _PREDICTION), ("comparison", _COMPARISON), ("causal", _CAUSAL)):
        match = pattern.search(body)
        if match:
            types.append(kind)
            evidence.append(_WEIGHTS[kind])
            reasons.append(f"{kind}: {_squash(match.group())}")
    event = _EVENT.search(body)
    if event and (names or date_surfaces or number_surfaces):
        # An event verb matters only when it is pinned to someone or some time.
        evidence.append(_WEIGHTS["event"])
        reasons.append(f"event: {_squash(event.group())}")

    score = _noisy_or(evidence)
    concrete = bool(number_surfaces or date_surfaces or names)

    if _QUESTION_END.search(body):
        score *= _QUESTION
        reasons.append("question")
    opinion = _OPINION_WORDS.search(body)
    if opinion and not (number_surfaces or date_surfaces or quote):
        # Evaluative wording with nothing concrete to hold it to.
        score *= _OPINION if concrete else _OPINION * _OPINION
        reasons.append(f"opinion: {_squash(opinion.group())}")
    if _too_short(body, language):
        score *= _TOO_SHORT
        reasons.append("too short")
    if not evidence and not reasons:
        reasons.append("nothing checkable")
    return round(min(max(score, 0.0), 1.0), 3), types, reasons


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


def _attribution(text: str) -> str | None:
    masked = _NOT_ATTRIBUTION.sub(lambda m: "＿" * len(m.group()), text)
    match = _ATTRIBUTION.search(masked)
    return _squash(match.group()) if match else None


def _chrome(text: str) -> str | None:
    """What kind of page chrome ``text`` is, or None."""
    if not text:
        return "empty"
    if _URL_ONLY.match(text):
        return "url"
    match = _CHROME.match(text)
    if match:
        return _squash(match.group()).strip(" •·-–—*>:：|｜(")
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
