"""Sources as analysts hold them (issue 13, section 1): PDF reports, Word files and saved
web pages, alone and inside folders; scans refused; folder reports; Ctrl+C.

The PDFs are written by hand in ``document_support`` (real PDF 1.4 files pypdf reads), the
DOCX files by python-docx itself, the HTML pages here.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from document_support import write_docx, write_pdf
from import_support import cli, contents, outside_the_checkout, run_import, write  # noqa: F401

ARTICLE = [
    "Clashes in Bangui",
    "",
    "Fighting broke out in the capital on Tuesday between Seleka rebels and",
    "anti-balaka militias, residents said, the worst in months of violence in the",
    "city.",
    "The United Nations said 10,000 people had fled to the airport camp since the",
    "weekend.",
]
PAGE_TWO = ["Aid agencies (MSF, ICRC) said at least 30 people were killed."]
PARAGRAPHS = [
    "Clashes in Bangui",
    "Fighting broke out in the capital on Tuesday between Seleka rebels and anti-balaka militias, residents said, "
    "the worst in months of violence in the city.",
    "The United Nations said 10,000 people had fled to the airport camp since the weekend.",
]

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Clashes in Bangui &amp; beyond</title>
<link rel="canonical" href="https://news.example.org/2026/bangui-clashes">
<script>var tracking = "do not keep";</script><style>body{color:red}</style></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<div class="cookie-banner" id="cookie-consent">We use cookies to improve your experience. <button>Accept all cookies</button></div>
<article><h1>Clashes in Bangui &amp; beyond</h1>
<p>Fighting broke out in the capital on Tuesday between Seleka rebels and anti-balaka militias, residents said &ndash; the worst in months.</p>
<p>&ldquo;We have lost everything,&rdquo; said Marie, a trader at the PK5 market, where at least 30 people were killed and more than 200 injured.</p>
<p>The United Nations said 10,000 people had fled to the airport camp since the weekend, bringing the number of displaced to 935,000.</p>
</article>
<footer><p>&copy; 2026 Example News. All rights reserved. Contact us | Privacy policy | Terms</p></footer>
<script>document.write("advert");</script></body></html>
"""


def test_a_pdf_becomes_its_paragraphs_with_page_starts(db_url, tmp_path):
    path = write_pdf(tmp_path / "in" / "report.pdf", [ARTICLE, PAGE_TWO], title="Bangui situation report")
    summary = run_import(db_url, path)
    assert summary.ok and summary.documents_added == 1
    [doc] = contents(db_url)["documents"]
    assert doc.text == "\n\n".join(PARAGRAPHS + PAGE_TWO)
    assert doc.title == "Bangui situation report"
    assert doc.meta["pages"] == [{"page": 1, "start": 0}, {"page": 2, "start": doc.text.index("Aid agencies")}]
    assert doc.meta["source_file"] == str(path) and doc.meta["format"] == "pdf" and doc.meta["page_count"] == 2


def test_a_scanned_pdf_is_refused_in_one_line(db_url, tmp_path):
    path = write_pdf(tmp_path / "in" / "scan.pdf", [None, None])
    summary = run_import(db_url, path)
    assert summary.refused == [
        f"{path}: refused: no text layer: a scanned PDF (2 pages of images); OCR is out of scope"
    ]
    assert contents(db_url)["documents"] == []


def test_a_damaged_pdf_is_refused_in_one_line(db_url, tmp_path):
    data = write_pdf(tmp_path / "in" / "ok.pdf", [ARTICLE]).read_bytes()
    path = write(tmp_path / "in" / "cut.pdf", data[:200])
    summary = run_import(db_url, path)
    assert len(summary.refused) == 1 and summary.refused[0].startswith(f"{path}: refused: ")


def test_a_docx_keeps_paragraphs_and_tables_in_order(db_url, tmp_path):
    path = write_docx(
        tmp_path / "in" / "statement.docx",
        [
            "# Witness statement",
            "I saw the rebels at 6 a.m.",
            "",
            [["Name", "Place"], ["Ali", "Bossangoa"]],
            "They burned the market.",
        ],
        title="Statement 12",
    )
    summary = run_import(db_url, path)
    assert summary.ok
    [doc] = contents(db_url)["documents"]
    assert (
        doc.text
        == "Witness statement\n\nI saw the rebels at 6 a.m.\n\nName\n\nPlace\n\nAli\n\nBossangoa\n\nThey burned the market."
    )
    assert doc.title == "Statement 12" and doc.meta["docx_title"] == "Statement 12" and doc.meta["format"] == "docx"


def test_a_file_named_docx_that_is_not_one_is_refused(db_url, tmp_path):
    path = write(tmp_path / "in" / "old.docx", b"\xd0\xcf\x11\xe0 an old binary .doc")
    summary = run_import(db_url, path)
    assert summary.refused == [
        f"{path}: refused: not a Word .docx file (it is not a ZIP package; an old .doc? save it as .docx)"
    ]


def test_a_saved_web_page_keeps_only_its_main_text(db_url, tmp_path):
    path = write(tmp_path / "in" / "page.html", PAGE)
    summary = run_import(db_url, path)
    assert summary.ok
    [doc] = contents(db_url)["documents"]
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == "Clashes in Bangui & beyond"
    assert paragraphs[1].endswith("residents said – the worst in months.")
    assert paragraphs[2].startswith("“We have lost everything,” said Marie")
    assert len(paragraphs) == 4
    for boilerplate in ("Home", "cookies", "tracking", "advert", "rights reserved", "<", "&amp;", "color:red"):
        assert boilerplate not in doc.text
    assert doc.meta["html_title"] == "Clashes in Bangui & beyond"
    assert doc.meta["canonical_url"] == "https://news.example.org/2026/bangui-clashes"


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_format_can_be_forced(db_url, tmp_path, fmt):
    folder = tmp_path / "in"
    if fmt == "pdf":
        write_pdf(folder / "report.bin", [ARTICLE])
    elif fmt == "docx":
        write_docx(folder / "report.bin", ["Seleka rebels attacked Bangui on Tuesday."])
    else:
        write(folder / "report.bin", PAGE)
    summary = run_import(db_url, folder / "report.bin", fmt=fmt)
    assert summary.ok and summary.documents_added == 1


def test_a_folder_names_every_skipped_file_and_ends_with_counts(db_url, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "reports"
    write_pdf(folder / "report.pdf", [ARTICLE])
    write_pdf(folder / "scan.pdf", [None])
    write_docx(folder / "statement.docx", ["They burned the market in Boda."])
    write(folder / "page.htm", PAGE)
    write(folder / "notes.txt", "Call the OCHA office.\n")
    write(folder / "photo.jpg", b"\xff\xd8\xff\xe0")
    write(folder / "data.json", '{"not": "tasks"}')
    code, out, err = cli(monkeypatch, capsys, "import", str(folder), "--db", db_url, "--skip-invalid")
    assert code == 0
    lines = err.splitlines()
    assert f"{folder / 'photo.jpg'}: skipped, not a document" in lines
    assert f'{folder / "data.json"}: skipped, not a Label Studio export (no tasks with "data")' in lines
    assert (
        f"{folder / 'scan.pdf'}: refused: no text layer: a scanned PDF (1 page of images); OCR is out of scope" in lines
    )
    assert out.strip() == "4 documents added, 0 duplicates skipped, 0 spans added, 1 file refused, 2 files skipped"


def _ctrl_c_corpus(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    for n in range(count):
        (folder / f"{n:06d}.txt").write_text(f"Report number {n}: displaced families in Bambari.\n", encoding="utf-8")


def test_ctrl_c_stops_cleanly_exits_130_and_a_rerun_finishes(tmp_path):
    folder = tmp_path / "many"
    count = 6000
    _ctrl_c_corpus(folder, count)
    db = tmp_path / "ctrl-c.db"
    url = f"sqlite:///{db}"
    annotator = str(Path(sys.executable).with_name("annotator"))
    env = {**os.environ, "ANNOTATOR_USER": "tester"}
    assert (
        subprocess.run([annotator, "db", "upgrade", "--db", url], env=env, capture_output=True).returncode == 0
    )  # created, migrated
    proc = subprocess.Popen(
        [annotator, "import", str(folder), "--db", url],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def stored() -> int:
        with sqlite3.connect(db, timeout=30) as conn:
            return conn.execute("SELECT count(*) FROM document").fetchone()[0]

    deadline = time.monotonic() + 120
    while stored() == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    if proc.poll() is not None:
        pytest.skip("the import finished before it could be interrupted")
    proc.send_signal(signal.SIGINT)  # what Ctrl+C sends
    out, err = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip("the import finished before the signal arrived")
    assert proc.returncode == 130, err
    [line] = err.splitlines()
    assert line.startswith("annotator: interrupted: ") and "files stored" in line or " file stored" in line
    files = int(line.split("interrupted: ")[1].split(" ")[0])
    assert files == stored() and 0 < files < count  # whole batches only: each stored file is its document
    again = subprocess.run(
        [annotator, "import", str(folder), "--db", url], env=env, capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 0, again.stderr
    assert stored() == count
    assert again.stdout.strip().startswith(f"{count - files} documents added, {files} duplicates skipped")
