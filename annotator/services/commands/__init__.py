"""The command model of both apps: a person's change as data that applies itself.

A command (``annotate.SpanEdit``, ``review.AcceptVersion`` ...) has ``apply(session, *,
backwards=False) -> outcome``: it changes the database in the caller's transaction and
returns what the database now holds; ``after(outcome, backwards=...)`` runs once that
transaction committed. ``history.History`` keeps the undo and redo stacks, ``Direction``
says which way a command runs, and ``runner.CommandRunner`` runs commands in transactions.

This package's ``__init__`` imports nothing: ``history`` is read on the way to the first
painted article, before SQLAlchemy is imported.
"""
