"""Alembic environment: the engine comes from ``config.attributes`` (see store/migrate.py)."""

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import annotator.store.models  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
engine = config.attributes["engine"]


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()


if engine.dialect.name == "sqlite":
    # A batch migration rebuilds a table (copy, drop, rename). With foreign keys on, dropping
    # e.g. ``annotator`` would CASCADE-delete every span, link and status. So foreign keys are
    # off while migrating (the pragma only works outside a transaction), checked before commit.
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                _run(connection)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left rows pointing at missing rows: {broken[:5]}")
        finally:
            raw.execute("PRAGMA foreign_keys=ON")
else:
    with engine.begin() as connection:
        _run(connection)
