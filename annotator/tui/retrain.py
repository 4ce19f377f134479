"""The annotation screen's model in the loop: retrained in the background as documents get done.

After every ``app.retrain_every`` documents marked done in this session (default 10; 0:
never), ``Retrainer`` has a thread worker read the training spans as ``annotator train`` with
no ``--from`` does (gold, else every done document; a read-only transaction), then train in
a child process at a lower priority (``services.train_worker``: loading the gazetteer in this
process would hold the interpreter lock for 200 ms and more), which stores the pipeline in
``$ANNOTATOR_MODELS``; then the suggestion feed prepares a suggester that loads it. The
next document opened is suggested with it. Only bookkeeping runs on the UI thread, and a
retraining asked for while one runs is folded into the next one.
"""

from __future__ import annotations

from typing import Any


class Retrainer:
    def __init__(self, screen: Any) -> None:
        self.screen = screen
        self.done_since = 0  # documents marked done since the last retraining started
        self.running = False
        self.retrained = 0  # over the session: what a test counts
        self.last_result: dict[str, Any] | None = None
        self._process: Any = None  # services.train_worker.TrainProcess, while training

    @property
    def every(self) -> int:
        return int(getattr(self.screen.app, "retrain_every", 10) or 0)

    def document_done(self) -> None:
        """A document was marked done (the database said so)."""
        if not self.screen.suggestions_enabled or self.every <= 0 or self.screen.controller is None:
            return
        self.done_since += 1
        if self.done_since < self.every or self.running:
            return
        self.done_since = 0
        self.running = True
        self.screen.run_worker(self._train, thread=True, group="retrain", exit_on_error=False)

    def _train(self) -> None:
        """Worker thread: read (read-only), train in a child process, prepare the next suggester."""
        from annotator.services import training
        from annotator.services.train_worker import TrainProcess

        app, controller = self.screen.app, self.screen.controller
        self._process = TrainProcess()
        try:
            schema = controller.schema
            examples, used = controller.fetch(training.examples_from, schema=schema, names=None)
            result = self._process.run(schema, examples, used)
            self.screen.feed.prepare_new_model()
        except Exception as exc:  # a model is a help: annotating goes on without a new one
            app.call_from_thread(self._finished, None, exc)
            return
        app.call_from_thread(self._finished, result, None)

    def close(self) -> None:
        """The screen goes: a training still running is ended (``crf.train`` writes meta.json
        last and whole, so a pipeline cut short is never found)."""
        if self._process is not None:
            self._process.kill()

    def _finished(self, result: dict[str, Any] | None, exc: BaseException | None) -> None:
        self.running = False
        self.screen.refresh_suggestion_state()
        if result is None:
            self.screen.say(f"Suggestion model not retrained: {exc}", "warning")
            return
        self.retrained += 1
        self.last_result = result
        scores = result["scores"]
        self.screen.say(
            f"Suggestion model retrained on {result['documents']} documents (held back {result['held_back']}: "
            f"precision {scores['precision']:.2f}, recall {scores['recall']:.2f}); the next document uses it."
        )
