"""One-line notices on stderr (untrusted names escaped)."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from annotator.untrusted import escape_controls


def announce_new_annotators(names: Iterable[str]) -> None:
    """``new annotator 'Alice'``, once, for each name a command created.

    Names compare without regard to case, so a typo in case finds the existing annotator; a
    name that is really new is said aloud instead of appearing silently beside another."""
    for name in dict.fromkeys(names):
        print(f"new annotator {escape_controls(repr(name))}", file=sys.stderr)
