"""Benchmark 3: open a 3 MB article (50,000 spans): first paint, and time until fully wrapped.

In this process (headless, 120x40, ``TEXTUAL_FPS`` raised), the app is started on the 3 KB
article and on the 3 MB one in alternating rounds. The compositor's output is hooked (as in
benchmark 1) and we record, from the app's start: the first frame after the article was
handed to the document view ("first paint", which includes reading it and its spans from
the database), and the first frame after the whole document is wrapped and scrollable. While
the 3 MB article is still wrapping we press "down" every 20 ms and time key to repaint: a key
answered only when wrapping has ended would be a blocked key.

Targets: first paint of 3 MB <= 2x that of 3 KB (medians); wrapping finishes in a worker
without blocking keys (the first paint comes before wrapping ends, and no key pressed during
the wrap waits for it to end).

    python -m benchmarks.open_large [--rounds 5] [--big-size 3000000]
"""

from __future__ import annotations

import os

os.environ["TEXTUAL_FPS"] = os.environ.get("ANNOTATOR_BENCH_FPS", "1000")  # before Textual is imported

import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._common import Report, median, parser
from benchmarks.keystroke import SIZE, Probe, build_db


async def open_once(url: str, who: str) -> dict[str, Any]:
    from textual import events

    from annotator.schemas.labels import load_default_schema
    from annotator.tui.app import make_app
    from annotator.tui.screens.annotate import AnnotateScreen
    from annotator.tui.widgets.document_view import DocumentView

    loop = asyncio.get_running_loop()
    marks: dict[str, float] = {}
    first_paint = loop.create_future()
    wrapped_paint = loop.create_future()
    state = {"want": None}

    orig_opened, orig_wrapped = AnnotateScreen.show_opened, DocumentView._wrapped

    def opened(self: Any, *args: Any, **kwargs: Any) -> None:
        marks["opened"] = time.perf_counter()
        orig_opened(self, *args, **kwargs)
        marks["loaded"] = time.perf_counter()
        state["want"] = "first"

    def wrapped(self: Any, *args: Any, **kwargs: Any) -> None:
        orig_wrapped(self, *args, **kwargs)
        marks["wrapped_call"] = time.perf_counter()

    app = make_app(url, who, load_default_schema())
    probe = Probe(app)
    probe.install()
    inner = app._display

    def display(screen: Any, renderable: Any) -> None:
        inner(screen, renderable)
        if renderable is None:
            return
        now = time.perf_counter()
        if state["want"] == "first" and not first_paint.done():
            first_paint.set_result(now)
            state["want"] = None
        if "wrapped_call" in marks and not wrapped_paint.done():
            wrapped_paint.set_result(now)

    app._display = display
    AnnotateScreen.show_opened, DocumentView._wrapped = opened, wrapped
    try:
        t0 = time.perf_counter()
        async with app.run_test(size=SIZE) as pilot:
            t_first = await asyncio.wait_for(first_paint, 120)
            view = app.screen.view
            fully_at_first_paint = view.wrapped_fully
            keys: list[float] = []
            if not fully_at_first_paint:
                while not view.wrapped_fully:
                    probe.waiter = loop.create_future()
                    k0 = time.perf_counter()
                    app._driver.send_message(events.Key("down", None))
                    k1, _ = await asyncio.wait_for(probe.waiter, 120)
                    keys.append((k1 - k0) * 1000)
                    await asyncio.sleep(0.02)
                t_wrapped = await asyncio.wait_for(wrapped_paint, 120)
            else:
                t_wrapped = t_first
            await pilot.pause()
            rows = view.index.rows if view.index else 0
    finally:
        AnnotateScreen.show_opened, DocumentView._wrapped = orig_opened, orig_wrapped
    return {
        "first_paint_s": t_first - t0,
        "load_to_paint_ms": (t_first - marks["opened"]) * 1000,
        "wrapped_s": t_wrapped - t0,
        "fully_wrapped_at_first_paint": fully_at_first_paint,
        "keys_during_wrap": keys,
        "wrap_after_paint_s": t_wrapped - t_first,
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> Report:
    p = parser("open_large", __doc__)
    p.add_argument("--rounds", type=int, default=5, help="opens of each article (alternating)")
    p.add_argument("--big-size", type=int, default=3_000_000)
    p.add_argument("--big-spans", type=int, default=50_000)
    args = p.parse_args(argv)
    if args.quick:
        args.rounds, args.big_size, args.big_spans = 2, 600_000, 10_000
    report = Report(
        "open_large",
        "3. Open an article: first paint and fully wrapped (from app start, headless 120x40)",
        params={"rounds": args.rounds, "big_size": args.big_size, "big_spans": args.big_spans},
    )
    for key, header, fmt in [
        ("article", "article", "{}"),
        ("first_paint_s", "first paint s (med)", "{:.3f}"),
        ("load_to_paint_ms", "load->paint ms (med)", "{:.1f}"),
        ("wrapped_s", "fully wrapped s (med)", "{:.3f}"),
        ("rows", "rows", "{:,}"),
        ("keys", "keys during wrap", "{}"),
        ("key_med", "their med ms", "{:.1f}"),
        ("key_max", "their max ms", "{:.1f}"),
        ("ratio", "first paint vs 3 KB", "{:.2f}"),
    ]:
        report.col(key, header, fmt)
    results: dict[str, list[dict[str, Any]]] = {"small": [], "big": []}
    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'open.db'}"
        print(
            f"[open_large] building articles ({args.big_size:,} chars, {args.big_spans:,} spans) ...", file=sys.stderr
        )
        build_db(url, 3_000, 30, args.big_size, args.big_spans)
        asyncio.run(open_once(url, "bench-small"))  # warm-up: imports, file cache
        for r in range(args.rounds):
            for which in ("small", "big") if r % 2 == 0 else ("big", "small"):
                print(f"[open_large] round {r + 1}: {which}", file=sys.stderr)
                results[which].append(asyncio.run(open_once(url, f"bench-{which}")))
    firsts = {k: median(x["first_paint_s"] for x in v) for k, v in results.items()}
    for which, label in (("small", "3 KB, 30 spans"), ("big", f"{args.big_size / 1e6:g} MB, {args.big_spans:,} spans")):
        runs = results[which]
        keys = [k for x in runs for k in x["keys_during_wrap"]]
        report.add(
            article=label,
            first_paint_s=firsts[which],
            load_to_paint_ms=median(x["load_to_paint_ms"] for x in runs),
            wrapped_s=median(x["wrapped_s"] for x in runs),
            rows=runs[-1]["rows"],
            keys=len(keys),
            key_med=median(keys) if keys else None,
            key_max=max(keys) if keys else None,
            ratio=firsts[which] / firsts["small"],
        )
    big = results["big"]
    report.check("first paint 3 MB / 3 KB (medians from app start)", firsts["big"] / firsts["small"], "<=", 2.0)
    painted_before_wrapped = sum(1 for x in big if not x["fully_wrapped_at_first_paint"])
    report.check(
        "opens of the big article painted before wrapping ended (of all)", painted_before_wrapped, ">=", len(big)
    )
    early = [x for x in big if not x["fully_wrapped_at_first_paint"]]
    if early:
        wrap_ms = min(x["wrap_after_paint_s"] for x in early) * 1000
        worst = max((k for x in early for k in x["keys_during_wrap"]), default=0.0)
        report.check(
            f"slowest key pressed during a wrap, ms (blocked = waited for the rest of the wrap, >= {wrap_ms:.0f} ms)",
            worst,
            "<",
            wrap_ms,
        )
    else:
        report.check("slowest key pressed during a wrap (no open painted before its wrap ended)", None, "<", 0)
    report.emit(args.out)
    return report


if __name__ == "__main__":
    main()
