"""Benchmark 14: the app's event loop while the suggestion model retrains in the background.

The annotation app retrains after every N documents marked done (``tui/retrain.py``): load
the gazetteer, then ``services.training.train_examples`` (CRF + string matcher), stored here
in a scratch models directory. The app does it in a child process (``services.train_worker``);
the same work in a thread of the app's own process is measured beside it (loading the
gazetteer holds the interpreter lock for 200 ms and more). A key waits for the event loop, so
what the annotator could feel is how late the loop gets to run: an asyncio loop (as
Textual's) wakes every millisecond and records how late each wake-up is, first idle (the
floor, same run), then while each way trains on the bundled gold articles, repeated to the
number of documents asked for.

Target: no wake-up later than 50 ms during training (a key answered within a frame or three),
and the p99 lateness within 20 ms.

    python -m benchmarks.retrain [--docs 10] [--seconds 2]
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import threading
import time

from benchmarks._common import REPO, Report, parser, percentile


def examples(n: int) -> list[tuple[str, list[tuple[str, int, int]]]]:
    rows = [
        json.loads(line)
        for line in (REPO / "annotations/sample/gold.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    base = [(r["text"], [(s["label"], s["start"], s["end"]) for s in r["spans"]]) for r in rows]
    # distinct texts (a suffix each), so the held-back split and the fingerprint see n documents
    return [(base[i % len(base)][0] + f"\n[{i}]", base[i % len(base)][1]) for i in range(n)]


async def lateness(stop: threading.Event | None, seconds: float) -> list[float]:
    """Milliseconds each 1 ms sleep overran, until ``stop`` is set (or for ``seconds``)."""
    out: list[float] = []
    end = time.perf_counter() + seconds
    while (stop is None and time.perf_counter() < end) or (stop is not None and not stop.is_set()):
        t0 = time.perf_counter()
        await asyncio.sleep(0.001)
        out.append(max(0.0, (time.perf_counter() - t0 - 0.001) * 1000))
    return out


def main(argv: list[str] | None = None) -> Report:
    p = parser("retrain", __doc__)
    p.add_argument("--docs", type=int, default=10, help="documents to train on (the app's default N is 10)")
    p.add_argument("--seconds", type=float, default=2.0, help="length of the idle floor")
    args = p.parse_args(argv)
    if args.quick:
        args.docs, args.seconds = 4, 0.5
    from annotator.schemas.labels import load_default_schema
    from annotator.services import training
    from annotator.services.suggestions.gazetteer import load_gazetteer

    schema = load_default_schema()
    data = examples(args.docs)
    report = Report(
        "retrain", "14. Event loop lateness while the model retrains in the background", params={"docs": args.docs}
    )
    for key, header, fmt in (
        ("case", "case", "{}"),
        ("seconds", "s", "{:.2f}"),
        ("wakeups", "wake-ups", "{:,}"),
        ("p50_ms", "p50 late ms", "{:.2f}"),
        ("p99_ms", "p99 late ms", "{:.2f}"),
        ("max_ms", "max late ms", "{:.1f}"),
        ("ratio", "p99 vs idle", "{:.1f}x"),
    ):
        report.col(key, header, fmt)

    idle = asyncio.run(lateness(None, args.seconds))
    floor = max(percentile(idle, 99), 0.01)
    report.add(
        case="idle (floor)",
        seconds=args.seconds,
        wakeups=len(idle),
        p50_ms=percentile(idle, 50),
        p99_ms=percentile(idle, 99),
        max_ms=max(idle),
        ratio=1.0,
    )

    def in_child(result: dict) -> None:  # what the app does (tui/retrain.py)
        from annotator.services.train_worker import TrainProcess

        result.update(TrainProcess().run(schema, data, ["bench"]))

    def in_thread(result: dict) -> None:  # the same work in the app's own process, for comparison
        gazetteer = load_gazetteer(None, schema)
        gazetteer.places = None
        result.update(training.train_examples(data, ["bench"], schema, gazetteer=gazetteer))

    def measure(train) -> tuple[list[float], dict]:
        stop, result = threading.Event(), {}

        def work() -> None:
            t0 = time.perf_counter()
            try:
                train(result)
            finally:
                result["seconds"] = time.perf_counter() - t0
                stop.set()

        async def during() -> list[float]:
            worker = threading.Thread(target=work, daemon=True)
            worker.start()
            got = await lateness(stop, 0)
            worker.join()
            return got

        return asyncio.run(during()), result

    with tempfile.TemporaryDirectory(prefix="annotator-bench-retrain-") as tmp:
        os.environ["ANNOTATOR_MODELS"] = tmp  # the child stores its pipeline there
        rows = {}
        for case, train in (("child process (the app's way)", in_child), ("thread in the app's process", in_thread)):
            busy, result = measure(train)
            rows[case] = (busy, result)
            report.add(
                case=f"retraining on {args.docs} docs: {case}",
                seconds=result.get("seconds"),
                wakeups=len(busy),
                p50_ms=percentile(busy, 50),
                p99_ms=percentile(busy, 99),
                max_ms=max(busy) if busy else 0.0,
                ratio=percentile(busy, 99) / floor,
            )
    busy, result = rows["child process (the app's way)"]
    report.check("max lateness while the app retrains (ms)", max(busy), "<=", 50, unit=" ms")
    report.check("p99 lateness while the app retrains (ms)", percentile(busy, 99), "<=", 20, unit=" ms")
    report.note(
        f"trained on {result.get('documents')} documents, held back {result.get('held_back')}: {result.get('scores')}"
    )
    report.emit(args.out)
    return report


if __name__ == "__main__":
    main()
