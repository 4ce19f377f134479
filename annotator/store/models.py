"""SQLModel tables: the one place the database layout is declared.

Offsets are Unicode code points into ``Document.text`` (Python ``str`` indices), end
exclusive. A span's text is never stored: it is always ``document.text[start:end]``, and a
document's text can never change once stored (see ``_freeze_text``), so a span cannot drift.
Every schema change goes through an Alembic migration in ``store/migrations/versions``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Field, SQLModel

GOLD_ANNOTATOR = "gold"  # the annotator that holds the adjudicated version (written by reviewers)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Status(str, Enum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"


class SchemaVersion(SQLModel, table=True):
    """A label schema as it was when spans were made under it (name, version and full body)."""

    __tablename__ = "label_schema"
    __table_args__ = (sa.UniqueConstraint("name", "version", "fingerprint", name="uq_label_schema"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    version: int
    fingerprint: str = Field(max_length=64)
    body: dict[str, Any] = Field(sa_column=sa.Column(sa.JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class Document(SQLModel, table=True):
    __tablename__ = "document"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=64, unique=True, description="stable id: the first 16 hex digits of the text's SHA-256")
    title: str = Field(max_length=500)
    source: str = Field(default="", max_length=2000, description="where the text came from (path or record)")
    text: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    sha256: str = Field(max_length=64, unique=True)
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class Annotator(SQLModel, table=True):
    __tablename__ = "annotator"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    last_document_id: int | None = Field(
        default=None, sa_column=sa.Column(sa.Integer, sa.ForeignKey("document.id", ondelete="SET NULL"))
    )
    created_at: datetime = Field(default_factory=utcnow)
    # PostgreSQL teams (``annotator db grant``, store/roles.py): the database role that acts as
    # this annotator under row-level security, and whether that role may read everyone's work.
    db_role: str | None = Field(
        default=None, sa_column=sa.Column(sa.String(63), nullable=True, unique=True, index=True)
    )
    db_reviewer: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.false()))
    # the gold annotator a reviewer role writes (``db grant NAME --reviewer --gold final``; NULL: ``gold``)
    db_gold: str | None = Field(default=None, sa_column=sa.Column(sa.String(200), nullable=True))


class Span(SQLModel, table=True):
    __tablename__ = "span"
    __table_args__ = (
        sa.CheckConstraint("start >= 0", name="ck_span_start"),
        sa.CheckConstraint('"end" > start', name="ck_span_order"),
        sa.Index("ix_span_doc_annotator", "document_id", "annotator_id", "start"),
        # one person in two terminals makes no duplicates: a second identical span is "already there"
        sa.Index("uq_span_position", "document_id", "annotator_id", "label", "start", "end", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=False)
    )
    annotator_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("annotator.id", ondelete="CASCADE"), nullable=False)
    )
    schema_id: int = Field(sa_column=sa.Column(sa.Integer, sa.ForeignKey("label_schema.id"), nullable=False))
    label: str = Field(max_length=100)
    start: int
    end: int
    attrs: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    origin: str = Field(default="manual", max_length=20, description="manual, import, suggestion or adjudication")
    version: int = Field(default=1, description="bumped on every change: optimistic concurrency check")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Link(SQLModel, table=True):
    """A typed link between two spans of one annotator, e.g. QUOTE --SPEAKER--> ACTOR."""

    __tablename__ = "link"
    __table_args__ = (sa.UniqueConstraint("head_id", "child_id", "relation", name="uq_link"),)

    id: int | None = Field(default=None, primary_key=True)
    head_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("span.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    child_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("span.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    relation: str = Field(max_length=100, description="relation label, e.g. SPEAKER")
    attribute: str = Field(max_length=100, description="the head label's link attribute, e.g. speaker")
    annotator_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("annotator.id", ondelete="CASCADE"), nullable=False)
    )
    created_at: datetime = Field(default_factory=utcnow)


class DocumentStatus(SQLModel, table=True):
    """One annotator's progress on one document."""

    __tablename__ = "document_status"
    __table_args__ = (sa.UniqueConstraint("document_id", "annotator_id", name="uq_document_status"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=False)
    )
    annotator_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("annotator.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    status: Status = Field(default=Status.TODO, sa_column=sa.Column(sa.String(20), nullable=False))
    seconds_spent: float = Field(default=0.0)
    note: str = Field(default="", max_length=2000, description="e.g. why the document was skipped")
    version: int = Field(default=1)
    updated_at: datetime = Field(default_factory=utcnow)


@event.listens_for(Document, "before_update")
def _freeze_text(mapper: Any, connection: Any, target: Document) -> None:
    """Spans point into the text by offset: the text of a stored document never changes."""
    history = sa.inspect(target).attrs.text.history
    if history.deleted and history.deleted[0] != target.text:
        raise ValueError("a stored document's text cannot change; import the new text as a new document")


class SuggestionRecord(SQLModel, table=True):
    """A suggested span shown to one annotator, and what they decided about it.

    ``links`` maps a link attribute (e.g. ``speaker``) to targets, each ``{"suggestion": id}``
    or ``{"span": id}``. ``status`` is open, accepted or rejected; an accepted suggestion
    names the span it became (``span_id``). Decided rows are kept: they are how suggestions
    are measured, and a rejected suggestion is never offered again.
    """

    __tablename__ = "suggestion"
    __table_args__ = (
        sa.CheckConstraint('"end" > start', name="ck_suggestion_order"),
        sa.Index("ix_suggestion_doc_annotator", "document_id", "annotator_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=False)
    )
    annotator_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("annotator.id", ondelete="CASCADE"), nullable=False)
    )
    label: str = Field(max_length=100)
    start: int
    end: int
    attrs: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    links: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    source: str = Field(
        default="", max_length=100, description="e.g. rules:casualty, gazetteer, propagation, model:NAME"
    )
    status: str = Field(default="open", max_length=20, description="open, accepted or rejected")
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = Field(default=None, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=True))
    span_id: int | None = Field(
        default=None, sa_column=sa.Column(sa.Integer, sa.ForeignKey("span.id", ondelete="SET NULL"), nullable=True)
    )


class Decision(SQLModel, table=True):
    """One adjudication step on a document's gold version: who decided what, and when.

    ``annotator_id`` is the gold annotator whose version the decision shapes (so row-level
    security treats decisions like that annotator's spans); ``decided_by`` names the lead who
    decided. ``action`` is accept, accept_agreed, add, edit, delete, adjudicated, reopen, or
    one of those prefixed ``undo:``/``redo:``; ``source`` is the annotator whose version was
    taken (accepts); ``span_id`` is the gold span it made or changed (NULL once deleted).
    """

    __tablename__ = "decision"
    __table_args__ = (sa.Index("ix_decision_doc", "document_id", "annotator_id"),)

    id: int | None = Field(default=None, primary_key=True)
    annotator_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("annotator.id", ondelete="CASCADE"), nullable=False)
    )
    document_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=False)
    )
    span_id: int | None = Field(
        default=None, sa_column=sa.Column(sa.Integer, sa.ForeignKey("span.id", ondelete="SET NULL"), nullable=True)
    )
    decided_by: str = Field(max_length=200)
    action: str = Field(max_length=40)
    source: str = Field(default="", max_length=200, description="the annotator whose version was taken")
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    decided_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False)
    )


class WriteKey(SQLModel, table=True):
    """The client's operation id of a committed write, stored in the write's own transaction.

    When the reply to COMMIT is lost (a dropped connection), the retry finds its key and
    knows the change is already stored instead of running it again; ``result`` holds what the
    write produced (e.g. the ids of the spans it made) so the screen can show it.
    """

    __tablename__ = "write_key"

    annotator_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("annotator.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
        )
    )
    key: str = Field(sa_column=sa.Column(sa.String(64), primary_key=True))
    result: Any = Field(default=None, sa_column=sa.Column(sa.JSON, nullable=True))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False)
    )


class Assignment(SQLModel, table=True):
    """A document given to an annotator (``annotator assign``); only the lead writes these.

    The column is ``assignee_id``, not ``annotator_id``: per-annotator tables (those with an
    ``annotator_id``) are writable by their annotator's role, while an assignment is only
    read by its assignee (row-level security, migration 0006) and written by the tables' owner.
    """

    __tablename__ = "assignment"
    __table_args__ = (
        sa.UniqueConstraint("document_id", "assignee_id", name="uq_assignment"),
        sa.Index("ix_assignment_assignee", "assignee_id", "document_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=False)
    )
    assignee_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("annotator.id", ondelete="CASCADE"), nullable=False)
    )
    assigned_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False)
    )


class _HasId(Protocol):
    @property
    def id(self) -> int | None: ...


def stored_id(row: _HasId) -> int:
    """The id of a row read from (or flushed to) the database, where it is never None."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id: it was never flushed to the database")
    return row.id


def table_of(model: type[SQLModel]) -> sa.Table:
    """The Core table behind a table model (SQLModel sets ``__table__`` at class creation; its stubs do not say so)."""
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, sa.Table)
    return table
