"""The annotate screen's database steps that are not commands: open a document (with the
queue), read the spans again after a refused write, record the time spent before quitting.

Each is one step of the screen's ordered ``DbJobs`` queue; reads are ``fetch``-ed in a
read-only transaction, writes (opening a document records it as the annotator's current one
and adds the time spent on the one left) are ``write``-n.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from annotator.tui import textmodel as tm
from annotator.tui.annotate_state import span_view
from annotator.tui.dbjobs import Job

if TYPE_CHECKING:
    from annotator.services.records import OpenedDocument, QueueRow, SpanData
    from annotator.tui.controller import Controller
    from annotator.tui.screens.annotate import AnnotateScreen


class AnnotateSteps:
    def __init__(self, screen: AnnotateScreen) -> None:
        self.screen = screen

    @property
    def controller(self) -> Controller:
        controller = self.screen.controller
        assert controller is not None  # steps run once the database is open
        return controller

    def open(self, document_id: int | None, *, first: bool = False, then_notify: str = "") -> None:
        """Open a document (None: the first one) and refresh the queue, as one database step."""
        screen = self.screen

        def prepare() -> Job:
            controller = self.controller
            who = controller.info.annotator_id
            state = screen.state
            leaving = (state.doc.id, state.take_seconds()) if state.doc is not None and not first else None

            def work() -> tuple[OpenedDocument | None, list[QueueRow], tm.PreparedDocument | None]:
                from annotator.services import session_ops as ops

                rows = controller.fetch(ops.queue, annotator_id=who)
                target = document_id
                if target is None or all(r.document_id != target for r in rows):
                    target = rows[0].document_id if rows else None
                if target is None:
                    if leaving:
                        controller.write(ops.add_time, document_id=leaving[0], annotator_id=who, seconds=leaving[1])
                    return None, rows, None
                opened = controller.write(ops.open_document, document_id=target, annotator_id=who, leaving=leaving)
                rows = [replace(r, status=opened.status) if r.document_id == opened.id else r for r in rows]
                # wrapping aside, the view's model is built here, off the event loop
                return opened, rows, tm.prepare(opened.text, [span_view(s) for s in opened.spans])

            def done(result: tuple[OpenedDocument | None, list[QueueRow], tm.PreparedDocument | None]) -> None:
                screen.show_opened(*result, notice=then_notify)

            return Job(work, done, "open the document")

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
