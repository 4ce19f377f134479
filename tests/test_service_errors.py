"""Service errors name the field they concern; the command line turns it into its flag, a screen
shows the domain's words.

(The AST check that no service string starts with a flag is in test_import_hygiene.py; the CLI's
exact lines for export's filters are in test_export_filters.py.)
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from annotator.cli.flags import FIELD_FLAGS, command_line_message
from annotator.errors import UserError, domain_wording

SERVICES = Path(__file__).resolve().parent.parent / "annotator" / "services"


def fields_raised() -> set[str]:
    """Every ``field="..."`` given to ``UserError`` under annotator/services."""
    found: set[str] = set()
    for path in SERVICES.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "UserError":
                for keyword in node.keywords:
                    if keyword.arg == "field" and isinstance(keyword.value, ast.Constant):
                        found.add(keyword.value.value)
    return found


def test_every_field_a_service_raises_has_its_flag_in_the_one_table():
    raised = fields_raised()
    assert {"annotators", "format", "labels", "statuses", "documents", "assignees"} <= raised
    assert sorted(raised - set(FIELD_FLAGS)) == []


def test_the_command_line_puts_the_flag_first_and_a_screen_shows_the_words():
    error = UserError("no annotator named 'zed'", field="annotators")
    assert str(error) == domain_wording(error) == "no annotator named 'zed'"
    assert command_line_message(error) == "--as: no annotator named 'zed'"
    # an error worded the old way (flag in the text, no field) reads the same on the command line,
    # and without its flag on a screen
    old = UserError("--gold-as: the gold annotator's name is empty")
    assert command_line_message(old) == "--gold-as: the gold annotator's name is empty"
    assert domain_wording(old) == "the gold annotator's name is empty"
    assert domain_wording(UserError("nothing to import: give files")) == "nothing to import: give files"
    assert command_line_message(ValueError("--x: not ours")) == "--x: not ours"


def test_a_service_error_reaches_the_terminal_with_its_flag(sqlite_url, tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "assign", "--to", "alice", "--documents", "what", "--db", sqlite_url],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert result.stderr == (
        "annotator: --documents: 'what' is not a document id, id range (10-20), uid or source:GLOB\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "import", str(folder), "--label-map", "nonsense", "--db", sqlite_url],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert result.stderr == "annotator: --label-map: expected FROM=TO (or FROM=- to drop), got 'nonsense'\n"


async def test_the_review_screen_words_an_error_without_its_flag(sqlite_url):
    """``review --as alice,zed``: the screen says who is unknown, not which flag named them."""
    from review_support import review_app, seed

    seed(sqlite_url)
    async with review_app(sqlite_url, annotators=["alice", "zed"]).run_test(size=(120, 36)) as pilot:
        for _ in range(50):
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
            if pilot.app.start_error:
                break
        assert pilot.app.start_error.startswith("no annotator named 'zed'")
        from textual.widgets import Static

        shown = str(pilot.app.query_one("#starting", Static).content)
        assert shown.startswith("Could not start the review: no annotator named 'zed'") and "--as" not in shown
