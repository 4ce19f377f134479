"""The annotate screen's key actions for tagging, editing, moving and searching.

A mixin of ``AnnotateScreen`` (screens/annotate.py): each action reads the state, decides
with the pure helpers of tui/editing.py, and queues a command (``_run``) or moves the view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from annotator.tui import editing
from annotator.tui import textmodel as tm
from annotator.tui.ordered_keys import hold_keys
from annotator.untrusted import safe_line

if TYPE_CHECKING:
    from textual.screen import Screen

    from annotator.schemas.labels import LabelSchema, LinkAttr
    from annotator.schemas.preview import SchemaPreview
    from annotator.services.commands.annotate import AnnotateCommand, SpanEdit, StatusEdit
    from annotator.tui.annotate_state import AnnotateState, Change
    from annotator.tui.annotate_steps import AnnotateSteps
    from annotator.tui.controller import Controller
    from annotator.tui.dbjobs import DbJobs
    from annotator.tui.suggestion_review import SuggestionReview
    from annotator.tui.widgets.document_view import DocumentView
    from annotator.tui.widgets.queue import DocumentQueue
    from annotator.tui.widgets.search_bar import MatchCount, SearchBar

    _Screen = Screen[None]
else:
    _Screen = object


class AnnotateKeys(_Screen):
    """Mixed into ``AnnotateScreen``, which provides what is declared here."""

    state: AnnotateState
    controller: Controller | None
    schema: LabelSchema | SchemaPreview
    jobs: DbJobs
    steps: AnnotateSteps
    review: SuggestionReview
    _queue_shown: bool | None
    _queue_choice: bool | None

    if TYPE_CHECKING:

        @property
        def view(self) -> DocumentView: ...

        @property
        def queue(self) -> DocumentQueue: ...

        @property
        def search_bar(self) -> SearchBar: ...

        @property
        def match_count(self) -> MatchCount: ...

        def say(self, message: str, severity: str = "information") -> None: ...

        def render_state(self, changed: Change) -> None: ...

        def _run(self, build: Callable[[], AnnotateCommand | None]) -> None: ...

        def _sync_selected(self) -> None: ...

        def _show_queue(self, shown: bool) -> None: ...

        def fit_layout(self) -> None: ...

    @property
    def _db(self) -> Controller:
        """The open database: commands are built when their turn comes, after it opened (keys
        pressed while it opens wait in the queue)."""
        assert self.controller is not None
        return self.controller

    # ------------------------------------------------------------------ tagging

    def action_tag(self, index: int) -> None:
        doc = self.state.doc
        if doc is None or not 0 <= index < len(self.schema.labels):
            return
        label = self.schema.labels[index].name
        rng = editing.tag_range(doc.text, self.view.selection, self.view.cursor, char_mode=self.state.char_mode)
        if rng is None:
            self.say("Nothing to tag here: put the cursor on a word or select some text.")
            return
        if self.view.spans.find(label, *rng) is not None:
            self.say(f"That text is already tagged {label}.")
            return
        doc_id = doc.id
        self._run(lambda: self._db.add_spans(doc_id, label, [rng], f"tag {label}"))

    def action_tag_all(self) -> None:
        span, doc = self.state.selected, self.state.doc
        if doc is None or span is None:
            self.say("Put the cursor on a tagged span first: a tags every other occurrence of its text.")
            return
        tagged = self.view.spans.find
        ranges = editing.other_occurrences(
            doc.text, span, char_mode=self.state.char_mode, tagged=lambda *r: tagged(*r) is not None
        )
        if not ranges:
            self.say(f"No other untagged occurrence of “{safe_line(doc.text[span.start : span.end], 60)}”.")
            return
        doc_id = doc.id
        label, attrs, what = span.label, dict(span.attrs), f"tag {len(ranges)} more {span.label}"
        self._run(lambda: self._db.add_spans(doc_id, label, ranges, what, attrs))
        self.say(f"Tagging {len(ranges)} more occurrence{'s' if len(ranges) != 1 else ''} as {span.label}.")

    def action_delete_span(self) -> None:
        span = self.state.selected
        if span is None:
            self.say("No span under the cursor to delete.")
            return
        span_id = span.id

        def build() -> SpanEdit | None:
            fresh = self.state.spans.get(span_id)
            return self._db.delete_span(fresh, self.state.spans) if fresh is not None else None

        self._run(build)

    def _opening(self) -> bool:
        """Before the database is open the schema's attributes are not known yet."""
        if self.controller is None:
            self.say("Still opening the database: try again in a moment.")
            return True
        return False

    def _outside_schema(self, label: str) -> str:
        return (
            f"{safe_line(label, 40)} is not a label of schema {safe_line(self.schema.name, 40)}: "
            "the span is shown as it was stored, but its attributes and links cannot be edited under this schema."
        )

    def _open_after_steps(self, open_form: Callable[[], None]) -> None:
        """Open a form once every earlier database step is shown (a span just tagged is there);
        keys typed meanwhile wait and then go, in order, to the form (tui/ordered_keys.py)."""
        release = hold_keys(self.app)

        def prepare() -> None:
            try:
                open_form()
            finally:
                release()

        self.jobs.submit(prepare)

    def action_edit_attributes(self) -> None:
        if not self._opening():  # (before the database is open, keys are not held: that may take long)
            self._open_after_steps(self._edit_attributes)

    def _edit_attributes(self) -> None:
        if self._opening():
            return
        span, doc, controller = self.state.selected, self.state.doc, self.controller
        if span is None or doc is None or controller is None:
            self.say("No span under the cursor: tab moves to the next span.")
            return
        if not self.schema.has_label(span.label):
            self.say(self._outside_schema(span.label))
            return
        problem = editing.no_attributes(self.schema, span)
        if problem is not None:
            self.say(problem)
            return
        span_id = span.id

        def saved(attrs: dict[str, Any] | None) -> None:
            if attrs is None:
                return

            def build() -> SpanEdit | None:
                fresh = self.state.spans.get(span_id)
                if fresh is None or fresh.attrs == attrs:
                    return None
                return controller.set_attrs(fresh, attrs)

            self._run(build)

        from annotator.tui.screens.modals import AttributeForm

        self.app.push_screen(AttributeForm(self.schema, span, doc.text[span.start : span.end]), saved)  # type: ignore[arg-type]

    def action_pick_speakers(self) -> None:
        if self.state.doc is not None and not self._opening():
            self._open_after_steps(self._pick_speakers)

    def _pick_speakers(self) -> None:
        if self.state.doc is None or self._opening():
            return
        doc, controller = self.state.doc, self.controller
        assert controller is not None

        def has_links(label: str) -> bool:
            return editing.links_of(self.schema, label)

        heads = [self.state.spans[s.id] for s in self.view.spans.covering(self.view.cursor) if has_links(s.label)]
        current = self.state.selected
        if current is not None and not self.schema.has_label(current.label):
            self.say(self._outside_schema(current.label))
            return
        if current is not None and has_links(current.label):
            head = current
        elif heads:
            head = min(heads, key=lambda s: s.end - s.start)
        else:
            self.say("s picks the speaker of a QUOTE: put the cursor on one first.")
            return
        link: LinkAttr = self.schema.label(head.label).links[0]
        candidates = editing.speaker_candidates(head, self.state.spans.values(), link.target)
        text, head_id = doc.text, head.id

        def picked(ids: list[int] | None) -> None:
            if ids is None:
                return

            def build() -> SpanEdit | None:
                fresh = self.state.spans.get(head_id)
                if fresh is None or tuple(fresh.links.get(link.name, ())) == tuple(ids):
                    return None
                return controller.set_links(fresh, link.name, ids)

            self._run(build)

        from annotator.tui.screens.modals import SpeakerPicker

        self.app.push_screen(
            SpeakerPicker.in_text(head, text, link, candidates),
            picked,
        )

    def action_toggle_char_mode(self) -> None:
        self.render_state(self.state.toggle_char_mode())
        self.say(f"Selections now {'keep exact characters' if self.state.char_mode else 'snap to whole words'}.")

    # ------------------------------------------------------------------ moving between spans

    def _go_to_span(self, span: tm.SpanView | None) -> None:
        if span is None:
            self.say("No more spans that way.")
            return
        self.state.pin(span.id, span.start)
        self.view.move_to(span.start)
        self._sync_selected()

    def action_next_span(self) -> None:
        index = self.view.spans
        found = index.next_after(self.state.selected_id, self.view.cursor)
        self._go_to_span(found if found is not None or not len(index) else index.at_position(0))  # wraps around

    def action_prev_span(self) -> None:
        index = self.view.spans
        found = index.prev_before(self.state.selected_id, self.view.cursor)
        self._go_to_span(found if found is not None or not len(index) else index.at_position(len(index) - 1))

    # ------------------------------------------------------------------ documents

    def action_next_doc(self) -> None:
        self.steps.open_neighbour(1, none_left="This is the last document.")

    def action_prev_doc(self) -> None:
        self.steps.open_neighbour(-1, none_left="This is the first document.")

    def _finish(self, status: str, note: str) -> None:
        doc = self.state.doc
        assert doc is not None
        doc_id, before = doc.id, self.state.status

        def build() -> StatusEdit:
            return self._db.set_status(doc_id, before, status, note, self.state.take_seconds())

        self._run(build)

        none_left = f"Marked {status.replace('_', ' ')}. Every document is done or skipped."
        self.steps.open_neighbour(1, unfinished=True, none_left=none_left)

    def action_done(self) -> None:
        if self.state.doc is not None:
            self._finish("done", self.state.status[1])

    def action_skip(self) -> None:
        if self.state.doc is None:
            return

        def reason(text: str | None) -> None:
            if text is not None:
                self._finish("skipped", text)

        from annotator.tui.screens.modals import SkipReason

        self.app.push_screen(SkipReason(), reason)

    def action_toggle_queue(self) -> None:
        self._queue_choice = not self._queue_shown  # kept through resizes
        self.fit_layout()
        if self._queue_shown:
            self.queue.focus()
        else:
            self.view.focus()

    def action_cycle_filter(self) -> None:
        """``f``, whatever has focus: the queue shows the next status filter (named in its border)."""
        name = self.queue.cycle_filter()
        if self.controller is not None:
            self.steps.read_queue()
        if not self._queue_shown:
            self.say(f"Queue filter: {name.replace('_', ' ')} (o shows the queue).")

    # ------------------------------------------------------------------ search

    def action_search(self) -> None:
        self.match_count.hide()
        self.search_bar.open()

    def _jump(self, step: int, from_offset: int | None = None) -> None:
        found = self.state.match_from(self.view.cursor if from_offset is None else from_offset, step)
        if found is None:
            self.say("No search yet: / searches this document.")
            return
        start, end, number = found
        self.view.select(start, end)
        self.match_count.show(number, len(self.state.matches), self.search_bar.value)  # beside, not over, the text

    def action_search_next(self) -> None:
        self._jump(1)

    def action_search_prev(self) -> None:
        self._jump(-1)

    def action_cancel(self) -> None:
        self.review.leave()
        self.search_bar.close()
        self.match_count.hide()
        self.view.clear_selection()
        self.view.focus()

    # ------------------------------------------------------------------ guidelines and quit

    def action_guidelines(self) -> None:
        """The guidelines of the label of the span under the cursor (else the first label's)."""
        from annotator.tui.screens.guidelines import GuidelinesScreen

        span = self.state.selected
        self.app.push_screen(GuidelinesScreen(self.schema, span.label if span is not None else None))

    def action_quit(self) -> None:
        self.steps.record_time_and_exit()
