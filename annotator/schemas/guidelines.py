"""A label's guidelines as plain text: what the app shows with ``g``, under ``?`` and beside a
disagreement in review. The schema file holds them (``guidelines``, markdown, and
``examples``); they are shown as written, never parsed as markup. No UI here."""

from __future__ import annotations

from typing import Any


def guidelines_text(label: Any) -> str:
    """``label``'s name, description, guidelines and examples (empty parts left out)."""
    parts = [f"{label.name} (key {label.key})"]
    if getattr(label, "description", ""):
        parts.append(label.description.strip())
    guidelines = (getattr(label, "guidelines", "") or "").strip()
    parts.append(
        guidelines or 'No guidelines for this label yet: a lead adds them to the schema file (guidelines = """...""").'
    )
    examples = getattr(label, "examples", None)
    positive = tuple(getattr(examples, "positive", ()) or ())
    negative = tuple(getattr(examples, "negative", ()) or ())
    if positive or negative:
        lines = ["Examples:"]
        lines += [f"  + {snippet}" for snippet in positive]
        lines += [f"  - {snippet}" for snippet in negative]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def schema_guidelines_text(schema: Any, first: str | None = None) -> str:
    """Every label's guidelines, ``first`` (a label name) at the top."""
    labels = sorted(schema.labels, key=lambda label: label.name != first)
    version = getattr(schema, "version", None)
    head = f"Guidelines of schema {schema.name!r}" + (f" version {version}" if version is not None else "")
    return head + "\n\n" + "\n\n\n".join(guidelines_text(label) for label in labels)
