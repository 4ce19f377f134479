"""A long article open with suggestions on blocks nobody (issue 19).

The compute is held on an event (``Gate``), so each test is deterministic, not timed: while
a window of suggestions is being computed, a tag commits, another process writes to the same
SQLite file, and moving to the next document stops the compute and stores nothing for the
old one.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlmodel import select
from tui_helpers import add_docs, app_for, settle, spans

from annotator.schemas.labels import load_default_schema
from annotator.services.suggestions import background
from annotator.services.suggestions.background import Suggester
from annotator.store.engine import get_engine, session_scope
from annotator.store.models import SuggestionRecord

SIZE = (120, 40)
ROOT = Path(__file__).resolve().parent.parent


def long_report(size: int = 300_000) -> str:
    base = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "sources").glob("*.txt")))
    return ((base + "\n\n") * (size // len(base) + 1))[:size]


class Gate:
    """Holds every window's compute until ``open``; counts the windows started per document."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.event = threading.Event()
        self.started: dict[int, int] = {}
        self.waiting = threading.Event()
        real = background._suggest_window

        def held(document_id, window, state=background._worker):
            self.started[document_id] = self.started.get(document_id, 0) + 1
            self.waiting.set()
            if not self.event.wait(timeout=120):
                raise TimeoutError("the test never opened the gate")
            return real(document_id, window, state)

        monkeypatch.setattr(background, "_suggest_window", held)

    def open(self) -> None:
        self.event.set()


@pytest.fixture
def gate(monkeypatch):
    held = Gate(monkeypatch)
    yield held
    held.open()  # a failed test must not leave the compute thread waiting


def in_thread_suggester():
    return Suggester(load_default_schema(), process=False)


async def wait_until(pilot, check, patience: float = 60.0) -> None:
    """Let the app run until ``check()`` holds (a bound for loaded machines, not a timing)."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        await pilot.pause(0.02)
        if check():
            return
    raise AssertionError("the app never got there")


def suggestion_rows(url: str, document_id: int | None = None) -> list[SuggestionRecord]:
    with session_scope(get_engine(url)) as session:
        query = select(SuggestionRecord)
        if document_id is not None:
            query = query.where(SuggestionRecord.document_id == document_id)
        return list(session.exec(query))


async def test_a_tag_commits_while_suggestions_are_being_computed(sqlite_url, gate):
    text = long_report()
    add_docs(sqlite_url, text)
    app = app_for(sqlite_url, suggestions=True, make_suggester=in_thread_suggester)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.annotate_screen
        await wait_until(pilot, lambda: gate.waiting.is_set() and screen.jobs.idle)
        await pilot.press("right", "1")  # the first word, as ACTOR
        await wait_until(pilot, lambda: len(screen.spans) == 1)
        assert spans(sqlite_url) == [("ACTOR", re.match(r"\w+", text).group())]  # committed, the compute still held
        assert suggestion_rows(sqlite_url) == [] and screen.feed.progress == 0.0
        gate.open()
        await settle(pilot)
        stored = suggestion_rows(sqlite_url)
        assert len(stored) > 100 and screen.feed.progress is None
        # the tagged word was not suggested again; what is shown is what is stored
        assert not any(r.label == "ACTOR" and r.start == 0 for r in stored)
        assert set(screen.suggestions) == {r.id for r in stored if r.status == "open"}


async def test_another_process_writes_to_the_file_while_suggestions_compute(sqlite_url, gate, tmp_path):
    add_docs(sqlite_url, long_report())
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "news.txt").write_text("Seleka rebels attacked Bangui on Tuesday.\n" * 2000, encoding="utf-8")
    app = app_for(sqlite_url, suggestions=True, make_suggester=in_thread_suggester)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.annotate_screen
        await wait_until(pilot, lambda: gate.waiting.is_set() and screen.jobs.idle)
        command = [sys.executable, "-m", "annotator", "import", str(incoming), "--as", "bob", "--db", sqlite_url]
        proc = await asyncio.to_thread(subprocess.run, command, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert "1 document added" in proc.stdout + proc.stderr
        assert not gate.event.is_set()  # it wrote while the compute was still under way
        gate.open()
        await settle(pilot)


async def test_next_document_stops_the_old_compute_and_stores_nothing_for_it(sqlite_url, gate):
    first, second = add_docs(sqlite_url, long_report(), "Seleka rebels attacked Bangui, the United Nations said.\n")
    app = app_for(sqlite_url, suggestions=True, make_suggester=in_thread_suggester)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.annotate_screen
        await wait_until(pilot, lambda: gate.waiting.is_set() and screen.jobs.idle)
        assert gate.started == {first: 1}
        await pilot.press("right_square_bracket")  # next document
        await wait_until(pilot, lambda: screen.doc is not None and screen.doc.id == second)
        gate.open()
        await settle(pilot)
        assert gate.started[first] == 1  # the window under way finished; no other was started
        assert suggestion_rows(sqlite_url, first) == []
        assert {(r.label, r.start) for r in suggestion_rows(sqlite_url, second)} >= {("LOCATION", 23)}
        assert all(s.start < 60 for s in screen.suggestions.values())  # only the open document's


async def test_the_worker_process_suggests_the_visible_window_first(sqlite_url):
    text = long_report(120_000)
    add_docs(sqlite_url, text)
    app = app_for(sqlite_url, suggestions=True)  # the real worker process
    async with app.run_test(size=SIZE) as pilot:
        screen = app.annotate_screen
        await wait_until(pilot, lambda: screen.feed.batches_stored >= 1)
        first = sorted(r.start for r in suggestion_rows(sqlite_url))
        assert first and first[-1] < 20_000  # the window on screen (the start) came first
        await settle(pilot)
        await wait_until(pilot, lambda: screen.feed.progress is None)
        stored = suggestion_rows(sqlite_url)
        assert max(r.start for r in stored) > 100_000  # the rest filled in behind
        assert len({(r.label, r.start, r.end) for r in stored}) == len(stored)  # nothing doubled
