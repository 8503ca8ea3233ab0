"""Score ``find_dates`` against JioNLP's time-parser test cases, at day granularity.

The cases are third-party material read from wherever the caller keeps them
(never copied into the repository). Two figures come out:

* **parse**: cases of set ``parse_time`` whose expected value is an interval
  (``time_point``/``time_span``; durations and recurring periods are not dates
  and are left out). A case passes when the longest mention found in its text
  has ``[start_day, end_day]`` equal to the days of ``expected.time``. Cases
  whose expected interval is open ("inf"/"-inf") cannot be written as two days
  and are **counted as failures**. A null ``base_time`` is passed as
  ``published=None``, so relative cases stay unresolved and fail; absolute ones
  can still pass. A partial base ("2021", "2019-06", "2019-02-18 07") is read
  as its first day.
* **spans**: cases of set ``extract_time_spans``; a case agrees when the set of
  (start, end) offsets found equals the expected set (including "no dates").

Call :func:`score_cases` with the parsed JSON list, or :func:`score_file` with
its path, to quote the rates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from workbench.claims.dates import find_dates


@dataclass
class YardstickResult:
    parse_total: int = 0
    parse_passed: int = 0
    parse_open_ended: int = 0  # counted as failures
    spans_total: int = 0
    spans_agreed: int = 0
    failures: list[tuple[str, str | None, list[str], tuple | None]] = field(default_factory=list)

    @property
    def parse_rate(self) -> float:
        return self.parse_passed / self.parse_total if self.parse_total else 0.0

    @property
    def span_rate(self) -> float:
        return self.spans_agreed / self.spans_total if self.spans_total else 0.0

    def summary(self) -> str:
        return (
            f"parse_time: {self.parse_passed}/{self.parse_total} = {self.parse_rate:.1%} "
            f"(open-ended counted as failures: {self.parse_open_ended}); "
            f"extract_time_spans: {self.spans_agreed}/{self.spans_total} = {self.span_rate:.1%}"
        )


def _published(base: str | None) -> str | None:
    if base is None:
        return None
    # "2021-06-14 01:06:40" -> "2021-06-14"; "2019-02-18 07" -> "2019-02-18"; "1837" stays.
    return base.strip().split(" ")[0]


def score_cases(cases: list[dict]) -> YardstickResult:
    """Score the JioNLP cases (see the module docstring for how)."""
    result = YardstickResult()
    for case in cases:
        if case.get("set") == "parse_time":
            expected = case.get("expected") or {}
            time = expected.get("time")
            if expected.get("type") not in ("time_point", "time_span") or not isinstance(time, list):
                continue
            result.parse_total += 1
            if any(t in ("inf", "-inf") for t in time):
                result.parse_open_ended += 1
                result.failures.append((case["text"], case.get("base_time"), time, None))
                continue
            want = (time[0][:10], time[1][:10])
            mentions = find_dates(case["text"], _published(case.get("base_time")))
            got = None
            if mentions:
                longest = max(mentions, key=lambda m: m.end - m.start)
                got = (longest.start_day, longest.end_day)
            if got == want:
                result.parse_passed += 1
            else:
                result.failures.append((case["text"], case.get("base_time"), time, got))
        elif case.get("set") == "extract_time_spans":
            result.spans_total += 1
            want_spans = {tuple(e["offset"]) for e in case.get("expected") or []}
            got_spans = {(m.start, m.end) for m in find_dates(case["text"], None)}
            if got_spans == want_spans:
                result.spans_agreed += 1
            else:
                result.failures.append((case["text"], None, sorted(want_spans), tuple(sorted(got_spans))))
    return result


def score_file(path: str | Path) -> YardstickResult:
    """Read JioNLP's case file (a JSON list) and score it."""
    return score_cases(json.loads(Path(path).read_text(encoding="utf-8")))
