"""Reading a document for review, the review list and its decisions (reads only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from annotator.services import annotations as ann
from annotator.services.adjudication.align import ReviewDoc, align
from annotator.services.adjudication.context import Adjudicator
from annotator.services.annotations import VersionConflict
from annotator.store.models import Annotator, Decision, Document, DocumentStatus, Status

if TYPE_CHECKING:
    from annotator.services.agreement.verdict import Verdict

# ---------------------------------------------------------------------------- reading


def status_value(row: DocumentStatus | None) -> str:
    if row is None:
        return Status.TODO.value
    return str(getattr(row.status, "value", row.status))


def _rejected_keys(session: Session, adj: Adjudicator, document_id: int) -> set[str]:
    latest: dict[str, str] = {}
    rows = session.exec(
        select(Decision)
        .where(Decision.document_id == document_id, Decision.annotator_id == adj.gold_id)
        .order_by(col(Decision.id))
    )
    for row in rows:
        key = (row.detail or {}).get("group")
        if key:
            latest[key] = row.action
    return {k for k, action in latest.items() if action in ("reject", "redo:reject")}


def taking_part(session: Session, adj: Adjudicator) -> dict[int, list[str]]:
    """document id -> the compared annotators with work (a status or a span) on it (two or more)."""
    from annotator.services.agreement.load import participation

    rows = list(session.exec(select(Annotator).where(col(Annotator.id).in_(adj.annotator_ids))))
    order = {name: k for k, name in enumerate(adj.annotators)}
    names = {a.id: a.name for a in rows}
    return {
        doc_id: sorted((names[a] for a in ids), key=order.__getitem__)
        for doc_id, ids in participation(session, rows, all_status=True).items()
    }


def load_document(session: Session, adj: Adjudicator, document_id: int) -> ReviewDoc:
    """A document's spans by every compared annotator, the gold spans, and the groups."""
    doc = session.get(Document, document_id)
    if doc is None:
        raise VersionConflict(f"document {document_id} no longer exists")
    present = taking_part(session, adj).get(document_id)
    if present is None:  # fewer than two took part: show whoever has spans
        ids = dict(zip(adj.annotators, adj.annotator_ids))
        present = [n for n in adj.annotators if ann.spans_for(session, document_id, ids[n])]
    ids = dict(zip(adj.annotators, adj.annotator_ids))
    spans = {n: ann.spans_for(session, document_id, ids[n]) for n in present}
    gold = ann.spans_for(session, document_id, adj.gold_id)
    groups = align(present, spans, gold, _rejected_keys(session, adj, document_id))
    decisions = session.exec(
        select(sa.func.count())
        .select_from(Decision)
        .where(Decision.document_id == document_id, Decision.annotator_id == adj.gold_id)
    ).one()
    return ReviewDoc(
        document_id,
        doc.uid,
        doc.title,
        doc.text,
        tuple(present),
        spans,
        gold,
        groups,
        status_value(ann.get_status(session, document_id, adj.gold_id)),
        int(decisions),
    )


@dataclass
class DocRow:
    """A line of the review list: a document, its agreement figures and how far review got."""

    id: int
    uid: str
    title: str
    rank: int
    annotators: tuple[str, ...]
    figures: dict[str, Any]  # the agreement report's per-document entry (f1_overlap, alpha_unitizing, ...)
    groups: int
    disagreements: int
    open: int
    gold_status: str
    gold_spans: int


@dataclass(frozen=True)
class Overview:
    """The review list: its rows and the agreement verdict, both from one agreement report."""

    rows: list[DocRow]
    verdict: Verdict


def overview(session: Session, adj: Adjudicator) -> Overview:
    """Every document two or more compared annotators worked on, most disagreement first, and the
    verdict on them all (the report is computed once for both)."""
    from annotator.services.agreement.load import iter_documents, label_catalogue
    from annotator.services.agreement.report import compute_report
    from annotator.services.agreement.verdict import verdict

    labels, attrs = label_catalogue(session)
    chosen = list(session.exec(select(Annotator).where(col(Annotator.id).in_(adj.annotator_ids))))
    chosen.sort(key=lambda a: adj.annotators.index(a.name))
    report = compute_report(
        adj.annotators, iter_documents(session, chosen, labels, all_status=True), labels, attrs, all_status=True
    )
    rows = []
    for entry in report.to_json()["per_document"]:
        doc = load_document(session, adj, entry["id"])
        rows.append(
            DocRow(
                doc.id,
                doc.uid,
                doc.title,
                entry["rank"],
                doc.annotators,
                entry,
                len(doc.groups),
                len(doc.disagreements),
                len(doc.open_groups),
                doc.gold_status,
                len(doc.gold),
            )
        )
    rows.sort(key=lambda r: r.rank)
    return Overview(rows, verdict(report))


def decisions_for(session: Session, adj: Adjudicator, document_id: int) -> list[Decision]:
    return list(
        session.exec(
            select(Decision)
            .where(Decision.document_id == document_id, Decision.annotator_id == adj.gold_id)
            .order_by(col(Decision.id))
        )
    )
