"""A deterministic generator of synthetic news corpora with planted links.

The corpus is shaped like the real problem: Chinese and English articles in
every import format (plain text with a header or byline, Hexo Markdown with
HTML bodies, HTML pages, forum reposts, JSON and JSONL feeds), each reporting
one *event* (a sales figure, a fleet size, a visit, a price cut, an
investment) about actors of the packaged gazetteer, wrapped in filler
(opinion, background, context) so that an article holds 10-30 statements.
An event is reported by two to four articles, in either language and in
different words; sometimes one report gets a figure or a date wrong.

Every statement is generated with its annotations (entities, resolved dates,
numbers with canonical units), so the truth is known twice over:

* :attr:`Corpus.pairs` lists the planted pairs between reports of one event:
  ``same`` (same language, possibly other wording), ``cross_lingual`` (170万辆
  vs 1.7 million vehicles; 4月28日 vs April 28), ``conflict_number`` (170万 vs
  150万) and ``conflict_date`` (same visit, another day). Each side carries an
  exact fragment of its statement, so the bench can find the stored
  statement after a real import.
* :func:`link_items` turns the generated statements into linker input
  directly, to measure linking alone at sizes a full import would take
  minutes to reach.

Everything comes from one ``random.Random(seed)``: the same seed gives the
same corpus, byte for byte, and no global state is touched.
"""

from __future__ import annotations

import calendar
import html
import json
import math
import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path

from workbench.linking import LinkItem

# Event days fall between these (never the last days of December: a report
# published in January would name "12月28日" of the year before, a needless
# test of the date resolver rather than of linking).
FIRST_DAY = date(2023, 2, 1)
LAST_DAY = date(2024, 11, 30)
STATEMENTS_PER_ARTICLE = (10, 30)
REPORTS_PER_EVENT = (2, 4)
CONFLICT_SHARE = 0.3  # events where one report has a wrong figure or date
ZH_SHARE = 0.6

# Format of an article file, by language. JSONL files bundle several articles.
FORMATS = {
    "zh": ("text", "text", "markdown", "html", "json", "jsonl", "forum"),
    "en": ("text", "markdown", "html", "html", "json", "jsonl", "forum"),
}
JSONL_RECORDS = 4
MONTHS_EN = [calendar.month_name[m] for m in range(13)]

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z .'-]*")


# --------------------------------------------------------------------------
# The truth

@dataclass(frozen=True)
class Entity:
    """A gazetteer entity as the generator writes it in each language."""

    id: int  # position in the packaged gazetteer, 1-based (stable across runs)
    key: str
    type: str
    zh: str
    en: str


@dataclass
class StatementSpec:
    """One generated statement and the annotations it was written with."""

    text: str
    entities: tuple[str, ...]  # gazetteer keys
    dates: tuple[tuple[str, str], ...] = ()  # resolved ISO intervals (start, end)
    numbers: tuple[tuple[float, str | None], ...] = ()  # (value, canonical unit)
    claim: bool = False  # check-worthy by construction (a figure, a date, a fact)
    paragraph: int = 0


@dataclass
class ArticleSpec:
    """One generated article: its metadata, statements and where it is written."""

    number: int  # 0-based position in the corpus
    language: str
    format: str
    title: str
    published: datetime
    author: str
    site: str
    url: str
    event: int  # the event it reports
    statements: list[StatementSpec] = field(default_factory=list)
    path: str = ""  # file name, relative to the corpus folder (set when written)
    record: int | None = None  # 1-based record number in a JSON/JSONL file

    @property
    def clean_text(self) -> str:
        """The body as paragraphs of statements (what an importer should recover)."""
        paragraphs: dict[int, list[str]] = {}
        for s in self.statements:
            paragraphs.setdefault(s.paragraph, []).append(s.text)
        joiner = "" if self.language == "zh" else " "
        return "\n\n".join(joiner.join(p) for _, p in sorted(paragraphs.items()))


@dataclass(frozen=True)
class Side:
    """One side of a planted pair: an article, its statement, and an exact fragment of it."""

    article: int
    statement: int
    fragment: str


@dataclass(frozen=True)
class PlantedPair:
    """Two statements whose relation is known.

    ``kind`` is ``same``, ``cross_lingual``, ``conflict_number`` or
    ``conflict_date``; ``relation`` is what the linker should say (``same``
    or ``conflict``).
    """

    left: Side
    right: Side
    kind: str
    relation: str
    cross_lingual: bool


@dataclass
class Corpus:
    """Generated articles, the planted pairs between them, and (once written) their files."""

    seed: int
    entities: dict[str, Entity]
    articles: list[ArticleSpec]
    pairs: list[PlantedPair]
    root: Path | None = None
    files: list[Path] = field(default_factory=list)

    @property
    def statement_count(self) -> int:
        return sum(len(a.statements) for a in self.articles)

    def statement(self, side: Side) -> StatementSpec:
        return self.articles[side.article].statements[side.statement]


# --------------------------------------------------------------------------
# Actors

@cache
def gazetteer_entities() -> tuple[Entity, ...]:
    """Entities of the packaged gazetteer that have a Chinese and a Latin-script alias."""
    raw = json.loads(resources.files("workbench.claims").joinpath("gazetteer.json").read_text("utf-8"))
    out = []
    for number, entry in enumerate(raw, start=1):
        zh = [a for a in entry["aliases"] if _CJK.search(a)]
        en = [a for a in entry["aliases"] if _LATIN_NAME.fullmatch(a)]
        if zh and en:
            english = entry["name"] if entry["name"] in en else en[0]
            out.append(Entity(number, entry["key"], entry["type"], zh[0], english))
    return tuple(out)


def _zipf_choice(rng: random.Random, items: list, exponent: float = 1.0):
    """Pick with P(rank r) ~ 1/r**exponent: a few actors are in much of the news."""
    weights = _zipf_weights(len(items), exponent)
    return rng.choices(items, cum_weights=weights, k=1)[0]


@cache
def _zipf_weights(size: int, exponent: float) -> list[float]:
    total, out = 0.0, []
    for rank in range(1, size + 1):
        total += 1.0 / rank**exponent
        out.append(total)
    return out


# --------------------------------------------------------------------------
# Numbers and dates in each language

def _zh_amount(value: float, unit_word: str) -> str:
    """170万辆, 1.2万美元, 50亿元, 8000美元."""
    if value >= 1e8 and value % 1e7 == 0:
        return f"{_trim(value / 1e8)}亿{unit_word}"
    if value >= 1e4 and value % 1e3 == 0:
        return f"{_trim(value / 1e4)}万{unit_word}"
    return f"{int(value)}{unit_word}"


def _en_count(value: float) -> str:
    """1.7 million, 300,000."""
    if value >= 1e6 and value % 1e5 == 0:
        return f"{_trim(value / 1e6)} million"
    return f"{int(value):,}"


def _trim(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _zh_day(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _en_day(day: date) -> str:
    return f"{MONTHS_EN[day.month]} {day.day}"


def _day_interval(day: date) -> tuple[str, str]:
    return (day.isoformat(), day.isoformat())


def _month_interval(year: int, month: int) -> tuple[str, str]:
    last = calendar.monthrange(year, month)[1]
    return (date(year, month, 1).isoformat(), date(year, month, last).isoformat())


# --------------------------------------------------------------------------
# Events: what several articles report, and how each language words it

@dataclass
class Event:
    number: int
    kind: str
    actors: dict[str, Entity]  # role -> entity
    day: date  # the day it happened (for monthly figures: a day of that month)
    value: float | None  # the figure, if any
    value2: float | None = None


def _event(rng: random.Random, number: int, orgs: list[Entity], places: list[Entity],
           people: list[Entity], cn_places: list[Entity]) -> Event:
    kind = rng.choice(("sales", "fleet", "visit", "price", "investment"))
    span = (LAST_DAY - FIRST_DAY).days
    day = FIRST_DAY + timedelta(days=rng.randrange(span))
    org = _zipf_choice(rng, orgs)
    china = next(p for p in places if p.key == "china")
    if kind == "sales":
        # a monthly figure, reported early the next month: keep it off December
        day = day.replace(day=1) if day.month != 12 else day.replace(month=11, day=1)
        return Event(number, kind, {"org": org, "place": china}, day, float(rng.randint(2, 60) * 10_000))
    if kind == "fleet":
        return Event(number, kind, {"org": org, "place": _zipf_choice(rng, places, 1.3)}, day,
                     float(rng.randint(11, 95) * 100_000))
    if kind == "visit":
        return Event(number, kind, {"person": _zipf_choice(rng, people), "place": _zipf_choice(rng, places, 1.3)},
                     day, None)
    if kind == "price":
        before = rng.choice((12_000, 15_000, 20_000, 25_000, 30_000, 40_000, 45_000))
        return Event(number, kind, {"org": org, "place": china}, day, float(before),
                     float(before * rng.choice((0.6, 0.7, 0.75, 0.8))))
    return Event(number, kind, {"org": org, "place": rng.choice(cn_places)}, day, float(rng.randint(2, 90) * 10**8))


def _core(event: Event, language: str, variant: int, value: float | None, day: date) -> StatementSpec:
    """The event's checkable statement, as one report words it."""
    a = event.actors
    if event.kind == "sales":
        m = day.month
        texts_zh = (f"{a['org'].zh}{m}月新能源汽车销量约{_zh_amount(value, '辆')}。",
                    f"{a['org'].zh}公布的数据显示，公司{m}月共售出新能源车{_zh_amount(value, '辆')}。")
        texts_en = (f"{a['org'].en} sold about {_en_count(value)} vehicles in {MONTHS_EN[m]}.",
                    f"{a['org'].en} said it delivered {_en_count(value)} vehicles in {MONTHS_EN[m]}, its data showed.")
        dates = (_month_interval(day.year, m),)
        numbers = ((value, "vehicle"),)
        keys = (a["org"].key,)
    elif event.kind == "fleet":
        texts_zh = (f"截至{_zh_day(day)}，{a['org'].zh}在{a['place'].zh}累计交付了约{_zh_amount(value, '辆')}汽车。",
                    f"{a['org'].zh}表示，截至{_zh_day(day)}其在{a['place'].zh}的保有量约为{_zh_amount(value, '辆')}。")
        texts_en = (f"As of {_en_day(day)}, {a['org'].en} had delivered roughly {_en_count(value)} vehicles"
                    f" in {a['place'].en}.",
                    f"{a['org'].en} said it had about {_en_count(value)} vehicles on the roads of {a['place'].en}"
                    f" as of {_en_day(day)}.")
        dates = (_day_interval(day),)
        numbers = ((value, "vehicle"),)
        keys = (a["org"].key, a["place"].key)
    elif event.kind == "visit":
        texts_zh = (f"{_zh_day(day)}，{a['person'].zh}乘坐私人飞机抵达{a['place'].zh}，开始了一次短暂的访问。",
                    f"{a['person'].zh}于{_zh_day(day)}抵达{a['place'].zh}，此行此前并未公布。")
        texts_en = (f"{a['person'].en} arrived in {a['place'].en} on {_en_day(day)} for a short visit.",
                    f"On {_en_day(day)}, {a['person'].en} landed in {a['place'].en} on a trip that had not been"
                    " announced.")
        dates = (_day_interval(day),)
        numbers = ()
        keys = (a["person"].key, a["place"].key)
    elif event.kind == "price":
        before, after = event.value, value
        texts_zh = (f"{_zh_day(day)}，{a['org'].zh}宣布将旗舰车型的售价从{_zh_amount(before, '美元')}"
                    f"下调至{_zh_amount(after, '美元')}。",
                    f"{a['org'].zh}于{_zh_day(day)}把旗舰车型的价格由{_zh_amount(before, '美元')}"
                    f"降到{_zh_amount(after, '美元')}。")
        texts_en = (f"On {_en_day(day)}, {a['org'].en} cut the price of its flagship model from ${int(before):,}"
                    f" to ${int(after):,}.",
                    f"{a['org'].en} lowered its flagship model's price from ${int(before):,} to ${int(after):,}"
                    f" on {_en_day(day)}.")
        dates = (_day_interval(day),)
        numbers = ((before, "USD"), (after, "USD"))
        keys = (a["org"].key,)
    else:  # investment
        billions = value / 1e9
        texts_zh = (f"{_zh_day(day)}，{a['org'].zh}宣布将在{a['place'].zh}投资{_zh_amount(value, '元')}建设新工厂。",
                    f"{a['org'].zh}于{_zh_day(day)}表示，计划投入{_zh_amount(value, '元')}在{a['place'].zh}新建生产基地。")
        texts_en = (f"On {_en_day(day)}, {a['org'].en} said it would invest {_trim(billions)} billion yuan in a new"
                    f" factory in {a['place'].en}.",
                    f"{a['org'].en} plans to spend {_trim(billions)} billion yuan on a new plant in {a['place'].en},"
                    f" it said on {_en_day(day)}.")
        dates = (_day_interval(day),)
        numbers = ((value, "CNY"),)
        keys = (a["org"].key, a["place"].key)
    texts = texts_zh if language == "zh" else texts_en
    return StatementSpec(texts[variant % len(texts)], keys, dates, numbers, claim=True)


# Filler: context about the event's actors, background facts, opinion. Each
# template is (zh, en); {org}/{place}/{person} are filled in per language.
_CONTEXT = (
    ("{org}方面表示，这一结果符合公司此前的预期。", "{org} said the result was in line with its expectations."),
    ("{org}尚未就此事发表进一步评论。", "{org} did not comment further on the matter."),
    ("{org}的股价在消息公布后小幅上涨。", "Shares in {org} edged higher after the news."),
    ("{place}是{org}最重要的市场之一。", "{place} is one of the most important markets for {org}."),
    ("{org}近年来在{place}持续加大投入。", "{org} has been investing more in {place} in recent years."),
)
_BACKGROUND = (
    ("{org}成立于{year}年，总部位于{hq}。", "{org} was founded in {year} and is based in {hq}."),
    ("{org}于{year}年进入{place}市场。", "{org} entered the {place} market in {year}."),
)
_OPINION_ZH = (
    "业内人士认为", "有分析师指出", "不少网友质疑", "在笔者看来", "一位不愿具名的经销商说", "市场普遍认为",
)
_CLAUSES_ZH = (
    "新能源汽车市场的竞争正在变得越来越激烈", "价格战短期内恐怕不会结束", "消费者对智能化配置的要求越来越高",
    "供应链的稳定性仍然是最大的变数", "出海将成为车企新的增长点", "电池成本下降给整车降价留出了空间",
    "自动驾驶的商业化仍需时间", "二线城市的需求正在释放", "政策支持力度可能逐步减弱", "行业整合将进一步加速",
    "充电基础设施的建设仍然滞后", "用户口碑比广告更重要", "软件能力正在成为核心竞争力", "库存压力不容小觑",
    "数据安全问题越来越受到重视", "高端市场的格局尚未稳定",
)
_OPINION_EN = (
    "Analysts say", "Some investors worry that", "Industry insiders believe", "Critics argue that",
    "One dealer, who asked not to be named, said", "Many observers expect that",
)
_CLAUSES_EN = (
    "competition in the electric-car market is getting tougher", "the price war is unlikely to end soon",
    "buyers increasingly care about software features", "supply chains remain the biggest risk",
    "exports will become a new source of growth", "cheaper batteries leave room for further price cuts",
    "self-driving technology still needs years to pay off", "demand in smaller cities is picking up",
    "policy support may fade over time", "consolidation in the industry will speed up",
    "charging networks are still lagging behind", "word of mouth matters more than advertising",
    "software is becoming the key battleground", "inventories are piling up at dealers",
    "data security is drawing more scrutiny", "the premium segment remains wide open",
)
_QUESTIONS = (("这样的增长还能持续多久？", "How long can this growth last?"),
              ("消费者真的会为此买单吗？", "Will buyers really pay for this?"))

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
_FIRST_EN = ("Daniel", "Priya", "Martin", "Sarah", "Kenji", "Laura", "Omar", "Grace", "Peter", "Mei", "Tom", "Ana")
_LAST_EN = ("Okafor", "Natarajan", "Hale", "Lin", "Watanabe", "Fischer", "Haddad", "Chen", "Novak", "Reyes",
            "Brooks", "Moreau")
_SITES_ZH = ("车坛快讯", "智驾前沿", "新能源日报", "数智汽车观察", "掌上车讯", "汽车科技评论")
_SITES_EN = ("Pacific Auto Wire", "The Dashboard Review", "Harbor Line News", "EV Ledger", "Motor Brief")


def _roles(event: Event) -> dict[str, Entity]:
    """Who fills each placeholder: an event without a company is about its person."""
    roles = dict(event.actors)
    roles.setdefault("org", roles.get("person"))
    roles.setdefault("person", roles["org"])
    return roles


def _fill(template: str, event: Event, language: str, extra: dict[str, str]) -> tuple[str, tuple[str, ...]]:
    """The template in *language*, and the keys of the entities it names."""
    roles = _roles(event)
    keys: list[str] = []
    for role in ("org", "person", "place"):
        if "{" + role + "}" in template and roles[role].key not in keys:
            keys.append(roles[role].key)
    names = {role: getattr(entity, language) for role, entity in roles.items()}
    return template.format(**names, **extra), tuple(keys)


def _filler(rng: random.Random, event: Event, language: str, founded: dict[str, int],
            hq: dict[str, Entity]) -> StatementSpec:
    roll = rng.random()
    if roll < 0.3:
        zh, en = rng.choice(_CONTEXT)
        text, keys = _fill(zh if language == "zh" else en, event, language, {})
        return StatementSpec(text, keys)
    if roll < 0.45 and "org" in event.actors:
        zh, en = rng.choice(_BACKGROUND)
        template = zh if language == "zh" else en
        actor = event.actors["org"]
        home, year = hq[actor.key], founded[actor.key]
        text, keys = _fill(template, event, language, {"year": str(year), "hq": getattr(home, language)})
        if "{hq}" in template and home.key not in keys:
            keys += (home.key,)
        return StatementSpec(text, keys, dates=((f"{year}-01-01", f"{year}-12-31"),), claim=True)
    if roll < 0.5:
        zh, en = rng.choice(_QUESTIONS)
        return StatementSpec(zh if language == "zh" else en, ())
    # opinion: an opener and one or two clauses, no actors
    if language == "zh":
        clauses = rng.sample(_CLAUSES_ZH, rng.choice((1, 1, 2)))
        return StatementSpec(f"{rng.choice(_OPINION_ZH)}，{'，'.join(clauses)}。", ())
    clauses = rng.sample(_CLAUSES_EN, rng.choice((1, 1, 2)))
    return StatementSpec(f"{rng.choice(_OPINION_EN)} {' and '.join(clauses)}.", ())


def _title(event: Event, language: str, rng: random.Random) -> str:
    a = event.actors
    actor = a.get("org") or a.get("person")
    name = getattr(actor, language)
    if language == "zh":
        topic = {"sales": "公布月度销量", "fleet": "在华保有量再创新高", "visit": "突然到访",
                 "price": "宣布降价", "investment": "宣布新建工厂"}[event.kind]
        return f"{name}{topic}：{rng.choice(('快讯', '深度', '观察', '解读'))}"
    topic = {"sales": "reports monthly sales", "fleet": "fleet keeps growing", "visit": "makes a surprise trip",
             "price": "cuts prices", "investment": "plans a new factory"}[event.kind]
    return f"{name} {topic}"


def _author(rng: random.Random, language: str) -> str:
    if language == "zh":
        return rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.choice((1, 2))))
    return f"{rng.choice(_FIRST_EN)} {rng.choice(_LAST_EN)}"


def generate(articles: int, seed: int = 0) -> Corpus:
    """About *articles* articles (whole events only) with their planted pairs.

    Pure and deterministic: everything is drawn from ``random.Random(seed)``.
    """
    rng = random.Random(seed)
    all_entities = gazetteer_entities()
    by_key = {e.key: e for e in all_entities}
    orgs = [e for e in all_entities if e.type == "org"]
    places = [e for e in all_entities if e.type == "place"]
    people = [e for e in all_entities if e.type == "person"]
    cn_places = [by_key[k] for k in ("shanghai", "beijing", "guangzhou", "shenzhen", "hangzhou", "wuhan",
                                     "chengdu", "chongqing", "tianjin", "suzhou") if k in by_key]
    founded = {e.key: rng.randint(1950, 2018) for e in orgs + people}
    hq = {e.key: rng.choice(places) for e in orgs + people}

    specs: list[ArticleSpec] = []
    pairs: list[PlantedPair] = []
    event_no = 0
    while len(specs) < articles:
        event = _event(rng, event_no, orgs, places, people, cn_places)
        event_no += 1
        reports = min(rng.randint(*REPORTS_PER_EVENT), max(2, articles - len(specs)))
        deviant = rng.randrange(1, reports) if rng.random() < CONFLICT_SHARE else None
        conflict_kind = None
        if deviant is not None:
            dated_only = event.kind == "visit"
            conflict_kind = "conflict_date" if dated_only or (event.kind != "sales" and rng.random() < 0.4) \
                else "conflict_number"
        sides: list[tuple[int, int, str]] = []  # (article, statement, language)
        for report in range(reports):
            language = "zh" if rng.random() < ZH_SHARE else "en"
            value = event.value2 if event.kind == "price" else event.value
            day = event.day
            if report == deviant and conflict_kind == "conflict_number":
                value = _wrong_value(rng, value, event.kind)
            elif report == deviant:
                day = _wrong_day(rng, day)
            # Published one to three days after the event (a monthly figure: early next month).
            if event.kind == "sales":
                next_month = (event.day.replace(day=28) + timedelta(days=4)).replace(day=1)
                published_day = next_month + timedelta(days=rng.randint(0, 9))
            else:
                published_day = max(event.day, day) + timedelta(days=rng.randint(1, 3))
            published = datetime.combine(published_day, datetime.min.time()) + timedelta(
                minutes=rng.randint(6 * 60, 22 * 60))
            core = _core(event, language, rng.randrange(2), value, day)
            statements = _article_statements(rng, event, language, core, founded, hq)
            core_index = next(i for i, s in enumerate(statements) if s is core)
            number = len(specs)
            fmt = rng.choice(FORMATS[language])
            site = rng.choice(_SITES_ZH if language == "zh" else _SITES_EN)
            specs.append(ArticleSpec(
                number=number, language=language, format=fmt, title=_title(event, language, rng),
                published=published, author=_author(rng, language), site=site,
                url=f"https://news{rng.randrange(1, 9)}.example/{published:%Y/%m/%d}/{number}",
                event=event.number, statements=statements))
            sides.append((number, core_index, language))
        for i in range(len(sides)):
            for j in range(i + 1, len(sides)):
                (la, ls, llang), (ra, rs, rlang) = sides[i], sides[j]
                bad = deviant in (i, j)
                kind = conflict_kind if bad else ("cross_lingual" if llang != rlang else "same")
                pairs.append(PlantedPair(
                    Side(la, ls, _fragment(specs[la].statements[ls].text)),
                    Side(ra, rs, _fragment(specs[ra].statements[rs].text)),
                    kind=kind, relation="conflict" if bad else "same", cross_lingual=llang != rlang))
    return Corpus(seed=seed, entities=by_key, articles=specs, pairs=pairs)


def _wrong_value(rng: random.Random, value: float, kind: str) -> float:
    """Another plausible figure, 10-40% away (170万 -> 150万): a conflict, not a rounding."""
    step = {"sales": 10_000, "fleet": 100_000, "price": 1_000, "investment": 10**8}[kind]
    factor = rng.choice((0.7, 0.8, 0.88, 1.15, 1.25, 1.4))
    wrong = max(step, round(value * factor / step) * step)
    return float(wrong if wrong != value else value + step * 2)


def _wrong_day(rng: random.Random, day: date) -> date:
    """A nearby day of the same month (5月28日 vs 5月25日)."""
    offsets = [d for d in (-4, -3, -2, 2, 3, 4) if (day + timedelta(days=d)).month == day.month]
    return day + timedelta(days=rng.choice(offsets))


def _fragment(text: str) -> str:
    """A statement without its final punctuation: found verbatim in the stored text."""
    return text.rstrip("。.！？!?")


def _article_statements(rng: random.Random, event: Event, language: str, core: StatementSpec,
                        founded: dict[str, int], hq: dict[str, Entity]) -> list[StatementSpec]:
    """The core statement near the top, filler around it, in paragraphs of 1-4 statements."""
    total = rng.randint(*STATEMENTS_PER_ARTICLE)
    statements: list[StatementSpec] = []
    seen: set[str] = set()
    core_at = rng.randint(0, 2)
    attempts = 0
    while len(statements) < total and attempts < total * 6:
        attempts += 1
        if len(statements) == core_at:
            statements.append(core)
            seen.add(core.text)
            continue
        filler = _filler(rng, event, language, founded, hq)
        if filler.text in seen:  # a repeated sentence would make its fragment ambiguous
            continue
        seen.add(filler.text)
        statements.append(filler)
    if core not in statements:
        statements.insert(min(core_at, len(statements)), core)
    paragraph, left = 0, rng.randint(1, 4)
    for s in statements:
        if left == 0:
            paragraph, left = paragraph + 1, rng.randint(1, 4)
        s.paragraph = paragraph
        left -= 1
    return statements


# --------------------------------------------------------------------------
# Linker input straight from the truth

def link_items(corpus: Corpus) -> tuple[list[LinkItem], dict[tuple[int, int], int]]:
    """The corpus as LinkItems (as the store would hand them over), and their statement ids.

    Returns the items and a map ``(article, statement) -> statement_id``.
    Entity ids are gazetteer positions, so names are stable across runs.
    """
    items: list[LinkItem] = []
    ids: dict[tuple[int, int], int] = {}
    next_id = 1
    for article in corpus.articles:
        published = article.published.date().isoformat()
        for position, s in enumerate(article.statements):
            entities = sorted({corpus.entities[k].id: corpus.entities[k] for k in s.entities}.items())
            items.append(LinkItem(
                statement_id=next_id, article_id=article.number + 1, group_id=article.number + 1,
                text=s.text, is_claim=s.claim, language=article.language,
                entities=frozenset(e for e, _ in entities),
                dates=tuple(sorted(set(s.dates))), numbers=tuple(s.numbers), published=published,
                entity_names=tuple(entity.en for _, entity in entities)))
            ids[(article.number, position)] = next_id
            next_id += 1
    return items, ids


def with_statements(statements: int, seed: int = 0) -> Corpus:
    """A corpus of at least *statements* statements, cut after the article that reaches it.

    Generated with a margin and cut (planted pairs with a side past the cut
    are dropped), so a figure "at 100k statements" is at 100k, not near it.
    """
    corpus = generate(articles_for_statements(int(statements * 1.05) + 20), seed)
    total, keep = 0, 0
    for article in corpus.articles:
        if total >= statements:
            break
        total += len(article.statements)
        keep += 1
    corpus.articles = corpus.articles[:keep]
    corpus.pairs = [p for p in corpus.pairs if p.left.article < keep and p.right.article < keep]
    return corpus


def articles_for_statements(statements: int) -> int:
    """How many articles give about *statements* statements (20 per article on average)."""
    mean = sum(STATEMENTS_PER_ARTICLE) / 2
    return max(2, math.ceil(statements / mean))


# --------------------------------------------------------------------------
# Files

def write(corpus: Corpus, root: Path) -> list[Path]:
    """Write every article into *root* in its format; returns the files written.

    Sets each article's ``path`` (relative to *root*) and ``record``.
    """
    root.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    pending_jsonl: list[ArticleSpec] = []

    def flush_jsonl() -> None:
        if not pending_jsonl:
            return
        name = f"{pending_jsonl[0].number:06d}_feed.jsonl"
        lines = []
        for record, article in enumerate(pending_jsonl, start=1):
            article.path, article.record = name, record
            lines.append(json.dumps(_json_record(article), ensure_ascii=False))
        (root / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(root / name)
        pending_jsonl.clear()

    for article in corpus.articles:
        if article.format == "jsonl":
            pending_jsonl.append(article)
            if len(pending_jsonl) == JSONL_RECORDS:
                flush_jsonl()
            continue
        name, data = _render(article)
        article.path = name
        article.record = 1 if article.format == "json" else None
        (root / name).write_bytes(data)
        files.append(root / name)
    flush_jsonl()
    corpus.root, corpus.files = root, files
    return files


def _render(article: ArticleSpec) -> tuple[str, bytes]:
    stem = f"{article.number:06d}_{article.language}"
    paragraphs = article.clean_text.split("\n\n")
    if article.format == "text":
        if article.language == "zh":
            header = f"   发布时间:{article.published:%Y-%m-%d %H:%M:%S}    作者:{article.author}    我要评论"
        else:
            header = (f"Published: {MONTHS_EN[article.published.month]} {article.published.day}, "
                      f"{article.published.year} {article.published:%H:%M} GMT  By {article.author}")
        body = f"{article.title}\n\n{header}\n\n" + "\n\n".join(paragraphs) + "\n"
        # Some Chinese plain-text reposts come in GB18030, as they do in the wild.
        encoding = "gb18030" if article.language == "zh" and article.number % 5 == 0 else "utf-8"
        return f"{stem}.txt", body.encode(encoding)
    if article.format == "forum":
        header = (f"Anonymous ID: {article.number * 7919 % 0xFFFFFF:06x} "
                  f"{MONTHS_EN[article.published.month]} {article.published.day}, {article.published.year}, "
                  f"{article.published:%I:%M} {'a.m.' if article.published.hour < 12 else 'p.m.'} "
                  f"No.{20_000_000 + article.number}    >>{1000 + article.number % 900}")
        body = f"{header}\n\n{article.title}\n\n\u00a0\n\n" + "\n\n\u00a0\n\n".join(paragraphs) + "\n"
        return f"{stem}_forum.txt", body.encode("utf-8")
    if article.format == "markdown":
        ps = "\n".join(f"<p>{html.escape(p, quote=False)}</p> " for p in paragraphs)
        front = (f"---\ntitle: {json.dumps(article.title, ensure_ascii=False)}\ncategories: \n - 资讯\n"
                 f" - {json.dumps(article.site, ensure_ascii=False)}\nauthor: {json.dumps(article.author, ensure_ascii=False)}\n"
                 f"comments: false\ndate: {article.published:%Y-%m-%d %H:%M:%S}\n---\n\n")
        return f"{stem}.md", (front + f"<div>\n{ps}\n</div>\n").encode("utf-8")
    if article.format == "html":
        title = html.escape(article.title)
        ps = "\n".join(f"    <p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
        page = f"""<!DOCTYPE html>
<html lang="{'zh-CN' if article.language == 'zh' else 'en'}">
<head>
  <meta charset="utf-8">
  <title>{title} | {html.escape(article.site)}</title>
  <meta property="og:title" content="{title}">
  <meta property="og:site_name" content="{html.escape(article.site)}">
  <meta property="article:published_time" content="{article.published:%Y-%m-%dT%H:%M:%S}+00:00">
  <meta name="author" content="{html.escape(article.author)}">
  <link rel="canonical" href="{html.escape(article.url)}">
  <style>body {{ font-family: serif; }}</style>
  <script>window.dataLayer = window.dataLayer || [];</script>
</head>
<body>
  <nav><a href="/">Home</a> <a href="/autos">Autos</a></nav>
  <article>
    <h1>{title}</h1>
{ps}
  </article>
  <footer>&copy; {article.published.year} {html.escape(article.site)}</footer>
</body>
</html>
"""
        return f"{stem}.html", page.encode("utf-8")
    if article.format == "json":
        data = json.dumps(_json_record(article), ensure_ascii=False, indent=2) + "\n"
        return f"{stem}.json", data.encode("utf-8")
    raise ValueError(f"unknown format {article.format!r}")


def _json_record(article: ArticleSpec) -> dict:
    return {
        "id": f"gen-{article.number:06d}",
        "title": article.title,
        "published": f"{article.published:%Y-%m-%dT%H:%M:%S}Z",
        "author": article.author,
        "site": article.site,
        "url": article.url,
        "language": article.language,
        "text": article.clean_text,
    }
