"""Failures reach the person in words; nothing is shown as saved that was not saved."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from support.screen import Notices
from textual.app import App
from tui_helpers import add_docs, app_for, settle, spans

from annotator.tui.dbjobs import DbJobs, Job


async def test_lost_connection_is_reported_and_retried(tmp_path: Path):
    folder = tmp_path / "not-yet"
    engine = sa.create_engine(f"sqlite:///{folder / 'x.db'}")
    attempts: list[int] = []
    results: list[int] = []

    def work() -> int:
        attempts.append(1)
        if len(attempts) == 3:
            folder.mkdir()  # the "server" comes back
        with engine.connect() as conn:  # a real OperationalError until then
            return conn.execute(sa.text("select 41 + 1")).scalar_one()

    app = App()
    notices = Notices(app)
    async with app.run_test() as pilot:
        jobs = DbJobs(app, delays=(0, 0, 0, 0))
        jobs.submit(lambda: Job(work, results.append, "save the span"))
        while not jobs.idle:
            await pilot.pause()
        messages = notices.messages
    assert results == [42] and len(attempts) == 3
    assert sum("Lost the database connection while trying to save the span" in m for m in messages) == 2


async def test_giving_up_says_nothing_was_saved(tmp_path: Path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'missing' / 'x.db'}")
    results: list[object] = []

    def work() -> object:
        with engine.connect() as conn:
            return conn.execute(sa.text("select 1")).scalar_one()

    app = App()
    notices = Notices(app)
    async with app.run_test() as pilot:
        jobs = DbJobs(app, delays=(0,))
        jobs.submit(lambda: Job(work, results.append, "save the span"))
        while not jobs.idle:
            await pilot.pause()
        messages = notices.messages
    assert results == []
    assert any(
        m.startswith("Could not save the span: the database is unreachable") and "Nothing was saved" in m
        for m in messages
    )


async def test_a_refused_change_is_not_shown(sqlite_url):
    add_docs(sqlite_url, "Amnesty International said rebels attacked Bangui.\n")
    app = app_for(sqlite_url)
    notices = Notices(app)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        from annotator.store.engine import get_engine

        with get_engine(sqlite_url).begin() as conn:  # someone deletes the document meanwhile
            conn.execute(sa.text("delete from document"))
        await pilot.press("1")
        await settle(pilot)
        screen = app.annotate_screen
        assert len(screen.view.spans) == 0 and screen.spans == {}
        messages = notices.messages
        assert any(m.startswith("Could not tag ACTOR: document") for m in messages)
        assert not screen.jobs.history.can_undo
    assert spans(sqlite_url) == []


def test_cli_bad_keymap_is_one_line_and_exit_2(sqlite_url, tmp_path: Path):
    import os
    import subprocess
    import sys

    from annotator.tui.keymap import keymap_path

    path = keymap_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('"annotate.undo" = "ctrl+b"\n')
    run = subprocess.run(
        [sys.executable, "-m", "annotator", "annotate", "--db", sqlite_url],
        capture_output=True,
        text=True,
        env=dict(os.environ),
    )
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0
    assert "keymap.toml:1: annotate.undo: ctrl+b is tmux's prefix key" in run.stderr
    help_run = subprocess.run([sys.executable, "-m", "annotator", "annotate", "--help"], capture_output=True, text=True)
    assert help_run.returncode == 0 and "--as" in help_run.stdout and "--schema" in help_run.stdout


async def test_bad_database_url_ends_the_app_with_one_line(sqlite_url):
    from annotator.errors import UserError

    app = app_for("notaurl")
    async with app.run_test() as pilot:
        while app.is_running and app.startup_error is None:
            await pilot.pause()
    assert isinstance(app.startup_error, UserError) and app.return_code == 2
    assert str(app.startup_error).startswith("--db: not a database URL")
