"""Run every benchmark (``make bench``), each in its own process, one after the other.

    python -m benchmarks [--quick] [--only keystroke,export] [--pg URL] [--out-dir DIR]

Each benchmark prints its table and writes ``<name>.json`` to ``annotations/bench/`` (or
``--out-dir``); at the end a summary lists every target, met or missed. A benchmark runs in
a fresh interpreter so that its settings (``TEXTUAL_FPS``), imports and memory do not leak
into the next one. PostgreSQL cases run when ``--pg`` or ``$ANNOTATOR_BENCH_PG_URL`` names a
server we may create databases on; otherwise they are skipped with a message.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks._common import BENCHMARKS, DEFAULT_OUT_DIR, PG_ENV, REPO

USES_PG = {"importing", "export", "concurrency", "team_integrity", "reimport", "assign"}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.strip().splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small sizes: the whole set in a few minutes")
    p.add_argument("--only", default="", help=f"comma-separated subset of: {', '.join(BENCHMARKS)}")
    p.add_argument("--pg", default=os.environ.get(PG_ENV) or None, help=f"PostgreSQL admin URL (default: ${PG_ENV})")
    p.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR, help="where the JSON results go")
    args = p.parse_args(argv)
    chosen = [b.strip() for b in args.only.split(",") if b.strip()] or list(BENCHMARKS)
    unknown = [b for b in chosen if b not in BENCHMARKS]
    if unknown:
        p.error(f"unknown benchmark(s): {', '.join(unknown)}")
    if not args.pg:
        print(f"[PostgreSQL cases skipped: pass --pg URL or set {PG_ENV}]", file=sys.stderr)
    failed = []
    for name in chosen:
        out = args.out_dir / f"{name}.json"
        cmd = [sys.executable, "-m", f"benchmarks.{name}", "--out", str(out)]
        if args.quick:
            cmd.append("--quick")
        if name in USES_PG and args.pg:
            cmd += ["--pg", args.pg]
        print(f"\n=== {name}: {' '.join(cmd[1:])}", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call(cmd, cwd=REPO)
        print(f"=== {name}: {'ok' if rc == 0 else f'FAILED ({rc})'} in {time.perf_counter() - t0:.0f} s", flush=True)
        if rc != 0:
            failed.append(name)
    summary(args.out_dir, chosen)
    return 1 if failed else 0


def summary(out_dir: Path, names: list[str]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Targets")
    for col in ("benchmark", "target", "measured", "verdict"):
        table.add_column(col)
    for name in names:
        path = out_dir / f"{name}.json"
        if not path.exists():
            table.add_row(name, "—", "—", Text("no result", style="bold red"))
            continue
        data = json.loads(path.read_text())
        for t in data.get("targets", []):
            value = t.get("value")
            shown = "—" if value is None else (f"{value:.3g}" if isinstance(value, float) else str(value))
            style = "green" if t.get("met") else ("yellow" if t.get("met") is None else "bold red")
            table.add_row(name, Text(t["target"]), shown, Text(t["verdict"], style=style))
    Console(width=None if sys.stdout.isatty() else 200).print(table)


if __name__ == "__main__":
    sys.exit(main())
