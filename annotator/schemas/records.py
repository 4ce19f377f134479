"""The shapes of the records we export and import (JSONL).

``AnnotationRecord`` is our export record: one per document and annotator. Its
``start``/``end``/``label``/``text`` span keys match Prodigy's span records, so the file
feeds spaCy and Prodigy tooling directly. Its JSON Schema is generated from this model into
``schemas/annotation-record.schema.json`` (a test fails if the checked-in file drifts).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class SpanRecord(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: int | None = Field(default=None, description="the span's id in the exporting database (relations refer to it)")
    start: int = Field(ge=0, description="offset of the first character (Unicode code points)")
    end: int = Field(ge=0, description="offset after the last character (exclusive)")
    label: str
    text: str | None = Field(default=None, description="text[start:end], for reading; checked on import")
    attrs: dict[str, Any] = Field(default_factory=dict, description="the span's attribute values (links are relations)")
    token_start: int | None = Field(default=None, description="with --tokens: index of the span's first token")
    token_end: int | None = Field(
        default=None, description="with --tokens: index of the span's last token (inclusive, as Prodigy)"
    )


class RelationRecord(BaseModel):
    model_config = ConfigDict(extra="allow")

    label: str = Field(description="relation label, e.g. SPEAKER")
    head: int = Field(
        description="id of the head span (e.g. the QUOTE); with --tokens, Prodigy's index of its last token"
    )
    child: int = Field(
        description="id of the child span (e.g. the ACTOR who said it); with --tokens, its last token's index"
    )
    head_id: int | None = Field(default=None, description="with --tokens: id of the head span")
    child_id: int | None = Field(default=None, description="with --tokens: id of the child span")
    head_span: dict[str, Any] | None = Field(
        default=None, description="with --tokens: the head span (start, end, token_start, token_end, label)"
    )
    child_span: dict[str, Any] | None = Field(default=None, description="with --tokens: the child span")


class TokenRecord(BaseModel):
    text: str
    start: int
    end: int
    id: int
    ws: bool = True


class RejectedGroup(BaseModel):
    """A review group the adjudicator left empty on purpose (``reject`` in ``annotator review``)."""

    model_config = ConfigDict(extra="allow")

    group: str = Field(
        pattern=r"^[0-9]+-[0-9]+(#[0-9]+)?$",
        description="the review group's key: START-END of the group's extent, #N for the N-th group of one extent",
    )
    start: int = Field(ge=0, description="offset where the group starts (Unicode code points)")
    end: int = Field(ge=0, description="offset after the group's end (exclusive)")
    text: str | None = Field(default=None, description="text[start:end], for reading; checked on import")
    decided_by: str | None = Field(default=None, description="the lead who rejected the group")


class RecordMeta(BaseModel):
    model_config = ConfigDict(extra="allow")

    document_id: str | None = Field(default=None, description="the document's stable id (uid)")
    title: str | None = None
    source: str | None = None
    sha256: str | None = Field(default=None, description="SHA-256 of text (UTF-8)")
    schema_name: str | None = Field(default=None, alias="schema")
    schema_version: int | None = None


class AnnotationRecord(BaseModel):
    """One document as one annotator annotated it."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    text: str
    spans: list[SpanRecord] = Field(default_factory=list)
    relations: list[RelationRecord] = Field(default_factory=list)
    annotator: str | None = None
    status: str | None = Field(default=None, description="todo, in_progress, done or skipped")
    meta: RecordMeta = Field(default_factory=RecordMeta)
    rejected: list[RejectedGroup] = Field(
        default_factory=list,
        description=(
            "gold (adjudicated) records only: the review groups decided to stay empty; importing restores the "
            "decisions, so a document settled in review stays settled"
        ),
    )
    tokens: list[TokenRecord] | None = None
    answer: str | None = Field(
        default=None, description="Prodigy's answer: accept (done) or ignore (skipped); none while in progress"
    )
    input_hash: int | None = Field(default=None, alias="_input_hash", description="Prodigy's input hash (of text)")
    task_hash: int | None = Field(
        default=None, alias="_task_hash", description="Prodigy's task hash (input hash + spans)"
    )


class DocumentRecord(BaseModel):
    """A document of the corpus, annotated or not (the ``docs`` export format)."""

    model_config = ConfigDict(extra="allow")

    id: str
    title: str
    text: str
    meta: dict[str, Any] = Field(default_factory=dict)


def annotation_record_json_schema() -> dict[str, Any]:
    schema = AnnotationRecord.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "annotation-record.schema.json"
    return schema


def json_schema_path() -> Path:
    """Where the generated JSON Schema is checked in: ``schemas/annotation-record.schema.json``."""
    from annotator.schemas.preview import bundled_dir

    return bundled_dir("schemas") / "annotation-record.schema.json"


def render_json_schema() -> str:
    import json

    return json.dumps(annotation_record_json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # python -m annotator.schemas.records  (make record-schema)
    import sys

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else json_schema_path()
    target.write_text(render_json_schema(), encoding="utf-8")
    print(f"wrote {target}")
