"""The lead's view of a team (``annotator team``): per annotator, how far they are and how
well they agree with the others, overall and by week, with outliers flagged.

Per annotator (every annotator with an assignment or a status, but gold):

* ``assigned``; ``done``, ``skipped``, ``in_progress`` over their assigned documents (over
  every document for someone without assignments, as their queue is); ``seconds`` spent in
  all; ``spans_per_doc`` on the documents they marked done.
* Agreement on the documents they share with each other annotator (both marked them done),
  from the agreement report (``services.agreement``): ``f1_overlap`` pools matched / unmatched
  spans over all their pairs; ``alpha_u`` is the mean of their pairs' α_u; ``partners`` names
  each partner with the documents shared.
* ``weeks``: per ISO week, the documents marked done and the time on them (by the status's
  last change), and F1 overlap and α_u (mean over partners) on the shared documents finished
  that week (a document counts in the week its last participant finished it).
* ``flags``: a label on which the annotator's F1 overlap is ``FLAG_GAP`` or more below the
  median of the others' on that label (each with at least ``FLAG_MIN_SPANS`` spans compared).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import combinations
from statistics import median
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from annotator.services import assignments
from annotator.services.agreement import measures as M
from annotator.services.agreement.load import DocData, iter_documents, label_catalogue
from annotator.services.agreement.report import compute_report
from annotator.services.corpus import GOLD
from annotator.store.models import Annotator, Assignment, DocumentStatus, Span, Status

FLAG_GAP = 0.2
FLAG_MIN_SPANS = 5


def _week(when: Any) -> str:
    year, week, _day = when.isocalendar()
    return f"{year}-W{week:02d}"


def _f1(tp: int, fp: int, fn: int) -> float | None:
    return M.f1_score(tp, tp + fp, tp + fn)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _members(session: Session) -> list[Annotator]:
    with_work = sa.or_(
        col(Annotator.id).in_(sa.select(col(Assignment.assignee_id))),
        col(Annotator.id).in_(sa.select(col(DocumentStatus.annotator_id))),
    )
    return list(
        session.execute(
            sa.select(Annotator).where(with_work, col(Annotator.name) != GOLD).order_by(col(Annotator.name))
        ).scalars()
    )


def team_report(session: Session) -> dict[str, Any]:
    """Everything ``annotator team`` shows, JSON-ready (see the module docstring)."""
    members = _members(session)
    names = {a.id: a.name for a in members}
    assigned = assignments.assigned_counts(session)
    by_assignment = assignments.assigned_progress(session)
    rows: dict[str, dict[str, Any]] = {}
    for a in members:
        rows[a.name] = {
            "annotator": a.name,
            "assigned": assigned.get(a.name, 0),
            "done": 0,
            "skipped": 0,
            "in_progress": 0,
            "seconds": 0.0,
            "spans_per_doc": None,
            "f1_overlap": None,
            "alpha_u": None,
            "partners": {},
            "weeks": [],
            "flags": [],
        }
    weeks: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"done": 0, "seconds": 0.0, "tp": 0, "fp": 0, "fn": 0}
    )
    finished: dict[int, dict[str, str]] = defaultdict(dict)  # document -> annotator -> week they finished it
    statuses = sa.select(
        col(DocumentStatus.document_id),
        col(DocumentStatus.annotator_id),
        col(DocumentStatus.status),
        col(DocumentStatus.seconds_spent),
        col(DocumentStatus.updated_at),
    ).where(col(DocumentStatus.annotator_id).in_(list(names)))
    for doc_id, ann_id, status, seconds, updated in session.execute(statuses.execution_options(yield_per=5_000)):
        row, status = rows[names[ann_id]], str(getattr(status, "value", status))
        row["seconds"] += float(seconds or 0.0)
        if row["annotator"] not in by_assignment and status in ("done", "skipped", "in_progress"):
            row[status] += 1
        if updated is not None:
            week = weeks[(row["annotator"], _week(updated))]
            week["seconds"] += float(seconds or 0.0)
            if status == Status.DONE.value:
                week["done"] += 1
                finished[doc_id][row["annotator"]] = _week(updated)
    for name, counts in by_assignment.items():
        if name in rows:
            rows[name].update({k: counts[k] for k in ("done", "skipped", "in_progress")})
    spans_done = session.execute(
        sa.select(col(Span.annotator_id), sa.func.count())
        .join(
            DocumentStatus,
            sa.and_(
                col(DocumentStatus.document_id) == col(Span.document_id),
                col(DocumentStatus.annotator_id) == col(Span.annotator_id),
            ),
        )
        .where(col(DocumentStatus.status) == Status.DONE.value, col(Span.annotator_id).in_(list(names)))
        .group_by(col(Span.annotator_id))
    ).all()
    done_all: defaultdict[str, int] = defaultdict(int)  # annotator -> shared documents they finished
    for doc_weeks in finished.values():
        for name in doc_weeks:
            done_all[name] += 1
    for ann_id, count in spans_done:
        name = names[ann_id]
        rows[name]["spans_per_doc"] = round(count / done_all[name], 2) if done_all[name] else None
    if len(members) >= 2:
        _agreement(session, members, rows, weeks, finished)
    for (name, iso_week), acc in sorted(weeks.items()):
        rows[name]["weeks"].append(
            {
                "week": iso_week,
                "done": acc["done"],
                "seconds": round(acc["seconds"], 1),
                "f1_overlap": _round(_f1(acc["tp"], acc["fp"], acc["fn"])),
                "alpha_u": _round(sum(acc["alphas"]) / len(acc["alphas"])) if acc.get("alphas") else None,
            }
        )
    for row in rows.values():
        row["seconds"] = round(row["seconds"], 1)
    return {"annotators": list(rows.values()), "flag_gap": FLAG_GAP}


def _agreement(
    session: Session,
    members: list[Annotator],
    rows: dict[str, dict[str, Any]],
    weeks: dict[tuple[str, str], dict[str, Any]],
    finished: dict[int, dict[str, str]],
) -> None:
    labels, attrs = label_catalogue(session)

    # α_u by week: one continuum per (pair, week), each label's tally fed a document at a time
    continua: dict[tuple[str, str, str], dict[str, M.UnitizingTally]] = {}

    def docs_with_weeks() -> Iterator[DocData]:
        for doc in iter_documents(session, members, labels):
            week = max(finished[doc.id][a] for a in doc.annotators)  # when the last of them finished it
            length = len(doc.text)
            units = {
                a: {
                    lab: M.merged_units([(s.start, s.end) for s in doc.spans[a] if s.label == lab], length)
                    for lab in labels
                }
                for a in doc.annotators
            }
            for a, b in combinations(doc.annotators, 2):
                counts = M.span_f1([s.tuple for s in doc.spans[a]], [s.tuple for s in doc.spans[b]], mode="overlap")
                for who in (a, b):
                    acc = weeks[(who, week)]
                    acc["tp"] += counts.tp
                    acc["fp"] += counts.fp if who == a else counts.fn
                    acc["fn"] += counts.fn if who == a else counts.fp
                tallies = continua.setdefault((a, b, week), {lab: M.UnitizingTally(2) for lab in labels})
                for lab, tally in tallies.items():
                    ua, ub = units[a][lab], units[b][lab]
                    tally.add([ua, ub], length, M.pair_observed(ua, ub))
            yield doc

    report = compute_report([a.name for a in members], docs_with_weeks(), labels, attrs).to_json()
    for (a, b, week), tallies in continua.items():
        alpha = M.overall_unitizing(t.result() for t in tallies.values())
        if alpha is not None:
            for who in (a, b):
                weeks[(who, week)].setdefault("alphas", []).append(alpha)
    pooled: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    alphas: dict[str, list[float]] = defaultdict(list)
    by_label: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    for pair in report["pairs"]:
        a, b, overall = pair["a"], pair["b"], pair["overall"]
        shared = overall["n"]["documents"]
        if not shared:
            continue
        c = overall["counts"]["f1_overlap"]
        for who, other, fp, fn in ((a, b, c["fp"], c["fn"]), (b, a, c["fn"], c["fp"])):
            rows[who]["partners"][other] = shared
            acc = pooled[who]
            acc[0], acc[1], acc[2] = acc[0] + c["tp"], acc[1] + fp, acc[2] + fn
            if overall["alpha_unitizing"] is not None:
                alphas[who].append(overall["alpha_unitizing"])
            for label, entry in pair["per_label"].items():
                lc = entry["counts"]["f1_overlap"]
                got = by_label[label][who]
                mine, theirs = (lc["fp"], lc["fn"]) if who == a else (lc["fn"], lc["fp"])
                got[0], got[1], got[2] = got[0] + lc["tp"], got[1] + mine, got[2] + theirs
    for who, (tp, fp, fn) in pooled.items():
        rows[who]["f1_overlap"] = _round(_f1(tp, fp, fn))
        rows[who]["alpha_u"] = _round(sum(alphas[who]) / len(alphas[who])) if alphas[who] else None
    for label, per in by_label.items():
        scores = {who: _f1(*c) for who, c in per.items() if c[0] * 2 + c[1] + c[2] >= FLAG_MIN_SPANS}
        for who, score in scores.items():
            others = [s for w, s in scores.items() if w != who and s is not None]
            if score is None or not others:
                continue
            typical = median(others)
            if typical - score >= FLAG_GAP:
                rows[who]["flags"].append({"label": label, "f1_overlap": _round(score), "others": _round(typical)})
