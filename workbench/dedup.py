"""Near-duplicate articles: the same story from another feed, lightly edited.

Fingerprints are content-defined samples of the text's character shingles
(those whose hash falls in a fixed residue class), so two copies of one
article share most fingerprints wherever their edits fall, and a lookup by
fingerprint finds the candidates without comparing every pair. A candidate is
confirmed with a real similarity on the normalised texts, or, for an excerpt of
a longer copy, by how many of its samples the longer text holds.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass

from rapidfuzz import fuzz

SHINGLE = 6
SAMPLE_MOD = 16  # keep about one shingle in sixteen
MIN_SHARED = 0.5  # of the new article's fingerprints, to be a candidate...
MIN_SHARED_COUNT = 12  # ...or at least this many (a new long article containing an older excerpt)
DUPLICATE_SIMILARITY = 0.9

_NOISE = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """Case- and width-folded text without spaces or punctuation."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True)
class Fingerprint:
    """What comparing an article needs, computed once: its normalised text and its sampled hashes.

    The new article's is computed once (in the analysis worker); a stored
    candidate's samples are the ``article_fingerprints`` rows, so no text is
    shingled again for every pair compared.
    """

    norm: str
    prints: frozenset[int]


def fingerprint(text: str) -> Fingerprint:
    norm = normalise(text)
    found = _sampled(norm)
    if not found and norm:
        found.add(zlib.crc32(norm.encode("utf-8", "surrogatepass")))
    return Fingerprint(norm, frozenset(found))


def fingerprints(text: str) -> set[int]:
    """The sampled shingle hashes of an article's normalised text (never empty for a non-empty text)."""
    return set(fingerprint(text).prints)


# A shorter text wholly inside a longer one is a copy too (an excerpt republished by another
# feed), when it is at least this share of the longer. Containment is measured on the sampled
# fingerprints (content-defined, so an excerpt keeps the samples of the passage it copies),
# which costs two set operations where aligning the texts would cost seconds on long articles.
MIN_CONTAINED_SHARE = 0.3
MIN_CONTAINED_SAMPLES = 8  # fewer samples than this say too little about containment


def similarity(a: str, b: str) -> float:
    """0..1 similarity of two article texts: the whole texts, or an excerpt contained in the other."""
    return compare(fingerprint(a), fingerprint(b))


def compare(a: Fingerprint, b: Fingerprint) -> float:
    """:func:`similarity` on fingerprints already computed.

    A fallback print (a text too short to sample) is a single hash, under
    ``MIN_CONTAINED_SAMPLES``, so it never counts as containment.
    """
    score = fuzz.ratio(a.norm, b.norm) / 100
    shorter, longer = sorted((a, b), key=lambda f: len(f.norm))
    if (score < DUPLICATE_SIMILARITY and shorter.norm
            and len(shorter.norm) >= MIN_CONTAINED_SHARE * len(longer.norm)
            and len(shorter.prints) >= MIN_CONTAINED_SAMPLES):
        score = max(score, len(shorter.prints & longer.prints) / len(shorter.prints))
    return score


def _sampled(norm: str) -> set[int]:
    # Shingle over characters, hash their UTF-8 bytes; crc32 is stable across
    # processes (Python's hash() is salted per process).
    found = set()
    for i in range(max(len(norm) - SHINGLE + 1, 1)):
        h = zlib.crc32(norm[i:i + SHINGLE].encode("utf-8", "surrogatepass"))
        if h % SAMPLE_MOD == 0:
            found.add(h)
    return found
