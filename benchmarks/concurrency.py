"""Benchmark 7: concurrent annotators tagging at full speed against one database.

N processes (default 8), each a different annotator, tag spans as fast as they can on a
shared set of documents through ``services.spans`` (one transaction per action, as the
app does): about 3 in 4 actions add a span, 1 in 4 undoes (deletes) one of the process's own
spans. Each action's latency runs from opening the transaction to the return of COMMIT.
Afterwards every annotator's spans in the database are compared with what its process was
told was committed: nothing may be lost, nothing may appear. A 1-process run is the
reference for how throughput scales.

    python -m benchmarks.concurrency [--procs 8] [--seconds 10] [--pg URL]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._common import Report, add_pg_flag, backends, median, parser, percentile, run_workers


def worker(url: str, name: str, doc_ids: list[int], seconds: float, seed: int, barrier: Any, results: Any) -> None:
    from sqlmodel import Session, select

    from annotator.schemas.labels import load_default_schema
    from annotator.services.corpus import get_or_create_annotator, register_schema
    from annotator.services.spans import add_span, delete_span
    from annotator.store.engine import create_db_engine, session_scope
    from annotator.store.models import Document
    from benchmarks.corpus import word_bounds

    rng = random.Random(seed)
    engine = create_db_engine(url)
    schema = load_default_schema()
    with session_scope(engine) as s:
        schema_id = register_schema(s, schema).id
        annotator_id = get_or_create_annotator(s, name).id
    with Session(engine, expire_on_commit=False) as s:
        docs = list(s.exec(select(Document).where(Document.id.in_(doc_ids))))
        for d in docs:
            s.expunge(d)
    bounds = {d.id: word_bounds(d.text) for d in docs}
    labels = [label.name for label in schema.labels if not label.links]
    mine: list[int] = []
    added: set[int] = set()
    deleted: set[int] = set()
    latencies: list[float] = []
    errors: list[str] = []
    barrier.wait()
    t_start = time.perf_counter()
    deadline = t_start + seconds
    while True:
        t0 = time.perf_counter()
        if t0 >= deadline:
            break
        try:
            if mine and rng.random() < 0.25:
                victim = mine.pop(rng.randrange(len(mine)))
                with session_scope(engine) as s:
                    delete_span(s, victim)
                deleted.add(victim)
            else:
                doc = docs[rng.randrange(len(docs))]
                b = bounds[doc.id]
                k = rng.randrange(len(b) - 2)
                with session_scope(engine) as s:
                    span = add_span(
                        s,
                        document=doc,
                        annotator_id=annotator_id,
                        schema_id=schema_id,
                        schema=schema,
                        label=rng.choice(labels),
                        start=b[k][0],
                        end=b[k + rng.randint(0, 2)][1],
                    )
                    sid = span.id
                if sid not in added or sid in deleted:
                    mine.append(sid)
                added.add(sid)
                deleted.discard(sid)
            latencies.append(time.perf_counter() - t0)
        except Exception as exc:  # a lost write or a lock error is what this benchmark is looking for
            errors.append(f"{type(exc).__name__}: {exc}"[:300])
    wall = time.perf_counter() - t_start
    engine.dispose()
    results.put(
        {
            "name": name,
            "annotator_id": annotator_id,
            "ops": len(latencies),
            "wall": wall,
            "latencies": latencies,
            "expected": sorted(added - deleted),
            "errors": errors,
        }
    )


def run_case(url: str, procs: int, seconds: float, docs: int) -> dict[str, Any]:
    import sqlalchemy as sa

    from annotator.store.engine import create_db_engine
    from benchmarks.corpus import bulk_fill

    filled = bulk_fill(url, docs=docs, annotators=())
    out = run_workers(
        worker, lambda i: (url, f"bench-{i}", filled.doc_ids, seconds, 1000 + i), procs, seconds=seconds, start=120
    )
    engine = create_db_engine(url)
    lost = extra = 0
    with engine.connect() as conn:
        for r in out:
            have = {
                row[0]
                for row in conn.execute(
                    sa.text("SELECT id FROM span WHERE annotator_id = :a"), {"a": r["annotator_id"]}
                )
            }
            want = set(r["expected"])
            lost += len(want - have)
            extra += len(have - want)
        total_spans = conn.execute(sa.text("SELECT count(*) FROM span")).scalar_one()
    engine.dispose()
    lat = [x for r in out for x in r["latencies"]]
    ops = sum(r["ops"] for r in out)
    wall = max(r["wall"] for r in out)
    errors = [e for r in out for e in r["errors"]]
    return {
        "ops": ops,
        "ops_per_s": ops / wall if wall else 0.0,
        "p50_ms": median(lat) * 1000,
        "p99_ms": percentile(lat, 99) * 1000,
        "max_ms": max(lat) * 1000 if lat else float("nan"),
        "lost": lost,
        "unexpected": extra,
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
        "spans_in_db": total_spans,
    }


def main(argv: list[str] | None = None) -> Report:
    p = parser("concurrency", __doc__)
    p.add_argument("--procs", type=int, default=8, help="annotator processes")
    p.add_argument("--seconds", type=float, default=10.0, help="how long each process tags")
    p.add_argument("--docs", type=int, default=50, help="documents the annotators share")
    add_pg_flag(p)
    args = p.parse_args(argv)
    if args.quick:
        args.seconds, args.docs = 2.0, 10
    report = Report(
        "concurrency",
        "7. Concurrent annotators: committed actions/s and commit latency",
        params={"procs": args.procs, "seconds": args.seconds, "docs": args.docs},
    )
    for key, header, fmt in [
        ("backend", "database", "{}"),
        ("procs", "processes", "{}"),
        ("ops", "actions", "{:,}"),
        ("ops_per_s", "committed/s", "{:,.0f}"),
        ("p50_ms", "p50 ms", "{:.1f}"),
        ("p99_ms", "p99 commit ms", "{:.1f}"),
        ("max_ms", "max ms", "{:.0f}"),
        ("lost", "lost", "{}"),
        ("unexpected", "unexpected", "{}"),
        ("errors", "errors", "{}"),
    ]:
        report.col(key, header, fmt)
    from benchmarks.corpus import database

    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as tmp:
        for backend in backends(args):
            for procs in sorted({1, args.procs}):
                with database(backend, Path(tmp), args.pg) as url:
                    print(f"[concurrency] {backend}, {procs} process(es), {args.seconds:g} s ...", file=sys.stderr)
                    row = report.add(backend=backend, procs=procs, **run_case(url, procs, args.seconds, args.docs))
                    if row["first_error"]:
                        report.note(f"{backend}/{procs}: {row['errors']} errors, first: {row['first_error']}")
                if procs == args.procs:
                    report.check(
                        f"{backend}: nothing lost ({procs} processes)",
                        row["lost"] + row["unexpected"] + row["errors"],
                        "==",
                        0,
                    )
    report.emit(args.out)
    return report


if __name__ == "__main__":
    main()
