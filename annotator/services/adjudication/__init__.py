"""Adjudication: settle one gold version of a document from several annotators' spans.

Plain functions over a ``Session`` (no UI). The spans every chosen annotator made on a
document are aligned into **groups**:

- a span that every annotator taking part has with the same label, start and end is a group
  of its own; it is *agreed* when their attributes and links (e.g. a QUOTE's speaker, by the
  linked span's position) are the same too, otherwise it is a disagreement ("attributes
  differ", "speakers differ");
- every other span joins a disagreement group with the spans it overlaps that have the same
  label, or that cover mostly the same text (Jaccard >= 0.5, e.g. "Amnesty" tagged ACTOR by
  one and LOCATION by another). Nested spans of other labels (an ACTOR inside a QUOTE) stay
  in their own groups.

Each annotator's *version* of a group is their spans in it (possibly none). The gold
annotator (default ``gold``) holds the adjudicated spans, made with ``origin="adjudication"``:
``accept`` makes gold equal one annotator's version inside a group (copying label, offsets,
attributes, and link attributes mapped onto the gold copies of the linked spans when gold
has them), ``reject`` leaves the group empty on purpose, ``accept_all_agreed`` copies every
agreed group at once, and ``add``/``edit``/``delete`` change gold spans directly. A group is
*open* until gold has spans in it or it was rejected.

Every step is one transaction and writes ``decision`` rows (who decided, what, from whose
version, when). A step returns a ``Step`` holding the span changes made, so ``undo`` and
``redo`` can replay it backwards and forwards (they are recorded as decisions too); the review
screen runs them as commands (``services.commands.review``).

Modules: ``context`` (who adjudicates: ``start``), ``align`` (groups), ``reading`` (a document
for review, the review list), ``steps`` (a ``Step``, its decisions, undo and redo) and
``decide`` (the steps themselves).
"""

from __future__ import annotations

from annotator.services.adjudication.align import Group, ReviewDoc, align
from annotator.services.adjudication.context import JACCARD_SAME_TEXT, ORIGIN, Adjudicator, SpanChange, start
from annotator.services.adjudication.decide import (
    accept,
    accept_all_agreed,
    add,
    delete,
    edit,
    reject,
    set_adjudicated,
)
from annotator.services.adjudication.reading import (
    DocRow,
    Overview,
    decisions_for,
    load_document,
    overview,
    taking_part,
)
from annotator.services.adjudication.steps import Step, redo, undo
from annotator.services.adjudication_guard import (
    check_fresh,
    check_span_fresh,
    gold_state,
    lock_document,
    lock_span_document,
)

__all__ = [
    "JACCARD_SAME_TEXT",
    "ORIGIN",
    "Adjudicator",
    "DocRow",
    "Overview",
    "Group",
    "ReviewDoc",
    "SpanChange",
    "Step",
    "accept",
    "accept_all_agreed",
    "add",
    "align",
    "check_fresh",
    "check_span_fresh",
    "decisions_for",
    "delete",
    "edit",
    "gold_state",
    "load_document",
    "lock_document",
    "lock_span_document",
    "overview",
    "redo",
    "reject",
    "set_adjudicated",
    "start",
    "taking_part",
    "undo",
]
