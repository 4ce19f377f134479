"""What the database holds, read back through the services (never through the screen)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlmodel import Session, col, select

from annotator.services import annotations as ann
from annotator.services import corpus
from annotator.services.records import SpanData
from annotator.store.engine import get_engine, read_scope
from annotator.store.models import Decision, Document

ANNOTATOR = "ana"


def _annotator_id(session: Session, name: str) -> int | None:
    annotator = corpus.find_annotator(session, name)
    return None if annotator is None else annotator.id


def _documents(session: Session) -> Iterator[tuple[int, str]]:
    """(id, text) of every document, oldest first."""
    for doc in session.exec(select(Document).order_by(col(Document.id))):
        assert doc.id is not None
        yield doc.id, doc.text


def spans(url: str, name: str = ANNOTATOR, document_id: int | None = None) -> list[tuple[str, str]]:
    """(label, text) of the annotator's spans, in text order (all documents, or one)."""
    with read_scope(get_engine(url)) as session:
        who = _annotator_id(session, name)
        if who is None:
            return []
        out = []
        for doc_id, text in _documents(session):
            if document_id is None or doc_id == document_id:
                out += [(span.label, text[span.start : span.end]) for span in ann.spans_for(session, doc_id, who)]
        return out


def span_rows(url: str, name: str = ANNOTATOR) -> list[SpanData]:
    """The annotator's stored spans (with ids, attributes and links), document by document."""
    with read_scope(get_engine(url)) as session:
        who = _annotator_id(session, name)
        if who is None:
            return []
        return [s for doc_id, _text in _documents(session) for s in ann.spans_for(session, doc_id, who)]


def status_of(url: str, document_id: int, name: str = ANNOTATOR) -> tuple[str, str, float] | None:
    """(status, note, seconds spent) of the annotator on a document, or None before any."""
    with read_scope(get_engine(url)) as session:
        who = _annotator_id(session, name)
        row = ann.get_status(session, document_id, who) if who is not None else None
        if row is None:
            return None
        return str(getattr(row.status, "value", row.status)), row.note, row.seconds_spent


def last_document(url: str, name: str = ANNOTATOR) -> int | None:
    """The document the app reopens for the annotator (opening a document records it)."""
    with read_scope(get_engine(url)) as session:
        annotator = corpus.find_annotator(session, name)
        return annotator.last_document_id if annotator is not None else None


def gold(url: str, name: str = "gold") -> list[tuple[Any, ...]]:
    """(label, text, attrs, speakers' texts, origin) of the gold spans, in text order."""
    with read_scope(get_engine(url)) as session:
        who = _annotator_id(session, name)
        if who is None:
            return []
        out: list[tuple[Any, ...]] = []
        for doc_id, text in _documents(session):
            rows = ann.spans_for(session, doc_id, who)
            by_id = {x.id: x for x in rows}
            for x in rows:
                speakers = [text[by_id[c].start : by_id[c].end] for c in x.links.get("speaker", ())]
                out.append((x.label, text[x.start : x.end], dict(x.attrs), speakers, x.origin))
        return out


def decisions(url: str, name: str = "gold") -> list[tuple[str, str, str]]:
    """(action, source, decided_by) of every decision on ``name``'s gold, oldest first."""
    with read_scope(get_engine(url)) as session:
        who = _annotator_id(session, name)
        if who is None:
            return []
        rows = session.exec(select(Decision).where(Decision.annotator_id == who).order_by(col(Decision.id)))
        return [(d.action, d.source, d.decided_by) for d in rows]


def gold_status(url: str, document_id: int, name: str = "gold") -> str | None:
    """The gold annotator's status on a document ("done" once adjudicated), or None."""
    with read_scope(get_engine(url)) as session:
        who = _annotator_id(session, name)
        row = ann.get_status(session, document_id, who) if who is not None else None
        return None if row is None else str(getattr(row.status, "value", row.status))
