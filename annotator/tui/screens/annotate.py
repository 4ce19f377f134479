"""The annotation screen: queue, article, side panel; every key a ``Binding`` with an id.

Every change goes to the database first (``DbJobs``: a thread worker, one step at a time) and
reaches the screen only from the job's ``done`` callback, with what the database returned.

At start-up the screen is up before the database is open: it may first show what
``services.first_read`` read (``show_first``: the app's fastest way to a painted article).
Its steps wait, in order, until ``attach`` hands it the ``Controller``; the first of them
reads the article through the services and shows what they return. Nothing here imports
SQLAlchemy at module level.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Static

from annotator.services import records
from annotator.services.commands.history import Direction
from annotator.services.records import SpanData
from annotator.tui import textmodel as tm
from annotator.tui.dbjobs import DbJobs, Job
from annotator.tui.retrain import Retrainer
from annotator.tui.suggestion_feed import SuggestionFeed
from annotator.tui.suggestion_review import SuggestionReview
from annotator.tui.widgets.document_view import DocumentView
from annotator.tui.widgets.footer import BindingsFooter
from annotator.tui.widgets.queue import DocumentQueue
from annotator.tui.widgets.side_panel import SPAN_LIST_SIZE, SidePanel

if TYPE_CHECKING:  # the database side (and pydantic's schema) is imported once the database is open
    from annotator.schemas.labels import LabelSchema, LinkAttr
    from annotator.schemas.preview import SchemaPreview
    from annotator.services import session_ops as ops
    from annotator.services.commands.annotate import AnnotateCommand, Outcome, SpanEdit, StatusEdit
    from annotator.services.first_read import FirstScreen
    from annotator.services.suggestions.background import Suggester
    from annotator.tui.controller import Controller

# Modals, help and the controller's command types are imported when first used, in the
# methods below: none of them is on the way to the first painted article.

ACK_LOG_ENV = "ANNOTATOR_TUI_ACK_LOG"  # test hook: a line per change as it reaches the screen
NARROW = 120  # below this width the queue starts hidden


def _b(
    key: str, action: str, description: str, binding_id: str, show: bool = False, key_display: str | None = None
) -> Binding:
    return Binding(key, action, description, show=show, id=f"annotate.{binding_id}", key_display=key_display)


def _view(span: SpanData) -> tm.SpanView:
    return tm.SpanView(span.id, span.label, span.start, span.end)


class AnnotateScreen(Screen[None]):
    CSS_PATH = "annotate.tcss"
    AUTO_FOCUS = "#doc"  # the article from the start (not the queue first: the footer's keys would flip)

    BINDINGS = [
        _b("tab", "next_span", "Next span", "next_span"),
        _b("shift+tab", "prev_span", "Previous span", "prev_span"),
        _b("delete,backspace", "delete_span", "Delete span", "delete_span", key_display="del"),
        _b("enter", "edit_attributes", "Attributes", "attributes"),
        _b("s", "pick_speakers", "Speaker", "speakers"),
        _b("a", "tag_all", "Tag all occurrences", "tag_all"),
        _b("c", "toggle_char_mode", "Character mode", "char_mode"),
        _b("ctrl+z", "undo", "Undo", "undo", show=True),
        _b("ctrl+y", "redo", "Redo", "redo"),
        _b("right_square_bracket", "next_doc", "Next doc", "next_doc", show=True, key_display="]"),
        _b("left_square_bracket", "prev_doc", "Prev doc", "prev_doc", key_display="["),
        _b("ctrl+d", "done", "Done", "done", show=True),
        _b("ctrl+s", "skip", "Skip", "skip"),
        _b("slash", "search", "Search", "search", key_display="/"),
        _b("n", "search_next", "Next match", "search_next"),
        _b("N", "search_prev", "Previous match", "search_prev"),
        _b("o", "toggle_queue", "Queue", "queue"),
        _b("y", "accept_suggestion", "Accept suggestion", "accept_suggestion"),
        _b("Y", "accept_all_suggestions", "Accept all suggestions", "accept_all_suggestions"),
        _b("x", "reject_suggestion", "Reject suggestion", "reject_suggestion"),
        _b("j", "next_suggestion", "Next suggestion", "next_suggestion"),
        _b("k", "prev_suggestion", "Previous suggestion", "prev_suggestion"),
        _b("r", "review_suggestions", "Review suggestions one by one", "review_suggestions"),
        _b("space", "skip_suggestion", "Skip suggestion (review)", "skip_suggestion"),
        _b("escape", "cancel", "Cancel", "cancel"),
        _b("question_mark", "help", "Keys", "help", show=True, key_display="?"),
        _b("g", "guidelines", "Guidelines", "guidelines"),
        _b("q", "quit", "Quit", "quit", show=True),
    ]

    def __init__(
        self,
        schema: LabelSchema | SchemaPreview,
        annotator_name: str,
        keymap_path: str = "",
        *,
        suggestions: bool = False,
        controller: Controller | None = None,
        make_suggester: Callable[[], Suggester] | None = None,
    ) -> None:
        """``controller``: the open database, else it comes with ``attach``."""
        super().__init__()
        self.suggestions_enabled = suggestions
        self.suggestions: dict[int, ops.SuggestionData] = {}
        self.feed = SuggestionFeed(self, make_suggester)
        self.review = SuggestionReview(self)  # j/k and the one-at-a-time review
        self.retrainer = Retrainer(self)  # the model, retrained as documents get done
        self.controller: Controller | None = controller
        self.schema: LabelSchema | SchemaPreview = schema  # validated by attach() at the latest
        self.annotator_name = annotator_name
        self.keymap_path = keymap_path
        self.jobs = DbJobs(self)
        self.jobs.runner = controller
        if controller is None:
            self.jobs.hold()  # every database step waits for attach()
        self.mounted = False  # on_mount done: show_first may be called
        self._shown = False  # nothing read yet: the top bar says the database is opening
        self._spans_total: int | None = None  # while only a big document's first spans are shown
        self.doc: records.OpenedDocument | None = None
        self.spans: dict[int, SpanData] = {}
        self.status: tuple[str, str] = ("todo", "")
        self.queue_rows: list[records.QueueRow] = []
        self.selected_id: int | None = None
        self._pinned: tuple[int, int] | None = None  # (span id, cursor offset) chosen by tab or tagging
        self.char_mode = False
        self.matches: list[tuple[int, int]] = []
        self.opened_at = time.monotonic()
        self._queue_shown: bool | None = None
        for index, label in enumerate(self.schema.labels):
            binding = Binding(label.key, f"tag({index})", label.name, show=index < 4, id=f"label.{label.name}")
            self._bindings.key_to_bindings.setdefault(label.key, []).append(binding)

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        with Horizontal(id="body"):
            yield DocumentQueue(id="queue")
            yield DocumentView(id="doc")
            yield SidePanel(self.schema, id="side")
        yield Input(placeholder="search this document (enter: find, escape: close)", id="search")
        yield BindingsFooter()

    @property
    def view(self) -> DocumentView:
        return self.query_one("#doc", DocumentView)

    @property
    def queue(self) -> DocumentQueue:
        return self.query_one("#queue", DocumentQueue)

    @property
    def side(self) -> SidePanel:
        return self.query_one("#side", SidePanel)

    def on_mount(self) -> None:
        self.view.set_label_colours({label.name: label.colour for label in self.schema.labels})
        self.query_one("#search", Input).display = False
        self._show_queue(self.app.size.width >= NARROW)
        self.view.focus()
        self._show_topbar()
        self.mounted = True
        if self.suggestions_enabled:  # its worker process (a lower priority) starts with the app
            self.feed.warm_up()
        if self.controller is not None:
            self._open(self.controller.info.last_document_id, first=True)
        elif getattr(self.app, "first_screen", None) is not None:
            self.show_first(*self.app.first_screen)  # read before this screen was ready

    def show_first(self, first: FirstScreen, prepared: tm.PreparedDocument | None, _waited: int = 0) -> None:
        """Show what ``services.first_read`` read, then have the app open the database."""
        self.app.first_screen = None
        if not self.view.size.width and _waited < 3:  # not laid out yet: wrap at the real width
            self.call_after_refresh(self.show_first, first, prepared, _waited + 1)
            return
        self._opened(first.document, first.rows, prepared=prepared)
        if not first.spans_complete:
            self._spans_total = first.spans_total
            self._show_topbar()
            self._show_side()
        # after the article is on screen and wrapped: opening the database (SQLAlchemy, every
        # span of a big article again) is CPU work that would compete with the wrapping
        # worker and with the keys pressed meanwhile
        self.call_after_refresh(self.view.when_wrapped, self.app.start_database)
        if self.suggestions_enabled:  # its worker process starts while the article wraps
            sample = first.document.text[self.view.cursor :] if first.document is not None else ""
            self.call_after_refresh(self.feed.warm_up, sample)

    def attach(self, controller: Controller) -> None:
        """The database is open: read the shown article again through the services (the
        first step, ahead of any key pressed meanwhile) and let the waiting steps run."""
        self.controller = self.jobs.runner = controller
        self.schema = self.side.schema = controller.schema  # validated now
        if self.suggestions_enabled:
            self.feed.warm_up()
        self.side.show_legend(char_mode=self.char_mode)
        info = controller.info

        def prepare() -> Job:
            shown = self.doc
            paras = self.view.paras
            drawn = [(s.id, s.label, s.start, s.end) for s in self.view.spans.ordered()]

            def work():
                from annotator.services import session_ops as ops

                rows = controller.fetch(ops.queue, annotator_id=info.annotator_id)
                target = shown.id if shown is not None else info.last_document_id
                if target is None or all(r.document_id != target for r in rows):
                    target = rows[0].document_id if rows else None
                if target is None:
                    return None, rows, None, None
                opened = controller.write(ops.open_document, document_id=target, annotator_id=info.annotator_id)
                rows = [replace(r, status=opened.status) if r.document_id == opened.id else r for r in rows]
                views = [_view(s) for s in opened.spans]
                if shown is None or opened.id != shown.id or opened.text != shown.text:
                    return opened, rows, tm.prepare(opened.text, views), None
                # the same article: keep the view (cursor, scroll, wrapped rows); its spans are
                # swapped only if they differ from those drawn (a big article's first ones)
                same = drawn == [(v.id, v.label, v.start, v.end) for v in views]
                return opened, rows, None if same else tm.SpanIndex(paras, views), {s.id: s for s in opened.spans}

            return Job(work, lambda result: self._reopened(*result), "open the document")

        self.jobs.submit(prepare, first=True)
        self.jobs.release()

    def _reopened(
        self,
        doc: records.OpenedDocument | None,
        rows: list[records.QueueRow],
        model: Any,
        by_id: dict[int, SpanData] | None,
    ) -> None:
        """The article as the services read it: the one shown (only its spans, status and
        queue may differ; the cursor stays) or another one (shown afresh)."""
        self._spans_total = None
        if doc is None or by_id is None or self.doc is None or self.doc.id != doc.id:
            self._opened(doc, rows, prepared=model)
            return
        self.doc = doc
        self.queue_rows = rows
        self.spans = by_id
        self.status = (doc.status, doc.note)
        if model is not None:
            self.view.replace_spans(model)
        self.queue.set_rows(rows, current_id=doc.id)
        self._pinned = None
        self.selected_id = None
        self._sync_selected()
        self._show_topbar()
        self._show_side()
        self._suggest(doc.id)

    def _show_queue(self, shown: bool) -> None:
        self._queue_shown = shown
        self.queue.display = shown

    # ------------------------------------------------------------------ opening documents

    def _open(self, document_id: int | None, *, first: bool = False, then_notify: str = "") -> None:
        """Open a document (None: the first one) and refresh the queue, as one database step."""

        def prepare() -> Job:
            info = self.controller.info  # steps run once the database is open
            leaving = None
            if self.doc is not None and not first:
                leaving = (self.doc.id, self._take_seconds())

            def work() -> tuple[records.OpenedDocument | None, list[records.QueueRow], tm.PreparedDocument | None]:
                from annotator.services import session_ops as ops

                rows = self.controller.fetch(ops.queue, annotator_id=info.annotator_id)
                target = document_id
                if target is None or all(r.document_id != target for r in rows):
                    target = rows[0].document_id if rows else None
                if target is None:
                    if leaving:
                        self.controller.write(
                            ops.add_time, document_id=leaving[0], annotator_id=info.annotator_id, seconds=leaving[1]
                        )
                    return None, rows, None
                opened = self.controller.write(
                    ops.open_document, document_id=target, annotator_id=info.annotator_id, leaving=leaving
                )
                rows = [replace(r, status=opened.status) if r.document_id == opened.id else r for r in rows]
                # wrapping aside, the view's model is built here, off the event loop
                return opened, rows, tm.prepare(opened.text, [_view(s) for s in opened.spans])

            return Job(work, lambda result: self._opened(*result, notice=then_notify), "open the document")

        self.jobs.submit(prepare)

    def _opened(
        self,
        doc: records.OpenedDocument | None,
        rows: list[records.QueueRow],
        prepared: tm.PreparedDocument | None = None,
        notice: str = "",
    ) -> None:
        self._shown = True
        self.queue_rows = rows
        self.doc = doc
        self.opened_at = time.monotonic()
        self.matches = []
        self.review.reset()
        if doc is None:
            self.spans = {}
            self.view.load("", [])
            self.queue.set_rows(rows)
            self._show_topbar()
            self._show_side()
            return
        self.spans = {s.id: s for s in doc.spans}
        self.suggestions = {}
        self.status = (doc.status, doc.note)
        self.selected_id = None
        if prepared is None or prepared.text is not doc.text:
            prepared = tm.prepare(doc.text, [_view(s) for s in doc.spans])
        self.view.load_prepared(prepared, cursor=0)
        self.queue.set_rows(rows, current_id=doc.id)
        self._sync_selected()
        self._show_topbar()
        self._show_side()
        if notice:
            self.notify(tm.display_text(notice), markup=False)
        self._suggest(doc.id)

    def _suggest(self, document_id: int) -> None:
        if self.suggestions_enabled and self.controller is not None:
            self.feed.start(document_id, focus=self.view.cursor)

    # ------------------------------------------------------------------ suggestions

    def show_suggestions(self, changes: dict[int, ops.SuggestionData | None], *, replace: bool = False) -> None:
        """Show these open suggestions (None: gone); ``replace``: they are all there are."""
        if replace:
            self.suggestions = {sid: row for sid, row in changes.items() if row is not None}
            self.view.set_suggestions(tm.SpanView(r.id, r.label, r.start, r.end) for r in self.suggestions.values())
        elif changes:
            for sid, row in changes.items():
                if row is None:
                    self.suggestions.pop(sid, None)
                else:
                    self.suggestions[sid] = row
            self.view.update_suggestions(
                {sid: (tm.SpanView(r.id, r.label, r.start, r.end) if r else None) for sid, r in changes.items()}
            )
        self._show_topbar()
        self._show_side()
        self.review.refresh()

    def refresh_suggestion_state(self) -> None:
        """The review moved the cursor or changed mode: show where it is."""
        self._sync_selected()
        self._show_topbar()
        self._show_side()

    def say(self, message: str, severity: str = "information") -> None:
        self._say(message, severity)

    def _suggestion_here(self) -> ops.SuggestionData | None:
        found = self.review.under_cursor()
        return self.suggestions.get(found.id) if found is not None else None

    def decide_suggestion(self, action: str, suggestion_id: int | None, what: str) -> None:
        """Accept, reject (``suggestion_id``) or accept all, as one undoable command."""
        if self.doc is not None:
            from annotator.services.commands.annotate import SuggestionEdit

            doc_id, who = self.doc.id, self.controller.who
            self._run(lambda: SuggestionEdit(who, doc_id, action, suggestion_id, what))

    def action_accept_suggestion(self) -> None:
        self.review.key("accept")

    def action_accept_all_suggestions(self) -> None:
        self.review.key("accept_all")

    def action_reject_suggestion(self) -> None:
        self.review.key("reject")

    def action_next_suggestion(self) -> None:
        self.review.jump(1)

    def action_prev_suggestion(self) -> None:
        self.review.jump(-1)

    def action_review_suggestions(self) -> None:
        self.review.toggle()

    def action_skip_suggestion(self) -> None:
        self.review.skip()

    def _take_seconds(self) -> float:
        now = time.monotonic()
        seconds, self.opened_at = now - self.opened_at, now
        return seconds

    # ------------------------------------------------------------------ showing state

    def _show_topbar(self) -> None:
        bar = Text(no_wrap=True, overflow="ellipsis")
        if not self._shown:
            bar.append(" Opening the database…", style="bold")
        elif self.doc is None:
            bar.append(" No documents yet: import some with  annotator import PATH", style="bold")
        else:
            position = next((i for i, r in enumerate(self.queue_rows, 1) if r.document_id == self.doc.id), 0)
            bar.append(f" {position}/{len(self.queue_rows)} ", style="bold reverse")
            bar.append(f" {self.status[0].replace('_', ' ')} ", style="bold")
            total = self._spans_total if self._spans_total is not None else len(self.spans)
            bar.append(f"{total} spans ", style="dim")
            if self.review.active:
                bar.append(f"{self.review.status()} ", style="bold italic")
            elif self.suggestions:
                bar.append(f"{len(self.suggestions)} suggested (y/x, Y all, j/k, r review) ", style="dim italic")
            if self.feed.progress is not None:
                bar.append(f"suggesting… {self.feed.progress:.0%} ", style="dim italic")
            if self.retrainer.running:
                bar.append("retraining… ", style="dim italic")
            bar.append(tm.safe_line(self.doc.title, 200))
        bar.append(f"  [{tm.safe_line(self.annotator_name, 60)}]", style="dim")
        self.query_one("#topbar", Static).update(bar)

    def _show_side(self) -> None:
        text = self.doc.text if self.doc else ""
        index = self.view.spans
        selected = self.selected_id
        around = index.position(selected) if selected in index.by_id else 0
        first, window = index.window(around, SPAN_LIST_SIZE)
        total = self._spans_total if self._spans_total is not None else len(index)
        self.side.show_spans(text, first, [self.spans[s.id] for s in window], total, selected)
        self.side.show_attrs(text, self.spans.get(selected) if selected is not None else None, self.spans)
        if selected is None and self.suggestions:
            here = self._suggestion_here()
            if here is not None:
                self.side.show_suggestion(text, here)

    def _sync_selected(self) -> None:
        """The selected span is the innermost span under the cursor (or the one tab chose)."""
        view = self.view
        pinned = self.spans.get(self._pinned[0]) if self._pinned is not None else None
        if pinned is not None and self._pinned is not None and self._pinned[1] == view.cursor:
            chosen: int | None = pinned.id
        else:
            self._pinned = None
            inner = view.spans.innermost(view.cursor)
            chosen = inner.id if inner is not None else None
        if chosen is None and self.suggestions:
            self._show_side()  # the suggestion under the cursor, if any
        if chosen != self.selected_id:
            self.selected_id = chosen
            span = self.spans.get(chosen) if chosen is not None else None
            view.set_highlight((span.start, span.end) if span else None)
            self._show_side()

    @on(DocumentView.CursorMoved)
    def _cursor_moved(self, event: DocumentView.CursorMoved) -> None:
        self._sync_selected()

    # ------------------------------------------------------------------ running commands

    def _run(self, build: Callable[[], AnnotateCommand | None]) -> None:
        """Queue a command that ``build()`` makes when its turn comes (or None: nothing to do)."""
        self.jobs.run_when_due(build, Direction.DO, then=self._command_done, failed=self._refused)

    def _refused(self, exc: BaseException) -> None:
        """Another session changed or deleted what the write was about: show the document's spans as stored now."""
        from annotator.services.annotations import VersionConflict, spans_for
        from annotator.services.commands.annotate import Outcome

        if not isinstance(exc, VersionConflict) or self.doc is None:
            return
        doc_id, who = self.doc.id, self.controller.info.annotator_id

        def shown(fresh: list) -> None:
            if self.doc is None or self.doc.id != doc_id:
                return
            now = {s.id: s for s in fresh}
            changed: dict = {i: None for i in self.spans if i not in now}
            changed.update({i: s for i, s in now.items() if self.spans.get(i) != s})
            if changed:
                self._show_outcome(Outcome(doc_id, spans=changed))

        self.jobs.submit(
            lambda: Job(
                lambda: self.controller.fetch(spans_for, document_id=doc_id, annotator_id=who),
                shown,
                "reload the spans",
            ),
            first=True,
        )

    def _command_done(self, command: AnnotateCommand, outcome: Outcome, direction: Direction = Direction.DO) -> None:
        if direction is not Direction.DO:
            self.notify(
                tm.display_text(f"{'Undid' if direction is Direction.UNDO else 'Redid'}: {command.description}"),
                markup=False,
                timeout=2,
            )
        from annotator.services.commands.annotate import SpanEdit, StatusEdit

        if direction is Direction.DO and isinstance(command, StatusEdit) and command.finishes:
            self.retrainer.document_done()
        if self.doc is None or outcome.document_id != self.doc.id:
            self._open(outcome.document_id)  # the change was in another document: show it there
            return
        self._show_outcome(outcome)
        if direction is Direction.DO and isinstance(command, SpanEdit):
            added = command.added(outcome)
            self.view.clear_selection()
            if len(added) == 1:  # the new span is the selected one until the cursor moves
                self._pinned = (added[0].id, self.view.cursor)
        self._sync_selected()

    def _show_outcome(self, outcome: Outcome) -> None:
        before = len(self.spans)
        for span_id, span in outcome.spans.items():
            if span is None:
                self.spans.pop(span_id, None)
            else:
                self.spans[span_id] = span
        if outcome.spans:
            self.view.update_spans({i: (_view(s) if s is not None else None) for i, s in outcome.spans.items()})
        if outcome.status is not None:
            self.status = outcome.status
        if outcome.suggestions:
            for sid, row in outcome.suggestions.items():
                if row is None:
                    self.suggestions.pop(sid, None)
                else:
                    self.suggestions[sid] = row
            self.view.update_suggestions(
                {
                    sid: (tm.SpanView(r.id, r.label, r.start, r.end) if r else None)
                    for sid, r in outcome.suggestions.items()
                }
            )
        assert self.doc is not None
        self.queue.update_row(self.doc.id, status=self.status[0], span_delta=len(self.spans) - before)
        self.queue_rows = [
            replace(r, status=self.status[0], spans=len(self.spans)) if r.document_id == self.doc.id else r
            for r in self.queue_rows
        ]
        self._ack(outcome)
        if self.selected_id is not None and self.selected_id not in self.spans:
            self.selected_id = None
        span = self.spans.get(self.selected_id) if self.selected_id is not None else None
        self.view.set_highlight((span.start, span.end) if span else None)
        self._show_topbar()
        self._show_side()
        if outcome.suggestions:
            self.review.refresh()

    def _ack(self, outcome: Outcome) -> None:
        path = os.environ.get(ACK_LOG_ENV)
        if not path:
            return
        with open(path, "a", encoding="utf-8") as log:
            for span_id, span in outcome.spans.items():
                log.write(f"span {span_id} {span.label} {span.start} {span.end}\n" if span else f"gone {span_id}\n")
            if outcome.status is not None:
                log.write(f"status {outcome.document_id} {outcome.status[0]}\n")

    # ------------------------------------------------------------------ helpers

    def _current(self) -> SpanData | None:
        return self.spans.get(self.selected_id) if self.selected_id is not None else None

    def _say(self, message: str, severity: str = "information") -> None:
        self.notify(tm.display_text(message), severity=severity, markup=False, timeout=4)  # type: ignore[arg-type]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needs_doc = {
            "tag",
            "next_span",
            "prev_span",
            "delete_span",
            "edit_attributes",
            "pick_speakers",
            "tag_all",
            "done",
            "skip",
            "search",
            "search_next",
            "search_prev",
        }
        if action in needs_doc and self.doc is None and self._shown:
            return None  # (while opening, keys stay as they will be: the footer is not rebuilt twice)
        if action == "undo" and not self.jobs.history.can_undo:
            return None
        if action == "redo" and not self.jobs.history.can_redo:
            return None
        suggestion_keys = (
            "accept_suggestion",
            "accept_all_suggestions",
            "reject_suggestion",
            "next_suggestion",
            "prev_suggestion",
            "review_suggestions",
        )
        if action in (*suggestion_keys, "skip_suggestion") and not self.suggestions_enabled:
            return False
        return action != "skip_suggestion" or self.review.active

    # ------------------------------------------------------------------ tagging

    def action_tag(self, index: int) -> None:
        if self.doc is None or not 0 <= index < len(self.schema.labels):
            return
        label = self.schema.labels[index].name
        text, view = self.doc.text, self.view
        selection = view.selection
        if selection is not None:
            rng = selection if self.char_mode else tm.snap_to_words(text, *selection)
        else:
            rng = tm.word_at(text, view.cursor)
        if rng is None:
            self._say("Nothing to tag here: put the cursor on a word or select some text.")
            return
        if view.spans.find(label, *rng) is not None:
            self._say(f"That text is already tagged {label}.")
            return
        doc_id = self.doc.id
        self._run(lambda: self.controller.add_spans(doc_id, label, [rng], f"tag {label}"))

    def action_tag_all(self) -> None:
        span = self._current()
        if self.doc is None or span is None:
            self._say("Put the cursor on a tagged span first: a tags every other occurrence of its text.")
            return
        text = self.doc.text
        needle = text[span.start : span.end]
        ranges = [
            r
            for r in tm.occurrences(text, needle, whole_words=not self.char_mode)
            if r != (span.start, span.end) and self.view.spans.find(span.label, *r) is None
        ]
        if not ranges:
            self._say(f"No other untagged occurrence of “{tm.safe_line(needle, 60)}”.")
            return
        doc_id = self.doc.id
        label, attrs, what = span.label, dict(span.attrs), f"tag {len(ranges)} more {span.label}"
        self._run(lambda: self.controller.add_spans(doc_id, label, ranges, what, attrs))
        self._say(f"Tagging {len(ranges)} more occurrence{'s' if len(ranges) != 1 else ''} as {span.label}.")

    def action_delete_span(self) -> None:
        span = self._current()
        if span is None:
            self._say("No span under the cursor to delete.")
            return
        span_id = span.id

        def build() -> SpanEdit | None:
            fresh = self.spans.get(span_id)
            return self.controller.delete_span(fresh, self.spans) if fresh is not None else None

        self._run(build)

    def _opening(self) -> bool:
        """Before the database is open the schema's attributes are not known yet."""
        if self.controller is None:
            self._say("Still opening the database: try again in a moment.")
            return True
        return False

    def _outside_schema(self, label: str) -> str:
        return (
            f"{tm.safe_line(label, 40)} is not a label of schema {tm.safe_line(self.schema.name, 40)}: the span is shown as it was "
            "stored, but its attributes and links cannot be edited under this schema."
        )

    def action_edit_attributes(self) -> None:
        if self._opening():
            return
        span = self._current()
        if span is None or self.doc is None:
            self._say("No span under the cursor: tab moves to the next span.")
            return
        if not self.schema.has_label(span.label):
            self._say(self._outside_schema(span.label))
            return
        spec = self.schema.label(span.label)
        if not spec.value_attributes:
            self._say(f"{span.label} has no attributes to edit" + (" (s picks its links)." if spec.links else "."))
            return
        span_id = span.id

        def saved(attrs: dict[str, Any] | None) -> None:
            if attrs is None:
                return

            def build() -> SpanEdit | None:
                fresh = self.spans.get(span_id)
                if fresh is None or fresh.attrs == attrs:
                    return None
                return self.controller.set_attrs(fresh, attrs)

            self._run(build)

        from annotator.tui.screens.modals import AttributeForm

        self.app.push_screen(AttributeForm(self.schema, span, self.doc.text[span.start : span.end]), saved)

    def action_pick_speakers(self) -> None:
        if self.doc is None or self._opening():
            return
        cursor = self.view.cursor
        has_links = lambda label: self.schema.has_label(label) and bool(self.schema.label(label).links)  # noqa: E731
        heads = [self.spans[s.id] for s in self.view.spans.covering(cursor) if has_links(s.label)]
        current = self._current()
        if current is not None and not self.schema.has_label(current.label):
            self._say(self._outside_schema(current.label))
            return
        if current is not None and has_links(current.label):
            head = current
        elif heads:
            head = min(heads, key=lambda s: s.end - s.start)
        else:
            self._say("s picks the speaker of a QUOTE: put the cursor on one first.")
            return
        link: LinkAttr = self.schema.label(head.label).links[0]

        def distance(span: SpanData) -> tuple[int, int]:
            if span.start < head.end and span.end > head.start:
                return (0, span.start)
            gap = span.start - head.end if span.start >= head.end else head.start - span.end
            return (gap, span.start)

        candidates = sorted((s for s in self.spans.values() if s.label == link.target), key=distance)
        text = self.doc.text
        head_id = head.id

        def picked(ids: list[int] | None) -> None:
            if ids is None:
                return

            def build() -> SpanEdit | None:
                fresh = self.spans.get(head_id)
                if fresh is None or tuple(fresh.links.get(link.name, ())) == tuple(ids):
                    return None
                return self.controller.set_links(fresh, link.name, ids)

            self._run(build)

        from annotator.tui.screens.modals import SpeakerPicker

        self.app.push_screen(
            SpeakerPicker(
                head,
                text[head.start : head.end],
                link,
                [(s, text[s.start : s.end]) for s in candidates],
                head.links.get(link.name, ()),
            ),
            picked,
        )

    def action_toggle_char_mode(self) -> None:
        self.char_mode = not self.char_mode
        self.side.show_legend(char_mode=self.char_mode)
        self._say(f"Selections now {'keep exact characters' if self.char_mode else 'snap to whole words'}.")

    # ------------------------------------------------------------------ moving between spans

    def _go_to_span(self, span: tm.SpanView | None) -> None:
        if span is None:
            self._say("No more spans that way.")
            return
        self._pinned = (span.id, span.start)
        self.view.move_to(span.start)
        self._sync_selected()

    def action_next_span(self) -> None:
        index = self.view.spans
        found = index.next_after(self.selected_id, self.view.cursor)
        self._go_to_span(found if found is not None or not len(index) else index.at_position(0))  # wraps around

    def action_prev_span(self) -> None:
        index = self.view.spans
        found = index.prev_before(self.selected_id, self.view.cursor)
        self._go_to_span(found if found is not None or not len(index) else index.at_position(len(index) - 1))

    # ------------------------------------------------------------------ undo

    def action_undo(self) -> None:
        if not self.jobs.history.can_undo:
            self._say("Nothing to undo.")
            return
        self.jobs.undo(then=lambda c, o: self._command_done(c, o, Direction.UNDO), failed=self._refused)

    def action_redo(self) -> None:
        if not self.jobs.history.can_redo:
            self._say("Nothing to redo.")
            return
        self.jobs.redo(then=lambda c, o: self._command_done(c, o, Direction.REDO), failed=self._refused)

    # ------------------------------------------------------------------ documents

    def _neighbour(self, step: int, *, unfinished: bool = False) -> int | None:
        rows = self.queue_rows
        if not rows or self.doc is None:
            return None
        ids = [r.document_id for r in rows]
        here = ids.index(self.doc.id) if self.doc.id in ids else -1
        for k in range(1, len(rows) + (0 if unfinished else 1)):
            i = here + step * k
            if not unfinished and not 0 <= i < len(rows):
                return None
            row = rows[i % len(rows)]
            if not unfinished or row.status in ("todo", "in_progress"):
                return row.document_id if row.document_id != self.doc.id else None
        return None

    def action_next_doc(self) -> None:
        target = self._neighbour(1)
        if target is None:
            self._say("This is the last document.")
            return
        self._open(target)

    def action_prev_doc(self) -> None:
        target = self._neighbour(-1)
        if target is None:
            self._say("This is the first document.")
            return
        self._open(target)

    def _finish(self, status: str, note: str) -> None:
        assert self.doc is not None
        doc_id, before = self.doc.id, self.status

        def build() -> StatusEdit:
            return self.controller.set_status(doc_id, before, status, note, self._take_seconds())

        self._run(build)

        def move_on() -> Job | None:
            target = self._neighbour(1, unfinished=True)
            if target is None:
                self._say(f"Marked {status.replace('_', ' ')}. Every document is done or skipped.")
                return None
            self._open(target)
            return None

        self.jobs.submit(move_on)

    def action_done(self) -> None:
        if self.doc is not None:
            self._finish("done", self.status[1])

    def action_skip(self) -> None:
        if self.doc is None:
            return

        def reason(text: str | None) -> None:
            if text is not None:
                self._finish("skipped", text)

        from annotator.tui.screens.modals import SkipReason

        self.app.push_screen(SkipReason(), reason)

    @on(DocumentQueue.Open)
    def _queue_open(self, event: DocumentQueue.Open) -> None:
        self.view.focus()
        if self.doc is None or event.document_id != self.doc.id:
            self._open(event.document_id)

    def action_toggle_queue(self) -> None:
        self._show_queue(not self._queue_shown)
        if self._queue_shown:
            self.queue.focus()
        else:
            self.view.focus()

    # ------------------------------------------------------------------ search

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        box.display = True
        box.focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        box = self.query_one("#search", Input)
        box.display = False
        self.view.focus()
        if self.doc is None:
            return
        self.matches = tm.find_matches(self.doc.text, event.value)
        if not self.matches:
            self._say(f"No match for “{tm.safe_line(event.value, 60)}”.")
            return
        self._jump(1, from_offset=self.view.cursor - 1)

    def _jump(self, step: int, from_offset: int | None = None) -> None:
        if not self.matches:
            self._say("No search yet: / searches this document.")
            return
        here = self.view.cursor if from_offset is None else from_offset
        if step > 0:
            target = next((m for m in self.matches if m[0] > here), self.matches[0])
        else:
            target = next((m for m in reversed(self.matches) if m[0] < here), self.matches[-1])
        self.view.select(*target)
        number = self.matches.index(target) + 1
        self.notify(f"match {number} of {len(self.matches)}", timeout=1.5, markup=False)

    def action_search_next(self) -> None:
        self._jump(1)

    def action_search_prev(self) -> None:
        self._jump(-1)

    def action_cancel(self) -> None:
        self.review.leave()
        box = self.query_one("#search", Input)
        if box.display:
            box.display = False
        self.view.clear_selection()
        self.view.focus()

    # ------------------------------------------------------------------ help and quit

    def binding_rows(self) -> list[tuple[str, str, str]]:
        """(keys, description, id) of every binding on this screen and the article view."""
        keys: dict[str, list[str]] = {}
        described: dict[str, str] = {}
        for node in (self.view, self):
            for bindings in node._bindings.key_to_bindings.values():
                for binding in bindings:
                    if not binding.id:
                        continue  # inherited scrolling keys, replaced by the ones with ids
                    ident = binding.id
                    keys.setdefault(ident, []).append(self.app.get_key_display(binding))
                    described.setdefault(ident, binding.description)
        return [(", ".join(dict.fromkeys(k)), described[i], i) for i, k in keys.items()]

    def action_help(self) -> None:
        from annotator.schemas.guidelines import schema_guidelines_text
        from annotator.tui.screens.help import HelpScreen

        span = self._current()
        guidelines = schema_guidelines_text(self.schema, span.label if span is not None else None)
        self.app.push_screen(HelpScreen(self.binding_rows(), self.keymap_path, guidelines))

    def action_guidelines(self) -> None:
        """The guidelines of the label of the span under the cursor (else the first label's)."""
        from annotator.tui.screens.guidelines import GuidelinesScreen

        span = self._current()
        self.app.push_screen(GuidelinesScreen(self.schema, span.label if span is not None else None))

    def on_unmount(self) -> None:
        self.retrainer.close()
        self.feed.close()

    def action_quit(self) -> None:
        def prepare() -> Job:
            info = self.controller.info
            doc_id = self.doc.id if self.doc is not None else None
            seconds = self._take_seconds()

            def work() -> None:
                from annotator.services import session_ops as ops

                if doc_id is not None:
                    self.controller.write(
                        ops.add_time, document_id=doc_id, annotator_id=info.annotator_id, seconds=seconds
                    )

            return Job(
                work, lambda _: self.app.exit(), "record the time spent", failed=lambda _: self.app.exit(), retry=False
            )

        self.jobs.submit(prepare)
