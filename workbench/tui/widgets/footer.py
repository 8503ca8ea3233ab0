"""The review screen's footer: Textual's Footer, recomposed once per frame however often the bindings change.

Footer recomposes (all its keys unmounted, new ones mounted and styled) on
every "bindings changed" signal, and a start-up sends several in one frame
(the screen pushed, focus set, the app focused): with the review screen's ten
keys each recompose costs milliseconds of the first screen. Here a signal that
arrives while a recompose is already scheduled changes nothing: the scheduled
one reads the bindings as they are when it runs.
"""

from __future__ import annotations

from textual.widgets import Footer


class ReviewFooter(Footer):
    _recompose_scheduled = False

    def bindings_changed(self, screen) -> None:
        if not self._recompose_scheduled:
            super().bindings_changed(screen)

    def call_after_refresh(self, callback, *args, **kwargs) -> bool:
        if callback == self.recompose:  # Footer scheduling its recompose: note it, so another signal waits for it
            self._recompose_scheduled = True
        return super().call_after_refresh(callback, *args, **kwargs)

    async def recompose(self) -> None:
        self._recompose_scheduled = False
        await super().recompose()
