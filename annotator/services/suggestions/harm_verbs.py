"""Harm verbs by lemma: every form of "kill", "slaughter", "shoot dead", "take hostage"... from one entry (issue 12,
round 7).

The CASUALTY rules used to list the forms they had met ("killed", "killing"), so the next text's wording was missed
("Rebels kill 48 police", "slaughtered more than 400", "the murder of 19 people"). Here each harm is one entry: a
lemma, an optional particle that stays with it ("dead", "down", "to death", "hostage", "the throats of"), the schema
category, and the nouns that name the act ("killing", "murder"). ``conjugate`` makes the forms (base, -s, -ing,
past, past participle), so a new verb is one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from annotator.services.suggestions.verb_forms import conjugate

# what one suffers or sustains that is an injury: "suffered gunshot wounds", "sustained serious burns"
_INJURIES = (
    r"(?:[\w-]+\s+){0,2}?(?:injuries|injury|wounds|wound|burns|asphyxiation|fractures|trauma|amputations|"
    r"concussions?|bruises|cuts)"
)


@dataclass(frozen=True)
class Harm:
    lemma: str
    category: str
    particle: str = ""  # a regex after the verb: "dead", "to death", "hostage"
    nouns: tuple[str, ...] = ()  # the act named: "the killing of", "the murder of"
    intransitive: bool = False  # its subject is the victim without a passive ("A 57-year-old man also died")


HARMS: tuple[Harm, ...] = (
    Harm("kill", "killed", nouns=("killing", "killings", "lives")),
    Harm("slaughter", "killed", nouns=("slaughter",)),
    Harm("murder", "killed", nouns=("murder", "murders")),
    Harm("massacre", "killed", nouns=("massacre",)),
    Harm("execute", "killed", nouns=("execution", "executions")),
    Harm("behead", "killed", nouns=("beheading", "beheadings")),
    Harm("assassinate", "killed", nouns=("assassination",)),
    Harm("slay", "killed"),
    Harm("shoot", "killed", r"dead"),
    Harm("gun", "killed", r"down"),
    Harm("hack", "killed", r"to\s+death"),
    Harm("beat", "killed", r"to\s+death"),
    Harm("stab", "killed", r"to\s+death"),
    Harm("club", "killed", r"to\s+death"),
    Harm("burn", "killed", r"(?:alive|to\s+death)"),
    Harm("slit", "killed", r"(?:the\s+)?throats\s+of"),
    Harm("cut", "killed", r"the\s+throats\s+of"),
    Harm("leave", "killed", r"dead"),  # "left another person dead", "shot another rebel dead": see casualty_counts
    Harm("die", "killed", intransitive=True),
    Harm("perish", "killed", intransitive=True),
    Harm("stone", "killed", r"to\s+death"),
    Harm("starve", "killed", r"to\s+death"),
    Harm("lynch", "killed"),
    Harm("drown", "killed"),
    Harm("shoot", "injured"),  # "shot" without "dead"
    Harm("hit", "injured", r"by\s+(?:a\s+)?(?:stray\s+)?(?:bullets?|gunfire|shrapnel|sniper\s+fire)"),
    Harm("wound", "injured"),
    Harm("injure", "injured"),
    Harm("maim", "injured"),
    Harm("abduct", "missing", nouns=("abduction", "abductions")),
    Harm("kidnap", "missing", nouns=("kidnapping",)),
    Harm("take", "missing", r"(?:hostage|captive)"),
    Harm("hold", "missing", r"(?:hostage|captive)"),
    Harm("rape", "raped", nouns=("rape",)),
    Harm("displace", "displaced", nouns=("displacement",)),
    Harm("uproot", "displaced"),
    # round 8: lemmas of the same classes, not one more wording
    Harm("bury", "killed"),  # "had already been buried": the dead
    Harm("martyr", "killed"),  # "was martyred": killed, in the words of the victim's side
    Harm("embrace", "killed", r"martyrdom", intransitive=True),  # "10 soldiers embraced martyrdom"
    Harm("liquidate", "killed"),  # "militants ... were liquidated"
    # "people rushed to hospitals", "were taken to hospital": the subject is the one hurt, as with "treated for"
    Harm("rush", "injured", r"to\s+(?:the\s+|a\s+)?(?:hospitals?|clinics?)", intransitive=True),
    Harm("take", "injured", r"to\s+(?:the\s+|a\s+)?(?:hospitals?|clinics?)", intransitive=True),
    *(Harm(lemma, "killed", r"to\s+death") for lemma in ("chop", "crush", "trample", "torture", "batter", "bludgeon")),
    # "were treated for burns": the subject is the one hurt (never "treated for burns 23 farmers")
    Harm("treat", "injured", rf"for\s+{_INJURIES}", intransitive=True),
    Harm("receive", "injured", rf"(?:medical\s+|hospital\s+)?treatment(?:\s+for\s+{_INJURIES})?", intransitive=True),
    Harm("mutilate", "injured", nouns=("mutilation",)),
    Harm("drive", "displaced", r"out"),  # "were driven out of the province"
    Harm("chase", "displaced", r"(?:out|away)"),
    Harm("suffer", "injured", _INJURIES, intransitive=True),  # "suffered temporary asphyxiation"
    Harm("sustain", "injured", _INJURIES, intransitive=True),
    # fleeing and shelter: the figure rule's predicates after the people counted, never a count without a figure
    Harm("flee", "fled", r"(?:to|into|across)"),
    Harm("migrate", "fled", r"(?:from|to|out)"),
    Harm("flock", "fled", r"(?:to|into|across|out)"),
    Harm("stream", "fled", r"(?:to|into|across|out)"),
    Harm("pour", "fled", r"(?:to|into|across|out)"),
    Harm("live", "displaced", r"(?:[\w-]+\s+){0,4}?in\s+(?:[\w-]+\s+){0,2}?(?:camps|shelters|tents)"),
)


def _alternation(words: list[str]) -> str:
    return "|".join(sorted(dict.fromkeys(words), key=len, reverse=True))


@cache
def verb_pattern(category: str, *, participle_only: bool = False) -> str:
    """A regex alternation of every form of the category's verbs, each with its particle ("shot\\s+dead").

    ``participle_only`` keeps the past participles (what follows the people counted: "48 police were killed").
    """
    out = []
    for harm in HARMS:
        if harm.category != category or harm.intransitive or (participle_only and harm.particle.endswith("of")):
            continue  # "slit the throats of" comes before the people counted, never after them
        forms = conjugate(harm.lemma)
        chosen = forms[4:] if participle_only else forms
        for form in chosen:
            out.append(rf"{form}\s+{harm.particle}" if harm.particle else form)
    return _alternation(out)


@cache
def predicate_pattern(category: str) -> str:
    """What may follow the people counted: every form of a verb of moving or of a verb whose subject is the victim
    ("have flocked to", "streaming into", "suffered temporary asphyxiation"), the past participle of the others
    ("buried", "driven out"); each with its particle."""
    out = []
    for harm in HARMS:
        if harm.category != category or harm.particle.endswith("of"):
            continue
        forms = conjugate(harm.lemma)
        for form in forms if harm.intransitive or category in {"fled", "displaced"} else forms[4:]:
            out.append(rf"{form}\s+{harm.particle}" if harm.particle else form)
    return _alternation(out)


@cache
def act_nouns_pattern(category: str) -> str:
    """ "the murder of", "killings of": the nouns naming the category's acts (without the "of")."""
    return _alternation([noun for harm in HARMS if harm.category == category for noun in harm.nouns])


@lru_cache(maxsize=1)
def _forms() -> dict[str, tuple[Harm, int]]:
    table: dict[str, tuple[Harm, int]] = {}
    for harm in HARMS:
        for index, form in enumerate(conjugate(harm.lemma)):
            table.setdefault(form, (harm, min(index, 4)))
    return table


def harm_of(word: str, following: str = "") -> tuple[Harm, int, int] | None:
    """The harm a word is a form of, the form's index (0 base .. 4 participle) and the length of its particle in
    ``following`` (the text right after the word), or None. A verb with a particle counts only with it ("shot dead",
    not "shot")."""
    found = _forms().get(word.lower())
    if found is None:
        return None
    harm, index = found
    candidates = [h for h in HARMS if word.lower() in conjugate(h.lemma)]
    for candidate in sorted(candidates, key=lambda h: not h.particle):
        if not candidate.particle:
            return candidate, index, 0
        m = re.match(rf"\s+(?:{candidate.particle})(?![\w-])", following, re.IGNORECASE)
        if m:
            return candidate, index, m.end()
    return None
