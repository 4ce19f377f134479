"""Every form of an English verb from its lemma: base, third person, -ing, past, past participle.

One conjugator for the rules that name verbs by lemma (harm_verbs, speech_verbs, quote_frames, the casualty
predicates): a regular verb by rule (a dropped e, y to ie, -es after a sibilant, a doubled final consonant), an
irregular one from the table.
"""

from __future__ import annotations

import re
from functools import cache

# forms English spells its own way: (third person, -ing, past, past participle)
_IRREGULAR: dict[str, tuple[str, str, str, str]] = {
    "slay": ("slays", "slaying", "slew", "slain"),
    "flee": ("flees", "fleeing", "fled", "fled"),
    "shoot": ("shoots", "shooting", "shot", "shot"),
    "take": ("takes", "taking", "took", "taken"),
    "beat": ("beats", "beating", "beat", "beaten"),
    "drive": ("drives", "driving", "drove", "driven"),
    "slit": ("slits", "slitting", "slit", "slit"),
    "cut": ("cuts", "cutting", "cut", "cut"),
    "burn": ("burns", "burning", "burned", "burnt"),
    "hold": ("holds", "holding", "held", "held"),
    "die": ("dies", "dying", "died", "died"),
    "leave": ("leaves", "leaving", "left", "left"),
    "hit": ("hits", "hitting", "hit", "hit"),
    "seek": ("seeks", "seeking", "sought", "sought"),
    "find": ("finds", "finding", "found", "found"),
    "lose": ("loses", "losing", "lost", "lost"),
    "say": ("says", "saying", "said", "said"),
    "tell": ("tells", "telling", "told", "told"),
    "write": ("writes", "writing", "wrote", "written"),
    "swear": ("swears", "swearing", "swore", "sworn"),
}
# short verbs whose last consonant doubles ("kidnapped", "gunned", "stabbed", "sobbed")
_DOUBLING = frozenset("kidnap gun stab club chop admit sob beg".split())


@cache
def conjugate(lemma: str) -> tuple[str, ...]:
    """The lemma's forms: base, third person, -ing, past, past participle (plus a variant spelling if any)."""
    if lemma in _IRREGULAR:
        forms = (lemma, *_IRREGULAR[lemma])
        return (*forms, "burned") if lemma == "burn" else forms
    stem = lemma + lemma[-1] if lemma in _DOUBLING else lemma
    if lemma.endswith("e"):
        return (lemma, lemma + "s", lemma[:-1] + "ing", lemma + "d", lemma + "d")
    if re.search(r"[^aeiou]y$", lemma):
        return (lemma, lemma[:-1] + "ies", lemma + "ing", lemma[:-1] + "ied", lemma[:-1] + "ied")
    third = lemma + ("es" if re.search(r"(?:s|sh|ch|x|z)$", lemma) else "s")
    return (lemma, third, stem + "ing", stem + "ed", stem + "ed")
