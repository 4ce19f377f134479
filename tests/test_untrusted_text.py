"""Titles, annotator names, attribute values, file names and error messages are data.

Each carries Rich/Textual markup (``[bold]``, ``[/``, ``[@click=app.quit]``), a template
variable (``$x``), a backslash and terminal control characters (ESC, BEL). Every place they
are shown — the CLI's tables, summaries and one-line errors, the annotation and review apps'
bars, panels and notifications — must show them literally and never send a control
character to the terminal raw.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from support.cli import cli as support_cli

from annotator.schemas.labels import load_default_schema
from annotator.services import annotations as ann
from annotator.services import corpus
from annotator.services import spans as span_ops
from annotator.store.engine import get_engine, session_scope
from annotator.store.models import Status

MARKUP = "[bold]B[/] [/ [@click=app.quit]Q[/] $x \\"
CONTROLS = "\x1b[31mE\x07"
NASTY = MARKUP + " " + CONTROLS
FILE_MARKUP = "[bold]B [@click=app.quit]Q $x \\"  # a file name holds no "/"
FILE_NASTY = FILE_MARKUP + " " + CONTROLS
RAW = ("\x1b", "\x07")
SIZE = (160, 40)


def cli(*args: str, db: str) -> subprocess.CompletedProcess:
    return support_cli(*args, env={"ANNOTATOR_DB": db, "COLUMNS": "250"})  # wide enough that no table cell wraps


def assert_literal(out: str, *, escaped: bool = True, markup: str = MARKUP) -> None:
    """``out`` shows ``markup`` as typed and the control characters only in a visible form."""
    assert markup in out
    assert not any(ch in out for ch in RAW), repr(out)
    if escaped:
        assert "\\x1b[31mE\\x07" in out


def seed(url: str) -> int:
    schema = load_default_schema()
    text = "Seleka rebels left Bangui. " + NASTY + " said Mariner."
    with session_scope(get_engine(url)) as s:
        doc, _ = corpus.add_document(s, text=text, title="T " + NASTY)
        row = corpus.register_schema(s, schema)
        for name in ("ana " + NASTY, "bob"):
            who = corpus.get_or_create_annotator(s, name)
            span_ops.add_span(
                s,
                document=doc,
                annotator_id=who.id,
                schema_id=row.id,
                schema=schema,
                label="ACTOR",
                start=0,
                end=13,
                attrs={"canonical": NASTY},
            )
            if name != "bob":  # ana alone tagged Bangui: the review's reason names her
                span_ops.add_span(
                    s,
                    document=doc,
                    annotator_id=who.id,
                    schema_id=row.id,
                    schema=schema,
                    label="LOCATION",
                    start=19,
                    end=25,
                )
            ann.set_status(s, document_id=doc.id, annotator_id=who.id, status=Status.DONE)
        return doc.id


# ---------------------------------------------------------------------------- the CLI


def test_stats_and_agreement_tables_show_names_and_titles_literally(db_url):
    seed(db_url)
    stats = cli("stats", db=db_url)
    assert stats.returncode == 0, stats.stderr
    assert_literal(stats.stdout)
    report = cli("agreement", db=db_url)
    assert report.returncode == 0, report.stderr
    assert "ana " + MARKUP in report.stdout  # the heading names both annotators
    assert not any(ch in report.stdout for ch in RAW)


def test_one_line_errors_quote_names_and_file_names_literally(db_url, tmp_path: Path):
    seed(db_url)
    unknown = cli("export", "--as", NASTY, db=db_url)
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1
    assert not any(ch in unknown.stderr for ch in RAW) and "Traceback" not in unknown.stderr
    assert "ana " + MARKUP in unknown.stderr  # the known annotators are listed as they are

    folder = tmp_path / ("in " + FILE_NASTY)
    folder.mkdir()
    bad = folder / ("bad " + FILE_NASTY + ".jsonl")
    bad.write_text('{"text": "ok"}\n{"text": 5}\n', encoding="utf-8")
    refused = cli("import", str(bad), db=db_url)
    assert refused.returncode == 2, refused.stderr
    assert "Traceback" not in refused.stderr
    assert_literal(refused.stderr, markup=FILE_MARKUP)
    assert refused.stderr.strip().splitlines()[-1].startswith("annotator: 1 problem in 1 file")


def test_export_summary_never_sends_control_characters(db_url, tmp_path: Path):
    seed(db_url)
    out = tmp_path / (FILE_NASTY + ".jsonl")
    done = cli("export", "--out", str(out), db=db_url)
    assert done.returncode == 0, done.stderr
    assert out.exists() and "exported 2 records" in done.stderr
    assert_literal(done.stderr, markup=FILE_MARKUP)
    again = cli("export", "--out", str(out), db=db_url)  # exists, no --force: a user error
    assert again.returncode == 2 and again.stderr.count("\n") == 1
    assert_literal(again.stderr, markup=FILE_MARKUP)


def test_suggest_names_the_annotator_literally(db_url):
    seed(db_url)
    stored = cli("suggest", "--as", NASTY, db=db_url)
    assert stored.returncode == 0, stored.stderr
    assert_literal(stored.stdout)


# ---------------------------------------------------------------------------- the apps


async def test_annotation_app_shows_title_name_values_and_notices_literally(sqlite_url):
    from tui_helpers import app_for, screen_text, settle

    seed(sqlite_url)
    app = app_for(sqlite_url, name="ana " + NASTY, suggestions=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "T " + MARKUP in shown  # the queue and the top bar
        assert "[ana " + MARKUP in shown  # the annotator in the top bar
        assert MARKUP + " ␛[31mE␇" in shown  # the span's canonical attribute in the side panel
        assert not any(ch in shown for ch in RAW)
        # a notification quoting data (as a failed database step's message does)
        app.annotate_screen._say("Not saved: " + CONTROLS + " [b]x[/b] $x")
        for _ in range(50):  # the toast appears after a refresh or two
            await pilot.pause()
            shown = screen_text(app)
            if "Not saved" in shown:
                break
        assert "Not saved: ␛[31mE␇ [b]x[/b] $x" in shown
        assert not any(ch in shown for ch in RAW)
        assert app.is_running  # [@click=app.quit] was text, not an action


async def test_review_app_shows_names_and_reasons_literally(sqlite_url):
    from review_support import press, review_app, settle
    from support.screen import screen_text

    seed(sqlite_url)
    app = review_app(sqlite_url, lead="lead " + NASTY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "ana [bold]B[/] [/ [@click=app" in shown  # names are cut to 30 characters in the bar
        assert "lead [bold]B[/] [/ [@click=ap" in shown and "T " + MARKUP in shown
        assert not any(ch in shown for ch in RAW)
        await press(pilot, "enter")  # the first open disagreement: Bangui, ana's alone
        group = app.screen.current_group
        assert group is not None and group.reason == "only ana " + NASTY
        shown = screen_text(app)
        assert "only ana " + MARKUP in shown
        assert not any(ch in shown for ch in RAW)
        await press(pilot, "1")  # accept ana's version: the lane names her as gold's match
        shown = screen_text(app)
        assert "gold = ana [bold]B[/]" in shown
        assert not any(ch in shown for ch in RAW)
        assert app.is_running


async def test_attribute_form_shows_a_stored_value_safely_and_keeps_it_when_unchanged(sqlite_url):
    from tui_helpers import app_for, screen_text, settle, span_rows

    seed(sqlite_url)
    name = "ana " + NASTY
    app = app_for(sqlite_url, name=name, suggestions=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.annotate_screen.view.move_to(2)  # inside "Seleka rebels", ana's ACTOR
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert form.query_one("#attr-canonical").value == MARKUP + " ␛[31mE␇"
        shown = screen_text(app)
        assert MARKUP + " ␛[31mE␇" in shown and not any(ch in shown for ch in RAW)
        await pilot.press("ctrl+s")  # saved unchanged: the stored value stays what it was
        await settle(pilot)
    actor = next(s for s in span_rows(sqlite_url, name) if s.label == "ACTOR")
    assert actor.attrs["canonical"] == NASTY
