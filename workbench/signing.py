"""Reviewers' Ed25519 keys: created on first use, kept in the user's config directory, used to sign events.

The hash chain shows the log was not altered; a signature shows who wrote each
event. Every event is signed by its actor's private key, which never enters
the database: it lives in ``$WORKBENCH_KEYS_DIR``, else
``$XDG_CONFIG_HOME/workbench/keys``, else ``~/.config/workbench/keys``
(directory 0700, key files 0600, refused if others can read them). The public
key goes into the log as a ``key.register`` event, signed with the new key.

What is signed is the actor's own chain extended by the event's hash: the
hash covers every field and, through ``prev_hash``, the whole history before
it; the actor chain (SHA-256 over the previous actor chain and the event's
hash) commits to every event in the actor's name so far. So one signature
binds the actor to this event, to all their earlier ones, and to the log it
extended. Before signing, the writer checks that its previous event is still
the last one in its name and that its own key vouches for the chain stored in
``reviewer_keys``: it never extends a chain someone else wrote into.

That makes verification cheap: an Ed25519 verify costs ~60 us (100,000 events
would be 6 s on one core, 2.5x the whole chain check at 12x), but only each
actor's last signature (and each key registration) needs checking to prove
every event in the log was written with its actor's key; ``every=True`` checks
each event's signature too, in batches on a thread pool (OpenSSL's verify runs
without the GIL, measured 2x on 2 cores), to name exactly which one is bad.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import stat
import threading
from collections import deque
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALGORITHM = "ed25519"
EVENT_DOMAIN = b"workbench.audit.signature.v1\n"
CHECKPOINT_DOMAIN = b"workbench.audit.checkpoint-signature.v1\n"
REGISTER_ACTION = "key.register"
SIGNING_BEGINS_ACTION = "audit.signing_begins"


class SigningError(RuntimeError):
    """A key that cannot be created, read or used: the write it was for does not happen."""


_KEYS_DIRS: dict[tuple[str | None, str | None, str | None], Path] = {}  # the variables read below -> the folder


def keys_dir() -> Path:
    """``$WORKBENCH_KEYS_DIR``, else ``workbench/keys`` in ``$XDG_CONFIG_HOME`` or ``~/.config`` (asked on every
    audited write: the folder is worked out once per value of the variables it depends on)."""
    environ = os.environ
    where = (environ.get("WORKBENCH_KEYS_DIR"), environ.get("XDG_CONFIG_HOME"), environ.get("HOME"))
    found = _KEYS_DIRS.get(where)
    if found is None:
        explicit, config, _home = where
        if explicit:
            found = Path(explicit)
        else:
            found = Path(config or str(Path.home() / ".config")) / "workbench" / "keys"
        _KEYS_DIRS[where] = found
    return found


def key_path(actor: str, folder: Path | None = None) -> Path:
    """The key file of ``actor``: a readable slug plus a hash, so any name maps to one safe file name."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", actor).strip("._")[:40] or "reviewer"
    digest = hashlib.sha256(actor.encode("utf-8")).hexdigest()[:12]
    return (folder or keys_dir()) / f"{slug}-{digest}.key"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def fingerprint(public_key: str) -> str:
    """A short, comparable name for a public key (first 16 hex digits of its SHA-256)."""
    return hashlib.sha256(unb64(public_key)).hexdigest()[:16]


ACTOR_DOMAIN = b"workbench.audit.actor-chain.v1\n"


def actor_chain_start(actor: str) -> str:
    """Where an actor's own chain starts (bound to their name)."""
    return hashlib.sha256(ACTOR_DOMAIN + actor.encode("utf-8")).hexdigest()


def next_actor_chain(chain: str, event_hash: str) -> str:
    """The actor's chain extended by one of their events: it commits to every event in their name so far."""
    return hashlib.sha256(ACTOR_DOMAIN + chain.encode("ascii") + event_hash.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class Signer:
    actor: str
    private_key: Ed25519PrivateKey
    public_key: str  # base64 of the 32 raw bytes
    path: Path

    def sign_event(self, chain: str) -> str:
        """Sign an event by signing the actor's chain extended by its hash (:func:`next_actor_chain`)."""
        return b64(self.private_key.sign(EVENT_DOMAIN + chain.encode("ascii")))

    def sign_bytes(self, domain: bytes, message: bytes) -> str:
        return b64(self.private_key.sign(domain + message))


def _public_text(private_key: Ed25519PrivateKey) -> str:
    return b64(private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def _read_key(path: Path, actor: str) -> Signer:
    try:
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise SigningError(f"the key file {path} can be read by others (mode {stat.S_IMODE(mode):o}): "
                               f"run 'chmod 600 {path}' (and consider it exposed)")
        data = path.read_bytes()
        key = serialization.load_pem_private_key(data, password=None)
    except OSError as exc:
        raise SigningError(f"cannot read the key of {actor!r} at {path}: {exc.strerror or exc}") from None
    except (ValueError, TypeError) as exc:
        raise SigningError(f"{path} is not a workbench key: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(f"{path} is not an Ed25519 key")
    return Signer(actor, key, _public_text(key), path)


def _create_key(path: Path, actor: str) -> Signer:
    """Write a new key; if another process got there first, use the one it wrote."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path.parent, 0o700)
    except OSError as exc:
        raise SigningError(f"cannot create the key folder {path.parent}: {exc.strerror or exc}") from None
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)  # atomic, and never replaces a key someone already has
        except FileExistsError:
            return _read_key(path, actor)
    except OSError as exc:
        raise SigningError(f"cannot write the key of {actor!r} at {path}: {exc.strerror or exc}") from None
    finally:
        try:
            os.unlink(temporary)
        except OSError:
            pass
    return Signer(actor, key, _public_text(key), path)


_SIGNERS: dict[Path, Signer] = {}
_PATHS: dict[tuple[str, Path], Path] = {}  # (actor, keys_dir()) -> key_path(actor)
_LOCK = threading.Lock()


def signer_for(actor: str) -> Signer:
    """The actor's key from the user's config directory, created on first use (cached per process)."""
    where = (actor, keys_dir())
    path = _PATHS.get(where)
    if path is None:  # every audited write asks: the slug and hash are worked out once per actor and folder
        path = _PATHS[where] = key_path(actor, where[1])
    signer = _SIGNERS.get(path)
    if signer is not None:
        return signer
    with _LOCK:
        signer = _SIGNERS.get(path)
        if signer is None:
            signer = _read_key(path, actor) if path.exists() else _create_key(path, actor)
            _SIGNERS[path] = signer
    return signer


def public_key_object(public_key: str) -> Ed25519PublicKey:
    raw = unb64(public_key)
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def verify_bytes(public_key: str, domain: bytes, message: bytes, signature: str) -> bool:
    try:
        public_key_object(public_key).verify(unb64(signature), domain + message)
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False


def sign_checkpoint(checkpoint, signer: Signer):
    """``checkpoint`` signed by ``signer`` (a new :class:`workbench.audit.Checkpoint`)."""
    from dataclasses import replace

    named = replace(checkpoint, signer=signer.actor, public_key=signer.public_key, signature="")
    return replace(named, signature=signer.sign_bytes(CHECKPOINT_DOMAIN, named.signed_body()))


def checkpoint_problems(checkpoint, keys: Mapping[str, str]) -> list[str]:
    """What is wrong with a checkpoint's signature, given the keys the log registers (actor -> key)."""
    if checkpoint.signer is None:
        return ["the checkpoint is not signed (an old one): make a new one with 'workbench audit checkpoint'"]
    if not verify_bytes(checkpoint.public_key, CHECKPOINT_DOMAIN, checkpoint.signed_body(), checkpoint.signature):
        return ["the checkpoint's signature does not verify: it was changed after it was signed"]
    registered = keys.get(checkpoint.signer)
    if registered != checkpoint.public_key:
        known = f"key {fingerprint(registered)}" if registered else "no key"
        return [f"the checkpoint is signed by {checkpoint.signer} with key {fingerprint(checkpoint.public_key)},"
                f" but the log registers {known} for {checkpoint.signer}"]
    return []


# -- verifying a log's signatures ----------------------------------------------------------------

_BATCH = 2048


def _verify_batch(items: list[tuple[int, str, Ed25519PublicKey, bytes, bytes]]) -> list[tuple[int, str]]:
    bad = []
    for seq, actor, key, signature, message in items:
        try:
            key.verify(signature, message)
        except InvalidSignature:
            bad.append((seq, actor))
    return bad


@dataclass
class _Actor:
    key_text: str
    key: Ed25519PublicKey
    chain: str
    last_seq: int
    last_signature: str | None = None  # None once that event's signature is queued for checking


class SignatureChecker:
    """Checks the log's signatures against the key registered for each actor at that point of the log.

    Feed events in order. Each actor's events form their own chain
    (:func:`next_actor_chain`), and each event is signed over the actor's
    chain as it extends it: one valid signature vouches for that event *and*
    every earlier event in the actor's name. So by default only each actor's
    last event and every key registration are verified (a few signatures
    however long the log); ``every=True`` also verifies every event's own
    signature (on a thread pool, ~60 us each), which names a bad one exactly.

    Key registrations take effect as they come: an actor's first
    ``key.register`` must be signed by the key it registers, a later one (a
    new key) by the key it replaces. Events before an ``audit.signing_begins``
    marker (the log as it was when signing was added to an existing database)
    may be unsigned; there is at most one marker and no signed event before
    it. Everything else must carry a signature.
    """

    def __init__(self, *, every: bool = False, workers: int | None = None) -> None:
        self.every = every
        self.actors: dict[str, _Actor] = {}
        self.problems: list[str] = []
        self.problem_count = 0
        self.signed = 0  # events carrying a signature from a registered key
        self.verified = 0  # signatures actually checked
        self.legacy = 0  # unsigned events before the marker
        self._unsigned_before_marker: list[int] = []
        self._marker_seen = False
        self._signed_seen = False
        self._batch: list[tuple[int, str, Ed25519PublicKey, bytes, bytes]] = []
        self._pending: deque[Future] = deque()
        workers = workers if workers is not None else min(4, os.cpu_count() or 1)
        self._pool = ThreadPoolExecutor(max_workers=workers) if workers > 1 and every else None

    @property
    def keys(self) -> dict[str, str]:
        """actor -> public key registered for them at the end of the log."""
        return {actor: state.key_text for actor, state in self.actors.items()}

    @property
    def chains(self) -> dict[str, tuple[str, int]]:
        """actor -> (their chain, seq of their last event), as ``reviewer_keys`` should hold them."""
        return {actor: (state.chain, state.last_seq) for actor, state in self.actors.items()}

    def _problem(self, text: str) -> None:
        self.problem_count += 1
        if len(self.problems) < 100:
            self.problems.append(text)

    def feed(self, event: Mapping[str, Any]) -> None:
        seq, actor, action = event.get("seq"), event.get("actor"), event.get("action")
        signature = event.get("signature")
        if action == SIGNING_BEGINS_ACTION and signature is None:
            if self._marker_seen or self._signed_seen:
                self._problem(f"event {seq}: a second 'signing begins' marker, or one after signed events")
            else:
                self._marker_seen = True
                self.legacy = len(self._unsigned_before_marker)
                self._unsigned_before_marker = []
            return
        if signature is None:
            if self._marker_seen or self._signed_seen:
                self._problem(f"event {seq} by {actor}: not signed")
            else:
                self._unsigned_before_marker.append(seq)
            return
        self._signed_seen = True
        state = self.actors.get(actor)
        event_hash = event.get("hash")
        if not isinstance(event_hash, str):
            self._problem(f"event {seq} by {actor}: no hash to check the signature against")
            return
        if action == REGISTER_ACTION:
            new_key = self._registered_key(event)
            if new_key is None:
                self._problem(f"event {seq} by {actor}: a key registration without a valid Ed25519 public key")
                return
            # The first key proves possession of itself; a replacement is signed by the key it replaces.
            chain = next_actor_chain(actor_chain_start(actor) if state is None else state.chain, event_hash)
            self._queue(seq, actor, new_key[1] if state is None else state.key, signature, chain)
            self.actors[actor] = _Actor(new_key[0], new_key[1], chain, seq, None)
            self.signed += 1
            return
        if state is None:
            self._problem(f"event {seq} by {actor}: {actor} has no registered key at this point of the log")
            return
        self.signed += 1
        state.chain = chain = next_actor_chain(state.chain, event_hash)
        state.last_seq = seq
        if self.every:
            self._queue(seq, actor, state.key, signature, chain)
            state.last_signature = None
        else:
            state.last_signature = signature

    @staticmethod
    def _registered_key(event: Mapping[str, Any]) -> tuple[str, Ed25519PublicKey] | None:
        after = event.get("after")
        if isinstance(after, str):
            import json

            try:
                after = json.loads(after)
            except ValueError:
                return None
        if not isinstance(after, Mapping) or after.get("algorithm") != ALGORITHM:
            return None
        try:
            text = after["public_key"]
            return text, public_key_object(text)
        except (KeyError, ValueError, TypeError):
            return None

    def _queue(self, seq: int, actor: str, key: Ed25519PublicKey, signature: str, chain: str) -> None:
        try:
            raw = unb64(signature)
        except (ValueError, TypeError):
            self._problem(f"event {seq} by {actor}: the signature is not base64")
            return
        self.verified += 1
        self._batch.append((seq, actor, key, raw, EVENT_DOMAIN + chain.encode("ascii")))
        if len(self._batch) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        batch, self._batch = self._batch, []
        if not batch:
            return
        if self._pool is None:
            self._record(_verify_batch(batch))
            return
        self._pending.append(self._pool.submit(_verify_batch, batch))
        while len(self._pending) > 8:  # bounded memory: at most a few batches in flight
            self._record(self._pending.popleft().result())

    def _record(self, bad: list[tuple[int, str]]) -> None:
        for seq, actor in bad:
            covers = "" if self.every or self.actors[actor].last_seq != seq else (
                f" (it vouches for every earlier event of {actor}: 'audit verify --every-signature' names the"
                " first one that is not theirs)")
            self._problem(f"event {seq} by {actor}: the signature does not verify with {actor}'s registered key"
                          + covers)

    def finish(self) -> list[str]:
        """Check what is left and wait for the batches in flight; the problems found, in log order
        (first 100; ``problem_count`` counts all)."""
        for actor, state in self.actors.items():
            if state.last_signature is not None:
                self._queue(state.last_seq, actor, state.key, state.last_signature, state.chain)
                state.last_signature = None
        self._flush()
        while self._pending:
            self._record(self._pending.popleft().result())
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if self._unsigned_before_marker:
            first = self._unsigned_before_marker[0]
            self._problem(f"{len(self._unsigned_before_marker)} unsigned events (from seq {first}) before any"
                          " signed event, with no 'signing begins' marker")
        self.problems.sort(key=_seq_of)
        return self.problems


def _seq_of(problem: str) -> int:
    match = re.match(r"event (\d+)", problem)
    return int(match.group(1)) if match else 0
