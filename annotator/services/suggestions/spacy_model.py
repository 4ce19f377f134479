"""Optional model suggestions: a spaCy pipeline's entities mapped onto the schema's labels.

Needs the ``annotator[spacy]`` extra. ``load_model`` takes an installed package name or a
path to a pipeline saved with ``nlp.to_disk``; nothing is downloaded. The mapping from the
pipeline's labels (PERSON, ORG, GPE...) to ours comes from the ``[spacy_labels]`` table of
the project gazetteer (``schemas/gazetteer.toml``); labels not mapped are ignored.
"""

from __future__ import annotations

from typing import Any

from annotator.errors import UserError
from annotator.schemas.labels import LabelSchema
from annotator.services.suggestions.base import Suggestion


def load_model(name_or_path: str) -> Any:
    try:
        import spacy
    except ImportError:
        raise UserError("a spaCy model needs spaCy: pip install 'annotator[spacy]'", field="model") from None
    try:
        return spacy.load(name_or_path)
    except OSError:
        raise UserError(f"no spaCy pipeline {name_or_path!r} is installed or saved there", field="model") from None


class ModelSuggester:
    def __init__(self, nlp: Any, mapping: dict[str, str], schema: LabelSchema, name: str = "model") -> None:
        unknown = sorted({ours for ours in mapping.values() if not schema.has_label(ours)})
        self.mapping = {theirs: ours for theirs, ours in mapping.items() if schema.has_label(ours)}
        self.nlp = nlp
        self.source = f"model:{name}"
        self.ignored_targets = unknown

    def find(self, text: str) -> list[Suggestion]:
        doc = self.nlp(text)
        out: list[Suggestion] = []
        for ent in doc.ents:
            label = self.mapping.get(ent.label_)
            if label is None:
                continue
            out.append(Suggestion(label=label, start=ent.start_char, end=ent.end_char, source=self.source))
        return out
