"""The app retrains the suggestion model in the background after every N documents marked
done, and the next document is suggested with the new model (issue 12, section 3)."""

from __future__ import annotations

import sqlmodel
from tui_helpers import add_docs, app_for, settle, status_of

from annotator.schemas.labels import load_default_schema
from annotator.services import annotations as ann
from annotator.services import corpus
from annotator.services import spans as span_ops
from annotator.services.suggestions.background import Suggester
from annotator.store.engine import get_engine, session_scope
from annotator.store.models import Status, SuggestionRecord

SIZE = (160, 40)
TRAINING = [
    "Trucks from Vantrix Holdings reached the camp on Monday.\n",
    "Vantrix Holdings said the road to the camp was closed.\n",
]
LATER = ["Rain fell on the camp all week.\n", "A convoy of Vantrix Holdings left the camp at dawn.\n"]


def seed_done_by_another(url: str, document_ids: list[int]) -> None:
    """bea tagged Vantrix Holdings as ACTOR in the training documents and marked them done."""
    schema = load_default_schema()
    with session_scope(get_engine(url)) as session:
        bea = corpus.get_or_create_annotator(session, "bea")
        schema_id = corpus.register_schema(session, schema).id
        for doc_id in document_ids:
            document = corpus.get_document(session, doc_id)
            start = document.text.index("Vantrix Holdings")
            span_ops.add_span(
                session,
                document=document,
                annotator_id=bea.id,
                schema_id=schema_id,
                schema=schema,
                label="ACTOR",
                start=start,
                end=start + len("Vantrix Holdings"),
            )
            ann.set_status(session, document_id=doc_id, annotator_id=bea.id, status=Status.DONE)


def model_suggestions(url: str, document_id: int) -> list[tuple[str, str, str]]:
    with session_scope(get_engine(url)) as session:
        document = corpus.get_document(session, document_id)
        rows = session.exec(sqlmodel.select(SuggestionRecord).where(SuggestionRecord.document_id == document_id)).all()
        return [(r.label, document.text[r.start : r.end], r.source) for r in rows if r.source.startswith("model:")]


async def test_retrains_after_every_n_done_and_the_next_document_uses_the_model(db_url, tmp_path, monkeypatch):
    models = tmp_path / "models"
    monkeypatch.setenv("ANNOTATOR_MODELS", str(models))
    ids = add_docs(db_url, *TRAINING, *LATER)
    seed_done_by_another(db_url, ids[:2])
    app = app_for(
        db_url,
        suggestions=True,
        retrain_every=2,
        make_suggester=lambda: Suggester(load_default_schema(), process=False),
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.annotate_screen
        assert screen.doc.id == ids[0]
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert status_of(db_url, ids[0])[0] == "done"
        assert not models.exists() and screen.retrainer.retrained == 0  # one done: not yet
        await pilot.press("ctrl+d")
        await settle(pilot)  # waits for the training worker too
        assert status_of(db_url, ids[1])[0] == "done"
        assert screen.retrainer.retrained == 1 and not screen.retrainer.running
        (stored,) = [p for p in models.iterdir() if (p / "model.crfsuite").is_file()]
        assert screen.retrainer.last_result["path"] == str(stored)
        assert screen.retrainer.last_result["annotators"] == ["ana", "bea"]
        assert screen.doc.id == ids[2]
        await pilot.press("right_square_bracket")  # the next document: suggested with the new model
        await settle(pilot)
        assert screen.doc.id == ids[3]
        assert model_suggestions(db_url, ids[3]) == [("ACTOR", "Vantrix Holdings", f"model:{stored.name}")]
        offered = {(s.label, screen.doc.text[s.start : s.end]) for s in screen.suggestions.values()}
        assert ("ACTOR", "Vantrix Holdings") in offered
        await pilot.press("ctrl+d", "ctrl+d")  # two more done (one of them a document already done)
        await settle(pilot)
        assert screen.retrainer.retrained == 2


async def test_retraining_off_and_too_little_to_learn_from_never_stop_annotating(sqlite_url, tmp_path, monkeypatch):
    models = tmp_path / "models"
    monkeypatch.setenv("ANNOTATOR_MODELS", str(models))
    ids = add_docs(sqlite_url, *TRAINING, *LATER)
    app = app_for(
        sqlite_url,
        suggestions=True,
        retrain_every=1,
        make_suggester=lambda: Suggester(load_default_schema(), process=False),
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.annotate_screen
        await pilot.press("ctrl+d")  # nothing tagged anywhere: training refuses, the app says so and goes on
        await settle(pilot)
        assert screen.retrainer.retrained == 0 and not screen.retrainer.running and not models.exists()
        assert status_of(sqlite_url, ids[0])[0] == "done" and screen.doc.id == ids[1]
    app = app_for(
        sqlite_url,
        suggestions=True,
        retrain_every=0,
        make_suggester=lambda: Suggester(load_default_schema(), process=False),
    )
    seed_done_by_another(sqlite_url, ids[:2])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+d", "ctrl+d")
        await settle(pilot)
        assert app.annotate_screen.retrainer.retrained == 0 and not models.exists()
