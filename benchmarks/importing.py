"""Benchmark 4: import N generated 2 KB articles (one JSONL file) into SQLite and PostgreSQL.

Ours: ``annotator.services.importing.import_paths`` on the file, into a fresh migrated
database (what ``annotator import`` does). Baseline, on the same kind of fresh database: read
the same file with ``orjson``, compute the same columns (SHA-256, uid, title, source) and
insert the rows with a bare ``executemany`` in batches of 1,000 in one transaction, which is
the floor for writing these rows through SQLAlchemy Core. Each run is its own process, so its
peak RSS is its own; ours also runs at N/10 to show that memory does not grow with the corpus.

Targets: documents/s at least 0.5 of the baseline; peak RSS at N within 10% of N/10.

    python -m benchmarks.importing [--docs 100000] [--pg URL]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._common import Report, add_pg_flag, backends, parser, run_child


def write_corpus(path: Path, docs: int, size: int = 2048) -> int:
    import orjson

    from benchmarks.corpus import article

    with path.open("wb") as fh:
        for i in range(docs):
            fh.write(orjson.dumps({"text": article(i, size, seed=5), "meta": {"source": f"generated/{i}"}}) + b"\n")
    return path.stat().st_size


def job_ours(url: str, path: str) -> dict[str, Any]:
    from annotator.schemas.labels import load_default_schema
    from annotator.services.importing import import_paths
    from annotator.store.engine import get_engine

    engine = get_engine(url)  # migrates the fresh database, outside the clock
    schema = load_default_schema()
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    result = import_paths(
        engine, [Path(path)], annotator="importer", schema=schema, label_map=None, skip_invalid=False, fmt="jsonl"
    )
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    docs = _count_documents(engine)
    engine.dispose()
    return {"seconds": seconds, "cpu_seconds": cpu, "documents": docs, "result": repr(result)[:200]}


def job_baseline(url: str, path: str, batch: int = 1000) -> dict[str, Any]:
    import orjson

    from annotator.services.corpus import normalise_newlines, text_sha256, title_from_text
    from annotator.store.engine import get_engine
    from annotator.store.models import Document, utcnow

    engine = get_engine(url)
    table = Document.__table__
    insert = table.insert()
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    rows: list[dict[str, Any]] = []
    with engine.begin() as conn, open(path, "rb") as fh:
        for line in fh:
            obj = orjson.loads(line)
            text = normalise_newlines(obj["text"])
            sha = text_sha256(text)
            source = obj["meta"]["source"]
            rows.append(
                {
                    "uid": sha[:16],
                    "title": title_from_text(text, source)[:500],
                    "source": source,
                    "text": text,
                    "sha256": sha,
                    "meta": {},
                    "created_at": utcnow(),
                }
            )
            if len(rows) >= batch:
                conn.execute(insert, rows)
                rows.clear()
        if rows:
            conn.execute(insert, rows)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    docs = _count_documents(engine)
    engine.dispose()
    return {"seconds": seconds, "cpu_seconds": cpu, "documents": docs}


def _count_documents(engine: Any) -> int:
    import sqlalchemy as sa

    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM document")).scalar_one()


def main(argv: list[str] | None = None) -> Report:
    p = parser("importing", __doc__)
    p.add_argument("--docs", type=int, default=100_000, help="articles in the big corpus (the small one has a tenth)")
    p.add_argument("--size", type=int, default=2048, help="characters per article")
    add_pg_flag(p)
    args = p.parse_args(argv)
    if args.quick:
        args.docs = 2_000
    small = max(1, args.docs // 10)
    report = Report(
        "importing",
        "4. Import generated articles: documents/s vs a bare executemany",
        params={"docs": args.docs, "size": args.size},
    )
    for key, header, fmt in [
        ("backend", "database", "{}"),
        ("case", "case", "{}"),
        ("documents", "documents", "{:,}"),
        ("seconds", "seconds", "{:.2f}"),
        ("docs_per_s", "docs/s", "{:,.0f}"),
        ("ratio", "vs baseline", "{:.2f}"),
        ("rss_peak_mb", "peak RSS MB", "{:.0f}"),
        ("rss_growth_mb", "RSS over base MB", "{:.0f}"),
    ]:
        report.col(key, header, fmt)
    from benchmarks.corpus import database

    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as tmp:
        corpus = {}
        for n in (small, args.docs):
            corpus[n] = Path(tmp) / f"articles-{n}.jsonl"
            print(f"[importing] writing {n:,} articles ...", file=sys.stderr)
            size = write_corpus(corpus[n], n, args.size)
            report.params[f"file_mb_{n}"] = round(size / 1e6, 1)
        for backend in backends(args):
            base = None
            with database(backend, Path(tmp), args.pg) as url:
                print(f"[importing] {backend}: baseline, {args.docs:,} ...", file=sys.stderr)
                base = run_child("benchmarks.importing:job_baseline", {"url": url, "path": str(corpus[args.docs])})
                report.add(
                    backend=backend,
                    case="baseline executemany",
                    documents=base["documents"],
                    seconds=base["seconds"],
                    docs_per_s=base["documents"] / base["seconds"],
                    ratio=1.0,
                    rss_peak_mb=base["rss_peak_mb"],
                    rss_growth_mb=base["rss_peak_mb"] - base["rss_base_mb"],
                )
            peaks = {}
            for n in (small, args.docs):
                with database(backend, Path(tmp), args.pg) as url:
                    print(f"[importing] {backend}: ours, {n:,} ...", file=sys.stderr)
                    try:
                        ours = run_child("benchmarks.importing:job_ours", {"url": url, "path": str(corpus[n])})
                    except RuntimeError as exc:
                        report.note(f"{backend}: ours failed: {str(exc)[-600:]}")
                        continue
                peaks[n] = ours["rss_peak_mb"]
                dps = ours["documents"] / ours["seconds"]
                row = report.add(
                    backend=backend,
                    case="annotator import_paths",
                    documents=ours["documents"],
                    seconds=ours["seconds"],
                    docs_per_s=dps,
                    ratio=dps / (base["documents"] / base["seconds"]) if n == args.docs else None,
                    rss_peak_mb=ours["rss_peak_mb"],
                    rss_growth_mb=ours["rss_peak_mb"] - ours["rss_base_mb"],
                )
                if n == args.docs:
                    report.check(f"{backend}: import docs/s vs baseline", row["ratio"], ">=", 0.5)
                    if ours["documents"] != n:
                        report.note(f"{backend}: ours stored {ours['documents']:,} documents of {n:,}")
            if len(peaks) == 2:
                growth = peaks[args.docs] / peaks[small] - 1
                report.check(
                    f"{backend}: peak RSS growth {small:,} -> {args.docs:,} docs", growth * 100, "<", 10, unit=" points"
                )
    report.emit(args.out)
    return report


if __name__ == "__main__":
    main()
