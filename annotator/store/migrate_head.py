"""The newest migration's revision, as a constant: a start-up compares the database's stored
revision with it and imports no Alembic when they match (``migrate.ensure_current``).

Generated from Alembic's own view of ``migrations/versions``; after adding a migration run
``python -m annotator.store.migrate_head`` (``tests/test_startup_one_path.py`` fails until then).
"""

from __future__ import annotations

from pathlib import Path

HEAD_REVISION = "0006"
VERSION_TABLE = "alembic_version"


def alembic_head() -> str:
    """The head revision as Alembic reads it from the migration files (imports Alembic)."""
    from annotator.store.migrate import head_revision  # Alembic is imported only here, to regenerate

    return head_revision()


def main() -> None:
    """Rewrite ``HEAD_REVISION`` in this file with Alembic's head."""
    path = Path(__file__)
    head = alembic_head()
    lines = [
        f'HEAD_REVISION = "{head}"' if line.startswith("HEAD_REVISION = ") else line
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"HEAD_REVISION = {head!r}")


if __name__ == "__main__":
    main()
