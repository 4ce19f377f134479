"""The one table that turns the field a service error concerns into the command-line flag for it.

Services raise ``UserError(message, field="annotators")`` in the domain's words; the command line
prints ``--as: message``. Errors raised without a field (older code that still writes the flag
into its message) are printed as they are.
"""

from __future__ import annotations

from annotator.errors import UserError

FIELD_FLAGS: dict[str, str] = {
    "annotator": "--as",
    "annotators": "--as",
    "assignees": "--to",
    "ascii": "--ascii",
    "documents": "--documents",
    "format": "--format",
    "gold": "--gold",
    "gold_name": "--gold-as",
    "label_map": "--label-map",
    "labels": "--label",
    "model": "--model",
    "out": "--out",
    "per_document": "--per-document",
    "reassign": "--reassign",
    "reference": "--against",
    "relations": "--relations",
    "statuses": "--status",
    "tokens": "--tokens",
    "training_annotators": "--from",
}


def flag_for(field: str) -> str:
    """The flag that sets ``field`` (an unknown field is shown as ``--field-name``)."""
    return FIELD_FLAGS.get(field, "--" + field.replace("_", "-"))


def command_line_message(exc: BaseException) -> str:
    """The one line the command line prints: the flag first when the error names a field."""
    field = exc.field if isinstance(exc, UserError) else None
    if field is None:
        return str(exc)
    return f"{flag_for(field)}: {exc}"
