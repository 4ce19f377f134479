"""Who adjudicates: the lead, the gold annotator and the compared annotators (``start``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from annotator.errors import UserError
from annotator.schemas.labels import LabelSchema
from annotator.services import corpus
from annotator.services import session_ops as ops

ORIGIN = "adjudication"
JACCARD_SAME_TEXT = 0.5
SpanChange = ops.SpanChange


# ---------------------------------------------------------------------------- context


@dataclass(frozen=True)
class Adjudicator:
    """Who adjudicates, into which gold annotator, comparing whom, under which schema."""

    lead: str
    gold_id: int
    gold_name: str
    schema: LabelSchema
    schema_id: int
    annotators: tuple[str, ...]  # the compared annotators, in the order of their keys (1, 2, ...)
    annotator_ids: tuple[int, ...]


def start(
    session: Session, *, lead: str, schema: LabelSchema, annotators: Sequence[str] = (), gold_name: str = corpus.GOLD
) -> Adjudicator:
    """Check the names and create the gold annotator and schema rows when new."""
    from annotator.services.agreement.load import choose_annotators

    gold_name = gold_name.strip()
    lead = lead.strip()
    if not gold_name:
        raise UserError("the gold annotator's name is empty", field="gold_name")
    if not lead:
        raise UserError("the lead's name is empty (set --lead or $ANNOTATOR_USER)")
    if any(corpus.same_name(gold_name, name) for name in annotators):
        raise UserError(f"{gold_name!r} is the gold version being made; compare other annotators", field="annotators")
    lead = _signed_lead(session, lead, gold_name)
    if annotators:
        chosen = choose_annotators(session, annotators)
    else:
        everyone = choose_annotators(session, ())  # everyone with work but 'gold'
        chosen = [a for a in everyone if not corpus.same_name(a.name, gold_name)]
        if len(chosen) < 2:
            raise UserError(f"review needs at least two annotators besides {gold_name!r}; name them with --as A,B")
    if len(chosen) > 9:
        raise UserError(
            f"review compares at most 9 annotators at once (keys 1-9); got {len(chosen)}: name them with --as"
        )
    gold = corpus.get_or_create_annotator(session, gold_name)
    schema_row = corpus.register_schema(session, schema)
    assert gold.id is not None and schema_row.id is not None  # stored rows
    return Adjudicator(
        lead=lead,
        gold_id=gold.id,
        gold_name=gold.name,
        schema=schema,
        schema_id=schema_row.id,
        annotators=tuple(a.name for a in chosen),
        annotator_ids=tuple(a.id for a in chosen if a.id is not None),
    )


def _signed_lead(session: Session, lead: str, gold_name: str) -> str:
    """On a team role, decisions are signed with the role's own annotator and go to the gold it
    was granted (the database refuses anything else, migration 0005): check it here in words."""
    from annotator.store.roles import current_binding

    binding = current_binding(session.connection())
    if binding is None:
        return lead
    if not binding.reviewer:
        raise UserError(
            f"review: this database role acts as annotator {binding.annotator!r}, not a reviewer (the lead grants --reviewer)"
        )
    if not corpus.same_name(gold_name, binding.gold):
        raise UserError(
            f"{gold_name!r}: this reviewer role writes {binding.gold!r}; the lead can bind it with "
            f"'annotator db grant {binding.annotator} --reviewer --gold {gold_name}'",
            field="gold_name",
        )
    return binding.annotator
