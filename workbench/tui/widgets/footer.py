"""The review screen's footer: Textual's Footer, composed once with the screen and recomposed only when the keys
it shows change.

Textual's Footer composes nothing at first, then recomposes (all its keys
unmounted, new ones mounted and styled) after the first frame and again on
every "bindings changed" signal: a start-up sends several (the screen pushed,
focus set, and once more after the first refresh), each a few milliseconds of
the first screen with the review screen's ten keys, and each but the first
recomposes the same keys. Here the keys are composed with the screen (the
screen shows its first claim before composing, so they are enabled as they
will be), a signal that arrives while a recompose is already scheduled changes
nothing (the scheduled one reads the bindings as they are when it runs), and
a recompose that would mount the same keys does nothing.
"""

from __future__ import annotations

from textual.reactive import Reactive
from textual.widgets import Footer


class ReviewFooter(Footer):
    BLANK = True  # only its background shows between its keys (a blank widget still paints that). Its container
    # is the screen, so Textual renders it in every frame: blank, that is one strip, not its styled line

    _recompose_scheduled = False
    _composed: tuple | None = None  # what the mounted keys show (see _keys)

    def _keys(self) -> tuple:
        """Everything Footer.compose reads: the bindings shown (and the palette's), with their state and display."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return (self.compact, self.show_command_palette, self.combine_groups, self.app.ENABLE_COMMAND_PALETTE,
                tuple((key, binding.key, self.app.get_key_display(binding), binding.action, binding.description,
                       binding.group, enabled, tooltip)
                      for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
                      if binding.show or key == palette))

    def compose(self):
        if self._composed is None:
            # compose the keys with the screen, not after its first frame: Footer composes nothing until it has
            # been told the bindings changed (its public hook), which Textual does only after the first refresh.
            # The recompose the hook schedules finds the same keys mounted and does nothing (see recompose)
            super().bindings_changed(self.screen)
        self._composed = self._keys()
        for widget in super().compose():
            # Footer binds each binding's key's `compact` to its own (data_bind), and the key's default differs
            # from the footer's: the key took the default's style class at mount and dropped it at once when the
            # binding set it, two restylings of each of the nine keys before the first paint. Given the footer's
            # value from the start, it has the right class at mount (the binding then changes nothing). The
            # command palette's key is not bound: it keeps its own default.
            bound = getattr(type(widget), "compact", None)
            if isinstance(bound, Reactive) and not widget.has_class("-command-palette"):
                widget.set_reactive(bound, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen) -> None:
        if not self._recompose_scheduled:
            super().bindings_changed(screen)

    def call_after_refresh(self, callback, *args, **kwargs) -> bool:
        if callback == self.recompose:  # Footer scheduling its recompose: note it, so another signal waits for it
            self._recompose_scheduled = True
        return super().call_after_refresh(callback, *args, **kwargs)

    async def recompose(self) -> None:
        self._recompose_scheduled = False
        if self.is_attached and self._composed is not None and self._keys() == self._composed:
            return  # the same keys as those mounted
        await super().recompose()
