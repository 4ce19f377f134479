"""A lock that outlasts the busy timeout says which operation holds it (issue 19, item 4).

A real second process announces itself as an import by bob and holds SQLite's write lock;
``annotator import`` from another process then fails in one line, exit 3, naming bob's
import and what to do. Without an announced holder it says another program holds it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from sqlalchemy.engine import make_url

from annotator.store import writers

HOLDER = textwrap.dedent(
    """
    import sqlite3, sys, time
    from annotator.store.writers import announced
    url, path, announce = sys.argv[1], sys.argv[2], sys.argv[3] == "yes"
    conn = sqlite3.connect(path, isolation_level=None)
    def hold():
        conn.execute("BEGIN IMMEDIATE")
        print("holding", flush=True)
        time.sleep(60)
    if announce:
        with announced(url, "import", "bob"):
            hold()
    else:
        hold()
    """
)


def _hold(url: str, announce: bool) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, url, make_url(url).database, "yes" if announce else "no"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    return proc


def _import(url: str, tmp_path) -> subprocess.CompletedProcess:
    (tmp_path / "in.txt").write_text("Seleka rebels attacked Bangui.\n", encoding="utf-8")
    env = dict(os.environ, ANNOTATOR_BUSY_TIMEOUT="0.3")
    return subprocess.run(
        [sys.executable, "-m", "annotator", "import", str(tmp_path / "in.txt"), "--as", "ana", "--db", url],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_a_locked_import_names_the_import_holding_the_lock(sqlite_url, tmp_path):
    holder = _hold(sqlite_url, announce=True)
    try:
        assert any(line.startswith("annotator import by bob (pid ") for line in writers.current(sqlite_url))
        done = _import(sqlite_url, tmp_path)
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 3, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert f"locked by annotator import by bob (pid {holder.pid}" in lines[0] and "run this again" in lines[0]
    assert "nothing from this file was stored" in lines[0]


def test_a_lock_held_by_another_program_says_so_and_a_dead_holder_is_ignored(sqlite_url, tmp_path):
    holder = _hold(sqlite_url, announce=False)
    stale = writers._folder(sqlite_url)
    assert stale is not None
    stale.mkdir(exist_ok=True)
    (stale / "999999999.json").write_text('{"operation": "import", "since": 0}', encoding="utf-8")  # killed long ago
    try:
        done = _import(sqlite_url, tmp_path)
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 3
    assert "locked by another program" in done.stderr and "999999999" not in done.stderr
    again = _import(sqlite_url, tmp_path)
    assert again.returncode == 0, again.stderr
