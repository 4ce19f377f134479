"""The store and the annotation services, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from annotator.services import annotations as ann
from annotator.services import corpus
from annotator.services import spans as span_ops
from annotator.store import migrate
from annotator.store.models import Document, Link, Span, Status


@pytest.fixture
def ctx(session, schema):
    doc, _ = corpus.add_document(
        session, text="Anti-balaka militias attacked Muslims in Bangui, said Amnesty International.", source="t.txt"
    )
    who = corpus.get_or_create_annotator(session, "ana")
    row = corpus.register_schema(session, schema)
    session.commit()
    return doc, who, row


def _add(session, schema, ctx, label, start, end, **attrs):
    doc, who, row = ctx
    return span_ops.add_span(
        session,
        document=doc,
        annotator_id=who.id,
        schema_id=row.id,
        schema=schema,
        label=label,
        start=start,
        end=end,
        attrs=attrs,
    )


def test_migrations_build_every_table_from_empty(engine):
    assert migrate.current_revision(engine) == migrate.head_revision()
    tables = set(sa.inspect(engine).get_table_names())
    assert {"document", "annotator", "label_schema", "span", "link", "document_status"} <= tables


def test_same_text_is_one_document(session):
    a, created_a = corpus.add_document(session, text="same text", source="a.txt")
    b, created_b = corpus.add_document(session, text="same text", source="b.txt")
    session.commit()
    assert created_a and not created_b and a.id == b.id
    assert corpus.count_documents(session) == 1
    assert a.sha256 == corpus.text_sha256("same text") and a.uid == a.sha256[:16]


def test_document_text_never_changes(session, ctx):
    doc = ctx[0]
    doc.text = doc.text + " more"
    session.add(doc)
    with pytest.raises(ValueError, match="cannot change"):
        session.commit()
    session.rollback()


def test_add_span_checks_offsets_label_and_attrs(session, schema, ctx):
    doc = ctx[0]
    with pytest.raises(ann.AnnotationError, match="outside the text"):
        _add(session, schema, ctx, "ACTOR", 0, len(doc.text) + 1)
    with pytest.raises(ann.AnnotationError, match="empty or reversed"):
        _add(session, schema, ctx, "ACTOR", 5, 5)
    with pytest.raises(ann.AnnotationError, match="not in schema"):
        _add(session, schema, ctx, "PERSON", 0, 4)
    with pytest.raises(ann.AnnotationError, match="must be one of"):
        _add(session, schema, ctx, "ACTOR", 0, 11, actor_type="rebels")
    span = _add(session, schema, ctx, "ACTOR", 0, 20, actor_type="militia", canonical="anti-balaka")
    again = _add(session, schema, ctx, "ACTOR", 0, 20)
    session.commit()
    assert again.id == span.id
    assert doc.text[span.start : span.end] == "Anti-balaka militias"


def test_database_refuses_reversed_offsets(session, schema, ctx):
    doc, who, row = ctx
    session.add(Span(document_id=doc.id, annotator_id=who.id, schema_id=row.id, label="ACTOR", start=9, end=3))
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()
    session.rollback()


def test_update_with_stale_version_conflicts(session, schema, ctx):
    span = _add(session, schema, ctx, "CASUALTY", 30, 37)
    session.commit()
    first = span_ops.update_span(session, span.id, schema=schema, expected_version=1, attrs={"category": "killed"})
    session.commit()
    assert first.version == 2
    with pytest.raises(ann.VersionConflict) as info:
        span_ops.update_span(session, span.id, schema=schema, expected_version=1, attrs={"category": "fled"})
    assert info.value.current.attrs == {"category": "killed"}


def test_links_delete_and_restore(session, schema, ctx):
    doc = ctx[0]
    actor = _add(session, schema, ctx, "ACTOR", doc.text.index("Amnesty"), len(doc.text) - 1)
    quote = _add(session, schema, ctx, "QUOTE", 0, doc.text.index(", said"))
    with pytest.raises(ann.AnnotationError, match="must link to a ACTOR span"):
        span_ops.set_links(session, quote.id, "speaker", [quote.id], schema=schema)
    span_ops.set_links(session, quote.id, "speaker", [actor.id], schema=schema)
    session.commit()
    assert ann.spans_for(session, doc.id, ctx[1].id)[0].links == {"speaker": (actor.id,)}
    data, incoming = span_ops.delete_span(session, actor.id)
    session.commit()
    assert session.exec(select(Link)).all() == []
    span_ops.restore_span(session, data, incoming, schema)
    session.commit()
    links = session.exec(select(Link)).all()
    assert [(link.head_id, link.child_id, link.relation) for link in links] == [(quote.id, actor.id, "SPEAKER")]


def test_deleting_a_document_takes_its_spans(session, schema, ctx):
    _add(session, schema, ctx, "ACTOR", 0, 11)
    session.commit()
    session.exec(sa.delete(Document))
    session.commit()
    assert session.exec(select(sa.func.count()).select_from(Span)).one() == 0


def test_status_and_time_spent(session, ctx):
    doc, who, _ = ctx
    row = ann.set_status(session, document_id=doc.id, annotator_id=who.id, status=Status.IN_PROGRESS, add_seconds=12.5)
    row = ann.set_status(session, document_id=doc.id, annotator_id=who.id, status=Status.DONE, add_seconds=2.5)
    session.commit()
    assert (row.status, row.seconds_spent) == (Status.DONE, 15.0)
    with pytest.raises(ann.VersionConflict):
        ann.set_status(session, document_id=doc.id, annotator_id=who.id, status=Status.SKIPPED, expected_version=1)


def test_spans_are_scoped_to_their_annotator(session, schema, ctx):
    doc, who, row = ctx
    other = corpus.get_or_create_annotator(session, "ben")
    span_ops.add_span(
        session,
        document=doc,
        annotator_id=other.id,
        schema_id=row.id,
        schema=schema,
        label="LOCATION",
        start=41,
        end=47,
    )
    _add(session, schema, ctx, "ACTOR", 0, 11)
    session.commit()
    assert [s.label for s in ann.spans_for(session, doc.id, who.id)] == ["ACTOR"]
    assert [s.label for s in ann.spans_for(session, doc.id, other.id)] == ["LOCATION"]


unicode_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=60)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=unicode_text, data=st.data())
def test_span_text_is_always_the_documents_slice(sqlite_url, schema, text, data):
    """Whatever the text (emoji, CJK, combining marks, astral), a span's text is text[start:end]."""
    from annotator.store.engine import get_engine

    engine = get_engine(sqlite_url)
    with Session(engine) as session:
        doc, _ = corpus.add_document(session, text=text)
        who = corpus.get_or_create_annotator(session, f"prop-{uuid.uuid4().hex}")
        row = corpus.register_schema(session, schema)
        wanted = []
        for _ in range(data.draw(st.integers(0, 5))):
            start = data.draw(st.integers(0, len(text) - 1))
            end = data.draw(st.integers(start + 1, len(text)))
            span_ops.add_span(
                session,
                document=doc,
                annotator_id=who.id,
                schema_id=row.id,
                schema=schema,
                label="ACTOR",
                start=start,
                end=end,
            )
            wanted.append((start, end))
        session.commit()
        doc_id, who_id = doc.id, who.id
    with Session(engine) as session:
        stored = session.get(Document, doc_id)
        assert stored.text == text
        spans = ann.spans_for(session, doc_id, who_id)
        assert sorted((s.start, s.end) for s in spans) == sorted(set(wanted))
        for (start, end), span in zip(sorted(set(wanted)), sorted(spans, key=lambda s: (s.start, s.end))):
            assert stored.text[span.start : span.end] == text[start:end]
