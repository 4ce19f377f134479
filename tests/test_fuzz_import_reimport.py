"""Re-importing a source whose text changed makes a new document (new SHA-256); the spans
made on the old text stay on the old text and never move to text they were not made on.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from annotator.schemas.labels import load_default_schema
from annotator.services import corpus
from annotator.services import spans as span_ops
from annotator.services.importing import import_paths
from annotator.store.engine import get_engine, session_scope
from annotator.store.models import Document, Span

SCHEMA = load_default_schema()
OLD = "Seleka rebels left Bangui on Tuesday.\nResidents returned to the market.\n"


def _import(db_url, path):
    return import_paths(get_engine(db_url), [path], annotator="ana", schema=SCHEMA)


def _docs(db_url):
    with Session(get_engine(db_url)) as s:
        return list(s.exec(select(Document).order_by(Document.id)))


def _annotate(db_url, doc_id, label, needle):
    with session_scope(get_engine(db_url)) as s:
        doc = s.get(Document, doc_id)
        who = corpus.get_or_create_annotator(s, "ana")
        row = corpus.register_schema(s, SCHEMA)
        start = doc.text.index(needle)
        return span_ops.add_span(
            s,
            document=doc,
            annotator_id=who.id,
            schema_id=row.id,
            schema=SCHEMA,
            label=label,
            start=start,
            end=start + len(needle),
        ).id


@pytest.mark.parametrize("change", ["prepend", "edit_inside", "crlf", "append"])
def test_changed_text_file_is_a_new_document_and_spans_stay(db_url, tmp_path, change):
    path = tmp_path / "report.txt"
    path.write_text(OLD, encoding="utf-8", newline="")
    assert _import(db_url, path).documents_added == 1
    (old,) = _docs(db_url)
    span_id = _annotate(db_url, old.id, "LOCATION", "Bangui")
    new_text = {
        "prepend": "UPDATE: " + OLD,
        "edit_inside": OLD.replace("Tuesday", "Wednesday"),
        "crlf": OLD.replace("\n", "\r\n") + "More.\r\n",
        "append": OLD + "Aid agencies said 300 people were displaced.\n",
    }[change]
    path.write_text(new_text, encoding="utf-8", newline="")
    summary = _import(db_url, path)
    assert (summary.documents_added, summary.duplicates_skipped) == (1, 0)
    first, second = _docs(db_url)
    assert first.id == old.id and first.text == OLD and first.sha256 == old.sha256
    assert second.sha256 == corpus.text_sha256(corpus.normalise_newlines(new_text)) != old.sha256
    with Session(get_engine(db_url)) as s:
        spans = list(s.exec(select(Span)))
        assert [(x.id, x.document_id) for x in spans] == [(span_id, old.id)]  # nothing moved or copied
        assert OLD[spans[0].start : spans[0].end] == "Bangui"
    # the same file again is the same document: nothing new
    again = _import(db_url, path)
    assert (again.documents_added, again.duplicates_skipped) == (0, 1)
    assert len(_docs(db_url)) == 2


def test_jsonl_with_spans_for_changed_text_attaches_to_the_new_text_only(db_url, tmp_path):
    """An exported record re-imported after its text was edited: its spans are checked
    against the *new* text (a 'text' that no longer matches is a problem, not a silent move)."""
    path = tmp_path / "a.jsonl"
    path.write_text(
        json.dumps({"text": OLD, "spans": [{"start": 19, "end": 25, "label": "LOCATION", "text": "Bangui"}]}) + "\n"
    )
    assert _import(db_url, path).spans_added == 1
    edited = "BREAKING " + OLD  # offsets now point 9 characters early
    path.write_text(
        json.dumps({"text": edited, "spans": [{"start": 19, "end": 25, "label": "LOCATION", "text": "Bangui"}]}) + "\n"
    )
    summary = _import(db_url, path)
    assert not summary.ok and summary.problems and "Bangui" in summary.problems[0]
    assert len(_docs(db_url)) == 1  # refused whole: the old document alone, its span in place
    path.write_text(
        json.dumps({"text": edited, "spans": [{"start": 28, "end": 34, "label": "LOCATION", "text": "Bangui"}]}) + "\n"
    )
    assert _import(db_url, path).documents_added == 1
    with Session(get_engine(db_url)) as s:
        for doc in s.exec(select(Document)):
            (span,) = s.exec(select(Span).where(Span.document_id == doc.id)).all()
            assert doc.text[span.start : span.end] == "Bangui"


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    edit=st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00\r"), min_size=1, max_size=8
    ),
    at=st.integers(0, len(OLD)),
)
def test_any_edit_makes_a_new_document(db_url, tmp_path_factory, edit, at):
    text = OLD[:at] + edit + OLD[at:]
    with session_scope(get_engine(db_url)) as s:
        old, _ = corpus.add_document(s, text=OLD)
        new, created = corpus.add_document(s, text=text)
        assert created and new.id != old.id and new.sha256 != old.sha256
        assert s.get(Document, old.id).text == OLD
