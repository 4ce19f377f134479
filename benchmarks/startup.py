"""Benchmark 2: start to first painted article, as a ratio to a bare Textual app.

Both programs run as a person starts them: a fresh process on a pseudo-terminal (120x40,
TERM=xterm-256color). The clock runs from spawning the process to the moment the terminal
has received the article's first words (escape sequences stripped from the byte stream),
or, for the baseline, the one static line of a bare Textual app (``benchmarks/_bare_app.py``).
Rounds alternate ours / bare; the medians are compared. Beside the wall clock, the CPU the
program (with its threads and child processes) has used by that moment is read from /proc:
on a shared, loaded machine the wall clock mostly measures waiting for a core, and the CPU
ratio says how much work each start does. Ours is ``annotator annotate`` on an
SQLite database holding the 3 KB article with 30 spans (already migrated, as after
``make run``).

Target: ours / bare <= 1.5.

    python -m benchmarks.startup [--runs 10]
"""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._common import REPO, Report, end_process_group, median, parser, percentile

_ESC = re.compile(
    rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_].*?\x1b\\|\x1b[@-Z\\-_]|[\x00-\x08\x0e-\x1f]"
)
COLS, ROWS = 120, 40


def cpu_seconds(pid: int) -> float:
    """CPU (user + system) used so far by process ``pid`` and its children (Linux /proc;
    NaN elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    found = False
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(entry.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
            found = True
    return total if found else float("nan")


def time_to_text(argv: list[str], marker: str, *, env: dict[str, str] | None = None, timeout: float = 60.0) -> float:
    """Seconds from spawning ``argv`` on a pty until ``marker`` appears on its screen."""
    return time_and_cpu_to_text(argv, marker, env=env, timeout=timeout)[0]


def time_and_cpu_to_text(
    argv: list[str], marker: str, *, env: dict[str, str] | None = None, timeout: float = 60.0
) -> tuple[float, float]:
    """(seconds, CPU seconds of the program) from spawning ``argv`` on a pty until ``marker``
    appears on its screen."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    full_env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLS), "LINES": str(ROWS), **(env or {})}
    full_env.pop("TEXTUAL_FPS", None)
    # Start as an installed copy does: from byte-compiled modules (pip compiles them; a checkout
    # writes __pycache__ on its first run). With PYTHONDONTWRITEBYTECODE set (as in some shells
    # and CI) every start of ours compiled annotator's sources again, which the bare app, whose
    # only library is installed and compiled, never does. The warm-up runs write the caches.
    full_env.pop("PYTHONDONTWRITEBYTECODE", None)
    want = marker.encode()
    buf = b""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=full_env, cwd=REPO, start_new_session=True, close_fds=True
    )
    os.close(slave)
    try:
        while True:
            left = timeout - (time.perf_counter() - t0)
            if left <= 0:
                raise RuntimeError(
                    f"{argv[:3]}: {marker!r} not on screen after {timeout:g} s; last output: {_ESC.sub(b'', buf)[-300:]!r}"
                )
            ready, _, _ = select.select([master], [], [], min(left, 0.5))
            if not ready:
                if proc.poll() is not None:
                    raise RuntimeError(
                        f"{argv[:3]} exited ({proc.returncode}) before painting; output: {_ESC.sub(b'', buf)[-500:]!r}"
                    )
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                raise RuntimeError(f"{argv[:3]}: the terminal closed; output: {_ESC.sub(b'', buf)[-500:]!r}")
            buf += chunk
            if want in _ESC.sub(b"", buf):
                return time.perf_counter() - t0, cpu_seconds(proc.pid)
    finally:
        end_process_group(proc)
        # drain so the child never blocks on a full pty buffer, then close
        try:
            while select.select([master], [], [], 0)[0] and os.read(master, 65536):
                pass
        except OSError:
            pass
        os.close(master)


def bare_argv() -> list[str]:
    return [sys.executable, str(Path(__file__).with_name("_bare_app.py"))]


def ours_argv(url: str, who: str) -> list[str]:
    return [sys.executable, "-m", "annotator", "annotate", "--db", url, "--as", who]


def first_words(text: str, n: int = 24) -> str:
    line = text.split("\n", 1)[0]
    return line[:n]


def main(argv: list[str] | None = None) -> Report:
    p = parser("startup", __doc__)
    p.add_argument("--runs", type=int, default=10, help="runs of each program (alternating)")
    args = p.parse_args(argv)
    if args.quick:
        args.runs = 3
    report = Report(
        "startup", "2. Start to first painted article vs a bare Textual app (pty, 120x40)", params={"runs": args.runs}
    )
    for key, header, fmt in [
        ("program", "program", "{}"),
        ("runs", "runs", "{}"),
        ("median_s", "median s", "{:.3f}"),
        ("p90_s", "p90 s", "{:.3f}"),
        ("min_s", "min s", "{:.3f}"),
        ("ratio", "vs bare (median)", "{:.2f}"),
        ("cpu_s", "CPU s (median)", "{:.3f}"),
        ("cpu_ratio", "CPU vs bare", "{:.2f}"),
    ]:
        report.col(key, header, fmt)
    from benchmarks.corpus import article
    from benchmarks.keystroke import build_db

    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'start.db'}"
        build_db(url, 3_000, 30, 3_000, 30)
        marker = first_words(article(1, 3_000))
        env = {"XDG_CONFIG_HOME": str(Path(tmp) / "config")}
        times: dict[str, list[float]] = {"bare": [], "ours": []}
        cpu: dict[str, list[float]] = {"bare": [], "ours": []}
        time_to_text(bare_argv(), "BENCHMARK READY")  # warm the OS file cache for both
        time_to_text(ours_argv(url, "bench-small"), marker, env=env)
        for i in range(args.runs):
            print(f"[startup] run {i + 1}/{args.runs}", file=sys.stderr)
            for name in ("bare", "ours") if i % 2 == 0 else ("ours", "bare"):
                if name == "bare":
                    wall, used = time_and_cpu_to_text(bare_argv(), "BENCHMARK READY")
                else:
                    wall, used = time_and_cpu_to_text(ours_argv(url, "bench-small"), marker, env=env)
                times[name].append(wall)
                cpu[name].append(used)
    bare = median(times["bare"])
    bare_cpu = median(cpu["bare"])
    for name, label in (("bare", "bare Textual app, one static line"), ("ours", "annotator annotate, 3 KB article")):
        t = times[name]
        report.add(
            program=label,
            runs=len(t),
            median_s=median(t),
            p90_s=percentile(t, 90),
            min_s=min(t),
            ratio=median(t) / bare,
            cpu_s=median(cpu[name]),
            cpu_ratio=median(cpu[name]) / bare_cpu if bare_cpu else float("nan"),
        )
    report.check("start to first painted article / bare app (medians)", median(times["ours"]) / bare, "<=", 1.5)
    report.emit(args.out)
    return report


if __name__ == "__main__":
    main()
