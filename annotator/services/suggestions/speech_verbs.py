"""The reporting verbs of English as a class: lemmas, every form generated, nouns of saying.

The lemmas are the reporting verbs of English-for-academic-purposes teaching lists (the verbs that
introduce direct or reported speech: "say", "tell", "insist", "allege", "recall", "warn", "plead",
"whisper", ...), with the verbs of writing and posting news copy uses ("write", "tweet", "post") and
of shouting in a crowd ("chant"). Their forms come from ``verb_forms.conjugate`` (the rules' one
conjugator: by rule, and an irregular table), never copied from one text. Verbs that far more often mean
something else than saying ("order", "call", "charge", "continue", "question", "read" outside "the statement read") are
left out; ``quotes.py`` reads "the statement read" as a frame of its own.
"""

from __future__ import annotations

import re
from functools import lru_cache

from annotator.services.suggestions.verb_forms import conjugate

# reporting verbs (EAP teaching lists of "reporting verbs"), the manner-of-speaking verbs a quote follows,
# and the verbs of publishing words
LEMMAS: tuple[str, ...] = tuple(
    (
        "say tell add insist allege claim write tweet post recall recount warn urge plead scream shout whisper "
        "explain note state declare announce admit deny complain lament vow quote acknowledge argue assert assure "
        "boast caution comment concede confess confirm contend cry demand exclaim grumble "
        "maintain mumble murmur mutter observe pledge proclaim protest reaffirm reiterate remark repeat reply "
        "respond retort reveal sigh sob stress emphasise emphasize swear testify threaten yell chant "
        "answer ask appeal apologise apologize beg muse predict reassure remind report wonder"
    ).split()
)
# the third person of these is a plural noun as often ("the reports", "her remarks"): left out
_NOUN_PLURALS = frozenset(
    "remarks reports posts comments protests demands appeals answers pledges vows cries quotes notes states claims "
    "repeats threatens".split()
)


@lru_cache(maxsize=1)
def forms() -> frozenset[str]:
    """Every inflected form of every lemma (the base form left out: "demand", "claim", "post" are nouns as often)."""
    out = {form for lemma in LEMMAS for form in conjugate(lemma)[1:]}
    return frozenset(out - _NOUN_PLURALS - {"reporting", "posting"})


def pattern(extra: str = "") -> str:
    """An alternation of the forms (longest first, for a regex), with ``extra`` alternatives before them."""
    words = sorted(forms(), key=lambda w: (-len(w), w))
    return "|".join(([extra] if extra else []) + [re.escape(w) for w in words])
