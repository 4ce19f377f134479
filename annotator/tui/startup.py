"""The annotate screen's start-up handshake: paint first, open the database behind.

At start-up the screen is up before the database is open: it may first show what
``services.first_read`` read (``show_first``: the app's fastest way to a painted article).
Its steps wait, in order, until ``attach`` hands it the ``Controller``; the first of them
reads the shown article again through the services and shows what they return (``reread``):
the same article keeps its cursor, scroll and wrapped rows. Nothing here imports SQLAlchemy
at module level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from annotator.tui import textmodel as tm
from annotator.tui.annotate_state import span_view
from annotator.tui.dbjobs import Job

if TYPE_CHECKING:
    from annotator.services.first_read import FirstScreen
    from annotator.services.queue_window import QueueWindow
    from annotator.services.records import OpenedDocument
    from annotator.tui.controller import Controller
    from annotator.tui.screens.annotate import AnnotateScreen


class Startup:
    def __init__(self, screen: AnnotateScreen) -> None:
        self.screen = screen

    def show_first(self, first: FirstScreen, prepared: tm.PreparedDocument | None, _waited: int = 0) -> None:
        """Show what ``services.first_read`` read, then have the app open the database."""
        screen = self.screen
        screen.app.first_screen = None  # type: ignore[attr-defined]
        if not screen.view.size.width and _waited < 3:  # not laid out yet: wrap at the real width
            screen.call_after_refresh(self.show_first, first, prepared, _waited + 1)
            return
        if not first.spans_complete:
            screen.state.spans_total = first.spans_total
        screen.show_opened(first.document, first.queue, prepared=prepared)
        # after the article is on screen and wrapped: opening the database (SQLAlchemy, every
        # span of a big article again) is CPU work that would compete with the wrapping
        # worker and with the keys pressed meanwhile
        screen.call_after_refresh(screen.view.when_wrapped, screen.app.start_database)  # type: ignore[attr-defined]
        if screen.suggestions_enabled:  # its worker process starts while the article wraps
            text = first.document.text if first.document is not None else ""
            screen.call_after_refresh(screen.feed.warm_up, text, screen.view.cursor)

    def attach(self, controller: Controller) -> None:
        """The database is open: read the shown article again through the services (the
        first step, ahead of any key pressed meanwhile) and let the waiting steps run."""
        screen = self.screen
        screen.controller = screen.jobs.runner = controller
        screen.schema = screen.side.schema = controller.schema  # validated now
        if screen.suggestions_enabled:
            screen.feed.warm_up()
        screen.side.show_legend(char_mode=screen.state.char_mode)
        info = controller.info
        if info.created:  # the first start under this name (any case of a stored name finds it)
            screen.say(f"new annotator {info.annotator_name!r} created")

        def prepare() -> Job:
            shown = screen.state.doc
            filter_name = screen.queue.filter
            paras = screen.view.paras
            drawn = [(s.id, s.label, s.start, s.end) for s in screen.view.spans.ordered()]

            def work() -> tuple[OpenedDocument | None, QueueWindow, Any, bool]:
                from annotator.services import queue
                from annotator.services import session_ops as ops

                who = info.annotator_id
                target = shown.id if shown is not None else info.last_document_id
                if target is None or not controller.fetch(queue.in_queue, annotator_id=who, document_id=target):
                    target = controller.fetch(queue.first_document, annotator_id=who)
                rows = controller.fetch(queue.window, annotator_id=who, filter_name=filter_name, document_id=target)
                if target is None:
                    return None, rows, None, False
                opened = controller.write(ops.open_document, document_id=target, annotator_id=who)
                views = [span_view(s) for s in opened.spans]
                if shown is None or opened.id != shown.id or opened.text != shown.text:
                    return opened, rows, tm.prepare(opened.text, views), False
                # the same article: keep the view (cursor, scroll, wrapped rows); its spans are
                # swapped only if they differ from those drawn (a big article's first ones)
                same = drawn == [(v.id, v.label, v.start, v.end) for v in views]
                return opened, rows, None if same else tm.SpanIndex(paras, views), True

            return Job(work, lambda result: self.reread(*result), "open the document")

        screen.jobs.submit(prepare, first=True)
        screen.jobs.release()

    def reread(self, doc: OpenedDocument | None, rows: QueueWindow, model: Any, same: bool) -> None:
        """The article as the services read it: the one shown (only its spans, status and
        queue may differ; the cursor stays) or another one (shown afresh)."""
        screen = self.screen
        screen.state.spans_total = None
        shown = screen.state.doc
        if doc is None or not same or shown is None or shown.id != doc.id:
            screen.show_opened(doc, rows, prepared=model)
            return
        changed = screen.state.reread(doc, rows)
        screen.queue.show(rows, doc.id)
        if model is not None:
            screen.view.replace_spans(model)
        screen.render_state(changed)
        screen._sync_selected()  # the span under the cursor is selected again, as read now
        screen.suggest(doc.id)
