"""The checked-in JSON Schema of the export record matches the pydantic model."""

from __future__ import annotations

import json

from support.paths import REPO

from annotator.schemas.records import json_schema_path, render_json_schema


def test_checked_in_json_schema_is_current():
    path = REPO / "schemas" / "annotation-record.schema.json"
    assert json_schema_path() == path
    assert path.read_text(encoding="utf-8") == render_json_schema(), (
        "schemas/annotation-record.schema.json is stale: run `make record-schema` "
        "(python -m annotator.schemas.records) and commit the result"
    )


def test_json_schema_describes_the_export_record():
    schema = json.loads(render_json_schema())
    assert schema["required"] == ["text"]
    assert set(schema["properties"]) >= {"text", "spans", "relations", "annotator", "status", "meta", "tokens"}
    span = schema["$defs"]["SpanRecord"]
    assert set(span["required"]) == {"start", "end", "label"}
    assert "schema" in schema["$defs"]["RecordMeta"]["properties"]  # the alias, as exported
