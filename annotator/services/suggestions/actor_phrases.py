"""ACTOR phrases: the whole noun phrase the guidelines ask for, built from the names other
sources found.

The annotation guidelines (``annotations/sample/adjudicate.py``) want an ACTOR span to be
the name with its head noun and modifiers, without a determiner, and "X known as / dubbed
Y" as one span (the schema's own example: "Christian militiamen known as the
anti-Balaka"). The gazetteer finds names ("Seleka rebels", "Anti-Balaka", "Christian
militias", "MISCA"); this module widens them:

- **Modifiers before a group noun.** An ACTOR whose last word is a group noun (rebels,
  militias, troops, soldiers, peacekeepers, groups...) takes the words right before it that
  modify it: another ACTOR name ("Anti-Balaka" + "Christian militias"), a capitalised
  adjective of nationality or religion ("Muslim Seleka rebels"), and coordinations of
  those ("French and African peacekeepers"). It stops at a determiner, a number, a word
  another label claims (a LOCATION) and anything else.
- **A group noun after the name** ("Christian militia" + "groups"): a plural group noun
  right after an ACTOR is its head and joins it.
- **"X known as Y", "X, known as the Y", "X dubbed Y", "X nicknamed Y".** Y an ACTOR
  suggestion: X is the ACTOR that ends right before it, else the description before it read
  back to its determiner ("a coalition of mostly Muslim rebels dubbed Seleka" ->
  "coalition of mostly Muslim rebels dubbed Seleka"). The description may hold "of",
  adjectives and hyphenated words; it ends at a determiner, a preposition, a conjunction,
  punctuation, a number or a past-tense verb ("attacked rebels known as ..." gives
  "rebels known as ..."), and is given up when it has no such boundary within seven words.

``modifier_only`` tells the names that are no mention of an actor at all but part of a
word or a possessive modifying another noun: "U.N.-mandated", "African Union-led", "the
U.N.’s special representative", "Seleka’s leader". The guidelines do not say it in so many
words, but none of the sample annotators (alice, bob, gold) ever tagged such a name, and
the noun phrase there is about something else (a mission, a representative, a leader);
``engine.suggest`` drops them.

The new suggestions are longer than the names inside them, so ``engine.combine`` keeps
them and drops the parts. Their attributes are those of the head name (the group noun's
ACTOR, or Y).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from annotator.services.suggestions.base import Suggestion, sentence_start

SOURCE = "rules:actors"

HEAD_NOUNS = frozenset(
    """militias militia militiamen rebels rebel fighters forces force troops soldiers peacekeepers groups group
    gunmen guerrillas insurgents police army armies units brigades battalions contingent contingents coalition
    factions faction""".split()
)
RELIGIONS = frozenset(
    """Muslim Christian Jewish Hindu Buddhist Sunni Shia Shiite Catholic Protestant Evangelical Animist Islamist
    French Dutch Swiss Thai Greek Welsh Irish""".split()
)
_DEMONYM = re.compile(r"^[A-Z][a-z’'-]*(?:an|ean|ian|ese|ish|ic|i)$")
_NAMING = re.compile(r"(,?\s+)(?:also\s+)?(?:known\s+as|dubbed|nicknamed)\s+(?:the\s+)?$", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W_][\w’'.-]*[^\W_]|[^\W_]|\S")
_BOUNDARY = frozenset(
    """a an the this that these those its their his her our my your some many several other another all both each
    every no in at on from to by for with after before during against among between into onto over under about
    across through toward towards within without near and or but while as which who whom whose than then
    when where if because although though""".split()
)
_PAST_ADJECTIVES = frozenset("armed united organised organized unidentified masked".split())


def _is_modifier(word: str) -> bool:
    return word in RELIGIONS or bool(_DEMONYM.match(word))


def find_actor_phrases(
    text: str,
    found: Iterable[Suggestion],
    *,
    label: str = "ACTOR",
    heads: Iterable[str] = (),
) -> list[Suggestion]:
    """Widened ACTOR suggestions (new records; ``found`` is left as it is)."""
    found = list(found)
    head_words = HEAD_NOUNS | {w.split()[-1].lower() for w in heads if w.strip()}
    # the ACTORs, longest first where they overlap
    actors: list[Suggestion] = []
    for s in sorted((s for s in found if s.label == label), key=lambda s: (-(s.end - s.start), s.start)):
        if not any(s.start < a.end and a.start < s.end for a in actors):
            actors.append(s)
    actors.sort(key=lambda s: s.start)
    by_end = {a.end: a for a in actors}
    claimed = [(s.start, s.end) for s in found if s.label != label]

    def claimed_at(start: int, end: int) -> bool:
        return any(a < end and start < b for a, b in claimed)

    out: dict[tuple[int, int], Suggestion] = {}
    phrases: dict[int, tuple[int, Suggestion]] = {}  # end -> (start, head) of the widened phrase

    # 1. a plural group noun after the name, then the modifiers before the group noun
    for a in actors:
        end = a.end
        nxt = re.compile(r" ([^\W\d_]+s)(?![\w’'-])").match(text, end)
        if (
            nxt
            and nxt.group(1).lower() in head_words
            and not claimed_at(nxt.start(1), nxt.end(1))
            and nxt.end() not in by_end
        ):
            end = nxt.end()
        words = text[a.start : end].split()
        start = a.start
        if words and words[-1].lower() in head_words:
            start = _modifiers_start(text, a.start, by_end, claimed_at)
        phrases[end] = (start, a)
        if (start, end) != (a.start, a.end):
            out[(start, end)] = Suggestion(label, start, end, dict(a.attrs), source=SOURCE)

    # 2. "X known as Y"
    for y in actors:
        before = text[max(0, y.start - 40) : y.start]
        m = _NAMING.search(before)
        if not m:
            continue
        k = y.start - len(before) + m.start()  # where X must end
        if k in phrases:
            x_start = phrases[k][0]
        else:
            described = _description_start(text, k)
            if described is None or claimed_at(described, k):
                continue
            x_start = described
        attrs = dict(y.attrs)
        head = phrases[k][1] if k in phrases else None
        if head is not None:
            for key, value in head.attrs.items():
                attrs.setdefault(key, value)
        out[(x_start, y.end)] = Suggestion(label, x_start, y.end, attrs, source=SOURCE)
    return list(out.values())


def _previous_word(text: str, pos: int) -> tuple[str, int] | None:
    """The word that ends one space before ``pos``: (word, start)."""
    if pos < 2 or text[pos - 1] != " ":
        return None
    m = re.search(r"[^\W_][\w’'.-]*$", text[max(0, pos - 60) : pos - 1])
    if not m or not text[pos - 2].isalnum():
        return None
    word = m.group()
    return word, pos - 1 - len(word)


def _modifiers_start(
    text: str, start: int, by_end: dict[int, Suggestion], claimed_at: Callable[[int, int], bool]
) -> int:
    cursor = start
    while True:
        prev = _previous_word(text, cursor)
        if prev is None:
            return cursor
        word, w_start = prev
        if cursor - 1 in by_end:  # another ACTOR name right before: "Anti-Balaka Christian militias"
            cursor = by_end[cursor - 1].start
            continue
        if _is_modifier(word) and not claimed_at(w_start, w_start + len(word)):
            cursor = w_start
            continue
        first = text[cursor:].split(maxsplit=1)[0] if cursor < len(text) else ""
        if word == "and" and _is_modifier(first):
            # "French and African ...": "X and" when X and the word after "and" are modifiers
            before = _previous_word(text, w_start)
            if before and _is_modifier(before[0]) and not claimed_at(before[1], w_start):
                cursor = before[1]
                continue
        return cursor


def _description_start(text: str, end: int) -> int | None:
    """Start of the descriptive noun phrase ending at ``end`` ("coalition of mostly Muslim rebels")."""
    s0 = sentence_start(text, max(0, end - 1))
    tokens = list(_TOKEN.finditer(text, s0, end))
    taken: list[re.Match[str]] = []
    bounded = False
    for tok in reversed(tokens):
        word = tok.group()
        lower = word.lower()
        if (
            lower in _BOUNDARY
            or not word[0].isalnum()
            or word[0].isdigit()
            or (lower.endswith("ed") and "-" not in lower and lower not in _PAST_ADJECTIVES)
        ):
            bounded = True
            break
        taken.append(tok)
        if len(taken) > 7:
            return None
    if not taken or not taken[0].group()[0].islower() or taken[-1].group().lower() == "of":
        return None  # the head noun is a common noun; "of" cannot start the phrase
    if not bounded and len(taken) > 2:
        return None  # no determiner or boundary before it: where the phrase starts is a guess
    return taken[-1].start()


_MODIFIER_AFTER = re.compile(
    r"(?:’s|'s)(?![\w-])|-[^\W\d_]"
    r"|[ \t]+(?:peacekeeping|mission|report|site|compound|base|headquarters|officials?|[Ss]pokes(?:man|woman|person)|envoy|"
    r"staff|investigators|convoy|helicopters?|vehicles?|statement|data|figures|estimates?|[Ss]ecretary-[Gg]eneral|"
    r"[Ss]pecial\s+[Rr]epresentative|[Ss]pecial\s+[Ee]nvoy|[Hh]igh\s+[Cc]ommissioner|chief|head)(?![\w-])"
)


# "(Reuters)", "(AP Photo/...)", "(UrduPoint News / Sputnik - 14th June, 2019)"
_CREDIT_BEFORE = re.compile(r"\((?:The\s+)?$|\([^()\n]{1,40}/\s*$")
_CREDIT_AFTER = re.compile(r"\)|\s+Photo\b|/|\s+[-–—]\s[^()\n]{0,40}\)")


def modifier_only(text: str, s: Suggestion) -> bool:
    """The name only modifies another word: "U.N.-mandated", "the U.N.’s envoy", "a UN report"; or it is a
    credit line, no actor of the story: "(AP Photo/...)", "(The Associated Press)", "(Reuters)"."""
    if _MODIFIER_AFTER.match(text, s.end):
        return True
    return bool(_CREDIT_BEFORE.search(text, max(0, s.start - 45), s.start) and _CREDIT_AFTER.match(text, s.end))
