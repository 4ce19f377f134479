"""Helpers for the review app tests: a small two-annotator document, waiting for the
database steps, reading gold and the decisions back from the database."""

from __future__ import annotations

from annotator.schemas.labels import load_default_schema
from annotator.services import adjudication as adjn
from annotator.services import annotations as ann
from annotator.services import corpus
from annotator.store.engine import get_engine, session_scope
from annotator.store.models import Status
from annotator.tui.review_app import make_review_app

TEXT = 'Seleka rebels attacked Bangui. "We will fight," said Joanne Mariner of Amnesty International.'


def at(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def put(session, schema, doc, name, items, status="done") -> None:
    """items: (label, needle, attrs[, speaker needle]); QUOTE speakers are linked."""
    who = corpus.get_or_create_annotator(session, name)
    row = corpus.register_schema(session, schema)
    made = {}
    for item in items:
        label, needle, attrs = item[:3]
        start, end = at(doc.text, needle)
        made[(label, needle)] = ann.add_span(
            session,
            document=doc,
            annotator_id=who.id,
            schema_id=row.id,
            schema=schema,
            label=label,
            start=start,
            end=end,
            attrs=attrs,
        )
    for item in items:
        if len(item) > 3:
            ann.set_links(session, made[(item[0], item[1])].id, "speaker", [made[("ACTOR", item[3])].id], schema=schema)
    ann.set_status(session, document_id=doc.id, annotator_id=who.id, status=Status(status))


def seed(url: str) -> int:
    schema = load_default_schema()
    with session_scope(get_engine(url)) as s:
        doc, _ = corpus.add_document(s, text=TEXT, title="Bangui")
        put(
            s,
            schema,
            doc,
            "alice",
            [
                ("ACTOR", "Seleka rebels", {"actor_type": "armed group"}),
                ("LOCATION", "Bangui", {"place_type": "city/town"}),
                ("ACTOR", "Joanne Mariner", {"actor_type": "person"}),
                ("QUOTE", '"We will fight,"', {}, "Joanne Mariner"),
                ("ACTOR", "Amnesty International", {"actor_type": "NGO"}),
            ],
        )
        put(
            s,
            schema,
            doc,
            "bob",
            [
                ("ACTOR", "Seleka rebels", {"actor_type": "militia"}),
                ("LOCATION", "Bangui", {"place_type": "city/town"}),
                ("ACTOR", "Mariner", {"actor_type": "person"}),
                ("QUOTE", '"We will fight,"', {}, "Mariner"),
                ("LOCATION", "Amnesty International", {}),
            ],
        )
        return doc.id


def review_app(url: str, annotators=(), gold="gold", lead="lena"):
    return make_review_app(url, list(annotators), gold, load_default_schema(), lead)


async def settle(pilot, patience: float = 60.0) -> None:
    """Wait until every database step has been answered and shown.

    It waits on the app's state; ``patience`` only bounds how long a loaded machine may take.
    """
    import time

    from annotator.tui.screens.review import DocReviewScreen, ReviewListScreen

    app = pilot.app
    deadline = time.monotonic() + patience
    rounds = 0
    while time.monotonic() < deadline:
        rounds += 1
        await pilot.pause(None if rounds < 50 else 0.01)
        await app.workers.wait_for_complete()
        if app.jobs.idle and isinstance(app.screen, (DocReviewScreen, ReviewListScreen)):
            await pilot.pause()
            return
    raise AssertionError("the review app never settled")


async def press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def gold(url: str, name: str = "gold") -> list[tuple]:
    """(label, text, attrs, speakers' texts) of the gold spans, in text order."""
    with session_scope(get_engine(url)) as s:
        who = corpus.find_annotator(s, name)
        if who is None:
            return []
        out = []
        for doc in s.exec(__import__("sqlmodel").select(corpus.Document).order_by(corpus.Document.id)):
            spans = ann.spans_for(s, doc.id, who.id)
            by_id = {x.id: x for x in spans}
            for x in spans:
                speakers = [doc.text[by_id[c].start : by_id[c].end] for c in x.links.get("speaker", ())]
                out.append((x.label, doc.text[x.start : x.end], dict(x.attrs), speakers, x.origin))
        return out


def decisions(url: str, name: str = "gold") -> list[tuple[str, str, str]]:
    """(action, source, decided_by) of every decision, oldest first."""
    from sqlmodel import select

    from annotator.store.models import Decision

    with session_scope(get_engine(url)) as s:
        who = corpus.find_annotator(s, name)
        rows = s.exec(select(Decision).where(Decision.annotator_id == who.id).order_by(Decision.id))
        return [(d.action, d.source, d.decided_by) for d in rows]


def gold_status(url: str, document_id: int, name: str = "gold") -> str | None:
    with session_scope(get_engine(url)) as s:
        who = corpus.find_annotator(s, name)
        row = ann.get_status(s, document_id, who.id)
        return None if row is None else str(getattr(row.status, "value", row.status))


__all__ = ["TEXT", "adjn", "at", "decisions", "gold", "gold_status", "press", "review_app", "seed", "settle"]
