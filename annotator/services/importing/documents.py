"""Sources as analysts hold them: PDF reports, Word files and saved web pages.

Each file becomes one document whose text is the readable body: paragraphs in order,
separated by one blank line. ``meta`` keeps the provenance (``source_file``, ``format``;
PDF: ``pages``, where each page starts in the text; HTML: ``html_title``,
``canonical_url``). Libraries: pypdf (BSD-3-Clause) reads the PDF text layer, python-docx
(MIT) the Word body (paragraphs and table cells in document order), trafilatura
(Apache-2.0) the main text of a web page without menus, cookie banners, footers, scripts
or markup. A PDF without a text layer (a scan) is refused: OCR is out of scope.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .decode import FileRefused
from .files import MAX_FILE_BYTES, read_capped
from .parsed import ParsedDoc, Record
from .text_files import title_for

if TYPE_CHECKING:
    from trafilatura.metadata import Document as TrafilaturaDocument

_SENTENCE_END = tuple('.!?:;"”’)»…')
_SPACES = re.compile(r"[ \t\u00a0]+")


def _document(text: str, title: str | None, display: str, meta: dict[str, Any], size: int) -> Record:
    text = text.replace("\x00", "")
    if not text.strip():
        raise FileRefused("no text in it")
    doc = ParsedDoc(text=text, title=title, source=display, meta=meta)
    return Record(line=0, doc=doc, bytes_read=size)


def join_paragraphs(paragraphs: list[str]) -> str:
    return "\n\n".join(p for p in paragraphs if p)


# ---- PDF -----------------------------------------------------------------------------------


def page_paragraphs(page_text: str) -> list[str]:
    """The paragraphs of one page of extracted PDF text (one line per text line).

    A blank line ends a paragraph, and so does a line noticeably shorter than the page's
    full lines (the last line of a paragraph, a heading); the lines of a paragraph are
    joined with a space (after a hyphen, with nothing).
    """
    lines = [_SPACES.sub(" ", line).strip() for line in page_text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lengths = sorted(len(line) for line in lines if line)
    if not lengths:
        return []
    full = lengths[(len(lengths) * 4) // 5]  # a full line: the 80th percentile of line lengths
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if not current:
            current = line
        elif current.endswith("-") and not current.endswith(" -"):
            current += line
        else:
            current += " " + line
        if len(line) < 0.75 * full or (line.endswith(_SENTENCE_END) and len(line) < 0.9 * full):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def extract_pdf_pages(data: bytes) -> tuple[list[str], str | None]:
    """pypdf's text of every page, and the PDF's title (``FileRefused`` if unreadable)."""
    import pypdf

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about odd but readable files
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileRefused("an encrypted PDF that needs a password")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata is not None else None
    except FileRefused:
        raise
    except (MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise FileRefused(f"not a readable PDF ({detail})") from None
    return pages, title if isinstance(title, str) and title.strip() else None


def read_pdf(path: Path, display: str, notes: list[str]) -> Record:
    data = read_capped(path)
    if not data.lstrip()[:5] == b"%PDF-":
        raise FileRefused("not a PDF (it does not start with %PDF-)")
    pages, pdf_title = extract_pdf_pages(data)
    if not any(page.strip() for page in pages):
        raise FileRefused(
            f"no text layer: a scanned PDF ({len(pages)} page{'s' if len(pages) != 1 else ''} of images); OCR is out of scope"
        )
    parts: list[str] = []
    starts: list[dict[str, int]] = []
    offset = 0
    empty = 0
    for number, page in enumerate(pages, start=1):
        body = join_paragraphs(page_paragraphs(page))
        if not body:
            empty += 1
            continue
        if parts:
            offset += 2  # the blank line between pages
        starts.append({"page": number, "start": offset})
        parts.append(body)
        offset += len(body)
    if empty:
        notes.append(f"{display}: {empty} of {len(pages)} pages have no text layer (scanned?); their text is missing")
    text = "\n\n".join(parts)
    meta: dict[str, Any] = {"source_file": display, "format": "pdf", "page_count": len(pages), "pages": starts}
    if pdf_title:
        meta["pdf_title"] = pdf_title
    return _document(text, pdf_title or title_for(text, path), display, meta, len(data))


# ---- DOCX ----------------------------------------------------------------------------------


def read_docx(path: Path, display: str, notes: list[str]) -> Record:
    data = read_capped(path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRefused("not a Word .docx file (it is not a ZIP package; an old .doc? save it as .docx)") from None
    if unpacked > MAX_FILE_BYTES:
        raise FileRefused(f"too large: it unpacks to over {MAX_FILE_BYTES >> 20} MB")
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    cells = list(dict.fromkeys(cell._tc for cell in row.cells))  # merged cells repeat
                    for tc in cells:
                        paragraphs.extend(p.text.strip() for p in _cell_paragraphs(tc, block))
            else:
                paragraphs.append(block.text.strip())
        core_title = document.core_properties.title
    except (MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors... on a damaged package
        raise FileRefused(f"not a readable Word document ({type(exc).__name__}: {str(exc)[:100]})") from None
    text = join_paragraphs(paragraphs)
    meta: dict[str, Any] = {"source_file": display, "format": "docx"}
    if core_title and core_title.strip():
        meta["docx_title"] = core_title.strip()
    return _document(text, meta.get("docx_title") or title_for(text, path), display, meta, len(data))


def _cell_paragraphs(tc: Any, table: Any) -> list[Any]:
    from docx.table import _Cell

    return list(_Cell(tc, table).paragraphs)


# ---- HTML ----------------------------------------------------------------------------------


def read_html(path: Path, display: str, notes: list[str]) -> Record:
    data = read_capped(path)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused("binary file (it contains NUL bytes)")
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

    def extract(favor_recall: bool) -> TrafilaturaDocument | None:
        found = trafilatura.bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            output_format="python",
            favor_recall=favor_recall,
        )
        assert not isinstance(found, dict)  # as_dict is off: a Document or None
        return found

    try:
        found = extract(favor_recall=False)
        if found is None or not (found.text or "").strip():
            found = extract(favor_recall=True)
    except (MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:
        raise FileRefused(f"not a readable web page ({type(exc).__name__}: {str(exc)[:100]})") from None
    main_text = (found.text or "") if found is not None else ""
    if found is None or not main_text.strip():
        raise FileRefused("no main text found in this web page")
    paragraphs = [_SPACES.sub(" ", line).strip() for line in main_text.split("\n")]
    text = join_paragraphs(paragraphs)
    meta: dict[str, Any] = {"source_file": display, "format": "html"}
    if found.title:
        meta["html_title"] = found.title
    if found.url:
        meta["canonical_url"] = found.url
    return _document(text, found.title or title_for(text, path), display, meta, len(data))
