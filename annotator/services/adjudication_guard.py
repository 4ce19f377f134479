"""Two reviewers on one document give one coherent gold: adjudication steps are serialised
per document, and a decision made on a stale view is refused with the fresh state.

On PostgreSQL every adjudication step first takes a transaction-scoped advisory lock on its
document (``pg_advisory_xact_lock``; released by COMMIT or ROLLBACK, and needing no table
rights, so reviewer roles take it too); whatever the step reads after that includes every
step committed before it. SQLite already runs one writer at a time (``BEGIN IMMEDIATE``).
The screen sends the gold state it showed (``gold_state``); when another reviewer changed
that group meanwhile the step raises ``VersionConflict`` carrying the fresh ``ReviewDoc``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from annotator.services.annotations import VersionConflict

# first key of the two-int advisory lock: "adjudication", so other advisory locks never collide
ADVISORY_CLASS = 0x41444A55  # "ADJU"


def lock_document(session: Session, document_id: int) -> None:
    """Wait for (then hold until commit) the right to change this document's gold."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:c, :d)"), {"c": ADVISORY_CLASS, "d": int(document_id)})


def lock_span_document(session: Session, span_id: int) -> None:
    """``lock_document`` for the document a span is on (nothing when the span is gone)."""
    from annotator.store.models import Span

    document_id = session.execute(sa.select(col(Span.document_id)).where(col(Span.id) == span_id)).scalar()
    if document_id is not None:
        lock_document(session, document_id)


def gold_state(group: Any) -> tuple[Any, ...]:
    """What a reviewer saw of a group's gold: its state and its gold spans' ids and versions."""
    if group is None:
        return ("gone",)
    return (group.state, tuple(sorted((s.id, s.version) for s in group.gold)))


def check_fresh(doc: Any, group_key: str, expected: tuple[Any, ...] | None) -> None:
    """Refuse a decision on a group whose gold changed since ``expected`` was read."""
    if expected is None:
        return
    found = gold_state(doc.group(group_key))
    if found != expected:
        raise VersionConflict(
            "another reviewer decided this group meanwhile; the document now shows their decision", current=doc
        )


def check_span_fresh(span: Any, expected_version: int | None, doc_loader: Callable[[], Any]) -> None:
    """Refuse an edit of a gold span changed since it was read (``doc_loader()``: the fresh document)."""
    if expected_version is not None and span.version != expected_version:
        raise VersionConflict(f"gold span {span.id} was changed by another reviewer", current=doc_loader())
