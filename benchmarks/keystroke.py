"""Benchmark 1: keystroke to repaint in the annotation view, small vs big article.

Two apps run in this one process (headless, 120x40): one annotator on a 3 KB article with 30
spans, another on a 3 MB article with 50,000 spans. In alternating rounds (small, big,
small, ...) we press cursor moves (right, down, left, up), tag (the ACTOR key on an untagged
word), undo (ctrl+z, removing that tag) and scroll (pagedown/pageup presses that scroll the
view by a page; presses that only move the cursor within the page are not counted here).

How a key is timed (``pilot.press()`` + ``pause()`` would only measure its own sleeps):
the key event is posted to the app's driver queue as a terminal's input thread does, and
the clock stops at the end of the first compositor refresh after it (``App._display``
hooked; in headless mode Textual skips turning the update into terminal bytes, so the hook
does that too, as a terminal would need). ``TEXTUAL_FPS`` is raised to 1000 so the 60 fps
frame cap does not round everything up to 16 ms, the document view has no blinking cursor,
there is a warm-up round, and each key starts when the previous one has settled. We report
wall and event-loop thread CPU (median, p90) and, exactly, the rows the view re-rendered
per key (``DocumentView.lines_rendered``: ``render_line`` calls; ``rows_built``: strips built).
Tag and undo are saved to the database before they are shown (DB first); for them we also
report the time until the repaint that shows the change ("visible").

Targets: median big/small ratio <= 1.3 for every kind of key; <= 5 rows re-rendered for a
cursor move or a tag that changes one line.

    python -m benchmarks.keystroke [--rounds 6] [--keys 10] [--big-size 3000000]
"""

from __future__ import annotations

import os

os.environ["TEXTUAL_FPS"] = os.environ.get("ANNOTATOR_BENCH_FPS", "1000")  # before Textual is imported

import asyncio
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks._common import Report, median, on_frames, parser, percentile

KINDS = ("move", "tag", "undo", "scroll")
SIZE = (120, 40)


def build_db(url: str, small_size: int, small_spans: int, big_size: int, big_spans: int) -> None:
    """Two annotators, each with one article of their own as the document they last opened."""
    from sqlmodel import Session

    from annotator.schemas.labels import load_default_schema
    from annotator.services.corpus import add_document, get_or_create_annotator, register_schema
    from annotator.store.models import Span, utcnow
    from benchmarks.corpus import article, big_article, migrated, spans_for_text

    engine = migrated(url)
    with Session(engine) as s:
        schema_id = register_schema(s, load_default_schema()).id
        now = utcnow()
        for who, text, n in (
            ("bench-small", article(1, small_size), small_spans),
            ("bench-big", big_article(big_size), big_spans),
        ):
            ann = get_or_create_annotator(s, who)
            doc, _ = add_document(s, text=text, title=f"{who} article")
            ann.last_document_id = doc.id
            s.add(ann)
            s.flush()
            rows = [
                {
                    "document_id": doc.id,
                    "annotator_id": ann.id,
                    "schema_id": schema_id,
                    "label": label,
                    "start": st,
                    "end": en,
                    "attrs": {},
                    "origin": "import",
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for st, en, label in spans_for_text(text, n, seed=5)
            ]
            s.connection().execute(Span.__table__.insert(), rows)
        s.commit()
    engine.dispose()


@dataclass
class Probe:
    """Hooks the app's compositor output: wakes a waiter at the end of the next frame."""

    app: Any
    waiter: asyncio.Future | None = None
    frames: int = 0
    outcomes: int = 0
    outcome_waiter: asyncio.Future | None = None
    _armed_visible: bool = False

    def install(self) -> None:
        on_frames(self.app, self._frame_done)

    def _frame_done(self) -> None:
        now = (time.perf_counter(), time.thread_time())
        self.frames += 1
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(now)
        if self._armed_visible and self.outcome_waiter is not None and not self.outcome_waiter.done():
            self._armed_visible = False
            self.outcome_waiter.set_result(now)

    def hook_outcomes(self, screen: Any) -> None:
        original = screen._command_done

        def command_done(*args: Any, **kwargs: Any) -> None:
            original(*args, **kwargs)
            self.outcomes += 1
            self._armed_visible = True  # the next frame shows the change

        screen._command_done = command_done


@dataclass
class Side:
    name: str
    app: Any
    pilot: Any
    probe: Probe
    screen: Any = None
    view: Any = None
    free_words: list[int] = field(default_factory=list)
    samples: dict[str, list[dict[str, float]]] = field(default_factory=lambda: {k: [] for k in KINDS})


async def settle(side: Side, timeout: float = 30.0) -> None:
    """Wait until the app has nothing left to do for the last key (DB jobs, refreshes)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        await side.pilot.pause()
        if side.screen is None or side.screen.jobs.idle:
            break
    await asyncio.sleep(0.002)
    await side.pilot.pause()


async def press(side: Side, key: str, *, visible: bool = False, timeout: float = 10.0) -> dict[str, float]:
    from textual import events

    loop = asyncio.get_running_loop()
    probe, view = side.probe, side.view
    built0, lines0, y0 = view.rows_built, view.lines_rendered, view.scroll_offset.y
    probe.waiter = loop.create_future()
    probe.outcome_waiter = loop.create_future() if visible else None
    char = key if len(key) == 1 else None
    event = events.Key(key, char)
    t0, c0 = time.perf_counter(), time.thread_time()
    side.app._driver.send_message(event)
    try:
        t1, c1 = await asyncio.wait_for(probe.waiter, timeout)
    except TimeoutError:
        raise RuntimeError(
            f"{side.name}: no repaint within {timeout:g} s after {key!r} (cursor {view.cursor}, "
            f"scroll {view.scroll_offset}, frames {probe.frames})"
        ) from None
    sample = {"wall_ms": (t1 - t0) * 1000, "cpu_ms": (c1 - c0) * 1000}
    if visible:
        t2, _c2 = await asyncio.wait_for(probe.outcome_waiter, timeout)
        sample["visible_ms"] = (t2 - t0) * 1000
    await settle(side)
    sample["lines_rendered"] = view.lines_rendered - lines0
    sample["rows_built"] = view.rows_built - built0
    sample["scrolled"] = view.scroll_offset.y != y0
    return sample


def _free_words(side: Side) -> list[int]:
    """Starts of untagged words on the first screen rows (so a tag changes one visible line)."""
    from annotator.tui import textmodel as tm

    view = side.view
    text = view.text
    out: list[int] = []
    offset = 0
    limit = min(len(text), 2500)
    while offset < limit and len(out) < 40:
        rng = tm.word_at(text, offset)
        if rng and rng[1] - rng[0] >= 3 and not any(view.spans.innermost(k) for k in range(rng[0], rng[1])):
            out.append(rng[0])
            offset = rng[1] + 1
        else:
            offset += 1
    return out[2:]


async def run_round(side: Side, keys: int, record: bool) -> None:
    moves = ["right", "down", "left", "up"]
    for i in range(keys):
        s = await press(side, moves[i % 4])
        if record:
            side.samples["move"].append(s)
    for i in range(keys):
        side.view.move_to(side.free_words[i % len(side.free_words)])
        await settle(side)
        s = await press(side, "1", visible=True)
        if record:
            side.samples["tag"].append(s)
        s = await press(side, "ctrl+z", visible=True)
        if record:
            side.samples["undo"].append(s)
    side.view.move_to(0)
    await settle(side)
    pages = ["pagedown", "pagedown", "pageup", "pageup"]  # only the presses that scroll the view count
    scrolled = presses = 0
    while scrolled < keys and presses < 8 * keys:
        s = await press(side, pages[presses % 4])
        presses += 1
        if s["scrolled"]:
            scrolled += 1
            if record:
                side.samples["scroll"].append(s)
    side.view.move_to(0)
    await settle(side)


async def open_side(name: str, app: Any, stack: Any, timeout: float = 120.0) -> Side:
    pilot = await stack.enter_async_context(app.run_test(size=SIZE))
    probe = Probe(app)
    probe.install()
    side = Side(name, app, pilot, probe)
    deadline = time.perf_counter() + timeout
    from annotator.tui.screens.annotate import AnnotateScreen

    while time.perf_counter() < deadline:
        await pilot.pause()
        screen = app.screen
        if (
            isinstance(screen, AnnotateScreen)
            and screen.doc is not None
            and screen.view.wrapped_fully
            and screen.jobs.idle
        ):
            break
        await asyncio.sleep(0.05)
    else:
        raise RuntimeError(f"{name}: the annotation screen did not open within {timeout:g} s")
    side.screen = app.screen
    side.view = side.screen.view
    for inp in app.screen.query("Input"):
        inp.cursor_blink = False
    probe.hook_outcomes(side.screen)
    side.free_words = _free_words(side)
    if not side.free_words:
        raise RuntimeError(f"{name}: no untagged word on the first screen to tag")
    await settle(side)
    return side


async def run(url: str, rounds: int, keys: int) -> dict[str, Side]:
    from contextlib import AsyncExitStack

    from annotator.schemas.labels import load_default_schema
    from annotator.tui.app import make_app

    schema = load_default_schema()
    async with AsyncExitStack() as stack:
        small = await open_side("small", make_app(url, "bench-small", schema), stack)
        big = await open_side("big", make_app(url, "bench-big", schema), stack)
        for side in (small, big):  # warm-up
            await run_round(side, max(4, keys // 2), record=False)
        for r in range(rounds):
            order = (small, big) if r % 2 == 0 else (big, small)
            for side in order:
                await run_round(side, keys, record=True)
        return {"small": small, "big": big}


def main(argv: list[str] | None = None) -> Report:
    p = parser("keystroke", __doc__)
    p.add_argument("--rounds", type=int, default=6, help="alternating rounds per article")
    p.add_argument(
        "--keys", type=int, default=10, help="keys of each kind per round (>= 50 in all with the defaults: 6 x 10)"
    )
    p.add_argument("--small-size", type=int, default=3_000)
    p.add_argument("--small-spans", type=int, default=30)
    p.add_argument("--big-size", type=int, default=3_000_000)
    p.add_argument("--big-spans", type=int, default=50_000)
    args = p.parse_args(argv)
    if args.quick:
        args.rounds, args.keys, args.big_size, args.big_spans = 2, 4, 300_000, 5_000
    report = Report(
        "keystroke",
        "1. Keystroke to repaint: small vs big article (median / p90 over all keys)",
        params={k: getattr(args, k) for k in ("rounds", "keys", "small_size", "small_spans", "big_size", "big_spans")}
        | {"terminal": f"{SIZE[0]}x{SIZE[1]}", "TEXTUAL_FPS": os.environ["TEXTUAL_FPS"]},
    )
    for key, header, fmt in [
        ("kind", "key", "{}"),
        ("article", "article", "{}"),
        ("n", "keys", "{}"),
        ("wall_med", "wall med ms", "{:.2f}"),
        ("wall_p90", "wall p90 ms", "{:.2f}"),
        ("cpu_med", "CPU med ms", "{:.2f}"),
        ("visible_med", "visible med ms", "{:.1f}"),
        ("visible_p90", "visible p90 ms", "{:.1f}"),
        ("lines_max", "rows rendered (max)", "{:.0f}"),
        ("built_max", "strips built (max)", "{:.0f}"),
        ("ratio", "big/small (median)", "{:.2f}"),
    ]:
        report.col(key, header, fmt)
    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'keys.db'}"
        print(f"[keystroke] building articles ({args.big_size:,} chars, {args.big_spans:,} spans) ...", file=sys.stderr)
        build_db(url, args.small_size, args.small_spans, args.big_size, args.big_spans)
        print("[keystroke] pressing keys ...", file=sys.stderr)
        sides = asyncio.run(run(url, args.rounds, args.keys))
    for kind in KINDS:
        meds = {}
        for name in ("small", "big"):
            samples = sides[name].samples[kind]
            wall = [s["wall_ms"] for s in samples]
            vis = [s["visible_ms"] for s in samples if "visible_ms" in s]
            meds[name] = median(wall)
            row = report.add(
                kind=kind,
                article=name,
                n=len(samples),
                wall_med=median(wall),
                wall_p90=percentile(wall, 90),
                cpu_med=median(s["cpu_ms"] for s in samples),
                visible_med=median(vis) if vis else None,
                visible_p90=percentile(vis, 90) if vis else None,
                lines_max=max((s["lines_rendered"] for s in samples), default=0),
                built_max=max((s["rows_built"] for s in samples), default=0),
                lines_med=median(s["lines_rendered"] for s in samples),
            )
            if vis:
                meds[name + "_visible"] = median(vis)
            if name == "big":
                row["ratio"] = meds["big"] / meds["small"]
        report.check(f"{kind}: big/small median key->repaint", meds["big"] / meds["small"], "<=", 1.3)
        if "big_visible" in meds:
            report.check(
                f"{kind}: big/small median key->visible change", meds["big_visible"] / meds["small_visible"], "<=", 1.3
            )
        if kind in ("move", "tag"):
            worst = max(r["lines_max"] for r in report.rows if r["kind"] == kind)
            report.check(f"{kind}: rows re-rendered per key (max over keys, both articles)", worst, "<=", 5)
    report.emit(args.out)
    return report


if __name__ == "__main__":
    main()
