"""Adjudication: settle one gold version of a document from several annotators' spans.

Plain functions over a ``Session`` (no UI). The spans every chosen annotator made on a
document are aligned into **groups**:

- a span that every annotator taking part has with the same label, start and end is a group
  of its own; it is *agreed* when their attributes and links (e.g. a QUOTE's speaker, by the
  linked span's position) are the same too, otherwise it is a disagreement ("attributes
  differ", "speakers differ");
- every other span joins a disagreement group with the spans it overlaps that have the same
  label, or that cover mostly the same text (Jaccard >= 0.5, e.g. "Amnesty" tagged ACTOR by
  one and LOCATION by another). Nested spans of other labels (an ACTOR inside a QUOTE) stay
  in their own groups.

Each annotator's *version* of a group is their spans in it (possibly none). The gold
annotator (default ``gold``) holds the adjudicated spans, made with ``origin="adjudication"``:
``accept`` makes gold equal one annotator's version inside a group (copying label, offsets,
attributes, and link attributes mapped onto the gold copies of the linked spans when gold
has them), ``reject`` leaves the group empty on purpose, ``accept_all_agreed`` copies every
agreed group at once, and ``add``/``edit``/``delete`` change gold spans directly. A group is
*open* until gold has spans in it or it was rejected.

Every step is one transaction and writes ``decision`` rows (who decided, what, from whose
version, when). A step returns a ``Step`` holding the span changes made, so ``undo`` and
``redo`` can replay it backwards and forwards (they are recorded as decisions too).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from annotator.errors import UserError
from annotator.schemas.labels import LabelSchema
from annotator.services import annotations as ann
from annotator.services import corpus
from annotator.services import session_ops as ops
from annotator.services.adjudication_guard import (  # noqa: F401
    check_fresh,
    check_span_fresh,
    gold_state,
    lock_document,
    lock_span_document,
)
from annotator.services.annotations import AnnotationError, SpanData, VersionConflict
from annotator.store.models import Annotator, Decision, Document, DocumentStatus, Status

ORIGIN = "adjudication"
JACCARD_SAME_TEXT = 0.5
SpanChange = ops.SpanChange


# ---------------------------------------------------------------------------- context


@dataclass(frozen=True)
class Adjudicator:
    """Who adjudicates, into which gold annotator, comparing whom, under which schema."""

    lead: str
    gold_id: int
    gold_name: str
    schema: LabelSchema
    schema_id: int
    annotators: tuple[str, ...]  # the compared annotators, in the order of their keys (1, 2, ...)
    annotator_ids: tuple[int, ...]


def start(
    session: Session, *, lead: str, schema: LabelSchema, annotators: Sequence[str] = (), gold_name: str = corpus.GOLD
) -> Adjudicator:
    """Check the names and create the gold annotator and schema rows when new."""
    from annotator.services.agreement.load import choose_annotators

    gold_name = gold_name.strip()
    lead = lead.strip()
    if not gold_name:
        raise UserError("--gold-as: the gold annotator's name is empty")
    if not lead:
        raise UserError("the lead's name is empty (set --lead or $ANNOTATOR_USER)")
    if gold_name in annotators:
        raise UserError(f"--as: {gold_name!r} is the gold version being made; compare other annotators")
    lead = _signed_lead(session, lead, gold_name)
    if annotators:
        chosen = choose_annotators(session, annotators)
    else:
        everyone = choose_annotators(session, ())  # everyone with work but 'gold'
        chosen = [a for a in everyone if a.name != gold_name]
        if len(chosen) < 2:
            raise UserError(f"review needs at least two annotators besides {gold_name!r}; name them with --as A,B")
    if len(chosen) > 9:
        raise UserError(
            f"review compares at most 9 annotators at once (keys 1-9); got {len(chosen)}: name them with --as"
        )
    gold = corpus.get_or_create_annotator(session, gold_name)
    schema_row = corpus.register_schema(session, schema)
    return Adjudicator(
        lead=lead,
        gold_id=gold.id,
        gold_name=gold.name,
        schema=schema,
        schema_id=schema_row.id,
        annotators=tuple(a.name for a in chosen),
        annotator_ids=tuple(a.id for a in chosen),
    )


def _signed_lead(session: Session, lead: str, gold_name: str) -> str:
    """On a team role, decisions are signed with the role's own annotator and go to the gold it
    was granted (the database refuses anything else, migration 0005): check it here in words."""
    from annotator.store.roles import current_binding

    binding = current_binding(session.connection())
    if binding is None:
        return lead
    if not binding.reviewer:
        raise UserError(
            f"review: this database role acts as annotator {binding.annotator!r}, not a reviewer (the lead grants --reviewer)"
        )
    if gold_name != binding.gold:
        raise UserError(
            f"--gold-as {gold_name!r}: this reviewer role writes {binding.gold!r}; the lead can bind it with "
            f"'annotator db grant {binding.annotator} --reviewer --gold {gold_name}'"
        )
    return binding.annotator


# ---------------------------------------------------------------------------- alignment


@dataclass
class Group:
    """One place where annotators' spans are compared (see the module docstring)."""

    key: str  # "start-end" of the annotators' spans in it: stable while they do not change
    start: int
    end: int
    versions: dict[str, tuple[SpanData, ...]]  # annotator -> their spans here (maybe none)
    agreed: bool
    reason: str  # "" when agreed, else what differs
    gold: tuple[SpanData, ...] = ()
    state: str = "open"  # open, accepted or rejected
    matches: tuple[str, ...] = ()  # annotators whose version gold now equals

    @property
    def labels(self) -> set[str]:
        return {s.label for spans in self.versions.values() for s in spans}

    @property
    def is_open(self) -> bool:
        return self.state == "open"


@dataclass
class ReviewDoc:
    """One document as the review screen shows it."""

    id: int
    uid: str
    title: str
    text: str
    annotators: tuple[str, ...]  # the compared annotators taking part here (others: missing)
    spans: dict[str, list[SpanData]]
    gold: list[SpanData]
    groups: list[Group]
    gold_status: str
    decisions: int

    @property
    def disagreements(self) -> list[Group]:
        return [g for g in self.groups if not g.agreed]

    @property
    def open_groups(self) -> list[Group]:
        return [g for g in self.groups if g.is_open]

    def group(self, key: str) -> Group | None:
        return next((g for g in self.groups if g.key == key), None)

    def extra_gold(self) -> list[SpanData]:
        """Gold spans that belong to no group (added by the lead)."""
        inside = {s.id for g in self.groups for s in g.gold}
        return [s for s in self.gold if s.id not in inside]


def _pos(span: SpanData) -> tuple[str, int, int]:
    return (span.label, span.start, span.end)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _jaccard(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = _overlap(a, b)
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def _related(a: tuple[str, int, int], b: tuple[str, int, int]) -> bool:
    ra, rb = (a[1], a[2]), (b[1], b[2])
    if not _overlap(ra, rb):
        return False
    return a[0] == b[0] or _jaccard(ra, rb) >= JACCARD_SAME_TEXT


def _signature(span: SpanData, where: dict[int, tuple[str, int, int]]) -> tuple:
    """A span as comparable data: position, attributes, and links by the linked spans' positions."""
    links = tuple(
        sorted(
            (name, tuple(sorted(where.get(c, ("?", -1, c)) for c in children)))
            for name, children in span.links.items()
            if children
        )
    )
    attrs = tuple(sorted((k, str(v)) for k, v in (span.attrs or {}).items() if v not in (None, "")))
    return (_pos(span), attrs, links)


def _version_signature(spans: Iterable[SpanData], where: dict[int, tuple[str, int, int]]) -> tuple:
    return tuple(sorted(_signature(s, where) for s in spans))


def _describe(versions: dict[str, tuple[SpanData, ...]], where: dict[int, tuple[str, int, int]]) -> str:
    having = [n for n, v in versions.items() if v]
    if len(having) < len(versions):
        return "only " + ", ".join(having)
    positions = {tuple(sorted((s.start, s.end) for s in v)) for v in versions.values()}
    labels = {tuple(sorted(s.label for s in v)) for v in versions.values()}
    if len(positions) > 1 and len(labels) > 1:
        return "labels and boundaries differ"
    if len(positions) > 1:
        return "boundaries differ"
    if len(labels) > 1:
        return "labels differ"
    attrs = {tuple(sorted(_signature(s, where)[1] for s in v)) for v in versions.values()}
    if len(attrs) > 1:
        return "attributes differ"
    return "links differ"


def align(
    annotators: Sequence[str],
    spans: dict[str, Sequence[SpanData]],
    gold: Sequence[SpanData] = (),
    rejected: Iterable[str] = (),
) -> list[Group]:
    """Group the annotators' spans (see the module docstring) and place the gold spans."""
    names = list(annotators)
    where: dict[int, tuple[str, int, int]] = {}
    for name in names:
        for s in spans.get(name, ()):
            where[s.id] = _pos(s)
    for s in gold:
        where[s.id] = _pos(s)
    candidates: dict[tuple[str, int, int], dict[str, list[SpanData]]] = {}
    for name in names:
        for s in spans.get(name, ()):
            candidates.setdefault(_pos(s), {}).setdefault(name, []).append(s)
    everyone = set(names)
    keys = sorted(candidates, key=lambda p: (p[1], -p[2], p[0]))
    position_agreed = [p for p in keys if set(candidates[p]) >= everyone and len(names) > 1]
    loose = [p for p in keys if p not in set(position_agreed)]

    # union-find over the loose candidates (sweep in start order: only overlapping ones can join)
    parent = {p: p for p in loose}

    def find(p):
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    active: list[tuple[str, int, int]] = []
    for p in sorted(loose, key=lambda p: (p[1], p[2], p[0])):
        active = [q for q in active if q[2] > p[1]]
        for q in active:
            if _related(p, q):
                parent[find(p)] = find(q)
        active.append(p)
    clusters: dict[tuple[str, int, int], list[tuple[str, int, int]]] = {}
    for p in loose:
        clusters.setdefault(find(p), []).append(p)

    groups: list[Group] = []
    for members in [[p] for p in position_agreed] + list(clusters.values()):
        versions = {n: tuple(s for p in members for s in candidates[p].get(n, ())) for n in names}
        start, end = min(p[1] for p in members), max(p[2] for p in members)
        sigs = {_version_signature(v, where) for v in versions.values()}
        agreed = len(sigs) == 1 and all(versions.values())
        reason = "" if agreed else _describe(versions, where)
        groups.append(Group(f"{start}-{end}", start, end, versions, agreed, reason))
    # two groups can share an extent (e.g. nested spans of different labels): keep keys unique
    seen: dict[str, int] = {}
    groups.sort(key=lambda g: (g.start, -g.end, sorted(g.labels)))
    for g in groups:
        n = seen.get(g.key, 0)
        seen[g.key] = n + 1
        if n:
            g.key = f"{g.key}#{n + 1}"
    _place_gold(groups, gold, where, set(rejected))
    return groups


def _place_gold(groups: list[Group], gold: Sequence[SpanData], where: dict, rejected: set[str]) -> None:
    exact: dict[tuple[str, int, int], Group] = {}
    for g in groups:
        for v in g.versions.values():
            for s in v:
                exact.setdefault(_pos(s), g)
    owned: dict[str, list[SpanData]] = {}
    for s in gold:
        target = exact.get(_pos(s))
        if target is None:
            best, score = None, 0.0
            for g in groups:
                if not _overlap((s.start, s.end), (g.start, g.end)):
                    continue
                if s.label in g.labels or _jaccard((s.start, s.end), (g.start, g.end)) >= JACCARD_SAME_TEXT:
                    value = _jaccard((s.start, s.end), (g.start, g.end)) + (1 if s.label in g.labels else 0)
                    if value > score:
                        best, score = g, value
            target = best
        if target is not None:
            owned.setdefault(target.key, []).append(s)
    for g in groups:
        g.gold = tuple(owned.get(g.key, ()))
        if g.gold:
            g.state = "accepted"
            mine = _version_signature(g.gold, where)
            g.matches = tuple(n for n, v in g.versions.items() if _version_signature(v, where) == mine)
        elif g.key in rejected:
            g.state = "rejected"
            g.matches = tuple(n for n, v in g.versions.items() if not v)
        else:
            g.state = "open"
            g.matches = ()


# ---------------------------------------------------------------------------- reading


def _status_value(row: DocumentStatus | None) -> str:
    if row is None:
        return Status.TODO.value
    return str(getattr(row.status, "value", row.status))


def _rejected_keys(session: Session, adj: Adjudicator, document_id: int) -> set[str]:
    latest: dict[str, str] = {}
    rows = session.exec(
        select(Decision)
        .where(Decision.document_id == document_id, Decision.annotator_id == adj.gold_id)
        .order_by(Decision.id)
    )
    for row in rows:
        key = (row.detail or {}).get("group")
        if key:
            latest[key] = row.action
    return {k for k, action in latest.items() if action in ("reject", "redo:reject")}


def taking_part(session: Session, adj: Adjudicator) -> dict[int, list[str]]:
    """document id -> the compared annotators with work (a status or a span) on it (two or more)."""
    from annotator.services.agreement.load import participation

    rows = list(session.exec(select(Annotator).where(Annotator.id.in_(adj.annotator_ids))))
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
        doc.id,
        doc.uid,
        doc.title,
        doc.text,
        tuple(present),
        spans,
        gold,
        groups,
        _status_value(ann.get_status(session, document_id, adj.gold_id)),
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


def overview(session: Session, adj: Adjudicator) -> list[DocRow]:
    """Every document two or more compared annotators worked on, most disagreement first."""
    from annotator.services.agreement.load import iter_documents, label_catalogue
    from annotator.services.agreement.report import compute_report

    labels, attrs = label_catalogue(session)
    chosen = list(session.exec(select(Annotator).where(Annotator.id.in_(adj.annotator_ids))))
    chosen.sort(key=lambda a: adj.annotators.index(a.name))
    report = compute_report(
        adj.annotators, iter_documents(session, chosen, labels, all_status=True), labels, attrs, all_status=True
    ).to_json()
    rows = []
    for entry in report["per_document"]:
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
    return rows


def decisions_for(session: Session, adj: Adjudicator, document_id: int) -> list[Decision]:
    return list(
        session.exec(
            select(Decision)
            .where(Decision.document_id == document_id, Decision.annotator_id == adj.gold_id)
            .order_by(Decision.id)
        )
    )


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


def _net(first: Sequence[SpanChange], second: Sequence[SpanChange]) -> list[SpanChange]:
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


def _apply(session: Session, adj: Adjudicator, document_id: int, changes: Sequence[SpanChange]) -> list[SpanChange]:
    """Apply changes to gold; return them with the stored ``after`` states (ids, versions)."""
    if not changes:
        return []
    stored = ops.apply_span_changes(
        session, document_id=document_id, annotator_id=adj.gold_id, schema=adj.schema, changes=list(changes)
    )
    return [(before, got) for (before, _after), got in zip(changes, stored)]


def _record(session: Session, adj: Adjudicator, step: Step, action: str, text: str) -> None:
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


def _set_status(session: Session, adj: Adjudicator, document_id: int, status: str) -> None:
    ann.set_status(session, document_id=document_id, annotator_id=adj.gold_id, status=Status(status))


def undo(session: Session, adj: Adjudicator, step: Step) -> Step:
    """Put gold back as it was before ``step``; recorded as ``undo:<action>``."""
    lock_document(session, step.document_id)
    doc = session.get(Document, step.document_id)
    if doc is None:
        raise VersionConflict(f"document {step.document_id} no longer exists")
    _apply(session, adj, step.document_id, [(after, before) for before, after in step.changes])
    if step.status is not None:
        _set_status(session, adj, step.document_id, step.status[0])
    back = replace(step, changes=[(after, before) for before, after in step.changes])
    _record(session, adj, back, f"undo:{step.action}", doc.text)
    step.doc = load_document(session, adj, step.document_id)
    return step


def redo(session: Session, adj: Adjudicator, step: Step) -> Step:
    """Apply ``step`` again after an undo (the same span ids come back); ``redo:<action>``."""
    lock_document(session, step.document_id)
    doc = session.get(Document, step.document_id)
    if doc is None:
        raise VersionConflict(f"document {step.document_id} no longer exists")
    step.changes = _apply(session, adj, step.document_id, step.changes)
    if step.status is not None:
        _set_status(session, adj, step.document_id, step.status[1])
    _record(session, adj, step, f"redo:{step.action}", doc.text)
    step.doc = load_document(session, adj, step.document_id)
    return step


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
    gold_at = {_pos(s): s for s in gold}
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
                hit = gold_at.get(_pos(child)) if child is not None else None
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
                theirs = next((s for s in doc.spans.get(name, ()) if _pos(s) == _pos(head)), None)
                if theirs is None or not theirs.links.get(link.name):
                    continue
                mapped = [gold_at.get(_pos(by_id[c])) for c in theirs.links[link.name] if c in by_id]
                if mapped and all(m is not None for m in mapped):
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
    expected: tuple | None = None,
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
    by_pos = {_pos(g): g for g in group.gold}
    updates: dict[int, SpanChange] = {}
    adds: list[tuple[SpanData, SpanData]] = []  # (source span, new gold span)
    kept: list[tuple[SpanData, SpanData]] = []  # (source span, existing gold span)
    for span in chosen:
        attrs = _copy_attrs(adj, span, dropped)
        existing = by_pos.get(_pos(span))
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
    first = _apply(session, adj, document_id, changes)
    wanted = [(src, after) for (src, _new_span), (_b, after) in zip(adds, first) if after is not None] + kept
    applied = _net(first, _apply(session, adj, document_id, _link_changes(session, adj, doc, wanted, notes)))
    if dropped:
        step.detail["dropped_attributes"] = sorted(set(dropped))
    if notes:
        step.detail["unlinked"] = notes
    return _done(session, adj, step, applied)


def reject(
    session: Session, adj: Adjudicator, *, document_id: int, group_key: str, expected: tuple | None = None
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
    first = _apply(session, adj, document_id, changes)
    wanted = [(src, after) for src, (_b, after) in zip(sources, first) if after is not None]
    applied = _net(first, _apply(session, adj, document_id, _link_changes(session, adj, doc, wanted, notes)))
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
        current = _status_value(ann.get_status(session, step.document_id, adj.gold_id))
        if current == Status.TODO.value:
            step.status = (current, Status.IN_PROGRESS.value)
    if step.status is not None:
        _set_status(session, adj, step.document_id, step.status[1])
    _record(session, adj, step, step.action, doc.text)
    step.doc = load_document(session, adj, step.document_id)
    return step


def _run(session: Session, adj: Adjudicator, step: Step, changes: Sequence[SpanChange]) -> Step:
    """Apply a new step's changes and finish it."""
    if session.get(Document, step.document_id) is None:
        raise VersionConflict(f"document {step.document_id} no longer exists")
    return _done(session, adj, step, _apply(session, adj, step.document_id, changes))


def _gold_span(session: Session, adj: Adjudicator, span_id: int) -> SpanData:
    span = ann.snapshot_span(session, span_id)
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
    ann.check_offsets(doc.text, start, end)
    ann.check_label(adj.schema, label)
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
    before = _status_value(ann.get_status(session, document_id, adj.gold_id))
    after = Status.DONE.value if done else Status.IN_PROGRESS.value
    step = Step(
        document_id,
        "adjudicated" if done else "reopen",
        "mark adjudicated" if done else "reopen",
        status=(before, after),
        detail={"status": after},
    )
    return _run(session, adj, step, [])
