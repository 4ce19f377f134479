"""Everything the annotate screen shows, as plain data: ``AnnotateState``. No Textual here.

The screen hands each event to the state (a document opened, a command's outcome, the cursor
moved, suggestions arrived); the state updates its facts and returns a ``Change``: which
parts of the screen now show something else. The screen renders from the state in one place
and only the parts named, so a cursor move that changes nothing on the side panel rebuilds
none of it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import Flag, auto
from typing import TYPE_CHECKING

from annotator.tui import textmodel as tm

if TYPE_CHECKING:  # the database side is imported once the database is open
    from annotator.services.commands.annotate import Outcome
    from annotator.services.queue_window import QueueWindow
    from annotator.services.records import OpenedDocument, OpenSuggestion, SpanData


class Change(Flag):
    """Parts of the annotate screen to render again."""

    NONE = 0
    TOPBAR = auto()
    SIDE = auto()  # the span list, the selected span's attributes, the suggestion under the cursor
    HIGHLIGHT = auto()  # the selected span's highlight in the article
    QUEUE = auto()
    LEGEND = auto()
    ALL = TOPBAR | SIDE | HIGHLIGHT | QUEUE | LEGEND


def span_view(span: SpanData) -> tm.SpanView:
    return tm.SpanView(span.id, span.label, span.start, span.end)


def suggestion_view(row: OpenSuggestion) -> tm.SpanView:
    return tm.SpanView(row.id, row.label, row.start, row.end)


@dataclass(frozen=True)
class TopBarFacts:
    """What the top bar says (compared: an unchanged bar is not drawn again)."""

    shown: bool
    annotator: str
    title: str = ""
    position: int = 0
    documents: int = 0
    status: str = ""
    spans: int = 0
    suggestions: int = 0
    review: str = ""  # the one-at-a-time review's state, when it runs
    progress: float | None = None  # suggesting…
    retraining: bool = False
    has_document: bool = False


@dataclass
class AnnotateState:
    annotator_name: str
    shown: bool = False  # nothing read yet: the top bar says the database is opening
    doc: OpenedDocument | None = None
    spans: dict[int, SpanData] = field(default_factory=dict)
    status: tuple[str, str] = ("todo", "")
    queue: QueueWindow | None = None  # where the document stands in the queue (a window of its rows)
    suggestions: dict[int, OpenSuggestion] = field(default_factory=dict)
    selected_id: int | None = None
    pinned: tuple[int, int] | None = None  # (span id, cursor offset) chosen by tab or tagging
    suggestion_here: int | None = None  # the suggestion the side panel shows (none selected)
    char_mode: bool = False
    matches: list[tuple[int, int]] = field(default_factory=list)
    match_index: int | None = None  # the match last jumped to (n / N step from it)
    spans_total: int | None = None  # while only a big document's first spans are shown
    opened_at: float = field(default_factory=time.monotonic)

    # ------------------------------------------------------------------ documents

    def opened(self, doc: OpenedDocument | None, queue: QueueWindow) -> Change:
        """Another document (or none) is shown from the start."""
        self.shown = True
        self.queue = queue
        self.doc = doc
        self.opened_at = time.monotonic()
        self.matches, self.match_index = [], None
        self.spans = {s.id: s for s in doc.spans} if doc is not None else {}
        self.selected_id = self.pinned = self.suggestion_here = None
        if doc is not None:
            self.suggestions = {}
            self.status = (doc.status, doc.note)
        return Change.ALL

    def reread(self, doc: OpenedDocument, queue: QueueWindow) -> Change:
        """The shown document as the services read it again (spans, status, queue may differ)."""
        self.spans_total = None
        self.doc = doc
        self.queue = queue
        self.spans = {s.id: s for s in doc.spans}
        self.status = (doc.status, doc.note)
        self.pinned = self.selected_id = None
        return Change.ALL

    def take_seconds(self) -> float:
        """Time on the shown document since it opened (or since last taken)."""
        now = time.monotonic()
        seconds, self.opened_at = now - self.opened_at, now
        return seconds

    def position(self) -> int:
        """The shown document's place in the whole queue, from 1 (0: not in it)."""
        if self.doc is None or self.queue is None or self.queue.position is None:
            return 0
        return self.queue.position + 1

    # ------------------------------------------------------------------ changes from the database

    def apply_outcome(self, outcome: Outcome) -> tuple[Change, int]:
        """A command's stored result; returns what changed and the change in the span count."""
        before = len(self.spans)
        for span_id, span in outcome.spans.items():
            if span is None:
                self.spans.pop(span_id, None)
            else:
                self.spans[span_id] = span
        if outcome.status is not None:
            self.status = outcome.status
        self._merge_suggestions(outcome.suggestions)
        if self.selected_id is not None and self.selected_id not in self.spans:
            self.selected_id = None
        return Change.TOPBAR | Change.SIDE | Change.HIGHLIGHT | Change.QUEUE, len(self.spans) - before

    def show_suggestions(self, changes: dict[int, OpenSuggestion | None], *, every: bool = False) -> Change:
        """Open suggestions (None: gone); ``every``: they are all there are."""
        if every:
            self.suggestions = {sid: row for sid, row in changes.items() if row is not None}
        else:
            self._merge_suggestions(changes)
        return Change.TOPBAR | Change.SIDE

    def _merge_suggestions(self, changes: dict[int, OpenSuggestion | None]) -> None:
        for sid, row in changes.items():
            if row is None:
                self.suggestions.pop(sid, None)
            else:
                self.suggestions[sid] = row

    # ------------------------------------------------------------------ the cursor

    def pin(self, span_id: int, cursor: int) -> None:
        """``span_id`` is the selected span while the cursor stays at ``cursor`` (tab, a new tag)."""
        self.pinned = (span_id, cursor)

    def select(self, cursor: int, innermost: int | None, suggestion: int | None) -> Change:
        """The cursor is at ``cursor`` over span ``innermost`` and suggestion ``suggestion``:
        the selected span is the pinned one while the cursor stays, else the innermost."""
        pinned = self.spans.get(self.pinned[0]) if self.pinned is not None else None
        if pinned is not None and self.pinned is not None and self.pinned[1] == cursor:
            chosen: int | None = pinned.id
        else:
            self.pinned = None
            chosen = innermost
        here = suggestion if chosen is None and self.suggestions else None
        changed = Change.NONE
        if chosen != self.selected_id:
            self.selected_id = chosen
            changed |= Change.HIGHLIGHT | Change.SIDE
        if here != self.suggestion_here:
            self.suggestion_here = here
            changed |= Change.SIDE
        return changed

    @property
    def selected(self) -> SpanData | None:
        return self.spans.get(self.selected_id) if self.selected_id is not None else None

    def toggle_char_mode(self) -> Change:
        self.char_mode = not self.char_mode
        return Change.LEGEND

    # ------------------------------------------------------------------ search

    def search(self, query: str) -> int:
        """Find ``query`` in the document; the number of matches."""
        self.matches = tm.find_matches(self.doc.text, query) if self.doc is not None else []
        self.match_index = None
        return len(self.matches)

    def match_from(self, here: int, step: int) -> tuple[int, int, int] | None:
        """The next match after (``step`` < 0: before) offset ``here``, wrapping: (start, end, number).

        From the match last jumped to (the cursor still within it), the step is counted in matches,
        so ``N`` goes to the one before it rather than finding the same match again."""
        if not self.matches:
            return None
        current = self.match_index
        if current is not None and self.matches[current][0] <= here <= self.matches[current][1]:
            index = (current + (1 if step > 0 else -1)) % len(self.matches)
        elif step > 0:
            index = next((i for i, m in enumerate(self.matches) if m[0] > here), 0)
        else:
            index = next((i for i in range(len(self.matches) - 1, -1, -1) if self.matches[i][0] < here), -1)
            index %= len(self.matches)
        self.match_index = index
        start, end = self.matches[index]
        return start, end, index + 1

    # ------------------------------------------------------------------ the top bar

    def topbar(self, *, review: str, progress: float | None, retraining: bool) -> TopBarFacts:
        if not self.shown or self.doc is None:
            return TopBarFacts(self.shown, self.annotator_name)
        return TopBarFacts(
            True,
            self.annotator_name,
            title=self.doc.title,
            position=self.position(),
            documents=self.queue.documents if self.queue is not None else 0,
            status=self.status[0],
            spans=self.spans_total if self.spans_total is not None else len(self.spans),
            suggestions=len(self.suggestions),
            review=review,
            progress=progress,
            retraining=retraining,
            has_document=True,
        )
