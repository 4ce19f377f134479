"""Reading assignments: the queue filter, counts for ``stats`` and the listing of ``assign --show``.

An annotator who has assignments works on those documents only; one without any sees every
document, as before assignments existed. (On PostgreSQL an annotator's role reads only its
own assignments, so "has this annotator any?" is the one question every role can answer.)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from annotator.store.models import Annotator, Assignment, Document, DocumentStatus, Span, Status


def has_assignments(session: Session, annotator_id: int) -> bool:
    return (
        session.execute(
            sa.select(col(Assignment.id)).where(col(Assignment.assignee_id) == annotator_id).limit(1)
        ).first()
        is not None
    )


def assigned_to(annotator_id: int) -> Any:
    """A subquery of the document ids assigned to ``annotator_id``."""
    return sa.select(col(Assignment.document_id)).where(col(Assignment.assignee_id) == annotator_id)


def assigned_counts(session: Session) -> dict[str, int]:
    """Annotator name -> documents assigned (only those with at least one)."""
    rows = session.execute(
        sa.select(col(Annotator.name), sa.func.count(col(Assignment.id)))
        .join(Assignment, col(Assignment.assignee_id) == col(Annotator.id))
        .group_by(col(Annotator.name))
        .order_by(col(Annotator.name))
    ).all()
    return {name: int(n) for name, n in rows}


def assigned_progress(session: Session) -> dict[str, dict[str, int]]:
    """Per annotator with assignments: their assigned documents by status (todo when no status row)."""
    rows = session.execute(
        sa.select(col(Annotator.name), col(DocumentStatus.status), sa.func.count(col(Assignment.id)))
        .join(Assignment, col(Assignment.assignee_id) == col(Annotator.id))
        .outerjoin(
            DocumentStatus,
            sa.and_(
                col(DocumentStatus.document_id) == col(Assignment.document_id),
                col(DocumentStatus.annotator_id) == col(Assignment.assignee_id),
            ),
        )
        .group_by(col(Annotator.name), col(DocumentStatus.status))
    ).all()
    out: dict[str, dict[str, int]] = {}
    for name, status, n in rows:
        counts = out.setdefault(name, {s.value: 0 for s in Status})
        counts[str(getattr(status, "value", status) or Status.TODO.value)] += int(n)
    return out


@dataclass(frozen=True)
class AssignmentRow:
    document_id: int
    uid: str
    title: str
    annotator: str
    status: str
    spans: int


def iter_assignments(session: Session, where: Any = None, batch: int = 5_000) -> Iterator[AssignmentRow]:
    """Every assignment of the selected documents (``where``, default all), by document id then annotator,
    a page at a time."""
    where = sa.true() if where is None else where
    spans = (
        sa.select(col(Span.document_id), col(Span.annotator_id), sa.func.count().label("n"))
        .group_by(col(Span.document_id), col(Span.annotator_id))
        .subquery()
    )
    after = (0, "")
    while True:
        rows = session.execute(
            sa.select(
                col(Document.id),
                col(Document.uid),
                col(Document.title),
                col(Annotator.name),
                col(DocumentStatus.status),
                spans.c.n,
            )
            .join(Assignment, col(Assignment.document_id) == col(Document.id))
            .join(Annotator, col(Annotator.id) == col(Assignment.assignee_id))
            .outerjoin(
                DocumentStatus,
                sa.and_(
                    col(DocumentStatus.document_id) == col(Document.id),
                    col(DocumentStatus.annotator_id) == col(Annotator.id),
                ),
            )
            .outerjoin(
                spans, sa.and_(spans.c.document_id == col(Document.id), spans.c.annotator_id == col(Annotator.id))
            )
            .where(
                where,
                sa.tuple_(col(Document.id), col(Annotator.name))
                > sa.tuple_(sa.literal(after[0]), sa.literal(after[1])),
            )
            .order_by(col(Document.id), col(Annotator.name))
            .limit(batch)
        ).all()
        for doc_id, uid, title, name, status, n in rows:
            yield AssignmentRow(doc_id, uid, title, name, str(getattr(status, "value", status) or "todo"), int(n or 0))
        if len(rows) < batch:
            return
        after = (rows[-1][0], rows[-1][3])
