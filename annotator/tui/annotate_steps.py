"""The annotate screen's database steps that are not commands: open a document (the next
one found by one indexed query; the queue's window moves with it), read the queue under its
filter, read the spans again after a refused write, record the time spent before quitting.

Each is one step of the screen's ordered ``DbJobs`` queue; reads are ``fetch``-ed in a
read-only transaction, writes (opening a document records it as the annotator's current one
and adds the time spent on the one left) are ``write``-n.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from annotator.tui import textmodel as tm
from annotator.tui.annotate_state import Change, span_view
from annotator.tui.dbjobs import Job

if TYPE_CHECKING:
    from annotator.services.queue_window import QueueWindow
    from annotator.services.records import OpenedDocument, SpanData
    from annotator.tui.controller import Controller
    from annotator.tui.screens.annotate import AnnotateScreen


Opened = tuple["OpenedDocument | None", "QueueWindow", "tm.PreparedDocument | None"]


class AnnotateSteps:
    def __init__(self, screen: AnnotateScreen) -> None:
        self.screen = screen

    @property
    def controller(self) -> Controller:
        controller = self.screen.controller
        assert controller is not None  # steps run once the database is open
        return controller

    def open(self, document_id: int | None, *, first: bool = False, then_notify: str = "") -> None:
        """Open a document (None, or one not in the queue: the queue's first) as one database step."""
        self._open(lambda controller, who: document_id, first=first, then_notify=then_notify)

    def open_neighbour(self, step: int, *, unfinished: bool = False, none_left: str = "") -> None:
        """Open the document after (``step`` > 0) or before the shown one in the filtered queue
        (``unfinished``: the next one still to do, in any filter, wrapping around). One indexed
        query finds it, at any corpus size; when there is none, say ``none_left``."""
        screen = self.screen
        doc = screen.state.doc
        if doc is None:
            return
        here, filter_name = doc.id, "unfinished" if unfinished else screen.queue.filter

        def target(controller: Controller, who: int) -> int | None:
            from annotator.services import queue

            return controller.fetch(
                queue.neighbour, annotator_id=who, document_id=here, step=step, filter_name=filter_name, wrap=unfinished
            )

        self._open(target, none_left=none_left, step_from=None if unfinished else here)

    def _open(
        self,
        choose: Callable[[Controller, int], int | None],
        *,
        first: bool = False,
        then_notify: str = "",
        none_left: str = "",
        step_from: int | None = None,
    ) -> None:
        """Open the document ``choose`` names (in the worker: it may read the database) and
        move the queue's highlight to it; ``none_left``: when it names none, say so instead;
        ``step_from``: it names the neighbour of that document (in the queue: not checked again)."""
        screen = self.screen

        def prepare() -> Job:
            controller = self.controller
            who = controller.info.annotator_id
            state = screen.state
            leaving = (state.doc.id, state.take_seconds()) if state.doc is not None and not first else None
            filter_name, known = screen.queue.filter, screen.queue.known()

            def work() -> Opened | None:
                from annotator.services import queue
                from annotator.services import session_ops as ops

                target = choose(controller, who)
                if target is None and none_left:  # the shown document stays: keep its time so far
                    if leaving:
                        controller.write(ops.add_time, document_id=leaving[0], annotator_id=who, seconds=leaving[1])
                    return None
                if target is None or not (
                    none_left or controller.fetch(queue.in_queue, annotator_id=who, document_id=target)
                ):
                    target = controller.fetch(queue.first_document, annotator_id=who)
                if target is None:
                    if leaving:
                        controller.write(ops.add_time, document_id=leaving[0], annotator_id=who, seconds=leaving[1])
                    empty = controller.fetch(queue.window, annotator_id=who, filter_name=filter_name, document_id=None)
                    return None, empty, None
                opened = controller.write(ops.open_document, document_id=target, annotator_id=who, leaving=leaving)
                window = controller.fetch(
                    queue.moved,
                    annotator_id=who,
                    filter_name=filter_name,
                    document_id=target,
                    known=known,
                    step_from=step_from,
                )
                # wrapping aside, the view's model is built here, off the event loop
                return opened, window, tm.prepare(opened.text, [span_view(s) for s in opened.spans])

            def done(result: Opened | None) -> None:
                if result is None:
                    screen.say(none_left)
                    return
                screen.show_opened(*result, notice=then_notify)

            return Job(work, done, "open the document")

        screen.jobs.submit(prepare)

    def read_queue(self, first: int | None = None) -> None:
        """Read the queue again under its filter (``first``: the rows from that position, as
        scrolled to; else around the shown document, with the counts) and show it."""
        screen = self.screen

        def prepare() -> Job:
            controller = self.controller
            who = controller.info.annotator_id
            filter_name, shown = screen.queue.filter, screen.state.doc
            doc_id = shown.id if shown is not None else None
            old = screen.queue.window

            def work() -> QueueWindow:
                from annotator.services import queue

                if first is not None and old is not None and old.filter == filter_name:
                    rows = controller.fetch(queue.page, annotator_id=who, filter_name=filter_name, first=first)
                    if len(rows) < queue.WINDOW:  # the queue ends there now (documents went meanwhile)
                        return replace(old, first=first, rows=rows, total=min(old.total, first + len(rows)))
                    return replace(old, first=first, rows=rows)
                return controller.fetch(queue.window, annotator_id=who, filter_name=filter_name, document_id=doc_id)

            def done(window: QueueWindow) -> None:
                if window.filter != screen.queue.filter:
                    return  # the filter changed meanwhile: its own read follows
                screen.queue.show(window, doc_id, follow=first is None)
                if first is None:
                    screen.state.queue = window
                    screen.render_state(Change.TOPBAR)

            return Job(work, done, "read the queue")

        screen.jobs.submit(prepare)

    def reload_spans(self, document_id: int) -> None:
        """Another session changed or deleted what a write was about: show the spans as stored now
        (ahead of every step still waiting)."""
        screen = self.screen

        def shown(fresh: list[SpanData]) -> None:
            from annotator.services.commands.annotate import Outcome

            state = screen.state
            if state.doc is None or state.doc.id != document_id:
                return
            now = {s.id: s for s in fresh}
            changed: dict[int, SpanData | None] = {i: None for i in state.spans if i not in now}
            changed.update({i: s for i, s in now.items() if state.spans.get(i) != s})
            if changed:
                screen.show_outcome(Outcome(document_id, spans=changed))

        def prepare() -> Job:
            from annotator.services.annotations import spans_for

            controller = self.controller
            who = controller.info.annotator_id
            return Job(
                lambda: controller.fetch(spans_for, document_id=document_id, annotator_id=who),
                shown,
                "reload the spans",
            )

        screen.jobs.submit(prepare, first=True)

    def record_time_and_exit(self) -> None:
        """Add the time on the shown document, then end the app (also when that fails)."""
        screen = self.screen

        def prepare() -> Job:
            controller = self.controller
            doc_id = screen.state.doc.id if screen.state.doc is not None else None
            seconds = screen.state.take_seconds()

            def work() -> None:
                from annotator.services import session_ops as ops

                if doc_id is not None:
                    controller.write(
                        ops.add_time, document_id=doc_id, annotator_id=controller.info.annotator_id, seconds=seconds
                    )

            return Job(
                work,
                lambda _: screen.app.exit(),
                "record the time spent",
                failed=lambda _: screen.app.exit(),
                retry=False,
            )

        screen.jobs.submit(prepare)
