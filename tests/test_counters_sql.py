"""Exact, load-independent counters behind the benchmarks: SQL statements per action.

Timings vary with the machine's load; the number of statements an action sends does not.
Each action is counted on a small document and on a document with many spans already
stored: the count must be the same (no statement per existing span, no N+1), and equal to
the number written here, so an extra round trip fails CI even on a noisy machine.
Transaction control (BEGIN, SAVEPOINT, RELEASE) is not counted: it differs by backend.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from annotator.services.annotations import spans_for
from annotator.services.corpus import add_document, get_or_create_annotator, register_schema
from annotator.services.spans import add_span, delete_span
from annotator.store.engine import session_scope
from annotator.store.models import Span

_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "PRAGMA")


@contextmanager
def count_statements(engine: sa.Engine) -> Iterator[list[str]]:
    """Collect every SQL statement the engine sends (``before_cursor_execute``)."""
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(_CONTROL):
            seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)


def _words(text: str) -> list[tuple[int, int]]:
    import re

    return [m.span() for m in re.finditer(r"\w+", text)]


@pytest.fixture
def corpus(engine, schema):
    """A small document with 1 span and a big one with 2,000 spans, one annotator."""
    small_text = "Militia fighters attacked Boda on Tuesday, residents said.\n"
    big_text = " ".join(f"word{i}" for i in range(5000)) + "\n"
    with session_scope(engine) as s:
        schema_id = register_schema(s, schema).id
        annotator_id = get_or_create_annotator(s, "counter").id
        small, _ = add_document(s, text=small_text, title="small")
        big, _ = add_document(s, text=big_text, title="big")
        add_span(
            s,
            document=small,
            annotator_id=annotator_id,
            schema_id=schema_id,
            schema=schema,
            label="ACTOR",
            start=0,
            end=7,
        )
        s.add_all(
            Span(
                document_id=big.id,
                annotator_id=annotator_id,
                schema_id=schema_id,
                label="ACTOR" if k % 2 else "LOCATION",
                start=st,
                end=en,
            )
            for k, (st, en) in enumerate(_words(big_text)[:4000:2])
        )
    return {"small": small, "big": big, "annotator_id": annotator_id, "schema_id": schema_id}


def _tag(engine, schema, corpus, which: str, start: int, end: int) -> tuple[list[str], int]:
    doc = corpus[which]
    with count_statements(engine) as seen:
        with session_scope(engine) as s:
            span = add_span(
                s,
                document=doc,
                annotator_id=corpus["annotator_id"],
                schema_id=corpus["schema_id"],
                schema=schema,
                label="CASUALTY",
                start=start,
                end=end,
            )
            sid = span.id
    return list(seen), sid


def test_statements_per_tag_are_two_at_any_document_size(engine, schema, corpus):
    small_words = _words(corpus["small"].text)
    big_words = _words(corpus["big"].text)
    small, _ = _tag(engine, schema, corpus, "small", *small_words[3])
    big, _ = _tag(engine, schema, corpus, "big", *big_words[4001])
    # one INSERT ... ON CONFLICT DO NOTHING RETURNING: the unique index says whether it is already there
    assert len(small) == len(big) == 1, (small, big)
    assert small[0].lstrip().upper().startswith("INSERT") and "ON CONFLICT" in small[0].upper()


def test_statements_per_undo_of_a_tag_do_not_depend_on_document_size(engine, schema, corpus):
    counts = []
    for which, word in (("small", 4), ("big", 4003)):
        _seen, sid = _tag(engine, schema, corpus, which, *_words(corpus[which].text)[word])
        with count_statements(engine) as seen:
            with session_scope(engine) as s:
                delete_span(s, sid)
        counts.append(len(seen))
    # lock the span, read its links, read links into it, delete links, delete the span
    assert counts == [5, 5], counts


def test_opening_a_document_reads_its_spans_in_two_statements(engine, schema, corpus):
    counts = []
    for which in ("small", "big"):
        with count_statements(engine) as seen:
            with session_scope(engine) as s:
                spans = spans_for(s, corpus[which].id, corpus["annotator_id"])
        counts.append((len(seen), len(spans)))
    # the spans, then all their links in one query (not one per span)
    assert counts == [(2, 1), (2, 2000)], counts


def test_the_apps_tag_and_undo_send_the_same_statements_at_any_document_size(engine, schema, corpus):
    """The path a key takes in the app (``Controller.run``): tag with a label key, then undo."""
    from annotator.services import session_ops as ops
    from annotator.tui.controller import Controller

    with session_scope(engine) as s:
        info = ops.start_session(s, "counter", schema)
    controller = Controller(engine, schema, info)
    counts = []
    for which, word, keyed in (("small", 5, False), ("big", 4005, False), ("small", 6, True), ("big", 4006, True)):
        start, end = _words(corpus[which].text)[word]
        command = controller.add_spans(corpus[which].id, "CASUALTY", [(start, end)], "tag CASUALTY")
        with count_statements(engine) as tag:
            controller.run(command, key=f"tag-{which}" if keyed else None)
        with count_statements(engine) as undo:
            controller.run(command, backwards=True, key=f"undo-{which}" if keyed else None)
        counts.append((len(tag), len(undo)))
    assert counts[0] == counts[1] and counts[2] == counts[3], counts
    # tag: the document, INSERT ... ON CONFLICT (the span), its links;
    # undo: the document, whose spans, the span, links from it, links into it, 2 DELETEs
    assert counts[0] == (3, 7), counts
    assert counts[2] == (4, 8), counts  # with the app's write key: one INSERT more each, no lookup


async def test_next_document_sends_the_same_statements_at_50_and_500_documents(tmp_path):
    """``]`` in the app (headless): the neighbour is one keyset query, the queue's window is
    reused, so the statements do not grow with the corpus."""
    from support.corpus import add_docs
    from support.driver import annotating

    from annotator.store.engine import get_engine

    counts = []
    for n in (50, 500):
        url = f"sqlite:///{tmp_path / f'q{n}.db'}"
        add_docs(url, *(f"Document number {i} about Bangui.\n" for i in range(n)))
        async with annotating(url, size=(160, 40)) as session:
            await session.next_document()  # warm: the first move reads the queue's window
            with count_statements(get_engine(url)) as seen:
                await session.next_document()
            assert session.document_in_db() == 3
            counts.append(len(seen))
    # the neighbour (one keyset query), then the open: the time on the one left (its status
    # row read and written), the document, the annotator (read, write), the status, the spans
    # and their links; the queue's window is the one already read
    assert counts == [9, 9], counts
