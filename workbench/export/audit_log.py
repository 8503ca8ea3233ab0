"""Exporting the audit log: JSONL (lossless, verifiable) and CSV (for spreadsheets).

Both stream: events are read in batches and written as they come, so a log of
millions of events exports in bounded memory.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from workbench.audit import EVENT_FIELDS, decoded_event
from workbench.export.text import csv_cell
from workbench.safe_text import escape_json_text, json_line


_encode_string = json.encoder.encode_basestring


def _text_or_null(value: str | None) -> str:
    return "null" if value is None else _encode_string(value)


def _json_or_null(value: str | None) -> str:
    if value is None:
        return "null"
    if type(value) is not str:
        raise TypeError("stored before/after must be JSON text")
    return value


def event_line(event: Mapping[str, Any]) -> str:
    """One event as a JSON line, ``before``/``after`` as JSON values.

    The stored ``before``/``after`` are canonical JSON text and go into the
    line as they are (no decode and re-encode), so the file carries exactly the
    bytes the hash covers. Written out field by field in ``EVENT_FIELDS``
    order: a log of a million events spends most of its export time here.
    """
    enc = _encode_string
    try:
        seq = event["seq"]
        if type(seq) is not int:
            raise TypeError("seq must be an integer")
        line = (
            f'{{"seq": {seq}, "event_id": {enc(event["event_id"])}, "time": {enc(event["time"])}, '
            f'"actor": {enc(event["actor"])}, "session": {enc(event["session"])}, "action": {enc(event["action"])}, '
            f'"object_type": {enc(event["object_type"])}, "object_id": {_text_or_null(event["object_id"])}, '
            f'"before": {_json_or_null(event["before"])}, "after": {_json_or_null(event["after"])}, '
            f'"reason": {_text_or_null(event["reason"])}, "app_version": {enc(event["app_version"])}, '
            f'"prev_hash": {enc(event["prev_hash"])}, "hash": {enc(event["hash"])}, '
            f'"signature": {_text_or_null(event.get("signature"))}}}'
        )
    except (KeyError, TypeError):  # not the stored shape: the general (slower) path
        return json_line(decoded_event(event))
    return line if line.isascii() else escape_json_text(line)


def write_audit_jsonl(events: Iterable[Mapping[str, Any]], out: TextIO) -> int:
    """One event per line, ``before``/``after`` as JSON values; returns the count.

    Every field the hash covers is written, so ``audit verify --file`` can
    recompute the chain from the file alone.
    """
    count = 0
    for event in events:
        out.write(event_line(event))
        out.write("\n")
        count += 1
    return count


def write_audit_csv(events: Iterable[Mapping[str, Any]], out: TextIO) -> int:
    """A header and one row per event (RFC 4180, CRLF); returns the count.

    ``before``/``after`` stay canonical JSON text. Cells are neutralised
    against formula injection, so the file is for reading, not for verifying.
    """
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EVENT_FIELDS)
    count = 0
    for event in events:
        writer.writerow([csv_cell(event.get(name)) for name in EVENT_FIELDS])
        count += 1
    return count
