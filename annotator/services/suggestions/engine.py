"""Run every suggestion source over a text and combine the results into one clean list.

``Sources`` holds what the sources need (schema, gazetteer, optional model); ``suggest``
runs them window by window over the text (``windows``) and ``combine`` merges the results
(duplicates, same-label overlaps, what the annotator already has or rejected) into records
in text order with ``links`` as indexes into the returned list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.schemas.labels import LabelSchema, LinkAttr
from annotator.services.suggestions import (
    actor_acronyms,
    actor_agents,
    actor_bodies,
    actor_groups,
    actor_names,
    actor_nouns,
    actor_phrases,
    actor_references,
    actor_sources,
    actor_victims,
    casualty,
    person_mentions,
    person_names,
    persons,
    place_names,
    quotes,
    speaker_ranker,
    speaker_weights,
    windows,
)
from annotator.services.suggestions import combine as combine_module
from annotator.services.suggestions.base import Suggestion
from annotator.services.suggestions.gazetteer import Gazetteer, load_gazetteer
from annotator.services.suggestions.propagation import Tagged, propagate

# lower runs first and wins ties
PRIORITY = {
    "propagation": 0,
    "gazetteer": 1,
    "rules:casualty": 2,
    "rules:quotes": 2,
    "rules:actors": 2,
    "rules:persons": 3,
    "rules:person-mentions": 3,
    "gazetteer:world": 4,
}


def _priority(source: str) -> int:
    if source.startswith("model:"):
        return 5
    return PRIORITY.get(source, 4)


@dataclass
class Sources:
    """What the sources need, built once per run (loading the gazetteer takes ~1 s)."""

    schema: LabelSchema
    gazetteer: Gazetteer | None = None
    model: Any = None  # spacy_model.ModelSuggester
    trained: Any = None  # crf.CrfPipeline: the newest ``annotator train`` pipeline for this schema
    rules: bool = True
    options: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        schema: LabelSchema,
        *,
        gazetteer_path: Path | str | None = None,
        use_gazetteer: bool = True,
        model: str | None = None,
        rules: bool = True,
        trained: bool = True,
    ) -> Sources:
        gaz = load_gazetteer(gazetteer_path, schema) if use_gazetteer else None
        pipeline = _newest_trained(schema, gazetteer_path) if trained else None
        suggester = None
        if model:
            from annotator.services.suggestions.gazetteer import spacy_label_map
            from annotator.services.suggestions.spacy_model import ModelSuggester, load_model

            suggester = ModelSuggester(
                load_model(model), spacy_label_map(gazetteer_path), schema, name=Path(model).name
            )
        return cls(schema=schema, gazetteer=gaz, model=suggester, trained=pipeline, rules=rules)


def _newest_trained(schema: LabelSchema, gazetteer_path: Path | str | None) -> Any:
    """The newest pipeline ``annotator train`` stored for this schema, or None."""
    from annotator.services.training import newest

    path = newest(schema)
    if path is None:
        return None
    from annotator.services.suggestions.crf import load

    gazetteer = load_gazetteer(gazetteer_path, schema)
    gazetteer.places = None  # as in training: the lists' names are the features
    return load(path, gazetteer=gazetteer)


def _attr_names(schema: LabelSchema, label: str) -> tuple[set[str], dict[str, LinkAttr]]:
    spec = schema.label(label)
    return {a.name for a in spec.value_attributes}, {a.name: a for a in spec.links}


def _fits(schema: LabelSchema, s: Suggestion) -> Suggestion | None:
    """The suggestion with only the attributes the schema has, valid; None if its label is not there."""
    if not schema.has_label(s.label):
        return None
    names, _links = _attr_names(schema, s.label)
    attrs = {k: v for k, v in s.attrs.items() if k in names}
    try:
        attrs = schema.validate_attrs(s.label, attrs)
    except ValueError:
        attrs = {}
        for k, v in s.attrs.items():
            if k in names:
                try:
                    attrs.update(schema.validate_attrs(s.label, {k: v}))
                except ValueError:
                    pass
    s.attrs = attrs
    s.link_keys = {k: v for k, v in s.link_keys.items() if k in _links}
    return s


def suggest(
    text: str,
    sources: Sources,
    *,
    tagged: Tagged | None = None,
    existing: Iterable[tuple[str, int, int]] = (),
    rejected: Iterable[tuple[str, int, int]] = (),
) -> list[Suggestion]:
    """All suggestions for ``text``; ``existing`` are the annotator's spans (label, start, end).

    The rules run window by window (``windows.plan``), so the cost is linear in the text."""
    raw: list[Suggestion] = []
    for window in windows.plan(text):
        raw += window_suggestions(text, window, sources, tagged=tagged)
    return combine(raw, sources.schema, existing=existing, rejected=rejected)


def window_suggestions(
    text: str,
    window: windows.Window,
    sources: Sources,
    *,
    tagged: Tagged | None = None,
    found: list[Suggestion] | None = None,
) -> list[Suggestion]:
    """The raw suggestions (not yet combined) that belong to ``window``, offsets into ``text``:
    those starting in its core, and those they link to. ``found``: ``raw_suggestions`` of the
    window's text, computed ahead (the suggestion worker's warm-up); they are moved, not copied."""
    whole = window.lo == 0 and window.hi == len(text)
    part = text if whole else text[window.lo : window.hi]
    if found is None:
        found = raw_suggestions(part, sources, tagged=tagged)
    if whole:
        return found
    lo = window.lo
    owned = [s for s in found if window.owns(s.start + lo)]
    wanted = {key for s in owned for keys in s.link_keys.values() for key in keys}
    linked = [s for s in found if s.key in wanted and not window.owns(s.start + lo)]
    out = []
    for s in owned + linked:
        s.start += lo
        s.end += lo
        if s.link_keys:
            s.link_keys = {a: tuple((lab, a0 + lo, b0 + lo) for lab, a0, b0 in keys) for a, keys in s.link_keys.items()}
        out.append(s)
    return out


def raw_suggestions(text: str, sources: Sources, *, tagged: Tagged | None = None) -> list[Suggestion]:
    """What every source proposes for ``text`` (a window of a long document), uncombined."""
    schema = sources.schema
    raw: list[Suggestion] = []
    if tagged is not None and len(tagged):
        raw += propagate(text, tagged)
    if sources.gazetteer is not None:
        raw += sources.gazetteer.find(text)
    if sources.model is not None:
        raw += sources.model.find(text)
    if sources.trained is not None:
        raw += sources.trained.find(text)
    actor_label = next(
        (spec.links[0].target for spec in schema.labels if spec.name == quotes.LABEL and spec.links), "ACTOR"
    )
    if sources.rules:
        casualties = casualty.find_casualties(text) if schema.has_label(casualty.LABEL) else []
        if schema.has_label(actor_label):
            type_attr = "actor_type" if schema.label(actor_label).attribute("actor_type") else None
            raw += persons.find_titled_persons(text, label=actor_label, type_attr=type_attr)
            raw = [s for s in raw if s.label != actor_label or not actor_phrases.modifier_only(text, s)]
            heads = sources.gazetteer.heads.words if sources.gazetteer is not None and sources.gazetteer.heads else ()
            raw += actor_phrases.find_actor_phrases(text, raw, label=actor_label, heads=heads)
            # descriptions and mentions no list has, where no name or phrase was found
            raw += actor_nouns.find_institutions(text, raw, label=actor_label, type_attr=type_attr)
            bodies = actor_bodies.find_named_bodies(text, raw, label=actor_label, type_attr=type_attr)
            raw = actor_bodies.without_places_inside(raw, bodies) + bodies
            raw += actor_nouns.find_group_nouns(text, raw, label=actor_label, type_attr=type_attr)
            raw += actor_sources.find_source_actors(text, raw, label=actor_label, type_attr=type_attr)
            raw = actor_sources.capitals_acting(text, raw, label=actor_label, type_attr=type_attr)
            raw += actor_nouns.find_attribution_mentions(text, label=actor_label, type_attr=type_attr)
            raw += actor_nouns.find_untitled_persons(text, raw, label=actor_label, type_attr=type_attr)
            raw += person_mentions.find_person_mentions(text, raw, label=actor_label, type_attr=type_attr)
            raw += actor_agents.find_acting_groups(text, raw, label=actor_label, type_attr=type_attr)
            raw += actor_names.find_named_persons(text, raw, label=actor_label, type_attr=type_attr)
            raw += person_names.find_untitled_names(text, raw + casualties, label=actor_label, type_attr=type_attr)
            raw += actor_groups.find_group_mentions(text, raw, label=actor_label, type_attr=type_attr)
            raw += actor_references.find_references(text, raw, label=actor_label, type_attr=type_attr)
            actors_found = [s for s in raw if s.label == actor_label]
            raw += actor_acronyms.find_short_forms(text, actors_found, raw, label=actor_label, type_attr=type_attr)
            # a named victim ("Yunus-Bek Yevkurov was gravely wounded") stays an ACTOR too
            figures = [c for c in casualties if not casualty.names_a_person(c)]
            raw = actor_victims.without_victims(text, _outside_figures(raw, figures, actor_label), label=actor_label)
            raw = actor_victims.without_appositions(text, raw, label=actor_label)
            raw = actor_victims.without_modifiers(text, raw, label=actor_label)
            persons_found = [
                s for s in raw if s.label == actor_label and type_attr and s.attrs.get(type_attr) == "person"
            ]
            raw += actor_nouns.find_surnames(text, persons_found, raw, label=actor_label)
            if schema.has_label("LOCATION"):  # "in Chacalte", "suburb of Sinkor": where no actor or place is
                raw += place_names.find_places_after_prepositions(text, raw)
        raw += casualties
        if schema.has_label(quotes.LABEL):
            spec = schema.label(quotes.LABEL)
            link = spec.links[0] if spec.links else None
            type_attr = (
                "actor_type"
                if schema.has_label(actor_label) and schema.label(actor_label).attribute("actor_type")
                else None
            )
            raw += quotes.find_quotes(
                text,
                [s for s in raw if s.label != casualty.LABEL],
                speaker_attr=link.name if link else None,
                actor_label=link.target if link else actor_label,
                actor_type_attr=type_attr,
            )
            if link and sources.options.get("speaker_ranker", True):
                speaker_ranker.rank_speakers(
                    text,
                    raw,
                    speaker_weights.WEIGHTS,
                    speaker_attr=link.name,
                    actor_label=link.target,
                    type_attr=type_attr,
                )
    return raw


def _outside_figures(raw: list[Suggestion], casualties: list[Suggestion], actor_label: str) -> list[Suggestion]:
    """Drops the ACTOR suggestions inside a casualty figure: "two Indian peacekeepers were killed"
    counts victims; the guidelines tag the figure, not an ACTOR in it (propagated strings stay)."""
    import bisect

    figures = sorted((c.start, c.end) for c in casualties)
    starts = [a for a, _ in figures]
    kept = []
    for s in raw:
        if s.label == actor_label and s.source != "propagation":
            i = bisect.bisect_right(starts, s.start) - 1
            if i >= 0 and figures[i][0] <= s.start and s.end <= figures[i][1]:
                continue
        kept.append(s)
    return kept


def combine(
    raw: list[Suggestion],
    schema: LabelSchema,
    *,
    existing: Iterable[tuple[str, int, int]] = (),
    rejected: Iterable[tuple[str, int, int]] = (),
) -> list[Suggestion]:
    """One clean list in text order (see ``combine.combine``)."""
    return combine_module.combine(raw, schema, existing=existing, rejected=rejected, fits=_fits, priority=_priority)
