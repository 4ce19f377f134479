"""Documents and annotations put into a database through the services, as the app would store them."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from annotator.schemas.labels import LabelSchema, load_default_schema
from annotator.services import annotations as ann
from annotator.services import corpus
from annotator.services import spans as span_ops
from annotator.store.engine import get_engine, session_scope
from annotator.store.models import Document, Span, Status

# a short article two annotators disagree on (see seed_two_annotators)
REVIEW_TEXT = 'Seleka rebels attacked Bangui. "We will fight," said Joanne Mariner of Amnesty International.'


def add_docs(url: str, *texts: str) -> list[int]:
    """Store one document per text (titled "doc 1", "doc 2", ...) and return their ids."""
    engine = get_engine(url)
    ids = []
    with session_scope(engine) as session:
        for i, text in enumerate(texts):
            doc, _ = corpus.add_document(session, text=text, title=f"doc {i + 1}", source=f"test-{i + 1}")
            assert doc.id is not None
            ids.append(doc.id)
    return ids


def at(text: str, needle: str) -> tuple[int, int]:
    """Code-point offsets of the first ``needle`` in ``text``."""
    start = text.index(needle)
    return start, start + len(needle)


def put(
    session: Session, schema: LabelSchema, doc: Document, name: str, items: list[tuple[Any, ...]], status: str = "done"
) -> None:
    """Store ``name``'s spans on ``doc``: items are (label, needle, attrs[, speaker needle]); QUOTE speakers are linked."""
    who = corpus.get_or_create_annotator(session, name)
    row = corpus.register_schema(session, schema)
    assert who.id is not None and row.id is not None
    made: dict[tuple[str, str], Span] = {}
    for item in items:
        label, needle, attrs = item[:3]
        start, end = at(doc.text, needle)
        made[(label, needle)] = span_ops.add_span(
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
    for item in items:
        if len(item) > 3:
            head, speaker = made[(item[0], item[1])].id, made[("ACTOR", item[3])].id
            assert head is not None and speaker is not None
            span_ops.set_links(session, head, "speaker", [speaker], schema=schema)
    assert doc.id is not None
    ann.set_status(session, document_id=doc.id, annotator_id=who.id, status=Status(status))


def seed_two_annotators(url: str) -> int:
    """REVIEW_TEXT annotated by alice and bob (done), with every kind of disagreement; returns its id."""
    schema = load_default_schema()
    with session_scope(get_engine(url)) as s:
        doc, _ = corpus.add_document(s, text=REVIEW_TEXT, title="Bangui")
        put(
            s,
            schema,
            doc,
            "alice",
            [
                ("ACTOR", "Seleka rebels", {"actor_type": "armed group"}),
                ("LOCATION", "Bangui", {"place_type": "city/town"}),
                ("ACTOR", "Joanne Mariner", {"actor_type": "person"}),
                ("QUOTE", '"We will fight,"', {}, "Joanne Mariner"),
                ("ACTOR", "Amnesty International", {"actor_type": "NGO"}),
            ],
        )
        put(
            s,
            schema,
            doc,
            "bob",
            [
                ("ACTOR", "Seleka rebels", {"actor_type": "militia"}),
                ("LOCATION", "Bangui", {"place_type": "city/town"}),
                ("ACTOR", "Mariner", {"actor_type": "person"}),
                ("QUOTE", '"We will fight,"', {}, "Mariner"),
                ("LOCATION", "Amnesty International", {}),
            ],
        )
        assert doc.id is not None
        return doc.id
