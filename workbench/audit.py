"""The hash chain of the audit log: canonical encoding, hashing, verification.

Each event's hash is SHA-256 over a domain prefix and the canonical JSON of
every field but the hash itself, ``prev_hash`` included, so each event seals
the whole history before it. Changing, removing or reordering any event breaks
the chain at that event; a checkpoint kept outside the database (count and
head hash) also exposes a truncated or rewritten tail.

Events come in two shapes that hash the same:

* *stored* (the database, :func:`workbench.store.audit.append_event`):
  ``before``/``after`` are canonical JSON text, and the hash covers that text
  itself, so any changed byte (even one JSON would not notice: a space, a
  duplicate key, an escape) breaks the chain, and verifying a stored log
  needs no JSON decoding at all;
* *decoded* (an exported JSONL file): ``before``/``after`` are JSON values,
  re-encoded canonically to the text that was hashed.

Pure: works on any iterable of event mappings (database rows or an exported
JSONL file), one event at a time, so verification runs in bounded memory.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

DOMAIN = b"workbench.audit.event.v1\n"
GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "seq", "event_id", "time", "actor", "session", "action", "object_type",
    "object_id", "before", "after", "reason", "app_version", "prev_hash",
)
EVENT_FIELDS = HASHED_FIELDS + ("hash", "signature")  # the signature covers the hash (workbench.signing)
CHECKPOINT_FORMAT = "workbench.audit.checkpoint.v1"  # unsigned: read, never written
CHECKPOINT_FORMAT_SIGNED = "workbench.audit.checkpoint.v2"


# One encoder and one decoder for the module: json.dumps/json.loads with options
# build a new one per call, which was a third of the time of verifying a log.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
_DECODER = json.JSONDecoder()


def canonical_json(value: Any) -> str:
    """One JSON text per value: sorted keys, no spaces, UTF-8 kept as is."""
    return _CANONICAL.encode(value)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key in JSON object")
    return result


def _refuse_constant(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


_STRICT_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicate_keys, parse_constant=_refuse_constant)


def strict_loads(text: str) -> Any:
    """``json.loads`` that refuses duplicate keys and NaN/Infinity (not JSON)."""
    return _STRICT_DECODER.decode(text)


def _decoded(value: Any) -> Any:
    # Stored form: canonical JSON text (or NULL).
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"stored before/after must be JSON text, not {type(value).__name__}")
    return _DECODER.decode(value)


def event_hash(event: Mapping[str, Any], *, stored: bool = True) -> str:
    """The hash of ``event``; ``stored`` says before/after are JSON text (the database form)."""
    return _hash_body(_hashed_body(event, stored))


def _hashed_body(event: Mapping[str, Any], stored: bool) -> dict[str, Any]:
    """The hashed fields, before/after as canonical JSON text (as stored)."""
    body = {name: event.get(name) for name in HASHED_FIELDS}
    for name in ("before", "after"):
        value = body[name]
        if stored:
            if value is not None and not isinstance(value, str):
                raise TypeError(f"stored {name} must be JSON text, not {type(value).__name__}")
        elif value is not None:
            body[name] = canonical_json(value)
    return body


_SORTED_FIELDS = tuple(sorted(HASHED_FIELDS))
_encode_string = json.encoder.encode_basestring  # what the canonical encoder uses for str (C-accelerated)


def canonical_body(body: Mapping[str, Any]) -> str:
    """``canonical_json(body)`` for the hashed fields, assembled directly.

    An event's hashed fields are text, integers or null once before/after are
    text, so the canonical JSON can be put together field by field: the same
    bytes as the general encoder, about four times faster, which is most of
    the time of verifying a long log. Anything else falls back to the encoder.
    """
    parts = []
    get = body.get
    for name in _SORTED_FIELDS:
        value = get(name)
        kind = type(value)
        if value is None:
            parts.append(f'"{name}":null')
        elif kind is str:
            parts.append(f'"{name}":{_encode_string(value)}')
        elif kind is int:
            parts.append(f'"{name}":{int.__repr__(value)}')
        else:
            return canonical_json({field: get(field) for field in HASHED_FIELDS})
    return "{" + ",".join(parts) + "}"


def _hash_body(body: Mapping[str, Any]) -> str:
    return hashlib.sha256(DOMAIN + canonical_body(body).encode("utf-8")).hexdigest()


def decoded_event(event: Mapping[str, Any]) -> dict[str, Any]:
    """A stored event as exported: the fields in order, before/after as JSON values."""
    out = {name: event.get(name) for name in EVENT_FIELDS}
    out["before"] = _decoded(out["before"])
    out["after"] = _decoded(out["after"])
    return out


@dataclass(frozen=True)
class Checkpoint:
    """What to keep outside the database: whose log, how long, its head hash, and who vouches for it.

    A signed checkpoint (format v2) carries the signer's name, public key and
    an Ed25519 signature over the rest (see :mod:`workbench.signing`), so a
    checkpoint that was edited -- a changed head or count -- fails on its own.
    """

    database_id: str | None  # settings 'database_id'; None for a checkpoint of a bare file
    count: int
    head: str
    time: str | None = None
    app_version: str | None = None
    signer: str | None = None
    public_key: str | None = None
    signature: str | None = None

    def signed_body(self) -> bytes:
        """The bytes the signature covers: every field but the signature, canonical JSON."""
        body = self.to_json()
        body.pop("signature", None)
        return canonical_json(body).encode("utf-8")

    def to_json(self) -> dict[str, Any]:
        out = {
            "format": CHECKPOINT_FORMAT_SIGNED if self.signer is not None else CHECKPOINT_FORMAT,
            "database_id": self.database_id,
            "count": self.count,
            "head": self.head,
            "time": self.time,
            "app_version": self.app_version,
        }
        if self.signer is not None:
            out.update(signer=self.signer, public_key=self.public_key, signature=self.signature)
        return out

    @classmethod
    def from_json(cls, value: Any) -> Checkpoint:
        """Read a checkpoint, refusing anything that is not one."""
        if not isinstance(value, Mapping) or value.get("format") not in (CHECKPOINT_FORMAT, CHECKPOINT_FORMAT_SIGNED):
            raise ValueError(f"not a workbench audit checkpoint (expected format {CHECKPOINT_FORMAT_SIGNED!r})")
        count, head = value.get("count"), value.get("head")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValueError("checkpoint count must be a non-negative integer")
        if not isinstance(head, str) or len(head) != 64 or any(c not in "0123456789abcdef" for c in head):
            raise ValueError("checkpoint head must be a SHA-256 hex digest")
        database_id = value.get("database_id")
        if database_id is not None and not isinstance(database_id, str):
            raise ValueError("checkpoint database_id must be text")
        signed = {}
        if value.get("format") == CHECKPOINT_FORMAT_SIGNED:
            for name in ("signer", "public_key", "signature"):
                if not isinstance(value.get(name), str):
                    raise ValueError(f"a signed checkpoint needs {name} as text")
                signed[name] = value[name]
        return cls(database_id, count, head, value.get("time"), value.get("app_version"), **signed)


@dataclass
class Verification:
    """The outcome of walking a chain: where it stands, or where it first broke."""

    ok: bool
    count: int  # events that verified
    head: str  # hash of the last good event (GENESIS_HASH for an empty log)
    first_bad_seq: int | None = None
    problem: str | None = None


class ChainVerifier:
    """Checks events one at a time, so a caller can verify while doing something else
    with the same stream (an export writes each event and checks it in one pass).

    ``feed`` returns False from the first bad event on; ``result`` then says where.
    """

    def __init__(self, *, stored: bool = True, checkpoint: Checkpoint | None = None):
        self.stored = stored
        self.checkpoint = checkpoint
        self.count = 0
        self.head = GENESIS_HASH
        self.failure: Verification | None = None

    def _fail(self, seq: int, problem: str, *, count: int | None = None, head: str | None = None) -> bool:
        self.failure = Verification(False, self.count if count is None else count,
                                    self.head if head is None else head, seq, problem)
        return False

    def feed(self, event: Mapping[str, Any]) -> bool:
        if self.failure is not None:
            return False
        expected_seq = self.count + 1
        seq = event.get("seq")
        if type(seq) is not int or seq != expected_seq:
            # Name the position where the chain breaks: for a deleted event that is
            # the missing seq, not the seq of the event found in its place.
            return self._fail(expected_seq,
                              f"expected seq {expected_seq}, found {seq!r} (an event is missing or out of order)")
        if event.get("prev_hash") != self.head:
            return self._fail(seq, "prev_hash does not match the previous event's hash")
        try:
            # A stored event is hashed as it is (its extra "hash" field is not read);
            # only a decoded one needs before/after turned back into text first.
            computed = _hash_body(event) if self.stored else _hash_body(_hashed_body(event, False))
        except (ValueError, TypeError) as exc:
            return self._fail(seq, f"event cannot be encoded: {exc}")
        if computed != event.get("hash"):
            return self._fail(seq, "hash does not match the event's content")
        checkpoint = self.checkpoint
        if checkpoint is not None and seq == checkpoint.count and computed != checkpoint.head:
            return self._fail(seq, f"event {seq} is not the one the checkpoint recorded:"
                                   " the log was rewritten at or before it")
        self.head = computed
        self.count = seq
        return True

    def result(self) -> Verification:
        """The verdict on everything fed so far, as a complete log."""
        if self.failure is not None:
            return self.failure
        checkpoint = self.checkpoint
        if checkpoint is not None and self.count < checkpoint.count:
            return Verification(
                False, self.count, self.head, self.count + 1,
                f"the log has {self.count} events but the checkpoint recorded {checkpoint.count}: "
                f"events from seq {self.count + 1} on were removed",
            )
        return Verification(True, self.count, self.head)


def verify_events(
    events: Iterable[Mapping[str, Any]],
    *,
    stored: bool = True,
    checkpoint: Checkpoint | None = None,
) -> Verification:
    """Walk the chain in order; stop at the first event that does not fit.

    With a ``checkpoint`` the log must also reach ``checkpoint.count`` events
    and the event at that position must carry ``checkpoint.head``: a log cut
    short (truncated tail) or rebuilt after the checkpoint (rewritten tail, a
    chain that is valid in itself) fails even though every link holds.
    """
    verifier = ChainVerifier(stored=stored, checkpoint=checkpoint)
    for event in events:
        if not verifier.feed(event):
            break
    return verifier.result()


class JsonlError(ValueError):
    """A line of an exported log that is not one JSON event."""

    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line


def iter_jsonl_events(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """Events of an exported JSONL log, one line at a time (bounded memory).

    A blank last line is allowed; any other line must be one JSON object.
    """
    pending_blank = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            pending_blank = number
            continue
        if pending_blank is not None:
            raise JsonlError(pending_blank, "blank line inside the log")
        try:
            event = strict_loads(line)
        except ValueError as exc:
            raise JsonlError(number, f"not valid JSON ({exc})") from None
        if not isinstance(event, dict):
            raise JsonlError(number, "not a JSON object")
        unknown = set(event) - set(EVENT_FIELDS)
        if unknown:
            raise JsonlError(number, f"unexpected fields {sorted(unknown)}")
        yield event


def verify_jsonl(stream: IO[str], *, checkpoint: Checkpoint | None = None, also=None) -> Verification:
    """Verify an exported JSONL log on its own, streaming line by line.

    ``also`` (optional) is called with every event read, e.g. to check signatures in the same pass.
    """
    last = {"count": 0, "hash": GENESIS_HASH}

    def counted() -> Iterator[dict[str, Any]]:
        # verify_events checks each event before it asks for the next one, so
        # every event yielded before a bad line has verified.
        for event in iter_jsonl_events(stream):
            if also is not None:
                also(event)
            yield event
            last["count"] += 1
            last["hash"] = event.get("hash")

    try:
        return verify_events(counted(), stored=False, checkpoint=checkpoint)
    except JsonlError as exc:
        return Verification(False, last["count"], last["hash"], last["count"] + 1, str(exc))


# -- state as the fold of the log -------------------------------------------------------
#
# Every table a reviewer changes must equal what replaying the events produces:
# the chain proves the log was not altered, the fold proves the tables were not
# altered behind the log's back. The replay lives here, beside the chain, so an
# event's meaning and its hash cannot drift apart; the SQL that reads the tables
# is in workbench.store.audit.

@dataclass(frozen=True)
class StateKind:
    """One kind of reviewer state: how to name an entry and which field is its headline."""

    name: str
    describe: Any  # key -> "verdict of bo on claim 12"
    main_field: str | None = None  # reported as "table says X, log says Y" without the field name


def _describe_verdict(key: tuple) -> str:
    claim_id, reviewer, final = key
    return f"{'final verdict' if final else 'verdict'} of {reviewer} on claim {claim_id}"


STATE_KINDS: dict[str, StateKind] = {
    "verdicts": StateKind("verdicts", _describe_verdict, "label"),
    "flags": StateKind("flags", lambda key: f"flag of {key[1]} on claim {key[0]}"),
    # A link decision is about the pair of statements, whichever claim it was made from.
    "link_decisions": StateKind("link_decisions", lambda key: f"decision on the link between statements {key[0]} and {key[1]}",
                                "status"),
    "promotions": StateKind("promotions", lambda key: f"promotion of statement {key} to a claim", "promoted_by"),
    "articles": StateKind("articles", lambda key: f"metadata of article {key}"),
    "entities": StateKind("entities", lambda key: f"entity {key}"),
    "settings": StateKind("settings", lambda key: f"setting {key}", "value"),
    "reviewer_keys": StateKind("reviewer_keys", lambda key: f"key of reviewer {key}", "public_key"),
    "actor_chains": StateKind("actor_chains", lambda key: f"signed chain of reviewer {key}"),
    "claimants": StateKind("claimants", lambda key: f"claimant of claim {key}", "name"),
}

# Settings the schema itself writes (no event): not reviewer state.
SCHEMA_SETTINGS = frozenset({"database_id"})
ARTICLE_METADATA = ("title", "published", "author", "site", "url", "language")

State = dict[str, dict[Any, dict[str, Any]]]
Replayer = Any  # (state, event, after) -> None; ``after`` decoded, the event as stored or exported
REPLAYS: dict[str, Replayer] = {}


def replays(*actions: str):
    """Register how events of ``actions`` change the state (one function per kind of change).

    Whoever adds an audited action adds its replay here, beside the others, so
    ``audit verify`` can check the table it writes.
    """
    def register(fn: Replayer) -> Replayer:
        for action in actions:
            if action in REPLAYS:
                raise ValueError(f"{action!r} already has a replay")
            REPLAYS[action] = fn
        return fn
    return register


def _int_id(event: Mapping[str, Any]) -> int:
    return int(event["object_id"])


@replays("verdict.set", "verdict.change", "verdict.adjudicate")
def _replay_verdict(state: State, event, after) -> None:
    claim_id, reviewer, final = _int_id(event), event["actor"], bool(after.get("final", False))
    verdicts = state["verdicts"]
    if final:
        # one final verdict per claim: a new adjudicator's replaces the old one
        finals = state["_final_of"]
        previous = finals.get(claim_id)
        if previous is not None and previous != reviewer:
            verdicts.pop((claim_id, previous, True), None)
        finals[claim_id] = reviewer
    verdicts[(claim_id, reviewer, final)] = {name: after.get(name) for name in ("label", "note", "evidence", "version")}


@replays("verdict.undo", "verdict.redo")
def _replay_restore(state: State, event, after) -> None:
    claim_id, reviewer = _int_id(event), event["actor"]
    before = event.get("before")
    if isinstance(before, str):  # stored form (the replays decode ``before`` only where they need it)
        before = _DECODER.decode(before)
    final = bool((after or before or {}).get("final", False))
    key = (claim_id, reviewer, final)
    if after is None:
        state["verdicts"].pop(key, None)
        if final and state["_final_of"].get(claim_id) == reviewer:
            del state["_final_of"][claim_id]
    else:
        state["verdicts"][key] = {name: after.get(name) for name in ("label", "note", "evidence", "version")}
        if final:
            state["_final_of"][claim_id] = reviewer


@replays("claim.flag", "claim.unflag")
def _replay_flag(state: State, event, after) -> None:
    key = (_int_id(event), event["actor"])
    if after.get("flagged"):
        state["flags"][key] = {"flagged": True}
    else:
        state["flags"].pop(key, None)


def link_pair_key(claim_id: int, statement_id: int) -> tuple[int, int]:
    """A link decision's key: the pair of statement ids, smaller first (A -> B and B -> A are one pair)."""
    return (claim_id, statement_id) if claim_id <= statement_id else (statement_id, claim_id)


@replays("link.confirm", "link.reject", "link.reset")
def _replay_link(state: State, event, after) -> None:
    key = link_pair_key(after["claim_id"], after["statement_id"])
    if after["status"] == "suggested":
        state["link_decisions"].pop(key, None)
    else:
        state["link_decisions"][key] = {"status": after["status"], "decided_by": event["actor"]}


@replays("claim.promote")
def _replay_promotion(state: State, event, after) -> None:
    state["promotions"][_int_id(event)] = {"promoted_by": event["actor"]}


@replays("article.import")
def _replay_import(state: State, event, after) -> None:
    state["articles"][_int_id(event)] = {name: after.get(name) for name in ARTICLE_METADATA}


@replays("article.correct")
def _replay_correction(state: State, event, after) -> None:
    article = state["articles"].setdefault(_int_id(event), {name: None for name in ARTICLE_METADATA})
    for name, value in after.items():
        article[name] = value if value != "" else None


_ENTITY_TYPES = frozenset({"org", "person", "place", "product", "event", "topic", "other"})


def _entity_type(value: Any) -> Any:
    # m012_vocabularies rewrote older types in the table ("organization" -> "org", any other unknown -> "other");
    # the events keep what was written then, so the replay reads them the same way.
    if value == "organization":
        return "org"
    return value if value is None or value in _ENTITY_TYPES else "other"


@replays("entity.add", "entity.alias_add")
def _replay_entity(state: State, event, after) -> None:
    entity = {name: after.get(name) for name in ("name", "type", "status", "aliases")}
    entity["type"] = _entity_type(entity["type"])
    state["entities"][_int_id(event)] = entity


@replays("entity.promote")
def _replay_promote(state: State, event, after) -> None:
    entity = state["entities"].setdefault(_int_id(event), {})
    entity.update({name: after.get(name) for name in ("name", "type", "status")})
    entity["type"] = _entity_type(entity["type"])


@replays("key.register")
def _replay_key(state: State, event, after) -> None:
    state["reviewer_keys"][event["actor"]] = {"public_key": after["public_key"]}


@replays("claimant.correct")
def _replay_claimant(state: State, event, after) -> None:
    state["claimants"][_int_id(event)] = {"name": after["name"], "entity_id": after.get("entity_id"),
                                          "kind": after["kind"], "corrected_by": event["actor"]}


@replays("setting.change")
def _replay_setting(state: State, event, after) -> None:
    state["settings"][event["object_id"]] = {"value": after}


class Fold:
    """Replays events one at a time into the reviewer state they produce (bounded by the state's size)."""

    def __init__(self) -> None:
        self.state: State = {name: {} for name in STATE_KINDS}
        self.state["_final_of"] = {}
        self.problems: list[str] = []

    def feed(self, event: Mapping[str, Any], *, stored: bool = True) -> None:
        replay = REPLAYS.get(event.get("action"))
        if replay is None:
            return
        try:
            after = event.get("after")
            replay(self.state, event, _decoded(after) if stored else after)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            self.problems.append(f"event {event.get('seq')} ({event.get('action')}) cannot be replayed: {exc!r}")


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else canonical_json(value)


def compare_state(kind: str, replayed: Mapping[Any, Mapping[str, Any]],
                  table: Iterable[tuple[Any, Mapping[str, Any]]]) -> Iterator[str]:
    """Name every entry where the table and the replayed log disagree.

    ``table`` yields (key, value) in the shape the replay builds; an entry of a
    value the log does not state (a field it never recorded) is not compared.
    """
    spec = STATE_KINDS[kind]
    seen = set()
    for key, value in table:
        seen.add(key)
        logged = replayed.get(key)
        name = spec.describe(key)
        if logged is None:
            yield f"{name} has no event"
            continue
        for field, logged_value in logged.items():
            if field not in value:
                continue
            if value[field] != logged_value:
                label = "" if field == spec.main_field else f"{field}: "
                yield f"{name}: {label}table says {_shown(value[field])}, log says {_shown(logged_value)}"
    for key, logged in replayed.items():
        if key not in seen:
            main = logged.get(spec.main_field) if spec.main_field else None
            said = f" (log says {_shown(main)})" if main is not None else ""
            yield f"{spec.describe(key)} is in the log{said} but not in the table"
