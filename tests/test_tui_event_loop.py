"""No database call on the Textual event loop.

Every statement the apps send, every connection they take from the pool and every SQLite
file they open (SQLAlchemy's or the standard library's ``sqlite3.connect``, which the
annotation app's first read uses) is recorded with the thread it came from while the annotation and review apps are driven through their
keys (start-up, tagging, forms, undo/redo, navigation, suggestions, status changes,
adjudication). The event loop runs on the main thread; database work belongs in thread
workers (``DbJobs`` or ``run_worker(thread=True)``), so nothing may be recorded on the main
thread. The test reads the database only after the app has closed.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool
from tui_helpers import add_docs, app_for, settle, spans

TEXT = (
    "Amnesty International said rebels attacked Bangui.\n"
    '"We will fight," said Joanne Mariner of Amnesty International.\n'
)
SIZE = (160, 40)


@contextmanager
def calls_on_the_loop():
    """Yield a list that collects (what, statement) for every database call on the main thread."""
    found: list[tuple[str, str]] = []

    def on_execute(conn, cursor, statement, parameters, context, executemany):
        if threading.current_thread() is threading.main_thread():
            found.append(("execute", " ".join(statement.split())[:120]))

    def on_checkout(dbapi_connection, record, proxy):
        if threading.current_thread() is threading.main_thread():
            found.append(("checkout", ""))

    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        if threading.current_thread() is threading.main_thread():
            found.append(("sqlite3.connect", str(args[0]) if args else ""))
        return real_connect(*args, **kwargs)

    event.listen(Engine, "before_cursor_execute", on_execute)
    event.listen(Pool, "checkout", on_checkout)
    sqlite3.connect = connect
    try:
        yield found
    finally:
        sqlite3.connect = real_connect
        event.remove(Engine, "before_cursor_execute", on_execute)
        event.remove(Pool, "checkout", on_checkout)


def test_the_recorder_sees_a_call_on_the_main_thread(sqlite_url):
    """Not vacuous: a query made right here is recorded, one made in a thread is not."""
    from annotator.services.corpus import count_documents
    from annotator.store.engine import get_engine, session_scope

    def count() -> int:
        with session_scope(get_engine(sqlite_url)) as session:
            return count_documents(session)

    with calls_on_the_loop() as found:
        worker = threading.Thread(target=count)
        worker.start()
        worker.join()
        assert found == []
        count()
        sqlite3.connect(":memory:").close()
    assert ("checkout", "") in found and any("count" in statement.lower() for _what, statement in found)
    assert ("sqlite3.connect", ":memory:") in found


async def press(pilot, *keys):
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def test_annotation_app_never_touches_the_database_on_the_event_loop(sqlite_url):
    add_docs(sqlite_url, TEXT, "Seleka rebels left Bangui in January.\n", "At least 100 people were killed.\n")
    with calls_on_the_loop() as found:
        app = app_for(sqlite_url, suggestions=True)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.annotate_screen
            await press(pilot, "1", "enter")  # ACTOR "Amnesty", then its attribute form
            await pilot.press("tab", *"amnesty", "enter")
            await settle(pilot)
            await press(pilot, "ctrl+z", "ctrl+y", "a")  # undo, redo, tag every other occurrence
            await pilot.press("slash", *"joanne", "enter")
            await press(pilot, "shift+ctrl+right", "1", "home", "shift+end", "4", "s")  # QUOTE, speaker picker
            await press(pilot, "space", "enter")
            await press(pilot, "tab", "delete", "ctrl+z")
            if screen.suggestions:  # suggestions: accept one, reject one, accept the rest
                first = next(iter(screen.suggestions.values()))
                screen.view.move_to(first.start)
                await press(pilot, "y", "ctrl+z", "x", "Y")
            await press(pilot, "ctrl+d")  # done: on to the next document
            await press(pilot, "ctrl+s")
            await pilot.press(*"off topic", "enter")
            await settle(pilot)
            await press(pilot, "left_square_bracket", "right_square_bracket", "ctrl+z")
            await pilot.press("q")  # quitting records the time spent, from a worker too
            while app.is_running:
                await pilot.pause()
        assert app.return_code in (None, 0)
    assert found == []
    assert ("ACTOR", "Amnesty") in spans(sqlite_url)  # the session really did reach the database


async def test_review_app_never_touches_the_database_on_the_event_loop(sqlite_url):
    from review_support import gold, review_app, seed
    from review_support import settle as review_settle

    seed(sqlite_url)

    async def keys(pilot, *names):
        for name in names:
            await pilot.press(name)
            await review_settle(pilot)

    with calls_on_the_loop() as found:
        app = review_app(sqlite_url)
        async with app.run_test(size=SIZE) as pilot:
            await review_settle(pilot)
            await keys(pilot, "r", "enter", "A", "2", "n", "1", "n", "0")
            await keys(pilot, "ctrl+z", "ctrl+y", "e")
            await keys(pilot, "escape", "s", "escape", "delete", "ctrl+z")
            await keys(pilot, "right_square_bracket", "left_square_bracket", "ctrl+d", "escape", "r")
    assert found == []
    assert gold(sqlite_url)  # the decisions were stored


@pytest.mark.parametrize("url", ["notaurl", "postgresql+psycopg://nobody@127.0.0.1:1/none"])
async def test_a_failed_start_stays_off_the_event_loop(url):
    with calls_on_the_loop() as found:
        app = app_for(url)
        async with app.run_test() as pilot:
            while app.is_running and app.startup_error is None:
                await pilot.pause()
    assert app.startup_error is not None
    assert found == []
