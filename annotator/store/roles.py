"""Database roles for a team on PostgreSQL: ``annotator db grant NAME [--reviewer]``.

Each annotator can get a login role of their own. The role is bound to the annotator row
(``annotator.db_role``); row-level security policies (migration 0002) then let it read and
change only that annotator's spans, links and statuses — with this app or with ``psql`` —
while a reviewer role (``annotator.db_reviewer``) reads everyone's and writes the gold
annotator's. The lead who ran ``annotator db upgrade`` owns the tables and is not subject to
row-level security; superusers and BYPASSRLS roles never are, so they cannot be granted.

Passwords: ``grant`` takes the password as a Python value (the CLI reads it from the
environment, never from its arguments) and sends only a salted SCRAM-SHA-256 verifier to the
server, so the clear password is neither on the wire nor in any server log.

Tables added by later migrations are picked up by ``ensure_row_security``: every table with
an ``annotator_id`` column gets the same policies as ``span`` (see ``POLICY_SQL``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from annotator.errors import UserError
from annotator.store.models import GOLD_ANNOTATOR

SCHEMA = "public"
ROLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,62}$")
# Tables every team role reads but does not change (beyond the column grants below).
# Only the lead (the tables' owner) writes label schemas, documents and annotators: a team role
# reads them (and sets its own ``annotator.last_document_id``, see ``_grant_privileges``).
READ_ONLY = ("document", "annotator", "alembic_version", "label_schema")
# Per-annotator tables whose rights are narrower than "change your own rows": decisions are
# appended by reviewers only (signed with their own name, migration 0005), write keys only
# inserted. Every other per-annotator table: SELECT, INSERT, UPDATE, DELETE under row security.
NARROWER = {"decision": ("SELECT", "SELECT, INSERT"), "write_key": ("SELECT, INSERT", "SELECT, INSERT")}

OWN = "annotator_id IN (SELECT a.id FROM annotator a WHERE a.db_role = current_user)"
REVIEWER = "EXISTS (SELECT 1 FROM annotator a WHERE a.db_role = current_user AND a.db_reviewer)"
# the gold annotator(s) this reviewer role writes: ``annotator.db_gold`` (``db grant --gold``), else 'gold'
GOLD = (
    "annotator_id IN (SELECT g.id FROM annotator g JOIN annotator r ON g.name = COALESCE(r.db_gold, 'gold') "
    "WHERE r.db_role = current_user AND r.db_reviewer)"
)
POLICY_SQL = (
    'CREATE POLICY "{t}_own" ON "{t}" FOR ALL USING (' + OWN + ") WITH CHECK (" + OWN + ")",
    'CREATE POLICY "{t}_reviewer_read" ON "{t}" FOR SELECT USING (' + REVIEWER + ")",
    'CREATE POLICY "{t}_reviewer_gold" ON "{t}" FOR ALL USING ('
    + REVIEWER
    + " AND "
    + GOLD
    + ") WITH CHECK ("
    + REVIEWER
    + " AND "
    + GOLD
    + ")",
)


@dataclass(frozen=True)
class Grant:
    annotator: str
    role: str
    reviewer: bool
    gold: str | None
    created_role: bool
    password_set: bool
    scoped_tables: tuple[str, ...]


def scram_sha256_verifier(password: str, *, salt: bytes | None = None, iterations: int = 4096) -> str:
    """The verifier PostgreSQL stores for ``password`` (RFC 5802/7677, as ``ALTER ROLE`` makes it)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    return f"SCRAM-SHA-256${iterations}:{_b64(salt)}${_b64(stored_key)}:{_b64(server_key)}"


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def scoped_tables(conn: Connection) -> list[str]:
    """Tables whose rows belong to one annotator (they have an ``annotator_id`` column)."""
    inspector = sa.inspect(conn)
    return sorted(
        name
        for name in inspector.get_table_names(schema=SCHEMA)
        if name != "annotator"
        and any(col["name"] == "annotator_id" for col in inspector.get_columns(name, schema=SCHEMA))
    )


def ensure_row_security(conn: Connection) -> list[str]:
    """Give every per-annotator table row-level security (idempotent); return those tables.

    Tables created by migration 0002 already have it; this covers tables added later.
    """
    tables = scoped_tables(conn)
    existing = {
        (row.tablename, row.policyname)
        for row in conn.execute(
            sa.text("SELECT tablename, policyname FROM pg_policies WHERE schemaname = :s"), {"s": SCHEMA}
        )
    }
    for table in tables:
        conn.exec_driver_sql(f"ALTER TABLE {_ident(table)} ENABLE ROW LEVEL SECURITY")
        for template in POLICY_SQL:
            policy = template.split('"')[1].format(t=table)
            if (table, policy) not in existing:
                conn.exec_driver_sql(template.format(t=table))
    return tables


def _role_row(conn: Connection, role: str) -> sa.Row[Any] | None:
    return conn.execute(
        sa.text("SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = :r"), {"r": role}
    ).first()


def _owns_tables(conn: Connection, role: str) -> bool:
    return bool(
        conn.execute(
            sa.text("SELECT count(*) FROM pg_tables WHERE schemaname = :s AND tableowner = :r"),
            {"s": SCHEMA, "r": role},
        ).scalar()
    )


def _grant_privileges(conn: Connection, role: str, scoped: list[str], reviewer: bool) -> None:
    """Table rights for a team role, replacing any it had: DML on per-annotator tables (row-level
    security narrows it to its own rows; decisions are appended by reviewers only), read on the
    rest, remember its last document."""
    database = str(conn.exec_driver_sql("SELECT current_database()").scalar())
    r = _ident(role)
    conn.exec_driver_sql(f"GRANT CONNECT ON DATABASE {_ident(database)} TO {r}")
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {SCHEMA} TO {r}")
    for table in sorted(sa.inspect(conn).get_table_names(schema=SCHEMA)):
        if table in NARROWER:
            privileges = NARROWER[table][1 if reviewer else 0]
        elif table in scoped:
            privileges = "SELECT, INSERT, UPDATE, DELETE"
        else:
            privileges = "SELECT"
        conn.exec_driver_sql(f"REVOKE ALL ON {_ident(table)} FROM {r}")
        conn.exec_driver_sql(f"GRANT {privileges} ON {_ident(table)} TO {r}")
    conn.exec_driver_sql(f"GRANT UPDATE (last_document_id) ON annotator TO {r}")
    conn.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {SCHEMA} TO {r}")


def refresh(engine: Engine) -> list[str]:
    """After ``db upgrade``: row security and rights on new tables for every bound role.

    Returns the roles refreshed (none on SQLite or when no annotator has a role)."""
    if engine.dialect.name != "postgresql":
        return []
    with engine.begin() as conn:
        if "db_role" not in {c["name"] for c in sa.inspect(conn).get_columns("annotator", schema=SCHEMA)}:
            return []  # a database held below migration 0002 has no team roles
        bound: dict[str, bool] = dict(
            conn.execute(
                sa.text("SELECT db_role, db_reviewer FROM annotator WHERE db_role IS NOT NULL ORDER BY db_role")
            ).all()
        )
        if not bound:
            return []
        tables = ensure_row_security(conn)
        present = {
            r[0]
            for r in conn.execute(
                sa.text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:names)"), {"names": list(bound)}
            )
        }
        for role, reviewer in bound.items():
            if role in present:
                _grant_privileges(conn, role, tables, bool(reviewer))
        return [r for r in bound if r in present]


def grant(
    engine: Engine,
    name: str,
    *,
    role: str | None = None,
    reviewer: bool = False,
    password: str | None = None,
    gold: str | None = None,
) -> Grant:
    """Create or update ``role`` (default: ``name``) and bind it to annotator ``name``.

    Runs as the lead (the tables' owner, with CREATEROLE). ``password=None`` leaves an
    existing role's password alone (a new role gets none: it then needs another auth method).
    ``gold``: the gold annotator a reviewer role writes (default ``gold``; ``review --gold-as``).
    """
    if engine.dialect.name != "postgresql":
        raise UserError("db grant: roles need PostgreSQL; a SQLite file is guarded by its file permissions")
    name = name.strip()
    role = (role or name).strip()
    if not name:
        raise UserError("db grant: the annotator needs a name")
    if not ROLE_NAME.match(role):
        raise UserError(
            f"db grant: {role!r} is not a usable role name (letters, digits, _ . -; at most 63; use --role)"
        )
    if name == GOLD_ANNOTATOR:
        raise UserError(
            f"db grant: {GOLD_ANNOTATOR!r} is the adjudicated version, written by reviewers; grant a person instead"
        )
    gold = gold.strip() if gold else None
    if gold is not None and not reviewer:
        raise UserError("db grant: --gold names the gold version a reviewer writes; add --reviewer")
    if gold == name:
        raise UserError(f"db grant: {name!r} cannot write its own work as the gold version; pick another --gold name")
    gold_name = gold or GOLD_ANNOTATOR
    with engine.begin() as conn:
        taken = (
            conn.execute(
                sa.text("SELECT name FROM annotator WHERE name = :n AND (db_role IS NOT NULL AND db_role <> :r)"),
                {"n": gold_name, "r": role},
            ).first()
            if reviewer
            else None
        )
        if taken is not None:
            raise UserError(
                f"db grant: {gold_name!r} is a person's annotator with a role of its own; pick another --gold name"
            )
        is_gold = conn.execute(
            sa.text("SELECT 1 FROM annotator WHERE db_reviewer AND COALESCE(db_gold, :g) = :n LIMIT 1"),
            {"g": GOLD_ANNOTATOR, "n": name},
        ).first()
        if is_gold is not None:
            raise UserError(f"db grant: {name!r} is a gold version written by reviewers; grant a person instead")
        existing = _role_row(conn, role)
        if existing is not None and (existing.rolsuper or existing.rolbypassrls):
            raise UserError(
                f"db grant: role {role!r} is a superuser or bypasses row-level security; pick another role (--role)"
            )
        if existing is not None and _owns_tables(conn, role):
            raise UserError(
                f"db grant: role {role!r} owns the tables, so row-level security would not apply to it; pick another role (--role)"
            )
        verifier = scram_sha256_verifier(password) if password else None
        if existing is None:
            clause = f" PASSWORD {_literal(verifier)}" if verifier else ""
            conn.exec_driver_sql(
                f"CREATE ROLE {_ident(role)} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE{clause}"
            )
        else:
            clause = f" PASSWORD {_literal(verifier)}" if verifier else ""
            conn.exec_driver_sql(f"ALTER ROLE {_ident(role)} LOGIN{clause}")
        tables = ensure_row_security(conn)
        _grant_privileges(conn, role, tables, reviewer)
        conn.execute(
            sa.text("UPDATE annotator SET db_role = NULL WHERE db_role = :r AND name <> :n"), {"r": role, "n": name}
        )
        found = conn.execute(sa.text("SELECT id FROM annotator WHERE name = :n"), {"n": name}).first()
        if found is None:
            conn.execute(
                sa.text(
                    "INSERT INTO annotator (name, created_at, db_role, db_reviewer, db_gold) VALUES (:n, now(), :r, :rev, :g)"
                ),
                {"n": name, "r": role, "rev": reviewer, "g": gold},
            )
        else:
            conn.execute(
                sa.text("UPDATE annotator SET db_role = :r, db_reviewer = :rev, db_gold = :g WHERE id = :i"),
                {"r": role, "rev": reviewer, "g": gold, "i": found.id},
            )
        if reviewer:
            conn.execute(
                sa.text(
                    "INSERT INTO annotator (name, created_at, db_reviewer) SELECT CAST(:g AS VARCHAR), now(), false "
                    "WHERE NOT EXISTS (SELECT 1 FROM annotator WHERE name = CAST(:g AS VARCHAR))"
                ),
                {"g": gold_name},
            )
    return Grant(
        name, role, reviewer, gold_name if reviewer else None, existing is None, verifier is not None, tuple(tables)
    )


def revoke(engine: Engine, name: str) -> str | None:
    """Unbind annotator ``name`` from its role and take the role's rights on this database.

    The role itself stays (it may be used by other databases); ``DROP ROLE`` is the lead's call.
    Returns the role name, or ``None`` if the annotator had none.
    """
    if engine.dialect.name != "postgresql":
        raise UserError("db revoke: roles need PostgreSQL")
    with engine.begin() as conn:
        row = conn.execute(sa.text("SELECT id, db_role FROM annotator WHERE name = :n"), {"n": name}).first()
        if row is None:
            raise UserError(f"db revoke: no annotator named {name!r}")
        if not row.db_role:
            return None
        r = _ident(row.db_role)
        conn.execute(
            sa.text("UPDATE annotator SET db_role = NULL, db_reviewer = false, db_gold = NULL WHERE id = :i"),
            {"i": row.id},
        )
        conn.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA {SCHEMA} FROM {r}")
        conn.exec_driver_sql(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {SCHEMA} FROM {r}")
        return str(row.db_role)


@dataclass(frozen=True)
class RoleBinding:
    """The annotator a connected team role acts as, whether it reviews, and the gold it writes."""

    annotator: str
    reviewer: bool
    gold: str


def current_binding(conn: Connection) -> RoleBinding | None:
    """On PostgreSQL, what the connected role is bound to (``None``: unbound, e.g. the lead, or SQLite)."""
    if conn.dialect.name != "postgresql":
        return None
    row = conn.execute(sa.text("SELECT name, db_reviewer, db_gold FROM annotator WHERE db_role = current_user")).first()
    return None if row is None else RoleBinding(row.name, bool(row.db_reviewer), row.db_gold or GOLD_ANNOTATOR)


def current_role_annotator(conn: Connection) -> str | None:
    """On PostgreSQL, the annotator name bound to the connected role (``None`` if unbound)."""
    if conn.dialect.name != "postgresql":
        return None
    return conn.execute(sa.text("SELECT name FROM annotator WHERE db_role = current_user")).scalar()
