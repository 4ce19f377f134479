"""Assignments: which annotator works on which document (``annotator assign``).

On PostgreSQL the table has row-level security: an annotator's role reads only its own
assignments, a reviewer role reads all, and no policy lets any team role write, so only the
tables' owner (the lead who runs ``annotator assign``) changes them. Self-contained: it needs
only the ``document`` and ``annotator`` tables (0001) and ``annotator.db_role``/``db_reviewer`` (0002).

The policy text is frozen here (a copy, like 0002's), so this migration never changes behind
a database's back.

Revision ID: 0006
Revises: 0005
"""

from alembic import op
import sqlalchemy as sa


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

OWN = "assignee_id IN (SELECT a.id FROM annotator a WHERE a.db_role = current_user)"
REVIEWER = "EXISTS (SELECT 1 FROM annotator a WHERE a.db_role = current_user AND a.db_reviewer)"
POLICIES = [
    'ALTER TABLE "assignment" ENABLE ROW LEVEL SECURITY',
    f'CREATE POLICY "assignment_own_read" ON "assignment" FOR SELECT USING ({OWN})',
    f'CREATE POLICY "assignment_reviewer_read" ON "assignment" FOR SELECT USING ({REVIEWER})',
]


def upgrade() -> None:
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["assignee_id"], ["annotator.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "assignee_id", name="uq_assignment"),
    )
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.create_index("ix_assignment_assignee", ["assignee_id", "document_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for statement in POLICIES:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in ("assignment_own_read", "assignment_reviewer_read"):
            op.execute(f'DROP POLICY IF EXISTS "{name}" ON "assignment"')
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_index("ix_assignment_assignee")
    op.drop_table("assignment")
