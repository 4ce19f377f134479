"""The one undo history both apps use (services.commands.history), against a list model,
and the pure helpers the two screens share (tui/editing.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.services.commands.history import Direction, History
from annotator.services.records import SpanData
from annotator.tui import editing


@given(st.lists(st.sampled_from(list(Direction)), max_size=40))
def test_history_moves_commands_between_the_stacks_like_an_editor(directions):
    history: History[int] = History()
    done: list[int] = []  # the model: what is applied, in order
    undone: list[int] = []
    made = 0
    for direction in directions:
        command = history.next_for(direction) if direction is not Direction.DO else made
        if command is None:  # nothing to undo / redo: the screens say so and run nothing
            assert not (history.can_undo if direction is Direction.UNDO else history.can_redo)
            continue
        if direction is Direction.DO:
            made += 1
            done.append(command)
            undone.clear()
        elif direction is Direction.UNDO:
            assert command == done.pop()
            undone.append(command)
        else:
            assert command == undone.pop()
            done.append(command)
        history.record(command, direction)
        assert history.undo_stack == done and history.redo_stack == undone
        assert history.can_undo == bool(done) and history.can_redo == bool(undone)


def test_direction_says_which_way_and_what():
    assert [d.backwards for d in Direction] == [False, True, False]
    assert Direction.DO.describe("tag ACTOR") == "tag ACTOR"
    assert Direction.UNDO.describe("tag ACTOR") == "undo tag ACTOR"
    assert Direction.REDO.describe("tag ACTOR") == "redo tag ACTOR"


def _span(span_id: int, label: str, start: int, end: int) -> SpanData:
    return SpanData(id=span_id, document_id=1, annotator_id=1, schema_id=1, label=label, start=start, end=end)


def test_speaker_candidates_are_nearest_first_and_of_the_link_target():
    quote = _span(1, "QUOTE", 40, 60)
    near, far, inside, other = (
        _span(2, "ACTOR", 62, 66),
        _span(3, "ACTOR", 0, 5),
        _span(4, "ACTOR", 45, 50),
        _span(5, "LOCATION", 61, 62),
    )
    assert editing.speaker_candidates(quote, [far, other, near, inside], "ACTOR") == [inside, near, far]
    assert editing.distance(quote, near) == (2, 62) and editing.distance(quote, far) == (35, 0)


def test_step_in_steps_without_wrapping():
    # (the annotate queue's neighbour is a query now: tests/test_queue_service.py)
    assert editing.step_in([5, 7, 9], 7, 1) == 9 and editing.step_in([5, 7, 9], 8, 1) is None
