"""Benchmark 11: import a PDF report, pages/s, against pypdf's own extraction of the same file.

Ours: ``import_paths`` on one generated PDF (``--pages`` pages of report text, written by
``tests/document_support.make_pdf``) into a fresh SQLite database: reading, pypdf's text
extraction, paragraphs, the document row, the commit. Baseline: ``pypdf.PdfReader`` on the
same bytes and ``page.extract_text()`` for every page, nothing else. Both run in this process,
alternating, ``--rounds`` times; the medians are compared.

Target: ours at least 0.8 of pypdf's pages/s.

    python -m benchmarks.pdf_import [--pages 200] [--rounds 5]
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._common import REPO, Report, median, parser


def report_pages(pages: int, lines: int = 44) -> list[list[str]]:
    words = (
        "Seleka rebels attacked the town of Bossangoa on Tuesday, residents said, and at least thirty people "
        "were killed while thousands fled to the mission compound where aid agencies distributed food"
    ).split()
    out = []
    for p in range(pages):
        page = [f"Situation report, page {p + 1}", ""]
        for n in range(lines):
            start = (p * 7 + n * 3) % len(words)
            line = " ".join((words * 2)[start : start + 13])
            page.append(line + ("." if n % 6 == 5 else ""))
            if n % 6 == 5:
                page.append("")
        out.append(page)
    return out


def main(argv: list[str] | None = None) -> Report:
    p = parser("pdf_import", __doc__)
    p.add_argument("--pages", type=int, default=200, help="pages in the generated PDF")
    p.add_argument("--rounds", type=int, default=5, help="alternating rounds of each")
    args = p.parse_args(argv)
    if args.quick:
        args.pages, args.rounds = 40, 3
    sys.path.insert(0, str(REPO / "tests"))
    import pypdf
    from document_support import make_pdf

    from annotator.schemas.labels import load_default_schema
    from annotator.services.importing import import_paths
    from annotator.store.engine import get_engine

    report = Report(
        "pdf_import",
        "11. PDF import: pages/s vs pypdf's own extraction",
        params={"pages": args.pages, "rounds": args.rounds},
    )
    for key, header, fmt in [
        ("case", "case", "{}"),
        ("pages", "pages", "{:,}"),
        ("seconds", "median s", "{:.3f}"),
        ("pages_per_s", "pages/s", "{:,.0f}"),
        ("ratio", "vs pypdf", "{:.2f}"),
    ]:
        report.col(key, header, fmt)
    schema = load_default_schema()
    with tempfile.TemporaryDirectory(prefix="annotator-bench-pdf-") as tmp:
        path = Path(tmp) / "report.pdf"
        data = make_pdf(report_pages(args.pages), title="Situation report")
        path.write_bytes(data)
        report.params["file_kb"] = round(len(data) / 1024)
        ours: list[float] = []
        base: list[float] = []
        for n in range(args.rounds + 1):  # round 0 warms both up (imports, caches) and is not counted
            t0 = time.perf_counter()
            reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
            texts = [page.extract_text() for page in reader.pages]
            t_base = time.perf_counter() - t0
            assert len(texts) == args.pages
            engine = get_engine(f"sqlite:///{Path(tmp) / f'round-{n}.db'}")  # migrated outside the clock
            t0 = time.perf_counter()
            summary = import_paths(engine, [path], annotator="bench", schema=schema, fmt="pdf")
            t_ours = time.perf_counter() - t0
            engine.dispose()
            assert summary.documents_added == 1, summary
            if n:
                base.append(t_base)
                ours.append(t_ours)
    b, o = median(base), median(ours)
    report.add(case="pypdf extract_text (baseline)", pages=args.pages, seconds=b, pages_per_s=args.pages / b, ratio=1.0)
    row = report.add(
        case="annotator import_paths --format pdf", pages=args.pages, seconds=o, pages_per_s=args.pages / o, ratio=b / o
    )
    report.check("PDF import pages/s vs pypdf's extraction", row["ratio"], ">=", 0.8)
    report.emit(args.out)
    return report


if __name__ == "__main__":
    main()
