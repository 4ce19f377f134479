"""Helpers for the import tests: run imports, look at what the database holds."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from annotator.schemas.labels import LabelSchema, load_default_schema, parse_schema
from annotator.services.importing import ImportSummary, import_paths
from annotator.store.engine import get_engine
from annotator.store.models import Annotator, Document, DocumentStatus, Link, Span


def run_import(
    db_url: str, *paths: Path | str, schema: LabelSchema | None = None, annotator: str = "tester", **kwargs: Any
) -> ImportSummary:
    return import_paths(
        get_engine(db_url), list(paths), annotator=annotator, schema=schema or load_default_schema(), **kwargs
    )


def contents(db_url: str) -> dict[str, Any]:
    """Everything stored, as plain data (spans with their text cut from the document)."""
    with Session(get_engine(db_url)) as s:
        docs = {d.id: d for d in s.exec(select(Document))}
        names = {a.id: a.name for a in s.exec(select(Annotator))}
        spans = list(s.exec(select(Span).order_by(Span.document_id, Span.start, Span.end, Span.label)))
        by_id = {sp.id: sp for sp in spans}
        links = [
            (
                by_id[link.head_id].label,
                docs[by_id[link.head_id].document_id].text[by_id[link.head_id].start : by_id[link.head_id].end],
                link.relation,
                link.attribute,
                docs[by_id[link.child_id].document_id].text[by_id[link.child_id].start : by_id[link.child_id].end],
            )
            for link in s.exec(select(Link).order_by(Link.id))
        ]
        statuses = {
            (docs[r.document_id].title, names[r.annotator_id]): r.status.value
            if hasattr(r.status, "value")
            else r.status
            for r in s.exec(select(DocumentStatus))
        }
        return {
            "documents": [d for d in sorted(docs.values(), key=lambda d: d.id)],
            "spans": [
                {
                    "doc": docs[sp.document_id].title,
                    "annotator": names[sp.annotator_id],
                    "label": sp.label,
                    "start": sp.start,
                    "end": sp.end,
                    "text": docs[sp.document_id].text[sp.start : sp.end],
                    "attrs": dict(sp.attrs or {}),
                    "origin": sp.origin,
                }
                for sp in spans
            ],
            "links": links,
            "statuses": statuses,
            "annotators": sorted(names.values()),
        }


def assert_empty(db_url: str) -> None:
    """Nothing at all was stored (no documents, spans, links, statuses, annotators)."""
    got = contents(db_url)
    assert got["documents"] == [] and got["spans"] == [] and got["links"] == [] and got["statuses"] == {}
    assert got["annotators"] == []


def schema_from(data: dict[str, Any]) -> LabelSchema:
    return parse_schema(data, "test schema")


def cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """Run ``annotator ARGS`` in this process; return (exit code, stdout, stderr)."""
    from annotator.cli import main

    monkeypatch.setattr(sys, "argv", ["annotator", *args])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out = capsys.readouterr()
    return code, out.out, out.err


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_bytes(data.encode("utf-8"))
    return path


@pytest.fixture(autouse=True)
def outside_the_checkout(tmp_path_factory, monkeypatch):
    """Run from an empty folder outside the checkout and the test's files, so import messages
    name files by absolute path (they are shown relative to the working directory when below it).
    Autouse in the modules that import it."""
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
