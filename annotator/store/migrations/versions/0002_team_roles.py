"""Teams on PostgreSQL: annotator.db_role / db_reviewer, and row-level security policies.

Each annotator may be bound to a database role (``annotator db grant NAME``). On PostgreSQL
the rows of every per-annotator table (span, link, document_status) are then visible and
writable only to the role bound to their annotator; a reviewer role reads all of them and
writes the gold annotator's. Table owners and superusers (the lead who runs the migrations)
are not subject to row-level security. On SQLite only the two columns are added.

The policy text lives in ``annotator/store/roles.py`` (``POLICY_SQL``), frozen here as a
copy so that this migration never changes behind a database's back.

Revision ID: 0002
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SCOPED_TABLES = ("span", "link", "document_status")

OWN = "annotator_id IN (SELECT a.id FROM annotator a WHERE a.db_role = current_user)"
REVIEWER = "EXISTS (SELECT 1 FROM annotator a WHERE a.db_role = current_user AND a.db_reviewer)"
GOLD = "annotator_id IN (SELECT a.id FROM annotator a WHERE a.name = 'gold')"


def _scoped_policies(table: str) -> list[str]:
    return [
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
        f'CREATE POLICY "{table}_own" ON "{table}" FOR ALL USING ({OWN}) WITH CHECK ({OWN})',
        f'CREATE POLICY "{table}_reviewer_read" ON "{table}" FOR SELECT USING ({REVIEWER})',
        f'CREATE POLICY "{table}_reviewer_gold" ON "{table}" FOR ALL USING ({REVIEWER} AND {GOLD}) WITH CHECK ({REVIEWER} AND {GOLD})',
    ]


ANNOTATOR_POLICIES = [
    'ALTER TABLE "annotator" ENABLE ROW LEVEL SECURITY',
    'CREATE POLICY "annotator_read" ON "annotator" FOR SELECT USING (true)',
    'CREATE POLICY "annotator_self" ON "annotator" FOR UPDATE USING (db_role = current_user) WITH CHECK (db_role = current_user)',
]


def upgrade() -> None:
    with op.batch_alter_table("annotator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("db_role", sa.String(length=63), nullable=True))
        batch_op.add_column(sa.Column("db_reviewer", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f("ix_annotator_db_role"), ["db_role"], unique=True)
    if op.get_bind().dialect.name == "postgresql":
        for table in SCOPED_TABLES:
            for statement in _scoped_policies(table):
                op.execute(statement)
        for statement in ANNOTATOR_POLICIES:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in (*SCOPED_TABLES, "annotator"):
            for suffix in ("own", "reviewer_read", "reviewer_gold", "read", "self"):
                op.execute(f'DROP POLICY IF EXISTS "{table}_{suffix}" ON "{table}"')
            op.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
    with op.batch_alter_table("annotator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_annotator_db_role"))
        batch_op.drop_column("db_reviewer")
        batch_op.drop_column("db_role")
