"""Find quantities in text and normalise them to a value and a unit.

    find_numbers(text, offset=0) -> list[NumberMention]
    parse_chinese_number(s, strict=False) -> float | None

Arabic and Chinese numerals are read alike, so that a Chinese and an English
report of the same figure agree: ``170万辆``, ``1.7 million vehicles`` and
``1,700,000 cars`` all become ``1700000.0`` with unit ``"vehicle"``.

Units come from a small canonical vocabulary (``UNITS``): "%", "‰", "pp"
(percentage points), "USD", "CNY", "EUR", "GBP", "HKD", "JPY", "vehicle",
"person", "km", "mile", "m", "kWh", "kW", "t", "x" (times), "°C". A count
with a classifier that is not in the vocabulary (三个城市) keeps unit None.

What is *not* a quantity, and so never reported:

* a lone "one" and "zero" in words ("no one", "one of them"): English number
  words count from two ("four requirements", "twenty-five cars", "two million
  vehicles") and as fractions ("two-thirds" = 0.667, as 三分之二);
* dates and times, which the dates module owns: 2024年, 4月26日, 28日,
  2024.4.29, 05/29/1987, May 25, 2021, a bare year such as 2021, 10:30,
  6 p.m.;
* ordinals and list numbers: 第2天, 1st, "1." at the start of a line;
* digit runs of 11 or more digits (phone numbers, IDs) and numbers inside
  URLs or e-mail addresses;
* numbers glued to Latin letters, which are names (ES8, L2, 5G, x10), and
  small numbers after a model or part word (Model 3, Chapter 2, Level 4);
* approximate magnitudes without a value (数十亿, 几十) and section or
  version numbers (5.1.5), footnote marks ([12]), enumerators (1、);
* Chinese numeral characters used as words (一直, 统一, 万一, 两岸, 十分):
  a Chinese numeral counts only with a unit or classifier after it, or when
  it is a well-formed multi-character number such as 三万五.

A duration keeps its number but not its calendar word: 5年 and 2.5亿年 are
reported as 5 and 2.5e8 with unit None (the dates module owns 年, 月, 日).

Every mention keeps its exact surface: ``text[start:end] == surface`` (before
``offset`` is added). The scan is linear: each regex starts with a literal or
a character class (so the engine skips ahead in C), repeats are bounded or
possessive, and everything else looks at a bounded window around a candidate.
About 1 s per MB of mixed article text.
"""

from __future__ import annotations

import bisect
import re
from decimal import Decimal, InvalidOperation

from workbench.model import NumberMention

__all__ = ["find_numbers", "parse_chinese_number", "UNITS"]

UNITS = ("%", "‰", "pp", "USD", "CNY", "EUR", "GBP", "HKD", "JPY", "vehicle", "person", "km", "mile", "m", "kWh", "kW", "t", "x", "°C")

# --- Chinese numerals ----------------------------------------------------------

_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "洞": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2, "俩": 2, "倆": 2,
    "三": 3, "叁": 3, "參": 3, "叄": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_POINT = frozenset("点點")
# 廿 and 卅 are contractions of 二十 and 三十.
_CONTRACTIONS = str.maketrans({"廿": "二十", "卅": "三十"})
_MONEY_TAIL = re.compile(r"^(?P<int>.*?)[元圆圓](?:(?P<jiao>.)角)?(?:(?P<fen>.)分)?[整正]?$")

# Full-width forms are mapped one character to one character, so offsets into
# the translated text are offsets into the original.
_WIDTH = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {"．": ".", "％": "%", "＄": "$", "－": "-", "−": "-", "／": "/"})


# No real numeral is longer (the longest in the cn2an suite has 44
# characters); the cap keeps parsing cheap on hostile runs like 一万一万一万...
_LONGEST_NUMERAL = 64


def parse_chinese_number(s: str, strict: bool = False) -> float | None:
    """The value of a Chinese (or mixed Chinese-Arabic) numeral, or None.

    Reads positional numerals (一万二千 -> 12000, 壹佰壹拾壹 -> 111, 一千零十 ->
    1010, 十万亿 -> 1e13), decimals (三点五 -> 3.5), signs (负十一 -> -11),
    money in capitals (壹拾壹元壹角 -> 11.1) and mixed forms (10.1万 -> 101000,
    100万三千 -> 1003000). Unless ``strict`` it also reads digit-by-digit
    numerals (二〇二一 -> 2021, 零零三 -> 3) and spoken abbreviations (一万二 ->
    12000, 两千六 -> 2600, 一百二 -> 120). Returns None for anything that is
    not one well-formed number (十一十二, 百十一, 零点, 10..1万).
    """
    s = s.strip()
    if len(s) > _LONGEST_NUMERAL:
        return None
    value = _parse(s.translate(_WIDTH).translate(_CONTRACTIONS), strict)
    return None if value is None else float(value)


def _parse(s: str, strict: bool) -> Decimal | None:
    if not s:
        return None
    sign = Decimal(1)
    if s[0] in "负負-":
        sign, s = Decimal(-1), s[1:]
    elif s[0] == "+":
        s = s[1:]
    if not s:
        return None
    money = _MONEY_TAIL.match(s)
    if money:
        whole = _parse_unsigned(money["int"], strict) if money["int"] else None
        if whole is None:
            return None
        for key, scale in (("jiao", Decimal("0.1")), ("fen", Decimal("0.01"))):
            if money[key]:
                if money[key] not in _DIGITS:
                    return None
                whole += _DIGITS[money[key]] * scale
        return sign * whole
    value = _parse_unsigned(s, strict)
    return None if value is None else sign * value


_TOKEN = re.compile(r"\d+(?:\.\d+)?|.", re.S)


def _parse_unsigned(s: str, strict: bool) -> Decimal | None:
    tokens = _TOKEN.findall(s)
    points = [i for i, t in enumerate(tokens) if t in _POINT]
    if len(points) > 1:
        return None
    fraction = None
    if points:
        i = points[0]
        whole_tokens, fraction_tokens = tokens[:i], tokens[i + 1 :]
        if not whole_tokens or not fraction_tokens:
            return None
        fraction = _read_digits(fraction_tokens)
        if fraction is None:
            return None
        tokens = whole_tokens
    whole = _read_integer(tokens, strict)
    if whole is None:
        return None
    if fraction is not None:
        return whole + Decimal("0." + fraction)
    return whole


def _read_digits(tokens: list[str]) -> str | None:
    """Digit-by-digit reading (一七二零, 012) as a digit string, or None."""
    out = []
    for t in tokens:
        if t in _DIGITS:
            out.append(str(_DIGITS[t]))
        elif t.isdigit():
            out.append(t)
        else:
            return None
    return "".join(out) if out else None


def _arabic(t: str) -> Decimal | None:
    if t[0].isdigit():
        try:
            return Decimal(t)
        except InvalidOperation:
            return None
    return None


def _read_integer(tokens: list[str], strict: bool) -> Decimal | None:
    if not tokens:
        return None
    if all(t in _DIGITS or t[0].isdigit() for t in tokens):
        if len(tokens) == 1:
            return _arabic(tokens[0]) if tokens[0][0].isdigit() else Decimal(_DIGITS[tokens[0]])
        if strict or any("." in t for t in tokens):
            return None  # 一一 is only a number when read digit by digit
        digits = _read_digits(tokens)
        return Decimal(digits) if digits is not None else None
    # Split at the last 亿, then at the last 万: left * unit + right.
    for units in ("亿億", "万萬"):
        last = max((i for i, t in enumerate(tokens) if t in units), default=-1)
        if last >= 0:
            return _read_big(tokens, last, strict)
    return _read_section(tokens, strict)


def _read_big(tokens: list[str], at: int, strict: bool) -> Decimal | None:
    unit = Decimal(_BIG_UNITS[tokens[at]])
    left_tokens, right_tokens = tokens[:at], tokens[at + 1 :]
    # 万亿: consecutive big units multiply (十万亿 = 10 * 10^4 * 10^8).
    while left_tokens and left_tokens[-1] in _BIG_UNITS:
        unit *= _BIG_UNITS[left_tokens.pop()]
    if not left_tokens:
        return None
    if len(left_tokens) == 1 and "." in left_tokens[0]:
        # 10.1万: a decimal multiplier ends the number.
        if right_tokens:
            return None
        left = _arabic(left_tokens[0])
    else:
        left = _read_integer(left_tokens, strict)
    if left is None or left == 0:
        return None
    if not right_tokens:
        return left * unit
    zero = right_tokens[0] in ("零", "〇")
    rest = right_tokens[1:] if zero else right_tokens
    if not rest:
        return None
    if len(rest) == 1 and rest[0] in _DIGITS and not zero:
        # 三万五 = 35000: the bare digit counts in the next unit down.
        if strict:
            return None
        return left * unit + _DIGITS[rest[0]] * unit / 10
    if zero and rest[0] in _SMALL_UNITS:
        right = _read_section(right_tokens, strict)  # 一万零百一十一
    else:
        right = _read_integer(rest, strict)
    if right is None or right >= unit:
        return None
    return left * unit + right


def _read_section(tokens: list[str], strict: bool) -> Decimal | None:
    """A number below 10^4 written with 十百千 (and maybe Arabic digits)."""
    value = Decimal(0)
    pending: Decimal | None = None
    spoken = False  # the pending digit is a Chinese digit (一百二), not Arabic (1百01)
    last_unit: int | None = None
    after_zero = False
    for t in tokens:
        if t in ("零", "〇"):
            if pending is not None:
                return None
            after_zero = True
            continue
        if t in _DIGITS or t[0].isdigit():
            if pending is not None:
                return None
            pending = Decimal(_DIGITS[t]) if t in _DIGITS else _arabic(t)
            spoken = t in _DIGITS
            if pending is None:
                return None
            continue
        if t not in _SMALL_UNITS:
            return None
        unit = _SMALL_UNITS[t]
        if last_unit is not None and unit >= last_unit:
            return None
        if pending is None:
            if unit == 10 and (last_unit is None or after_zero or not strict):
                pending = Decimal(1)  # 十一, 一千零十, (normal) 一百十一
            elif after_zero:
                pending = Decimal(1)  # 一万零百一十一 = 10111, as cn2an reads it
            else:
                return None  # 百十一
        if pending >= 10:
            return None
        value += pending * unit
        last_unit, pending, after_zero = unit, None, False
    if pending is not None:
        if last_unit is not None and not after_zero and last_unit > 10 and spoken:
            if strict:
                return None
            return value + pending * last_unit // 10  # 一百二 = 120
        if last_unit is not None and not after_zero and pending >= 10 and last_unit <= 10:
            return None
        value += pending
    elif after_zero:
        return None
    return value


# --- finding quantities in text ------------------------------------------------

_CN_CHARS = "零〇一二两兩三四五六七八九十百千万萬亿億壹贰貳叁參肆伍陆陸柒捌玖拾佰仟廿卅幺"
_CN_RUN = re.compile(rf"[{_CN_CHARS}]+(?:[点點][零〇一二三四五六七八九]+)?")
_CN_DIGIT_START = frozenset("零〇一二两兩三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖")

# An Arabic number: 147,445 or 1.7 or 2021. The pattern starts with a digit so
# the regex engine skips everything else at C speed; what comes before the
# number (currency, letters, a minus sign) is checked by hand.
_NUMBER = re.compile(r"\d++(?:,\d{3}(?!\d))*+(?:\.\d++)?")
_NOT_QUANTITY_NEXT = frozenset("./-: \t\nsnrt")
_CN_MULT_FIRST = frozenset("多余千百万萬亿億")
_GLUED_BEFORE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.,:/#")
_WIDE = re.compile("[０-９．％＄－−／]")
_CN_MULT = re.compile(r"(?P<approx>[多余])?(?P<mult>[千百]?[万萬亿億]+|千|百)")
_EN_MULT = re.compile(r"\s?(?:(?P<mult>thousand|million|billion|trillion)|(?P<short>bn|mn|tn|[kKmMbB]))\b")
_EN_MULTIPLIERS = {
    "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
    "k": 10**3, "m": 10**6, "mn": 10**6, "b": 10**9, "bn": 10**9, "tn": 10**12,
}  # fmt: skip

# Units after a number: the longest form first.
_ZH_UNITS = [
    ("个百分点", "pp"), ("百分点", "pp"), ("%", "%"), ("‰", "‰"),
    ("美元", "USD"), ("美金", "USD"), ("元人民币", "CNY"), ("人民币", "CNY"), ("块钱", "CNY"),
    ("港元", "HKD"), ("港币", "HKD"), ("欧元", "EUR"), ("日元", "JPY"), ("英镑", "GBP"), ("元", "CNY"),
    ("辆", "vehicle"), ("台", "vehicle"), ("人次", "person"), ("人", "person"), ("名", "person"), ("位", "person"),
    ("公里", "km"), ("千米", "km"), ("英里", "mile"), ("米", "m"),
    ("千瓦时", "kWh"), ("千瓦", "kW"), ("吨", "t"), ("倍", "x"), ("℃", "°C"), ("摄氏度", "°C"),
]  # fmt: skip
_ZH_UNIT_RE = re.compile("|".join(re.escape(surface) for surface, _ in _ZH_UNITS))
_ZH_UNIT_NAMES = dict(_ZH_UNITS)
# Classifiers that make a Chinese numeral a count but carry no unit.
# Characters that make a word with a following 一 (唯一, 统一, 同一, 这一, 某一).
_YI_WORD_HEADS = frozenset("唯统統同单單专專逐划劃不某任这這那每其合归歸均")
# Classifiers whose lone 一 is an article: 一辆车 "a car", 一名司机 "a driver", 一位专家
# "an expert". 一人死亡 (one person died) stays a count.
_INDEFINITE_CLASSIFIERS = frozenset("辆輛台部名位架艘")
# Two neighbouring digits before a classifier are an estimate: 一两个, 三五辆, 七八家.
_APPROXIMATE_PAIRS = frozenset({
    "一二", "一两", "两三", "二三", "三四", "三五", "四五", "五六", "六七", "七八", "八九", "兩三", "一兩",
})
_CLASSIFIERS = frozenset("个家款次项件座条户例只种批场起篇份所架艘部枚张根支套股亩天周分")
_EN_UNITS = re.compile(
    r"\s?(?:(?P<pp>percentage points?|pp)|(?P<pct>percent|per cent|pct|%)"
    r"|(?P<usd>US dollars?|dollars?|USD)|(?P<cny>yuan|RMB|CNY|renminbi)|(?P<eur>euros?|EUR)"
    r"|(?P<vehicle>vehicles?|cars?|units?|EVs?|trucks?|SUVs?)|(?P<person>people|persons?|employees|workers|residents|users)"
    r"|(?P<km>km|kilometers?|kilometres?)|(?P<mile>miles?)|(?P<kwh>kWh)|(?P<x>times)|(?P<degc>°C|℃))\b",
    re.I,
)
_EN_UNIT_NAMES = {"pp": "pp", "pct": "%", "usd": "USD", "cny": "CNY", "eur": "EUR", "vehicle": "vehicle",
                  "person": "person", "km": "km", "mile": "mile", "kwh": "kWh", "x": "x", "degc": "°C"}  # fmt: skip
_CURRENCY_CODES = {"USD": "USD", "RMB": "CNY", "CNY": "CNY", "EUR": "EUR", "GBP": "GBP", "HKD": "HKD", "JPY": "JPY"}
_CURRENCY_PREFIX = {"$": "USD", "US$": "USD", "HK$": "HKD", "€": "EUR", "£": "GBP", "¥": "CNY", "￥": "CNY"}

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
# Spans that hold numbers but are not quantities. Each pattern starts with a
# literal or a small character class, so the scan is fast and linear;
# possessive repeats never rescan a run.
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'“”，。）)]++")
_MONTH_DATE = re.compile(
    # The look-ahead gives the regex engine a first-character set to skip with.
    rf"(?=[JFMASOND])(?:{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?(?!\d)|{_MONTHS}\s+\d{{4}}(?!\d))"
)
# Tried at the start of each Arabic number: numeric dates, "5 May 2021",
# clock times, section and version numbers (5.1.5).
_NUMERIC_NOT_QUANTITY = re.compile(
    r"\d{4}[./-]\d{1,2}[./-]\d{1,2}(?![\d.])|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?![\d.])"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}(?:,?\s+\d{{4}})?(?![A-Za-z\d])"
    r"|\d{1,2}:\d{2}(?::\d{2})?(?![\d:])"
    r"|\d++(?:\.\d++){2,}"
)
# A match can only start where a run of address characters starts, and every
# repeat is bounded and possessive: one pass, no rescanning.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}+@[\w-]{1,63}+(?:\.[\w-]{1,63}+){1,8}+")
# YYYYMMDD written without separators (20211014) is a date.
_COMPACT_DATE = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
_DATE_SUFFIX = re.compile(r"\s?(?:年|月|日|号|號|时|時|点钟|a\.m\.|p\.m\.|am\b|pm\b|AM\b|PM\b)")
_ORDINAL_SUFFIX = re.compile(r"(?:st|nd|rd|th)\b")
_PERCENT_PREFIX = re.compile(rf"百分之(?P<neg>负)?(?P<num>[{_CN_CHARS}]+(?:[点點][零〇一二三四五六七八九]+)?|\d+(?:\.\d+)?)")
_CN_NUMERAL = re.compile(rf"[{_CN_CHARS}]+(?:[点點][零〇一二三四五六七八九]+)?")
_CN_NUMERAL_BEFORE = re.compile(rf"[{_CN_CHARS}]{{1,20}}$")
_LINE_START_LIST = re.compile(r"(?m)^[ \t]*\d{1,2}[.、)）](?!\d)")
_FRACTION_TAIL = re.compile(r"/(\d{1,3})(?![\d/])")
# Capitalised words that name a model, version or part rather than count it.
_NAME_BEFORE = re.compile(
    r"(?:Model|Chapter|Section|Phase|Level|Series|Type|Class|Version|Gen|Generation|Mark|Mk|Page|Table|"
    r"Figure|Fig\.|Article|Period|Stage|Round|Season|Episode|Part|Vol\.|Volume|No\.|Number|Item|Step|"
    r"Apollo|iPhone|Galaxy|Windows|Android|iOS|Python|Autopilot|FSD|Level|Ultra|Pro|Max|Plus|V)\s$"
)
_RANGE_TO_DATE = re.compile(r"[-~～到至—–]\d{1,4}[年月日号]")

_RANGE = frozenset("-~～到至—–")
_PLAIN_DIGITS = re.compile(r"\d+(?:\.\d+)?")


# --- English number words (issue 17): "four requirements", "two-thirds", "twenty-five", "two million cars" ----

_EN_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
            "ninety": 90}
_EN_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_EN_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
                    "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8,
                    "tenth": 10, "tenths": 10}
_EN_WORD = "|".join(sorted([*_EN_SMALL, *_EN_TENS], key=len, reverse=True))
_EN_WORDS = re.compile(
    rf"(?<![\w'’-])(?:(?P<num>(?:{_EN_WORD})(?:-(?:{'|'.join(k for k in _EN_SMALL if _EN_SMALL[k] < 10)}))?)"
    rf"(?:[\s-]+(?P<den>{'|'.join(sorted(_EN_DENOMINATORS, key=len, reverse=True))})"
    rf"|(?P<scales>(?:[\s-]+(?:and\s+)?(?:hundred|thousand|million|billion|trillion)"
    rf"(?:[\s-]+(?:and\s+)?(?:{_EN_WORD})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)?)+))?)(?![\w'’-]|-\w)",
    re.I,
)


def _en_word_value(words: str) -> int | None:
    """twenty-five -> 25, two hundred and five thousand -> 205000."""
    total = current = 0
    seen = False
    for word in re.split(r"[\s-]+", words.lower()):
        if word == "and":
            continue
        if word in _EN_SMALL:
            current += _EN_SMALL[word]
        elif word in _EN_TENS:
            current += _EN_TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _EN_SCALES:
            total += (current or 1) * _EN_SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _english_words(work: str, text: str) -> list[NumberMention]:
    """Numbers written as English words. A lone "one" (no one, one of) and "zero" are words, not figures."""
    out = []
    for m in _EN_WORDS.finditer(work):
        if m.group("den"):
            numerator = _en_word_value(m.group("num"))
            denominator = _EN_DENOMINATORS[m.group("den").lower()]
            if numerator is None or numerator >= denominator and denominator != 2:
                continue
            out.append(_mention(text, m.start(), m.end(), Decimal(numerator) / Decimal(denominator), None))
            continue
        value = _en_word_value(m.group())
        if value is None or (value <= 1 and not m.group("scales")):
            continue
        end = m.end()
        unit = None
        tail = _EN_UNITS.match(work, end)
        if tail:
            name = next((k for k, v in tail.groupdict().items() if v), None)
            unit = _EN_UNIT_NAMES.get(name)
            if unit is not None:
                end = tail.end()
        out.append(_mention(text, m.start(), end, value, unit))
    return out


def find_numbers(text: str, offset: int = 0) -> list[NumberMention]:
    """Every quantity in ``text``, in order, with spans shifted by ``offset``."""
    # Full-width forms map one character to one, so offsets are unchanged.
    work = _WIDE.sub(lambda m: m.group().translate(_WIDTH), text)
    excluded = _excluded_spans(work)
    found: list[NumberMention] = []
    found.extend(_percent_and_fractions(work, text))
    found.extend(_arabic_numbers(work, text, excluded))
    found.extend(_chinese_numbers(work, text))
    if "e" in work or "E" in work or "o" in work or "O" in work:  # every English number word has one of these
        found.extend(m for m in _english_words(work, text) if not _inside(excluded, m.start))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    result: list[NumberMention] = []
    last_end = -1
    for m in found:
        if m.start < last_end:
            continue  # a shorter reading of text already covered
        result.append(m)
        last_end = m.end
    if offset:
        for m in result:
            m.start += offset
            m.end += offset
    return result


def _excluded_spans(work: str) -> list[tuple[int, int]]:
    """URLs, e-mail addresses, English dates and list numbers, sorted."""
    spans = [m.span() for m in _URL.finditer(work)]
    for m in _MONTH_DATE.finditer(work):
        if m.start() == 0 or not work[m.start() - 1].isalpha():
            spans.append(m.span())
    spans += [m.span() for m in _LINE_START_LIST.finditer(work)]
    if "@" in work:
        spans += [m.span() for m in _EMAIL.finditer(work)]
    spans.sort()
    return spans


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    # Spans may overlap; look at a few neighbours (they are sorted by start).
    for j in range(i, max(-1, i - 4), -1):
        if spans[j][0] <= pos < spans[j][1]:
            return True
    return False


def _mention(text: str, start: int, end: int, value: Decimal | float, unit: str | None) -> NumberMention:
    return NumberMention(surface=text[start:end], start=start, end=end, value=float(value), unit=unit)


def _zh_unit(work: str, pos: int) -> tuple[str | None, int, bool]:
    """(canonical unit, end, is a counting word) for the unit starting at ``pos``."""
    m = _ZH_UNIT_RE.match(work, pos)
    if m:
        return _ZH_UNIT_NAMES[m.group()], m.end(), True
    if pos < len(work) and work[pos] in _CLASSIFIERS:
        # 3个城市 is a count; the classifier stays out of the surface.
        return None, pos, True
    return None, pos, False


def _currency_before(work: str, start: int) -> tuple[str | None, int]:
    """A currency sign right before ``start`` (maybe one space between)."""
    k = start - 1
    if k >= 0 and work[k] == " ":
        k -= 1
    code = work[k - 2 : k + 1] if k >= 2 else ""
    if code in _CURRENCY_CODES and (k < 3 or not work[k - 3].isalpha()):
        return _CURRENCY_CODES[code], k - 2  # RMB 100, USD 5 million
    if k < 0 or work[k] not in "$€£¥￥":
        return None, start
    if work[k] == "$" and k >= 2 and work[k - 2 : k] in ("US", "HK"):
        return _CURRENCY_PREFIX[work[k - 2 : k + 1]], k - 2
    return _CURRENCY_PREFIX[work[k]], k


def _arabic_numbers(work: str, text: str, excluded: list[tuple[int, int]]):
    n = len(work)
    skip_until = -1
    for m in _NUMBER.finditer(work):
        num_start = m.start()
        if num_start < skip_until:
            continue
        before = work[num_start - 1] if num_start > 0 else ""
        if before in _GLUED_BEFORE:
            continue  # ES8, x10, 3.5.1, 9:30, km/h, #999
        number = m.group()
        if "," in number and number.index(",") > 3:
            number = number[: number.index(",")]  # 1234,567 is two numbers
        end = num_start + len(number)
        after = work[end] if end < n else ""
        # Cheap first-character gates keep the common path free of regex calls.
        not_quantity = _NUMERIC_NOT_QUANTITY.match(work, num_start) if after and after in _NOT_QUANTITY_NEXT else None
        if not_quantity:
            skip_until = not_quantity.end()
            continue
        if excluded and _inside(excluded, num_start):
            continue
        whole, _, fraction = number.partition(".")
        digits = whole.replace(",", "")
        if len(digits) >= 11:
            continue  # phone numbers and IDs
        if not fraction and len(digits) == 8 and _COMPACT_DATE.fullmatch(digits):
            continue
        if before == "[" and after == "]":
            continue  # a footnote mark
        if after == "、" and (num_start == 0 or work[num_start - 1] in " \t\n>（(【"):
            continue  # an enumerator: 1、范围
        if before and before in "\"'" and num_start >= 2 and work[num_start - 2] == "=":
            continue  # markup: width="700"
        if after.isascii() and after.isalpha() and not _EN_MULT.match(work, end) and not _EN_UNITS.match(work, end):
            continue  # 5G, 3D, 4S
        if before == "第":
            continue  # 第2天: an ordinal
        unit, start = _currency_before(work, num_start)
        if unit is None and len(digits) <= 3 and _NAME_BEFORE.search(work, max(0, num_start - 12), num_start):
            continue  # Model 3, Chapter 2, Level 4
        if after in _RANGE and _RANGE_TO_DATE.match(work, end):
            continue  # 1-5月, 2019-2021年: the first end of a date range
        fraction_tail = _FRACTION_TAIL.match(work, end) if after == "/" and not fraction else None
        if fraction_tail:
            den = int(fraction_tail[1])
            if den and len(digits) <= 3:
                yield _mention(text, num_start, fraction_tail.end(), int(digits) / den, None)
            continue
        negative = False
        if unit is None and before and before in "-−":
            b2 = work[num_start - 2] if num_start > 1 else " "
            if b2.isascii() and b2.isalpha():
                continue  # an identifier such as m-b-10 or UN-R157
            if not b2.isdigit():
                negative, start = True, num_start - 1
        value = Decimal(digits + ("." + fraction if fraction else ""))
        currency = unit
        multiplied = False
        cm = _CN_MULT.match(work, end) if after in _CN_MULT_FIRST else None
        if cm:
            value *= _multiplier(cm["mult"])
            end = cm.end()
            multiplied = True
        else:
            em = _EN_MULT.match(work, end) if after.isascii() and (after == " " or after.isalpha()) else None
            if em and (em["mult"] or (currency and em["short"])):
                value *= _EN_MULTIPLIERS[(em["mult"] or em["short"]).lower()]
                end = em.end()
                multiplied = True
        if not multiplied:
            if _DATE_SUFFIX.match(work, end) and not work.startswith("个", end):
                if _is_calendar(work, end, digits, fraction):
                    continue
            if _ORDINAL_SUFFIX.match(work, end):
                continue
        counted = False
        zh_unit, zh_end, counted = _zh_unit(work, end)
        if currency is None:
            if zh_unit is not None:
                unit, end = zh_unit, zh_end
            elif after and (after.isspace() or after.isalpha() or after in "%°℃"):
                em = _EN_UNITS.match(work, end)
                if em:
                    unit, end, counted = _EN_UNIT_NAMES[em.lastgroup], em.end(), True
        elif zh_unit == currency:
            end = zh_end  # ￥100元
        if unit is None and not multiplied and not counted and not fraction:
            if len(digits) == 4 and 1000 <= int(digits) <= 2999 and "," not in whole:
                continue  # a bare year: "in 2021", "2021 was"
        if negative:
            value = -value
        if unit is None and not multiplied and work.startswith("成", end) and not work.startswith("成为", end):
            unit, end, value = "%", end + 1, value * 10  # 3成 = 30%
        yield _mention(text, start, end, value, unit)


def _is_calendar(work: str, end: int, digits: str, frac: str | None) -> bool:
    """A number followed by 年/月/日/时/a.m. that is a date or time, not a count."""
    if frac:
        return False
    suffix = work[end : end + 4].lstrip()
    value = int(digits)
    if suffix.startswith("年"):
        # 2024年, 98年 and 08年 are years; 5年, 10年 and 250000000年 are
        # durations (reported without a unit: the dates module owns calendar
        # words and decides what a duration means).
        if len(digits) == 4:
            return 1000 <= value <= 2999
        return len(digits) == 2 and (value >= 30 or digits[0] == "0")
    if suffix[:1] in "月":
        return value <= 12
    if suffix[:1] in "日号號":
        return value <= 31
    return value <= 24


def _multiplier(mult: str) -> Decimal:
    value = Decimal(1)
    for ch in mult:
        value *= _SMALL_UNITS.get(ch) or _BIG_UNITS[ch]
    return value


def _chinese_numbers(work: str, text: str):
    n = len(work)
    for m in _CN_RUN.finditer(work):
        start, end = m.span()
        run = m.group()
        if len(run) > _LONGEST_NUMERAL:
            continue
        if start > 0 and work[start - 1] in "第初周星礼之数几":
            continue  # 第一, 初三, 周一, 星期一, 之一; 数十亿, 几十 have no value
        if start > 0 and work[start - 1].isdigit():
            continue  # the multiplier of an Arabic number (170万), read there
        if run[0] == "一" and start > 0 and work[start - 1] in _YI_WORD_HEADS:
            # 唯一一个 is "the only one", not 11: the first 一 ends a word (唯一, 统一,
            # 同一, 这一); what follows is read on its own.
            start, run = start + 1, run[1:]
            if not run:
                continue
        if work.startswith("分之", end):
            continue  # a fraction, read by _percent_and_fractions
        if start >= 3 and work[start - 3 : start] == "百分之":
            continue
        unit, unit_end, counted = _zh_unit(work, end)
        if not counted and end + 1 < n and work[end] in _RANGE:
            # 一到二个月, 三至五辆: the first end of a range counts like the second.
            other = _CN_RUN.match(work, end + 1) or _PLAIN_DIGITS.match(work, end + 1)
            if other:
                counted = _zh_unit(work, other.end())[2]
        if counted and len(run) == 1 and work.startswith("分", end):
            continue  # 十分 (very), 万分 (extremely)
        if _DATE_SUFFIX.match(work, end) and not counted:
            continue  # 二〇二一年, 三月四日, 九点: calendar words
        if run == "一" and counted and (unit is None and work[end] in _CLASSIFIERS
                                        or work[end] in _INDEFINITE_CLASSIFIERS):
            # 一个问题, 一款车, 一辆车, 一名司机: "a problem", "a car", "a driver" -- the
            # indefinite article, not a count. A figure of one is written 1辆, 1人.
            continue
        if counted and len(run) == 2 and run in _APPROXIMATE_PAIRS:
            continue  # 一两个, 三五辆: "one or two", "a few" -- no value
        if counted and unit is None and len(run) == 1 and run in _SMALL_UNITS | _BIG_UNITS:
            continue  # 万家 (a brand), 百家
        if work.startswith("成", end) and not work.startswith("成为", end) and not work.startswith("不", end + 1):
            value = parse_chinese_number(run)
            if len(run) <= 2 and value is not None and value < 10:
                yield _mention(text, start, end + 1, Decimal(str(value)) * 10, "%")  # 三成 = 30%
            continue
        if not counted:
            # Without a unit, only a well-formed number of two or more
            # characters that starts with a digit (三万五, 两千六), or a
            # digit-by-digit reading with a zero (零零三), is a quantity:
            # 一一 and 三三两两 are words.
            if len(run) < 2 or run[0] not in _CN_DIGIT_START:
                continue
            if all(ch in _DIGITS for ch in run) and not any(z in run for z in "零〇"):
                continue
        value = parse_chinese_number(run)
        if value is None:
            continue
        if start > 0 and work[start - 1] in "负負":
            start, value = start - 1, -value
        elif start > 1 and work[start - 2 : start] == "零下":
            start, value = start - 2, -value  # 零下四摄氏度 = -4 °C
        if counted and unit is not None:
            end = unit_end
            if unit == "person" and work[start - 1 : start] == "前":
                unit = None  # 前十位: the top ten places, not ten people
        yield _mention(text, start, end, value, unit)


def _percent_and_fractions(work: str, text: str):
    for m in _PERCENT_PREFIX.finditer(work):
        value = parse_chinese_number(m["num"])
        if value is not None:
            yield _mention(text, m.start(), m.end(), -value if m["neg"] else value, "%")
    at = work.find("分之")
    while at >= 0:
        den_match = _CN_NUMERAL_BEFORE.search(work, max(0, at - 20), at) if at and work[at - 1] in _CN_CHARS else None
        num_match = _CN_NUMERAL.match(work, at + 2)
        if den_match and num_match and den_match.group() != "百":
            den, num = parse_chinese_number(den_match.group()), parse_chinese_number(num_match.group())
            if den and num is not None:
                yield _mention(text, den_match.start(), num_match.end(), num / den, None)
        at = work.find("分之", at + 2)
