"""Benchmark 8: what issue 11's guarantees cost: write keys and the per-document adjudication lock.

N processes (default 8), each a different annotator, commit span changes as fast as they can
through ``session_ops.apply_span_changes`` (the app's path; 3 in 4 add a span, 1 in 4 deletes
one of the process's own). Every process cycles through three kinds of transaction:

- ``today``: the write as the code before issue 11 made it: an add first asked twice whether
  the span was already there (two SELECTs), then inserted it; a delete is unchanged;
- ``no keys``: the write as it is now (one ``INSERT ... ON CONFLICT DO NOTHING`` decides an
  add, against the unique index) without a key: the guarantees' own cost is measured from here;
- ``keys``: the write plus its idempotency key row (``write_key``), as the app now writes;
- ``keys + lock``: that, plus the document's adjudication lock (``pg_advisory_xact_lock``; a
  no-op on SQLite, which already serialises). Only review steps take the lock; taking it on
  every write makes this an upper bound.

Interleaving the kinds transaction by transaction (not in separate phases) means a busy
machine slows all three alike. Each kind's figure is the commits per second the N processes
make at its mean commit latency; the cost is against ``today`` measured in the same run;
target: below 10%.

    python -m benchmarks.team_integrity [--procs 8] [--seconds 20] [--pg URL]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from benchmarks._common import Report, add_pg_flag, backends, parser, run_workers

MODES = ("today", "bare", "keys", "guarded")


def worker(url: str, name: str, doc_ids: list[int], seconds: float, seed: int, barrier: Any, results: Any) -> None:
    from sqlmodel import Session, select

    from annotator.schemas.labels import load_default_schema
    from annotator.services import session_ops as ops
    from annotator.services import write_keys
    from annotator.services.adjudication_guard import lock_document
    from annotator.services.annotations import AnnotationError
    from annotator.store.engine import create_db_engine, session_scope
    from annotator.store.models import Document, Span
    from benchmarks.corpus import word_bounds

    rng = random.Random(seed)
    engine = create_db_engine(url)
    schema = load_default_schema()
    with session_scope(engine) as s:
        info = ops.start_session(s, name, schema)
    with Session(engine, expire_on_commit=False) as s:
        docs = list(s.exec(select(Document).where(Document.id.in_(doc_ids))))
    bounds = {d.id: word_bounds(d.text) for d in docs}
    labels = [label.name for label in schema.labels if not label.links]
    mine: list[Any] = []
    latencies: dict[str, list[float]] = {m: [] for m in MODES}
    errors: list[str] = []
    barrier.wait()
    deadline = time.perf_counter() + seconds
    turn = 0
    while time.perf_counter() < deadline:
        mode = MODES[turn % len(MODES)]
        turn += 1
        if mine and rng.random() < 0.25:
            span = mine.pop(rng.randrange(len(mine)))
            change, doc_id = (span, None), span.document_id
        else:
            doc = docs[rng.randrange(len(docs))]
            b = bounds[doc.id]
            k = rng.randrange(len(b) - 2)
            new = ops.new_span(
                document_id=doc.id,
                annotator_id=info.annotator_id,
                schema_id=info.schema_id,
                label=rng.choice(labels),
                start=b[k][0],
                end=b[k + rng.randint(0, 2)][1],
            )
            change, doc_id = (None, new), doc.id
        t0 = time.perf_counter()
        try:
            with session_scope(engine) as s:
                if mode == "today" and change[0] is None:  # the two "already there?" SELECTs the old add made
                    for _ in range(2):
                        s.exec(
                            select(Span.id).where(
                                Span.document_id == doc_id,
                                Span.annotator_id == info.annotator_id,
                                Span.label == new.label,
                                Span.start == new.start,
                                Span.end == new.end,
                            )
                        ).first()
                if mode == "guarded":
                    lock_document(s, doc_id)
                [stored] = ops.apply_span_changes(
                    s, document_id=doc_id, annotator_id=info.annotator_id, schema=schema, changes=[change]
                )
                if mode in ("keys", "guarded"):
                    write_keys.record(s, annotator_id=info.annotator_id, key=uuid.uuid4().hex)
        except AnnotationError:
            continue  # this annotator already has that span: no write
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}"[:300])
            continue
        latencies[mode].append(time.perf_counter() - t0)
        if stored is not None:
            mine.append(stored)
    engine.dispose()
    results.put({"name": name, "latencies": latencies, "errors": errors})


def run_case(url: str, procs: int, seconds: float, docs: int) -> dict[str, Any]:
    from benchmarks.corpus import bulk_fill

    filled = bulk_fill(url, docs=docs, annotators=())
    out = run_workers(
        worker, lambda i: (url, f"bench-{i}", filled.doc_ids, seconds, 2000 + i), procs, seconds=seconds, start=300
    )
    rate = {}
    commits = {}
    for m in MODES:
        lat = [x for r in out for x in r["latencies"][m]]
        commits[m] = len(lat)
        rate[m] = procs / (sum(lat) / len(lat)) if lat else 0.0
    cost = {m: (1 - rate[m] / rate["today"]) * 100 if rate["today"] else float("nan") for m in MODES}
    errors = [e for r in out for e in r["errors"]]
    own = {m: (1 - rate[m] / rate["bare"]) * 100 if rate["bare"] else float("nan") for m in MODES}
    return {
        "commits": sum(commits.values()),
        "today_per_s": rate["today"],
        "bare_per_s": rate["bare"],
        "own_cost_pct": own["guarded"],
        "keys_per_s": rate["keys"],
        "keys_cost_pct": cost["keys"],
        "guarded_per_s": rate["guarded"],
        "cost_pct": cost["guarded"],
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
    }


def main(argv: list[str] | None = None) -> Report:
    p = parser("team_integrity", __doc__)
    p.add_argument("--procs", type=int, default=8, help="annotator processes")
    p.add_argument("--seconds", type=float, default=20.0, help="how long each process writes")
    p.add_argument("--docs", type=int, default=50, help="documents the annotators share")
    add_pg_flag(p)
    args = p.parse_args(argv)
    if args.quick:
        args.seconds, args.docs = 4.0, 10
    report = Report(
        "team_integrity",
        "8. Issue 11's guarantees: committed writes/s with write keys and the adjudication lock vs without",
        params={"procs": args.procs, "seconds": args.seconds, "docs": args.docs},
    )
    for key, header, fmt in [
        ("backend", "database", "{}"),
        ("procs", "processes", "{}"),
        ("commits", "commits", "{:,}"),
        ("today_per_s", "today /s", "{:,.0f}"),
        ("bare_per_s", "no keys /s", "{:,.0f}"),
        ("keys_per_s", "keys /s", "{:,.0f}"),
        ("keys_cost_pct", "keys cost % vs today", "{:.1f}"),
        ("guarded_per_s", "keys + lock /s", "{:,.0f}"),
        ("cost_pct", "cost % vs today", "{:.1f}"),
        ("own_cost_pct", "cost % vs no keys", "{:.1f}"),
        ("errors", "errors", "{}"),
    ]:
        report.col(key, header, fmt)
    from benchmarks.corpus import database

    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as tmp:
        for backend in backends(args):
            with database(backend, Path(tmp), args.pg) as url:
                print(f"[team_integrity] {backend}, {args.procs} processes, {args.seconds:g} s ...", file=sys.stderr)
                row = report.add(
                    backend=backend, procs=args.procs, **run_case(url, args.procs, args.seconds, args.docs)
                )
            if row["first_error"]:
                report.note(f"{backend}: {row['errors']} errors, first: {row['first_error']}")
            report.check(f"{backend}: keys + lock cost (% of today's commit throughput)", row["cost_pct"], "<", 10, "%")
            report.check(
                f"{backend}: keys + lock cost (% of the same write without them)", row["own_cost_pct"], "<", 10, "%"
            )
            report.check(f"{backend}: no errors", row["errors"], "==", 0)
    report.emit(args.out)
    return report


if __name__ == "__main__":
    main()
