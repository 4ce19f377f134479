"""Keys typed fast reach the review's attribute form, in order: the real program in a pseudo-terminal.

The review app has the annotation app's key gate (tui/ordered_keys.py): a form sets
``ORDERED_KEYS``, so keys typed while it opens wait for it and are passed on one at a time.
Here ``e enter m enter ctrl+s`` is typed 50 ms apart on a gold ACTOR: open its form, open
``actor_type``'s list, type-to-search "militia", pick it, save. A key that reached the document
screen behind the form instead (``enter`` there opens a second form; ``e`` too) leaves a form
open and the value unsaved. We read the database, not the screen.
"""

from __future__ import annotations

import time

import pytest
from support.corpus import seed_two_annotators
from support.pty_app import AppOnPty, wait_for
from support.reads import decisions, gold

GAP = 0.05  # seconds between two keys, as issue 15 typed them
ENTER, CTRL_S = b"\r", b"\x13"
SELEKA = ("ACTOR", "Seleka rebels")


def _seleka(url: str) -> dict | None:
    return next((attrs for label, text, attrs, *_ in gold(url) if (label, text) == SELEKA), None)


@pytest.mark.slow
@pytest.mark.parametrize("attempt", range(3))
def test_fast_keys_reach_the_review_form_in_order(sqlite_url, attempt):
    seed_two_annotators(sqlite_url)
    command = ["review", "--db", sqlite_url, "--as", "alice,bob", "--lead", "lena"]
    app = AppOnPty.start(sqlite_url, command=command, size=(120, 36))
    try:
        wait_for(lambda: b"Bangui" in bytes(app.output), "the review list")
        time.sleep(0.5)  # painted: keys typed now are typed, not pasted
        app.write(ENTER)  # the document; its first disagreement, "Seleka rebels", is current
        wait_for(lambda: b"Disagreement 1/" in bytes(app.output), "the document under review")
        time.sleep(0.3)
        app.write(b"1")  # alice's version: armed group
        wait_for(lambda: _seleka(sqlite_url) == {"actor_type": "armed group"}, "alice's version in gold")
        time.sleep(0.3)
        for key in (b"e", ENTER, b"m", ENTER, CTRL_S):
            app.write(key)
            time.sleep(GAP)
        wait_for(lambda: _seleka(sqlite_url) == {"actor_type": "militia"}, "the form's value in gold", step=0.2)
        time.sleep(0.3)  # anything a stray key would have started is stored by now too
        app.write(b"q")  # the document screen has the keys again: q leaves
        app.proc.wait(timeout=60)
    finally:
        app.stop()
    assert app.proc.returncode == 0
    assert [(label, text, attrs) for label, text, attrs, *_ in gold(sqlite_url)] == [
        ("ACTOR", "Seleka rebels", {"actor_type": "militia"})
    ]
    assert [action for action, *_ in decisions(sqlite_url)] == ["accept", "edit"]
