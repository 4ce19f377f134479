"""The database layer is imported by one thread at a time (annotator/store/late_imports.py).

At start the database opening and the suggestion worker's warm-up import SQLAlchemy in two
threads. When the imports crossed, one thread got a partially initialised ``sqlalchemy.engine``
and the database never opened (1 start in 3 under load). The crossing depends on timing, so
the race test tries a range of offsets between the two threads, each in a fresh interpreter.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
import textwrap

from annotator.tui.app import AnnotatorApp
from annotator.tui.suggestion_feed import SuggestionFeed

RACE = textwrap.dedent(
    """
    import sys, threading, time
    from annotator.store.late_imports import load_database_layer
    delay = float(sys.argv[1])
    errors = []

    def warm_up():  # what SuggestionFeed._build imports
        try:
            load_database_layer()
            from annotator.services.suggestions import background  # noqa: F401
        except Exception as exc:
            errors.append(repr(exc))

    def open_database():  # what AnnotatorApp.start_database imports
        time.sleep(delay)
        try:
            load_database_layer()
            from annotator.services import session_ops  # noqa: F401
        except Exception as exc:
            errors.append(repr(exc))

    threads = [threading.Thread(target=warm_up), threading.Thread(target=open_database)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(errors[0] if errors else "ok")
    """
)


def test_two_threads_importing_the_database_layer_at_any_offset_both_succeed():
    # without the lock, offsets of 30-70 ms failed here ("partially initialized module")
    for delay in ("0", "0.01", "0.02", "0.03", "0.04", "0.05", "0.07", "0.1"):
        run = subprocess.run([sys.executable, "-c", RACE, delay], capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        assert run.stdout.strip() == "ok", f"offset {delay} s: {run.stdout.strip()}"


def test_both_threads_of_the_start_take_the_lock_before_importing():
    for function in (AnnotatorApp.start_database, SuggestionFeed._build):
        source = inspect.getsource(function)
        assert "load_database_layer()" in source, function.__qualname__
