"""Plain records the annotation app shows: spans, queue rows, an opened document.

No SQLAlchemy here (nor anything heavy): the app's first screen is painted from these
before the ORM is imported (see ``services.first_read``). ``services.annotations`` and
``services.session_ops`` re-export them under their old names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SpanData:
    """A span as plain data (what the UI, exports and undo records hold)."""

    id: int
    document_id: int
    annotator_id: int
    schema_id: int
    label: str
    start: int
    end: int
    attrs: dict[str, Any] = field(default_factory=dict)
    origin: str = "manual"
    version: int = 1
    links: dict[str, tuple[int, ...]] = field(default_factory=dict)  # attribute -> child span ids

    @classmethod
    def of(cls, span: Any, links: dict[str, tuple[int, ...]] | None = None) -> SpanData:
        """From a stored ``Span`` row (or anything with its attributes)."""
        return cls(
            id=span.id or 0,
            document_id=span.document_id,
            annotator_id=span.annotator_id,
            schema_id=span.schema_id,
            label=span.label,
            start=span.start,
            end=span.end,
            attrs=dict(span.attrs or {}),
            origin=span.origin,
            version=span.version,
            links=dict(links or {}),
        )


@dataclass(frozen=True)
class SessionInfo:
    annotator_id: int
    annotator_name: str
    schema_id: int
    last_document_id: int | None
    created: bool = False  # this start created the annotator (the app says so, once)


@dataclass(frozen=True)
class QueueRow:
    document_id: int
    title: str
    status: str
    spans: int


@dataclass(frozen=True)
class OpenedDocument:
    id: int
    uid: str
    title: str
    text: str
    status: str
    note: str
    spans: list[SpanData]


@dataclass(frozen=True)
class OpenSuggestion:
    """An open suggestion as the app shows it."""

    id: int
    label: str
    start: int
    end: int
    source: str
