"""Errors that carry a message meant for the person at the keyboard."""


class UserError(Exception):
    """A mistake in the user's input: shown as one line, exit status 2, never a traceback."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
