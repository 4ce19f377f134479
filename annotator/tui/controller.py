"""The annotate app's database side: the commands of one annotator under one schema.

``Controller`` is the ``CommandRunner`` (services.commands.runner) of an annotation session
with the session's facts (who, which schema, the last document) and the builders of its
commands (services.commands.annotate). It runs from the database worker thread and touches
only the database and the command it is given; the undo history is ``DbJobs.history``.
Nothing here imports Textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.schemas.labels import LabelSchema
from annotator.services.commands import annotate as commands
from annotator.services.commands.annotate import Annotating, SpanEdit, StatusEdit
from annotator.services.commands.runner import CommandRunner
from annotator.services.records import SessionInfo, SpanData

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


class Controller(CommandRunner):
    def __init__(self, engine: Engine, schema: LabelSchema, info: SessionInfo) -> None:
        super().__init__(engine, annotator_id=info.annotator_id)
        self.schema = schema
        self.info = info
        self.who = Annotating(info.annotator_id, info.schema_id, schema)

    def add_spans(
        self,
        document_id: int,
        label: str,
        ranges: list[tuple[int, int]],
        description: str,
        attrs: dict[str, object] | None = None,
    ) -> SpanEdit:
        return commands.add_spans(self.who, document_id, label, ranges, description, attrs)

    def delete_span(self, span: SpanData, all_spans: dict[int, SpanData]) -> SpanEdit:
        return commands.delete_span(self.who, span, all_spans)

    def set_attrs(self, span: SpanData, attrs: dict[str, object]) -> SpanEdit:
        return commands.set_attrs(self.who, span, attrs)

    def set_links(self, span: SpanData, attribute: str, child_ids: list[int]) -> SpanEdit:
        return commands.set_links(self.who, span, attribute, child_ids)

    def set_status(
        self, document_id: int, before: tuple[str, str], status: str, note: str, seconds: float = 0.0
    ) -> StatusEdit:
        return commands.set_status(self.who, document_id, before, status, note, seconds)
