"""Persons by name in any syntactic role, found by the shape of the noun chunk (issue 12, round 7).

The attribution rules find a name beside "said" or after a title; the next text names people
elsewhere: "as Maoist chief Prachanda urged", "under then-president Alberto Fujimori",
"Chinese revolutionary Mao Zedong", "Islamist president, Mohamed Morsi.", "Mohamed Rafiq
could go no further", "Defense Ministers Daniel Mora and Roberto Chiabra". With the chunks
of ``syntax`` a name is a run of proper-noun tokens at the end of a noun chunk, and it is a
person's when

- a role noun stands right before it in the same chunk ("chief Prachanda", a one-word name
  is enough) or before a comma right before it ("president, Mohamed Morsi");
- it has two or three words and is the subject of an active verb (``actor_agents``);
- it is in a list ("A, B and C") with a person already found.

Words that no person's name holds (places, bodies, months, "North"...) and runs that another
rule already tagged (a place, an organisation) are left alone. Linear in the text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from annotator.services.suggestions import syntax
from annotator.services.suggestions.actor_agents import subject_verb
from annotator.services.suggestions.base import Suggestion, overlaps_nearby
from annotator.services.suggestions.person_mentions import ROLES
from annotator.services.suggestions.persons import NOT_NAMES

SOURCE = "rules:actors"

_ROLE = re.compile(
    rf"(?:[a-z]+-)?(?:{ROLES}|revolutionary|predecessor|successor|mentor|friend|actor|singer|surname|year-old|sgt|sgts|cpl|cpls|gen|col|maj|capt|lt|ministers|presidents|leaders)\.?",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"(?:(?:al|el|Al|El)-)?[^\W\d_][^\W\d_’']*(?:['’][^\W\d_]+)?(?:-[^\W\d_]+)*")
_NOT_IN_NAMES = NOT_NAMES | frozenset(
    """State County Region Province Territory District Camp Village Town City Agency News Nations University Bank
    Institute Department Democratic Kingdom Lake River Street Hospital Church Press Radio Television Islamic
    Ministry Party Front Movement Brigade Brigades Coalition Alliance Organization Organisation Service Services
    Red Cross Crescent Human Amnesty Minister Secretary Commissioner Governor Mayor Spokesman Chief Head Director
    President General Colonel North South East West Northern Southern Eastern Western Upper Lower Middle New Old
    Saint Mount Day Later Earlier Meanwhile However Also Still Today Yesterday Local Several Ramadan Christmas
    Easter God Allah Islam Internet Web Facebook Twitter Telegram Reuters Tigers Times Post Daily Sun Journal
    Tribune Herald Guardian Observer Monitor Express Gazette Avenue Road Square Prison Airport Hotel Mosque
    Sgts Cpls Ministers School Valley Mountains Hills Desert Sea Ocean Gulf Bay Island Islands Coast Border Highway""".split()
)
_LIST_NEXT = re.compile(
    r"(?:,\s+(?:and\s+)?|\s+and\s+)(?:(?:Cpl|Sgt|Pvt|Lt|Capt|Maj|Col|Gen)\.?\s+)?"
    r"(?P<name>[A-Z][a-z’']+(?:[- ][A-Z][a-z’']+){1,2})(?=\s*[,.;]|\s+and\b|\s*$)"
)


def name_token(token: syntax.Token) -> bool:
    """A word that can be part of a person's name: a capitalised proper noun, not all capitals, no title or place word."""
    return (
        token.tag in {"NNP", "NNPS"}
        and token.text[:1].isupper()
        and not token.text.isupper()
        and _NAME_WORD.fullmatch(token.text) is not None
        and token.text not in _NOT_IN_NAMES
        and token.text.split("-")[-1] not in _NOT_IN_NAMES
    )


def _role_before(tokens: tuple[syntax.Token, ...], first: int) -> bool:
    """A role noun right before the name ("chief Prachanda"), or before a comma right before it."""
    if first >= 1 and _ROLE.fullmatch(tokens[first - 1].text):
        return True
    return (
        first >= 2
        and tokens[first - 1].text == ","
        and tokens[first - 2].text.islower()
        and _ROLE.fullmatch(tokens[first - 2].text) is not None
    )


def find_named_persons(
    text: str, taken: Iterable[Suggestion] = (), *, label: str = "ACTOR", type_attr: str | None = "actor_type"
) -> list[Suggestion]:
    """Names shown to be persons by a role before them, an active verb after them, or a list of persons."""
    taken = list(taken)
    spans = sorted((s.start, s.end) for s in taken)
    parsed = syntax.parse(text)
    tokens = parsed.tokens
    attrs = {type_attr: "person"} if type_attr else {}
    out: list[Suggestion] = []

    def add(start: int, end: int) -> None:
        if overlaps_nearby(spans, start, end):
            return
        bisect.insort(spans, (start, end))
        out.append(Suggestion(label=label, start=start, end=end, attrs=dict(attrs), source=SOURCE))

    for index, chunk in enumerate(parsed.chunks):
        if chunk.kind != "NP":
            continue
        first = chunk.last + 1
        while first > chunk.first and name_token(tokens[first - 1]) and chunk.last + 1 - first < 5:
            first -= 1
        size = chunk.last + 1 - first
        if size == 0 or size > 4:
            continue
        sentence_first = parsed.sentences[chunk.sentence][0]
        if first == sentence_first and size == 1:
            continue  # a bare capitalised word at a sentence's start is no name
        start, end = tokens[first].start, tokens[chunk.last].end
        if (
            _role_before(tokens, first)
            or size >= 2
            and first == chunk.first
            and subject_verb(parsed, index) is not None
        ):
            add(start, end)
    persons = sorted(
        [(s.start, s.end) for s in taken if s.label == label and type_attr and s.attrs.get(type_attr) == "person"]
        + [(s.start, s.end) for s in out]
    )
    for _start, end in persons:  # "Sgts Willian Tuesta, Ever Chavez, Fabian Fonseca, and Cpl. Junior Pozo"
        for _ in range(8):
            m = _LIST_NEXT.match(text, end)
            if m is None or any(w in _NOT_IN_NAMES for w in re.split(r"[- ]", m.group("name"))):
                break
            add(m.start("name"), m.end("name"))
            end = m.end("name")
    return out
