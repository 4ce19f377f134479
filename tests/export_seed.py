"""The small, hand-checked corpus the export tests run on (see tests/data/export/README.md).

Span ids are the creation order below (1-12) on a fresh database, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from annotator.schemas.labels import LabelSchema
from annotator.services import annotations as ann
from annotator.services import corpus
from annotator.services import spans as span_ops
from annotator.store.engine import get_engine, session_scope

TEXT_A = 'Seleka rebels attacked Bangui. At least 30 Muslims were killed.\n"We will stay," said Ali.'
TEXT_B = "Rebels 🔥 burned Boda’s market; 1,200 fled."
TEXT_C = "Nothing here."
UID_A, UID_B, UID_C = "ca6ec942f8487d31", "b586967360b7dcd7", "eb38ca40211a0821"


def seed(db_url: str, schema: LabelSchema) -> None:
    with session_scope(get_engine(db_url)) as s:
        row = corpus.register_schema(s, schema)
        doc_a, _ = corpus.add_document(s, text=TEXT_A, title="Bangui attack", source="a.txt")
        doc_b, _ = corpus.add_document(s, text=TEXT_B, title="Boda market", source="b.txt", meta={"lang": "en"})
        corpus.add_document(s, text=TEXT_C, title="Nothing", source="c.txt")
        alice = corpus.get_or_create_annotator(s, "alice")
        bob = corpus.get_or_create_annotator(s, "bob")
        gold = corpus.get_or_create_annotator(s, corpus.GOLD)
        corpus.get_or_create_annotator(s, "idle")  # has no work anywhere

        def span(doc, who, label, start, end, **attrs):
            text = doc.text[start:end]
            made = span_ops.add_span(
                s,
                document=doc,
                annotator_id=who.id,
                schema_id=row.id,
                schema=schema,
                label=label,
                start=start,
                end=end,
                attrs=attrs,
            )
            return made, text

        span(doc_a, alice, "ACTOR", 0, 13, actor_type="armed group", canonical="Seleka")  # 1
        span(doc_a, alice, "ACTOR", 0, 6)  # 2
        span(doc_a, alice, "LOCATION", 23, 29, place_type="city/town", canonical="Bangui")  # 3
        span(
            doc_a, alice, "CASUALTY", 31, 62, category="killed", count_min=30, qualifier="at least", victims="Muslims"
        )  # 4
        span(doc_a, alice, "ACTOR", 43, 50, actor_type="community")  # 5
        ali, _ = span(doc_a, alice, "ACTOR", 85, 88, actor_type="person", canonical="Ali Hassan")  # 6
        quote, _ = span(doc_a, alice, "QUOTE", 64, 79)  # 7
        span_ops.set_links(s, quote.id, "speaker", [ali.id], schema=schema)
        ann.set_status(s, document_id=doc_a.id, annotator_id=alice.id, status="done")
        ann.set_status(s, document_id=doc_b.id, annotator_id=alice.id, status="skipped", note="not about CAR")
        span(doc_b, bob, "ACTOR", 0, 6, actor_type="armed group")  # 8
        span(doc_b, bob, "LOCATION", 16, 20, place_type="city/town")  # 9
        span(doc_b, bob, "CASUALTY", 31, 41, category="fled", count_min=1200, count_max=1200, qualifier="exact")  # 10
        ann.set_status(s, document_id=doc_b.id, annotator_id=bob.id, status="in_progress")
        span(doc_a, gold, "ACTOR", 0, 13, actor_type="armed group", canonical="Seleka")  # 11
        span(doc_a, gold, "LOCATION", 23, 29, place_type="city/town", canonical="Bangui")  # 12
        ann.set_status(s, document_id=doc_a.id, annotator_id=gold.id, status="done")
