"""The queue read a window at a time (services.queue): the neighbour, the place and the rows
of a document in the filtered queue agree with the whole queue read at once
(``session_ops.queue``), on SQLite and PostgreSQL, with and without assignments."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.corpus import add_docs

from annotator.services import annotations as ann
from annotator.services import corpus, queue
from annotator.services import session_ops as ops
from annotator.services.assign import assign
from annotator.store.engine import get_engine, session_scope
from annotator.store.models import Status

STATUSES = ("todo", "in_progress", "done", "skipped")


def _world(url: str, statuses: list[str], assigned: list[int] | None = None) -> tuple[list[int], int]:
    ids = add_docs(url, *(f"Document {i} about Bangui.\n" for i in range(len(statuses))))
    engine = get_engine(url)
    with session_scope(engine) as s:
        who = corpus.get_or_create_annotator(s, "ana").id
        other = corpus.get_or_create_annotator(s, "ben").id
        for doc_id, status in zip(ids, statuses):
            if status != "none":  # "none": no status row at all (counts as todo)
                ann.set_status(s, document_id=doc_id, annotator_id=who, status=Status(status))
            ann.set_status(s, document_id=doc_id, annotator_id=other, status=Status.DONE)  # never seen by ana
    if assigned is not None:
        assign(engine, ["ana"], per_document=1, documents=",".join(str(ids[i]) for i in assigned))
    return ids, who


def _expected(rows, filter_name: str) -> list[int]:
    keep = {"all": STATUSES, "unfinished": ("todo", "in_progress")}.get(filter_name, (filter_name,))
    return [r.document_id for r in rows if r.status in keep]


def test_neighbour_place_and_window_follow_filters_and_assignments(db_url):
    statuses = ["done", "none", "skipped", "in_progress", "todo", "done", "none"]
    ids, who = _world(db_url, statuses, assigned=[0, 1, 3, 4, 6])
    with session_scope(get_engine(db_url)) as s:
        whole = ops.queue(s, who)
        assert [r.document_id for r in whole] == [ids[i] for i in (0, 1, 3, 4, 6)]  # assigned only
        for filter_name in (*queue.FILTERS, "unfinished"):
            kept = _expected(whole, filter_name)
            for doc_id in ids:
                after = queue.neighbour(s, annotator_id=who, document_id=doc_id, step=1, filter_name=filter_name)
                before = queue.neighbour(s, annotator_id=who, document_id=doc_id, step=-1, filter_name=filter_name)
                assert after == next((k for k in kept if k > doc_id), None)
                assert before == next((k for k in reversed(kept) if k < doc_id), None)
                window = queue.window(s, annotator_id=who, filter_name=filter_name, document_id=doc_id, size=3)
                assert window.total == len(kept) and window.documents == len(whole)
                assert window.index == (kept.index(doc_id) if doc_id in kept else None)
                in_whole = [r.document_id for r in whole]
                assert window.position == (in_whole.index(doc_id) if doc_id in in_whole else None)
                assert [r.document_id for r in window.rows] == kept[window.first : window.first + 3]
                shown = {r.document_id for r in window.rows}
                assert window.rows == [r for r in whole if r.document_id in shown]  # same titles, statuses, counts


def test_next_unfinished_wraps_around_and_never_returns_the_document_itself(db_url):
    ids, who = _world(db_url, ["done", "todo", "skipped", "in_progress", "done"])
    with session_scope(get_engine(db_url)) as s:

        def unfinished(doc_id: int) -> int | None:
            return queue.neighbour(s, annotator_id=who, document_id=doc_id, step=1, filter_name="unfinished", wrap=True)

        assert unfinished(ids[3]) == ids[1]  # past the end: from the start, past done and skipped
        assert unfinished(ids[1]) == ids[3]
        assert unfinished(ids[4]) == ids[1]  # from a done document too
        ann.set_status(s, document_id=ids[3], annotator_id=who, status=Status.DONE)
        assert unfinished(ids[1]) is None  # only itself left
        assert queue.neighbour(s, annotator_id=who, document_id=ids[4], step=1) is None  # no wrap: the last
        assert queue.first_document(s, annotator_id=who) == ids[0]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    statuses=st.lists(st.sampled_from(["none", *STATUSES]), min_size=1, max_size=12),
    filter_name=st.sampled_from([*queue.FILTERS, "unfinished"]),
    size=st.integers(1, 5),
    data=st.data(),
)
def test_window_and_pages_are_the_whole_queue_cut_in_pieces(tmp_path_factory, statuses, filter_name, size, data):
    url = f"sqlite:///{tmp_path_factory.mktemp('q') / 'annotator.db'}"  # a fresh database per example
    ids, who = _world(url, statuses)
    with session_scope(get_engine(url)) as s:
        kept = _expected(ops.queue(s, who), filter_name)
        first = data.draw(st.integers(0, len(statuses)))
        rows = queue.page(s, annotator_id=who, filter_name=filter_name, first=first, size=size)
        assert [r.document_id for r in rows] == kept[first : first + size]
        doc_id = data.draw(st.sampled_from(ids))
        window = queue.window(s, annotator_id=who, filter_name=filter_name, document_id=doc_id, size=size)
        assert [r.document_id for r in window.rows] == kept[window.first : window.first + size]
        if doc_id in kept:
            assert window.first <= kept.index(doc_id) < window.first + size  # the document is in its window
        moved = window.holding(doc_id)
        assert moved is None or (filter_name == "all" and moved.index == kept.index(doc_id))


def test_walking_past_the_windows_edge_reads_rows_by_key_and_keeps_the_place(db_url, monkeypatch):
    """``]``/``[`` one by one through the whole queue with windows of 3 rows: each step's
    window (read by keyset past an edge, without counting) places the document as a fresh
    read does, and holds the same rows."""
    ids, who = _world(db_url, ["todo", "done", "none", "skipped", "in_progress", "todo", "none", "done"])
    engine = get_engine(db_url)
    with session_scope(engine) as s:
        truth = ops.queue(s, who)
        known = queue.window(s, annotator_id=who, filter_name="all", document_id=ids[0], size=3)
        here, keyset_reads = ids[0], 0

        def counting(*args, **kwargs):
            raise AssertionError("a step past the edge counted the queue again")

        monkeypatch.setattr(queue, "window", counting)
        for step in [1] * (len(ids) - 1) + [-1] * (len(ids) - 1):
            target = queue.neighbour(s, annotator_id=who, document_id=here, step=step)
            assert target is not None
            moved = queue.moved(
                s, annotator_id=who, filter_name="all", document_id=target, known=known, step_from=here, size=3
            )
            at = ids.index(target)
            assert (moved.index, moved.position, moved.total, moved.documents) == (at, at, len(ids), len(ids))
            assert moved.rows == truth[moved.first : moved.first + len(moved.rows)]
            keyset_reads += moved.rows is not known.rows
            known, here = moved, target
        assert here == ids[0] and keyset_reads >= 4  # edges crossed both ways
