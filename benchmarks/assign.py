"""Benchmark 12: ``annotator assign`` for N documents x 10 annotators, k = 2, on SQLite and PostgreSQL.

Ours: ``annotator.services.assign.assign`` (what ``annotator assign --to a0,...,a9
--per-document 2`` does) on a fresh database holding N short documents: a first run (writes
2N assignments), a re-run (finds nothing to change) and a late eleventh annotator (moves an
eleventh of the work). Floor, on the same kind of database: one bare set-based
``INSERT ... SELECT`` writing the same 2N rows (a round robin computed in SQL), the least any
assignment that ends up in the table can cost. Each run is its own process; ours also runs at
N/10 to show its memory does not grow with the corpus.

Targets: the first run under 10 s at N = 100,000; peak RSS at N within 10% of N/10.

    python -m benchmarks.assign [--docs 100000] [--pg URL]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._common import Report, add_pg_flag, backends, parser, run_child

TEAM = [f"a{i}" for i in range(10)]


def job_fill(url: str, docs: int) -> dict[str, Any]:
    """N short documents and the ten annotators (outside every clock)."""
    import hashlib

    import sqlalchemy as sa

    from annotator.store.models import Annotator, Document, utcnow
    from benchmarks.corpus import migrated

    engine = migrated(url)
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(sa.insert(Annotator), [{"name": name, "created_at": now} for name in TEAM])
        rows = []
        for i in range(docs):
            text = f"Document {i}: a short generated article for the assignment benchmark."
            sha = hashlib.sha256(text.encode()).hexdigest()
            rows.append(
                {
                    "uid": sha[:16],
                    "title": f"doc {i}",
                    "source": f"gen/{i}",
                    "text": text,
                    "sha256": sha,
                    "meta": {},
                    "created_at": now,
                }
            )
            if len(rows) == 10_000:
                conn.execute(sa.insert(Document), rows)
                rows = []
        if rows:
            conn.execute(sa.insert(Document), rows)
    engine.dispose()
    return {}


def job_ours(url: str) -> dict[str, Any]:
    from annotator.services.assign import assign
    from annotator.store.engine import get_engine

    engine = get_engine(url)
    out: dict[str, Any] = {}
    for case, team in (("first", TEAM), ("rerun", TEAM), ("late", [*TEAM, "a10"])):
        t0 = time.perf_counter()
        result = assign(engine, team, per_document=2, seed=1)
        out[case] = {
            "seconds": time.perf_counter() - t0,
            "added": result.added,
            "removed": result.removed,
            "spread": max(result.loads.values()) - min(result.loads.values()),
        }
    engine.dispose()
    return out


def job_floor(url: str) -> dict[str, Any]:
    import sqlalchemy as sa

    from annotator.store.engine import get_engine

    engine = get_engine(url)
    t0 = time.perf_counter()
    with engine.begin() as conn:
        added = conn.execute(
            sa.text(
                "INSERT INTO assignment (document_id, assignee_id, assigned_at)"
                " SELECT d.id, a.id, CURRENT_TIMESTAMP FROM document d"
                " JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS slot FROM annotator) a"
                " ON a.slot = (2 * d.id) % 10 OR a.slot = (2 * d.id + 1) % 10"
            )
        ).rowcount
    seconds = time.perf_counter() - t0
    engine.dispose()
    return {"seconds": seconds, "added": added}


def main(argv: list[str] | None = None) -> Report:
    p = parser("assign", __doc__)
    p.add_argument("--docs", type=int, default=100_000, help="documents in the big corpus (the small one has a tenth)")
    add_pg_flag(p)
    args = p.parse_args(argv)
    if args.quick:
        args.docs = 5_000
    small = max(1, args.docs // 10)
    report = Report(
        "assign",
        "12. assign: N documents x 10 annotators, k = 2, vs a bare INSERT ... SELECT",
        params={"docs": args.docs},
    )
    for key, header, fmt in [
        ("backend", "database", "{}"),
        ("case", "case", "{}"),
        ("documents", "documents", "{:,}"),
        ("seconds", "seconds", "{:.2f}"),
        ("ratio", "vs floor", "{:.1f}"),
        ("added", "added", "{:,}"),
        ("removed", "removed", "{:,}"),
        ("spread", "max-min load", "{}"),
        ("rss_peak_mb", "peak RSS MB", "{:.0f}"),
    ]:
        report.col(key, header, fmt)
    from benchmarks.corpus import database

    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as tmp:
        for backend in backends(args):
            with database(backend, Path(tmp), args.pg) as url:
                print(f"[assign] {backend}: floor, {args.docs:,} ...", file=sys.stderr)
                run_child("benchmarks.assign:job_fill", {"url": url, "docs": args.docs})
                floor = run_child("benchmarks.assign:job_floor", {"url": url})
            report.add(
                backend=backend,
                case="floor INSERT ... SELECT",
                documents=args.docs,
                seconds=floor["seconds"],
                ratio=1.0,
                added=floor["added"],
                rss_peak_mb=floor["rss_peak_mb"],
            )
            peaks = {}
            for n in (small, args.docs):
                with database(backend, Path(tmp), args.pg) as url:
                    print(f"[assign] {backend}: ours, {n:,} ...", file=sys.stderr)
                    run_child("benchmarks.assign:job_fill", {"url": url, "docs": n})
                    ours = run_child("benchmarks.assign:job_ours", {"url": url})
                peaks[n] = ours["rss_peak_mb"]
                for case in ("first", "rerun", "late"):
                    got = ours[case]
                    report.add(
                        backend=backend,
                        case=f"assign ({case})",
                        documents=n,
                        seconds=got["seconds"],
                        ratio=got["seconds"] / floor["seconds"] if n == args.docs else None,
                        added=got["added"],
                        removed=got["removed"],
                        spread=got["spread"],
                        rss_peak_mb=ours["rss_peak_mb"],
                    )
                if n == args.docs:
                    report.check(f"{backend}: assign {n:,} docs x 10, k=2 (s)", ours["first"]["seconds"], "<", 10)
            growth = peaks[args.docs] / peaks[small] - 1
            report.check(
                f"{backend}: peak RSS growth {small:,} -> {args.docs:,} docs", growth * 100, "<", 10, unit=" points"
            )
    report.emit(args.out)
    return report


if __name__ == "__main__":
    main()
