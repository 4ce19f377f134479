"""CASUALTY rule: casualty and displacement figures in news copy.

"at least 100 Muslims were killed" -> CASUALTY over the whole phrase with
``count_min=100``, ``qualifier="at least"``, ``category="killed"``, ``victims="Muslims"``.

A number becomes a suggestion only when a category word ("killed", "fled", "in desperate need"...) follows it in
the same clause, or comes just before it ("the exodus of tens of thousands of Muslims"). Dates, years, ages,
durations, percentages, money, identifiers ("Resolution 2127", "PK12") or partitives ("four of them") never are.

The span is the figure phrase as the annotation guidelines define it: from the qualifier (or a predicate word
before the figure: "exodus of", "driven") through the predicate, with the verb's object or obligatory complement but
no adjunct of time, place, cause or purpose. So the direct object of a verb of leaving ("have fled their homes",
"left Bangui", "fleeing the daily violence") is in, as is the object of a predicate that ends in a preposition or
particle ("forced from their villages", "driven out of the area", "crossed into Chad"); a prepositional phrase after
the predicate ("at the airport", "in January", "for their safety", "to Chad") is not, nor is a time noun ("fled last
week"). A determiner before the figure or the predicate noun ("the exodus of") is never in.
"""

from __future__ import annotations

import re

from annotator.services.suggestions.base import Suggestion, sentence_end
from annotator.services.suggestions.casualty_checks import act_noun_after_a_verb as _act_far
from annotator.services.suggestions.casualty_checks import (
    apposition_end,
    counts_no_people,
    left_without_people,
    population,
)
from annotator.services.suggestions.casualty_counts import counts_by_shape, is_people, perpetrators_acting, plural_head
from annotator.services.suggestions.casualty_counts import names_a_person as names_a_person  # for the engine
from annotator.services.suggestions.casualty_extent import CAUSED_MOTION as _CAUSED_MOTION
from annotator.services.suggestions.casualty_extent import NP_STOP as _NP_STOP
from annotator.services.suggestions.casualty_extent import caused_motion_end as _caused_motion_end
from annotator.services.suggestions.casualty_extent import complement_end as _complement_end
from annotator.services.suggestions.casualty_extent import count_suggestion as _count
from annotator.services.suggestions.casualty_extent import qualifier as _qualifier
from annotator.services.suggestions.casualty_extent import skip_space as _skip_space
from annotator.services.suggestions.casualty_figures import figure_counts
from annotator.services.suggestions.casualty_phrases import aged_victims, vague_and_named
from annotator.services.suggestions.casualty_victims import victims_without_figures
from annotator.services.suggestions.combine import Intervals, longest_disjoint
from annotator.services.suggestions.harm_verbs import act_nouns_pattern, harm_of, predicate_pattern, verb_pattern
from annotator.services.suggestions.numbers import NumberMatch, find_numbers

LABEL = "CASUALTY"
SOURCE = "rules:casualty"

_AUX = r"(?:(?:have|has|had|were|was|are|is|been|being|be|will|would|may|might|reportedly|already|newly|now|since|also|all|internally|forcibly|recently|just|either|still|being)\s+)*"
# category words after the figure (searched in the rest of the clause)
_FORWARD: list[tuple[str, str | None]] = [
    (
        r"killed|dead|died|die|deaths?|massacred|slaughtered|murdered|executed|perished|slain|lost\s+their\s+lives|"
        r"(?:burned|burnt|hacked|beaten|stabbed|shot|stoned|clubbed)\s+to\s+death|shot\s+dead|(?:burned|burnt|buried)\s+alive|beheaded|bodies|corpses|"
        r"martyred|lives|fatalities|succumbed|killings|murders|had\s+their\s+throats\s+(?:slit|cut)|throats\s+(?:slit|cut)",
        "killed",
    ),
    (rf"{verb_pattern('killed', participle_only=True)}", "killed"),
    (
        rf"{verb_pattern('injured', participle_only=True)}|injured|wounded|hurt|maimed|hospitali[sz]ed|injuries|(?:gunshot\s+|stab\s+)?wounds|admitted\s+to\s+(?:the\s+)?hospital",
        "injured",
    ),
    (r"raped|sexually\s+(?:assaulted|abused)", "raped"),
    (
        r"(?:newly\s+|internally\s+)?displaced|(?:sought|seeking|seek|taken|take|taking|found)\s+(?:refuge|shelter)|sheltering|uprooted|homeless|"
        r"driven\s+(?:from|out)|forced\s+(?:from|out)|forced\s+to\s+(?:leave|abandon)|expelled|evacuated",
        "displaced",
    ),
    (
        r"fled|fleeing|flee|flees|escaped|escaping|left|leaving|crossed\s+into|crossed\s+(?:the\s+)?border|forced\s+to\s+flee|refugees|"
        r"(?:have|has|had)\s+(?:now\s+)?arrived|arrived\s+(?:in|from)|(?:were|are)\s+hiding|in\s+hiding|"
        r"(?:pour|poured|pouring|stream|streamed|streaming)\s+(?:out|into|across)",
        "fled",
    ),
    (rf"missing|disappeared|unaccounted\s+for|{verb_pattern('missing', participle_only=True)}", "missing"),
    (
        r"in\s+(?:desperate\s+|urgent\s+|dire\s+|immediate\s+)?need|need\s+(?:of\s+)?(?:help|aid|assistance|protection)|affected|food[\s-]+insecure|require\s+(?:aid|assistance)|in\s+ghettos|trapped|besieged|stranded",
        "affected/in need",
    ),
    (r"remained|remain|remains|were\s+left|are\s+left|casualties", None),
    *((predicate_pattern(cat), cat) for cat in ("fled", "displaced", "injured", "killed")),  # round 8: by lemma
    (rf"(?:{act_nouns_pattern('missing')})\s+of", "missing"),  # "scores of abductions of children"
    (r"(?:trying|tried|try|attempting|attempted)\s+to\s+(?:cross|flee|escape)", "fled"),  # the attempt to flee
]
_FORWARD_RE = [(re.compile(rf"(?<![\w-])(?:{p})(?![\w-])", re.IGNORECASE), cat) for p, cat in _FORWARD]
# category words just before the figure ("the exodus of", "killed")
_BACKWARD: list[tuple[str, str]] = [
    (r"exodus\s+of|flight\s+of", "fled"),
    (r"displacement\s+of|displaced|driven|drove|expelled|forced\s+out|forced|evacuated|uprooted", "displaced"),
    (
        r"killed|killing|killing\s+of|killings\s+of|deaths?\s+of(?:\s+(?:their|the|our|his|her|its))?|massacre\s+of|"
        r"(?:fatal\s+)?shootings?\s+of|shot\s+dead|(?:shot\s+and\s+)?(?:hacked|beaten|stabbed|burned|burnt)\s+to\s+death|massacred|murdered|executed|(?:have\s+|has\s+|had\s+)?lost|"
        r"(?:death\s+)?toll\s+(?:of|to|at|(?:(?:has|had|have)\s+)?(?:now\s+)?(?:was|is|hit|rose|risen|stood\s+at|stands\s+at|"
        rf"[a-z]+ed)(?:\s+(?:to|at))?)|{verb_pattern('killed')}|(?:{act_nouns_pattern('killed')})\s+of",
        "killed",
    ),
    (rf"{verb_pattern('injured')}", "injured"),
    (r"raped|rape\s+of", "raped"),
    (rf"{verb_pattern('missing')}|(?:{act_nouns_pattern('missing')})\s+of", "missing"),
]
_BACKWARD_RE = [
    (
        re.compile(
            rf"(?<![\w-])(?:{p})\s+(?:(?:at\s+least|more\s+than|nearly|about|some|an\s+estimated|up\s+to|over|another|a\s+total\s+of)\s+)?$",
            re.IGNORECASE,
        ),
        cat,
    )
    for p, cat in _BACKWARD
]

_MONTHS = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_UNIT_AFTER = re.compile(
    r"""^(?:\s*-\s*[a-z]|\s*(?:%|percent\b|per\s*cent\b|years?\b|months?\b|weeks?\b|days?\b|hours?\b|minutes?\b|seconds?\b|decades?\b|centuries\b|century\b
       |km\b|kilomet|miles?\b|met(?:er|re)s?\b|kg\b|tons?\b|tonnes?\b|a\.m\.|p\.m\.|o['’]clock|dollars?\b|euros?\b|francs?\b|cfa\b|usd\b|times\b|st\b|nd\b|rd\b|th\b
       |by\s+one\b|another\b|or\s+two\b|(?:'|’)s\b))""",
    re.IGNORECASE | re.VERBOSE,
)
# a partitive ("four of them"): the figure rule's partitives are casualty_victims', the figure-first counts read them
_PARTITIVE_AFTER = re.compile(
    r"\s*of\s+(?:them|us|you|those|these|whom|which|the\s+(?:[\w-]+\s+)?(?:men|attackers|assailants|gunmen|"
    r"militiamen|fighters|soldiers|dead|victims|injured|wounded|killed))\b",
    re.IGNORECASE,
)
_BEFORE_ID = re.compile(
    rf"(?:\b(?:resolution|resolutions|no\.|nos\.|number|article|articles|chapter|section|page|pages|route|highway|road|room|flight|decree|law|pk|km|paragraph|item|point|"
    rf"aged|age|ages|since|in|until|by|from|of\s+the\s+year|year|mid|late|early|the\s+year)|{_MONTHS}\.?|[$€£#]|\bthe)\s*$",
    re.IGNORECASE,
)
# capitalised words a count may follow mid-sentence ("on Monday 12 people ...")
_NOT_A_NAME = frozenset(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday Some About Nearly Almost Around Over More Roughly Least
    Than Another""".split()
)
_DATE_AFTER = re.compile(rf"^(?:,?\s+(?:\d{{4}}\b)|\s+{_MONTHS}\b|(?:st|nd|rd|th)\b)", re.IGNORECASE)

PEOPLE = frozenset(
    """people persons person civilians civilian children child women woman men man girls boys refugees residents villagers
    migrants families households individuals inhabitants fighters soldiers troops peacekeepers rebels militiamen students
    workers protesters victims others other more muslims christians muslim christian worshippers displaced dead bodies
    citizens nationals herders farmers traders pupils babies infants elderly adults members""".split()
)
_VICTIM_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_STOP_VICTIM = frozenset(
    "more other of and the a an from in at on to who which that were was are is have has had".split()
)


def _excluded(text: str, number: NumberMatch, *, partitive: bool = False) -> bool:
    raw = text[number.start : number.end]
    after = text[number.end : number.end + 40]
    before = text[max(0, number.start - 25) : number.start]
    if _UNIT_AFTER.match(after) or _DATE_AFTER.match(after) or (not partitive and _PARTITIVE_AFTER.match(after)):
        return True
    if re.search(r"(?:\w|(?<!-)-)$", before):
        return True  # glued to a word: "PK12", "mid-70s" (not a dash: "Agence France-Presse)---Two people")
    name = re.search(r"(?:^|(?<=[^\s]))(\s*)([A-Z][a-z]+)\s+$", before)
    if (
        name
        and name.group(2) not in _NOT_A_NAME
        and harm_of(name.group(2)) is None  # a headline's "Land Mine Kills 4 Police"
        and not re.search(r"(?:^|[.!?:;\"“”—–\n])\s*$", before[: name.start(2)])
    ):
        return True  # a number in a name: "the Delmas 30 neighbourhood", "Camp Alpha 2"
    if not number.vague and _BEFORE_ID.search(before) and not re.search(r"(?i)\bthe\s+$", before):
        nxt = _VICTIM_WORD.match(text, _skip_space(text, number.end))
        if not (re.search(r"(?i)\bin\s+$", before) and nxt and nxt.group().lower() in PEOPLE):
            return True  # "in 2014", "Resolution 2127"; not "resulted in 42 civilians being killed"
    if re.fullmatch(r"\d{4}", raw) and 1800 <= int(raw) <= 2099:
        return True  # a year ("the 1960 independence"); counts of that size carry a comma or a noun
    if partitive and number.low == 1 and re.match(r"(?i)\s+of\s+(?:the|his|her|their|them|those|our)\b", after):
        return False  # "one of his friends was beaten to death": the figure-first counts read the partitive
    if number.low < 2 and number.exact:  # "one": only "one Muslim ... was killed"
        nxt = _VICTIM_WORD.match(text, _skip_space(text, number.end))
        verb_before = re.search(
            r"(?i)\b(?:killed|killing|wounded|wounding|injured|injuring|kidnapped|abducted)\s+$", before
        )
        if (not nxt or nxt.group().lower() not in PEOPLE and not nxt.group()[0].isupper()) and not verb_before:
            return True  # but "killed three people and wounded one" counts
    return False


_OF_OUR_PEOPLE = re.compile(r"\s+of\s+(?:our|their|his|her|its)\s+(?:[a-z]+\s+){0,2}(?P<who>[a-z]+)(?![\w-])")
_COORDINATED_AFTER = re.compile(r"\s*(?:,\s*)?(?:and|or|while|but)\s", re.IGNORECASE)
# things counted that are not people: "two dozen vehicles fled" counts vehicles
_THINGS = re.compile(
    r"\s+(?:(?:[a-z]+\s+)?(?:vehicles?|cars?|trucks?|lorries|buses|motorbikes?|motorcycles?|boats?|canoes?|houses?|homes|huts|"
    r"buildings?|shops?|stores?|schools?|churches|mosques?|villages?|towns?|hectares|acres|weapons?|guns?|rifles?|rounds|"
    r"head\s+of|cattle|cows|goats|sheep|camels|animals|livestock|tents|shelters|bags|sacks|tonnes?|tons?|litres?|liters?|"
    r"dollars?|kilomet(?:re|er)s?|miles?|suvs?|vans?|pick-?ups?|jeeps?|tanks?|drones?|helicopters?|aircraft|planes?))(?![\w-])",
    re.IGNORECASE,
)
_AGE = re.compile(r"[A-Z][\w’'-]+,\s*$")  # "Hauwa Modu, 34," is an age
_COUNTERFACTUAL = re.compile(
    r"\b(?:would|could|might)\s+(?:(?:have|had)\s+)?(?:been|be)\s+$|\bwould\s+have\s+$", re.IGNORECASE
)


def _not_a_count(text: str, number: NumberMatch, start: int, *, things: bool = True) -> bool:
    """A figure that counts things, an age in an apposition, or a counterfactual ("would have
    been hundreds dead"). The figure-first counts read the things from the tagged head (``things=False``)."""
    if things and _THINGS.match(text, number.end):
        return True
    if _AGE.search(text, max(0, number.start - 40), number.start) and re.match(
        r"\s*,", text[number.end : number.end + 2]
    ):
        return True
    return bool(_COUNTERFACTUAL.search(text, max(0, start - 30), start))


def _excluded_before_the(text: str, number: NumberMatch) -> bool:
    # "the 1960 independence", "the 10 months": "the" before a bare figure is no count
    before = text[max(0, number.start - 6) : number.start]
    if not re.search(r"(?i)\bthe\s+$", before) or number.vague:
        return False
    nxt = _VICTIM_WORD.match(text, _skip_space(text, number.end))  # "among the 11 people killed" counts
    if nxt and nxt.group().lower() in {"killed", "dead", "wounded", "injured"}:
        return False  # "among the 146 killed so far"
    return not (
        nxt
        and (nxt.group().lower() in PEOPLE or is_people(nxt.group()))
        and re.match(r"\s+(?:(?:were|had\s+been|have\s+been)\s+)?(?:killed|dead|wounded|injured)\b", text[nxt.end() :])
    )


def _victims(text: str, pos: int, limit: int) -> tuple[str | None, int]:
    """The people counted, read after the figure: ("Muslims", end offset) or (None, pos)."""
    words: list[tuple[str, int, int]] = []
    cursor = pos
    skipped_of = False
    while cursor < limit and len(words) < 4:
        cursor = _skip_space(text, cursor)
        m = _VICTIM_WORD.match(text, cursor)
        if not m or m.end() > limit:
            break
        word = m.group()
        lower = word.lower()
        if not words and lower in {"of", "other", "more"} and not skipped_of:
            skipped_of = lower == "of"
            cursor = m.end()
            continue
        if lower in _STOP_VICTIM:
            break
        people = lower in PEOPLE or is_people(word)  # "police", "traders": any person noun's plural
        if people or (word[0].isupper() and lower not in {"i"}):
            words.append((word, m.start(), m.end()))
            cursor = m.end()
            if people and lower not in {"muslim", "christian", "civilian"} and not word[0].isupper():
                break
            continue
        head_end = plural_head(text, m.start(), limit)  # "20 schoolgirls", "three young hostages": by the tagger
        if head_end is not None and not (words and words[-1][0].endswith("s")):  # not "Muslims amounts"
            words.append((text[m.start() : head_end], m.start(), head_end))
        break
    # trailing capitalised words that are not people ("Muslims in C. African") are cut at "in"
    if not words:
        return None, pos
    text_out = text[words[0][1] : words[-1][2]]
    return text_out, words[-1][2]


def _window_end(text: str, start: int, next_start: int) -> int:
    end = min(sentence_end(text, start), next_start, len(text))
    m = re.compile(r";|\s--\s|\s[—–]\s|\(|,?\s+but\s").search(text, start, end)
    if m:
        end = m.start()
    # at most 12 words
    words = list(re.finditer(r"\S+", text[start:end]))
    if len(words) > 12:
        end = start + words[11].end()
    return end


# quantities without a figure: "untold numbers killed" (a CASUALTY without counts)
_INDEFINITE = re.compile(
    r"(?<![\w-])(?:untold\s+numbers|untold\s+thousands|countless|an\s+unknown\s+number)(?![\w-])", re.IGNORECASE
)


def find_casualties(text: str, *, label: str = LABEL) -> list[Suggestion]:
    every = find_numbers(text)
    found = _figures(text, label=label, every=every)
    found += aged_victims(text, label, found, _NP_STOP)
    found += victims_without_figures(text, label, found)
    found += counts_by_shape(text, label, found)
    found += vague_and_named(text, label, found)
    found = [s for s in found if _has_figure(text, s)]
    # the figure-first counts compete with the older rules': the longest stays (the older one on a tie)
    return longest_disjoint(found + figure_counts(text, label, found, _first_figures(text, every)))


# a vague figure the schema ranges, though no count is read from it ("untold numbers", "several")
_VAGUE_FIGURE = re.compile(
    r"(?i)(?<![\w-])(?:several|a\s+few|a\s+number\s+of|untold|countless|dozens|scores|hundreds|thousands|millions)(?![\w-])"
)


def _has_figure(text: str, suggestion: Suggestion) -> bool:
    """The convention of round 9 (the schema's "never a statement with no figure"): a count carries a number, a
    vague figure or one person; "the policemen were killed", "many of them", "others had been taken hostage" do
    not."""
    attrs = suggestion.attrs
    if "count_min" in attrs or "count_max" in attrs or _VAGUE_FIGURE.search(text, suggestion.start, suggestion.end):
        return True
    return any(n.low >= 2 for n in find_numbers(text[suggestion.start : suggestion.end]))  # "all the six passengers"


# vague quantities the figure rule leaves to the shapes: "several", "a few", "a number of" (round 9)
_FEW = re.compile(r"(?<![\w-])(?:several|a\s+few|a\s+handful\s+of|a\s+number\s+of)(?![\w-])", re.IGNORECASE)
_SINGLE = re.compile(r"(?<![\w-])(?:a|an|another)(?=\s+[\w-])", re.IGNORECASE)
_FEW_RANGE = {"several": (3, 9), "a few": (2, 5), "a handful of": (2, 9)}


def _first_figures(text: str, every: list[NumberMatch] | None = None) -> list[NumberMatch]:
    """The figure-first counts' figures: the figure rule's, partitives too, and the vague "several", "a few"."""
    numbers = [
        n
        for n in (find_numbers(text) if every is None else every)
        if not _excluded(text, n, partitive=True)
        and not population(text, _qualifier(text, n.start)[0])
        and not _not_a_count(text, n, _qualifier(text, n.start)[0], things=False)
    ]
    taken = Intervals((n.start, n.end) for n in numbers)
    for m in _FEW.finditer(text):
        if taken.overlaps(m.start(), m.end()):
            continue  # "several hundred" is one figure
        low, high = _FEW_RANGE.get(re.sub(r"\s+", " ", m.group().lower()), (2, -1))
        numbers.append(NumberMatch(m.start(), m.end(), low, high, vague=True))
    for m in _SINGLE.finditer(text):  # one person: "a nurse was shot", "another soldier died" (count 1)
        if not taken.overlaps(m.start(), m.end()):
            numbers.append(NumberMatch(m.start(), m.end(), 1, 1))
    return sorted(numbers, key=lambda n: n.start)


def _figures(text: str, *, label: str = LABEL, every: list[NumberMatch] | None = None) -> list[Suggestion]:
    numbers = [
        n
        for n in (find_numbers(text) if every is None else every)
        if not _excluded(text, n) and not _excluded_before_the(text, n)
    ]
    numbers += [NumberMatch(m.start(), m.end(), -1, -1, vague=True) for m in _INDEFINITE.finditer(text)]
    numbers.sort(key=lambda n: n.start)
    out: list[Suggestion] = []
    for i, number in enumerate(numbers):
        next_start = numbers[i + 1].start if i + 1 < len(numbers) else len(text)
        start, qualifier = _qualifier(text, number.start)
        if number.low < 0:
            qualifier = None
        elif number.vague and qualifier is None:
            qualifier = "tens/hundreds/thousands of"
        elif qualifier is None:
            qualifier = "exact"
        window_end = _window_end(text, number.end, next_start)
        victims, victims_end = _victims(text, number.end, window_end)
        if counts_no_people(victims, PEOPLE) or population(text, start):
            continue  # "two incidents", "a city of one million people": no count of people
        aside = apposition_end(text, victims_end if victims else number.end)
        if aside is not None:  # "over 200 patients, mostly women and children, had received treatment"
            window_end = _window_end(text, aside, len(text))
        category: str | None = None
        found = False
        end = victims_end if victims else number.end
        best = None
        # the predicate after the people counted ("refugees crossed into Chad"), else the
        # nearest category word after the figure ("refugees" itself)
        for search_from in dict.fromkeys([victims_end if victims else number.end, number.end]):
            for regex, cat in _FORWARD_RE:
                m = regex.search(text, search_from, window_end)
                if m and (best is None or m.start() < best[0].start()):
                    best = (m, cat)
            if best is not None:
                break
        limit = min(sentence_end(text, number.end), next_start)
        if best is not None and (
            _COORDINATED_AFTER.match(text, victims_end if victims else number.end, best[0].start())
            or re.search(r"(?:,\s*)?\s(?:and|or|while|but)\s+$", text[number.end : best[0].start()])
        ):
            before = text[max(0, start - 40) : start]
            if any(regex.search(before) for regex, _cat in _BACKWARD_RE):
                best = None  # "killed over 80 people and displaced ...": "killed" is this figure's verb
        if best is not None and (
            perpetrators_acting(text, text[number.end : best[0].start()], best[0], best[1])
            or left_without_people(text, best[0], number.end, victims)
            or _act_far(text, best[0], victims_end if victims else number.end)
        ):
            best = None  # "two gunmen ... opened fire and killed two officials": they did it
        if best is not None:
            category, found = best[1], True
            end = max(end, best[0].end())
            end = max(end, _complement_end(text, best[0].group(), best[0].end(), limit))
        else:
            before = text[max(0, start - 40) : start]
            for regex, cat in _BACKWARD_RE:
                m = regex.search(before)
                if m:
                    category, found = cat, True
                    if qualifier == "exact" and re.search(r"(?:exceeded|passed|topped|surpassed)\s*$", m.group()):
                        qualifier = "more than"  # "the death toll exceeded 300"
                    # the predicate before the figure is part of the phrase ("exodus of ...")
                    trigger = start - (len(before) - m.start())
                    if m.group().split()[0].lower() in _CAUSED_MOTION:
                        end = _caused_motion_end(text, end, limit)
                    ours = _OF_OUR_PEOPLE.match(text, end)  # "lost 11 of our innocent people"
                    if ours and ours.group("who").lower() in PEOPLE and ours.end() <= limit:
                        end = ours.end()
                    start = trigger
                    break
        if not found or _not_a_count(text, number, start):
            continue
        out.append(_count(text, label, start, end, qualifier, category, victims, number))
    return out
