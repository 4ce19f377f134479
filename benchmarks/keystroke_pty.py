"""Benchmark 15: arrow key to settled repaint through a real pty, ours vs a bare Textual app.

Three programs run side by side, each on its own pseudo-terminal (120x40, TERM=xterm-256color,
Textual's own frame rate, as a person runs them): ``annotator annotate`` with suggestions on,
the same with ``--no-suggestions``, and the floor, a bare Textual app that rewrites one line
per arrow key (``benchmarks/_bare_app.py --keys``). Ours shows the 3 KB article with 30 spans.

A key is the arrow's escape sequence written to the terminal. The clock runs from that write
to the last byte of the last frame it caused: the terminal output has *settled* once no byte
has arrived for ``--quiet`` ms (longer than three frames at 60 fps), and the time is taken at
the last byte before that silence. The same rule for all three programs. Each round, every
program gets the same walk (in rotating order, so load hits all of them alike): ctrl+home and
a few unmeasured downs to the round's starting row (rows 2 to 20, so the walk crosses tagged,
suggested and plain text without scrolling), then the measured walk, right x3 then down, six
times, and back with left x3 then up. Beside the wall clock, the CPU each program (its
threads and child processes, from /proc) used over its walks, per key.

Targets: median key → settled repaint, ours / bare <= 1.5, with and without suggestions.

    python -m benchmarks.keystroke_pty [--rounds 8] [--quiet 60] [--base DIR]

``--base DIR`` (a checkout of another commit, e.g. ``git archive main | tar -x -C DIR``) walks
that tree's app too, with and without suggestions, in the same rounds: before and after in one run.
``--profile FILE`` runs ours with suggestions on under cProfile in its pty (the event loop's
thread, from start to the end of the last walk; the app itself has no hook) and writes the
stats to FILE (``python -m pstats FILE``); its times are then not comparable, the profile is.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks._common import REPO, Report, end_process_group, median, parser, percentile
from benchmarks.startup import _ESC, COLS, ROWS, cpu_seconds, first_words

ARROWS = {"right": b"\x1b[C", "left": b"\x1b[D", "down": b"\x1b[B", "up": b"\x1b[A"}
CTRL_HOME = b"\x1b[1;5H"
WALK = (["right"] * 3 + ["down"]) * 6 + (["left"] * 3 + ["up"]) * 6
START_ROWS = (2, 8, 14, 20)  # unmeasured downs before round r's walk: START_ROWS[r % 4]


@dataclass
class PtyProgram:
    """One program on its own pseudo-terminal: we write keys and read (and discard) its frames."""

    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path = REPO  # ``python -m annotator`` imports the tree it starts in
    master: int = -1
    proc: subprocess.Popen[bytes] | None = None
    seen: bytes = b""
    samples: list[float] = field(default_factory=list)
    silent_keys: int = 0
    cpu_s: float = 0.0

    def start(self, marker: str, timeout: float = 120.0) -> None:
        import fcntl
        import pty
        import struct
        import termios

        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLS), "LINES": str(ROWS), **self.env}
        env.pop("TEXTUAL_FPS", None)
        self.proc = subprocess.Popen(
            self.argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=self.cwd, start_new_session=True
        )
        os.close(slave)
        deadline = time.perf_counter() + timeout
        while marker.encode() not in _ESC.sub(b"", self.seen):
            if time.perf_counter() > deadline or self.proc.poll() is not None:
                raise RuntimeError(f"{self.name}: {marker!r} never appeared: {_ESC.sub(b'', self.seen)[-400:]!r}")
            self._read(0.1)

    def has_open(self, file_name: str) -> bool:
        """Whether the program holds ``file_name`` open (Linux /proc): ours, its database once open."""
        assert self.proc is not None
        folder = Path(f"/proc/{self.proc.pid}/fd")
        try:
            return any(os.readlink(folder / fd).endswith(file_name) for fd in os.listdir(folder))
        except OSError:
            return False

    def _read(self, wait: float) -> float | None:
        """Read what is there within ``wait`` s; the time the last chunk arrived (None: nothing)."""
        last = None
        while select.select([self.master], [], [], wait)[0]:
            try:
                chunk = os.read(self.master, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                raise RuntimeError(f"{self.name}: the terminal closed: {_ESC.sub(b'', self.seen)[-400:]!r}")
            last = time.perf_counter()
            self.seen = (self.seen + chunk)[-100_000:]
            wait = 0.0
        return last

    def settle(self, quiet: float, timeout: float = 60.0) -> float | None:
        """Read until nothing arrives for ``quiet`` s; the time of the last byte (None: none came)."""
        deadline = time.perf_counter() + timeout
        last = None
        while time.perf_counter() < deadline:
            got = self._read(quiet)
            if got is None:
                return last
            last = got
        raise RuntimeError(f"{self.name}: the screen never settled (output for {timeout:g} s)")

    def wait_for_text(self, marker: str, timeout: float = 120.0) -> None:
        deadline = time.perf_counter() + timeout
        while marker.encode() not in _ESC.sub(b"", self.seen):
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{self.name}: {marker!r} never appeared: {_ESC.sub(b'', self.seen)[-400:]!r}")
            self._read(0.1)

    def press(self, key: bytes, quiet: float, first_byte_timeout: float = 2.0) -> float | None:
        """Seconds from writing ``key`` to the last byte of the frames it caused (None: no frame)."""
        t0 = time.perf_counter()
        os.write(self.master, key)
        if not select.select([self.master], [], [], first_byte_timeout)[0]:
            return None
        last = self.settle(quiet)
        return None if last is None else last - t0

    def close(self) -> None:
        if self.proc is None:
            return
        self.seen = b""
        end_process_group(self.proc)
        os.close(self.master)


def start_ours(program: PtyProgram, marker: str, database: str, *, suggestions: bool, attempts: int = 1) -> int:
    """Start ``annotator annotate`` until it has opened its database (and shows its suggestions);
    returns the starts that never did (see the note in the report)."""
    for failed in range(attempts):
        program.start(marker)
        deadline = time.perf_counter() + 60
        while not program.has_open(database) and time.perf_counter() < deadline:
            program._read(0.1)
        if program.has_open(database):
            if suggestions:
                # the top bar counts the open suggestions once they are in (computed by a worker
                # process at a lower priority: on a loaded machine that takes minutes)
                program.wait_for_text("suggested", timeout=900)
            return failed
        print(f"[keystroke_pty] {program.name}: database not opened within 60 s; starting again", file=sys.stderr)
        program.close()
    raise RuntimeError(f"{program.name}: the database was never opened in {attempts} starts")


def profiled_child(out: str, args: list[str]) -> None:
    """Run ``annotator`` with ``args`` under cProfile; SIGTERM (how the benchmark ends its
    programs) writes the stats to ``out`` and exits."""
    import cProfile
    import runpy
    import signal

    profile = cProfile.Profile()

    def stop(*_: object) -> None:
        profile.disable()
        profile.dump_stats(out)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    sys.argv = ["annotator", *args]
    profile.enable()
    runpy.run_module("annotator", run_name="__main__", alter_sys=True)


def walk_round(program: PtyProgram, round_no: int, quiet: float) -> None:
    program.press(CTRL_HOME, quiet)
    for _ in range(START_ROWS[round_no % len(START_ROWS)]):
        program.press(ARROWS["down"], quiet)
    program.settle(0.3)
    assert program.proc is not None
    cpu0 = cpu_seconds(program.proc.pid)
    for key in WALK:
        took = program.press(ARROWS[key], quiet)
        if took is None:
            program.silent_keys += 1
        else:
            program.samples.append(took)
    program.settle(0.3)
    program.cpu_s += cpu_seconds(program.proc.pid) - cpu0


def main(argv: list[str] | None = None) -> Report:
    p = parser("keystroke_pty", __doc__)
    p.add_argument("--rounds", type=int, default=8, help="rounds; each program walks once per round")
    p.add_argument("--quiet", type=float, default=60.0, help="ms without output after which the screen has settled")
    p.add_argument(
        "--base", type=Path, default=None, help="another checkout whose app walks beside ours (before/after)"
    )
    p.add_argument(
        "--profile", type=Path, default=None, help="cProfile ours (suggestions on) in its pty; stats to FILE"
    )
    args = p.parse_args(argv)
    if args.quick:
        args.rounds = 2
    quiet = args.quiet / 1000
    report = Report(
        "keystroke_pty",
        "15. Arrow key to settled repaint through a pty vs a bare Textual app (120x40, 3 KB article, 30 spans)",
        params={"rounds": args.rounds, "keys_per_round": len(WALK), "quiet_ms": args.quiet}
        | {"terminal": f"{COLS}x{ROWS}"}
        | ({"base": str(args.base)} if args.base else {}),
    )
    for key, header, fmt in [
        ("program", "program", "{}"),
        ("keys", "keys", "{}"),
        ("median_ms", "median ms", "{:.2f}"),
        ("p90_ms", "p90 ms", "{:.2f}"),
        ("ratio", "vs bare (median)", "{:.2f}"),
        ("cpu_ms", "CPU ms / key", "{:.2f}"),
        ("cpu_ratio", "CPU vs bare", "{:.2f}"),
        ("silent", "keys without a frame", "{}"),
    ]:
        report.col(key, header, fmt)
    from benchmarks.corpus import article
    from benchmarks.keystroke import build_db

    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'keys.db'}"
        build_db(url, 3_000, 30, 3_000, 30)
        ours = [sys.executable, "-m", "annotator", "annotate", "--db", url, "--as", "bench-small"]
        env = {"XDG_CONFIG_HOME": str(Path(tmp) / "config")}
        profiled = [
            sys.executable,
            "-m",
            "benchmarks.keystroke_pty",
            "--profile-child",
            str(args.profile and args.profile.resolve()),
            "--",
        ]
        programs = [
            PtyProgram("ours, suggestions on", [*profiled, *ours[3:]] if args.profile else ours, env),
            PtyProgram("ours, --no-suggestions", [*ours, "--no-suggestions"], env),
            PtyProgram("bare Textual app, one line per key", [sys.executable, "-m", "benchmarks._bare_app", "--keys"]),
        ]
        if args.base is not None:
            base_env = {**env, "PYTHONPATH": str(args.base.resolve())}
            base = args.base.resolve()
            programs += [
                PtyProgram("base, suggestions on", ours, base_env, cwd=base),
                PtyProgram("base, --no-suggestions", [*ours, "--no-suggestions"], base_env, cwd=base),
            ]
        marker = first_words(article(1, 3_000))
        restarts = 0
        try:
            for program in programs:
                print(f"[keystroke_pty] starting: {program.name}", file=sys.stderr)
            restarts = start_ours(programs[0], marker, "keys.db", suggestions=True)
            restarts += start_ours(programs[1], marker, "keys.db", suggestions=False)
            programs[2].start("BENCHMARK READY")
            for program in programs[3:]:
                restarts += start_ours(program, marker, "keys.db", suggestions="--no-suggestions" not in program.argv)
            for program in programs:
                program.settle(1.0)
                walk_round(program, 0, quiet)  # warm-up, not recorded
                program.samples.clear()
                program.silent_keys = 0
                program.cpu_s = 0.0
            for r in range(args.rounds):
                print(f"[keystroke_pty] round {r + 1}/{args.rounds}", file=sys.stderr)
                shift = r % len(programs)
                for program in programs[shift:] + programs[:shift]:
                    walk_round(program, r, quiet)
        finally:
            for program in programs:
                program.close()
    bare = programs[2]
    bare_med = median(bare.samples)
    bare_cpu = bare.cpu_s / max(1, len(bare.samples) + bare.silent_keys)
    for program in programs:
        pressed = len(program.samples) + program.silent_keys
        cpu_per_key = program.cpu_s / max(1, pressed)
        report.add(
            program=program.name,
            keys=len(program.samples),
            median_ms=median(program.samples) * 1000,
            p90_ms=percentile(program.samples, 90) * 1000,
            ratio=median(program.samples) / bare_med,
            cpu_ms=cpu_per_key * 1000,
            cpu_ratio=cpu_per_key / bare_cpu if bare_cpu else float("nan"),
            silent=program.silent_keys,
        )
    report.check("suggestions on: median key→settled repaint / bare", median(programs[0].samples) / bare_med, "<=", 1.5)
    report.check("--no-suggestions: median key→settled / bare", median(programs[1].samples) / bare_med, "<=", 1.5)
    report.check("keys that painted nothing (ours, both)", programs[0].silent_keys + programs[1].silent_keys, "==", 0)
    if restarts:
        report.note(
            f"ours was started {restarts} more time(s): a start that never opened its database (the start-up import race fixed in store/late_imports.py: with attempts=1 a return of it fails the run)"
        )
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")
    report.note(f"1-minute load average at the end: {load:.2f} (at the start: {report.machine['load_1min_at_start']})")
    report.emit(args.out)
    return report


if __name__ == "__main__":
    if sys.argv[1:2] == ["--profile-child"]:
        profiled_child(sys.argv[2], sys.argv[4:])
    else:
        main()
