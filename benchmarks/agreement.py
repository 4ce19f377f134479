"""Benchmark 6: the agreement report over a large corpus, and token alpha vs ``krippendorff``.

Generated corpus: N documents (2 KB each) x 3 annotators x 20 spans, where annotators 2 and
3 drop or relabel about 15% of annotator 1's spans. For 1/10 of N and N documents the full
report (``services.agreement.build_report``: span F1, unitizing alpha, kappas, token alpha,
per pair, per label, per document) runs in a fresh process, so its seconds and peak memory
are its own. Target: linear, t(N) / t(N/10) <= 11.

Reference: the same tokens and IO tags (``agreement.tokens``), put in a 3 x tokens
reliability matrix and given to ``krippendorff.alpha(level_of_measurement="nominal")``.
The report's ``overall.alpha_nominal_tokens`` must be the same value; our time is the whole
report's, as a ratio to the reference's.

    python -m benchmarks.agreement [--docs 10000]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._common import Report, parser, run_child

ANNOTATORS = ("alice", "bob", "carol")


def job_report(url: str) -> dict[str, Any]:
    """Child: the full agreement report, timed (reading from the database included)."""
    from sqlmodel import Session

    from annotator.services.agreement.report import build_report
    from annotator.store.engine import create_db_engine, read_only

    engine = read_only(create_db_engine(url))
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    with Session(engine) as s:
        report = build_report(s, annotators=list(ANNOTATORS), all_status=True)
    return {
        "seconds": time.perf_counter() - t0,
        "cpu_seconds": time.process_time() - cpu0,
        "alpha": report.overall.token.alpha_nominal_tokens,
        "tokens": report.overall.tokens,
        "documents": report.overall.documents,
        "spans": report.overall.spans,
        "f1_exact": report.overall.f1["f1_exact"],
    }


def job_reference(url: str) -> dict[str, Any]:
    """Child: tokens and tags as the report makes them, then ``krippendorff.alpha`` on them."""
    import krippendorff
    import numpy as np
    import sqlalchemy as sa

    from annotator.services.agreement.tokens import OUTSIDE, io_tags, tokenize
    from annotator.store.engine import create_db_engine, read_only

    engine = read_only(create_db_engine(url))
    t0 = time.perf_counter()
    with engine.connect() as conn:
        names = dict(conn.execute(sa.text("SELECT id, name FROM annotator")).all())
        order = [k for k, v in sorted(names.items()) if v in ANNOTATORS]
        spans: dict[int, dict[int, list[tuple[int, int, str]]]] = {}
        for doc_id, ann, start, end, label in conn.execute(
            sa.text(
                'SELECT document_id, annotator_id, start, "end", label FROM span ORDER BY document_id, start, "end", id'
            )
        ):
            spans.setdefault(doc_id, {}).setdefault(ann, []).append((start, end, label))
        codes: dict[str, int] = {OUTSIDE: 0}
        columns: list[list[int]] = [[] for _ in order]
        for doc_id, text in conn.execute(sa.text("SELECT id, text FROM document ORDER BY id")):
            tokens = tokenize(text)
            for k, ann in enumerate(order):
                tags = io_tags(tokens, spans.get(doc_id, {}).get(ann, []))
                columns[k].extend(codes.setdefault(t, len(codes)) for t in tags)
    t_tags = time.perf_counter() - t0
    matrix = np.array(columns, dtype=float)
    t1 = time.perf_counter()
    alpha = float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
    t2 = time.perf_counter()
    return {
        "seconds": t2 - t0,
        "alpha_seconds": t2 - t1,
        "tags_seconds": t_tags,
        "alpha": alpha,
        "tokens": matrix.shape[1],
    }


def main(argv: list[str] | None = None) -> Report:
    p = parser("agreement", __doc__)
    p.add_argument("--docs", type=int, default=10_000, help="documents in the big corpus (the small one has a tenth)")
    p.add_argument("--spans", type=int, default=20, help="spans per annotator per document")
    args = p.parse_args(argv)
    if args.quick:
        args.docs = 500
    small = max(1, args.docs // 10)
    report = Report(
        "agreement",
        "6. Agreement report: seconds, scaling, token alpha vs krippendorff",
        params={"docs": args.docs, "annotators": len(ANNOTATORS), "spans_per_annotator_doc": args.spans},
    )
    for key, header, fmt in [
        ("case", "case", "{}"),
        ("documents", "documents", "{:,}"),
        ("tokens", "tokens", "{:,}"),
        ("seconds", "seconds", "{:.2f}"),
        ("per_doc_ms", "ms/doc", "{:.2f}"),
        ("alpha", "token alpha", "{:.6f}"),
        ("rss_peak_mb", "peak RSS MB", "{:.0f}"),
    ]:
        report.col(key, header, fmt)
    from benchmarks.corpus import bulk_fill

    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as tmp:
        results: dict[int, dict[str, Any]] = {}
        for n in (small, args.docs):
            url = f"sqlite:///{Path(tmp) / f'agree-{n}.db'}"
            print(f"[agreement] filling {n:,} documents ...", file=sys.stderr)
            bulk_fill(url, docs=n, annotators=ANNOTATORS, spans_per_doc=args.spans, vary_per_annotator=True)
            print(f"[agreement] report over {n:,} documents ...", file=sys.stderr)
            ours = run_child("benchmarks.agreement:job_report", {"url": url})
            results[n] = ours
            report.add(
                case="full report (ours)",
                documents=n,
                tokens=ours["tokens"],
                seconds=ours["seconds"],
                per_doc_ms=ours["seconds"] / n * 1000,
                alpha=ours["alpha"],
                rss_peak_mb=ours["rss_peak_mb"],
            )
            if n == args.docs:
                print("[agreement] krippendorff reference ...", file=sys.stderr)
                ref = run_child("benchmarks.agreement:job_reference", {"url": url})
                report.add(
                    case="tokens + krippendorff.alpha (reference)",
                    documents=n,
                    tokens=ref["tokens"],
                    seconds=ref["seconds"],
                    per_doc_ms=ref["seconds"] / n * 1000,
                    alpha=ref["alpha"],
                    rss_peak_mb=ref["rss_peak_mb"],
                )
                report.add(case="  of which krippendorff.alpha alone", seconds=ref["alpha_seconds"])
        big = results[args.docs]
        scaling = big["seconds"] / results[small]["seconds"]
        report.params["scaling"] = scaling
        report.params["time_ratio_vs_reference"] = big["seconds"] / ref["seconds"]
        report.check(f"scaling {small:,} -> {args.docs:,} documents (time ratio)", scaling, "<=", 11)
        diff = abs((big["alpha"] or 0) - ref["alpha"])
        report.check(
            "token nominal alpha equals krippendorff's (|difference|, report rounds to 6 places)", diff, "<=", 5e-7
        )
        report.note(
            f"full report / reference time = {big['seconds'] / ref['seconds']:.2f} (the report computes far more: "
            "4 F1 variants, unitizing alpha, kappas, per pair/label/document)"
        )
        report.note(f"tokens: ours {big['tokens']:,}, reference {ref['tokens']:,}")
    report.emit(args.out)
    return report


if __name__ == "__main__":
    main()
