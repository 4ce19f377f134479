"""How much colour the terminal gets, decided before Textual is imported.

Textual reads ``TEXTUAL_COLOR_SYSTEM`` once, when ``textual.constants`` is imported, and
``NO_COLOR`` when an app is made. Rich's detection finds no colour system for ``TERM=dumb``,
and Textual then draws in 24-bit colour (``Strip.render`` falls back to truecolor), so a
dumb terminal would get ``38;2;…`` sequences it cannot show. ``prepare_environment`` maps:

- ``TERM`` ``dumb``/``unknown``/unset: ``NO_COLOR`` (labels drawn as text styles, see
  ``tui/widgets/row_painter``) and the 16-colour system, so no 256- or 24-bit sequence is sent;
- ``TERM=*-256color`` without ``COLORTERM=truecolor|24bit``: Rich's own detection already
  picks 256 colours (nothing to do);
- a ``TEXTUAL_COLOR_SYSTEM`` the user set is kept as it is.

Standard library only: the launcher calls it before anything imports Textual.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

DUMB_TERMS = frozenset({"", "dumb", "unknown"})


def no_colour(environ: MutableMapping[str, str] | None = None) -> bool:
    """Whether the app draws without colour: ``NO_COLOR`` is set (to anything, as Textual reads it)."""
    return "NO_COLOR" in (os.environ if environ is None else environ)


TAGS_VAR = "ANNOTATOR_SPAN_TAGS"


def span_tags(environ: MutableMapping[str, str] | None = None) -> bool:
    """Whether the article marks each span's start with its label key: always without colour,
    with colour when ``ANNOTATOR_SPAN_TAGS=1`` (``0`` turns them off in either case)."""
    env = os.environ if environ is None else environ
    chosen = env.get(TAGS_VAR, "").strip().lower()
    if chosen in ("1", "on", "yes", "true"):
        return True
    if chosen in ("0", "off", "no", "false"):
        return False
    return no_colour(env)


def prepare_environment(environ: MutableMapping[str, str] | None = None) -> None:
    """Set what Textual reads so a terminal without colour gets none (call before importing Textual)."""
    env = os.environ if environ is None else environ
    if env.get("TERM", "").strip().lower() in DUMB_TERMS:
        env.setdefault("NO_COLOR", "1")
        env.setdefault("TEXTUAL_COLOR_SYSTEM", "standard")
