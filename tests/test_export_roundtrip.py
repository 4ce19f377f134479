"""Round trips: our JSONL export imports back to the same corpus; doccano and Prodigy files
imported and exported again as the same format keep every span."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from export_seed import seed
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select
from support.paths import PEER

from annotator.schemas.labels import LabelSchema, load_default_schema, parse_schema
from annotator.services import annotations as ann
from annotator.services import corpus
from annotator.services import spans as span_ops
from annotator.services.exporting import ExportRequest, run_export
from annotator.services.importing import import_paths
from annotator.store.engine import get_engine, session_scope
from annotator.store.models import Annotator, Document, DocumentStatus, Link, Span


def snapshot(url: str) -> dict[str, Any]:
    """Everything that must survive a round trip, independent of row ids."""
    with Session(get_engine(url)) as s:
        docs = {d.id: d for d in s.exec(select(Document))}
        names = {a.id: a.name for a in s.exec(select(Annotator))}
        spans = {sp.id: sp for sp in s.exec(select(Span))}

        def key(sp: Span) -> tuple:
            return (docs[sp.document_id].sha256, names[sp.annotator_id], sp.start, sp.end, sp.label)

        return {
            "documents": sorted(
                (d.sha256, d.text, d.title, d.source, json.dumps(d.meta, sort_keys=True)) for d in docs.values()
            ),
            "spans": sorted(key(sp) + (json.dumps(sp.attrs, sort_keys=True),) for sp in spans.values()),
            "links": sorted(
                (key(spans[link.head_id]), link.relation, link.attribute, key(spans[link.child_id]))
                for link in s.exec(select(Link))
            ),
            "statuses": sorted(
                (docs[r.document_id].sha256, names[r.annotator_id], getattr(r.status, "value", r.status))
                for r in s.exec(select(DocumentStatus))
                if getattr(r.status, "value", r.status) != "todo"
            ),
        }


def export_import(
    source_url: str, target_url: str, tmp: Path, schema: LabelSchema, names: tuple[str, ...], *, with_docs: bool = False
) -> Path:
    """Export ``names``' work as our JSONL (after the whole corpus as ``docs`` when asked), import it."""
    files = []
    if with_docs:
        files.append(tmp / "corpus.jsonl")
        run_export(get_engine(source_url), ExportRequest(format="docs", out=files[-1], force=True))
    files.append(tmp / "ours.jsonl")
    run_export(get_engine(source_url), ExportRequest(out=files[-1], annotators=names, force=True))
    for path in files:
        summary = import_paths(
            get_engine(target_url),
            [path],
            annotator="nobody",
            schema=schema,
            label_map=None,
            skip_invalid=False,
            fmt="auto",
        )
        assert not summary.problems, summary.problems
    return files[-1]


def sqlite_at(folder: Path, name: str) -> str:
    url = f"sqlite:///{folder / name}"
    get_engine(url)
    return url


def test_our_jsonl_round_trips_from_each_backend(db_url, schema, tmp_path):
    seed(db_url, schema)
    target = sqlite_at(tmp_path, "target.db")
    export_import(db_url, target, tmp_path, schema, ("alice", "bob", "gold"))
    got, want = snapshot(target), snapshot(db_url)
    assert want["links"] and want["statuses"]  # the seed has both
    # jsonl holds the documents someone worked on; "Nothing here." (no work) is not in it
    want["documents"] = [d for d in want["documents"] if d[1] != "Nothing here."]
    assert got == want


def test_docs_then_jsonl_round_trips_the_whole_corpus_into_each_backend(db_url, schema, tmp_path):
    source = sqlite_at(tmp_path, "source.db")
    seed(source, schema)
    export_import(source, db_url, tmp_path, schema, ("alice", "bob", "gold"), with_docs=True)
    assert snapshot(db_url) == snapshot(source)


# -- property: random unicode texts and random overlapping spans ------------------------

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"),  # the importer normalises CR
    min_size=1,
    max_size=60,
).map(lambda t: t + "🙂𝒳")  # always some astral characters


@st.composite
def annotated_text(draw) -> tuple[str, list[tuple[int, int, str, dict]], list[tuple[int, int]]]:
    text = draw(_TEXT)
    n = len(text)
    spans = []
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, n - 1))
        end = draw(st.integers(start + 1, n))
        label = draw(st.sampled_from(["ACTOR", "LOCATION", "CASUALTY", "QUOTE"]))
        attrs: dict[str, Any] = {}
        if label == "ACTOR" and draw(st.booleans()):
            attrs = {
                "actor_type": draw(st.sampled_from(["militia", "UN body", "person"])),
                "canonical": draw(st.text(min_size=1, max_size=10).filter(lambda s: "\x00" not in s)),
            }
        if label == "CASUALTY" and draw(st.booleans()):
            attrs = {
                "category": "killed",
                "count_min": draw(st.integers(0, 10**6)),
                "victims": draw(st.text(max_size=8).filter(lambda s: s and "\x00" not in s)),
            }
        spans.append((start, end, label, attrs))
    links = []
    if spans:
        for _ in range(draw(st.integers(0, 3))):
            links.append((draw(st.integers(0, len(spans) - 1)), draw(st.integers(0, len(spans) - 1))))
    return text, spans, links


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(case=annotated_text(), status=st.sampled_from(["in_progress", "done", "skipped"]))
def test_property_our_jsonl_round_trips(case, status):
    text, spans, links = case
    schema = load_default_schema()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = sqlite_at(folder, "s.db")
        with session_scope(get_engine(source)) as s:
            row = corpus.register_schema(s, schema)
            doc, _ = corpus.add_document(s, text=text, title="t", source="prop")
            who = corpus.get_or_create_annotator(s, "prop")
            made = []
            for start, end, label, attrs in spans:
                made.append(
                    span_ops.add_span(
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
                )
            speakers: dict[int, list[int]] = {}
            for h, c in links:
                if made[h].label == "QUOTE" and made[c].label == "ACTOR":
                    speakers.setdefault(made[h].id, []).append(made[c].id)
            for head, children in speakers.items():
                span_ops.set_links(s, head, "speaker", children, schema=schema)
            ann.set_status(s, document_id=doc.id, annotator_id=who.id, status=status)
        target = sqlite_at(folder, "t.db")
        out = export_import(source, target, folder, schema, ("prop",))
        (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert record["text"] == text
        for sp in record["spans"]:
            assert text[sp["start"] : sp["end"]] == sp["text"]
        assert snapshot(target) == snapshot(source)
        get_engine(source).dispose()
        get_engine(target).dispose()


# -- peers: doccano and Prodigy files in, the same format out, every span kept -----------


def peer_schema(labels: list[str], links: dict[str, list[dict]] | None = None) -> LabelSchema:
    keys = iter("123456789abcdefghijklmnopqrstuvwxyz")
    return parse_schema(
        {
            "name": "peer",
            "version": 1,
            "labels": [
                {"name": name, "key": next(keys), "colour": "#336699", "attributes": (links or {}).get(name, [])}
                for name in labels
            ],
        },
        "peer schema",
    )


def spans_by_text(records: list[dict], key: str = "label") -> dict[str, set]:
    out: dict[str, set] = {}
    for r in records:
        got = out.setdefault(r["text"], set())
        if key == "label":
            got.update((s, e, label) for s, e, label in r["label"])
        elif key == "entities":
            got.update((x["start_offset"], x["end_offset"], x["label"]) for x in r["entities"])
        else:
            got.update((x["start"], x["end"], x["label"]) for x in r.get("spans", []))
    return out


@pytest.mark.parametrize(
    "relpath",
    [
        "doccano/backend/data_export/pipeline/examples/sequence_labeling/example.jsonl",
        "doccano/backend/data_import/tests/data/sequence_labeling/example_overlapping.jsonl",
    ],
)
def test_doccano_peer_file_round_trips(db_url, tmp_path, relpath):
    path = PEER / relpath
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    labels = sorted({label for r in records for _, _, label in r["label"]})
    schema = peer_schema(labels)
    summary = import_paths(
        get_engine(db_url), [path], annotator="peer", schema=schema, label_map=None, skip_invalid=False, fmt="auto"
    )
    assert not summary.problems, summary.problems
    out = tmp_path / "again.jsonl"
    run_export(get_engine(db_url), ExportRequest(format="doccano", out=out))
    again = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert spans_by_text(again) == spans_by_text(records)


def test_doccano_relations_peer_file_round_trips(db_url, tmp_path):
    path = PEER / "doccano/backend/data_import/pipeline/examples/relation_extraction/example.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    schema = peer_schema(
        ["ORG", "DATE", "PERSON"],
        {
            "ORG": [
                {"name": "founded_at", "kind": "link", "target": "DATE", "relation": "foundedAt"},
                {"name": "founded_by", "kind": "link", "target": "PERSON", "many": True, "relation": "foundedBy"},
            ]
        },
    )
    summary = import_paths(
        get_engine(db_url), [path], annotator="peer", schema=schema, label_map=None, skip_invalid=False, fmt="auto"
    )
    assert not summary.problems, summary.problems
    out = tmp_path / "again.jsonl"
    run_export(get_engine(db_url), ExportRequest(format="doccano", relations=True, out=out))
    again = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert spans_by_text(again, "entities") == spans_by_text(records, "entities")

    def relations(recs: list[dict]) -> set:
        out = set()
        for r in recs:
            ents = {e["id"]: (e["start_offset"], e["end_offset"], e["label"]) for e in r["entities"]}
            out.update((ents[x["from_id"]], x["type"], ents[x["to_id"]]) for x in r["relations"])
        return out

    assert relations(again) == relations(records) and len(relations(again)) == 3


@pytest.mark.parametrize(
    "relpath",
    [
        "prodigy/explosion-prodigy-recipes/example-datasets/annotated_news_headlines-ORG-PERSON-LOCATION-ner.jsonl",
        "prodigy/explosion-projects/tutorials/ner_tweets/assets/demo/demo.jsonl",
    ],
)
def test_prodigy_peer_file_round_trips(db_url, tmp_path, relpath):
    path = PEER / relpath
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    accepted = [r for r in records if r.get("answer", "accept") == "accept"]
    labels = sorted({s["label"] for r in accepted for s in r.get("spans", [])})
    schema = peer_schema(labels)
    summary = import_paths(
        get_engine(db_url), [path], annotator="prodigy", schema=schema, label_map=None, skip_invalid=False, fmt="auto"
    )
    assert not summary.problems, summary.problems
    out = tmp_path / "again.jsonl"
    run_export(get_engine(db_url), ExportRequest(out=out, tokens=True))
    again = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert spans_by_text(again, "spans") == spans_by_text(accepted, "spans")
    assert sum(len(v) for v in spans_by_text(again, "spans").values()) > 0
    for r in again:  # Prodigy-readable: every span has start/end/label/text, tokens have ws
        assert all(r["text"][s["start"] : s["end"]] == s["text"] for s in r["spans"])
        assert all(set(t) == {"text", "start", "end", "id", "ws"} for t in r["tokens"])
