"""Every command ends a user mistake in one line (exit 2) and a database problem in one line
(exit 3): never a traceback.

The database here is a server that refuses connections (a closed loopback port) or a file
that is not a database; the mistakes are a broken schema file, a missing one, a mistyped
option or command.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support.cli import cli

REFUSED = "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"  # port 1: nothing listens

COMMANDS = [
    ("stats",),
    ("agreement", "--as", "a,b"),
    ("export", "--format", "jsonl"),
    ("suggest",),
    ("suggest", "--evaluate", "--against", "gold"),
    ("review", "--as", "a,b"),
    ("db", "current"),
    ("db", "upgrade"),
]


def one_line(result: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("annotator: "), lines[0]
    return lines[0]


@pytest.mark.parametrize("args", COMMANDS + [("import", "sources")], ids=lambda a: " ".join(a))
def test_an_unreachable_database_is_one_line_and_exit_3(args):
    from support.paths import REPO

    result = cli(*args, "--db", REFUSED, cwd=REPO)
    assert result.returncode == 3, result.stderr
    line = one_line(result)
    assert "database" in line and "secret" not in line


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_a_file_that_is_not_a_database_is_one_line_and_exit_3(args, tmp_path: Path):
    path = tmp_path / "notes.db"
    path.write_text("these are notes, not a database\n" * 200)
    result = cli(*args, "--db", f"sqlite:///{path}")
    assert result.returncode == 3, result.stderr
    assert "file is not a database" in one_line(result)


@pytest.mark.parametrize(
    "command", [("import", "sources"), ("annotate",), ("review",), ("suggest",)], ids=lambda a: a[0]
)
def test_a_broken_or_missing_schema_file_is_one_line_and_exit_2(command, tmp_path: Path):
    broken = tmp_path / "broken.toml"
    broken.write_text('name = "x"\n[[labels]\nname =\n')
    db = f"sqlite:///{tmp_path / 'a.db'}"
    result = cli(*command, "--schema", str(broken), "--db", db)
    assert result.returncode == 2
    assert one_line(result).startswith(f"annotator: {broken}: not valid TOML")
    result = cli(*command, "--schema", str(tmp_path / "missing.toml"), "--db", db)
    assert result.returncode == 2
    assert "missing.toml: cannot read schema" in one_line(result)


@pytest.mark.parametrize(
    "args, says",
    [
        (("stats", "--bogus"), "No such option: --bogus"),
        (("stats", "--format"), "Option '--format' requires an argument"),
        (("import",), "Missing argument"),
        (("nosuch",), "No such command 'nosuch'"),
        (("db", "grant"), "Missing argument"),
        (("stats", "--\x1b[31mred\x07"), "No such option: --\\x1b[31mred\\x07"),
    ],
    ids=[
        "unknown option",
        "option without value",
        "missing argument",
        "unknown command",
        "db missing argument",
        "control characters",
    ],
)
def test_usage_mistakes_are_exit_2_without_traceback(args, says):
    result = cli(*args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"Error: {says}." or says in result.stderr.strip().splitlines()[-1]
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


async def test_annotate_on_an_unreachable_database_ends_at_once_with_exit_3():
    from tui_helpers import app_for

    from annotator.store.retry import DatabaseUnavailable

    app = app_for(REFUSED)
    async with app.run_test() as pilot:
        while app.is_running and app.startup_error is None:
            await pilot.pause()
    assert isinstance(app.startup_error, DatabaseUnavailable) and app.return_code == 3
    assert str(app.startup_error).startswith("--db: cannot open the database: ")
    assert app.jobs.failures == 1  # refused once, reported: no retries at start-up


@pytest.mark.parametrize("command", [("import", "sources"), ("suggest",), ("annotate",)], ids=lambda a: a[0])
def test_an_empty_annotator_name_is_a_mistake_not_the_login_user(command, tmp_path: Path):
    from support.paths import REPO

    result = cli(*command, "--as", " ", "--db", f"sqlite:///{tmp_path / 'a.db'}", cwd=REPO)
    assert result.returncode == 2
    assert one_line(result).startswith("annotator: --as: the annotator")
    result = cli(*command, "--as", "", "--db", f"sqlite:///{tmp_path / 'a.db'}", cwd=REPO)
    assert result.returncode == 2
    assert one_line(result).startswith("annotator: --as: the annotator")
