"""The annotation app's way to its first painted article (benchmark 2 and 3's fixes).

- Nothing on that way imports SQLAlchemy, SQLModel, Alembic or pydantic (the label schema is
  validated when the database opens): a fresh interpreter imports
  the CLI and the annotate command, runs the app headless and looks at ``sys.modules`` at
  the moment the article is handed to the view (and checks they do load afterwards).
- ``services.first_read`` (stdlib sqlite3, read-only) returns what the services return,
  refuses anything unusual (None), and reads a big document's first spans only.
- The screen shown from that read waits for the database: keys pressed before it is open
  are saved, in order, once it is; a big document's other spans arrive without moving the
  cursor.
- (The migration head constant is held equal to Alembic's in test_startup_one_path.py.)
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import REPO
from tui_helpers import add_docs, app_for, settle, spans

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "pydantic")
TEXT = (
    "Amnesty International said rebels attacked Bangui.\n"
    '"We will fight," said Joanne Mariner of Amnesty International.\n'
    "Rebels left Bangui on Monday.\n"
)

CHILD = r"""
import asyncio, json, sys
HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "pydantic")
def heavy():
    return sorted({m.split(".")[0] for m in sys.modules if m.split(".")[0] in HEAVY})

import annotator.cli  # the command line, as `annotator annotate` imports it
import annotator.cli.annotate_cmd
from annotator.schemas.preview import preview_schema
from annotator.tui.app import binding_ids, make_app
from annotator.tui.keymap import load_keymap
from annotator.tui.screens.annotate import AnnotateScreen

found = {"after_cli": heavy()}
schema = preview_schema(None)  # as the annotate command reads it
keymap = load_keymap(known_ids=lambda: binding_ids(schema))  # no keymap file: no screens needed
found["before_run"] = heavy()
opened = AnnotateScreen.show_opened

def spy(self, doc, *args, **kwargs):
    opened(self, doc, *args, **kwargs)
    found.setdefault("first_article", doc.text[:7] if doc else None)
    found.setdefault("at_first_article", heavy())

AnnotateScreen.show_opened = spy

async def main():
    app = make_app(sys.argv[1], "ana", schema, keymap)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(400):
            await pilot.pause()
            await app.workers.wait_for_complete()
            screen = app.annotate_screen
            if screen is not None and screen.controller is not None and screen.jobs.idle and screen.doc is not None:
                break
        found["after_open"] = heavy()
        found["shown"] = "".join(s.text for s in app.screen.view.render_line(0))[:7]

asyncio.run(main())
print(json.dumps(found))
"""


def _child(url: str, tmp_path: Path) -> dict:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "PYTHONPATH": str(REPO)}
    env.pop("ANNOTATOR_DB", None)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, url],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_no_orm_alembic_or_pydantic_before_the_first_article_is_painted(sqlite_url, tmp_path):
    add_docs(sqlite_url, TEXT)
    found = _child(sqlite_url, tmp_path)
    assert found["after_cli"] == []
    assert found["before_run"] == []
    assert found["first_article"] == "Amnesty"
    assert found["at_first_article"] == []
    # the database was then opened properly (schema validated, engine and session; the
    # migration check reads the version table itself, so no Alembic at all)
    assert found["after_open"] == ["pydantic", "sqlalchemy", "sqlmodel"]
    assert found["shown"] == "Amnesty"


def test_a_database_that_needs_migrating_takes_the_ordinary_way(tmp_path):
    from annotator.store import migrate
    from annotator.store.engine import create_db_engine

    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    engine = create_db_engine(url)
    migrate.upgrade(engine, "0003")  # one migration behind
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO document (uid, title, source, text, sha256, meta, created_at)"
            " VALUES ('u1', 'doc 1', 'test', ?, 'x', '{}', '2026-01-01 00:00:00')",
            (TEXT,),
        )
    found = _child(url, tmp_path)
    assert found["first_article"] == "Amnesty" and found["shown"] == "Amnesty"
    assert "sqlalchemy" in found["at_first_article"]  # opened properly first: migrated
    assert "alembic" in found["after_open"]


# ---------------------------------------------------------------------------- first_read


def _store(url: str) -> tuple[list[int], int]:
    """Two documents; ana has spans (attributes, a link) on the second and opened it last."""
    from annotator.schemas.labels import load_default_schema
    from annotator.services import session_ops as ops
    from annotator.services import spans as span_ops
    from annotator.store.engine import get_engine, session_scope
    from annotator.store.models import Document

    ids = add_docs(url, "First document.\n", TEXT)
    schema = load_default_schema()
    with session_scope(get_engine(url)) as session:
        info = ops.start_session(session, "ana", schema)
        doc = session.get(Document, ids[1])
        common = dict(document=doc, annotator_id=info.annotator_id, schema_id=info.schema_id, schema=schema)
        joanne = span_ops.add_span(
            session,
            label="ACTOR",
            start=TEXT.index("Joanne"),
            end=TEXT.index(" of"),
            attrs={"actor_type": "person"},
            **common,
        )
        quote = span_ops.add_span(session, label="QUOTE", start=51, end=68, **common)
        span_ops.add_span(
            session, label="LOCATION", start=TEXT.rindex("Bangui"), end=TEXT.rindex("Bangui") + 6, **common
        )
        span_ops.add_span(session, label="ACTOR", start=0, end=7, **common)
        session.flush()
        span_ops.set_links(session, quote.id, "speaker", [joanne.id], schema=schema)
        ops.mark_started(session, document_id=ids[1], annotator_id=info.annotator_id)  # as the app's first change
        ops.open_document(session, document_id=ids[1], annotator_id=info.annotator_id)
    return ids, info.annotator_id


def test_first_read_returns_what_the_services_return(sqlite_url):
    from annotator.services import annotations as ann
    from annotator.services import session_ops as ops
    from annotator.services.first_read import read_first_screen
    from annotator.store.engine import get_engine, session_scope

    ids, who = _store(sqlite_url)
    first = read_first_screen(sqlite_url, " ana ")
    assert first is not None and first.spans_complete and first.annotator_id == who
    with session_scope(get_engine(sqlite_url)) as session:
        assert first.rows == ops.queue(session, who)
        stored = ann.spans_for(session, ids[1], who)
        status = ann.get_status(session, ids[1], who)
    doc = first.document
    assert doc is not None and doc.id == ids[1] and doc.text == TEXT and doc.title == "doc 2"
    assert doc.spans == stored and len(stored) == 4
    assert any(s.attrs == {"actor_type": "person"} for s in doc.spans)
    assert any(s.links for s in doc.spans)
    assert (doc.status, doc.note) == (status.status, status.note) == ("in_progress", "")
    assert first.spans_total == 4


def test_first_read_of_a_new_annotator_and_of_a_big_document(sqlite_url):
    from annotator.services.first_read import read_first_screen

    ids, _who = _store(sqlite_url)
    nobody = read_first_screen(sqlite_url, "zoe")
    assert nobody is not None and nobody.annotator_id is None
    assert nobody.document is not None and nobody.document.id == ids[0] and nobody.document.spans == []
    assert [(r.status, r.spans) for r in nobody.rows] == [("todo", 0), ("todo", 0)]
    some = read_first_screen(sqlite_url, "ana", big_spans=2, span_limit=60)
    assert some is not None and not some.spans_complete and some.spans_total == 4
    assert [(s.label, s.start) for s in some.document.spans] == [("ACTOR", 0), ("QUOTE", 51)]


def test_first_read_refuses_anything_unusual(sqlite_url, tmp_path):
    from annotator.services.first_read import read_first_screen

    _store(sqlite_url)
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    assert read_first_screen("postgresql+psycopg://u@127.0.0.1:1/x", "ana") is None
    assert read_first_screen(f"sqlite:///{tmp_path / 'none.db'}", "ana") is None
    assert not (tmp_path / "none.db").exists()  # never created by a read
    assert read_first_screen(f"sqlite:///{path}?timeout=3", "ana") is None
    notes = tmp_path / "notes.db"
    notes.write_text("not a database\n" * 100)
    assert read_first_screen(f"sqlite:///{notes}", "ana") is None
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    assert read_first_screen(sqlite_url, "ana") is None


# ---------------------------------------------------------------------------- the screen


async def test_keys_pressed_before_the_database_is_open_are_saved_in_order(sqlite_url):
    from annotator.tui.app import AnnotatorApp

    add_docs(sqlite_url, TEXT)
    app = app_for(sqlite_url)
    asked: list[int] = []
    app.start_database = lambda: asked.append(1)  # hold the database back until we say so
    async with app.run_test(size=(160, 40)) as pilot:
        for _ in range(200):
            await pilot.pause()
            if app.annotate_screen is not None and app.annotate_screen.doc is not None:
                break
        screen = app.annotate_screen
        assert screen is not None and screen.controller is None and asked == [1]
        assert screen.view.text == TEXT and not screen.jobs.idle
        await pilot.press("1", "ctrl+right", "ctrl+right", "2")  # Amnesty: ACTOR; International: LOCATION
        await pilot.pause()
        assert spans(sqlite_url) == []  # nothing is saved (or shown as saved) yet
        AnnotatorApp.start_database(app)
        await settle(pilot)
        assert screen.controller is not None
        assert spans(sqlite_url) == [("ACTOR", "Amnesty"), ("LOCATION", "International")]
        assert [(s.label, s.start) for s in screen.view.spans.ordered()] == [("ACTOR", 0), ("LOCATION", 8)]
        assert screen.status[0] == "in_progress"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert spans(sqlite_url) == [("ACTOR", "Amnesty")]


async def test_a_big_documents_other_spans_arrive_without_moving_the_cursor(sqlite_url, monkeypatch):
    import annotator.tui.app as app_module
    from annotator.services.first_read import read_first_screen
    from annotator.tui.app import AnnotatorApp

    ids, _who = _store(sqlite_url)
    monkeypatch.setattr(
        app_module,
        "read_first_screen",
        lambda url, name, **kw: read_first_screen(url, name, big_spans=2, span_limit=60),
    )
    app = app_for(sqlite_url)
    asked: list[int] = []
    app.start_database = lambda: asked.append(1)
    async with app.run_test(size=(160, 40)) as pilot:
        for _ in range(200):
            await pilot.pause()
            if app.annotate_screen is not None and app.annotate_screen.doc is not None:
                break
        screen = app.annotate_screen
        assert screen.doc.id == ids[1]
        assert [s.label for s in screen.view.spans.ordered()] == ["ACTOR", "QUOTE"]
        assert "4 spans" in str(screen.query_one("#topbar").render())  # the total, not the first two
        await pilot.press("down", "right")
        cursor = screen.view.cursor
        AnnotatorApp.start_database(app)
        await settle(pilot)
        assert [s.label for s in screen.view.spans.ordered()] == ["ACTOR", "QUOTE", "ACTOR", "LOCATION"]
        assert screen.view.cursor == cursor and len(screen.spans) == 4
        assert all(s.links or s.label != "QUOTE" for s in screen.spans.values())


async def test_a_schema_mistake_found_after_the_first_paint_ends_the_app_with_one_line(sqlite_url, tmp_path):
    from annotator.errors import UserError
    from annotator.schemas.preview import SchemaPreview, preview_schema
    from annotator.tui.app import make_app

    add_docs(sqlite_url, TEXT)
    path = tmp_path / "odd.toml"
    path.write_text(
        'name = "odd"\nversion = 1\n[[labels]]\nname = "ACTOR"\nkey = "1"\ncolour = "#112233"\n'
        '[[labels.attributes]]\nname = "Bad Name"\nkind = "text"\n'
    )
    schema = preview_schema(path)
    assert isinstance(schema, SchemaPreview)  # the labels look right: checked after the paint
    app = make_app(sqlite_url, "ana", schema)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(400):
            await pilot.pause()
            if app.startup_error is not None or app.return_code is not None or not app.is_running:
                break
    assert isinstance(app.startup_error, UserError) and app.startup_error.exit_code == 2
    assert str(app.startup_error).startswith(f"{path}: labels[0] (ACTOR).attributes[0] (Bad Name).name")
    assert spans(sqlite_url) == []


def test_a_label_mistake_is_still_reported_before_the_app_starts(tmp_path):
    from annotator.errors import UserError
    from annotator.schemas.preview import preview_schema

    path = tmp_path / "bad.toml"
    path.write_text('name = "bad"\nversion = 1\n[[labels]]\nname = "ACTOR"\nkey = "1"\ncolour = "red"\n')
    with pytest.raises(UserError, match="colour"):
        preview_schema(path)


async def test_the_footer_is_rebuilt_only_when_its_keys_change(sqlite_url, monkeypatch):
    from annotator.tui.widgets.footer import BindingsFooter

    rebuilt: list[int] = []
    real = BindingsFooter.recompose

    async def counting(self):
        rebuilt.append(1)
        await real(self)

    monkeypatch.setattr(BindingsFooter, "recompose", counting)
    add_docs(sqlite_url, TEXT)
    app = app_for(sqlite_url)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = app.annotate_screen
        footer = screen.query_one(BindingsFooter)
        shown = {key.description: key.has_class("-disabled") for key in footer.query("FooterKey")}
        assert shown["Undo"] and not shown["Quit"] and not shown["ACTOR"]  # nothing to undo yet
        before = len(rebuilt)
        for _ in range(3):
            screen.refresh_bindings()  # the same keys: nothing to rebuild
        await pilot.press("right", "down", "left")
        await settle(pilot)
        assert len(rebuilt) == before
        await pilot.press("up", "home", "1")  # "Amnesty": now there is something to undo
        await settle(pilot)
        screen.refresh_bindings()  # a signal (Textual sends them on focus changes)
        await settle(pilot)
        assert len(rebuilt) == before + 1
        assert not {key.description: key.has_class("-disabled") for key in footer.query("FooterKey")}["Undo"]
