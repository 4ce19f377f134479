"""Import of plain .txt/.md files and folders: decoding, refusals, line endings, dedupe, CLI."""

from __future__ import annotations

import codecs

import pytest
from import_support import assert_empty, cli, contents, run_import, write
from support.paths import REPO

from annotator.services.corpus import text_sha256
from annotator.services.importing.decode import FileRefused, decode_bytes
from annotator.services.importing.newlines import NewlineMap

FRENCH = (
    "Les habitants de Bangui ont fui vers l'aéroport, où des milliers de déplacés s'entassent. "
    "« Nous avons tout perdu », a déclaré une mère de famille, réfugiée près de la piste. "
    "Les soldats français et africains patrouillent dans les quartiers musulmans désertés.\n"
)


def test_folder_recursive_titles_sources_and_readme_left_out(db_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "corpus" / "a.txt", "Short headline\n\nBody of the first article.\n")
    write(tmp_path / "corpus" / "sub" / "b.md", "# A *Markdown* title\n\nText.\n")
    write(tmp_path / "corpus" / "sub" / "deeper" / "c.txt", "x" * 300 + "\nmore\n")
    write(tmp_path / "corpus" / "README.md", "# About this folder\n")
    write(tmp_path / "corpus" / "notes.csv", "a,b\n")
    write(tmp_path / "corpus" / ".hidden.txt", "secret\n")
    summary = run_import(db_url, "corpus")
    assert summary.ok and summary.documents_added == 3 and summary.files_read == 3
    docs = {d.source: d for d in contents(db_url)["documents"]}
    assert set(docs) == {"corpus/a.txt", "corpus/sub/b.md", "corpus/sub/deeper/c.txt"}
    assert docs["corpus/a.txt"].title == "Short headline"
    assert docs["corpus/sub/b.md"].title == "A *Markdown* title"
    assert docs["corpus/sub/deeper/c.txt"].title == "c"  # first line too long for a title: the file name
    assert docs["corpus/a.txt"].text == "Short headline\n\nBody of the first article.\n"
    assert docs["corpus/a.txt"].sha256 == text_sha256(docs["corpus/a.txt"].text)


def test_bundled_sources_import(db_url):
    summary = run_import(db_url, REPO / "sources")
    assert summary.documents_added == 3 and summary.ok
    titles = sorted(d.title for d in contents(db_url)["documents"])
    assert "Amnesty: Exodus of thousands of Muslims in C. African Republic amounts to ethnic cleansing" in titles
    assert "cnn-2014-02-12-car-muslim-exodus" in titles


def test_same_text_twice_is_one_document(db_url, tmp_path):
    write(tmp_path / "one.txt", "The same words.\n")
    write(tmp_path / "two.txt", "The same words.\n")
    write(tmp_path / "crlf.txt", b"The same words.\r\n")  # the same text once line endings are LF
    summary = run_import(db_url, tmp_path)
    assert (summary.documents_added, summary.duplicates_skipped) == (1, 2)
    again = run_import(db_url, tmp_path / "one.txt")
    assert (again.documents_added, again.duplicates_skipped) == (0, 1)
    assert len(contents(db_url)["documents"]) == 1


def test_crlf_and_cr_become_lf_and_nothing_else_changes(db_url, tmp_path):
    raw = "  Title line  \r\nsecond\tline\r\rthird \u00a0line\rlast\r\n\r\n"
    write(tmp_path / "endings.txt", raw)
    run_import(db_url, tmp_path / "endings.txt")
    (doc,) = contents(db_url)["documents"]
    assert doc.text == "  Title line  \nsecond\tline\n\nthird \u00a0line\nlast\n\n"


@pytest.mark.parametrize(
    ("encoding", "expected_codec"),
    [("latin-1", None), ("utf-16", "utf-16"), ("utf-8-sig", None)],
)
def test_encodings_are_detected_and_named(db_url, tmp_path, encoding, expected_codec):
    write(tmp_path / "article.txt", FRENCH.encode(encoding))
    summary = run_import(db_url, tmp_path / "article.txt")
    (doc,) = contents(db_url)["documents"]
    assert doc.text == FRENCH
    if encoding == "utf-8-sig":
        assert summary.notes == []  # UTF-8 with a BOM is still UTF-8: nothing to say
        return
    (note,) = summary.notes
    assert note.startswith("article.txt: not UTF-8; decoded as ") or "article.txt: not UTF-8; decoded as " in note
    codec = note.rsplit(" ", 1)[1]
    if expected_codec:
        assert codec == expected_codec
    else:  # a single-byte Western encoding: the detector may name Latin-1 or one of its supersets
        assert FRENCH.encode(encoding).decode(codec) == FRENCH
        assert codecs.lookup(codec).name in {
            "iso8859-1",
            "cp1252",
            "iso8859-15",
            "latin-1",
            "cp1250",
            "iso8859-9",
            "cp1254",
        }


def test_encoding_is_named_by_the_cli(db_url, tmp_path, monkeypatch, capsys):
    write(tmp_path / "article.txt", FRENCH.encode("utf-16"))
    code, out, err = cli(monkeypatch, capsys, "import", str(tmp_path / "article.txt"), "--db", db_url)
    assert code == 0, err
    assert "not UTF-8; decoded as utf-16" in err
    assert out.strip() == "1 document added, 0 duplicates skipped, 0 spans added, 0 files refused"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \n\t\n", "empty file (only whitespace)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file (it contains NUL bytes)"),
        (bytes(range(1, 32)) * 40, "binary file (it holds control characters, not text)"),
    ],
)
def test_binary_and_empty_files_are_refused(db_url, tmp_path, data, reason):
    write(tmp_path / "bad.txt", data)
    summary = run_import(db_url, tmp_path / "bad.txt")
    assert summary.files_refused == 1 and not summary.ok
    assert summary.refused == [f"{tmp_path / 'bad.txt'}: refused: {reason}"]
    assert_empty(db_url)


def test_refused_file_is_one_line_and_exit_2_but_others_are_stored(db_url, tmp_path, monkeypatch, capsys):
    write(tmp_path / "good.txt", "A good article.\n")
    write(tmp_path / "zero.txt", b"")
    code, out, err = cli(monkeypatch, capsys, "import", str(tmp_path), "--db", db_url)
    assert code == 2
    assert f"{tmp_path / 'zero.txt'}: refused: empty file" in err.splitlines()
    assert err.splitlines()[-1] == "annotator: 1 file refused (see above)"
    assert "1 document added" in out and "1 file refused" in out
    assert [d.text for d in contents(db_url)["documents"]] == ["A good article.\n"]


def test_missing_path_and_bad_format_are_one_line_errors(db_url, tmp_path, monkeypatch, capsys):
    code, out, err = cli(monkeypatch, capsys, "import", str(tmp_path / "nope.txt"), "--db", db_url)
    assert (code, err) == (2, f"annotator: {tmp_path / 'nope.txt'}: no such file or folder\n")
    write(tmp_path / "a.txt", "text\n")
    code, out, err = cli(monkeypatch, capsys, "import", str(tmp_path / "a.txt"), "--format", "xml", "--db", db_url)
    assert (code, err) == (
        2,
        "annotator: --format: expected one of auto, text, jsonl, brat, conll, pdf, docx, html, label-studio, got 'xml'\n",
    )
    code, out, err = cli(monkeypatch, capsys, "import", str(tmp_path / "a.txt"), "--label-map", "PER", "--db", db_url)
    assert (code, err) == (2, "annotator: --label-map: expected FROM=TO (or FROM=- to drop), got 'PER'\n")
    code, out, err = cli(
        monkeypatch, capsys, "import", str(tmp_path / "a.txt"), "--label-map", "PER=PERSON", "--db", db_url
    )
    assert code == 2 and err.startswith(
        "annotator: --label-map: PER=PERSON: 'PERSON' is not a label of schema 'conflict'"
    )
    assert_empty(db_url)


def test_if_empty_imports_only_into_an_empty_database(db_url, tmp_path, monkeypatch, capsys):
    write(tmp_path / "first" / "a.txt", "First.\n")
    write(tmp_path / "second" / "b.txt", "Second.\n")
    code, out, err = cli(monkeypatch, capsys, "import", str(tmp_path / "first"), "--if-empty", "--db", db_url)
    assert code == 0 and "1 document added" in out
    code, out, err = cli(monkeypatch, capsys, "import", str(tmp_path / "second"), "--if-empty", "--db", db_url)
    assert code == 0
    assert out.strip() == "the database already has 1 documents; nothing imported (--if-empty)"
    assert [d.text for d in contents(db_url)["documents"]] == ["First.\n"]


def test_progress_is_reported_up_to_the_total(db_url, tmp_path):
    for n in range(3):
        write(tmp_path / f"{n}.txt", f"Document number {n}.\n" * (n + 1))
    calls = []
    run_import(db_url, tmp_path, progress=lambda done, total, path: calls.append((done, total, path)))
    total = sum((tmp_path / f"{n}.txt").stat().st_size for n in range(3))
    assert calls[-1][:2] == (total, total)
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)


def test_decode_unit_cases():
    assert decode_bytes("naïve\n".encode()).encoding == "utf-8"
    assert decode_bytes(codecs.BOM_UTF16_BE + "Grüße".encode("utf-16-be")).text == "Grüße"
    with pytest.raises(FileRefused, match="NUL"):
        decode_bytes(b"abc\x00def")
    mapping = NewlineMap("a\r\nb\rc\r\nd")
    assert mapping.text == "a\nb\nc\nd"
    # offsets counted in the original land on the same characters in the normalised text
    for original_index, char in enumerate("a\r\nb\rc\r\nd"):
        if char != "\r" or "a\r\nb\rc\r\nd"[original_index + 1 : original_index + 2] != "\n":
            assert mapping.text[mapping(original_index)] == (char if char != "\r" else "\n")


# ---- encodings without a BOM: short inputs, Western, Central European and Cyrillic ------

LONG_FR = (
    "Les habitants de Bangui ont fui vers l'aéroport, où des milliers de déplacés s'entassent. "
    "« Nous avons tout perdu », a déclaré une mère de famille, réfugiée près de la piste. "
) * 5
LONG_RU = "Жители Банги бежали в аэропорт, где тысячи перемещённых лиц ищут убежища. «Мы потеряли всё». " * 5
ENCODING_SAMPLES = [
    # (text, how it is encoded, what the importer must say it used)
    ("Il est allé à Bangui.", "latin-1", "cp1252"),  # charset-normalizer alone: cp1006 garbage
    ("Déjà vu", "latin-1", "cp1252"),
    ("naïve café", "cp1252", "cp1252"),
    ("Zürich", "latin-1", "cp1252"),
    ("¿Dónde está el niño?", "latin-1", "cp1252"),
    ("« Nous avons tout perdu », a déclaré…", "cp1252", "cp1252"),
    ("Ça coûte 5 € — “vraiment”.", "cp1252", "cp1252"),
    (LONG_FR, "latin-1", "cp1252"),
    (LONG_FR, "cp1252", "cp1252"),
    (
        "Grüße aus Köln. Die Flüchtlinge überquerten die Grenze; die Lage bleibt äußerst angespannt. " * 8,
        "latin-1",
        "cp1252",
    ),
    ("Москва", "cp1251", "cp1251"),
    ("Привет, мир! Это тест.", "cp1251", "cp1251"),
    (LONG_RU, "cp1251", "cp1251"),
    ("Привет, мир! Это тест.", "koi8-r", "koi8-r"),
    ("Zażółć gęślą jaźń", "cp1250", "cp1250"),
    ("Il est allé à Bangui.", "utf-16", "utf-16"),  # with a BOM
    ("Москва", "utf-16", "utf-16"),
    ("Привет, мир! Это тест.", "utf-32", "utf-32"),
    ("Il est allé à Bangui.", "utf-16-le", "utf-16-le"),  # no BOM: its zero bytes tell
    ("Привет, мир! Это тест.", "utf-16-be", "utf-16-be"),
    (LONG_FR, "utf-32-le", "utf-32-le"),
]


@pytest.mark.parametrize(
    ("text", "encoding", "named"), ENCODING_SAMPLES, ids=lambda v: v[:12] if isinstance(v, str) else v
)
def test_short_and_long_non_utf8_texts_decode_to_what_was_written(text, encoding, named):
    decoded = decode_bytes(text.encode(encoding))
    assert decoded.text == text
    assert decoded.encoding == named


def test_short_latin1_file_imports_as_written_and_says_how(db_url, tmp_path, monkeypatch, capsys):
    write(tmp_path / "court.txt", "Il est allé à Bangui.\n".encode("latin-1"))
    code, out, err = cli(monkeypatch, capsys, "import", str(tmp_path / "court.txt"), "--db", db_url)
    assert code == 0, err
    assert f"{tmp_path / 'court.txt'}: not UTF-8; decoded as cp1252" in err.splitlines()
    (doc,) = contents(db_url)["documents"]
    assert doc.text == "Il est allé à Bangui.\n" and doc.title == "Il est allé à Bangui."


def test_short_cyrillic_jsonl_is_read_as_windows_1251(db_url, tmp_path):
    record = '{"text": "Москва и Киев", "spans": [{"start": 0, "end": 6, "label": "LOCATION"}]}\n'
    write(tmp_path / "ru.jsonl", record.encode("cp1251"))
    summary = run_import(db_url, tmp_path / "ru.jsonl")
    assert summary.ok and summary.notes == [f"{tmp_path / 'ru.jsonl'}: not UTF-8; decoded as cp1251"]
    assert [(s["label"], s["text"]) for s in contents(db_url)["spans"]] == [("LOCATION", "Москва")]


@pytest.mark.parametrize(
    "data",
    [b"abcd\x00efg", b"\x00\x01\x02\x03" * 20, b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256))],
    ids=["one-nul", "counting", "zip"],
)
def test_nul_bytes_that_are_not_utf16_stay_binary(data):
    with pytest.raises(FileRefused, match="binary"):
        decode_bytes(data)


def test_oddities_score_tells_mojibake_from_prose():
    from annotator.services.importing.decode import oddities

    for prose in (
        "Il est allé à Bangui.",
        "Привет, мир!",
        "Zażółć gęślą jaźń",
        "l’aéroport, col·lecció",
        "東京は晴れ Tシャツ",
    ):
        assert oddities(prose) == 0, prose
    for garbled in ("Il est allй а Bangui.", "Ïðèâåò, ìèð!", "Za¿ó³æ gêœl¹", "рТЙЧЕФ", "⌠▄▀·┌м░╟"):
        assert oddities(garbled) > 0, garbled
