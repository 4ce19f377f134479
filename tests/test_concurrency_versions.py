"""The same annotator in two terminals: optimistic version checks on spans and statuses.

No lost updates: a write based on a stale read raises ``VersionConflict`` carrying the fresh
state, and two sessions hammering the same span / status with read-modify-write loops end
with every increment counted exactly once.
"""

from __future__ import annotations

import threading

import pytest
from sqlmodel import Session

from annotator.services import annotations as ann
from annotator.services import corpus
from annotator.services import spans as span_ops
from annotator.store.engine import get_engine, session_scope
from annotator.store.models import Status

TEXT = "Seleka rebels left Bangui on Tuesday, a UN spokesman said."


@pytest.fixture
def one_span(db_url, schema):
    engine = get_engine(db_url)
    with session_scope(engine) as s:
        doc, _ = corpus.add_document(s, text=TEXT)
        who = corpus.get_or_create_annotator(s, "ana")
        row = corpus.register_schema(s, schema)
        span = span_ops.add_span(
            s, document=doc, annotator_id=who.id, schema_id=row.id, schema=schema, label="ACTOR", start=0, end=13
        )
        ann.set_status(s, document_id=doc.id, annotator_id=who.id, status=Status.IN_PROGRESS)
        return engine, doc.id, who.id, span.id


def test_stale_span_edit_is_refused_with_the_fresh_state(one_span, schema):
    engine, doc_id, who, span_id = one_span
    with Session(engine) as terminal_a:
        seen = span_ops.snapshot_span(terminal_a, span_id)  # terminal A shows version 1
    assert seen.version == 1
    with session_scope(engine) as terminal_b:
        span_ops.update_span(
            terminal_b, span_id, schema=schema, expected_version=seen.version, label="LOCATION", start=19, end=25
        )
    with Session(engine) as terminal_a:
        with pytest.raises(ann.VersionConflict) as conflict:
            span_ops.update_span(
                terminal_a, span_id, schema=schema, expected_version=seen.version, attrs={"actor_type": "militia"}
            )
        terminal_a.rollback()
        fresh = conflict.value.current
        assert (fresh.label, fresh.start, fresh.end, fresh.version) == ("LOCATION", 19, 25, 2)
        with pytest.raises(ann.VersionConflict):
            span_ops.delete_span(terminal_a, span_id, expected_version=seen.version)
        terminal_a.rollback()
    with Session(engine) as s:  # B's change stands, A's did not land
        kept = span_ops.snapshot_span(s, span_id)
        assert (kept.label, kept.attrs, kept.version) == ("LOCATION", {}, 2)
    # a span deleted under terminal A's feet is a conflict too, not a resurrection
    with session_scope(engine) as terminal_b:
        span_ops.delete_span(terminal_b, span_id, expected_version=2)
    with Session(engine) as terminal_a:
        with pytest.raises(ann.VersionConflict, match="deleted") as conflict:
            span_ops.update_span(terminal_a, span_id, schema=schema, expected_version=2, label="ACTOR")
        assert conflict.value.current is None
        assert ann.spans_for(terminal_a, doc_id, who) == []


def test_stale_status_change_is_refused(one_span):
    engine, doc_id, who, _ = one_span
    with Session(engine) as terminal_a:
        seen = ann.get_status(terminal_a, doc_id, who)
        seen_version = seen.version
    with session_scope(engine) as terminal_b:
        ann.set_status(
            terminal_b,
            document_id=doc_id,
            annotator_id=who,
            status=Status.SKIPPED,
            note="duplicate",
            expected_version=seen_version,
        )
    with Session(engine) as terminal_a:
        with pytest.raises(ann.VersionConflict) as conflict:
            ann.set_status(
                terminal_a, document_id=doc_id, annotator_id=who, status=Status.DONE, expected_version=seen_version
            )
        terminal_a.rollback()
        assert conflict.value.current == Status.SKIPPED
        row = ann.get_status(terminal_a, doc_id, who)
        assert (row.status, row.note, row.version) == (Status.SKIPPED, "duplicate", seen_version + 1)


ROUNDS = 40


def _hammer(engine, work, errors):
    try:
        for _ in range(ROUNDS):
            while True:
                try:
                    work()
                    break
                except ann.VersionConflict:
                    continue  # somebody else won this round: re-read and try again
    except BaseException as exc:  # pragma: no cover - reported by the test
        errors.append(exc)


def _race(engine, work):
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_hammer, args=(engine, work, errors)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors


def test_two_sessions_racing_on_one_span_lose_no_update(one_span, schema):
    engine, _, _, span_id = one_span

    def increment():
        with Session(engine) as s:  # read (one transaction) ...
            seen = span_ops.snapshot_span(s, span_id)
        count = int(seen.attrs.get("canonical", "0"))
        with session_scope(engine) as s:  # ... write later (another), as a terminal would
            span_ops.update_span(
                s, span_id, schema=schema, expected_version=seen.version, attrs={"canonical": str(count + 1)}
            )

    _race(engine, increment)
    with Session(engine) as s:
        final = span_ops.snapshot_span(s, span_id)
    assert final.attrs == {"canonical": str(2 * ROUNDS)} and final.version == 2 * ROUNDS + 1


def test_two_sessions_racing_on_one_status_lose_no_update(one_span):
    engine, doc_id, who, _ = one_span
    with Session(engine) as s:
        start = ann.get_status(s, doc_id, who).version

    def add_a_second():
        with Session(engine) as s:
            seen = ann.get_status(s, doc_id, who).version
        with session_scope(engine) as s:
            ann.set_status(s, document_id=doc_id, annotator_id=who, add_seconds=1.0, expected_version=seen)

    _race(engine, add_a_second)
    with Session(engine) as s:
        row = ann.get_status(s, doc_id, who)
    assert (row.seconds_spent, row.version) == (2.0 * ROUNDS, start + 2 * ROUNDS)
