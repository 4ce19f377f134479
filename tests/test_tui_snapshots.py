"""Screenshots of the app (pytest-textual-snapshot): the main screen at 80x24 and 160x48 with a
tagged article, the attribute form and the speaker picker. Deterministic: a fixed annotator,
the bundled article, spans stored before the app starts, no clock on screen.
Regenerate after an intended change with ``make snapshots``."""

from __future__ import annotations

from tui_helpers import REPO_ROOT, app_for, settle

from annotator.schemas.labels import load_default_schema
from annotator.services import corpus
from annotator.services import spans as span_ops
from annotator.store.engine import get_engine, session_scope

ARTICLE = REPO_ROOT / "sources" / "ap-2014-02-12-amnesty-ethnic-cleansing.txt"
TAGS = [
    ("ACTOR", "Marabou Husein Aba Ali", {"actor_type": "person"}),
    ("LOCATION", "PK12", {"place_type": "site"}),
    ("CASUALTY", "3500 other Muslims", {"category": "displaced", "count_min": 3500, "count_max": 3500}),
    ("ACTOR", "Muslims", {"actor_type": "community"}),
    ("LOCATION", "Bangui", {"place_type": "city/town"}),
    ("LOCATION", "Central African Republic", {"place_type": "country"}),
    ("ACTOR", "French soldiers", {"actor_type": "international force"}),
    ("ACTOR", "General Francisco Soriano", {"actor_type": "person"}),
    ("ACTOR", "Anti-Balaka Christian militias", {"actor_type": "militia"}),
    ("QUOTE", '"enemies of the peace"', {}),
]


def tagged_article(url: str) -> None:
    schema = load_default_schema()
    text = corpus.normalise_newlines(ARTICLE.read_text(encoding="utf-8"))
    with session_scope(get_engine(url)) as session:
        doc, _ = corpus.add_document(session, text=text, source=ARTICLE.name)
        corpus.add_document(session, text="A second, untouched document.\n", title="Second document")
        who = corpus.get_or_create_annotator(session, "ana")
        row = corpus.register_schema(session, schema)
        made = {}
        for label, snippet, attrs in TAGS:
            start = text.index(snippet, text.index("3500") - 60 if label == "ACTOR" and snippet == "Muslims" else 0)
            span = span_ops.add_span(
                session,
                document=doc,
                annotator_id=who.id,
                schema_id=row.id,
                schema=schema,
                label=label,
                start=start,
                end=start + len(snippet),
                attrs=attrs,
            )
            made[snippet] = span.id
        span_ops.set_links(
            session, made['"enemies of the peace"'], "speaker", [made["General Francisco Soriano"]], schema=schema
        )


async def _to_span(pilot, snippet: str) -> None:
    await settle(pilot)
    screen = pilot.app.annotate_screen
    for _ in range(len(TAGS) + 1):
        span = screen.spans.get(screen.selected_id) if screen.selected_id else None
        if span is not None and screen.doc.text[span.start : span.end] == snippet:
            break
        await pilot.press("tab")
        await settle(pilot)


def test_main_screen_80x24(sqlite_url, snap_compare):
    tagged_article(sqlite_url)

    async def before(pilot):
        await _to_span(pilot, "Marabou Husein Aba Ali")

    assert snap_compare(app_for(sqlite_url), terminal_size=(80, 24), run_before=before)


def test_main_screen_160x48(sqlite_url, snap_compare):
    tagged_article(sqlite_url)

    async def before(pilot):
        await _to_span(pilot, "Muslims")

    assert snap_compare(app_for(sqlite_url), terminal_size=(160, 48), run_before=before)


def test_attribute_form(sqlite_url, snap_compare):
    tagged_article(sqlite_url)

    async def before(pilot):
        await _to_span(pilot, "3500 other Muslims")
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(app_for(sqlite_url), terminal_size=(100, 40), run_before=before)


def _casualty_form_snapshot(url, snap_compare, size) -> bool:
    """The CASUALTY form: every field visible (issue 15: category scrolled out, victims only on tab)."""
    tagged_article(url)

    async def before(pilot):
        await _to_span(pilot, "3500 other Muslims")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("tab")  # count_min: its description shows under the fields
        await settle(pilot)

    return bool(snap_compare(app_for(url), terminal_size=size, run_before=before))


def test_casualty_form_80x24(sqlite_url, snap_compare):
    assert _casualty_form_snapshot(sqlite_url, snap_compare, (80, 24))


def test_casualty_form_120x40(sqlite_url, snap_compare):
    assert _casualty_form_snapshot(sqlite_url, snap_compare, (120, 40))


def test_speaker_picker(sqlite_url, snap_compare):
    tagged_article(sqlite_url)

    async def before(pilot):
        await _to_span(pilot, '"enemies of the peace"')
        await pilot.press("s")
        await pilot.pause()

    assert snap_compare(app_for(sqlite_url), terminal_size=(100, 30), run_before=before)
