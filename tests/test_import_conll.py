"""Import of CoNLL / IOB token-per-line files: the peer samples, tag schemes, bad lines."""

from __future__ import annotations

import pytest
from import_support import (
    assert_empty,
    cli,
    contents,
    outside_the_checkout,  # noqa: F401  (autouse: messages name files by absolute path)
    run_import,
    write,
)
from support.paths import PEER

CONLL = PEER / "conll"
CONLL03 = CONLL / "asyml-forte/data_samples/conll03/conll03.conll"
CONLL03_NO_DOCSTART = CONLL / "asyml-forte/data_samples/data_pack_dataset_test/conll03_1.conll"
FLAIR = CONLL / "flair/tests/resources/tasks/trivial/trivial_bioes_with_boundaries/train.txt"
SPACY_IOB = CONLL / "spacy/extra/example_data/ner_example_data/ner-token-per-line.iob"
DOCCANO_CONLL = PEER / "doccano/backend/data_import/tests/data/sequence_labeling/example.conll"
DOCCANO_TXT = PEER / "doccano/backend/data_import/pipeline/examples/sequence_labeling/example.txt"
MAP = "PER=ACTOR,ORG=ACTOR,LOC=LOCATION,MISC=-"


def spans(db_url):
    return [(s["label"], s["text"]) for s in contents(db_url)["spans"]]


def test_conll03_four_columns_with_docstart_and_double_blank_lines(db_url):
    summary = run_import(db_url, CONLL03, label_map=MAP)
    assert summary.ok
    assert (summary.documents_added, summary.duplicates_skipped) == (1, 1)  # the sample holds the same article twice
    (doc,) = contents(db_url)["documents"]
    assert doc.text == (
        "The European Commission said on Thursday it disagreed with German advice to consumers to shun British lamb "
        "until scientists determine whether mad cow disease can be transmitted to sheep ."
    )
    assert doc.source == f"{CONLL03}:1"
    assert spans(db_url) == [("ACTOR", "European Commission")]
    assert summary.spans_dropped == 4  # MISC x 2 in each copy


def test_conll03_without_docstart_is_one_document_with_a_line_per_sentence(db_url):
    summary = run_import(db_url, CONLL03_NO_DOCSTART, label_map=MAP)
    assert summary.ok and summary.documents_added == 1
    (doc,) = contents(db_url)["documents"]
    lines = doc.text.split("\n")
    assert lines[:3] == ["EU rejects German call to boycott British lamb .", "Peter Blackburn", "BRUSSELS 1996-08-22"]
    assert doc.title == "EU rejects German call to boycott British lamb ."
    got = spans(db_url)
    assert ("ACTOR", "EU") in got and ("ACTOR", "Peter Blackburn") in got and ("LOCATION", "BRUSSELS") in got
    assert len(got) == 3 + 5 + 3  # B-LOC, B-ORG, B-PER tags in the file
    assert summary.spans_dropped == 4


def test_flair_two_columns_with_bare_docstart(db_url):
    summary = run_import(db_url, FLAIR, label_map=MAP)
    assert summary.ok and summary.notes == [f"{FLAIR}: read as CoNLL (token and tag per line)"]
    assert (summary.documents_added, summary.duplicates_skipped, summary.spans_added) == (2, 1, 8)
    texts = sorted(d.text for d in contents(db_url)["documents"])
    assert texts[0].split("\n") == ["this is Berlin", "here is Berlin", "I like Berlin", "we like Berlin"]
    assert sorted(set(spans(db_url))) == [("LOCATION", "Berlin"), ("LOCATION", "New York")]


def test_spacy_tab_separated_non_ascii(db_url):
    summary = run_import(db_url, SPACY_IOB, label_map="PERSON=ACTOR,ORG=ACTOR,NORP=ACTOR,DATE=-")
    assert summary.ok, summary.problems
    (doc,) = contents(db_url)["documents"]
    assert "\n" not in doc.text and "“" in doc.text and "’" in doc.text
    assert doc.text.startswith("When Sebastian Thrun started working on self - driving cars at Google in 2007 ,")
    got = spans(db_url)
    assert ("ACTOR", "Sebastian Thrun") in got and ("ACTOR", "Google") in got
    assert len(got) == 5 and summary.spans_dropped == 2
    for s in contents(db_url)["spans"]:
        assert s["text"] == doc.text[s["start"] : s["end"]]


def test_doccano_conll_fixture_and_mixed_separators(db_url):
    summary = run_import(db_url, DOCCANO_CONLL, DOCCANO_TXT, label_map=MAP)
    assert summary.ok and summary.documents_added == 2
    texts = sorted(d.text for d in contents(db_url)["documents"])
    assert "JAPAN GET\nNadim Ladki" in texts
    assert ("LOCATION", "JAPAN") in spans(db_url) and ("ACTOR", "Nadim Ladki") in spans(db_url)
    assert ("ACTOR", "Peter Blackburn") in spans(db_url)


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        # IOB2
        ("B-LOC I-LOC O B-PER B-PER I-PER", [("LOCATION", "a b"), ("ACTOR", "d"), ("ACTOR", "e f")]),
        # IOB1: I- starts a span; B- only separates two adjacent spans of one type
        ("I-LOC I-LOC O I-PER B-PER I-PER", [("LOCATION", "a b"), ("ACTOR", "d"), ("ACTOR", "e f")]),
        # BIOES
        ("B-LOC E-LOC S-PER O B-PER E-PER", [("LOCATION", "a b"), ("ACTOR", "c"), ("ACTOR", "e f")]),
        # BILOU
        ("U-LOC B-PER I-PER L-PER O U-LOC", [("LOCATION", "a"), ("ACTOR", "b c d"), ("LOCATION", "f")]),
        # IO (no prefixes) and a type change ends a span
        ("LOC LOC PER O PER PER", [("LOCATION", "a b"), ("ACTOR", "c"), ("ACTOR", "e f")]),
    ],
)
def test_tag_schemes(db_url, tmp_path, tags, expected):
    lines = [f"{tok} {tag}" for tok, tag in zip("abcdef", tags.split())]
    path = write(tmp_path / "t.conll", "\n".join(lines) + "\n")
    summary = run_import(db_url, path, label_map="PER=ACTOR,LOC=LOCATION")
    assert summary.ok, summary.problems
    assert sorted(spans(db_url)) == sorted(expected)


def test_spans_never_cross_sentences(db_url, tmp_path):
    path = write(tmp_path / "s.conll", "a B-LOC\nb I-LOC\n\n\n\nc I-LOC\nd O\n")
    run_import(db_url, path, label_map="LOC=LOCATION")
    (doc,) = contents(db_url)["documents"]
    assert doc.text == "a b\nc d"
    assert spans(db_url) == [("LOCATION", "a b"), ("LOCATION", "c")]


def test_bad_conll_lines_are_listed_and_nothing_is_stored(db_url, tmp_path, monkeypatch, capsys):
    path = write(
        tmp_path / "bad.conll",
        "\n".join(
            [
                "-DOCSTART- -X- -X- O",
                "",
                "Ali B-PER",
                "lonely",
                "went O",
                "to O",
                "Boda B-",
                "",
                "-DOCSTART- -X- -X- O",
                "",
                "Fine B-WEAPON",
            ]
        )
        + "\n",
    )
    code, out, err = cli(monkeypatch, capsys, "import", str(path), "--label-map", "PER=ACTOR", "--db", db_url)
    assert code == 2
    lines = err.splitlines()
    assert f"{path}:4: expected a token and its tag (two or more columns), got 'lonely'" in lines
    assert f"{path}:7: 'B-' is not an IOB tag (O, B-X, I-X, E-X, S-X ...)" in lines
    assert f"{path}:11: token 'Fine': label 'WEAPON' is not in schema 'conflict'" in lines
    assert lines[-1].startswith("annotator: 3 problems in 1 file; nothing from it was stored")
    assert_empty(db_url)


def test_comment_lines_are_ignored(db_url, tmp_path):
    path = write(tmp_path / "c.conll", "# sent_id = 1\n# text = Ali left\nAli B-PER\nleft O\n")
    summary = run_import(db_url, path, label_map="PER=ACTOR")
    assert summary.ok and spans(db_url) == [("ACTOR", "Ali")]


def test_prose_txt_is_not_mistaken_for_conll(db_url, tmp_path):
    path = write(tmp_path / "prose.txt", "Ali said O\nthey left O\nat dawn O\nnear Boda.\n")
    summary = run_import(db_url, path)
    assert summary.ok and summary.notes == []
    assert contents(db_url)["documents"][0].text == "Ali said O\nthey left O\nat dawn O\nnear Boda.\n"


GERMEVAL = CONLL / "flair/tests/resources/tasks/ner_german_germeval/NER-de-train.tsv"
GERMEVAL_MAP = "PER=ACTOR,ORG=ACTOR,LOC=LOCATION,OTH=-,LOCderiv=-,LOCpart=-,ORGpart=-,PERpart=-,OTHpart=-,OTHderiv=-"


def test_germeval_tsv_index_column_comments_and_outer_tags(db_url):
    summary = run_import(db_url, GERMEVAL, label_map=GERMEVAL_MAP)
    assert summary.ok, summary.problems + summary.refused
    assert summary.notes == [f"{GERMEVAL}: read as CoNLL (token and tag per line)"]
    (doc,) = contents(db_url)["documents"]
    lines = doc.text.split("\n")
    assert (
        lines[0]
        == 'Schartau sagte dem " Tagesspiegel " vom Freitag , Fischer sei " in einer Weise aufgetreten , die alles andere als überzeugend war " .'
    )
    assert not any(line.startswith(("#", "1 ")) for line in lines)  # no comments, no index numbers
    assert spans(db_url) == [
        ("ACTOR", "Schartau"),
        ("ACTOR", "Tagesspiegel"),
        ("ACTOR", "Fischer"),
        ("ACTOR", "Wolf Peter Bree"),
        ("LOCATION", "Libanon"),
    ]


def test_germeval_nested_inner_tags_are_spans_too(db_url, tmp_path):
    rows = [
        ("1", "Aufgrund", "O", "O"),
        ("2", "der", "O", "O"),
        ("3", "Troia-Ausstellung", "B-LOCpart", "O"),
        ("4", "in", "O", "O"),
        ("5", "Stuttgart", "B-LOC", "O"),
        ("6", "„", "O", "O"),
        ("7", "Troia", "B-OTH", "B-LOC"),
        ("8", "-", "I-OTH", "O"),
        ("9", "Traum", "I-OTH", "O"),
        ("10", "der", "I-OTH", "O"),
        ("11", "Deutschen", "I-OTH", "B-LOCderiv"),
        ("12", "Bank", "I-OTH", "B-ORG"),
        ("13", "“", "O", "O"),
    ]
    data = "#\thttp://de.wikipedia.org/wiki/Troia [2009-10-17]\n" + "".join("\t".join(r) + "\n" for r in rows)
    data += "\n#\tsecond sentence\n1\tBerlin\tB-LOC\tO\n"  # one token: still an index column
    write(tmp_path / "germeval.tsv", data)
    summary = run_import(
        db_url, tmp_path / "germeval.tsv", label_map="PER=ACTOR,ORG=ACTOR,LOC=LOCATION,OTH=ACTOR,LOCpart=-,LOCderiv=-"
    )
    assert summary.ok, summary.problems
    (doc,) = contents(db_url)["documents"]
    assert doc.text == "Aufgrund der Troia-Ausstellung in Stuttgart „ Troia - Traum der Deutschen Bank “\nBerlin"
    assert sorted(spans(db_url)) == sorted(
        [
            ("LOCATION", "Stuttgart"),
            ("ACTOR", "Troia - Traum der Deutschen Bank"),  # outer
            ("LOCATION", "Troia"),  # inner, inside the outer span
            ("ACTOR", "Bank"),  # inner
            ("LOCATION", "Berlin"),
        ]
    )
    assert summary.spans_dropped == 2  # LOCpart, LOCderiv


def test_a_sentence_starting_with_the_number_1_is_not_an_index(db_url, tmp_path):
    write(
        tmp_path / "numbers.conll",
        "1\tCD\tB-NP\tO\nSeleka\tNNP\tI-NP\tB-ACTOR\n\n2\tCD\tB-NP\tO\nrebels\tNNS\tI-NP\tO\n",
    )
    summary = run_import(db_url, tmp_path / "numbers.conll")
    assert summary.ok, summary.problems
    (doc,) = contents(db_url)["documents"]
    assert doc.text == "1 Seleka\n2 rebels" and spans(db_url) == [("ACTOR", "Seleka")]


def test_a_tsv_that_is_not_conll_is_left_out_of_folders(db_url, tmp_path):
    write(tmp_path / "corpus" / "a.txt", "A document.\n")
    write(tmp_path / "corpus" / "metadata.tsv", "id\ttitle\n1\tA document\n")
    summary = run_import(db_url, tmp_path / "corpus")
    assert summary.ok and summary.documents_added == 1 and summary.files_read == 1
