"""Suggestions for the document being annotated, computed off the database and off the app.

The flow never holds a transaction while it computes:

1. ``read_inputs`` (a short read: the text, the annotator's spans and rejections, what they
   tagged elsewhere) returns plain data; the session is closed.
2. ``Suggester.run`` computes window by window (``windows``), the window under ``focus``
   (what is on screen) first, then outwards, in a worker process of its own, so the
   CPU-bound rules never compete with the app for the interpreter. After each window it
   checks ``cancelled`` (the annotator moved on, or quit) and hands a ``Batch`` to
   ``deliver``.
3. The caller stores each batch with ``store.store_suggestions(within=batch.within)``: one
   short bulk write, checked against the spans as they are then.

Nothing here knows about the app: it is plain Python over plain data.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from annotator.services.suggestions import windows
from annotator.services.suggestions.base import Suggestion
from annotator.services.suggestions.propagation import Tagged

if TYPE_CHECKING:
    from annotator.schemas.labels import LabelSchema
    from annotator.schemas.preview import SchemaPreview
    from annotator.services.suggestions.engine import Sources

Key = tuple[str, int, int]


@dataclass(frozen=True)
class Inputs:
    """Everything computing one document's suggestions needs, read in one short read."""

    document_id: int
    text: str
    existing: tuple[Key, ...]
    rejected: frozenset[Key]
    tagged: Tagged | None


@dataclass(frozen=True)
class Batch:
    """One window's suggestions, to be stored for the range ``within`` (its core)."""

    document_id: int
    within: tuple[int, int]
    suggestions: list[Suggestion]
    done: int  # windows finished so far, this one included
    total: int

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


def read_inputs(session: Any, *, document_id: int, annotator_id: int, propagation: bool = True) -> Inputs | None:
    """The inputs for ``annotator_id`` on ``document_id`` (None: the document is gone). Reads only."""
    from annotator.services import annotations as ann
    from annotator.services.suggestions.propagation import tagged_by
    from annotator.services.suggestions.store import REJECTED, decided_keys
    from annotator.store.models import Document

    document = session.get(Document, document_id)
    if document is None:
        return None
    existing = tuple((s.label, s.start, s.end) for s in ann.spans_for(session, document_id, annotator_id))
    rejected = frozenset(decided_keys(session, document_id, annotator_id, REJECTED))
    tagged = tagged_by(session, annotator_id) if propagation else None
    return Inputs(document_id, document.text, existing, rejected, tagged)


# ------------------------------------------------------------------ the worker's side

_worker: dict[str, Any] = {}


def _start_worker(
    schema: LabelSchema | SchemaPreview, options: dict[str, Any], state: dict[str, Any] = _worker
) -> None:
    from annotator.schemas.preview import SchemaPreview
    from annotator.services.suggestions.engine import Sources

    if isinstance(schema, SchemaPreview):  # validated here, off the app's start-up
        schema = schema.validate()
    built = _prebuilt.pop("sources", None)  # ``preload``'s, for the bundled schema (warmed up there)
    if built is not None and not options and built.schema == schema:
        from annotator.services.suggestions.engine import _newest_trained

        built.trained = _newest_trained(schema, None)  # asked now: a model may have been trained since
        state["sources"] = built
        return
    state["sources"] = Sources.build(schema, **options)
    warm_up(state["sources"])


def warm_up(sources: Sources, sample: str = "") -> None:
    """Run the rules once on a short text, so indexes they load on first use (places, and
    the places of each country the text names, actor lists) are loaded now and not when the
    first window on screen is wanted. ``sample``: the start of the article about to open."""
    from annotator.services.suggestions.engine import raw_suggestions

    raw_suggestions(sample or _SAMPLE, sources)


# a made-up report that takes the rules' main paths (a figure, victims, a demonym, a quote and its speaker), so
# what they load on first use is loaded by a warm-up
_SAMPLE = (
    'Seleka rebels attacked Bangui, Central African Republic, "we fled," a resident said. Two Chadian soldiers and '
    "20 villagers were killed in the town of Boda on Monday, the U.N. mission said. Hundreds of people have fled."
)


def _warm_on(sample: str, state: dict[str, Any] = _worker) -> None:
    """Warm up on ``sample``, the text of the window the app will ask for first, and keep its
    raw suggestions for that ask (``_suggest_window``): computed while the app opens the database."""
    from annotator.services.suggestions.engine import raw_suggestions

    state.pop("ahead", None)
    state["ahead"] = (sample, raw_suggestions(sample, state["sources"]))


def _take_inputs(inputs: Inputs, state: dict[str, Any] = _worker) -> int:
    state["inputs"] = inputs
    return len(inputs.text)


def _suggest_window(document_id: int, window: windows.Window, state: dict[str, Any] = _worker) -> list[Suggestion]:
    from annotator.services.suggestions.engine import combine, window_suggestions

    inputs: Inputs = state["inputs"]
    if inputs.document_id != document_id:
        raise RuntimeError("the worker holds another document")
    if "sources" not in state:
        raise RuntimeError("the worker was not started")
    sources = state["sources"]
    ahead = state.pop("ahead", None)  # kept for one ask only: the first
    found = None
    if ahead is not None and not (inputs.tagged is not None and len(inputs.tagged)):  # propagation feeds the rules
        sample, raw_ahead = ahead
        if sample == inputs.text[window.lo : window.hi]:
            found = raw_ahead
    raw = window_suggestions(inputs.text, window, sources, tagged=inputs.tagged, found=found)
    return combine(raw, sources.schema, existing=inputs.existing, rejected=inputs.rejected)


CALLS = ("_start_worker", "_warm_on", "_take_inputs", "_suggest_window")  # what the worker process answers


class WorkerFailed(RuntimeError):
    """The worker process raised, or died."""


class _InThread:
    """Runs each call in the calling thread (``Suggester(process=False)``)."""

    def __init__(
        self, schema: LabelSchema | SchemaPreview, options: dict[str, Any], sources: Sources | None = None
    ) -> None:
        self.state: dict[str, Any] = {}  # this suggester's own, not the worker process's globals
        if sources is not None:
            self.state["sources"] = sources
        else:
            _start_worker(schema, options, self.state)

    def call(self, name: str, *args: Any) -> Any:
        return globals()[name](*args, state=self.state)

    def close(self) -> None:
        pass


_spare: list[Any] = []  # a worker process started ahead (``prestart_worker``), for the first suggester
_spare_lock = threading.Lock()


def _spawn() -> Any:
    import subprocess
    import sys

    return subprocess.Popen(
        [sys.executable, "-m", "annotator.services.suggestions.worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        close_fds=True,
    )


def prestart_worker() -> None:
    """Start a worker process now, before the app imports its UI: it loads the rules (``preload``) while
    the app starts and opens the database, and the first ``Suggester`` takes it. It exits with the app
    (its input closes) if no suggester ever takes it."""
    with _spare_lock:
        if not _spare:
            _spare.append(_spawn())


_prebuilt: dict[str, Any] = {}  # ``preload``'s sources for the bundled schema, until the first request takes them


def preload() -> None:
    """The worker's first steps, before it reads a request: import the rules and load what they all use
    whatever the schema (the tagger's lexicon, the place index), then build the sources of the bundled
    schema (the gazetteer, the country and world tries) and warm them up, so that a request for that
    schema (the app's, unless ``--schema`` names another) finds them ready: all of it while the app
    starts, before its database opens. Nothing here depends on a request."""
    from annotator.schemas.labels import load_default_schema
    from annotator.services.suggestions import engine, place_index, syntax

    syntax.preload()
    place_index.load_index()
    sources = engine.Sources.build(load_default_schema(), trained=False)
    warm_up(sources)
    _prebuilt["sources"] = sources


class _WorkerProcess:
    """``python -m annotator.services.suggestions.worker`` on pipes; its stderr is discarded."""

    def __init__(self, schema: LabelSchema | SchemaPreview, options: dict[str, Any]) -> None:
        with _spare_lock:
            self.proc = _spare.pop() if _spare else _spawn()
        self._lock = threading.Lock()
        self.call("_start_worker", schema, options)

    def call(self, name: str, *args: Any) -> Any:
        from annotator.services.suggestions.worker import read_frame, write_frame

        with self._lock:
            assert self.proc.stdin is not None and self.proc.stdout is not None
            try:
                write_frame(self.proc.stdin, (name, args))
                ok, value = read_frame(self.proc.stdout)
            except (EOFError, OSError) as exc:
                raise WorkerFailed(f"the suggestion worker stopped ({exc})") from None
        if not ok:
            raise WorkerFailed(value)
        return value

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                try:
                    stream.close()  # closes the pipe even when flushing fails
                except OSError:  # a frame another thread was writing when the worker was killed: EPIPE
                    pass


class Suggester:
    """Computes suggestions for one document at a time, in windows, cancellably.

    ``process=True`` (the app's default) runs the rules in a worker process (``worker``),
    started on the first ``run`` (or ``warm_up``) and kept for the session: the gazetteer is
    loaded there once, and the rules never hold the app's interpreter lock. ``process=False``
    runs them in the calling thread (tests that hold a window on an event).
    """

    def __init__(
        self,
        schema: LabelSchema | SchemaPreview | None = None,
        *,
        process: bool = True,
        options: dict[str, Any] | None = None,
        sources: Sources | None = None,
    ) -> None:
        """``sources``: already built (in this process; implies ``process=False``)."""
        if schema is None and sources is None:
            raise ValueError("a Suggester needs a schema or sources")
        self.schema = schema if schema is not None else sources.schema  # type: ignore[union-attr]
        self.process = process and sources is None
        self.options = dict(options or {})
        self._sources = sources
        self._worker: _InThread | _WorkerProcess | None = None
        self._lock = threading.Lock()
        self._ahead = threading.Lock()  # held while the window on screen is computed ahead: ``run`` waits for it

    def _pool(self) -> _InThread | _WorkerProcess:
        with self._lock:
            if self._worker is None:
                if self.process:
                    self._worker = _WorkerProcess(self.schema, self.options)
                else:
                    self._worker = _InThread(self.schema, self.options, self._sources)
            return self._worker

    def warm_up(self, text: str = "", focus: int = 0) -> None:
        """Start the worker (and load the gazetteer there) before the first document needs it;
        with ``text`` (the document about to open) and ``focus`` (the offset on screen), compute
        the suggestions of the window ``run`` will ask for first, kept in the worker for that ask:
        the indexes the rules load on first use are loaded on the way."""
        if not text:
            self._pool()
            return
        with self._ahead:
            pool = self._pool()
            first = windows.nearest_first(windows.plan(text), focus)[0]
            pool.call("_warm_on", text[first.lo : first.hi])

    def run(
        self,
        inputs: Inputs,
        *,
        focus: int = 0,
        cancelled: Callable[[], bool] = lambda: False,
        deliver: Callable[[Batch], None],
    ) -> bool:
        """Compute ``inputs``' suggestions, the window holding ``focus`` first, handing each
        window's to ``deliver``. Returns True when every window was done, False if
        ``cancelled`` said stop (checked before each window and before each delivery)."""
        with self._ahead:  # the window on screen being computed ahead (``warm_up``): its result is wanted first
            pass
        pool = self._pool()
        plan = windows.nearest_first(windows.plan(inputs.text), focus)
        pool.call("_take_inputs", inputs)
        for done, window in enumerate(plan, 1):
            if cancelled():
                return False
            found = pool.call("_suggest_window", inputs.document_id, window)
            if cancelled():
                return False
            deliver(Batch(inputs.document_id, (window.core_lo, window.core_hi), found, done, len(plan)))
        return True

    def close(self) -> None:
        """Stop the worker process (a window being computed is abandoned)."""
        with self._lock:
            worker, self._worker = self._worker, None
        if worker is not None:
            worker.close()
