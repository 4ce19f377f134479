"""Both apps with a remapped keymap.toml: the remapped key does the work (read back from the
database), the old key no longer does, ``?`` and the command palette show the keys as
remapped, and a clashing keymap or schema ends the real CLI with one line and exit 2."""

from __future__ import annotations

import subprocess
from pathlib import Path

from review_support import gold, seed
from review_support import press as review_press
from review_support import settle as review_settle
from support.cli import cli
from support.paths import REPO
from tui_helpers import add_docs, app_for, settle, spans

from annotator.schemas.labels import load_default_schema
from annotator.tui.keymap import keymap_path, load_checked
from annotator.tui.review_app import make_review_app

TEXT = "Amnesty International said rebels attacked Bangui.\nAmnesty left.\n"
SIZE = (160, 40)


def _keymap(text: str) -> dict[str, str]:
    path = keymap_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return load_checked(load_default_schema())


async def _press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def _help_rows(app) -> dict[str, str]:
    assert app.screen.__class__.__name__ == "HelpScreen"
    return {binding_id: keys for keys, _description, binding_id in app.screen.rows}


def _palette(app, screen) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for command in app.get_system_commands(screen):
        found.setdefault(command.title, []).append(str(command.help))
    return found


async def test_annotate_remapped_keys_tag_and_undo_and_show_remapped(db_url):
    add_docs(db_url, TEXT)
    keymap = _keymap('"label.ACTOR" = "z"\n"annotate.undo" = "u"\n"annotate.tag_all" = "ctrl+t"\n')
    app = app_for(db_url, keymap=keymap)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _press(pilot, "1")  # ACTOR's default key: moved away, so nothing
        assert spans(db_url) == []
        await _press(pilot, "z")
        assert spans(db_url) == [("ACTOR", "Amnesty")]
        await _press(pilot, "u")
        assert spans(db_url) == []
        await _press(pilot, "z", "ctrl+t")  # tag-all on its new key: the other "Amnesty" too
        assert spans(db_url) == [("ACTOR", "Amnesty"), ("ACTOR", "Amnesty")]
        screen = app.annotate_screen
        await _press(pilot, "question_mark")
        rows = _help_rows(app)
        assert rows["label.ACTOR"] == "z" and rows["annotate.undo"] == "u" and rows["annotate.tag_all"] == "^t"
        assert rows["label.LOCATION"] == "2" and rows["annotate.help"] == "?" and rows["queue.filter"] == "f"
        assert "(both apps)" in "".join(str(s.render()) for s in app.screen.query(".hint"))
        await _press(pilot, "escape")
        palette = _palette(app, screen)
        assert len(palette["Quit"]) == 1 and len(palette["Keys"]) == 1  # ours, not Textual's twins
        assert palette["ACTOR"] == ["z  ·  label.ACTOR"] and palette["Undo"] == ["u  ·  annotate.undo"]
        assert palette["Filter"] == ["f  ·  queue.filter"]


async def test_review_remapped_keys_decide_and_undo_and_show_remapped(sqlite_url):
    seed(sqlite_url)
    keymap = _keymap('"review.accept_agreed" = "b"\n"review.undo" = "u"\n"review.list_help" = "h"\n')
    app = make_review_app(sqlite_url, [], "gold", load_default_schema(), "lena", keymap)
    async with app.run_test(size=SIZE) as pilot:
        await review_settle(pilot)
        await pilot.press("h")  # the help screen is not a review screen: no review_press
        await pilot.pause()
        assert _help_rows(app)["review.list_help"] == "h"
        await review_press(pilot, "escape", "enter")  # open the only document
        screen = app.screen
        await review_press(pilot, "A")  # accept-agreed's default key: moved away, so nothing
        assert gold(sqlite_url) == []
        await review_press(pilot, "b")
        assert gold(sqlite_url) == [("LOCATION", "Bangui", {"place_type": "city/town"}, [], "adjudication")]
        await review_press(pilot, "u")
        assert gold(sqlite_url) == []
        await pilot.press("question_mark")
        await pilot.pause()
        rows = _help_rows(app)
        assert rows["review.accept_agreed"] == "b" and rows["review.undo"] == "u" and rows["review.next"] == "n"
        assert rows["doc.word_left"] == "^←"  # the article view's keys are listed too
        await review_press(pilot, "escape")
        palette = _palette(app, screen)
        assert palette["Accept all agreed"] == ["b  ·  review.accept_agreed"] and len(palette["Quit"]) == 1


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return cli(*args, cwd=REPO)


def _one_line(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 2, run.stderr
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    return run.stderr.strip()


def test_cli_refuses_the_readme_example_and_a_review_clash_in_one_line(sqlite_url):
    path = keymap_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('"annotate.undo" = "u"\n"label.ACTOR" = "a,1"\n', encoding="utf-8")
    line = _one_line(_cli("annotate", "--db", sqlite_url))
    assert f"{path}:2: label.ACTOR = 'a,1' gives a to two bindings" in line and "annotate.tag_all" in line
    path.write_text('"review.accept_agreed" = "n"\n', encoding="utf-8")
    for args in (("review", "--db", sqlite_url), ("annotate", "--db", sqlite_url)):  # one file, both apps
        line = _one_line(_cli(*args))
        assert f"{path}:1: review.accept_agreed = 'n'" in line and "review.accept_agreed and review.next" in line


def test_cli_refuses_a_schema_label_key_that_takes_a_command_key(sqlite_url, tmp_path: Path):
    text = (REPO / "schemas" / "conflict.toml").read_text(encoding="utf-8").replace('key = "4"', 'key = "n"', 1)
    schema = tmp_path / "lettered.toml"
    schema.write_text(text, encoding="utf-8")
    number = next(n for n, row in enumerate(text.splitlines(), 1) if row.strip() == 'key = "n"')
    line = _one_line(_cli("annotate", "--db", sqlite_url, "--schema", str(schema)))
    assert f"{schema}:{number}: label key 'n' is taken on the annotate screen" in line
    assert "label.QUOTE and annotate.search_next" in line
    line = _one_line(_cli("review", "--db", sqlite_url, "--schema", str(schema)))
    assert "label.QUOTE and annotate.search_next" in line  # one schema, both apps
