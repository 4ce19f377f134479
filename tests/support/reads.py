"""What the database holds, read back through the services (never through the screen)."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from annotator.services import annotations as ann
from annotator.services import corpus
from annotator.store.engine import get_engine, session_scope
from annotator.store.models import Decision

ANNOTATOR = "ana"


def spans(url: str, name: str = ANNOTATOR, document_id: int | None = None) -> list[tuple[str, str]]:
    """(label, text) of the annotator's spans, in text order (all documents, or one)."""
    with session_scope(get_engine(url)) as session:
        annotator = corpus.find_annotator(session, name)
        if annotator is None:
            return []
        out = []
        for doc in session.exec(select(corpus.Document).order_by(corpus.Document.id)):
            if document_id is not None and doc.id != document_id:
                continue
            for span in ann.spans_for(session, doc.id, annotator.id):
                out.append((span.label, doc.text[span.start : span.end]))
        return out


def span_rows(url: str, name: str = ANNOTATOR) -> list[Any]:
    """The annotator's stored spans (with ids, attributes and links), document by document."""
    with session_scope(get_engine(url)) as session:
        annotator = corpus.find_annotator(session, name)
        if annotator is None:
            return []
        docs = session.exec(select(corpus.Document.id).order_by(corpus.Document.id)).all()
        return [s for d in docs for s in ann.spans_for(session, d, annotator.id)]


def status_of(url: str, document_id: int, name: str = ANNOTATOR) -> tuple[str, str, float] | None:
    """(status, note, seconds spent) of the annotator on a document, or None before any."""
    with session_scope(get_engine(url)) as session:
        annotator = corpus.find_annotator(session, name)
        row = ann.get_status(session, document_id, annotator.id) if annotator is not None else None
        if row is None:
            return None
        return str(getattr(row.status, "value", row.status)), row.note, row.seconds_spent


def last_document(url: str, name: str = ANNOTATOR) -> int | None:
    """The document the app reopens for the annotator."""
    with session_scope(get_engine(url)) as session:
        annotator = corpus.find_annotator(session, name)
        return annotator.last_document_id if annotator is not None else None


def gold(url: str, name: str = "gold") -> list[tuple[Any, ...]]:
    """(label, text, attrs, speakers' texts, origin) of the gold spans, in text order."""
    with session_scope(get_engine(url)) as s:
        who = corpus.find_annotator(s, name)
        if who is None:
            return []
        out = []
        for doc in s.exec(select(corpus.Document).order_by(corpus.Document.id)):
            rows = ann.spans_for(s, doc.id, who.id)
            by_id = {x.id: x for x in rows}
            for x in rows:
                speakers = [doc.text[by_id[c].start : by_id[c].end] for c in x.links.get("speaker", ())]
                out.append((x.label, doc.text[x.start : x.end], dict(x.attrs), speakers, x.origin))
        return out


def decisions(url: str, name: str = "gold") -> list[tuple[str, str, str]]:
    """(action, source, decided_by) of every decision on ``name``'s gold, oldest first."""
    with session_scope(get_engine(url)) as s:
        who = corpus.find_annotator(s, name)
        if who is None:
            return []
        rows = s.exec(select(Decision).where(Decision.annotator_id == who.id).order_by(Decision.id))
        return [(d.action, d.source, d.decided_by) for d in rows]


def gold_status(url: str, document_id: int, name: str = "gold") -> str | None:
    """The gold annotator's status on a document ("done" once adjudicated), or None."""
    with session_scope(get_engine(url)) as s:
        who = corpus.find_annotator(s, name)
        row = ann.get_status(s, document_id, who.id) if who is not None else None
        return None if row is None else str(getattr(row.status, "value", row.status))
