"""The annotation screen: queue, article, side panel; every key a ``Binding`` with an id.

Every change goes to the database first (``DbJobs.run``: a command applied in a thread
worker, one step at a time) and reaches the screen only afterwards, with what the database
returned. The facts the screen shows live in ``AnnotateState`` (tui/annotate_state.py): each
event updates the state, which says what changed, and ``render_state`` draws just that. The
start-up handshake is tui/startup.py; the database steps that are not commands are
tui/annotate_steps.py; the helpers shared with the review screen are tui/editing.py. Nothing
here imports SQLAlchemy at module level.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Input

from annotator.services.commands.history import Direction
from annotator.services.records import SpanData
from annotator.tui import bindings
from annotator.tui import textmodel as tm
from annotator.tui.annotate_state import AnnotateState, Change, span_view, suggestion_view
from annotator.tui.annotate_steps import AnnotateSteps
from annotator.tui.dbjobs import DbJobs
from annotator.tui.retrain import Retrainer
from annotator.tui.screens.annotate_keys import AnnotateKeys
from annotator.tui.startup import Startup
from annotator.tui.suggestion_feed import SuggestionFeed
from annotator.tui.suggestion_review import SuggestionReview
from annotator.tui.widgets.document_view import DocumentView
from annotator.tui.widgets.footer import BindingsFooter
from annotator.tui.widgets.queue import DocumentQueue
from annotator.tui.widgets.search_bar import MatchCount, SearchBar
from annotator.tui.widgets.side_panel import SPAN_LIST_SIZE, SidePanel
from annotator.tui.widgets.topbar import TopBar
from annotator.untrusted import display_text, safe_line

if TYPE_CHECKING:  # the database side (and pydantic's schema) is imported once the database is open
    from annotator.schemas.labels import LabelSchema
    from annotator.schemas.preview import SchemaPreview
    from annotator.services.commands.annotate import AnnotateCommand, Outcome
    from annotator.services.first_read import FirstScreen
    from annotator.services.queue_window import QueueWindow
    from annotator.services.records import OpenedDocument, OpenSuggestion, SpanData
    from annotator.services.suggestions.background import Suggester
    from annotator.tui.controller import Controller

# Modals, help and the command classes are imported when first used, in the methods below:
# none of them is on the way to the first painted article.

NARROW = 120  # below this width the queue is hidden (unless the annotator opened it with o)
MIN_ARTICLE = 40  # the article keeps at least this many columns: the side panel narrows, then goes
QUEUE_WIDTH, SIDE_WIDTH, SIDE_NARROW = 36, 32, 24


def layout_for(width: int, queue_choice: bool | None) -> tuple[bool, int]:
    """(queue shown, side panel width or 0 for hidden) on a terminal ``width`` columns wide;
    ``queue_choice``: the annotator's own choice with ``o`` (None: the width decides)."""
    queue = width >= NARROW if queue_choice is None else queue_choice
    room = width - (QUEUE_WIDTH if queue else 0) - MIN_ARTICLE
    side = SIDE_WIDTH if room >= SIDE_WIDTH else SIDE_NARROW if room >= SIDE_NARROW else 0
    return queue, side


class AnnotateScreen(AnnotateKeys, Screen[None]):
    CSS_PATH = "annotate.tcss"
    AUTO_FOCUS = "#doc"  # the article from the start (not the queue first: the footer's keys would flip)

    BINDINGS = [*bindings.annotate_bindings()]  # the label keys: see bindings.labelled

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
        """``controller``: the open database, else it comes with ``startup.attach``."""
        super().__init__()
        self.suggestions_enabled = suggestions
        self.state = AnnotateState(annotator_name)
        self.feed = SuggestionFeed(self, make_suggester)
        self.review = SuggestionReview(self)  # j/k and the one-at-a-time review
        self.retrainer = Retrainer(self)  # the model, retrained as documents get done
        self.controller: Controller | None = controller
        self.schema: LabelSchema | SchemaPreview = schema  # validated by attach() at the latest
        self.annotator_name = annotator_name
        self.keymap_path = keymap_path
        self.jobs = DbJobs(self)
        self.jobs.runner = controller
        self.startup = Startup(self)
        self.steps = AnnotateSteps(self)
        if controller is None:
            self.jobs.hold()  # every database step waits for attach()
        self.mounted = False  # on_mount done: show_first may be called
        self._queue_shown: bool | None = None
        self._queue_choice: bool | None = None  # set by o; until then the width decides

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        # the top bar is docked; queue, article and panel are the screen's own row: no container
        # around them, which Textual's compositor would draw again on every key (annotate.tcss)
        yield TopBar(id="topbar")
        yield DocumentQueue(id="queue")
        yield DocumentView(id="doc")
        yield SidePanel(self.schema, id="side")
        yield SearchBar(id="search")
        yield MatchCount(id="matches")
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

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one("#search", SearchBar)

    @property
    def match_count(self) -> MatchCount:
        return self.query_one("#matches", MatchCount)

    # what the state holds, read by the suggestion feed and review and by tests
    @property
    def doc(self) -> OpenedDocument | None:
        return self.state.doc

    @property
    def spans(self) -> dict[int, SpanData]:
        return self.state.spans

    @property
    def suggestions(self) -> dict[int, OpenSuggestion]:
        return self.state.suggestions

    @property
    def selected_id(self) -> int | None:
        return self.state.selected_id

    @property
    def status(self) -> tuple[str, str]:
        return self.state.status

    def on_mount(self) -> None:
        self.view.cursor_listener = self._sync_selected  # in the cursor's frame, not one after it
        labels = self.schema.labels
        self.view.set_label_colours(
            {label.name: label.colour for label in labels},
            {s.name: s.key for s in labels},
            {s.name: s.style for s in labels},
        )
        self.fit_layout()
        self.view.focus()
        self.render_state(Change.TOPBAR)
        self.mounted = True
        if self.suggestions_enabled:  # its worker process (a lower priority) starts with the app
            self.feed.warm_up()
        if self.controller is not None:
            self.steps.open(self.controller.info.last_document_id, first=True)
        elif (first := getattr(self.app, "first_screen", None)) is not None:
            self.show_first(*first)  # read before this screen was ready

    def show_first(self, first: FirstScreen, prepared: tm.PreparedDocument | None) -> None:
        self.startup.show_first(first, prepared)

    def attach(self, controller: Controller) -> None:
        self.startup.attach(controller)

    def _show_queue(self, shown: bool) -> None:
        self._queue_shown = shown
        self.queue.display = shown

    def fit_layout(self) -> None:
        """The queue and the side panel as the terminal's width allows (at start and at every resize)."""
        queue, side = layout_for(self.size.width or self.app.size.width, self._queue_choice)
        if queue != self._queue_shown:
            self._show_queue(queue)
            if not queue and self.queue.has_focus:
                self.view.focus()
        self.side.display = side > 0
        if side:
            self.side.styles.width = side

    def on_resize(self) -> None:
        self.fit_layout()

    # ------------------------------------------------------------------ rendering: the one place

    def render_state(self, changed: Change) -> None:
        """Draw the parts of the screen ``changed`` names from the state (the top bar, when named,
        is drawn only when what it says changed)."""
        state = self.state
        if changed & Change.HIGHLIGHT:
            span = state.selected
            self.view.set_highlight((span.start, span.end) if span else None)
        if changed & Change.SIDE:
            self._render_side()
        if changed & Change.LEGEND:
            self.side.show_legend(char_mode=state.char_mode)
        if not changed & Change.TOPBAR:
            return  # (a cursor move: its facts, the queue position among them, are not read again)
        facts = state.topbar(
            review=self.review.status() if self.review.active else "",
            progress=self.feed.progress,
            retraining=self.retrainer.running,
        )
        self.query_one(TopBar).show(facts)

    def _render_side(self) -> None:
        state = self.state
        text = state.doc.text if state.doc else ""
        index = self.view.spans
        selected = state.selected_id
        around = index.position(selected) if selected in index.by_id else 0
        first, window = index.window(around, SPAN_LIST_SIZE)
        total = state.spans_total if state.spans_total is not None else len(index)
        here = state.suggestions.get(state.suggestion_here) if state.suggestion_here is not None else None
        side = self.side
        with side.drawing_together():  # the rows that differ are repainted once, after both parts
            side.show_spans(text, first, [state.spans[s.id] for s in window], total, selected)
            if selected is None and here is not None:
                side.show_suggestion(text, here)
            else:
                side.show_attrs(text, state.selected, state.spans)

    def _sync_selected(self) -> None:
        """The selected span is the innermost span under the cursor (or the one tab chose)."""
        view = self.view
        inner = view.spans.innermost(view.cursor)
        found = self.review.under_cursor() if self.state.suggestions else None
        self.render_state(
            self.state.select(view.cursor, inner.id if inner else None, found.id if found is not None else None)
        )

    def show_opened(
        self,
        doc: OpenedDocument | None,
        queue: QueueWindow,
        prepared: tm.PreparedDocument | None = None,
        notice: str = "",
    ) -> None:
        """Show ``doc`` (None: there is none) from the start; the queue's highlight moves to it."""
        changed = self.state.opened(doc, queue)
        self.review.reset()
        self.match_count.hide()  # the matches were in the document shown before
        if doc is None:
            self.view.load("", [])
            self.queue.show(queue, None)
            self.render_state(changed)
            return
        if prepared is None or prepared.text is not doc.text:
            prepared = tm.prepare(doc.text, [span_view(s) for s in doc.spans])
        self.view.load_prepared(prepared, cursor=0)
        self.queue.show(queue, doc.id)
        self.render_state(changed)
        self._sync_selected()
        if notice:
            self.notify(display_text(notice), markup=False)
        self.suggest(doc.id)

    def suggest(self, document_id: int) -> None:
        if self.suggestions_enabled and self.controller is not None:
            self.feed.start(document_id, focus=self.view.cursor)

    def show_outcome(self, outcome: Outcome) -> None:
        """A command's stored result: the state, then the view and the queue get what changed."""
        changed, span_delta = self.state.apply_outcome(outcome)
        if outcome.spans:
            self.view.update_spans({i: (span_view(s) if s is not None else None) for i, s in outcome.spans.items()})
        if outcome.suggestions:
            self.view.update_suggestions(
                {sid: (suggestion_view(r) if r else None) for sid, r in outcome.suggestions.items()}
            )
        if self.state.doc is not None:
            self.queue.update_row(self.state.doc.id, status=self.state.status[0], span_delta=span_delta)
        self.render_state(changed)
        if outcome.suggestions:
            self.review.refresh()

    # ------------------------------------------------------------------ suggestions

    def show_suggestions(self, changes: dict[int, OpenSuggestion | None], *, replace: bool = False) -> None:
        """Show these open suggestions (None: gone); ``replace``: they are all there are."""
        changed = self.state.show_suggestions(changes, every=replace)
        if replace:
            self.view.set_suggestions(suggestion_view(r) for r in self.state.suggestions.values())
        elif changes:
            self.view.update_suggestions({sid: (suggestion_view(r) if r else None) for sid, r in changes.items()})
        self.render_state(changed)
        self.review.refresh()

    def refresh_suggestion_state(self) -> None:
        """The review moved the cursor or changed mode: show where it is."""
        self._sync_selected()
        self.render_state(Change.TOPBAR | Change.SIDE)

    def say(self, message: str, severity: str = "information") -> None:
        self.notify(display_text(message), severity=severity, markup=False, timeout=4)  # type: ignore[arg-type]

    _say = say

    def decide_suggestion(self, action: str, suggestion_id: int | None, what: str) -> None:
        """Accept, reject (``suggestion_id``) or accept all, as one undoable command."""
        if self.state.doc is not None and self.controller is not None:
            from annotator.services.commands.annotate import SuggestionEdit

            doc_id, who = self.state.doc.id, self.controller.who
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

    # ------------------------------------------------------------------ running commands

    def _run(self, build: Callable[[], AnnotateCommand | None]) -> None:
        """Queue a command that ``build()`` makes when its turn comes (or None: nothing to do);
        the first change to a document still todo makes it in progress (opening it does not)."""

        def built() -> AnnotateCommand | None:
            from annotator.services.commands.annotate import SpanEdit, SuggestionEdit

            command = build()
            if isinstance(command, SpanEdit | SuggestionEdit) and self.state.status[0] == "todo":
                command.starts = True
            return command

        self.jobs.run_when_due(built, Direction.DO, then=self._command_done, failed=self._refused)

    def _refused(self, exc: BaseException) -> None:
        """Another session changed or deleted what the write was about: show the spans as stored now."""
        from annotator.services.annotations import VersionConflict

        if isinstance(exc, VersionConflict) and self.state.doc is not None:
            self.steps.reload_spans(self.state.doc.id)

    def _command_done(self, command: AnnotateCommand, outcome: Outcome, direction: Direction = Direction.DO) -> None:
        from annotator.services.commands.annotate import SpanEdit, StatusEdit

        if direction is not Direction.DO:
            verb = "Undid" if direction is Direction.UNDO else "Redid"
            self.notify(display_text(f"{verb}: {command.description}"), markup=False, timeout=2)
        if direction is Direction.DO and isinstance(command, StatusEdit) and command.finishes:
            self.retrainer.document_done()
        if self.state.doc is None or outcome.document_id != self.state.doc.id:
            self.steps.open(outcome.document_id)  # the change was in another document: show it there
            return
        self.show_outcome(outcome)
        if direction is Direction.DO and isinstance(command, SpanEdit):
            added = command.added(outcome)
            self.view.clear_selection()
            if len(added) == 1:  # the new span is the selected one until the cursor moves
                self.state.pin(added[0].id, self.view.cursor)
        self._sync_selected()

    def action_undo(self) -> None:
        if not self.jobs.history.can_undo:
            self.say("Nothing to undo.")
            return
        self.jobs.undo(then=lambda c, o: self._command_done(c, o, Direction.UNDO), failed=self._refused)

    def action_redo(self) -> None:
        if not self.jobs.history.can_redo:
            self.say("Nothing to redo.")
            return
        self.jobs.redo(then=lambda c, o: self._command_done(c, o, Direction.REDO), failed=self._refused)

    def _current(self) -> SpanData | None:
        return self.state.selected

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
        if action in needs_doc and self.state.doc is None and self.state.shown:
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

    # ------------------------------------------------------------------ events

    @on(DocumentQueue.Open)
    def _queue_open(self, event: DocumentQueue.Open) -> None:
        self.view.focus()
        if self.state.doc is None or event.document_id != self.state.doc.id:
            self.steps.open(event.document_id)

    @on(DocumentQueue.Wanted)
    def _queue_wanted(self, event: DocumentQueue.Wanted) -> None:
        if self.controller is not None and event.filter_name == self.queue.filter:
            self.steps.read_queue(event.first)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.search_bar.close()
        self.view.focus()
        if self.state.doc is None:
            return
        if not self.state.search(event.value):
            self.say(f"No match for “{safe_line(event.value, 60)}”.")
            return
        self._jump(1, from_offset=self.view.cursor - 1)

    # ------------------------------------------------------------------ help

    def binding_rows(self) -> list[tuple[str, str, str]]:
        """(keys as remapped, description, id) of every binding of this screen and its widgets."""
        return bindings.help_rows(self)

    def action_help(self) -> None:
        from annotator.schemas.guidelines import schema_guidelines_text

        span = self._current()
        bindings.show_help(self, schema_guidelines_text(self.schema, span.label if span is not None else None))

    def on_unmount(self) -> None:
        self.retrainer.close()
        self.feed.close()
