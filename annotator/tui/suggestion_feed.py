"""The annotation screen's suggestions: shown at once, computed behind, stored in short steps.

For the document that is opened, ``SuggestionFeed.start``:

1. reads (read-only, never the write lock) the open suggestions stored now and what
   computing needs, in a thread worker, and shows the stored ones;
2. has ``services.suggestions.background.Suggester`` compute, in its worker process, the
   window under the cursor first and then the rest, and
3. stores each window's suggestions as one database step of the screen's ordered queue
   (one short bulk write; a span tagged meanwhile wins), then shows them.

Opening another document, or quitting, sets the old compute's cancel flag: the worker stops
before its next window and nothing more is stored for the old document. The top bar says
"suggesting… 40%" while windows remain.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from annotator.store.late_imports import load_database_layer
from annotator.tui.dbjobs import Job

if TYPE_CHECKING:
    from annotator.services.records import OpenSuggestion
    from annotator.services.suggestions.background import Batch, Suggester


STORE_EVERY = 0.25  # seconds between two stores of suggestions after the first


class SuggestionFeed:
    def __init__(self, screen: Any, make_suggester: Callable[[], Suggester] | None = None) -> None:
        self.screen = screen
        self._make_suggester = make_suggester
        self._suggester: Suggester | None = None
        self._cancel = threading.Event()
        self._cancel.set()  # nothing running
        self.progress: float | None = None  # fraction of windows done, while computing
        self.batches_stored = 0  # over the session: what a test counts
        self._warming = False
        self._making = threading.Lock()  # the suggester is made once, whichever thread asks first
        self._unstored: list[Batch] = []  # windows computed, waiting for their store step
        self._store_queued = False
        self._last_store = 0.0
        self._next_suggester: Suggester | None = None  # built with a newly trained model, for the next document
        self._swap_lock = threading.Lock()
        self._closed = False

    @property
    def idle(self) -> bool:
        """No computed window waits to be stored (a compute may still be running)."""
        return not self._store_queued and not self._unstored

    # ---------------------------------------------------------------- lifecycle

    @property
    def suggester(self) -> Suggester:
        with self._making:
            return self._make()

    def _make(self) -> Suggester:
        if self._suggester is None:
            self._suggester = self._build()
        return self._suggester

    def _build(self) -> Suggester:
        """A new suggester: the app's factory's, else a worker process (it loads the newest model)."""
        load_database_layer()  # this thread may import it while the database opens (store/late_imports.py)
        if self._make_suggester is not None:
            return self._make_suggester()
        from annotator.services.suggestions.background import Suggester

        return Suggester(self.screen.schema)  # a preview is validated in the worker

    def warm_up(self, text: str = "", focus: int = 0) -> None:
        """Start the worker process in the background (the first document will need it);
        ``text``: the article on screen and ``focus`` the cursor's offset: the worker computes
        the suggestions of the window on screen ahead, while the database opens."""
        if self._warming and not text:
            return
        self._warming = True
        self.screen.run_worker(
            lambda: self._warm_up(text, focus), thread=True, group="suggest-warm-up", exit_on_error=False
        )

    def _warm_up(self, text: str, focus: int) -> None:
        try:
            self.suggester.warm_up(text, focus)
        except Exception:  # reported when a document's suggestions are computed
            pass

    def prepare_new_model(self) -> None:
        """Worker thread, after a retraining: build and start a suggester (it loads the newest
        model); the next document opened is computed by it, the running one is left alone."""
        fresh = self._build()
        fresh.warm_up()
        stale: Suggester | None
        with self._swap_lock:
            if self._closed:  # the screen went while it started
                stale = fresh
            else:
                stale, self._next_suggester = self._next_suggester, fresh
        if stale is not None:
            stale.close()

    def _take_new_model(self) -> None:
        with self._swap_lock:
            fresh, self._next_suggester = self._next_suggester, None
        if fresh is not None:
            with self._making:
                old, self._suggester = self._suggester, fresh
            if old is not None:
                old.close()  # its compute was cancelled: a call in flight fails, unseen

    def stop(self) -> None:
        """Cancel the running compute: nothing more is computed or stored for it."""
        self._cancel.set()
        self.progress = None
        self._unstored = []

    def close(self) -> None:
        self.stop()
        with self._swap_lock:
            self._closed = True
        self._take_new_model()
        if self._suggester is not None:
            self._suggester.close()

    # ---------------------------------------------------------------- one document

    def start(self, document_id: int, focus: int) -> None:
        self.stop()
        self._take_new_model()
        cancel = self._cancel = threading.Event()
        self.progress = 0.0
        self.screen.run_worker(
            lambda: self._compute(document_id, focus, cancel), thread=True, group="suggest", exit_on_error=False
        )

    def _current(self, document_id: int, cancel: threading.Event) -> bool:
        doc = self.screen.doc
        return not cancel.is_set() and doc is not None and doc.id == document_id

    def _compute(self, document_id: int, focus: int, cancel: threading.Event) -> None:
        """Worker thread: read, then compute window by window; each batch goes to the UI thread."""
        from annotator.services import session_ops as ops

        app = self.screen.app
        controller = self.screen.controller
        try:
            inputs, shown = controller.fetch(
                ops.suggestion_inputs, document_id=document_id, annotator_id=controller.info.annotator_id
            )
            if cancel.is_set():
                return
            app.call_from_thread(self._show_stored, document_id, cancel, shown)
            if inputs is None:
                return
            complete = self.suggester.run(
                inputs,
                focus=focus,
                cancelled=cancel.is_set,
                deliver=lambda batch: app.call_from_thread(self._store, batch, cancel),
            )
        except Exception as exc:  # suggestions are a help, never a reason to stop annotating
            if not cancel.is_set():
                app.call_from_thread(self._failed, cancel, exc)
            return
        if complete:
            app.call_from_thread(self._finished, document_id, cancel)

    def _show_stored(self, document_id: int, cancel: threading.Event, shown: list[OpenSuggestion]) -> None:
        if self._current(document_id, cancel):
            self.screen.show_suggestions({row.id: row for row in shown}, replace=True)

    def _store(self, batch: Batch, cancel: threading.Event) -> None:
        """UI thread: queue one window's suggestions for storing. Windows that arrive while a
        store waits its turn go into the same step (one transaction)."""
        if not self._current(batch.document_id, cancel):
            return
        if batch.done < batch.total:
            self.progress = batch.fraction
        self._unstored.append(batch)
        if self._store_queued:
            return
        self._store_queued = True
        controller = self.screen.controller

        def prepare() -> Job | None:
            self._store_queued = False
            batches, self._unstored = self._unstored, []
            batches = [b for b in batches if self._current(b.document_id, cancel)]
            if not batches:
                return None  # moved on while they waited their turn: not stored

            def work() -> tuple[list[OpenSuggestion], list[int]]:
                from annotator.services import session_ops as ops

                return controller.write(  # type: ignore[no-any-return]
                    ops.store_suggestion_batches,
                    document_id=batches[0].document_id,
                    annotator_id=controller.info.annotator_id,
                    batches=[(b.within, b.suggestions) for b in batches],
                )

            def done(result: tuple[list[OpenSuggestion], list[int]]) -> None:
                self.batches_stored += len(batches)
                self._last_store = time.monotonic()
                if not self._current(batches[0].document_id, cancel):
                    return
                rows, removed = result
                changes: dict[int, Any] = {sid: None for sid in removed}
                changes.update((row.id, row) for row in rows)
                self.screen.show_suggestions(changes)

            return Job(work, done, "store the suggestions", retry=False)

        # the first window (on screen) is stored at once; later ones at most every
        # STORE_EVERY seconds, gathered into one step: fewer writes for the keys to meet
        wait = STORE_EVERY - (time.monotonic() - self._last_store) if self.batches_stored else 0.0
        if wait > 0:
            self.screen.set_timer(wait, lambda: self.screen.jobs.submit(prepare, background=True))
        else:
            self.screen.jobs.submit(prepare, background=True)  # a person's change goes first

    def _finished(self, document_id: int, cancel: threading.Event) -> None:
        if self._current(document_id, cancel):
            self.progress = None
            self.screen.show_suggestions({})

    def _failed(self, cancel: threading.Event, exc: BaseException) -> None:
        if cancel.is_set():
            return
        self.progress = None
        self.screen.show_suggestions({})
        self.screen.say(f"No suggestions for this document: {exc}", "warning")
