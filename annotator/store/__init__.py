"""SQLModel tables, engine and sessions, migrations, and the queries built on them."""
