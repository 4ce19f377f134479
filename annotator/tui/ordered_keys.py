"""Keys reach what is open, in the order they were typed, while screens and focus change.

Textual routes a key to the widget focused when the app reads the key. When the app was busy
(a form being built, a database step being shown) several keys wait and are then routed in one
go, all to the widget focused *before* the first of them took effect: ``enter`` opens a form or
a list, and the keys after it still go to the widget behind. ``OrderedKeys`` (mixed into the
app) closes that gap:

- ``hold_keys(app)`` keeps every key typed from now on waiting until the returned ``release``
  is called (a screen holds them while a form opens after a database step);
- on a screen that sets ``ORDERED_KEYS = True`` (the forms) keys are passed on one at a time,
  each only after what the one before it set off has been handled (the screen and the widgets
  on it have processed their messages, focus and screen stay the same for a round).

Keys are never dropped: held keys are replayed in order to whatever is open then.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import Any

from textual import events
from textual.app import App

ROUNDS = 20  # at most this many rounds of "every node handled its messages" between two keys
ROUND_LIMIT = 2.0  # seconds one round may wait for a busy widget before the next key goes anyway


class KeyGate:
    """The keys waiting to be passed on, and the task passing them on one at a time."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.waiting: deque[events.Key | Callable[[], None]] = deque()  # keys, and what waits for them
        self.holds = 0
        self.passing: set[int] = set()  # ids of the replayed key events to let through
        self.task: asyncio.Task[None] | None = None

    @property
    def idle(self) -> bool:
        return not self.waiting and not self.holds and self.task is None

    def takes(self, event: events.Key) -> bool:
        """True: ``event`` waits its turn (the app must not handle it now)."""
        if id(event) in self.passing:
            self.passing.discard(id(event))
            return False
        ordered = bool(getattr(self.app.screen, "ORDERED_KEYS", False))
        if not (ordered or self.holds or self.waiting or self.task is not None):
            return False
        self.waiting.append(events.Key(event.key, event.character))
        self._start()
        return True

    def hold(self) -> Callable[[], None]:
        """Keep keys waiting until the returned function is called (once)."""
        self.holds += 1
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                self.holds -= 1
                self._start()

        return release

    def after_keys(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` in the keys' order: after every key typed so far was passed on and
        what it set off was handled (the app's own ``on_event`` posts no key after it)."""
        self.waiting.append(callback)
        self._start()

    def _start(self) -> None:
        if self.task is None and not self.holds and self.waiting:
            self.task = asyncio.get_running_loop().create_task(self._pass_on())

    async def _pass_on(self) -> None:
        try:
            await self._settle()  # what set off the wait (a form being mounted) is handled first
            while self.waiting and not self.holds and self.app.is_running:
                key = self.waiting.popleft()
                if not isinstance(key, events.Key):
                    key()
                    continue
                self.passing.add(id(key))
                if not self.app.post_message(key):
                    self.passing.discard(id(key))
                    break
                await self._settle()
        finally:
            self.task = None
        if self.waiting and not self.holds and self.app.is_running:
            self._start()

    async def _settle(self) -> None:
        """Until two rounds in a row find nothing left to do: every node of the screen (and the
        app) handles what is queued for it, so what a key set off (a list opening, a value
        chosen, focus moving, a new screen) has happened before the next key is passed on."""
        app = self.app
        quiet = 0
        for _ in range(ROUNDS):
            before = _shape(app)
            nodes = [app, *app.screen.walk_children(with_self=True)]
            loop = asyncio.get_running_loop()
            done: list[asyncio.Future[None]] = []
            for node in nodes:
                future: asyncio.Future[None] = loop.create_future()
                if node.call_later(_finish, future):
                    done.append(future)
            if done:
                await asyncio.wait(done, timeout=ROUND_LIMIT)
            busy = _shape(app) != before or any(node.message_queue_size for node in nodes)
            quiet = 0 if busy else quiet + 1
            if quiet >= 2:
                return


def _finish(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _shape(app: App[Any]) -> tuple[int, int, int]:
    screen = app.screen
    return id(screen), id(screen.focused), len(screen.walk_children())


class OrderedKeys(App[Any]):
    """Mixed into an app (first among its bases): every key goes through its ``KeyGate``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_gate = KeyGate(self)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and self.key_gate.takes(event):
            return
        await super().on_event(event)


def hold_keys(app: App[Any]) -> Callable[[], None]:
    """Hold the keys typed from now on until the returned function is called (a no-op release
    for an app without a gate)."""
    gate = getattr(app, "key_gate", None)
    return gate.hold() if isinstance(gate, KeyGate) else lambda: None
