"""The words of the figure-first CASUALTY counts (``casualty_figures``): what a figure may count, the states and
nouns that are a harm's predicate themselves, the predicates of moving and losing, and the words that end a clause
(issue 12, round 9)."""

from __future__ import annotations

from annotator.services.suggestions.harm_verbs import HARMS, Harm
from annotator.services.suggestions.verb_forms import conjugate

# things a harm verb may befall that are not people: "two vehicles were destroyed", "50 houses burned"
THINGS = frozenset(
    """vehicles cars trucks lorries buses motorbikes motorcycles boats canoes houses homes huts buildings shops stores
    schools churches mosques villages towns hectares acres weapons guns rifles rounds shells rockets missiles mortars
    bombs mines cattle cows goats sheep camels animals livestock tents shelters bags sacks tonnes tons litres dollars
    kilometres kilometers miles tanks drones helicopters aircraft planes hospitals clinics wells crops fields
    positions posts bases checkpoints offices properties structures dwellings premises roads bridges ships cases
    incidents attacks raids clashes operations hours days weeks months years times percent""".split()
)
# a harm that needs an animate patient: any plural noun it befalls is counted
ANIMATE = frozenset({"killed", "injured", "missing", "raped"})
# the state a figure is in after a copula or a verb of finding: "were found dead", "are missing", "N dead"
STATES = {
    "dead": "killed",
    "deceased": "killed",
    "missing": "missing",
    "hurt": "injured",
    "wounded": "injured",
    "injured": "injured",
    "homeless": "displaced",
    "displaced": "displaced",
    "killed": "killed",
}
# nouns that are the predicate themselves: "12 bodies", "30 casualties", "five deaths"
PREDICATE_NOUNS = {
    "bodies": "killed",
    "corpses": "killed",
    "deaths": "killed",
    "dead": "killed",
    "fatalities": "killed",
    "casualties": "killed",
    "lives": "killed",
    "wounded": "injured",
    "injured": "injured",
    "injuries": "injured",
    "refugees": "fled",
    "displaced": "displaced",
    "killings": "killed",
    "murders": "killed",
    "abductions": "missing",
    "kidnappings": "missing",
    "missing": "missing",
    "homeless": "displaced",
}
BE = frozenset("was were is are been be being got get gets getting had has have having".split())
PASSIVE_BE = frozenset("was were is are been be being got get gets getting".split())
# verbs after which the state is the predicate: "were found dead", "went missing", "are feared dead"
FINDING = frozenset(
    "found reported confirmed feared presumed believed listed left declared pronounced gone went go goes remain".split()
)
# predicates of moving and of losing that the harm verbs leave to the figure rule's patterns: the people counted are
# their subject ("have sought refuge", "lost their lives", "were forced to leave their homes")
MOVES: tuple[Harm, ...] = (
    Harm("seek", "displaced", r"(?:refuge|shelter|safety)", intransitive=True),
    Harm("take", "displaced", r"(?:refuge|shelter)", intransitive=True),
    Harm("find", "displaced", r"(?:refuge|shelter)", intransitive=True),
    Harm("shelter", "displaced", intransitive=True),
    Harm("camp", "displaced", intransitive=True),
    Harm("escape", "fled", intransitive=True),
    Harm("flee", "fled", intransitive=True),
    Harm("abandon", "fled", r"(?:their|his|her)\s+(?:homes?|houses?|villages?|towns?|land|farms?)", intransitive=True),
    Harm(
        "leave", "fled", r"(?:their|his|her)\s+(?:homes?|houses?|villages?|towns?|country|land|area)", intransitive=True
    ),
    Harm("arrive", "fled", intransitive=True),
    Harm("cross", "fled", r"(?:into|over|the\s+border)", intransitive=True),
    Harm("lose", "killed", r"their\s+lives", intransitive=True),
    Harm("force", "fled", r"to\s+(?:flee|run)", intransitive=True),
    Harm("force", "displaced", r"(?:to\s+(?:leave|abandon|quit)|from|out)", intransitive=True),
    Harm("drive", "displaced", r"(?:from|out)", intransitive=True),
    Harm("evacuate", "displaced", intransitive=True),
    Harm("admit", "injured", r"(?:to|into)\s+(?:the\s+|a\s+)?(?:hospitals?|clinics?)", intransitive=True),
    Harm("hospitalize", "injured", intransitive=True),
    Harm("hospitalise", "injured", intransitive=True),
    Harm("expel", "displaced", intransitive=True),
    Harm("evict", "displaced", intransitive=True),
    Harm("relocate", "displaced", intransitive=True),
)
# what a caused-motion verb before the figure makes of it: "forced N to flee", "driven N from their homes"
CAUSED = frozenset(form for lemma in ("force", "drive", "compel", "push", "chase") for form in conjugate(lemma))
# a verb whose object is the people it lost: "we have lost 11 of our people", "the army lost 53 men"
LOSE = frozenset(conjugate("lose"))
# body parts a victim "had ... slit/hacked off": "had their throats slit", "had their ears cut off"
BODY_HARM = {"throats": "killed", "throat": "killed", "heads": "killed", "limbs": "injured", "hands": "injured",
              "ears": "injured", "noses": "injured", "lips": "injured", "legs": "injured", "arms": "injured",
              "feet": "injured", "eyes": "injured", "fingers": "injured"}  # fmt: skip
HEDGE = frozenset("would could might may should must can".split())
RELATIVE = frozenset({"who", "that", "which", "whom"})
# act nouns before "of" + figure: "the deaths of 12", "the abduction of 30"
ACT_OF = {noun: harm.category for harm in HARMS for noun in harm.nouns} | {
    "death": "killed",
    "deaths": "killed",
    "massacre": "killed",
    "murder": "killed",
    "exodus": "fled",
    "flight": "fled",
    "evacuation": "displaced",
    "displacement": "displaced",
}
BREAKDOWN = frozenset({"including", "among", "included", "include", "includes"})
# a figure joined to a count given before it in its clause shares its predicate: "killed along with four police"
ALONG = r"along\s+with|as\s+well\s+as|in\s+addition\s+to|together\s+with"
CLAUSE_END = frozenset({";", ":", "(", ")", "—", "–", "?", "!"})
NP = frozenset({"JJ", "JJR", "JJS", "NN", "NNS", "NNP", "NNPS"})
OBJECT_START = frozenset({"DT", "CD", "PRP", "PRP$", "NNS", "NNP", "NNPS"})


TOLL_VERBS = frozenset(
    "of to at reached hit rose risen climbed stood stands stand was is topped passed exceeded".split()
)
