"""Who made each claim: the claimant, with the evidence for it.

In ClaimReview the reviewed Claim has an ``author``: the person or
organisation who made it, which is what readers of a fact check want first.
"“也可能是中国自己决定要做，” 马斯克补充道" is Musk's claim, not the blog's;
"According to Reuters, citing anonymous sources, …" is Reuters'; "Tesla has
established a data center in China, the company said" is Tesla's.

:func:`find_claimants` gives every statement of an article one
:class:`Claimant`, found in this order:

1. **In the sentence.** A cue of reported speech or of a source outside any
   quotation (表示, 称, 说道, 补充道, 指出, 认为, 预测, 回复, 据…报道, 根据…的数据,
   said, told, according to, citing, reported …). When several cues stand in
   one sentence, the one next to its quotation wins ("…认为…，但弗雷解释说：“…”"
   is Frey's), else the first. Its speaker is the nearest named actor before
   the cue ("马斯克在播客中略带自嘲地说道"), or after it for "according to",
   "据", "said Musk"; a name after a preposition (与马斯克, 对《证券日报》) is
   an object, and a name followed by a role (特斯拉司机, 德国一些人士) is not
   the speaker, while a spokesperson (FTC发言人, 国资委有关负责人) speaks for
   their organisation. An actor not in the gazetteer is taken from the clause
   before the cue ("分析师章晓光对…记者表示" -> 章晓光).
2. **A pronoun or "the company".** 他/她/he/she before the cue is the person
   who spoke last in the article (or the last person named); "the company",
   该公司, 其 is what coreference (claims/coref.py) resolved it to, or else the
   article's main organisation.
3. **From the context.** A statement that is only a quotation belongs to the
   speaker announced at the end of the statement before ("两位参议员在信中表示："),
   to the speaker of the quotation it continues, or to the speaker named at
   the start of the next one ("马斯克对此解释道").
4. **The article.** Otherwise the claim is the article's own: its author, or
   its site, marked ``kind="article"``.

A name that occurs only inside a quotation is never the speaker: the quoted
words are someone else's, about that name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from workbench.model import Claimant

__all__ = ["Claimant", "find_claimants"]


# -- cues ------------------------------------------------------------------------------------------
# Speech: someone said it. Sources: a report, a document or an outlet carries it.
_ZH_SPEECH = (
    "补充道", "解释道", "解释说", "补充说", "表示", "指出", "透露", "介绍称", "介绍", "强调", "宣布", "回应", "坦言",
    "声称", "宣称", "说道", "表态", "证实", "承认", "否认", "回复", "认为", "披露", "预测", "预计", "估计", "告知",
    "告诉", "提到", "写道", "发文", "希望", "要求", "质问", "询问", "称", "说",
    # speaker nouns: 马斯克的回复…, 他的依据是…
    "的回复", "的依据是", "的说法", "的观点", "的判断", "的预测", "的最新预测", "的估计", "的回应",
)
_ZH_SOURCE = ("报道称", "报道", "消息称", "消息", "显示", "数据", "统计", "通报")
_EN_SPEECH = (
    "said", "says", "say", "told", "tells", "added", "explained", "stated", "claimed", "claims", "confirmed",
    "confirms", "announced", "announces", "denied", "admitted", "testified", "disclosed", "revealed", "noted",
    "notes", "argued", "insisted", "warned", "predicted", "predicts", "expects", "estimated", "asked",
)
_EN_SOURCE = ("according to", "citing", "reported", "reports", "wrote", "writes", "cited")
# Words that contain a cue without being one.
_ZH_NOT_CUE = (
    "名称", "简称", "称为", "称号", "号称", "俗称", "堪称", "对称", "称呼", "称赞", "相称", "总称", "说法", "小说",
    "说明", "传说", "听说", "据说", "所说", "来说", "虽说", "再说", "说白了", "就是说", "可以说", "换句话说",
    "说实话", "说的", "显示屏", "数据中心", "数据安全", "数据的", "汽车数据", "本土数据", "路况数据", "数据资产",
    "数据负债", "消息并", "希望能", "表示感谢",
)


def _cue_regex() -> re.Pattern:
    zh = sorted(set(_ZH_SPEECH + _ZH_SOURCE + _ZH_NOT_CUE), key=len, reverse=True)
    en = sorted(set(_EN_SPEECH + _EN_SOURCE), key=len, reverse=True)
    return re.compile(
        r"(?P<ju>(?:根据|据)(?!悉|了解|说|称)[^，。！？；,;:：]{1,40}?(?:的)?(?:报道|消息|统计|显示|数据|介绍|称|承认|分析|通报|调查))"
        r"|(?P<zh>" + "|".join(map(re.escape, zh)) + ")"
        r"|(?P<en>\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in en) + r")\b)"
    )


_CUES = _cue_regex()
_NOT_CUE = frozenset(_ZH_NOT_CUE)
_SOURCE_CUES = frozenset(_ZH_SOURCE + _EN_SOURCE)
# Cues that need their speaker right before them (else they are ordinary words: 数据, 希望, 要求, 说).
_TIGHT = frozenset(("数据", "统计", "希望", "要求", "说", "消息", "通报", "估计", "预计", "询问", "say", "says", "的回复",
                    "的依据是", "的说法", "的观点", "的判断", "的预测", "的最新预测", "的估计", "的回应"))
_UNATTRIBUTED = re.compile(r"据悉|据了解|据报道|有报道称|报道称|消息称|外界传闻|传闻|\bit is reported\b|\breportedly\b")

_QUOTES = re.compile(r"“[^”]*”|「[^」]*」|\"[^\"]*\"|‘[^’]{6,}’")
_OPEN_QUOTE = "“「\"‘"
# What makes a name before a cue an object, not the subject: 与马斯克辩论, 对《证券日报》记者表示, 在CyberTruck的发布会上.
_PREPOSITION_BEFORE = re.compile(r"(?:与|和|跟|同|对|向|给|把|被|在|为|替|从|on|to|with|for|at|by|of|from|about)\s*[《“\"]?\s*$",
                                 re.IGNORECASE)
# A role after a name: the speaker is that person, not the named organisation.
_ROLE_AFTER = re.compile(r"\s*(?:的)?(?:一些|部分|多名|一名|一位|几名)?(?:司机|车主|用户|员工|工程师|粉丝|股东|车迷|人士|网友|"
                         r"客户|乘客|消费者|专家|(?:drivers?|owners?|users?|employees?|engineers?|fans?|customers?)\b)")
# A spokesperson speaks for the organisation named before them.
_SPOKESPERSON = re.compile(r"\s*(?:的)?(?:有关|相关)?(?:发言人|负责人|官员|官方|方面|高管|首席执行官|CEO|董事长|总裁|"
                           r"spokesperson|spokesman|spokeswoman|representative)", re.IGNORECASE)
# Pronouns that speak: resolved to the last speaker (he/she) or the main organisation (the company).
_PERSON_PRONOUN = re.compile(r"(?:他|她|(?<![A-Za-z])(?:he|she|He|She))\s*(?:的)?\s*"
                             r"(?:甚至|还|也|则|又|曾|随后|当时|同时|进一步|再次|多次|对此|最近|一直|今天|)+\s*$")
_ORG_PRONOUN = re.compile(r"(?:该公司|该机构|该部门|该企业|公司方面|其|(?<![A-Za-z])(?:[Tt]he company|[Tt]he agency|[Tt]he carmaker|"
                          r"[Tt]he automaker|[Tt]he firm))\s*(?:甚至|还|也|则|又|曾|随后|同时|)?\s*$")
# A speaker noun after a name: 马斯克的回复, his estimate.
_SPEAKER_NOUN = re.compile(r"的?(?:最新)?(?:回复|说法|观点|判断|依据|看法|解释|预测|估计|建议|回应|声明)")
# An unnamed speaker: the clause before the cue, trimmed to its subject.
_CLAUSE_START = re.compile(r".*[，,。；;：:！？!?、]\s*", re.DOTALL)
_LEADING_WORDS = re.compile(r"^(?:但是|但|而且|而|并且|并|同时|此外|另外|不过|然而|随后|其中|其实|目前|此前|最近|今年|日前|"
                            r"针对[^，,]*|however|but|and|meanwhile)\s*", re.IGNORECASE)
_ADDRESSEE = re.compile(r"(?:对|向|跟|告诉|接受)[^，,]*$|(?:在|于)[^，,]*$|(?:曾经|曾|也|还|则|又|最近|近日|日前|甚至)+$")
_ROLE_THEN_NAME = re.compile(r"(?:分析师|负责人|发言人|主任|副主任|总裁|副总裁|董事长|创始人|部长|工程师|专家|官员|主席|"
                             r"经理|总监|教授|研究员|记者|秘书长|首席执行官|CEO)\s*([\u4e00-\u9fff·]{2,8}|[A-Z][\w.-]+(?:\s+[A-Z][\w.-]+)*)$")
_PAREN = re.compile(r"[（(][^）)]*[）)]")
_EN_NAME_BEFORE = re.compile(r"((?:[Tt]he\s+)?(?:[A-Z][\w.&'’-]*\s+){0,4}[A-Z][\w.&'’-]*)\s*(?:,[^,]{0,40},\s*)?$")
_EN_NAME_AFTER = re.compile(r"^\s*((?:[Tt]he\s+)?(?:[A-Z][\w.&'’-]*\s*){1,5})")
_UNNAMED_EN = re.compile(r"^(?:one|some|a|an|many|several)\b.*$", re.IGNORECASE)
# Between an English subject and its verb: adverbs, "also", "has", a date, or an appositive clause.
_EN_SUBJECT_GAP = re.compile(r"^\s*(?:,[^,]{0,80},\s*|(?:[a-z]+ly|also|has|had|have|once|on \w+ \d+|in \w+|last \w+|"
                             r"\w+day)\s*)*$")
_NOT_A_SUBJECT = frozenset(("这", "这也", "也", "他们", "我们", "有人", "人们", "这些", "其中", "它", "此举", "这一", "据",
                            "有", "另据", "又据"))
_GENERIC_SOURCE = ("数据", "报道", "消息", "资料", "统计", "调查", "报告", "文件", "信息", "研究", "测试", "结果", "数据还")
_DATELINE = re.compile(r"^[\d\s年月日号周一二三四五六七八九十今昨本当]+$")
_BYLINE = re.compile(r"\s*[：:，,]")
_MAX_GAP_ZH = 50
_MAX_GAP_EN = 60


@dataclass(frozen=True)
class _Cue:
    start: int  # offsets inside the statement
    end: int
    word: str
    source: bool  # a report or document rather than speech
    ju: bool  # 据X报道 / according to X: the speaker follows the cue


def find_claimants(
    text: str,
    statements: Sequence,
    *,
    author: str | None = None,
    site: str | None = None,
    speakers: Collection[int] | None = None,
    people: Collection[int] = frozenset(),
    organisations: Collection[int] = frozenset(),
) -> list[Claimant]:
    """One claimant per statement of an article.

    ``statements`` have ``start``, ``end``, ``text`` and ``entities`` (mentions
    with ``entity_id``, ``surface``, ``start``, ``end``, offsets into ``text``;
    a mention with a ``reason`` was inferred by coreference). ``speakers``, when
    given, are the entity ids that can speak (people and organisations: not
    places or products); ``people`` and ``organisations`` resolve pronouns.
    """
    main_org = _main_organisation(statements, organisations)
    found: list[Claimant | None] = []
    last_person: Claimant | None = None
    last_org: Claimant | None = None
    for index, stmt in enumerate(statements):
        claimant = _in_sentence(stmt, speakers, main_org, last_person, last_org)
        found.append(claimant)
        if claimant and claimant.entity_id in organisations:
            last_org = claimant
        if claimant and (claimant.entity_id in people or (not people and claimant.entity_id is not None)):
            last_person = claimant
        elif not claimant and people:
            named = [m for m in stmt.entities if m.entity_id in people and getattr(m, "reason", None) is None]
            if named:
                last_person = _from_mention(named[-1], "speaker", "the last person named")
    out = []
    for index, stmt in enumerate(statements):
        claimant = found[index] or _from_context(statements, found, index) or _article(author, site)
        out.append(claimant)
    return out


def _in_sentence(stmt, speakers, main_org, last_person, last_org=None) -> Claimant | None:
    body = stmt.text
    quoted = [m.span() for m in _QUOTES.finditer(body)]
    cues = [c for c in _cues(body) if not _inside(c.start, quoted)]
    if not cues:
        return None
    cue = _governing(cues, body, quoted)
    ordered = [cue] + [c for c in cues if c is not cue]
    for candidate in ordered:
        claimant = _speaker_of(stmt, body, candidate, quoted, speakers, main_org, last_person, last_org)
        if claimant:
            return claimant
    return None


def _cues(body: str) -> list[_Cue]:
    out = []
    lowered = body.lower()
    if len(lowered) != len(body):  # a few letters change length when lowered; keep offsets right
        lowered = body
    for match in _CUES.finditer(lowered):
        word = body[match.start():match.end()]
        if match.lastgroup == "zh" and word in _NOT_CUE:
            continue
        lowered = " ".join(word.lower().split())
        if match.lastgroup == "ju":
            out.append(_Cue(match.start(), match.end(), word, True, True))
        else:
            ju = lowered in ("according to", "citing", "cited")
            out.append(_Cue(match.start(), match.end(), word, lowered in _SOURCE_CUES, ju))
    return out


def _governing(cues: list[_Cue], body: str, quoted: list[tuple[int, int]]) -> _Cue:
    """The cue that introduces or closes the sentence's quotation, else the first cue."""
    for cue in cues:
        if _QUOTE_FOLLOWS.match(body, cue.end) or any(e <= cue.start and cue.start - e <= 14 for _, e in quoted):
            return cue
    return cues[0]


_QUOTE_FOLLOWS = re.compile(r"\s*(?:道|说)?\s*[：:，,]\s*[“「\"]")


def _speaker_of(stmt, body, cue: _Cue, quoted, speakers, main_org, last_person, last_org=None) -> Claimant | None:
    offset = stmt.start
    kind = "source" if cue.source else "speaker"
    mentions = [m for m in stmt.entities
                if not _inside(m.start - offset, quoted) and (speakers is None or m.entity_id in speakers
                                                           or getattr(m, "reason", None))]
    if cue.ju:
        # 据路透社报道 / according to Reuters: the name inside or right after the cue.
        window_end = cue.end + (_MAX_GAP_EN if body[cue.start:cue.end].isascii() else 0)
        inside = [m for m in mentions if cue.start <= m.start - offset < window_end and
                  (m.start - offset < cue.end or not body[cue.end:m.start - offset].strip(" ,"))]
        if inside:
            return _from_mention(inside[0], "source", f"{_squash(body[cue.start:cue.end])}")
        surface = _surface_after(body, cue)
        if surface:
            return Claimant(surface, None, surface, "source", f"named by {_squash(cue.word)}",
                            offset + body.find(surface, cue.start), offset + body.find(surface, cue.start) + len(surface))
        return None
    tight = cue.word.lower() in _TIGHT
    english = cue.word.isascii()
    gap_limit = 2 if tight else (_MAX_GAP_EN if english else _MAX_GAP_ZH)
    head = body[:cue.start]
    window = max(0, len(head) - 20)
    # A pronoun or "the company" right before the cue.
    pronoun = _PERSON_PRONOUN.search(head, window)
    org_pronoun = _ORG_PRONOUN.search(head, window)
    nearest_pronoun = max((p.start() for p in (pronoun, org_pronoun) if p), default=-1)
    before = [m for m in mentions if m.end - offset <= cue.start and cue.start - (m.end - offset) <= gap_limit]
    for m in sorted(before, key=lambda m: m.end, reverse=True):
        local_start, local_end = m.start - offset, m.end - offset
        between = body[local_end:cue.start]
        if _PREPOSITION_BEFORE.search(body[max(0, local_start - 4):local_start]):
            continue  # 与马斯克, 对《证券日报》: an object
        if _ROLE_AFTER.match(between):
            continue  # 特斯拉司机, 德国一些人士: someone else
        if any(p in between for p in "。！？；;"):
            continue
        if english and not _EN_SUBJECT_GAP.match(between):
            continue  # "Musk told", "Tesla also said", "NeochaEDGE, which …, said"
        if nearest_pronoun >= local_end:
            break  # 马斯克……，他认为: the pronoun is nearer; resolved below
        if not english and any(c in between for c in "，,"):
            subject = _clause_subject(head, cue)
            if subject and not subject.endswith("地") and subject not in m.surface:
                # "…致信FTC主席Lina Khan，两位参议员在信中表示": the clause has its own subject.
                at = body.rfind(subject, 0, cue.start)
                return Claimant(subject, None, subject, kind, f"{_squash(cue.word)} (not in the gazetteer)",
                                offset + at, offset + at + len(subject))
        if getattr(m, "reason", None):
            return _from_mention(m, kind, f"{m.reason}; {_squash(cue.word)}")
        spokes = " (a spokesperson)" if _SPOKESPERSON.match(between) else ""
        return _from_mention(m, kind, f"{_squash(cue.word)}{spokes}")
    if org_pronoun and main_org is None and last_org is not None:
        surface = org_pronoun.group().strip()
        for word in ("甚至", "还", "也", "则", "又", "曾", "随后", "同时"):
            surface = surface.removesuffix(word)
        start = offset + org_pronoun.start()
        return Claimant(last_org.name, last_org.entity_id, surface, kind,
                        f"{surface} = {last_org.name}, the organisation that spoke last; {_squash(cue.word)}",
                        start, start + len(surface))
    if org_pronoun and main_org is not None:
        surface = org_pronoun.group().strip()
        for word in ("甚至", "还", "也", "则", "又", "曾", "随后", "同时"):
            surface = surface.removesuffix(word)
        start = offset + org_pronoun.start()
        return Claimant(main_org[1], main_org[0], surface, kind,
                        f"{surface} = {main_org[1]}, the article's main organisation; {_squash(cue.word)}",
                        start, start + len(surface))
    if pronoun and last_person is not None:
        surface = re.match(r"他|她|[Hh]e|[Ss]he", pronoun.group()).group()
        start = offset + pronoun.start()
        return Claimant(last_person.name, last_person.entity_id, surface, kind,
                        f"{surface} = {last_person.name}, who spoke last; {_squash(cue.word)}", start, start + len(surface))
    byline = cue.word in ("消息", "讯") and _BYLINE.match(body, cue.end) and len(head.strip()) <= 10
    if speakers is not None or not tight or byline:
        # Someone the gazetteer does not know: the subject of the clause before the cue.
        surface = _clause_subject(head, cue) if not tight or byline else None
        if surface:
            at = body.rfind(surface, 0, cue.start)
            return Claimant(surface, None, surface, kind, f"{_squash(cue.word)} (not in the gazetteer)",
                            offset + at, offset + at + len(surface))
    # "…, said Musk" / "…, Tesla said": a name right after an English speech cue.
    if cue.word.isascii():
        after = [m for m in mentions if 0 <= m.start - offset - cue.end <= 3]
        if after:
            return _from_mention(after[0], kind, f"{_squash(cue.word)}")
    return None


def _clause_subject(head: str, cue: _Cue) -> str | None:
    clause = _CLAUSE_START.sub("", head) if not cue.word.isascii() else head
    if cue.word.isascii():
        match = _EN_NAME_BEFORE.search(head.rstrip())
        if not match:
            return None
        name = match.group(1).strip()
        if _UNNAMED_EN.match(name) or len(name) < 2 or name.lower() in ("it", "they", "we", "i", "the"):
            return None
        return name
    clause = _LEADING_WORDS.sub("", clause.strip())
    clause = _ADDRESSEE.sub("", clause).strip()
    clause = _PAREN.sub("", clause).strip()
    if "的" in clause:
        clause = clause.rsplit("的", 1)[1]
    if _DATELINE.match(clause):
        return None  # "3 月 28 日消息": a dateline, not a source
    role = _ROLE_THEN_NAME.search(clause)
    if role:
        return role.group(1)
    if not clause or len(clause) > 16 or any(q in clause for q in _OPEN_QUOTE + "”"):
        return None
    if clause in _NOT_A_SUBJECT or clause.endswith(_GENERIC_SOURCE):
        return None  # 据报道, 数据还显示: an unattributed report, not a source with a name
    return clause


def _surface_after(body: str, cue: _Cue) -> str | None:
    """The source named in 据X报道 (without a gazetteer entry), or after "according to"."""
    if cue.word.isascii():
        match = _EN_NAME_AFTER.match(body[cue.end:])
        return match.group(1).strip().rstrip(".,;:") if match else None
    inner = re.sub(r"^(?:根据|据)", "", cue.word)
    inner = re.sub(r"的?(?:报道|消息|统计|显示|数据|介绍|称|承认|分析|通报|调查)$", "", inner)
    inner = _PAREN.sub("", inner).strip()
    if not inner or inner in ("悉", "了解", "报道") or len(inner) > 16:
        return None
    return inner


def _from_context(statements, found, index) -> Claimant | None:
    """A statement that is only a quotation: the speaker announced before, continued, or named after."""
    body = statements[index].text.strip()
    if not body or body[0] not in _OPEN_QUOTE:
        return None
    if index > 0:
        prev = statements[index - 1].text.rstrip()
        previous = found[index - 1]
        if previous and previous.kind != "article" and (prev.endswith(("：", ":")) or prev.endswith(("”", "\"", "."))
                                                        and any(q in prev for q in _OPEN_QUOTE)):
            how = "announced at the end of the previous sentence" if prev.endswith(("：", ":")) else \
                "continues the previous sentence's quotation"
            return Claimant(previous.name, previous.entity_id, previous.surface, previous.kind,
                            f"quotation {how}: {previous.reason}", previous.start, previous.end)
    if index + 1 < len(statements):
        following = found[index + 1]
        nxt = statements[index + 1]
        if following and following.kind == "speaker" and following.start is not None and \
                following.start - nxt.start <= 2:
            return Claimant(following.name, following.entity_id, following.surface, following.kind,
                            f"quotation attributed in the next sentence: {following.reason}",
                            following.start, following.end)
    return None


def _article(author: str | None, site: str | None) -> Claimant:
    if author and author.strip():
        return Claimant(author.strip(), None, author.strip(), "article", "no speaker named: the article's author")
    if site and site.strip():
        return Claimant(site.strip(), None, site.strip(), "article", "no speaker named: the article's site")
    return Claimant("unknown", None, "", "article", "no speaker named, and the article has no author or site")


def _main_organisation(statements, organisations) -> tuple[int, str] | None:
    """The organisation the article names most (at least twice, twice as often as the next), or None."""
    counts: Counter = Counter()
    first: dict[int, str] = {}
    for stmt in statements:
        for m in stmt.entities:
            if getattr(m, "reason", None) is None and (m.entity_id in organisations):
                counts[m.entity_id] += 1
                first.setdefault(m.entity_id, m.surface)
    if not counts:
        return None
    (top, n), *rest = counts.most_common(2) + [(None, 0)]
    return (top, first[top]) if n >= 2 and n >= 2 * rest[0][1] else None


def _from_mention(mention, kind: str, reason: str) -> Claimant:
    return Claimant(mention.surface, mention.entity_id, mention.surface, kind, reason, mention.start, mention.end)


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _squash(text: str) -> str:
    return " ".join(text.split())
