"""The steps a reviewer takes: accept, reject, accept the agreed spans, add, edit, delete, mark adjudicated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlmodel import Session

from annotator.services import annotations as ann
from annotator.services import session_ops as ops
from annotator.services import spans as span_ops
from annotator.services.adjudication.align import Group, ReviewDoc, position
from annotator.services.adjudication.context import ORIGIN, Adjudicator, SpanChange
from annotator.services.adjudication.reading import load_document, status_value
from annotator.services.adjudication.steps import Step, apply_changes, net_changes, record_decisions, set_gold_status
from annotator.services.adjudication_guard import (
    check_fresh,
    check_span_fresh,
    lock_document,
    lock_span_document,
)
from annotator.services.annotations import AnnotationError, VersionConflict
from annotator.services.records import SpanData
from annotator.store.models import Document, Status

# ---------------------------------------------------------------------------- building changes


def _copy_attrs(adj: Adjudicator, span: SpanData, dropped: list[str]) -> dict[str, Any]:
    """The attributes the gold schema knows (others are named in ``dropped``)."""
    if not adj.schema.has_label(span.label):
        raise AnnotationError(
            f"label {span.label!r} is not in schema {adj.schema.name!r}: review with the schema it was made under (--schema)"
        )
    spec = adj.schema.label(span.label)
    known = {a.name for a in spec.value_attributes}
    out = {}
    for k, v in (span.attrs or {}).items():
        if k in known:
            out[k] = v
        else:
            dropped.append(f"{span.label}.{k}")
    return out


def _new(adj: Adjudicator, document_id: int, label: str, start: int, end: int, attrs: dict[str, Any]) -> SpanData:
    return SpanData(
        id=0,
        document_id=document_id,
        annotator_id=adj.gold_id,
        schema_id=adj.schema_id,
        label=label,
        start=start,
        end=end,
        attrs=dict(attrs),
        origin=ORIGIN,
    )


def _deletions(
    spans: Sequence[SpanData], all_gold: Sequence[SpanData], staying: dict[int, SpanData]
) -> list[SpanChange]:
    """Delete ``spans``; gold spans that link to them lose those links (given back on undo)."""
    gone = {s.id for s in spans}
    out: list[SpanChange] = []
    for other in all_gold:
        if other.id in gone:
            continue
        current = staying.get(other.id, other)
        if any(c in gone for ids in current.links.values() for c in ids):
            trimmed = current
            for c in gone:
                trimmed = ops.without_link(trimmed, c)
            out.append((other, trimmed))
    out.extend((s, None) for s in spans)
    return out


def _link_changes(
    session: Session, adj: Adjudicator, doc: ReviewDoc, wanted: Sequence[tuple[SpanData, SpanData]], notes: list[str]
) -> list[SpanChange]:
    """Links for gold spans just made from annotators' spans: ``wanted`` pairs a source span
    with its gold copy. Each source link is mapped onto the gold span at the same position;
    links whose target is not in gold are left out (named in ``notes``). Gold link heads that
    still have no link then get one from an annotator whose linked span gold now has."""
    gold = ann.spans_for(session, doc.id, adj.gold_id)
    gold_at = {position(s): s for s in gold}
    by_id = {s.id: s for spans in doc.spans.values() for s in spans}
    changes: dict[int, tuple[SpanData, SpanData]] = {}
    for source, copy in wanted:
        fresh = next((g for g in gold if g.id == copy.id), None)
        if fresh is None:
            continue
        links: dict[str, tuple[int, ...]] = {}
        for link in adj.schema.label(fresh.label).links if adj.schema.has_label(fresh.label) else ():
            targets = []
            for child_id in source.links.get(link.name, ()):
                child = by_id.get(child_id)
                hit = gold_at.get(position(child)) if child is not None else None
                if hit is not None:
                    targets.append(hit.id)
                elif child is not None:
                    notes.append(
                        f"{fresh.label}.{link.name} -> {doc.text[child.start : child.end][:60]!r} is not in gold"
                    )
            if targets:
                links[link.name] = tuple(targets)
        if links != fresh.links:
            changes[fresh.id] = (fresh, replace(fresh, links=links))
    # backfill: a gold head without a link, whose position an annotator linked to a span gold now has
    just_made = {copy.id for _source, copy in wanted}
    for head in gold:
        if head.id in just_made or not adj.schema.has_label(head.label):
            continue
        current = changes.get(head.id, (head, head))[1]
        for link in adj.schema.label(head.label).links:
            if current.links.get(link.name):
                continue
            for name in doc.annotators:
                theirs = next((s for s in doc.spans.get(name, ()) if position(s) == position(head)), None)
                if theirs is None or not theirs.links.get(link.name):
                    continue
                found = [gold_at.get(position(by_id[c])) for c in theirs.links[link.name] if c in by_id]
                mapped = [m for m in found if m is not None]
                if mapped and len(mapped) == len(found):
                    current = replace(current, links={**current.links, link.name: tuple(m.id for m in mapped)})
                    changes[head.id] = (head, current)
                    break
    return list(changes.values())


def _group_or_fail(doc: ReviewDoc, key: str) -> Group:
    group = doc.group(key)
    if group is None:
        raise VersionConflict("the annotators' spans changed since the document was opened", current=doc)
    return group


def accept(
    session: Session,
    adj: Adjudicator,
    *,
    document_id: int,
    group_key: str,
    source: str | None,
    expected: tuple[Any, ...] | None = None,
) -> Step:
    """Make gold equal ``source``'s version of the group (``None`` or an empty version: reject).

    Gold spans already at a chosen position are kept (attributes and links updated), other
    gold spans of the group are deleted, and the rest are copied with ``origin='adjudication'``.
    ``expected``: the group's ``gold_state`` the reviewer saw; if it changed, ``VersionConflict``.
    """
    lock_document(session, document_id)
    doc = load_document(session, adj, document_id)
    check_fresh(doc, group_key, expected)
    group = _group_or_fail(doc, group_key)
    if source is not None and source not in group.versions:
        raise AnnotationError(f"{source} did not take part in this document")
    chosen = list(group.versions.get(source, ())) if source is not None else []
    dropped: list[str] = []
    notes: list[str] = []
    by_pos = {position(g): g for g in group.gold}
    updates: dict[int, SpanChange] = {}
    adds: list[tuple[SpanData, SpanData]] = []  # (source span, new gold span)
    kept: list[tuple[SpanData, SpanData]] = []  # (source span, existing gold span)
    for span in chosen:
        attrs = _copy_attrs(adj, span, dropped)
        existing = by_pos.get(position(span))
        if existing is not None:
            kept.append((span, existing))
            if existing.attrs != attrs:
                updates[existing.id] = (existing, replace(existing, attrs=attrs))
        else:
            adds.append((span, _new(adj, document_id, span.label, span.start, span.end, attrs)))
    kept_ids = {g.id for _s, g in kept}
    removed = [g for g in group.gold if g.id not in kept_ids]
    for before, after in _deletions(removed, doc.gold, {i: c[1] for i, c in updates.items() if c[1] is not None}):
        if after is not None and before is not None and before.id in updates:
            updates[before.id] = (updates[before.id][0], after)
        elif after is None:
            updates[before.id] = (before, None)  # type: ignore[union-attr]
        else:
            updates[before.id] = (before, after)  # type: ignore[union-attr]
    changes: list[SpanChange] = [(None, new) for _s, new in adds] + list(updates.values())
    action = "accept" if chosen else "reject"
    if chosen:
        description = f"accept {source}'s version"
    else:
        description = "reject the group" if source is None else f"accept {source}'s version (nothing)"
    step = Step(
        document_id, action, description, source=source or "", detail={"group": group.key, "reason": group.reason}
    )
    first = apply_changes(session, adj, document_id, changes)
    wanted = [(src, after) for (src, _new_span), (_b, after) in zip(adds, first) if after is not None] + kept
    applied = net_changes(
        first, apply_changes(session, adj, document_id, _link_changes(session, adj, doc, wanted, notes))
    )
    if dropped:
        step.detail["dropped_attributes"] = sorted(set(dropped))
    if notes:
        step.detail["unlinked"] = notes
    return _done(session, adj, step, applied)


def reject(
    session: Session, adj: Adjudicator, *, document_id: int, group_key: str, expected: tuple[Any, ...] | None = None
) -> Step:
    """Decide that gold has nothing in this group (its gold spans, if any, are deleted)."""
    return accept(session, adj, document_id=document_id, group_key=group_key, source=None, expected=expected)


def accept_all_agreed(session: Session, adj: Adjudicator, *, document_id: int) -> Step:
    """Copy every open agreed group into gold in one step (links mapped as in ``accept``)."""
    lock_document(session, document_id)
    doc = load_document(session, adj, document_id)
    dropped: list[str] = []
    notes: list[str] = []
    changes: list[SpanChange] = []
    sources: list[SpanData] = []
    for group in doc.groups:
        if not (group.agreed and group.is_open):
            continue
        for span in group.versions[doc.annotators[0]]:
            sources.append(span)
            changes.append(
                (None, _new(adj, document_id, span.label, span.start, span.end, _copy_attrs(adj, span, dropped)))
            )
    step = Step(document_id, "accept_agreed", f"accept {len(changes)} agreed span{'s' if len(changes) != 1 else ''}")
    first = apply_changes(session, adj, document_id, changes)
    wanted = [(src, after) for src, (_b, after) in zip(sources, first) if after is not None]
    applied = net_changes(
        first, apply_changes(session, adj, document_id, _link_changes(session, adj, doc, wanted, notes))
    )
    step.detail = {"spans": len(changes)}
    if dropped:
        step.detail["dropped_attributes"] = sorted(set(dropped))
    if notes:
        step.detail["unlinked"] = notes
    return _done(session, adj, step, applied)


def _done(session: Session, adj: Adjudicator, step: Step, applied: list[SpanChange]) -> Step:
    """Finish a step whose span changes are applied: gold in progress, decisions, result."""
    doc = session.get(Document, step.document_id)
    assert doc is not None
    step.changes = applied
    if step.status is None and applied:
        current = status_value(ann.get_status(session, step.document_id, adj.gold_id))
        if current == Status.TODO.value:
            step.status = (current, Status.IN_PROGRESS.value)
    if step.status is not None:
        set_gold_status(session, adj, step.document_id, step.status[1])
    record_decisions(session, adj, step, step.action, doc.text)
    step.doc = load_document(session, adj, step.document_id)
    return step


def _run(session: Session, adj: Adjudicator, step: Step, changes: Sequence[SpanChange]) -> Step:
    """Apply a new step's changes and finish it."""
    if session.get(Document, step.document_id) is None:
        raise VersionConflict(f"document {step.document_id} no longer exists")
    return _done(session, adj, step, apply_changes(session, adj, step.document_id, changes))


def _gold_span(session: Session, adj: Adjudicator, span_id: int) -> SpanData:
    span = span_ops.snapshot_span(session, span_id)
    if span is None:
        raise VersionConflict(f"gold span {span_id} was deleted by another session")
    if span.annotator_id != adj.gold_id:
        raise AnnotationError("only gold spans are changed here")
    return span


def _group_of(doc: ReviewDoc, span_id: int) -> str | None:
    return next((g.key for g in doc.groups if any(s.id == span_id for s in g.gold)), None)


def add(
    session: Session,
    adj: Adjudicator,
    *,
    document_id: int,
    label: str,
    start: int,
    end: int,
    attrs: dict[str, Any] | None = None,
) -> Step:
    """Add a gold span the annotators may not have (e.g. one everyone missed)."""
    lock_document(session, document_id)
    doc = session.get(Document, document_id)
    if doc is None:
        raise VersionConflict(f"document {document_id} no longer exists")
    span_ops.check_offsets(doc.text, start, end)
    span_ops.check_label(adj.schema, label)
    step = Step(document_id, "add", f"add {label}")
    return _run(session, adj, step, [(None, _new(adj, document_id, label, start, end, attrs or {}))])


def edit(
    session: Session,
    adj: Adjudicator,
    *,
    span_id: int,
    attrs: dict[str, Any] | None = None,
    label: str | None = None,
    start: int | None = None,
    end: int | None = None,
    links: dict[str, Sequence[int]] | None = None,
    expected_version: int | None = None,
) -> Step:
    """Change a gold span's attributes, label, offsets or links (``links``: attribute -> gold span ids)."""
    lock_span_document(session, span_id)
    before = _gold_span(session, adj, span_id)
    check_span_fresh(before, expected_version, lambda: load_document(session, adj, before.document_id))
    after = replace(
        before,
        label=label if label is not None else before.label,
        start=start if start is not None else before.start,
        end=end if end is not None else before.end,
        attrs=dict(attrs) if attrs is not None else dict(before.attrs),
    )
    if links is not None:
        merged = dict(before.links)
        for name, ids in links.items():
            if ids:
                merged[name] = tuple(ids)
            else:
                merged.pop(name, None)
        after = replace(after, links=merged)
    if after.label != before.label:
        after = replace(after, links={})
    step = Step(before.document_id, "edit", f"edit {before.label}")
    return _run(session, adj, step, [(before, after)])


def delete(session: Session, adj: Adjudicator, *, span_id: int, expected_version: int | None = None) -> Step:
    """Delete a gold span (gold spans linking to it lose that link)."""
    lock_span_document(session, span_id)
    span = _gold_span(session, adj, span_id)
    check_span_fresh(span, expected_version, lambda: load_document(session, adj, span.document_id))
    gold = ann.spans_for(session, span.document_id, adj.gold_id)
    doc = load_document(session, adj, span.document_id)
    step = Step(span.document_id, "delete", f"delete {span.label}")
    key = _group_of(doc, span_id)
    if key is not None:
        step.detail["group"] = key
    return _run(session, adj, step, _deletions([span], gold, {}))


def set_adjudicated(session: Session, adj: Adjudicator, *, document_id: int, done: bool = True) -> Step:
    """Mark the gold version of a document adjudicated (status done), or reopen it."""
    lock_document(session, document_id)
    before = status_value(ann.get_status(session, document_id, adj.gold_id))
    after = Status.DONE.value if done else Status.IN_PROGRESS.value
    step = Step(
        document_id,
        "adjudicated" if done else "reopen",
        "mark adjudicated" if done else "reopen",
        status=(before, after),
        detail={"status": after},
    )
    return _run(session, adj, step, [])
