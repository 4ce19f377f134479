"""Blind annotation at the storage layer: what the annotation screen asks of the database
(``services.session_ops``, ``services.spans`` and ``services.annotations``) never returns another annotator's
spans, links, statuses or suggestions, and cannot change them. On PostgreSQL the same
screen queries give the same answers as the lead and as the annotator's own row-level
security role — so nothing was being filtered out only by the database.
"""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import make_url
from sqlmodel import Session

from annotator.services import annotations as ann
from annotator.services import corpus, queue
from annotator.services import session_ops as ops
from annotator.services import spans as span_ops
from annotator.services.annotations import AnnotationError
from annotator.store import roles
from annotator.store.engine import create_db_engine, get_engine, session_scope
from annotator.store.models import SuggestionRecord

SECRET = "BEN-SECRET-7f3a"
TEXTS = [
    "Anti-balaka militias attacked Muslims in Bangui, said Amnesty International.",
    'Séléka 🙂 rebels left Bossangoa; "we were afraid", a resident said.',
]


def _world(engine, schema):
    """Two documents; ana and ben both annotate them; ben's work carries SECRET everywhere."""
    with session_scope(engine) as s:
        docs = [corpus.add_document(s, text=t, source=f"d{i}")[0] for i, t in enumerate(TEXTS)]
        row = corpus.register_schema(s, schema)
        ana = corpus.get_or_create_annotator(s, "ana")
        ben = corpus.get_or_create_annotator(s, "ben")
        for doc in docs:
            b_actor = span_ops.add_span(
                s,
                document=doc,
                annotator_id=ben.id,
                schema_id=row.id,
                schema=schema,
                label="ACTOR",
                start=0,
                end=6,
                attrs={"canonical": SECRET},
            )
            b_quote = span_ops.add_span(
                s, document=doc, annotator_id=ben.id, schema_id=row.id, schema=schema, label="QUOTE", start=8, end=20
            )
            span_ops.set_links(s, b_quote.id, "speaker", [b_actor.id], schema=schema)
            ann.set_status(s, document_id=doc.id, annotator_id=ben.id, status="skipped", note=SECRET)
            s.add(
                SuggestionRecord(
                    document_id=doc.id,
                    annotator_id=ben.id,
                    label="LOCATION",
                    start=1,
                    end=5,
                    attrs={"canonical": SECRET},
                    source=SECRET,
                    status="open",
                )
            )
        a_span = span_ops.add_span(
            s,
            document=docs[0],
            annotator_id=ana.id,
            schema_id=row.id,
            schema=schema,
            label="LOCATION",
            start=41,
            end=47,
        )
        s.add(
            SuggestionRecord(
                document_id=docs[0].id,
                annotator_id=ana.id,
                label="ACTOR",
                start=0,
                end=20,
                source="rules",
                status="open",
            )
        )
        s.flush()
        ben_rows = {
            "spans": {sp.id for d in docs for sp in ann.spans_for(s, d.id, ben.id)},
            "suggestions": [
                r.id for r in s.exec(sa.select(SuggestionRecord.id).where(SuggestionRecord.annotator_id == ben.id))
            ],
        }
        return [d.id for d in docs], ana.id, ben.id, a_span.id, ben_rows


def _screen_view(engine, schema, doc_ids, name="ana"):
    """Everything the annotation screen reads in a session, as plain data."""
    with session_scope(engine) as s:
        info = ops.start_session(s, name, schema)
        window = queue.window(s, annotator_id=info.annotator_id, filter_name="all", document_id=doc_ids[0])
        view = {"queue": ops.queue(s, info.annotator_id), "window": window.rows, "docs": []}
        for doc_id in doc_ids:
            opened = ops.open_document(s, document_id=doc_id, annotator_id=info.annotator_id)
            view["docs"].append(
                {
                    "spans": opened.spans,
                    "status": (opened.status, opened.note),
                    "status_again": ops.document_status(s, document_id=doc_id, annotator_id=info.annotator_id),
                    "spans_for": ann.spans_for(s, doc_id, info.annotator_id),
                    "suggestions": ops.open_suggestion_data(s, document_id=doc_id, annotator_id=info.annotator_id),
                }
            )
        return view


def test_the_annotation_screen_never_sees_another_annotators_work(db_url, schema):
    engine = get_engine(db_url)
    doc_ids, ana, ben, a_span, ben_rows = _world(engine, schema)
    view = _screen_view(engine, schema, doc_ids)
    assert SECRET not in repr(view)
    assert [(q.document_id, q.spans, q.status) for q in view["queue"]] == [
        (doc_ids[0], 1, "todo"),
        (doc_ids[1], 0, "todo"),
    ]
    assert view["window"] == view["queue"]  # the queue as the app reads it, a window at a time
    first, second = view["docs"]
    assert [(s.id, s.annotator_id, s.links) for s in first["spans"]] == [(a_span, ana, {})]
    assert first["spans_for"] == first["spans"] and second["spans"] == [] and second["spans_for"] == []
    assert first["status"] == ("todo", "") and second["status_again"] == ("todo", "")  # opened, not changed
    assert [x.source for x in first["suggestions"]] == ["rules"] and second["suggestions"] == []
    seen_ids = {s.id for d in view["docs"] for s in d["spans"]}
    assert not seen_ids & ben_rows["spans"]
    # ben's own view is untouched by ana opening the same documents
    with Session(engine) as s:
        assert ann.get_status(s, doc_ids[0], ben).note == SECRET
        assert len(ann.spans_for(s, doc_ids[0], ben)) == 2


def test_the_annotation_screen_cannot_change_another_annotators_work(db_url, schema):
    engine = get_engine(db_url)
    doc_ids, ana, ben, _, ben_rows = _world(engine, schema)
    with Session(engine) as s:
        bens = ann.spans_for(s, doc_ids[0], ben)
    actor = next(x for x in bens if x.label == "ACTOR")
    from dataclasses import replace

    attempts = [
        [(actor, replace(actor, label="LOCATION", annotator_id=ana))],  # edit ben's span
        [(actor, None)],  # delete it
        [(None, replace(actor, id=0, annotator_id=ben))],  # add a span in ben's name
    ]
    for changes in attempts:
        with Session(engine) as s:
            with pytest.raises(AnnotationError):
                ops.apply_span_changes(s, document_id=doc_ids[0], annotator_id=ana, schema=schema, changes=changes)
            s.rollback()
    for action in ("accept", "reject"):
        with Session(engine) as s:
            with pytest.raises(AnnotationError):
                ops.decide_suggestions(
                    s,
                    document_id=doc_ids[0],
                    annotator_id=ana,
                    schema=schema,
                    schema_id=actor.schema_id,
                    action=action,
                    suggestion_id=ben_rows["suggestions"][0],
                )
            s.rollback()
    with Session(engine) as s:
        assert ann.spans_for(s, doc_ids[0], ben) == bens
        assert s.get(SuggestionRecord, ben_rows["suggestions"][0]).status == "open"


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    mine=st.sets(st.tuples(st.sampled_from(["ACTOR", "LOCATION"]), st.integers(0, 30), st.integers(1, 20)), max_size=6),
    theirs=st.sets(
        st.tuples(st.sampled_from(["ACTOR", "LOCATION"]), st.integers(0, 30), st.integers(1, 20)), max_size=6
    ),
)
def test_spans_for_is_exactly_mine(db_url, schema, mine, theirs):
    engine = get_engine(db_url)
    text = f"{uuid.uuid4().hex} Bangui and Bossangoa, said the UN."
    with session_scope(engine) as s:
        doc, _ = corpus.add_document(s, text=text)
        row = corpus.register_schema(s, schema)
        me, other = (corpus.get_or_create_annotator(s, n).id for n in ("me", "other"))
        for who, spans in ((me, mine), (other, theirs)):
            for label, start, length in spans:
                span_ops.add_span(
                    s,
                    document=doc,
                    annotator_id=who,
                    schema_id=row.id,
                    schema=schema,
                    label=label,
                    start=start,
                    end=start + length,
                )
        doc_id = doc.id
    with Session(engine) as s:
        got = ann.spans_for(s, doc_id, me)
        assert {(x.label, x.start, x.end - x.start) for x in got} == mine
        assert {x.annotator_id for x in got} <= {me}
        queue = {q.document_id: q.spans for q in ops.queue(s, me)}
        assert queue[doc_id] == len(mine)


@pytest.mark.postgres
def test_screen_queries_agree_with_row_level_security(pg_url, schema):
    """As the lead (no RLS) and as ana's role (RLS), ana's screen sees exactly the same."""
    lead = get_engine(pg_url)
    doc_ids, *_ = _world(lead, schema)
    role = f"t6_{uuid.uuid4().hex[:8]}_ana"
    roles.grant(lead, "ana", role=role)
    try:
        as_ana = create_db_engine(
            make_url(pg_url).set(username=role, password=None).render_as_string(hide_password=False),
            poolclass=sa.pool.NullPool,
        )
        _screen_view(as_ana, schema, doc_ids)  # the first visit starts both documents (todo -> in_progress)
        without_rls = _screen_view(lead, schema, doc_ids)
        through_rls = _screen_view(as_ana, schema, doc_ids)
        as_ana.dispose()
        assert through_rls == without_rls
        assert SECRET not in repr(through_rls)
    finally:
        admin = create_db_engine(pg_url, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
            conn.exec_driver_sql(f'DROP ROLE "{role}"')
        admin.dispose()
