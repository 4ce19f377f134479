"""Next document: the ``]`` key to the settled repaint of the next article, 100 vs 20,000 documents.

Two annotation apps run in this one process (headless, 160x40, the queue shown), each on its
own SQLite database: one with 100 documents, one with 20,000 (2 KB articles with 3 spans of
this annotator each, written with executemany). Each starts in the middle of its queue. In
alternating rounds (small, big, small, ...) we press ``]`` (next document) a few times, then
``[`` as often (so each walks back and forth in the same stretch of its queue).

A key is timed as in benchmarks/keystroke.py: the key event is posted to the driver's queue
as a terminal's input thread does, and the clock stops at the end of the first compositor
frame after the screen was handed the opened document (``AnnotateScreen.show_opened``
hooked; the frame is turned into terminal bytes as a terminal would need). Between keys the
app settles (no database step left). We also count the queue's rows drawn per key
(``DocumentQueue.lines_rendered``): moving the highlight draws a few, never the corpus.

The floor, measured in the same run on the same files: the bare SQL a next document cannot
do without, through the standard library's sqlite3: the neighbour by primary key and the
article's text. Targets: median ``]`` -> repaint <= 100 ms with 20,000 documents, and the
20,000/100 ratio <= 1.5.

    python -m benchmarks.next_document [--rounds 4] [--keys 5] [--big 20000]
"""

from __future__ import annotations

import os

os.environ["TEXTUAL_FPS"] = os.environ.get("ANNOTATOR_BENCH_FPS", "1000")  # before Textual is imported

import asyncio
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks._common import Report, median, on_frames, parser, percentile

SIZE = (160, 40)
WHO = "bench"


def build_db(url: str, docs: int) -> None:
    """``docs`` articles with 3 spans each by ``WHO``, who last opened the middle one."""
    import sqlalchemy as sa

    from benchmarks.corpus import bulk_fill, migrated

    filled = bulk_fill(url, docs=docs, doc_size=2048, annotators=(WHO,), spans_per_doc=3)
    engine = migrated(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE annotator SET last_document_id = :doc WHERE name = :who"),
            {"doc": filled.doc_ids[docs // 2], "who": WHO},
        )
    engine.dispose()


@dataclass
class Side:
    name: str
    docs: int
    path: Path
    app: Any = None
    pilot: Any = None
    screen: Any = None
    waiter: asyncio.Future | None = None
    armed: bool = False
    samples: list[dict[str, float]] = field(default_factory=list)
    floor_ms: list[float] = field(default_factory=list)

    def install(self) -> None:
        """Stop the clock at the end of the first frame after the opened document was shown."""

        def frame_done() -> None:
            if self.armed and self.waiter is not None and not self.waiter.done():
                self.armed = False
                self.waiter.set_result(time.perf_counter())

        on_frames(self.app, frame_done)
        shown = self.screen.show_opened

        def show_opened(*args: Any, **kwargs: Any) -> None:
            shown(*args, **kwargs)
            self.armed = True

        self.screen.show_opened = show_opened


async def settle(side: Side, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        await side.pilot.pause()
        if side.screen is None or side.screen.jobs.idle:
            break
    await asyncio.sleep(0.002)
    await side.pilot.pause()


async def press(side: Side, key: str, timeout: float = 30.0) -> dict[str, float]:
    from textual import events

    screen = side.screen
    before = screen.state.doc.id
    lines0 = getattr(screen.queue, "lines_rendered", 0)
    side.waiter = asyncio.get_running_loop().create_future()
    side.armed = False
    t0 = time.perf_counter()
    side.app._driver.send_message(events.Key(key, None))
    try:
        t1 = await asyncio.wait_for(side.waiter, timeout)
    except TimeoutError:
        raise RuntimeError(f"{side.name}: no new document shown within {timeout:g} s after {key!r}") from None
    await settle(side)
    if screen.state.doc.id == before:
        raise RuntimeError(f"{side.name}: {key!r} did not open another document")
    return {"wall_ms": (t1 - t0) * 1000, "queue_lines": getattr(screen.queue, "lines_rendered", 0) - lines0}


def floor_once(side: Side, here: int, step: int) -> float:
    """The bare neighbour query and the article's text, via sqlite3 (ms)."""
    t0 = time.perf_counter()
    conn = sqlite3.connect(side.path)
    try:
        order = ">" if step > 0 else "<"
        direction = "" if step > 0 else " DESC"
        found = conn.execute(
            f"SELECT id FROM document WHERE id {order} ? ORDER BY id{direction} LIMIT 1", (here,)
        ).fetchone()
        conn.execute("SELECT text FROM document WHERE id = ?", (found[0],)).fetchone()
    finally:
        conn.close()
    return (time.perf_counter() - t0) * 1000


async def open_side(side: Side, stack: Any, timeout: float = 300.0) -> None:
    from annotator.schemas.labels import load_default_schema
    from annotator.tui.app import make_app
    from annotator.tui.screens.annotate import AnnotateScreen

    side.app = make_app(f"sqlite:///{side.path}", WHO, load_default_schema())
    side.pilot = await stack.enter_async_context(side.app.run_test(size=SIZE))
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        await side.pilot.pause()
        screen = side.app.screen
        if isinstance(screen, AnnotateScreen) and screen.doc is not None and screen.jobs.idle:
            break
        await asyncio.sleep(0.05)
    else:
        raise RuntimeError(f"{side.name}: the annotation screen did not open within {timeout:g} s")
    side.screen = side.app.screen
    side.install()
    await settle(side)


async def walk(side: Side, keys: int, record: bool) -> None:
    for key, step in (("right_square_bracket", 1), ("left_square_bracket", -1)):
        for _ in range(keys):
            here = side.screen.state.doc.id
            sample = await press(side, key)
            if record:
                side.samples.append(sample)
                side.floor_ms.append(floor_once(side, here, step))


async def run(sides: list[Side], rounds: int, keys: int) -> None:
    from contextlib import AsyncExitStack

    async with AsyncExitStack() as stack:
        for side in sides:
            await open_side(side, stack)
        for side in sides:  # warm-up
            await walk(side, 2, record=False)
        for r in range(rounds):
            for side in sides if r % 2 == 0 else reversed(sides):
                await walk(side, keys, record=True)


def main(argv: list[str] | None = None) -> Report:
    p = parser("next_document", __doc__)
    p.add_argument("--rounds", type=int, default=4, help="alternating rounds per corpus")
    p.add_argument("--keys", type=int, default=5, help="] presses then [ presses per round (4 x 10 = 40 keys)")
    p.add_argument("--small", type=int, default=100, help="documents in the small corpus")
    p.add_argument("--big", type=int, default=20_000, help="documents in the big corpus")
    args = p.parse_args(argv)
    if args.quick:
        args.rounds, args.keys, args.big = 2, 3, 2_000
    report = Report(
        "next_document",
        f"Next document: ] to the repainted article, {args.small:,} vs {args.big:,} documents",
        params={k: getattr(args, k) for k in ("rounds", "keys", "small", "big")}
        | {"terminal": f"{SIZE[0]}x{SIZE[1]}", "TEXTUAL_FPS": os.environ["TEXTUAL_FPS"]},
    )
    for key, header, fmt in [
        ("corpus", "documents", "{:,}"),
        ("n", "keys", "{}"),
        ("wall_med", "] -> repaint med ms", "{:.1f}"),
        ("wall_p90", "p90 ms", "{:.1f}"),
        ("floor_med", "floor med ms (SQL)", "{:.2f}"),
        ("queue_med", "queue rows drawn (median)", "{:.0f}"),
        ("queue_lines", "queue rows drawn (max)", "{:.0f}"),
        ("ratio", "big/small (median)", "{:.2f}"),
    ]:
        report.col(key, header, fmt)
    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as tmp:
        sides = [Side("small", args.small, Path(tmp) / "small.db"), Side("big", args.big, Path(tmp) / "big.db")]
        for side in sides:
            print(f"[next_document] building {side.docs:,} documents ...", file=sys.stderr)
            build_db(f"sqlite:///{side.path}", side.docs)
        print("[next_document] pressing ] and [ ...", file=sys.stderr)
        asyncio.run(run(sides, args.rounds, args.keys))
    meds = {}
    for side in sides:
        wall = [s["wall_ms"] for s in side.samples]
        meds[side.name] = median(wall)
        row = report.add(
            corpus=side.docs,
            n=len(wall),
            wall_med=median(wall),
            wall_p90=percentile(wall, 90),
            floor_med=median(side.floor_ms),
            queue_med=median(s["queue_lines"] for s in side.samples),
            queue_lines=max(s["queue_lines"] for s in side.samples),
        )
        if side.name == "big":
            row["ratio"] = meds["big"] / meds["small"]
    report.check(f"median ] -> repaint with {args.big:,} documents (ms)", meds["big"], "<=", 100, "ms")
    report.check(f"{args.big:,}/{args.small:,} documents median ratio", meds["big"] / meds["small"], "<=", 1.5)
    report.emit(args.out)
    return report


if __name__ == "__main__":
    main()
