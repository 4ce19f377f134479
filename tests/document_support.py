"""Writing real PDF, DOCX and HTML files for the import tests (no fixtures to trust).

``make_pdf`` writes a PDF 1.4 file by hand: one Helvetica text line per ``Td``/``Tj``, a
blank list entry leaves a gap (a new paragraph), and a page given as ``None`` holds only an
image (a scan, no text layer). The cross-reference table has the exact byte offsets, so
pypdf reads it without repairs. ``make_docx`` uses python-docx itself.
"""

from __future__ import annotations

from pathlib import Path


def _pdf_string(text: str) -> bytes:
    data = text.encode("cp1252")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _page_stream(lines: list[str] | None) -> bytes:
    if lines is None:  # a scanned page: an 8x8 grey image, no text
        pixels = bytes(range(0, 256, 4))
        return b"q 400 0 0 400 100 300 cm BI /W 8 /H 8 /CS /G /BPC 8 ID " + pixels + b" EI Q"
    out = [b"BT /F1 11 Tf 14 TL 72 760 Td"]
    for line in lines:
        out.append(b"T*" if not line else _pdf_string(line) + b" Tj T*")
    out.append(b"ET")
    return b"\n".join(out)


def make_pdf(pages: list[list[str] | None], title: str | None = None) -> bytes:
    """A PDF whose pages hold these text lines ("" = a blank line; ``None`` = an image-only page)."""
    objects: list[bytes] = []
    n_pages = len(pages)
    # 1 catalog, 2 pages, 3 font, 4 info, then (page, content) pairs
    kids = " ".join(f"{5 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(b"<< /Title " + _pdf_string(title) + b" >>" if title else b"<< /Producer (tests) >>")
    for i, lines in enumerate(pages):
        stream = _page_stream(lines)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {6 + 2 * i} 0 R >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def write_pdf(path: Path, pages: list[list[str] | None], title: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(make_pdf(pages, title))
    return path


def write_docx(path: Path, blocks: list[str | list[list[str]]], title: str | None = None) -> Path:
    """A .docx of paragraphs (str; "# x" is a heading) and tables (a list of rows of cell texts)."""
    import docx

    path.parent.mkdir(parents=True, exist_ok=True)
    document = docx.Document()
    if title:
        document.core_properties.title = title
    for block in blocks:
        if isinstance(block, str):
            if block.startswith("# "):
                document.add_heading(block[2:], level=1)
            else:
                document.add_paragraph(block)
        else:
            table = document.add_table(rows=len(block), cols=len(block[0]))
            for r, row in enumerate(block):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    document.save(str(path))
    return path
