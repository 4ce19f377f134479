"""Person mentions that no list and no ACTOR rule names: a generator of its own.

Each pattern shows by its context that a capitalised run is a person (the guidelines tag the
name with no title, ``actor_type = "person"``), or that a role description speaks:

- a role or title before a name: "government spokesman Wilfried Houngbedji", "County
  Commissioner Irungu Macharia", "Col. Edgar Arevalo", "Dr. Rafiqul Islam", "Mr Aung";
- an apposition after a name: "Youssef al-Hadri, spokesman for ...", "Hauwa Modu, 34, a farmer",
  "Ghulam Ali Baloch, home secretary of ...";
- a name of two to four words as the subject or the object of an attribution: "Pavlo Kyrylenko
  posted", "said 60-year-old Sonise Mirano", "told Reuters Amina Bello" is not (an agency);
- a name the text gives as one: "who gave his name only as Koka";
- a role description that speaks: "a police officer said", "said the officer", "a local
  gendarmerie officer who also requested anonymity told", "the member of this governing body
  assured".

Everything here is a suggestion where no other source has one (``taken``); names that are
places, organisations or words no name starts with are left alone.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from annotator.services.suggestions.actor_nouns import THING_AFTER
from annotator.services.suggestions.base import ABBREVIATIONS, Suggestion
from annotator.services.suggestions.persons import NOT_NAMES
from annotator.services.suggestions.syntax import parse

SOURCE = "rules:person-mentions"

# role nouns that stand before a name ("spokesman X") or after it in an apposition ("X, spokesman for")
ROLES = (
    r"spokes(?:man|woman|person)|commissioner|secretary|chief|commander|director|head|official|officer|"
    r"administrator|governor|mayor|minister|coordinator|envoy|representative|ambassador|advis[eo]r|analyst|"
    r"researcher|expert|lawyer|activist|journalist|correspondent|resident|farmer|survivor|witness|leader|"
    r"chairman|chairwoman|chairperson|president|founder|manager|inspector|superintendent|prosecutor|judge|"
    r"deputy|member|worker|doctor|nurse|teacher|student|trader|elder|priest|pastor|imam|bishop|cleric|"
    r"villager|mother|father|widow|fisherman|driver|soldier|colonel|general|major|captain|lieutenant|sergeant|"
    r"dictator|warlord|strongman|ruler|premier|chancellor|monarch|prophet|preacher"
)
# titles written before a name, abbreviated or not (a one-word name is enough after them)
TITLES = r"Dr\.?|Gen\.|Col\.|Maj\.|Capt\.|Lt\.|Sgt\.|Brig\.|Cpl\.|Rev\.|Mr\.?|Mrs\.?|Ms\.?|Prof\.|Father|Sheikh|(?:President|Governor|Mayor|Premier)-elect"
_VERBS = (
    r"said|says|told|tells|added|posted|wrote|tweeted|stated|explained|warned|confirmed|assured|insisted|"
    r"recalled|recounted|described|noted|stressed|urged|announced|denied|claimed|asked"
)
_PARTICLE = r"(?:de|da|du|del|der|van|von|le|la|al|el|bin|ibn|abu|ben)"
_WORD = r"(?:(?:al|el|ad|ash|as|ar|an|at|az)-)?[A-Z][a-z’']*[a-z](?:-[A-Z]?[a-z’']*[a-z])*"  # "Houngbedji", "al-Hadri", "Ki-moon"
_NAME = rf"(?:(?:[A-Z]\.){{1,3}}\s?)?{_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_WORD}){{0,3}}"
_NAME_RE = re.compile(rf"(?<![\w’'.-]){_NAME}(?![\w’'-])")

# "government spokesman Wilfried Houngbedji", "home secretary X", "Commissioner X": role, then a name
_ROLE_NAME = re.compile(rf"(?<![\w-])(?i:{ROLES})\s+(?P<name>{_NAME})(?![\w’'-])")
# "Col. Edgar Arevalo", "Dr. Islam", "Father Bernard": a title, then a name of any length
_TITLE_NAME = re.compile(rf"(?<![\w-])(?:{TITLES})\s+(?P<name>{_NAME})(?![\w’'-])")
# "Youssef al-Hadri, spokesman for", "Hauwa Modu, 34, a farmer", "X, the head of", "X, home secretary of"
_NAME_APPOSITION = re.compile(
    rf"(?<![\w’'.-])(?P<name>{_NAME}),\s+(?:\d{{1,3}},\s+)?(?:(?:a|an|the)\s+)?(?:(?!(?:{_VERBS})\b)[\w’'-]+\s+){{0,3}}?"
    rf"(?i:{ROLES})s?\b"
)
# "Pavlo Kyrylenko posted", "said 60-year-old Sonise Mirano", "according to X Y"
_NAME_VERB = re.compile(rf"(?<![\w’'.-])(?P<name>{_NAME})\s+(?:also\s+|later\s+)?(?:{_VERBS})(?![\w-])")
# "the mayor of the district, Odai al-Khadran, told": a name set off by commas before the verb
_COMMA_NAME_VERB = re.compile(rf"(?<=,\s)(?P<name>{_NAME}),\s+(?:also\s+)?(?:{_VERBS})(?![\w-])")
_VERB_NAME = re.compile(
    rf"(?<![\w-])(?:{_VERBS}|according\s+to)\s+(?:\d{{1,3}}-year-old\s+)?(?P<name>{_NAME})(?=\s*[,.;:]|\s+(?:on|in|at|who)\b)"
)
# "said the spokesman, Gulab Shah", "said the head of the region's administration, Vadym Filashkin."
_ROLE_COMMA_NAME = re.compile(
    rf"(?<![\w-])(?:said|says|told|added|according\s+to)\s+the\s+(?:[\w’'-]+\s+){{0,3}}?(?i:{ROLES})"
    rf"(?:\s+(?:of|for|in|at)\s+[^,.;“”\"\n]{{1,60}}?)?,\s+(?P<name>{_NAME})(?=\s*[,.;]|\s*$)"
)
# "who gave his name only as Koka", "a man identified only as Juma": a name the text gives as one
_NAMED_AS = re.compile(
    rf"(?<![\w-])(?:gave\s+(?:his|her|their)\s+(?:first\s+)?names?\s+(?:only\s+)?as|identified\s+only\s+as|"
    rf"known\s+only\s+as)\s+(?P<name>{_NAME})(?![\w’'-])"
)
# role descriptions that speak: "a police officer said", "the member of this governing body assured"
_SPEAKING_ROLES = r"officers?|members?|officials?|spokes(?:man|woman|person)|sources?|witness(?:es)?|residents?"
_DESCRIPTION_SAYS = re.compile(
    rf"(?<![\w-])(?i:a|an|the|one|another)\s+(?P<np>(?:[a-z][\w-]*\s+){{0,3}}?(?i:{_SPEAKING_ROLES})"
    rf"(?:\s+of\s+(?:this|the|that|a)\s+(?:[a-z][\w-]*\s+){{0,2}}?[a-z][\w-]*)?)"
    rf"(?:\s+(?:of|from|in|at)\s+(?:the\s+)?(?:[A-Z][\w’'-]*\s+){{0,5}}[A-Z][\w’'-]*(?:\s+\([A-Z]{{2,8}}\))?)?"
    rf"(?:\s*,?\s+who\s+[^,.;!?“”\"]{{1,60}}?)?\s*,?\s+(?:also\s+)?(?:{_VERBS}|spoke|blamed|accused|cited)(?![\w-])"
)
# "confirmed by a local administrative official": the one who confirmed
_DESCRIPTION_BY = re.compile(
    rf"(?<![\w-])(?:confirmed|reported|announced|stated|given|quoted)\s+by\s+(?:a|an|the)\s+"
    rf"(?P<np>(?:[a-z][\w-]*\s+){{0,3}}?(?:{_SPEAKING_ROLES}))(?![\w-])"
)
_SAYS_DESCRIPTION = re.compile(
    rf"(?<![\w-])(?:said|told|added)\s+(?:the|a|an)\s+(?P<np>(?:[a-z][\w-]*\s+){{0,3}}?(?:{_SPEAKING_ROLES}))(?![\w-])"
)
_PLACE_BEFORE = re.compile(r"(?:^|\s)(?:of|in|at|near|from|into|outside|around)\s+(?:the\s+)?$")
# words that make a capitalised run no person's name
_NOT_PERSON = NOT_NAMES | frozenset(
    """State County Region Province Territory District Camp Village Town City Army Forces Agency News Mission
    Nations University Bank Institute Department Democratic Republic Kingdom Lake River Street Hospital Church
    Telegram Facebook Twitter Reuters AFP AP Xinhua Anadolu Press Radio Television TV Islamic Daesh Al Qaeda
    Council Commission Committee Ministry Office Police Party Front Movement Brigade Brigades Coalition Alliance
    Organization Organisation Service Services Red Cross Crescent Human Amnesty UN UNHCR Doctors Minister
    Secretary Commissioner Governor Mayor Spokesman Spokeswoman Chief Head Director President General Colonel
    North South East West Northern Southern Eastern Western Upper Lower Middle New Old Saint St Mount Day
    Later Earlier Meanwhile However Also Still Separately Elsewhere Today Yesterday Tonight Last Next Local
    Several Residents Witnesses Officials Police Troops Soldiers Rebels Militants Activists Then Thus Instead
    Brigadier-General Major-General Lieutenant-General Lieutenant-Colonel Brigadier Lieutenant Major Captain
    Sergeant Corporal Private Admiral Marshal Field U.S U.N U.K E.U""".split()
)


def _overlaps(starts: list[int], spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_left(starts, end)
    return any(b > start for _a, b in spans[max(0, i - 8) : i])


def _clean(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The name without words no person's name holds at its edges; None if any is inside."""
    words = list(re.finditer(r"\S+", text[start:end]))
    while words and words[0].group().strip(".,’'") in _NOT_PERSON:
        words.pop(0)
    while words and words[-1].group().strip(".,’'") in _NOT_PERSON:
        words.pop()
    if not words or any(w.group().strip(".,’'") in _NOT_PERSON for w in words):
        return None
    s, e = start + words[0].start(), start + words[-1].end()
    if text[e - 2 : e] in ("’s", "'s"):
        e -= 2
    return (s, e) if e > s else None


def find_person_mentions(
    text: str, taken: Iterable[Suggestion] = (), *, label: str = "ACTOR", type_attr: str | None = "actor_type"
) -> list[Suggestion]:
    """Person names and speaking role descriptions where no other suggestion is (see the module)."""
    spans = sorted((s.start, s.end) for s in taken)
    starts = [a for a, _ in spans]
    out: list[Suggestion] = []

    def add(start: int, end: int, *, min_words: int, role: bool = False) -> None:
        nonlocal starts, spans
        cleaned = (start, end) if role else _clean(text, start, end)
        if cleaned is None:
            return
        if not role and (
            len(text[cleaned[0] : cleaned[1]].split()) < min_words or text[cleaned[0] : cleaned[1]].isupper()
        ):
            return  # too short for a name without a title; a dateline, an acronym
        start, end = cleaned
        if text.startswith(".", end) and text[start:end].lower() in ABBREVIATIONS:
            return  # "Lt. Col. Chris Vernon": "Col." is a title, no name
        if not role and _PLACE_BEFORE.search(text, max(0, start - 12), start):
            return  # "a resident of Nyaung Kone said", "the town of Chasiv Yar": a place
        if _overlaps(starts, spans, start, end):
            return
        j = bisect.bisect_left(starts, start)
        starts.insert(j, start)
        spans.insert(j, (start, end))
        attrs = {type_attr: "person"} if type_attr else {}
        out.append(Suggestion(label=label, start=start, end=end, attrs=attrs, source=SOURCE))

    for title_pattern in (_TITLE_NAME, _NAMED_AS):
        for m in title_pattern.finditer(text):
            add(m.start("name"), m.end("name"), min_words=1)
    for pattern in (_ROLE_NAME, _ROLE_COMMA_NAME, _NAME_APPOSITION, _NAME_VERB, _COMMA_NAME_VERB, _VERB_NAME):
        for m in pattern.finditer(text):
            add(m.start("name"), m.end("name"), min_words=2)
    for pattern in (_DESCRIPTION_SAYS, _SAYS_DESCRIPTION, _DESCRIPTION_BY):
        for m in pattern.finditer(text):
            if THING_AFTER.match(text, m.end("np")):
                continue  # "said an official notice": the role noun is an adjective there
            add(m.start("np"), m.end("np"), min_words=1, role=True)
    return sorted(out, key=lambda s: s.start)


_NAME_TOKEN = re.compile(r"[A-Z][a-z’'-]*[a-z](?:-[A-Z]?[a-z’']+)*")  # "Gabarayev", "Wolfe-Murray"; no acronym


# "Ayele, a prominent opposition figure in the town, is now living ...": one name opening a sentence, in apposition
_APPOSED_ONE = re.compile(r",\s+(?:an?|the)\s+[^,.;!?“”\"]{1,80},")


def tagged_names(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Runs of two to four proper nouns (the tagger's NNP) in [start, end) that may name a person: "Anatoly
    Gabarayev, 65, ... stood waiting". No word of the run is one no person's name holds ("Red Cross", "Province")."""
    parsed = parse(text)
    tokens = parsed.tokens
    out: list[tuple[int, int]] = []
    i = parsed.token_index(start)
    while i < len(tokens) and tokens[i].end <= end:
        j = i
        while (
            j < len(tokens)
            and tokens[j].end <= end
            and tokens[j].tag in ("NNP", "NNPS")
            and _NAME_TOKEN.fullmatch(tokens[j].text)
            and tokens[j].text not in _NOT_PERSON
        ):
            j += 1
        whole = (j >= len(tokens) or tokens[j].tag not in ("NNP", "NNPS")) and (
            i == 0 or tokens[i - 1].tag not in ("NNP", "NNPS")
        )
        opens = i == 0 or tokens[i - 1].text in (".", "!", "?") or "\n" in text[tokens[i - 1].end : tokens[i].start]
        if 2 <= j - i <= 4 and whole or j - i == 1 and whole and opens and _APPOSED_ONE.match(text, tokens[i].end):
            out.append((tokens[i].start, tokens[j - 1].end))
        i = max(j, i + 1)
    return out
