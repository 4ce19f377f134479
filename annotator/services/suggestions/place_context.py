"""The contexts that show a name to be a place, for ``places.Places``: country-agnostic patterns
of news copy ("in X", "the village of X", "X district", "Country's X", "X, a town ...",
datelines, "the X River"), and the tests that a capitalised word is part of a longer name.
"""

from __future__ import annotations

import re

# administrative heads that belong to the name ("Jonglei state", "Beni territory", "Kerou commune")
HEADS = (
    r"(?:[Ss]tate|[Cc]ounty|[Rr]egion|[Pp]rovince|[Tt]erritory|[Dd]istrict|[Gg]overnorate|[Dd]epartment|"
    r"[Cc]ommune|[Mm]unicipality|[Pp]refecture|[Oo]blast|[Rr]aion|City|Local\s+Government\s+Area)"
)
HEAD_AFTER = re.compile(rf"[ \t]+{HEADS}(?![\w-])")
HEAD_AT_END = re.compile(rf"[ \t]+{HEADS}$")  # a name that has its head: "Marawi City", "Upper Nile State"
_UNITS = r"town|village|city|camp|area|region|province|state|county|district|settlement|locality|territory|outskirts|commune|municipality|prefecture|oblast|neighbou?rhood"
CONTEXT_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|from|to|into|outside|around|across|towards?|via|inside|through|reached|left|fled|fleeing|"
    r"entered|attacked|captured|seized|recaptured|stormed|raided|overran|shelled|bombed|besieged)"
    rf"(?:\s+the\s+(?:{_UNITS})s?(?:\s+of)?)?"
    r"(?:\s+(?:rebel|militant|jihadist|insurgent|government|opposition|army|gang|[A-Z][\w'’]*)-(?:held|controlled|run))?"
    rf"|\bcapital,?|\b(?:{_UNITS})s?\s+of|\b(?:state|province|region|county|district|governorate),|\b(?:place|area|village|town)\s+(?:known\s+as|called)"
    r"|\b(?:villages?|towns?)\s+(?:of\s+)?(?:[A-Z][\w'’-]+,\s+)*)\s+$"
)
# a region may follow "of" ("the governor of Balochistan"); a town needs more
REGION_BEFORE = re.compile(r"\bof\s+$")
# a place's own adjective or office after it: "Dnipropetrovsk regional", "Malanville Mayor"
AFTER_PLACE = re.compile(r"[ \t]+(?:regional|provincial|municipal|Mayor|Governor|governor|mayor)\b")
TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\S", re.UNICODE)
DATELINE = re.compile(
    r"(?m)^[ \t]*(?:By\s+[^\n]{1,60}?\s+)?(?P<name>[A-Z][A-Z'’.-]+(?:[ \t]+[A-Z][A-Z'’.-]+)*)"
    r"(?=,?[ \t]+(?:[A-Z][a-z]|\()|,[ \t]+[A-Z]{3,}|[ \t]*[—–-]{1,2}[ \t]*|:[ \t]+[A-Z])"
)
# the country after a dateline's town: "SANAA, YEMEN -"
DATELINE_COUNTRY = re.compile(
    r",[ \t]+(?P<country>[A-Z][A-Z'’.-]+(?:[ \t]+[A-Z][A-Z'’.-]+)*)(?=[ \t]*[—–-]|[ \t]*\(|:)"
)
# a place no gazetteer has, named by its context: "the village of Njaba", "Dalori village",
# "the villages of Abachari, Kote, Uda Lawanti and Wokilli", "al-Farahatiyah"
NAME = r"(?:(?:al|el|Al|El|ad|ash|as|an)-)?[A-Z][a-z'’]+(?<!['’]s)(?:[- ][A-Z][a-z'’]+(?<!['’]s)){0,2}(?!['’]s\b)"
_ONE_UNIT = r"(?:town|village|city|camp|settlement|locality|neighbou?rhood|district|commune|municipality)s?"
_COMPASS_OF = r"(?:north|south|east|west)(?:-?(?:east|west))?\s+of"
NAMED_BY_CONTEXT = re.compile(
    rf"\b(?:{_ONE_UNIT}\s+(?:of\s+)?|(?:stormed|raided|overran)\s+|\b(?:place|area)\s+(?:known\s+as|called)\s+"
    r"|\b(?:rebel|militant|insurgent|jihadist|government|army|opposition|gang)-(?:held|controlled)\s+"
    rf"|\b(?:kilomet(?:re|er)s|km|miles)\s+(?:\([^)]{{1,20}}\)\s+)?{_COMPASS_OF}\s+)"
    rf"(?P<list>{NAME}(?:(?:\s*,\s*{NAME})+,?\s+and\s+{NAME}|\s+and\s+{NAME})?)"
    rf"|(?<![\w-])(?P<one>{NAME})(?=[ \t]+(?:village|camp|IDP\s+camp|refugee\s+camp|town|neighbou?rhood|commune|"
    r"[Rr]egion|[Pp]rovince|[Dd]epartment|[Dd]istrict|state|[Cc]ounty|[Gg]overnorate)\b"
    r"|,[ \t]+an?[ \t]+(?:(?:small|remote|nearby|northern|southern|eastern|western|border|farming|fishing|mining|"
    r"market|coastal|rural|frontline|front-line|mountainous|hilly|rugged|isolated|impoverished|restive|jungle|desert|"
    r"forested|volatile|north(?:ern|eastern|western)?|south(?:ern|eastern|western)?|eastern|western|central)[ \t]+)*"
    r"(?:village|town|settlement|locality|city|district|suburb|region|area|province)\b"
    r"(?![ \t]+(?:elder|chief|head|leader|resident|official|headman|councillor|council|guard|militia|defen[cs]e|"
    r"volunteer|administrator|committee|representative|spokesman|spokeswoman|mayor)))"
    rf"|\b(?:in|near|at)\s+(?P<within>{NAME})(?=\s+in\s+(?:the\s+country['’]s\s|(?:[A-Z][a-z]+\s+){{0,2}}[A-Z][a-z]+['’]s\s"
    r"|(?:[A-Z][a-z]+\s+){1,2}(?:district|province|region|county|state)\b))"
    rf"|(?<![\w-])(?P<pair>{NAME}[ \t]+and[ \t]+{NAME})(?=[ \t]+(?:villages|towns|districts|camps)\b)"
)
# rivers and lakes carry their head: "the Naf river", "the Dnipro River", "Lake Chad"
WATER = re.compile(r"(?<![\w-])(?:[A-Z][a-z'’]+(?:[- ][A-Z][a-z'’]+)?[ \t]+[Rr]iver|Lake[ \t]+[A-Z][a-z'’]+)(?![\w-])")
# a part of the country named by its direction: "in the north but", "the country's restive north,"
_ADJ = r"(?:(?:restive|far|troubled|volatile|remote|insurgency-hit|conflict-hit)\s+)?"
_DIRECTION = r"north|south|east|west|north-?east|north-?west|south-?east|south-?west|centre|center"
_GOES_ON = r"\s+(?:but|and|where|while|which|since|near|bordering)\b"
COMPASS = re.compile(
    rf"\bthe\s+{_ADJ}(?P<d>{_DIRECTION})(?:\s+and\s+(?P<d2>north|south|east|west)\b|(?={_GOES_ON}|,\s+near\b))"
    rf"|['’]s\s+{_ADJ}(?P<p>{_DIRECTION})(?=\s*[,.;]|{_GOES_ON})"
)
# a place that only modifies an actor ("the Tigray forces", "the Khartoum authorities", "anti-Khartoum")
MODIFIES_ACTOR = re.compile(
    r"[ \t]+(?:(?:regional|provincial|state|local|interim|transitional)[ \t]+)?(?:forces|rebels?|militias?|militiamen|fighters|troops|army|soldiers|militants?|insurgents?|separatists?|"
    r"government|authorities|regime|police|gunmen|opposition|Red\s+Crescent|Red\s+Cross)\b"
)
ANTI_BEFORE = re.compile(r"(?:anti|pro)-$", re.IGNORECASE)
WHEN = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August "
    "September October November December".split()
)
LIST_GAP = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
DISTANCE_BEFORE = re.compile(r"(?:kilomet\w*|km|miles?)\W*(?:\([^)]*\)\W*)?(?:to|from)\s+the\s+$", re.IGNORECASE)
NOT_PLACE = frozenset(
    "The A An This That These Those Its Their His Her Our Some Many Most Other Several Both Each Every One Two Three "
    "Four Five Six Seven Eight Nine Ten Local Government State Capital Mission Ministry Islamic Anglophone "
    "Francophone Western Eastern Northern Southern Central Muslim Christian Catholic Protestant Shiite Shia Shi'ite "
    "Sunni Alawite Druze Jewish Hindu Buddhist Yazidi Arab Kurdish Coptic Orthodox Evangelical Border Frontline "
    "Main Old New Small Large Remote Nearby Army Police Military Rebel Militant Refugee".split()
)
# a capitalised word after a place that makes it part of no longer name
_NOT_A_NAME_PART = frozenset({"Mayor", "Governor"})


def glued(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return (
        before.isalnum()
        or after.isalnum()
        or before in "-_"
        or (after == "-" and end + 1 < len(text) and text[end + 1].isalpha())
    )


def in_longer_name(text: str, toks: list[re.Match[str]], i: int, j: int) -> bool:
    """Part of a run of capitalised words ("Ahmed Haruna", "Bentiu Hospital") that is not all place."""

    def cap(k: int) -> bool:
        return (
            0 <= k < len(toks)
            and toks[k].group()[:1].isupper()
            and toks[k].group().isalpha()
            and not HEAD_AFTER.match(" " + toks[k].group())
            and toks[k].group() not in WHEN
        )

    before = (
        cap(i - 1)
        and text[toks[i - 1].end() : toks[i].start()] in (" ", "\t")
        and not at_line_start(text, toks[i - 1].start())
    )
    after = (
        cap(j) and text[toks[j - 1].end() : toks[j].start()] in (" ", "\t") and toks[j].group() not in _NOT_A_NAME_PART
    )
    return before or after


def at_line_start(text: str, pos: int) -> bool:
    while pos > 0 and text[pos - 1] in " \t":
        pos -= 1
    return pos == 0 or text[pos - 1] == "\n"


def country_after(text: str, end: int) -> bool:
    return bool(re.match(r",[ \t]+[A-Z]", text[end : end + 3]))


def title_case(word: str) -> str:
    """ "EL-GENEINA" -> "El-Geneina", "SANAA" -> "Sanaa"."""
    return " ".join("-".join(w.capitalize() for w in part.split("-")) for part in word.split())


# a town's or a province's own police, local administration and armed men: the place stays a place ("Eldoret
# police", "Khyber administration chief", "Lira local government officials", "Aceh rebels"); the gold tags it
# inside the ACTOR (round 9; dev: 11 such places tagged, "Darfur rebels" the one not)
LOCAL_BODY = re.compile(
    r"[ \t]+(?:(?:state|city|provincial|district|municipal)[ \t]+)?"
    r"(?:police\w*|administration|local|soldiers|rebels|militiamen|troops)\b"
)


def modifies_actor(text: str, start: int, end: int) -> bool:
    """ "the Tigray forces", "Khartoum authorities", "anti-Khartoum": the place names an actor."""
    if LOCAL_BODY.match(text, end) and not text[start:end].isupper():
        return False
    return bool(MODIFIES_ACTOR.match(text, end) or ANTI_BEFORE.search(text, max(0, start - 5), start))
