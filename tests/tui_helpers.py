"""Helpers for the app tests: documents in a database, waiting for the database steps,
and reading the screen back as text."""

from __future__ import annotations

from annotator.schemas.labels import load_default_schema
from annotator.services import annotations as ann
from annotator.services import corpus
from annotator.store.engine import get_engine, session_scope
from annotator.store.models import DocumentStatus
from annotator.tui.app import make_app

ANNOTATOR = "ana"
REPO_ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


def add_docs(url: str, *texts: str) -> list[int]:
    engine = get_engine(url)
    ids = []
    with session_scope(engine) as session:
        for i, text in enumerate(texts):
            doc, _ = corpus.add_document(session, text=text, title=f"doc {i + 1}", source=f"test-{i + 1}")
            ids.append(doc.id)
    return ids


def app_for(url: str, name: str = ANNOTATOR, **kwargs):
    return make_app(url, name, load_default_schema(), **kwargs)


async def settle(pilot, patience: float = 60.0) -> None:
    """Wait until every database step has been answered and shown.

    It waits on the app's own state, not on a clock: ``patience`` only bounds how long a
    loaded machine may take before the test gives up (it is not a performance assertion).
    """
    import time

    app = pilot.app
    deadline = time.monotonic() + patience
    rounds = 0
    while time.monotonic() < deadline:
        rounds += 1
        # first a burst of plain message-queue rounds; then short sleeps so a slow worker
        # thread on a busy machine gets the core
        await pilot.pause(None if rounds < 50 else 0.01)
        await app.workers.wait_for_complete()
        screen = app.annotate_screen
        feed_idle = screen is None or getattr(screen, "feed", None) is None or screen.feed.idle
        if (
            feed_idle
            and screen is not None
            and screen.jobs.idle
            and app.jobs.idle
            and screen.doc is not None
            or (screen is not None and screen.jobs.idle and not screen.state.queue_rows and screen.is_mounted)
        ):
            await pilot.pause()
            return
    raise AssertionError("the app never settled")


def screen_text(app) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


def spans(url: str, name: str = ANNOTATOR, document_id: int | None = None) -> list[tuple[str, str]]:
    """(label, text) of the annotator's spans, in text order (all documents, or one)."""
    engine = get_engine(url)
    with session_scope(engine) as session:
        annotator = corpus.find_annotator(session, name)
        if annotator is None:
            return []
        out = []
        for doc in session.exec(__import__("sqlmodel").select(corpus.Document).order_by(corpus.Document.id)):
            if document_id is not None and doc.id != document_id:
                continue
            for span in ann.spans_for(session, doc.id, annotator.id):
                out.append((span.label, doc.text[span.start : span.end]))
        return out


def span_rows(url: str, name: str = ANNOTATOR):
    engine = get_engine(url)
    with session_scope(engine) as session:
        annotator = corpus.find_annotator(session, name)
        docs = session.exec(__import__("sqlmodel").select(corpus.Document.id)).all()
        return [s for d in docs for s in ann.spans_for(session, d, annotator.id)]


def status_of(url: str, document_id: int, name: str = ANNOTATOR) -> tuple[str, str, float] | None:
    engine = get_engine(url)
    with session_scope(engine) as session:
        annotator = corpus.find_annotator(session, name)
        row = ann.get_status(session, document_id, annotator.id)
        if row is None:
            return None
        return str(getattr(row.status, "value", row.status)), row.note, row.seconds_spent


def last_document(url: str, name: str = ANNOTATOR) -> int | None:
    engine = get_engine(url)
    with session_scope(engine) as session:
        annotator = corpus.find_annotator(session, name)
        return annotator.last_document_id if annotator is not None else None


__all__ = [
    "DocumentStatus",
    "add_docs",
    "app_for",
    "settle",
    "screen_text",
    "spans",
    "span_rows",
    "status_of",
    "last_document",
]
