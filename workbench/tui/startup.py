"""What keeps the review screen's start and its keys quick: counts taken while the screen is built, and the
garbage collector kept out of a key's latency. Neither draws anything; the app wires them in."""

from __future__ import annotations

import gc
import threading
import time
from concurrent.futures import Future
from pathlib import Path

from workbench.review.session import QueueFilter
from workbench.store.db import open_second

IDLE_SECONDS = 2.0  # no key for this long: a full garbage collection now will not land in a key's latency
OLDEST_FACTOR = 10  # automatic full collections this much rarer once the start-up objects are frozen


def count_in_background(db_path: Path, reviewer: str) -> Future:
    """Count the to-do queue and the overall progress on a connection of its own while the screen is built
    (each count walks the claims index: ~13 ms on 100k claims; SQLite lets go of the GIL meanwhile)."""
    from workbench.store import review

    counted: Future = Future()

    def run() -> None:
        try:
            db = open_second(db_path)
            try:
                counted.set_result(review.start_counts(db, reviewer))
            finally:
                db.close()
        except BaseException as exc:  # the screen counts on its own connection instead
            counted.set_exception(exc)

    threading.Thread(target=run, name="startup counts", daemon=True).start()
    return counted


class CollectorPause:
    """After the first paint everything the app keeps is allocated: ``freeze`` moves it out of the collector's
    view, so full collections (27-36 ms each on 100k claims) stop landing in the key latency. No gc.collect()
    first: it would hold the first screen back by as long (the few cycles left from start-up stay, frozen).
    Full collections of what came since still cost 10-18 ms each and ran every ~15 keys (the caches' churn
    promotes objects to the oldest generation): they are made OLDEST_FACTOR times rarer by themselves, and one
    runs when the reviewer pauses (``collect_if_idle``). ``restore`` puts the thresholds back."""

    def __init__(self) -> None:
        # What the imports made (modules, classes, functions: ~200,000 objects) lives as long as the process:
        # out of the collector's view from now on, so the collections start-up triggers (one full one took
        # ~15 ms, with the young ones ~25 ms more than a bare Textual app's) walk only what start-up makes
        gc.freeze()
        self._threshold: tuple[int, int, int] | None = None  # the collector's, before freeze changed them
        self._last_key = time.monotonic()
        self._keys = 0  # keys since the last full collection
        self._paused = False  # the collector disabled by pause_until_painted (and enabled by freeze)

    def pause_until_painted(self) -> None:
        """No collection between the app's mount and its first paint (~9 ms of young-generation collections on
        the first screen's path): what start-up allocates is kept anyway, and freeze takes it all right after."""
        if self._threshold is None and gc.isenabled():
            gc.disable()
            self._paused = True

    def freeze(self) -> None:
        if self._threshold is None:
            gc.freeze()
            self._threshold = gc.get_threshold()
            young, middle, old = self._threshold
            gc.set_threshold(young, middle, old * OLDEST_FACTOR)
        self._resume()

    def _resume(self) -> None:
        if self._paused:
            self._paused = False
            gc.enable()

    def key(self, at: float) -> None:
        self._last_key = at
        self._keys += 1

    def collect_if_idle(self) -> None:
        """A full collection once no key has come for IDLE_SECONDS (and some came since the last)."""
        if self._threshold is not None and self._keys and time.monotonic() - self._last_key >= IDLE_SECONDS:
            self._keys = 0
            gc.collect()

    def restore(self) -> None:
        self._resume()  # an app that never painted (it failed to start) leaves the collector as it found it
        if self._threshold is not None:
            gc.set_threshold(*self._threshold)
