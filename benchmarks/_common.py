"""What every benchmark shares: flags, statistics, the report (Rich table + JSON), machine info.

A benchmark module builds a ``Report``: rows of measurements, then ``check()`` each target
(never loosened: a missed target is reported with how far off it is), then ``emit()``,
which prints the tables and writes JSON to ``annotations/bench/<name>.json`` or ``--out``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import os
import platform
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT_DIR = REPO / "annotations" / "bench"
PG_ENV = "ANNOTATOR_BENCH_PG_URL"


# ----------------------------------------------------------------------------- flags


def parser(name: str, doc: str | None) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=f"python -m benchmarks.{name}",
        description=(doc or "").strip().splitlines()[0] if doc else None,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument(
        "--out", type=Path, default=None, help=f"JSON file to write (default: annotations/bench/{name}.json)"
    )
    p.add_argument(
        "--quick", action="store_true", help="small sizes, for a smoke run in seconds (overrides size flags)"
    )
    return p


def add_pg_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--pg",
        default=os.environ.get(PG_ENV) or None,
        help=f"PostgreSQL admin URL we may create databases on (default: ${PG_ENV}); without it PostgreSQL cases are skipped",
    )
    p.add_argument("--no-sqlite", action="store_true", help="run the PostgreSQL cases only")


def backends(args: argparse.Namespace) -> list[str]:
    out = [] if getattr(args, "no_sqlite", False) else ["sqlite"]
    if getattr(args, "pg", None):
        out.append("postgresql")
    else:
        print(f"[PostgreSQL skipped: pass --pg URL or set {PG_ENV}]", file=sys.stderr)
    return out


# ----------------------------------------------------------------------------- statistics


def percentile(values: Iterable[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of ``values``; NaN when empty."""
    data = sorted(values)
    if not data:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(data)))
    return data[min(rank, len(data)) - 1]


def median(values: Iterable[float]) -> float:
    data = sorted(values)
    if not data:
        return math.nan
    mid = len(data) // 2
    return data[mid] if len(data) % 2 else (data[mid - 1] + data[mid]) / 2


# ----------------------------------------------------------------------------- machine


def machine_info() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    versions = {}
    for mod in ("textual", "sqlalchemy", "sqlmodel", "psycopg", "orjson", "krippendorff", "numpy"):
        try:
            from importlib.metadata import version

            versions[mod] = version(mod)
        except Exception:
            pass
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, timeout=5
        ).stdout.strip()
    except Exception:
        rev = ""
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = None
    return {
        "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": mem_gb,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
        "git": rev,
        "load_1min_at_start": load,
    }


# ----------------------------------------------------------------------------- report


@dataclass
class Column:
    key: str
    header: str
    fmt: str = "{}"

    def render(self, value: Any) -> str:
        if value is None:
            return "—"
        if isinstance(value, float) and math.isnan(value):
            return "—"
        try:
            return self.fmt.format(value)
        except (ValueError, TypeError):
            return str(value)


@dataclass
class Report:
    name: str
    title: str
    params: dict[str, Any] = field(default_factory=dict)
    columns: list[Column] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    machine: dict[str, Any] = field(default_factory=machine_info)

    def col(self, key: str, header: str, fmt: str = "{}") -> None:
        self.columns.append(Column(key, header, fmt))

    def add(self, **row: Any) -> dict[str, Any]:
        self.rows.append(row)
        return row

    def note(self, text: str) -> None:
        self.notes.append(text)

    def check(self, what: str, value: float | None, op: str, limit: float, unit: str = "") -> dict[str, Any]:
        """Record a target: ``value op limit`` (op is '<=', '<' or '>='); says by how much it is missed."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            entry = {"target": what, "value": None, "op": op, "limit": limit, "met": None, "verdict": "not measured"}
        else:
            met = {"<=": value <= limit, "<": value < limit, ">=": value >= limit, "==": value == limit}[op]
            if met:
                verdict = "met"
            elif op in ("<=", "<"):
                verdict = (
                    f"MISSED by {value - limit:.3g}{unit} ({(value / limit - 1) * 100:.0f}% over)"
                    if limit
                    else "MISSED"
                )
            elif op == ">=":
                verdict = f"MISSED by {limit - value:.3g}{unit} ({(1 - value / limit) * 100:.0f}% under)"
            else:
                verdict = "MISSED"
            entry = {"target": what, "value": value, "op": op, "limit": limit, "met": met, "verdict": verdict}
        self.targets.append(entry)
        return entry

    def to_json(self) -> dict[str, Any]:
        return {
            "benchmark": self.name,
            "title": self.title,
            "machine": self.machine,
            "params": self.params,
            "columns": [[c.key, c.header, c.fmt] for c in self.columns],
            "rows": self.rows,
            "targets": self.targets,
            "notes": self.notes,
        }

    def emit(self, out: Path | None) -> Path:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        console = Console(width=None if sys.stdout.isatty() else 200)
        table = Table(
            title=f"{self.title}  ({self.machine['date']}, {self.machine['cpus']} CPUs, git {self.machine['git']})"
        )
        cols = self.columns or [Column(k, k) for k in (self.rows[0] if self.rows else {})]
        for c in cols:
            table.add_column(c.header, justify="left" if c is cols[0] else "right")
        for row in self.rows:
            table.add_row(*(Text(c.render(row.get(c.key))) for c in cols))
        console.print(table)
        if self.targets:
            t = Table(title=f"{self.name}: targets")
            t.add_column("target")
            t.add_column("measured", justify="right")
            t.add_column("verdict")
            for entry in self.targets:
                value = entry["value"]
                shown = "—" if value is None else (f"{value:.3g}" if isinstance(value, float) else str(value))
                style = "green" if entry["met"] else ("yellow" if entry["met"] is None else "bold red")
                t.add_row(Text(entry["target"]), Text(shown), Text(entry["verdict"], style=style))
            console.print(t)
        for n in self.notes:
            console.print(Text(f"note: {n}"))
        path = out or DEFAULT_OUT_DIR / f"{self.name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=2, default=str) + "\n")
        console.print(Text(f"wrote {path}"))
        return path


# ----------------------------------------------------------------------------- children


def run_child(
    target: str, payload: dict[str, Any], *, timeout: float | None = None, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run ``module:function(payload)`` in a fresh interpreter; return its dict plus peak RSS.

    The child reports ``rss_base_mb`` (peak RSS after imports, before the work) and
    ``rss_peak_mb`` (peak RSS at the end), so memory is measured on a process that did only
    this one job.
    """
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks._child", target],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {target} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    last = proc.stdout.strip().splitlines()[-1]
    return json.loads(last)


def on_frames(app: Any, frame_done: Callable[[], None]) -> None:
    """Call ``frame_done()`` at the end of each compositor frame of a headless ``app``.

    Headless Textual skips turning a frame into terminal bytes; the hook does that first, as a
    terminal would need, so the time measured includes it.
    """
    from textual._compositor import CompositorUpdate

    original = app._display
    console = app.console

    def display(screen: Any, renderable: Any) -> None:
        original(screen, renderable)
        if renderable is None:
            return
        if isinstance(renderable, CompositorUpdate):
            renderable.render_segments(console)  # the bytes a terminal would be sent
        frame_done()

    app._display = display


def end_process_group(proc: subprocess.Popen[Any]) -> None:
    """End a program started in its own session (a pty benchmark's): SIGTERM to its group, and
    SIGKILL if it has not gone within 10 s."""
    import signal

    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    import time

    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


# Every benchmark, in the order `python -m benchmarks` runs them and benchmarks/README.md lists them.
BENCHMARKS = (
    "keystroke",
    "startup",
    "open_large",
    "importing",
    "export",
    "agreement",
    "concurrency",
    "team_integrity",
    "long_document",
    "reimport",
    "pdf_import",
    "assign",
    "suggest_heldout",
    "retrain",
    "keystroke_pty",
    "next_document",
)


def run_workers(
    target: Callable[..., None], args_of: Callable[[int], tuple[Any, ...]], procs: int, *, seconds: float, start: float
) -> list[Any]:
    """Start ``procs`` spawned processes ``target(*args_of(i), barrier, results)``, release them at once
    through a barrier (waiting up to ``start`` s for all to be ready), and return what each put on
    ``results`` (one item each, waited for up to ``seconds`` + 300 s)."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(procs + 1)
    results = ctx.Queue()
    workers = [ctx.Process(target=target, args=(*args_of(i), barrier, results)) for i in range(procs)]
    for process in workers:
        process.start()
    barrier.wait(timeout=start)
    out = [results.get(timeout=seconds + 300) for _ in workers]
    for process in workers:
        process.join(timeout=60)
    return out
