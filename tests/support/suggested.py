"""What the suggestion engine suggests for a made-up sentence, as text: the shared reading of the rule tests."""

from __future__ import annotations

from annotator.services.suggestions.engine import Sources, suggest


def quotes_with_speakers(sources: Sources, text: str) -> list[tuple[str, list[str]]]:
    """Each suggested QUOTE's text with the texts of the speakers it links, in text order."""
    found = suggest(text, sources)
    return [
        (text[s.start : s.end], [text[found[i].start : found[i].end] for ids in s.links.values() for i in ids])
        for s in found
        if s.label == "QUOTE"
    ]


def speakers_of_quotes(sources: Sources, text: str) -> dict[str, list[str]]:
    """Each suggested QUOTE's text -> the texts of the speakers it links."""
    return dict(quotes_with_speakers(sources, text))


def speaker_of(sources: Sources, text: str, words: str) -> list[str]:
    """The speakers linked to the suggested QUOTE that holds ``words``."""
    return next(speakers for quote, speakers in speakers_of_quotes(sources, text).items() if words in quote)


def label_texts(sources: Sources, text: str, label: str) -> list[str]:
    """The texts of the suggested spans with ``label``, in text order."""
    return [text[s.start : s.end] for s in suggest(text, sources) if s.label == label]
