"""Both apps driven as a session reads: ``put_cursor_on("rebels")``, ``tag("LOCATION")``, ``undo()``.

Every step presses the real keys through Textual's Pilot: the key bound to a binding id is
looked up in the screen's public ``active_bindings``, so a remapped key is pressed as the user
would press it. After a step the driver waits until the app says it has ``settled()`` (no
database step waits or runs and the screen shows what the database holds). What was stored is
read back through the services (``spans_in_db``), never from the screen's attributes.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from annotator.schemas.labels import load_default_schema
from support import reads
from support.screen import Notices, screen_text

ANNOTATOR = reads.ANNOTATOR
SIZE = (160, 40)  # wide enough that no line of the test articles wraps


async def settle(pilot: Any, patience: float = 60.0) -> None:
    """Wait until the app has settled: every database step answered and shown.

    It waits on the app's own word, not on a clock: ``patience`` only bounds how long a
    loaded machine may take before the test gives up (it is not a performance assertion).
    """
    app = pilot.app
    deadline = time.monotonic() + patience
    rounds = 0
    while time.monotonic() < deadline:
        rounds += 1
        # first a burst of plain message-queue rounds; then short sleeps so a slow worker
        # thread on a busy machine gets the core
        await pilot.pause(None if rounds < 50 else 0.01)
        await app.workers.wait_for_complete()
        if app.settled():
            await pilot.pause()
            return
    raise AssertionError(f"{type(app).__name__} never settled")


async def press(pilot: Any, *keys: str) -> None:
    """Press keys one by one, waiting for the database after each."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


class _Session:
    """What both apps share: keys by binding id, undo/redo, documents, the screen as text."""

    PREFIX = ""  # binding ids of the app's main screen: "annotate." or "review."

    def __init__(self, pilot: Any, url: str, name: str, notices: Notices) -> None:
        self.pilot = pilot
        self.url = url
        self.name = name
        self.notices = notices

    @property
    def app(self) -> Any:
        return self.pilot.app

    async def settle(self) -> None:
        await settle(self.pilot)

    async def press(self, *keys: str) -> None:
        """Press keys one after another, then wait for the database."""
        await self.pilot.press(*keys)
        await self.settle()

    async def type(self, text: str) -> None:
        """Type text into whatever has the focus (no wait: a form is not saved by typing)."""
        await self.pilot.press(*("space" if ch == " " else ch for ch in text))

    def key_for(self, binding_id: str) -> str:
        """The key the user presses for ``binding_id`` on the current screen (remapped or not)."""
        for key, active in self.app.active_bindings.items():
            if active.binding.id == binding_id:
                return str(key)
        ids = sorted({a.binding.id for a in self.app.active_bindings.values() if a.binding.id})
        raise AssertionError(f"no key for {binding_id} on {type(self.app.screen).__name__}; bound: {', '.join(ids)}")

    async def press_binding(self, binding_id: str) -> None:
        await self.press(self.key_for(binding_id))

    async def undo(self) -> None:
        await self.press_binding(f"{self.PREFIX}undo")

    async def redo(self) -> None:
        await self.press_binding(f"{self.PREFIX}redo")

    async def next_document(self) -> None:
        await self.press_binding(f"{self.PREFIX}next_doc")

    async def previous_document(self) -> None:
        await self.press_binding(f"{self.PREFIX}prev_doc")

    def screen_text(self) -> str:
        return screen_text(self.app)


class AnnotateSession(_Session):
    """The annotation app, as the annotator ``name`` uses it."""

    PREFIX = "annotate."

    async def put_cursor_on(self, needle: str) -> None:
        """Put the cursor on the start of the next ``needle`` (searched from the cursor on, as ``/`` does)."""
        await self.select(needle)
        await self.press_binding("annotate.cancel")  # the match stays under the cursor, unselected

    async def select(self, needle: str) -> None:
        """Select the next ``needle`` (searched from the cursor on, as ``/`` does)."""
        seen = len(self.notices.messages)
        await self.pilot.press(self.key_for("annotate.search"))
        await self.type(needle)
        await self.press("enter")
        if any(m.startswith("No match for") for m in self.notices.messages[seen:]):
            raise AssertionError(f"the article has no {needle!r}")

    async def extend_by_words(self, words: int = 1) -> None:
        """Grow the selection (or start one at the cursor) by whole words to the right."""
        for _ in range(words):
            await self.pilot.press(self.key_for("doc.select_word_right"))
        await self.settle()

    async def tag(self, label: str) -> None:
        """Tag the selection, or the word under the cursor, with ``label`` (its key, as remapped)."""
        await self.press_binding(f"label.{label}")

    async def tag_all(self) -> None:
        """Tag every other occurrence of the current span's text the same way."""
        await self.press_binding("annotate.tag_all")

    async def next_span(self) -> None:
        await self.press_binding("annotate.next_span")

    async def previous_span(self) -> None:
        await self.press_binding("annotate.prev_span")

    async def delete(self) -> None:
        """Delete the span under the cursor (or the one selected with tab)."""
        await self.press_binding("annotate.delete_span")

    async def open_attributes(self) -> Any:
        """Open the attribute form of the current span; returns the form screen."""
        await self.press_binding("annotate.attributes")
        return self.app.screen

    async def save_form(self) -> None:
        await self.press_binding("form.save")

    async def mark_done(self) -> None:
        await self.press_binding("annotate.done")

    async def skip(self, reason: str = "") -> None:
        """Skip the document, giving ``reason`` in the box that asks for one."""
        await self.press_binding("annotate.skip")
        await self.type(reason)
        await self.press("enter")

    def spans_in_db(self, annotator: str | None = None, document_id: int | None = None) -> list[tuple[str, str]]:
        """(label, text) of ``annotator``'s stored spans (default: this session's), in text order."""
        return reads.spans(self.url, annotator or self.name, document_id=document_id)

    def span_rows_in_db(self, annotator: str | None = None) -> list[Any]:
        return reads.span_rows(self.url, annotator or self.name)

    def status_in_db(self, document_id: int, annotator: str | None = None) -> tuple[str, str, float] | None:
        return reads.status_of(self.url, document_id, annotator or self.name)

    def document_in_db(self) -> int | None:
        """The document the annotator has open, as the database remembers it (opening one records it)."""
        return reads.last_document(self.url, self.name)


class ReviewSession(_Session):
    """The review app, as the lead adjudicating into the gold annotator uses it."""

    PREFIX = "review."

    def __init__(self, pilot: Any, url: str, name: str, notices: Notices, gold: str) -> None:
        super().__init__(pilot, url, name, notices)
        self.gold = gold

    async def open_document(self) -> None:
        """Open the highlighted document of the list (its first open disagreement is current)."""
        await self.press("enter")

    async def accept(self, version: int) -> None:
        """Accept annotator ``version``'s version (1-9: their order on the screen) of the current group."""
        await self.press_binding(f"review.accept_{version}")

    async def reject(self) -> None:
        """None of these: the current group gets no gold span."""
        await self.press_binding("review.reject")

    async def accept_agreed(self) -> None:
        await self.press_binding("review.accept_agreed")

    async def next_disagreement(self) -> None:
        await self.press_binding("review.next")

    async def mark_done(self) -> None:
        """Mark the document adjudicated (refused while a group is open)."""
        await self.press_binding("review.adjudicated")

    def gold_in_db(self) -> list[tuple[Any, ...]]:
        return reads.gold(self.url, self.gold)

    def decisions_in_db(self) -> list[tuple[str, str, str]]:
        return reads.decisions(self.url, self.gold)

    def gold_status_in_db(self, document_id: int) -> str | None:
        return reads.gold_status(self.url, document_id, self.gold)


def annotate_app(url: str, name: str = ANNOTATOR, **kwargs: Any) -> Any:
    """The annotation app for ``name`` on ``url`` with the default schema (as the CLI builds it)."""
    from annotator.tui.app import make_app

    return make_app(url, name, load_default_schema(), **kwargs)


def review_app(url: str, annotators: Sequence[str] = (), gold: str = "gold", lead: str = "lena") -> Any:
    """The review app: ``lead`` adjudicates ``annotators`` (default: every one) into ``gold``."""
    from annotator.tui.review_app import make_review_app

    return make_review_app(url, list(annotators), gold, load_default_schema(), lead)


@asynccontextmanager
async def annotating(
    url: str, name: str = ANNOTATOR, *, size: tuple[int, int] = SIZE, **app_options: Any
) -> AsyncIterator[AnnotateSession]:
    """The annotation app running headless for ``name``, settled on its first document."""
    app = annotate_app(url, name, **app_options)
    notices = Notices(app)
    async with app.run_test(size=size) as pilot:
        session = AnnotateSession(pilot, url, name, notices)
        await session.settle()
        yield session


@asynccontextmanager
async def reviewing(
    url: str,
    annotators: Sequence[str] = (),
    *,
    gold: str = "gold",
    lead: str = "lena",
    size: tuple[int, int] = (120, 36),
) -> AsyncIterator[ReviewSession]:
    """The review app running headless for ``lead``, settled on its document list."""
    app = review_app(url, annotators, gold, lead)
    notices = Notices(app)
    async with app.run_test(size=size) as pilot:
        session = ReviewSession(pilot, url, lead, notices, gold)
        await session.settle()
        yield session
