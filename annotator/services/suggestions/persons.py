"""Person names: "Prime Minister Andre Nzapayeke", "General Francisco Soriano", and the
capitalised names that quote attributions point at ("said Joanne Mariner", "Guterres said").

A name is suggested as an ACTOR (``actor_type = "person"``) only where something says it is
a person: a title before it (here), or a speech verb next to it (``quotes.py``).
"""

from __future__ import annotations

import re

from annotator.services.suggestions.base import Suggestion

SOURCE = "rules:persons"

TITLES = (
    r"President|Presidents|Vice[- ]President|Prime\s+Minister|Minister|Foreign\s+Minister|Defen[cs]e\s+Minister|"
    r"General|Gen\.|Brigadier|Brig\.|Admiral|Adm\.|Cmdr\.|Lt\.\s+Gen\.|Colonel|Col\.|Captain|Capt\.|Major|Maj\.|Sergeant|Sgt\.|Lieutenant|Commander|"
    r"Mr\.|Mrs\.|Ms\.|Dr\.|Mr|Mrs|Ms|Dr|Mayor|Governor|Gov\.|Senator|Sen\.|Archbishop|Bishop|Imam|Pope|Pastor|Father|Sister|"
    r"King|Queen|Prince|Sheikh|Judge|Ambassador|Secretary[- ]General|Chancellor|Rev\."
)
_NAME_WORD = r"[A-Z][\w’'.-]*[\w]"
_PARTICLE = r"(?:de|da|du|del|der|van|von|le|la|al|el|bin|ibn)"
NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{0,3}}"
_TITLED = re.compile(rf"(?<![\w-])(?:{TITLES})\s+(?P<name>{NAME})")
NAME_RE = re.compile(rf"(?<![\w-]){NAME}")

# Capitalised words that are never (the start of) a person's name in attributions.
NOT_NAMES = frozenset(
    """The A An In On At But And Or If When While As After Before Since For Of To From By With This That These Those
    He She It They We I You His Her Its Their Our My Your Who Whom Which What Where Why How There Here Then Now Yet
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
    September October November December Jan Feb Mar Apr Jun Jul Aug Sept Sep Oct Nov Dec Another Other Some Many
    Most All Both Each Every No Not One Two Three Four Five Six Seven Eight Nine Ten Muslim Muslims Christian
    Christians Central African Africans French American International National Security Council Republic
    Government Army Police Court Union Nations Rights Watch Group Agency Office Ministry Commission Committee
    Sir Madam Lord Lady Mission Force Forces Report""".split()
)


def clean_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim a capitalised run to a plausible name (no leading 'The', no trailing 'Said')."""
    words = list(re.finditer(r"\S+", text[start:end]))
    while words and words[0].group().rstrip(".,") in NOT_NAMES:
        words.pop(0)
    while words and words[-1].group().rstrip(".,") in NOT_NAMES:
        words.pop()
    if not words:
        return None
    s, e = start + words[0].start(), start + words[-1].end()
    while e > s and text[e - 1] in ".,’'":
        e -= 1
    if text[e - 2 : e] in ("’s", "'s"):
        e -= 2
    return (s, e) if e > s else None


def find_titled_persons(text: str, *, label: str = "ACTOR", type_attr: str | None = "actor_type") -> list[Suggestion]:
    out: list[Suggestion] = []
    for m in _TITLED.finditer(text):
        # "Presidents Barack Obama and Francois Hollande": both names
        names = [(m.start("name"), m.end("name"))]
        rest = re.match(rf"\s+and\s+(?P<name>{NAME})", text[m.end("name") :])
        if rest and m.group().split()[0].endswith("s"):
            names.append((m.end("name") + rest.start("name"), m.end("name") + rest.end("name")))
        for s, e in names:
            cleaned = clean_name(text, s, e)
            if cleaned is None:
                continue
            attrs = {type_attr: "person"} if type_attr else {}
            out.append(Suggestion(label=label, start=cleaned[0], end=cleaned[1], attrs=attrs, source=SOURCE))
    return out
