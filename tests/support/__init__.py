"""What the tests share, one module a job.

- ``paths``: the checkout, the bundled peer files, the PostgreSQL server the suite may use.
- ``postgres``: fresh PostgreSQL databases cloned from one migrated template.
- ``fixtures``: the pytest fixtures (``db_url``, ``sqlite_url``, ``pg_url``, ...), loaded by conftest.
- ``corpus``: documents and other annotators' spans put into a database through the services.
- ``reads``: what the database holds, read back through the services.
- ``screen``: what the terminal shows and which notices it gave, read through public Textual API.
- ``driver``: both apps driven as a session reads: ``put_cursor_on("rebels")``, ``tag("LOCATION")``, ``undo()``.
"""
