"""Import of brat standoff folders: T, A, #, R lines; events and the rest reported as skipped."""

from __future__ import annotations

from collections import Counter

from import_support import (
    assert_empty,
    cli,
    contents,
    outside_the_checkout,  # noqa: F401  (autouse: messages name files by absolute path)
    run_import,
    schema_from,
    write,
)
from support.paths import PEER

NEWS = PEER / "brat/example-data/tutorials/news"
NCBI = PEER / "brat/example-data/corpora/NCBI-disease"
NEWS_MAP = "Person=ACTOR,Organization=ACTOR,GPE=LOCATION,Money=-"


def _expected_news_spans():
    """Every T line of the tutorial that is not an event trigger, as (document, label, start, end)."""
    mapping = {"Person": "ACTOR", "Organization": "ACTOR", "GPE": "LOCATION"}
    expected = set()
    for ann in sorted(NEWS.glob("*.ann")):
        lines = [line.split("\t") for line in ann.read_text(encoding="utf-8").splitlines() if line.strip()]
        triggers = {row[1].split()[0].split(":")[1] for row in lines if row[0].startswith("E")}
        text = ann.with_suffix(".txt").read_text(encoding="utf-8")
        for row in lines:
            if row[0].startswith("T") and row[0] not in triggers:
                label, start, end = row[1].split()
                if label in mapping:
                    expected.add((text, mapping[label], int(start), int(end)))
    return expected


def test_brat_tutorial_news_folder(db_url):
    summary = run_import(db_url, NEWS, label_map=NEWS_MAP)
    assert summary.files_failed == [] and summary.problems == [] and summary.files_refused == 0
    assert summary.files_read == 13 and summary.documents_added == 13
    expected = _expected_news_spans()
    got = contents(db_url)
    texts = {d.title: d.text for d in got["documents"]}
    assert {(texts[s["doc"]], s["label"], s["start"], s["end"]) for s in got["spans"]} == expected
    assert summary.spans_added == len(expected)
    assert summary.spans_dropped == 1  # the one Money span
    assert summary.skipped["events (E lines) and their trigger spans"] == 23
    assert summary.skipped["equivalences (* lines)"] == 2
    assert summary.skipped["normalisations (N lines)"] == 1
    assert (
        summary.skipped["relations that fit no link attribute"] == 8
    )  # Family, Located, Origin...: no such links in 'conflict'
    assert summary.skipped["attributes the schema lacks"] == 5
    assert all(s["text"] == texts[s["doc"]][s["start"] : s["end"]] for s in got["spans"])
    assert {d.source.rsplit("/", 1)[-1] for d in got["documents"]} == {p.name for p in NEWS.glob("*.txt")}


def test_brat_without_label_map_lists_every_unknown_label(db_url, monkeypatch, capsys):
    code, out, err = cli(monkeypatch, capsys, "import", str(NEWS / "040-text_span_annotation.ann"), "--db", db_url)
    assert code == 2
    ann = NEWS / "040-text_span_annotation.ann"
    lines = err.splitlines()
    assert f"{ann}:1: T1: label 'Organization' is not in schema 'conflict'" in lines
    assert f"{ann}:4: T4: label 'GPE' is not in schema 'conflict'" in lines
    assert any(
        line.startswith("labels not in schema 'conflict' (ACTOR, LOCATION, CASUALTY, QUOTE): Person (2), ")
        for line in lines
    )
    assert_empty(db_url)


NCBI_SCHEMA = {
    "name": "ncbi",
    "version": 1,
    "labels": [
        {
            "name": "DISEASE",
            "key": "d",
            "colour": "#aa0000",
            "attributes": [
                {
                    "name": "category",
                    "kind": "enum",
                    "values": ["SpecificDisease", "Modifier", "DiseaseClass", "CompositeMention"],
                }
            ],
        }
    ],
}


def test_brat_ncbi_disease_with_attributes(db_url):
    summary = run_import(db_url, NCBI, schema=schema_from(NCBI_SCHEMA), label_map="Disease=DISEASE")
    assert summary.ok and summary.documents_added == 2
    expected = Counter()
    for ann in NCBI.glob("*.ann"):
        lines = dict(line.split("\t", 1) for line in ann.read_text(encoding="utf-8").splitlines() if line.strip())
        for ident, rest in lines.items():
            if ident.startswith("A"):
                _name, target, value = rest.split()
                _label, start, end = lines[target].split("\t")[0].split()
                expected[(int(start), int(end), value)] += 1
    got = contents(db_url)
    assert Counter((s["start"], s["end"], s["attrs"]["category"]) for s in got["spans"]) == expected
    assert summary.spans_added == sum(expected.values()) == 45


CONFLICT_ANN = "\n".join(
    [
        "T1\tACTOR 0 13\tSeleka rebels",
        "T2\tLOCATION 23 29\tBangui",
        'T3\tQUOTE 31 46\t"We will stay,"',
        "T4\tACTOR 52 55\tAli",
        "T5\tCASUALTY 57 66;70 74\tat least ... died",
        "T6\tATTACK 14 22\tattacked",
        "E1\tATTACK:T6 Agent:T1 Place:T2",
        "R1\tSPEAKER Arg1:T3 Arg2:T4\t",
        "R2\tLocated Arg1:T1 Arg2:T2\t",
        "A1\tactor_type T1 armed_group",
        "A2\tActor_Type T4 Person",
        "A3\tNegated T1",
        "A4\tConfidence E1 High",
        "#1\tAnnotatorNotes T1\tcanonical: Seleka",
        "#2\tAnnotatorNotes T2\tplace_type=city/town",
        "#3\tAnnotatorNotes T4\tspoke to reporters",
        "N1\tReference T2 Wikipedia:3718\tBangui",
        "*\tAlias T1 T4",
        "",
    ]
)
CONFLICT_TEXT = 'Seleka rebels attacked Bangui. "We will stay," said Ali. at least 30 died.\n'


def test_brat_attributes_notes_links_and_skips(db_url, tmp_path):
    write(tmp_path / "doc.txt", CONFLICT_TEXT)
    write(tmp_path / "doc.ann", CONFLICT_ANN)
    summary = run_import(db_url, tmp_path)
    assert summary.ok, summary.problems
    got = contents(db_url)
    assert [(s["label"], s["text"], s["attrs"]) for s in got["spans"]] == [
        ("ACTOR", "Seleka rebels", {"actor_type": "armed group", "canonical": "Seleka"}),
        ("LOCATION", "Bangui", {"place_type": "city/town"}),
        ("QUOTE", '"We will stay,"', {}),
        ("ACTOR", "Ali", {"actor_type": "person"}),
    ]
    assert got["links"] == [("QUOTE", '"We will stay,"', "SPEAKER", "speaker", "Ali")]
    assert summary.skipped["discontinuous spans (T lines with ';' fragments)"] == 1
    assert summary.skipped["events (E lines) and their trigger spans"] == 1
    assert summary.skipped["relations that fit no link attribute"] == 1
    assert summary.skipped["attributes on events or relations"] == 1
    assert summary.skipped["notes with no attribute to hold them"] == 1
    assert summary.skipped["attributes the schema lacks"] == 1  # A3 Negated
    assert summary.skipped["normalisations (N lines)"] == 1 and summary.skipped["equivalences (* lines)"] == 1
    assert summary.skipped_example["discontinuous spans (T lines with ';' fragments)"] == (
        f"{tmp_path / 'doc.ann'}:5: T5: discontinuous span '57 66;70 74' not imported"
    )


def test_brat_bad_lines_are_listed_and_nothing_is_stored(db_url, tmp_path):
    write(tmp_path / "good.txt", "Ali is fine.\n")
    write(tmp_path / "good.ann", "T1\tACTOR 0 3\tAli\n")
    write(tmp_path / "bad.txt", CONFLICT_TEXT)
    write(
        tmp_path / "bad.ann",
        "\n".join(
            [
                "T1\tACTOR 0 13\tSeleka rebel",
                "T2\tLOCATION 23 299\tBangui",
                "T3\tLOCATION 29 23\tBangui",
                "T4\tACTOR x y\tAli",
                "T5\tWEAPON 0 6\tSeleka",
                "A1\tactor_type T9 person",
                "A2\tplace_type T1 nowhere",
                "Q1\twhat is this",
            ]
        ),
    )
    summary = run_import(db_url, tmp_path)
    ann = tmp_path / "bad.ann"
    assert summary.files_failed == [str(tmp_path / "bad.txt")]
    assert summary.problems == [
        f"{ann}:1: T1 ('ACTOR'): its recorded text 'Seleka rebel' does not match the document's text at 0-13: 'Seleka rebels'",
        f"{ann}:2: T2 ('LOCATION'): span 23-299 lies outside the text (length {len(CONFLICT_TEXT)})",
        f"{ann}:3: T3 ('LOCATION'): span 29-23 is empty or reversed (end must be greater than start)",
        f"{ann}:4: T4: offsets must be '<start> <end>', got 'x y'",
        f"{ann}:5: T5: label 'WEAPON' is not in schema 'conflict'",
        f"{ann}:6: A1: refers to 'T9', which the file does not define",
        f"{ann}:8: unrecognised line (brat lines start with T, R, E, A, M, N, * or #): 'Q1\\twhat is this'",
    ]
    assert [d.text for d in contents(db_url)["documents"]] == ["Ali is fine.\n"]  # the good pair is stored


def test_brat_crlf_text_offsets_are_moved(db_url, tmp_path):
    text = "First line\r\nSeleka rebels\r\nin Bangui\r\n"
    write(tmp_path / "crlf.txt", text.encode())
    write(tmp_path / "crlf.ann", "T1\tACTOR 12 25\tSeleka rebels\nT2\tLOCATION 30 36\tBangui\n")
    assert text[12:25] == "Seleka rebels" and text[30:36] == "Bangui"
    run_import(db_url, tmp_path)
    got = contents(db_url)
    assert got["documents"][0].text == "First line\nSeleka rebels\nin Bangui\n"
    assert [(s["text"], s["start"]) for s in got["spans"]] == [("Seleka rebels", 11), ("Bangui", 28)]


def test_ann_without_txt_is_refused(db_url, tmp_path):
    write(tmp_path / "orphan.ann", "T1\tACTOR 0 3\tAli\n")
    summary = run_import(db_url, tmp_path / "orphan.ann")
    assert summary.refused == [
        f"{tmp_path / 'orphan.ann'}: refused: brat annotations without their text: no .txt file beside it"
    ]
    assert_empty(db_url)


def test_forced_brat_format_reads_txt_without_ann_as_plain_text(db_url, tmp_path):
    write(tmp_path / "lonely.txt", "No annotations here.\n")
    summary = run_import(db_url, tmp_path, fmt="brat")
    assert summary.ok and summary.documents_added == 1 and summary.spans_added == 0


def test_brat_as_our_exporter_writes_it(db_url, tmp_path):
    """Fragments split at a line break become one span; several key=value pairs in one note."""
    text = 'Refugees said:\n"We fled\nBoda." At least 3,500 Muslims fled.\n'
    quote_start, quote_end = text.index('"We'), text.index('Boda."') + 6
    fig = text.index("At least")
    write(tmp_path / "doc.txt", text)
    write(
        tmp_path / "doc.ann",
        "\n".join(
            [
                f'T1\tQUOTE {quote_start} {quote_start + 8};{quote_start + 9} {quote_end}\t"We fled Boda."',
                "T2\tACTOR 0 8\tRefugees",
                f"T3\tCASUALTY {fig} {fig + 27}\tAt least 3,500 Muslims fled",
                "A1\tcategory T3 fled",
                "A2\tqualifier T3 at_least",
                "#1\tAnnotatorNotes T3\tcount_min=3500; count_max=3500; victims=Muslims; and others",
                "#2\tAnnotatorNotes T2\tcanonical=refugees",
                "R1\tSPEAKER Arg1:T1 Arg2:T2",
            ]
        )
        + "\n",
    )
    summary = run_import(db_url, tmp_path)
    assert summary.ok, summary.problems
    got = contents(db_url)
    assert [(s["label"], s["text"], s["attrs"]) for s in got["spans"]] == [
        ("ACTOR", "Refugees", {"canonical": "refugees"}),
        ("QUOTE", '"We fled\nBoda."', {}),
        (
            "CASUALTY",
            "At least 3,500 Muslims fled",
            {
                "category": "fled",
                "qualifier": "at least",
                "count_min": 3500,
                "count_max": 3500,
                "victims": "Muslims; and others",
            },
        ),
    ]
    assert got["links"] == [("QUOTE", '"We fled\nBoda."', "SPEAKER", "speaker", "Refugees")]
    assert summary.skipped == {}


# ---- our own multi-annotator brat export comes back with its annotators ------------------


def _spans_by_annotator(url):
    """annotator -> sorted (document text, label, start, end, attrs) and their links."""
    from sqlmodel import Session, select

    from annotator.store.engine import get_engine
    from annotator.store.models import Annotator, Document, Link, Span

    with Session(get_engine(url)) as s:
        texts = {d.id: d.text for d in s.exec(select(Document))}
        names = {a.id: a.name for a in s.exec(select(Annotator))}
        spans = {sp.id: sp for sp in s.exec(select(Span))}
        out = {}
        for sp in spans.values():
            out.setdefault(names[sp.annotator_id], []).append(
                (texts[sp.document_id], sp.label, sp.start, sp.end, sp.attrs)
            )
        for link in s.exec(select(Link)):
            head, child = spans[link.head_id], spans[link.child_id]
            out.setdefault(names[head.annotator_id], []).append(
                ("link", link.relation, (head.start, head.end), (child.start, child.end), {})
            )
        return {name: sorted(rows, key=repr) for name, rows in out.items()}


def _export_brat(source_url, out, annotators=()):
    from annotator.services.exporting import ExportRequest, run_export
    from annotator.store.engine import get_engine

    run_export(get_engine(source_url), ExportRequest(format="brat", out=out, annotators=annotators))
    return out


def test_brat_export_of_two_annotators_imports_back_per_annotator(db_url, schema, tmp_path, monkeypatch, capsys):
    from export_seed import seed

    source = f"sqlite:///{tmp_path / 'source.db'}"
    seed(source, schema)
    out = _export_brat(source, tmp_path / "brat", ("alice", "bob"))
    assert sorted(p.name for p in out.iterdir()) == ["alice", "annotation.conf", "bob", "visual.conf"]
    code, stdout, err = cli(monkeypatch, capsys, "import", str(out), "--db", db_url)
    assert code == 0, err
    assert f"{out / 'alice'}: a folder of a brat export: its spans belong to 'alice' (--as NAME overrides)" in err
    want, got = _spans_by_annotator(source), _spans_by_annotator(db_url)
    assert set(got) == {"alice", "bob"}
    assert got["alice"] == want["alice"] and got["bob"] == want["bob"]  # spans, attributes and the quote's speaker
    assert any(row[0] == "link" for row in got["alice"])


def test_brat_export_folders_keep_names_that_are_not_folder_names(db_url, schema, tmp_path):
    from annotator.services import corpus
    from annotator.services import spans as span_ops
    from annotator.store.engine import get_engine, session_scope

    source = f"sqlite:///{tmp_path / 'source.db'}"
    with session_scope(get_engine(source)) as s:
        row = corpus.register_schema(s, schema)
        doc, _ = corpus.add_document(s, text="Seleka rebels entered Bossangoa.", title="t", source="t.txt")
        for name, (start, end, label) in {"Ana María": (0, 13, "ACTOR"), "bob/lead": (22, 31, "LOCATION")}.items():
            who = corpus.get_or_create_annotator(s, name)
            span_ops.add_span(
                s, document=doc, annotator_id=who.id, schema_id=row.id, schema=schema, label=label, start=start, end=end
            )
    out = _export_brat(source, tmp_path / "brat")
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["Ana_María", "bob_lead"]
    summary = run_import(db_url, out, annotator="nobody")
    assert summary.ok and (summary.documents_added, summary.duplicates_skipped, summary.spans_added) == (1, 1, 2)
    got = contents(db_url)
    assert [(s["annotator"], s["text"]) for s in got["spans"]] == [
        ("Ana María", "Seleka rebels"),
        ("bob/lead", "Bossangoa"),
    ]
    # importing one annotator's folder alone works the same way
    again = run_import(db_url, out / "bob_lead", annotator="nobody")
    assert again.ok and again.spans_added == 0


def test_as_overrides_the_export_folders_and_other_sub_folders_are_not_annotators(
    db_url, schema, tmp_path, monkeypatch, capsys
):
    from export_seed import seed

    source = f"sqlite:///{tmp_path / 'source.db'}"
    seed(source, schema)
    out = _export_brat(source, tmp_path / "brat", ("alice", "bob"))
    code, stdout, err = cli(monkeypatch, capsys, "import", str(out), "--as", "carol", "--db", db_url)
    assert code == 0, err
    assert contents(db_url)["annotators"] == ["carol"]
    assert "a folder of a brat export" not in err
    # a brat corpus of someone else's, with sub-folders and its own annotation.conf: no annotators from folders
    write(tmp_path / "corpus" / "annotation.conf", "[entities]\nACTOR\n")
    write(tmp_path / "corpus" / "train" / "d.txt", "Seleka rebels.\n")
    write(tmp_path / "corpus" / "train" / "d.ann", "T1\tACTOR 0 6\tSeleka\n")
    summary = run_import(db_url, tmp_path / "corpus", annotator="dave")
    assert summary.ok and summary.spans_added == 1
    assert ("dave", "Seleka") in [(s["annotator"], s["text"]) for s in contents(db_url)["spans"]]
