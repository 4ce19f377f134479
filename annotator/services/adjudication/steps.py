"""A step as applied (``Step``), its decision records, and its undo and redo."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlmodel import Session

from annotator.services import annotations as ann
from annotator.services import session_ops as ops
from annotator.services.adjudication.align import ReviewDoc
from annotator.services.adjudication.context import Adjudicator, SpanChange
from annotator.services.adjudication.reading import load_document
from annotator.services.adjudication_guard import (
    lock_document,
)
from annotator.services.annotations import VersionConflict
from annotator.services.records import SpanData
from annotator.store.models import Decision, Document, Status

# ---------------------------------------------------------------------------- steps


@dataclass
class Step:
    """One adjudication step as it was applied: enough to undo and redo it."""

    document_id: int
    action: str  # accept, reject, accept_agreed, add, edit, delete, adjudicated, reopen
    description: str
    changes: list[SpanChange] = field(default_factory=list)  # gold spans (before, after)
    status: tuple[str, str] | None = None  # gold status (before, after)
    source: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    doc: ReviewDoc | None = None  # the document after the step (for the screen)


def _compact(span: SpanData | None, text: str) -> dict[str, Any] | None:
    if span is None:
        return None
    return {
        "label": span.label,
        "start": span.start,
        "end": span.end,
        "text": text[span.start : span.end][:200],
        "attrs": dict(span.attrs),
        "links": {k: list(v) for k, v in span.links.items()},
    }


def net_changes(first: Sequence[SpanChange], second: Sequence[SpanChange]) -> list[SpanChange]:
    """Two batches of changes as one: the first ``before`` and the last ``after`` of each span."""
    out: dict[int, list[SpanData | None]] = {}
    order: list[int] = []
    for before, after in [*first, *second]:
        span_id = (after.id if after is not None else None) or (before.id if before is not None else None)
        assert span_id, "changes are applied before they are merged"
        if span_id not in out:
            out[span_id] = [before, after]
            order.append(span_id)
        else:
            out[span_id][1] = after
    return [(out[i][0], out[i][1]) for i in order if out[i][0] != out[i][1]]


def apply_changes(
    session: Session, adj: Adjudicator, document_id: int, changes: Sequence[SpanChange]
) -> list[SpanChange]:
    """Apply changes to gold; return them with the stored ``after`` states (ids, versions)."""
    if not changes:
        return []
    stored = ops.apply_span_changes(
        session, document_id=document_id, annotator_id=adj.gold_id, schema=adj.schema, changes=list(changes)
    )
    return [(before, got) for (before, _after), got in zip(changes, stored)]


def record_decisions(session: Session, adj: Adjudicator, step: Step, action: str, text: str) -> None:
    base = dict(step.detail)
    if not step.changes:
        session.add(
            Decision(
                annotator_id=adj.gold_id,
                document_id=step.document_id,
                span_id=None,
                decided_by=adj.lead,
                action=action,
                source=step.source,
                detail=base,
            )
        )
    for before, after in step.changes:
        detail = dict(base)
        detail["before"] = _compact(before, text)
        detail["after"] = _compact(after, text)
        session.add(
            Decision(
                annotator_id=adj.gold_id,
                document_id=step.document_id,
                span_id=after.id if after is not None else None,
                decided_by=adj.lead,
                action=action,
                source=step.source,
                detail=detail,
            )
        )
    session.flush()


def set_gold_status(session: Session, adj: Adjudicator, document_id: int, status: str) -> None:
    ann.set_status(session, document_id=document_id, annotator_id=adj.gold_id, status=Status(status))


def undo(session: Session, adj: Adjudicator, step: Step) -> Step:
    """Put gold back as it was before ``step``; recorded as ``undo:<action>``."""
    lock_document(session, step.document_id)
    doc = session.get(Document, step.document_id)
    if doc is None:
        raise VersionConflict(f"document {step.document_id} no longer exists")
    apply_changes(session, adj, step.document_id, [(after, before) for before, after in step.changes])
    if step.status is not None:
        set_gold_status(session, adj, step.document_id, step.status[0])
    back = replace(step, changes=[(after, before) for before, after in step.changes])
    record_decisions(session, adj, back, f"undo:{step.action}", doc.text)
    step.doc = load_document(session, adj, step.document_id)
    return step


def redo(session: Session, adj: Adjudicator, step: Step) -> Step:
    """Apply ``step`` again after an undo (the same span ids come back); ``redo:<action>``."""
    lock_document(session, step.document_id)
    doc = session.get(Document, step.document_id)
    if doc is None:
        raise VersionConflict(f"document {step.document_id} no longer exists")
    step.changes = apply_changes(session, adj, step.document_id, step.changes)
    if step.status is not None:
        set_gold_status(session, adj, step.document_id, step.status[1])
    record_decisions(session, adj, step, f"redo:{step.action}", doc.text)
    step.doc = load_document(session, adj, step.document_id)
    return step
