"""Errors that carry a message meant for the person at the keyboard."""

from __future__ import annotations

import re

# an old-style message that starts with the flag it concerns ("--as: no annotator named ...")
_LEADING_FLAG = re.compile(r"^--[a-z][a-z0-9-]*: ")


class UserError(Exception):
    """A mistake in the user's input: shown as one line, exit status 2, never a traceback.

    ``message`` is in the domain's words ("no annotator named 'bob'"); ``field`` names what it
    concerns ("annotators", "format"...). Services never name a command-line flag: the CLI turns
    the field into its flag (``annotator.cli.flags``), a screen shows the message alone.
    """

    exit_code = 2

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


def domain_wording(exc: BaseException) -> str:
    """What a screen shows: the message without a leading command-line flag.

    Messages raised the old way (the flag written into the text) still read well on a screen.
    """
    text = str(exc)
    if isinstance(exc, UserError) and exc.field is None:
        return _LEADING_FLAG.sub("", text, count=1)
    return text
