"""Benchmark 10: importing annotations onto documents already stored, vs a fresh import.

A JSONL file of N generated 2 KB articles, 22 spans each (ana's), and the same texts with
bob's 22 spans. Timed in this process with ``import_paths``, on a fresh database each round:

- **fresh**: ana's file into an empty database (the floor);
- **another annotator**: then bob's file onto the stored documents;
- **identical again**: then ana's file a second time (nothing new).

Targets: another annotator ≤ 1.5× fresh; identical again ≤ 1.0× fresh; at 2,000 and 10,000
documents, on SQLite (and PostgreSQL with ``--pg``).

    python -m benchmarks.reimport [--docs 2000,10000] [--pg URL]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._common import Report, add_pg_flag, backends, parser


def write_file(path: Path, docs: int, annotator: str, seed: int) -> None:
    import orjson

    from benchmarks.corpus import article, spans_for_text

    with path.open("wb") as fh:
        for i in range(docs):
            text = article(i, 2048, seed=5)
            spans = [{"start": a, "end": b, "label": label} for a, b, label in spans_for_text(text, 22, seed=seed + i)]
            fh.write(orjson.dumps({"text": text, "spans": spans, "annotator": annotator, "status": "done"}) + b"\n")


def _timed_import(url: str, path: Path) -> tuple[float, str]:
    from annotator.schemas.labels import load_default_schema
    from annotator.services.importing import import_paths
    from annotator.store.engine import get_engine

    engine = get_engine(url)  # migrated outside the clock
    t0 = time.perf_counter()
    summary = import_paths(engine, [path], annotator="importer", schema=load_default_schema(), fmt="jsonl")
    seconds = time.perf_counter() - t0
    if not summary.ok:
        raise RuntimeError(f"import failed: {summary.line()}")
    return seconds, summary.line()


def one_size(backend: str, docs: int, tmp: Path, pg: str | None, rounds: int) -> dict[str, Any]:
    """Medians over ``rounds`` fresh databases of the three imports (the ratios of medians)."""
    import statistics
    from contextlib import nullcontext

    from benchmarks.corpus import pg_database

    ana, bob = tmp / f"ana-{docs}.jsonl", tmp / f"bob-{docs}.jsonl"
    write_file(ana, docs, "ana", seed=1)
    write_file(bob, docs, "bob", seed=2)
    times: dict[str, list[float]] = {"fresh": [], "other": [], "same": []}
    line_same = ""
    for r in range(rounds):
        db = tmp / f"reimport-{docs}-{r}.db"
        context = pg_database(pg) if backend == "postgresql" and pg else nullcontext(f"sqlite:///{db}")
        with context as url:
            for phase, path in (("fresh", ana), ("other", bob), ("same", ana)):
                seconds, line = _timed_import(url, path)
                times[phase].append(seconds)
                line_same = line
        db.unlink(missing_ok=True)
    fresh, other, same = (statistics.median(times[k]) for k in ("fresh", "other", "same"))
    print(f"[reimport] {backend} {docs}: {times} | last: {line_same}", file=sys.stderr)
    return {
        "backend": backend,
        "docs": docs,
        "fresh_s": fresh,
        "other_s": other,
        "same_s": same,
        "other_ratio": other / fresh,
        "same_ratio": same / fresh,
        "same_line": line_same,
    }


def main(argv: list[str] | None = None) -> Report:
    p = parser("reimport", __doc__)
    p.add_argument("--docs", default="2000,10000", help="comma-separated corpus sizes")
    p.add_argument("--rounds", type=int, default=3, help="fresh databases per size (medians are compared)")
    add_pg_flag(p)
    args = p.parse_args(argv)
    sizes = [200, 1000] if args.quick else [int(x) for x in args.docs.split(",")]
    report = Report(
        "reimport",
        "10. Import onto stored documents vs a fresh import (22 spans per document)",
        params={"docs": sizes, "spans_per_doc": 22, "rounds": args.rounds},
    )
    for key, header, fmt in [
        ("backend", "backend", "{}"),
        ("docs", "documents", "{:,}"),
        ("fresh_s", "fresh s", "{:.2f}"),
        ("other_s", "another annotator s", "{:.2f}"),
        ("other_ratio", "× fresh", "{:.2f}"),
        ("same_s", "identical again s", "{:.2f}"),
        ("same_ratio", "× fresh", "{:.2f}"),
    ]:
        report.col(key, header, fmt)
    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as tmp:
        for backend in backends(args):
            for docs in sizes:
                row = report.add(**one_size(backend, docs, Path(tmp), args.pg, 1 if args.quick else args.rounds))
                report.check(f"{backend} {docs:,}: another annotator / fresh", row["other_ratio"], "<=", 1.5)
                report.check(f"{backend} {docs:,}: identical again / fresh", row["same_ratio"], "<=", 1.0)
    report.emit(args.out)
    return report


if __name__ == "__main__":
    main()
