"""Benchmark 5: export S spans over D documents to JSONL (default 1,000,000 over 100,000).

Ours: ``run_export`` in JSONL, as ``annotator export --format jsonl`` runs it (one record per document and
annotator with the text, every span with its text and attributes, relations, status and
meta). Baseline: the same rows read with ONE SQL query (spans joined to documents and
annotators, the text fetched once per document and annotator with a window function,
streamed) and written as one ``orjson`` line per document and annotator with the same span
fields. Each run is its own process; ours also runs on a tenth of the corpus (S/10 spans)
to show that peak memory does not grow with the export.

Targets: spans/s at least 0.5 of the baseline; peak RSS at S within 10% of S/10.

    python -m benchmarks.export [--docs 100000] [--spans-per-doc 10] [--pg URL]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._common import Report, add_pg_flag, backends, parser, run_child


def job_ours(url: str, out: str) -> dict[str, Any]:
    import annotator.services.exporting  # noqa: F401  (imports outside the clock)
    from annotator.store.engine import create_db_engine

    engine = create_db_engine(url)
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    spans = _export_ours(engine, Path(out))
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "cpu_seconds": time.process_time() - cpu0,
        "spans": spans,
        "bytes": Path(out).stat().st_size,
    }


def _export_ours(engine: Any, out: Path) -> int:
    """The exporter as ``annotator export --format jsonl --out FILE --force`` runs it."""
    from annotator.services.exporting import ExportRequest, run_export

    summary = run_export(engine, ExportRequest(format="jsonl", out=out, force=True))
    return summary.spans


def job_baseline(url: str, out: str) -> dict[str, Any]:
    import orjson
    import sqlalchemy as sa

    from annotator.store.engine import create_db_engine, read_only
    from annotator.store.models import Annotator, Document, Span

    engine = read_only(create_db_engine(url))
    s, d, a = Span.__table__.c, Document.__table__.c, Annotator.__table__.c
    first = (
        sa.func.row_number().over(partition_by=(s.document_id, s.annotator_id), order_by=(s.start, s.end.desc(), s.id))
        == 1
    )
    query = (
        sa.select(
            s.document_id,
            s.annotator_id,
            sa.case((first, d.text), else_=None),
            d.sha256,
            d.title,
            a.name,
            s.id,
            s.label,
            s.start,
            s.end,
            s.attrs,
        )
        .join_from(Span, Document, d.id == s.document_id)
        .join(Annotator, a.id == s.annotator_id)
        .order_by(s.document_id, s.annotator_id, s.start, s.end.desc(), s.id)
    )
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    n = 0
    dumps, opt = orjson.dumps, orjson.OPT_APPEND_NEWLINE
    with engine.connect() as conn, open(out, "wb", buffering=1 << 20) as fh:
        result = conn.execution_options(stream_results=True, yield_per=5000).execute(query)
        key = None
        record: dict[str, Any] | None = None
        text = ""
        for doc_id, ann_id, doc_text, sha, title, name, sid, label, start, end, attrs in result:
            if (doc_id, ann_id) != key:
                if record is not None:
                    fh.write(dumps(record, option=opt))
                key = (doc_id, ann_id)
                text = doc_text
                record = {
                    "text": text,
                    "spans": [],
                    "annotator": name,
                    "meta": {"document_id": doc_id, "sha256": sha, "title": title},
                }
            record["spans"].append(
                {"id": sid, "start": start, "end": end, "label": label, "text": text[start:end], "attrs": attrs}
            )
            n += 1
        if record is not None:
            fh.write(dumps(record, option=opt))
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "cpu_seconds": time.process_time() - cpu0,
        "spans": n,
        "bytes": Path(out).stat().st_size,
    }


def main(argv: list[str] | None = None) -> Report:
    p = parser("export", __doc__)
    p.add_argument("--docs", type=int, default=100_000, help="documents in the big corpus (the small one has a tenth)")
    p.add_argument("--spans-per-doc", type=int, default=10, help="spans per document")
    add_pg_flag(p)
    args = p.parse_args(argv)
    if args.quick:
        args.docs = 2_000
    small = max(1, args.docs // 10)
    report = Report(
        "export",
        "5. Export spans to JSONL: spans/s vs one SQL query + orjson",
        params={"docs": args.docs, "spans": args.docs * args.spans_per_doc},
    )
    for key, header, fmt in [
        ("backend", "database", "{}"),
        ("case", "case", "{}"),
        ("spans", "spans", "{:,}"),
        ("seconds", "seconds", "{:.2f}"),
        ("spans_per_s", "spans/s", "{:,.0f}"),
        ("ratio", "vs baseline", "{:.2f}"),
        ("mb", "output MB", "{:.0f}"),
        ("rss_peak_mb", "peak RSS MB", "{:.0f}"),
        ("rss_growth_mb", "RSS over base MB", "{:.0f}"),
    ]:
        report.col(key, header, fmt)
    from benchmarks.corpus import bulk_fill, database

    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as tmp:
        out = Path(tmp) / "export.jsonl"
        for backend in backends(args):
            peaks = {}
            base = None
            for n in (args.docs, small):
                with database(backend, Path(tmp), args.pg) as url:
                    print(
                        f"[export] {backend}: filling {n:,} documents, {n * args.spans_per_doc:,} spans ...",
                        file=sys.stderr,
                    )
                    bulk_fill(url, docs=n, annotators=("ann1",), spans_per_doc=args.spans_per_doc)
                    if n == args.docs:
                        print(f"[export] {backend}: baseline ...", file=sys.stderr)
                        base = run_child("benchmarks.export:job_baseline", {"url": url, "out": str(out)})
                        report.add(
                            backend=backend,
                            case="baseline: 1 query + orjson",
                            spans=base["spans"],
                            seconds=base["seconds"],
                            spans_per_s=base["spans"] / base["seconds"],
                            ratio=1.0,
                            mb=base["bytes"] / 1e6,
                            rss_peak_mb=base["rss_peak_mb"],
                            rss_growth_mb=base["rss_peak_mb"] - base["rss_base_mb"],
                        )
                    print(f"[export] {backend}: ours, {n * args.spans_per_doc:,} spans ...", file=sys.stderr)
                    try:
                        ours = run_child("benchmarks.export:job_ours", {"url": url, "out": str(out)})
                    except RuntimeError as exc:
                        report.note(f"{backend}: ours failed: {str(exc)[-600:]}")
                        continue
                    peaks[n] = ours["rss_peak_mb"]
                    sps = ours["spans"] / ours["seconds"]
                    ratio = sps / (base["spans"] / base["seconds"]) if n == args.docs and base else None
                    report.add(
                        backend=backend,
                        case="annotator JSONL export",
                        spans=ours["spans"],
                        seconds=ours["seconds"],
                        spans_per_s=sps,
                        ratio=ratio,
                        mb=ours["bytes"] / 1e6,
                        rss_peak_mb=ours["rss_peak_mb"],
                        rss_growth_mb=ours["rss_peak_mb"] - ours["rss_base_mb"],
                    )
                    if ratio is not None:
                        report.check(f"{backend}: export spans/s vs baseline", ratio, ">=", 0.5)
            if len(peaks) == 2:
                growth = peaks[args.docs] / peaks[small] - 1
                report.check(
                    f"{backend}: peak RSS growth {small * args.spans_per_doc:,} -> {args.docs * args.spans_per_doc:,} spans",
                    growth * 100,
                    "<",
                    10,
                    unit=" points",
                )
    report.emit(args.out)
    return report


if __name__ == "__main__":
    main()
