"""The annotation screen's model in the loop: retrained in the background as documents get done.

After every ``app.retrain_every`` documents marked done in this session (default 10; 0:
never), ``Retrainer`` runs ``services.training`` in a thread worker, as ``annotator train``
does with no ``--from``: it reads the training spans (gold, else every done document) in a
read-only transaction, trains after that transaction ended (the CRF is written to
``$ANNOTATOR_MODELS``), and has the suggestion feed prepare a suggester that loads the new
pipeline. The next document opened is suggested with it. Keys are never held: nothing here
runs on the UI thread but the bookkeeping, and a retraining asked for while one runs is
folded into the next one.
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
        """Worker thread: read, train, store, prepare the next suggester."""
        from annotator.services import training
        from annotator.services.suggestions.gazetteer import load_gazetteer

        app, controller = self.screen.app, self.screen.controller
        try:
            schema = controller.schema
            examples, used = controller.fetch(training.examples_from, schema=schema, names=None)
            gazetteer = load_gazetteer(None, schema)
            gazetteer.places = None  # the model's features: names of the lists (as annotator train)
            result = training.train_examples(examples, used, schema, gazetteer=gazetteer)
            self.screen.feed.prepare_new_model()
        except Exception as exc:  # a model is a help: annotating goes on without a new one
            app.call_from_thread(self._finished, None, exc)
            return
        app.call_from_thread(self._finished, result, None)

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
