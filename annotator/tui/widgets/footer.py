"""A ``Footer`` that is rebuilt only when the keys it shows change.

Textual's ``Footer`` removes and mounts all its keys again on every "bindings changed" signal
(a focus change, a screen pushed, the app focused...), several times while the annotation
screen starts, each time the same keys. Right after the first paint that work competes with
the workers (wrapping a big article, opening the database) and delays the first keys
pressed. Here the keys are composed with the footer (Textual's starts empty and fills itself
after the first paint) and a signal whose keys, descriptions and enabled states equal those
shown is ignored.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

# one key as shown: key, action, description, key display, enabled, tooltip, shown
ShownKey = tuple[str, str, str, str, bool, str, bool]


class BindingsFooter(Footer):
    _shown: tuple[ShownKey, ...] | None = None

    def _keys(self, screen: Screen[Any]) -> tuple[ShownKey, ...]:
        app = self.app
        return tuple(
            (key, binding.action, binding.description, app.get_key_display(binding), enabled, tooltip, binding.show)
            for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items()
            if binding.show or key == app.COMMAND_PALETTE_BINDING
        )

    def compose(self) -> ComposeResult:
        # Textual's footer starts empty and fills itself after the first paint; here the
        # keys are on the first frame (a later signal with the same keys changes nothing)
        if not self._bindings_ready and self.screen.is_attached:
            self._bindings_ready = True
            self._shown = self._keys(self.screen)
        yield from super().compose()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        will_rebuild = screen.app.app_focus and self.is_attached and screen is self.screen
        if will_rebuild:
            keys = self._keys(screen)
            if self._bindings_ready and keys == self._shown:
                return
            self._shown = keys
        super().bindings_changed(screen)
