"""A span whose label left the schema (issue 13): the app shows it, marks it, and refuses
to edit it in words instead of exiting with a KeyError."""

from __future__ import annotations

from support.screen import Notices
from tui_helpers import ANNOTATOR, add_docs, app_for, screen_text, settle, spans

from annotator.schemas.labels import parse_schema
from annotator.services import corpus
from annotator.services import spans as span_ops
from annotator.store.engine import get_engine, session_scope

OLD_SCHEMA = parse_schema(
    {
        "name": "old",
        "version": 1,
        "labels": [
            {"name": "WEAPON", "key": "w", "colour": "#aa0000", "attributes": [{"name": "kind", "kind": "text"}]},
            {"name": "ACTOR", "key": "a", "colour": "#00aa00"},
        ],
    },
    "test",
)


async def test_a_span_outside_the_schema_is_shown_marked_and_refused_in_words(sqlite_url):
    [doc_id] = add_docs(sqlite_url, "Rebels fired mortars at Bangui.\n")
    with session_scope(get_engine(sqlite_url)) as s:
        row = corpus.register_schema(s, OLD_SCHEMA)
        who = corpus.get_or_create_annotator(s, ANNOTATOR)
        doc = s.get(corpus.Document, doc_id)
        span_ops.add_span(
            s,
            document=doc,
            annotator_id=who.id,
            schema_id=row.id,
            schema=OLD_SCHEMA,
            label="WEAPON",
            start=13,
            end=20,
            attrs={"kind": "mortar"},
        )
    app = app_for(sqlite_url)
    notices = Notices(app)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("tab")  # onto the WEAPON span
        await settle(pilot)
        assert app.annotate_screen._current().label == "WEAPON"
        shown = screen_text(app)
        assert "WEAPON  13-20" in shown and "not in the schema" in shown and "kind: mortar" in shown
        for key in ("enter", "s"):
            await pilot.press(key)
            await settle(pilot)
        assert app.is_running and app.screen is app.annotate_screen  # no attribute form, no KeyError
        messages = notices.messages
        refusal = "WEAPON is not a label of schema conflict: the span is shown as it was stored"
        assert sum(m.startswith(refusal) for m in messages) == 2
    assert spans(sqlite_url) == [("WEAPON", "mortars")]


async def test_a_database_from_a_newer_migration_ends_the_app_with_one_line(tmp_path):
    import sqlite3

    from annotator.errors import UserError

    url = f"sqlite:///{tmp_path / 'future.db'}"
    add_docs(url, "Bangui.\n")  # migrated to our newest
    with sqlite3.connect(tmp_path / "future.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    app = app_for(url)
    async with app.run_test() as pilot:
        while app.is_running and app.startup_error is None:
            await pilot.pause()
    assert isinstance(app.startup_error, UserError) and app.return_code == 2
    assert "is at migration 9999_from_the_future, which this annotator does not know" in str(app.startup_error)
