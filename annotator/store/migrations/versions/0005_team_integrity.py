"""Team integrity: links belong to their spans, no duplicate spans, signed decisions, write keys.

- Duplicate spans (same document, annotator, label, start and end) are merged into the oldest
  one (links, suggestions and decisions pointing at a duplicate move to it), then the unique
  index ``uq_span_position`` keeps them from coming back.
- Links whose head or child belongs to another annotator than the link are deleted, and
  triggers refuse new ones (and suggestions or decisions naming another annotator's span),
  for every writer including the tables' owner. The triggers run *before* the foreign-key
  checks and, on PostgreSQL, see ``span`` through the writer's row-level security: a hidden
  span and a missing one get the same refusal, so foreign-key errors reveal no ids.
- A span's annotator never changes (its links would then belong to someone else).
- ``annotator.db_gold``: the gold annotator a reviewer role writes (``db grant --gold``);
  the ``*_reviewer_gold`` policies follow it instead of the hard-coded ``gold``.
- ``write_key``: the idempotency keys of committed writes (a lost COMMIT reply).
- PostgreSQL: decisions are append-only and signed: a role may insert one only in its own
  annotator's name, as a reviewer, into its own gold; only the owner writes label schemas.

The SQL is frozen here (not imported from ``store/roles.py``) so this migration never changes
behind a database's back. NOTE for later SQLite batch migrations: rebuilding ``span``,
``link``, ``suggestion`` or ``decision`` drops their triggers; create them again
(``tests/test_team_links.py`` checks they exist at head).

Revision ID: 0005
Revises: 0004
"""

from alembic import op
import sqlalchemy as sa


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

LINK_REFUSAL = "a link joins two spans of its own annotator"
SPAN_REF_REFUSAL = "a suggestion or decision names a span of its own annotator"
SPAN_OWNER_REFUSAL = "the annotator of a span cannot change"

OWN = "annotator_id IN (SELECT a.id FROM annotator a WHERE a.db_role = current_user)"
REVIEWER = "EXISTS (SELECT 1 FROM annotator a WHERE a.db_role = current_user AND a.db_reviewer)"
OLD_GOLD = "annotator_id IN (SELECT a.id FROM annotator a WHERE a.name = 'gold')"
NEW_GOLD = (
    "annotator_id IN (SELECT g.id FROM annotator g JOIN annotator r ON g.name = COALESCE(r.db_gold, 'gold') "
    "WHERE r.db_role = current_user AND r.db_reviewer)"
)
SIGNED = "decided_by IN (SELECT a.name FROM annotator a WHERE a.db_role = current_user AND a.db_reviewer)"
NEW_SCOPED = ("suggestion", "decision", "write_key")


def _merge_duplicate_spans() -> None:
    op.execute(
        'CREATE TEMPORARY TABLE span_dup AS SELECT s.id AS dup, k.keep AS keep FROM span s JOIN '
        '(SELECT document_id, annotator_id, label, start, "end", MIN(id) AS keep FROM span '
        ' GROUP BY document_id, annotator_id, label, start, "end" HAVING COUNT(*) > 1) k '
        'ON s.document_id = k.document_id AND s.annotator_id = k.annotator_id AND s.label = k.label '
        'AND s.start = k.start AND s."end" = k."end" WHERE s.id <> k.keep'
    )
    # links of a duplicate move to the span kept (unless the kept one has that link already)
    op.execute(
        "INSERT INTO link (head_id, child_id, relation, attribute, annotator_id, created_at) "
        "SELECT m.head_id, m.child_id, m.relation, MIN(m.attribute), MIN(m.annotator_id), MIN(m.created_at) FROM "
        "(SELECT COALESCE(h.keep, l.head_id) AS head_id, COALESCE(c.keep, l.child_id) AS child_id, l.relation, "
        " l.attribute, l.annotator_id, l.created_at FROM link l "
        " LEFT JOIN span_dup h ON h.dup = l.head_id LEFT JOIN span_dup c ON c.dup = l.child_id "
        " WHERE h.dup IS NOT NULL OR c.dup IS NOT NULL) m "
        "WHERE NOT EXISTS (SELECT 1 FROM link x WHERE x.head_id = m.head_id AND x.child_id = m.child_id AND x.relation = m.relation) "
        "GROUP BY m.head_id, m.child_id, m.relation"
    )
    for table in ("suggestion", "decision"):
        op.execute(f"UPDATE {table} SET span_id = (SELECT d.keep FROM span_dup d WHERE d.dup = {table}.span_id) "
                   "WHERE span_id IN (SELECT dup FROM span_dup)")
    op.execute("DELETE FROM link WHERE head_id IN (SELECT dup FROM span_dup) OR child_id IN (SELECT dup FROM span_dup)")
    op.execute("DELETE FROM span WHERE id IN (SELECT dup FROM span_dup)")
    op.execute("DROP TABLE span_dup")


def _drop_foreign_links() -> None:
    op.execute(
        "DELETE FROM link WHERE NOT EXISTS (SELECT 1 FROM span s WHERE s.id = link.head_id AND s.annotator_id = link.annotator_id) "
        "OR NOT EXISTS (SELECT 1 FROM span s WHERE s.id = link.child_id AND s.annotator_id = link.annotator_id)"
    )
    for table in ("suggestion", "decision"):
        op.execute(
            f"UPDATE {table} SET span_id = NULL WHERE span_id IS NOT NULL AND NOT EXISTS "
            f"(SELECT 1 FROM span s WHERE s.id = {table}.span_id AND s.annotator_id = {table}.annotator_id)"
        )


def _sqlite_triggers() -> list[str]:
    link_bad = (
        "NOT EXISTS (SELECT 1 FROM span s WHERE s.id = NEW.head_id AND s.annotator_id = NEW.annotator_id) "
        "OR NOT EXISTS (SELECT 1 FROM span s WHERE s.id = NEW.child_id AND s.annotator_id = NEW.annotator_id)"
    )
    out = [
        f"CREATE TRIGGER link_owner_insert BEFORE INSERT ON link WHEN {link_bad} BEGIN SELECT RAISE(ABORT, '{LINK_REFUSAL}'); END",
        f"CREATE TRIGGER link_owner_update BEFORE UPDATE ON link WHEN {link_bad} BEGIN SELECT RAISE(ABORT, '{LINK_REFUSAL}'); END",
        "CREATE TRIGGER span_owner_update BEFORE UPDATE OF annotator_id ON span WHEN NEW.annotator_id <> OLD.annotator_id "
        f"BEGIN SELECT RAISE(ABORT, '{SPAN_OWNER_REFUSAL}'); END",
    ]
    for table in ("suggestion", "decision"):
        bad = "NEW.span_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM span s WHERE s.id = NEW.span_id AND s.annotator_id = NEW.annotator_id)"
        for event in ("INSERT", "UPDATE"):
            out.append(
                f"CREATE TRIGGER {table}_span_owner_{event.lower()} BEFORE {event} ON {table} WHEN {bad} "
                f"BEGIN SELECT RAISE(ABORT, '{SPAN_REF_REFUSAL}'); END"
            )
    return out


SQLITE_TRIGGER_NAMES = (
    "link_owner_insert", "link_owner_update", "span_owner_update", "suggestion_span_owner_insert",
    "suggestion_span_owner_update", "decision_span_owner_insert", "decision_span_owner_update",
)


def _pg_triggers() -> list[str]:
    # SECURITY INVOKER (the default): the span lookups run under the writer's row-level security
    return [
        "CREATE OR REPLACE FUNCTION annotator_link_owner() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF NOT EXISTS (SELECT 1 FROM span s WHERE s.id = NEW.head_id AND s.annotator_id = NEW.annotator_id) "
        "OR NOT EXISTS (SELECT 1 FROM span s WHERE s.id = NEW.child_id AND s.annotator_id = NEW.annotator_id) THEN "
        f"RAISE EXCEPTION '{LINK_REFUSAL}' USING ERRCODE = '23514'; END IF; RETURN NEW; END $$",
        "CREATE OR REPLACE FUNCTION annotator_span_ref_owner() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF NEW.span_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM span s WHERE s.id = NEW.span_id AND s.annotator_id = NEW.annotator_id) THEN "
        f"RAISE EXCEPTION '{SPAN_REF_REFUSAL}' USING ERRCODE = '23514'; END IF; RETURN NEW; END $$",
        "CREATE OR REPLACE FUNCTION annotator_span_owner() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF NEW.annotator_id <> OLD.annotator_id THEN RAISE EXCEPTION '{SPAN_OWNER_REFUSAL}' USING ERRCODE = '23514'; END IF; "
        "RETURN NEW; END $$",
        "CREATE TRIGGER link_owner BEFORE INSERT OR UPDATE ON link FOR EACH ROW EXECUTE FUNCTION annotator_link_owner()",
        "CREATE TRIGGER suggestion_span_owner BEFORE INSERT OR UPDATE OF span_id, annotator_id ON suggestion FOR EACH ROW "
        "EXECUTE FUNCTION annotator_span_ref_owner()",
        "CREATE TRIGGER decision_span_owner BEFORE INSERT OR UPDATE OF span_id, annotator_id ON decision FOR EACH ROW "
        "EXECUTE FUNCTION annotator_span_ref_owner()",
        "CREATE TRIGGER span_owner BEFORE UPDATE OF annotator_id ON span FOR EACH ROW EXECUTE FUNCTION annotator_span_owner()",
    ]


def _pg_policies(conn, gold: str) -> None:
    """Replace every ``<table>_reviewer_gold`` policy with one using ``gold``."""
    rows = conn.execute(sa.text("SELECT tablename FROM pg_policies WHERE schemaname = 'public' AND policyname = tablename || '_reviewer_gold'"))
    for (table,) in list(rows):
        op.execute(f'DROP POLICY "{table}_reviewer_gold" ON "{table}"')
        op.execute(f'CREATE POLICY "{table}_reviewer_gold" ON "{table}" FOR ALL USING ({REVIEWER} AND {gold}) WITH CHECK ({REVIEWER} AND {gold})')


def _pg_scope_new_tables(conn) -> None:
    existing = {tuple(r) for r in conn.execute(sa.text("SELECT tablename, policyname FROM pg_policies WHERE schemaname = 'public'"))}
    for table in NEW_SCOPED:
        op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        for name, sql in (
            ("own", f"FOR ALL USING ({OWN}) WITH CHECK ({OWN})"),
            ("reviewer_read", f"FOR SELECT USING ({REVIEWER})"),
            ("reviewer_gold", f"FOR ALL USING ({REVIEWER} AND {NEW_GOLD}) WITH CHECK ({REVIEWER} AND {NEW_GOLD})"),
        ):
            if (table, f"{table}_{name}") not in existing:
                op.execute(f'CREATE POLICY "{table}_{name}" ON "{table}" {sql}')
    op.execute(f'CREATE POLICY "decision_signed" ON "decision" AS RESTRICTIVE FOR INSERT WITH CHECK ({SIGNED})')


def _pg_regrant(conn) -> None:
    """Existing team roles lose what they no longer may do (the lead's ``db upgrade`` re-grants the rest)."""
    bound = conn.execute(sa.text(
        "SELECT a.db_role, a.db_reviewer FROM annotator a JOIN pg_roles r ON r.rolname = a.db_role WHERE a.db_role IS NOT NULL"
    )).all()
    for role, reviewer in bound:
        ident = '"' + role.replace('"', '""') + '"'
        op.execute(f"REVOKE INSERT, UPDATE, DELETE ON label_schema FROM {ident}")
        op.execute(f"REVOKE INSERT, UPDATE, DELETE ON decision FROM {ident}")
        if reviewer:
            op.execute(f"GRANT INSERT ON decision TO {ident}")
        op.execute(f"GRANT SELECT, INSERT ON write_key TO {ident}")


def upgrade() -> None:
    conn = op.get_bind()
    postgres = conn.dialect.name == "postgresql"
    _merge_duplicate_spans()
    _drop_foreign_links()
    with op.batch_alter_table("span", schema=None) as batch_op:
        batch_op.create_index("uq_span_position", ["document_id", "annotator_id", "label", "start", "end"], unique=True)
    with op.batch_alter_table("annotator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("db_gold", sa.String(length=200), nullable=True))
    op.create_table(
        "write_key",
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["annotator_id"], ["annotator.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("annotator_id", "key"),
    )
    for statement in _pg_triggers() if postgres else _sqlite_triggers():
        op.execute(statement)
    if postgres:
        _pg_policies(conn, NEW_GOLD)
        _pg_scope_new_tables(conn)
        _pg_regrant(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        for table in NEW_SCOPED:
            for name in ("own", "reviewer_read", "reviewer_gold"):
                op.execute(f'DROP POLICY IF EXISTS "{table}_{name}" ON "{table}"')
        op.execute('DROP POLICY IF EXISTS "decision_signed" ON "decision"')
        op.execute('ALTER TABLE "suggestion" DISABLE ROW LEVEL SECURITY')
        op.execute('ALTER TABLE "decision" DISABLE ROW LEVEL SECURITY')
        _pg_policies(conn, OLD_GOLD)
        for trigger, table in (("link_owner", "link"), ("suggestion_span_owner", "suggestion"),
                               ("decision_span_owner", "decision"), ("span_owner", "span")):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        for function in ("annotator_link_owner", "annotator_span_ref_owner", "annotator_span_owner"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    else:
        for trigger in SQLITE_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.drop_table("write_key")
    with op.batch_alter_table("annotator", schema=None) as batch_op:
        batch_op.drop_column("db_gold")
    with op.batch_alter_table("span", schema=None) as batch_op:
        batch_op.drop_index("uq_span_position")
