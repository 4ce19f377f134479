"""Corpus statistics: documents, spans per label and per annotator, assignments, progress
(over an annotator's assigned documents when they have any, else over every document)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from annotator.services import assignments
from annotator.store.models import Annotator, Document, DocumentStatus, Span, Status


def corpus_stats(session: Session) -> dict[str, Any]:
    documents = session.exec(select(sa.func.count()).select_from(Document)).one()
    spans = session.exec(select(sa.func.count()).select_from(Span)).one()
    by_label = dict(
        session.exec(select(col(Span.label), sa.func.count()).group_by(col(Span.label)).order_by(col(Span.label))).all()
    )
    by_annotator = dict(
        session.exec(
            select(col(Annotator.name), sa.func.count(col(Span.id)))
            .join(Span, col(Span.annotator_id) == col(Annotator.id))
            .group_by(col(Annotator.name))
            .order_by(col(Annotator.name))
        ).all()
    )
    progress: dict[str, dict[str, int]] = {}
    names = session.exec(select(col(Annotator.name)).order_by(col(Annotator.name))).all()
    for name in names:
        progress[name] = {s.value: 0 for s in Status}
    rows = session.exec(
        select(col(Annotator.name), col(DocumentStatus.status), sa.func.count())
        .join(DocumentStatus, col(DocumentStatus.annotator_id) == col(Annotator.id))
        .group_by(col(Annotator.name), col(DocumentStatus.status))
    ).all()
    for name, status, count in rows:
        progress[name][Status(status).value] = count
    for counts in progress.values():
        # documents without a status row are still to do
        counts[Status.TODO.value] += documents - sum(counts.values())
    # an annotator with assignments works on those only: their progress counts just those
    progress.update(assignments.assigned_progress(session))
    return {
        "documents": documents,
        "spans": spans,
        "spans_by_label": by_label,
        "spans_by_annotator": by_annotator,
        "assigned": assignments.assigned_counts(session),
        "progress": progress,
    }
