"""Load annotation JSONL records (our export shape) into the store with the services layer.

Used by the agreement tests to put the worked example (annotations/sample/) into a test
database without going through the importer.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import Session

from annotator.schemas.labels import LabelSchema
from annotator.services import annotations as svc
from annotator.services import corpus
from annotator.services import spans as span_ops
from annotator.store.models import Status

SAMPLE = Path(__file__).resolve().parent.parent / "annotations" / "sample"


def load_records(engine, schema: LabelSchema, records, status: str = "done") -> None:
    with Session(engine, expire_on_commit=False) as session:
        schema_row = corpus.register_schema(session, schema)
        for rec in records:
            doc, _ = corpus.add_document(
                session,
                text=rec["text"],
                title=rec.get("meta", {}).get("title"),
                source=rec.get("meta", {}).get("source", ""),
            )
            who = corpus.get_or_create_annotator(session, rec["annotator"])
            ids = {}
            for sp in rec["spans"]:
                row = span_ops.add_span(
                    session,
                    document=doc,
                    annotator_id=who.id,
                    schema_id=schema_row.id,
                    schema=schema,
                    label=sp["label"],
                    start=sp["start"],
                    end=sp["end"],
                    attrs=sp.get("attrs") or {},
                    origin="import",
                )
                ids[sp.get("id", len(ids) + 1)] = row.id
            heads: dict[int, list[int]] = {}
            for rel in rec.get("relations", []):
                heads.setdefault(ids[rel["head"]], []).append(ids[rel["child"]])
            for head, children in heads.items():
                span_ops.set_links(session, head, "speaker", children, schema=schema)
            svc.set_status(session, document_id=doc.id, annotator_id=who.id, status=Status(rec.get("status") or status))
        session.commit()


def load_sample(engine, schema: LabelSchema, names=("alice", "bob")) -> None:
    for name in names:
        with open(SAMPLE / f"{name}.jsonl", encoding="utf-8") as fh:
            load_records(engine, schema, [json.loads(line) for line in fh if line.strip()])
