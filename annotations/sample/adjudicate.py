"""Adjudicate alice.jsonl and bob.jsonl into the gold version: gold.jsonl.

Every decision is written down below, one line each with its reason, and carried out with
the adjudication service (``annotator.services.adjudication``, what ``annotator review``
uses), so the database holds the gold spans *and* a decision record for each step. The
script never types an offset: a decision names the annotator whose version it takes, the
label and the exact text of one of that annotator's spans in the group (``nth`` picks the
n-th such span in the document), and edits name the new text, found next to the old span.

How it runs (deterministic, rerunnable; it only ever writes a fresh scratch database):

1. ``annotator import alice.jsonl bob.jsonl`` into an empty database (default: a new
   SQLite file in a temporary folder; never ``annotations/annotator.db``);
2. per document: accept every agreed group; then one explicit decision per disagreement
   group (ACTOR/LOCATION/CASUALTY first, then QUOTE, so a quote's speaker link finds the
   gold copy of its ACTOR); then the edits (boundaries, attributes) in the order listed;
   then the spans neither annotator made (``add``: a label, the exact text and its n-th
   whole-word occurrence in the document); then every QUOTE is extended to its quotation marks; then the document is marked
   adjudicated. The script fails if a disagreement group got no decision or two, if a group
   is still open, or if a gold QUOTE has no speaker;
3. ``annotator export --gold --out annotations/sample/gold.jsonl --force``.

The guidelines the decisions follow (besides the label descriptions in schemas/conflict.toml):

- ACTOR: the name with its head noun, without a determiner ("anti-balaka militias",
  "Seleka rebels", not "the anti-balaka militias" or "Seleka"); a person's name without a
  title ("Francisco Soriano", not "General Francisco Soriano"); a named individual is
  ``actor_type = person`` whatever office they hold. "X known as / dubbed Y" is one span, as
  the schema's own example ("Christian militiamen known as the anti-Balaka"). Group nouns for
  people ("Muslims", "Muslim civilians", "witnesses") are ACTORs (community) where they act, speak
  or are acted upon, in quotes too; not inside a CASUALTY span, not as a modifier (the round-8
  convention, schema conflict v3): gold adds those both annotators missed.
- LOCATION: names only ("Kokoro", not "the Kokoro neighborhood"; no "the airport").
- CASUALTY: the figure phrase from the qualifier through the predicate, with the verb's
  object or obligatory complement ("have fled their homes", "driven ... out of the area")
  but no adjuncts of time, place, cause or purpose ("in January", "at the airport");
  vague plurals as the suggestion rules read them: "thousands" = 2,000-9,999,
  "tens of thousands" = 20,000-99,999 (qualifier "tens/hundreds/thousands of"); an
  approximate figure is count_min = count_max with qualifier "nearly/about"; a phrase with
  no figure at all ("Entire Muslim communities") is not a CASUALTY.
- QUOTE: the quoted text with its quotation marks (and the punctuation inside them), the
  speaker linked to the ACTOR mention of the attribution ("the group said" -> "group").

Run from the repository root:  python annotations/sample/adjudicate.py [--db URL] [--out FILE]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = Path(__file__).resolve().parent
LEAD = "sample-lead"  # recorded as decided_by on every decision

THOUSANDS = dict(count_min=2000, count_max=9999, qualifier="tens/hundreds/thousands of")
TENS_OF_THOUSANDS = dict(count_min=20000, count_max=99999, qualifier="tens/hundreds/thousands of")


# --------------------------------------------------------------------------- decisions


@dataclass(frozen=True)
class Take:
    """Gold takes ``source``'s version of the group holding ``who``'s span ``label``/``text``
    (``source=None``: gold has nothing there). ``to``/``attrs`` edit the gold copy afterwards
    (``to``: its new text, next to the old one; ``attrs``: values replaced)."""

    source: str | None
    label: str
    text: str
    nth: int = 1
    who: str | None = None  # whose span names the group (default: source)
    to: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Fix:
    """Edit a gold span (e.g. one accepted as agreed) that does not follow the guidelines."""

    label: str
    text: str
    nth: int = 1
    to: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Add:
    """A gold span neither annotator made: ``text`` at its ``nth`` whole-word occurrence in the document."""

    label: str
    text: str
    nth: int = 1
    attrs: dict[str, Any] = field(default_factory=dict)


def take(source, label, text, nth=1, to=None, **attrs):
    return Take(source, label, text, nth, None, to, attrs)


def reject(who, label, text, nth=1):
    return Take(None, label, text, nth, who)


def fix(label, text, nth=1, to=None, **attrs):
    return Fix(label, text, nth, to, attrs)


def add(label, text, nth=1, **attrs):
    return Add(label, text, nth, attrs)


GROUP_NOUN = dict(actor_type="community")  # group noun: the round-8 convention, schema v3
MUSLIMS = dict(actor_type="community", canonical="Muslims")  # as the gold's other Muslim spans


AP1 = "ap-2014-02-12-amnesty-ethnic-cleansing.txt"
AP2 = "ap-2014-02-car-muslims-future-imperilled.txt"
CNN = "cnn-2014-02-12-car-muslim-exodus.txt"

DECISIONS: dict[str, list[Take | Fix | Add]] = {
    AP1: [
        take("alice", "ACTOR", "Amnesty"),  # the headline names Amnesty as the one who says it: an ACTOR mention bob missed
        take("alice", "CASUALTY", "Exodus of thousands of Muslims", **THOUSANDS),  # the figure with its predicate noun "Exodus of"; plural "thousands" = 2,000-9,999
        take("alice", "LOCATION", "PK12"),  # names only: "the mosque at PK12" is a description; PK12 is the neighbourhood
        take("alice", "CASUALTY", "3500 other Muslims have sought refuge"),  # figure through its predicate "have sought refuge" (bob stopped at the noun)
        take("bob", "ACTOR", "Francisco Soriano"),  # a person's name without the title "General"
        take("bob", "ACTOR", "Anti-Balaka Christian militias"),  # name with head noun, no determiner
        take("bob", "QUOTE", "enemies of the peace"),  # speaker is the gold "Francisco Soriano" (bob's link), not the titled span
        # the photo caption is printed twice; bob left the second copy out, gold annotates it like the first
        take("alice", "ACTOR", "French soldiers", nth=2),  # same mention as in the first caption copy
        take("alice", "LOCATION", "PK12", nth=3),  # same as in the first caption copy
        take("alice", "LOCATION", "Bangui", nth=3),  # same as in the first caption copy
        take("alice", "LOCATION", "Central African Republic", nth=4),  # same as in the first caption copy ("in Bangui, Central African Republic")
        take("alice", "LOCATION", "Central African Republic", nth=5),  # same as in the first caption copy ("French troops in the ...")
        take("alice", "ACTOR", "General Francisco Soriano", nth=2, to="Francisco Soriano"),  # as in the first copy: name without the title
        take("alice", "ACTOR", "the Anti-Balaka Christian militias", nth=2, to="Anti-Balaka Christian militias"),  # as in the first copy: no determiner
        take("alice", "QUOTE", "enemies of the peace", nth=2),  # the copy's quote, speaker Soriano (alice links it)
        take("alice", "CASUALTY", "the exodus of tens of thousands of Muslims", to="exodus of tens of thousands of Muslims", **TENS_OF_THOUSANDS),  # predicate noun included (as in the headline), determiner not; 20,000-99,999
        take("alice", "ACTOR", "the international human rights group", to="international human rights group"),  # the attribution's mention of Amnesty ("... group said"), speaker of the next quote; no determiner
        take("alice", "QUOTE", "tragedy of historic proportions"),  # "the international human rights group said" it: alice links that speaker, bob none
        take("alice", "ACTOR", "a Muslim government", to="Muslim government"),  # an actor (the crumbling Seleka government) bob missed; no determiner
    ],
    AP2: [
        take("alice", "LOCATION", "DAKAR"),  # two names, two places: Dakar (city) and Senegal (country), not one "DAKAR, Senegal"
        take("alice", "ACTOR", "the country’s Muslims", to="Muslims"),  # the community acted upon (bob missed it); head noun without "the country's"
        take("alice", "CASUALTY", "tens of thousands fleeing the daily violence", **TENS_OF_THOUSANDS),  # "fleeing" with its object, as "have fled their homes"; 20,000-99,999
        take("alice", "CASUALTY", "untold numbers killed"),  # a death-toll figure stated as unknown ("untold numbers"): category killed, no count
        take("bob", "ACTOR", "French and African peacekeepers"),  # the head noun phrase without the quantity "thousands of"
        take("bob", "QUOTE", "“We are in a moment where immediate action is needed to stop the killings,”"),  # bob's includes the quotation marks; same speaker
        take("alice", "CASUALTY", "More than 800,000 people have fled their homes"),  # the text says "fled": category fled, not displaced
        take("bob", "ACTOR", "United Nations"),  # name without the determiner
        take("bob", "ACTOR", "Andre Nzapayeke"),  # a person's name without the title "Prime Minister"; a named individual is a person
        take("bob", "QUOTE", "There are some who don’t want Muslims in this country"),  # speaker: the gold "Andre Nzapayeke" (bob's link)
        take("bob", "QUOTE", "But when the Muslims have left the country"),  # speaker: the gold "Andre Nzapayeke" (bob's link)
        take("alice", "CASUALTY", "Thousands of Muslims left Bangui", **THOUSANDS),  # "left" with its object, as the agreed "have already left the country"; 2,000-9,999
        take("alice", "ACTOR", "the mob", to="mob"),  # the killers of the Muslim who fell off the truck (bob missed); no determiner
        reject("alice", "CASUALTY", "Entire Muslim communities also have left towns"),  # no figure at all: "entire communities" is not a count
        take("bob", "LOCATION", "northwest", canonical="northwestern CAR"),  # names only ("the rural" is description); alice's canonical, shared with the next region mention
        take("alice", "LOCATION", "northwest Central African Republic"),  # the region (northwest CAR), not the whole country
        take("alice", "ACTOR", "Christian militiamen known as the anti-Balaka"),  # the schema's own example of one ACTOR span for "X known as the anti-Balaka"
        take("alice", "CASUALTY", "driven tens of thousands of Muslims out of the area", **TENS_OF_THOUSANDS),  # "driven ... out of the area" is the predicate: forced out = displaced; 20,000-99,999
        take("bob", "ACTOR", "Muslim Seleka rebels"),  # name with head noun, no determiner
        take("alice", "ACTOR", "a precarious civilian interim government", to="civilian interim government"),  # an actor bob missed; head noun phrase without determiner and evaluative "precarious"
        take("alice", "CASUALTY", "More than 1,000 were killed"),  # the text says "More than": qualifier more than, not at least
        take("bob", "ACTOR", "the Muslim rebel government", to="Muslim rebel government"),  # named as the government then in power: government (bob); no determiner
        take("bob", "ACTOR", "Babacar Gaye"),  # a named individual is a person (his office is the UN's, he is not a UN body)
        take("alice", "ACTOR", "police officers"),  # a state force the text names (bob missed it)
        take("bob", "ACTOR", "French troops"),  # name with head noun, without "the extra"
        take("bob", "CASUALTY", "more than 100,000 people sought refuge"),  # "at the airport" is a place adjunct, not part of the figure phrase
        reject("alice", "LOCATION", "the airport"),  # names only: "the airport" is a description
        take("alice", "ACTOR", "Jean-Yves Le Drian", actor_type="person"),  # name without the title "French defense minister"; a named individual is a person
        take("alice", "ACTOR", "Le Drian", actor_type="person"),  # the attribution's mention ("Le Drian said"), speaker of the two quotes; a person
        take("alice", "QUOTE", "We are going to avoid the worst"),  # speaker: the attribution "Le Drian said" right after it (alice's link)
        take("alice", "QUOTE", "By our presence we can lower tensions"),  # same attribution, same speaker (alice's link)
        reject("alice", "LOCATION", "the lawless capital"),  # names only: "the lawless capital" is a description of Bangui
        take("bob", "LOCATION", "Kokoro"),  # names only, without "the ... neighborhood"
        take("alice", "QUOTE", "It’s you Muslims!"),  # the armed men were "crying" it: alice links them, bob none
        take("alice", "CASUALTY", "raped me one by one"),  # two victims, two figures of one each (bob's one span also covers the perpetrators)
        fix("CASUALTY", "Another raped my sister", to="raped my sister"),  # the figure phrase is the predicate with its victim; "Another" is a perpetrator
        fix("ACTOR", "a Christian militia", to="Christian militia"),  # agreed, but ACTOR spans carry no determiner
        fix("ACTOR", "a 19-year-old Muslim woman", to="19-year-old Muslim woman"),  # agreed, but no determiner
        fix("ACTOR", "a group of armed men", to="group of armed men"),  # agreed, but no determiner
        # group nouns for people neither annotator tagged (the round-8 convention, schema v3)
        add("ACTOR", "Muslims", 3, **MUSLIMS),  # group noun: the round-8 convention, schema v3 ("don’t want Muslims in this country", in the quote)
        add("ACTOR", "Muslims", 4, **MUSLIMS),  # group noun: the round-8 convention, schema v3 ("when the Muslims have left", in the quote)
        add("ACTOR", "Protestants", **GROUP_NOUN),  # group noun: the round-8 convention, schema v3 ("The Protestants will throw out", in the quote)
        add("ACTOR", "Catholics", **GROUP_NOUN),  # group noun: the round-8 convention, schema v3 (thrown out, in the quote)
        add("ACTOR", "Baptists", **GROUP_NOUN),  # group noun: the round-8 convention, schema v3 ("the Baptists against", in the quote)
        add("ACTOR", "Evangelists", **GROUP_NOUN),  # group noun: the round-8 convention, schema v3 (acted against, in the quote)
        add("ACTOR", "animists", **GROUP_NOUN),  # group noun: the round-8 convention, schema v3 (next in the quote's list)
        add("ACTOR", "Muslim women", **MUSLIMS),  # group noun: the round-8 convention, schema v3 ("tried to hand their children")
        add("ACTOR", "Muslims", 6, **MUSLIMS),  # group noun: the round-8 convention, schema v3 ("Muslims who cannot leave are hiding")
        add("ACTOR", "angry crowds", **GROUP_NOUN),  # group noun: the round-8 convention, schema v3 (mosques "destroyed by angry crowds"), as "crowds of Christians"
        add("ACTOR", "Muslim communities", **MUSLIMS),  # group noun: the round-8 convention, schema v3 (they "have left towns"; no figure, so no CASUALTY)
        add("ACTOR", "Muslims", 9, **MUSLIMS),  # group noun: the round-8 convention, schema v3 ("The violence against the Muslims")
        add("ACTOR", "witnesses", **GROUP_NOUN),  # group noun: the round-8 convention, schema v3 (the source: "according to witnesses")
        add("ACTOR", "Muslim minority", **MUSLIMS),  # group noun: the round-8 convention, schema v3 ("under assault"); without "the country’s"
    ],
    CNN: [
        take("alice", "QUOTE", "a Muslim exodus of historic proportions"),  # alice links the speaker to the name "Amnesty International"; the quote-mark pass gives bob's boundaries
        take("alice", "ACTOR", "Amnesty International"),  # the name, without the descriptor "rights group"
        take("alice", "QUOTE", "failed to prevent the ethnic cleansing"),  # the attribution is "the group said" right after it (alice's link)
        take("alice", "ACTOR", "the group", to="group"),  # the attribution's mention of Amnesty, speaker of the quote before it; no determiner
        take("bob", "ACTOR", "minority Muslim population"),  # head noun phrase without "the country's"
        take("alice", "LOCATION", "Central African Republic", nth=3),  # "a former French colony ... plunged into chaos": the country, not its government
        take("alice", "ACTOR", "a coalition of mostly Muslim rebels dubbed Seleka", to="coalition of mostly Muslim rebels dubbed Seleka"),  # "X dubbed Y" is one span (schema example); no determiner
        take("bob", "ACTOR", "Francois Bozize"),  # a person's name without the title "President"
        take("alice", "ACTOR", "Christian militias, known as the anti-balaka"),  # one span for "X known as the anti-balaka", as the schema's example (bob split it in two)
        take("alice", "ACTOR", "Muslim civilians"),  # the community acted upon ("dire consequences for Muslim civilians"), bob missed it
        take("alice", "ACTOR", "Amnesty International", nth=4),  # "The Amnesty International report said": a mention bob missed, speaker of the next two quotes
        take("alice", "ACTOR", "French troops"),  # name with head noun, without the quantity "about 1,600"
        take("alice", "ACTOR", "an African Union-led peacekeeping force, known as MISCA", to="African Union-led peacekeeping force, known as MISCA"),  # "X known as Y" is one span; no determiner
        take("alice", "QUOTE", "In power for nearly 10 months"),  # "it said" after "The rights group also said": Amnesty (alice's link), bob none
        take("bob", "ACTOR", "Seleka", nth=2),  # the name, without the determiner "the"
        take("alice", "QUOTE", "As the Seleka withdrew"),  # the same attribution as the quote before it (alice's link)
        take("bob", "ACTOR", "international forces"),  # head noun phrase without the determiner
        take("alice", "LOCATION", "Boyali"),  # a town in the list "Bouali, Boyali and Baoro" that bob missed
        take("bob", "ACTOR", "U.N. refugee agency"),  # name with head noun, no determiner
        take("alice", "QUOTE", "shocking barbarity, brutality and inhumanity."),  # a quote bob missed ("He cited ... and ..."), speaker Guterres
        take("alice", "CASUALTY", "nearly half a million Central Africans have been newly displaced"),  # an approximate figure: count_min = count_max = 500,000 with "nearly/about"
        take("alice", "CASUALTY", "2.5 millions are in desperate need"),  # a figure bob missed: 2,500,000 affected/in need
        take("alice", "CASUALTY", "Tens of thousands of people are fleeing the country", **TENS_OF_THOUSANDS),  # "fleeing" with its object ("for their safety" is purpose); 20,000-99,999
        take("alice", "CASUALTY", "thousands of people are in ghettos", **THOUSANDS),  # a figure bob missed: people in ghettos in grave conditions (affected/in need); 2,000-9,999
        take("alice", "QUOTE", "It is imperative to re-establish security"),  # speaker: the attribution "Guterres said" right after it (alice's link)
        take("alice", "ACTOR", "Guterres"),  # the attribution's mention ("Guterres said"), bob missed it
        take("alice", "QUOTE", "Acting in concert"),  # the same attribution "Guterres said" (alice's link)
        take("bob", "ACTOR", "anti-balaka militias", nth=3),  # the guideline's own example: no determiner
        take("alice", "LOCATION", "Yaloke"),  # "the group visited the town": a town, not a site
        take("alice", "ACTOR", "Muslim and Christian militia groups"),  # the militias that "clash", bob missed them
        take("alice", "QUOTE", "Although the conflict is complex"),  # speaker: the attribution "the group said" right after it (alice's link)
        take("alice", "ACTOR", "the group", nth=2, to="group"),  # the attribution's mention of Doctors Without Borders; no determiner
        take("alice", "QUOTE", "In many towns, Muslim groups are isolated"),  # the statement continues in the next paragraph: same speaker (alice's link)
        take("bob", "ACTOR", "African Union", actor_type="government"),  # name without "The"; a political body raising concerns, not a force (alice's type)
        reject("bob", "LOCATION", "Washington", nth=1),  # part of the newspaper's name "The Washington Post", not a place
        take("alice", "ACTOR", "French and African Union soldiers"),  # an actor inside the column's quote, bob missed it
        take("bob", "ACTOR", "U.N. Security Council"),  # name with head noun, no determiner
        take("bob", "ACTOR", "Seleka rebels"),  # the guideline's own example: "Seleka rebels"
        fix("CASUALTY", "tens of thousands of Muslims have already left the country", **TENS_OF_THOUSANDS),  # agreed span; "tens of thousands" = 20,000-99,999 as everywhere in gold
        # group nouns for people neither annotator tagged (the round-8 convention, schema v3)
        add("ACTOR", "Muslims", 1, **MUSLIMS),  # group noun: the round-8 convention, schema v3 ("Attempts to purge Muslims")
        add("ACTOR", "Muslim civilians", 1, **MUSLIMS),  # group noun: the round-8 convention, schema v3 ("the ethnic cleansing of Muslim civilians", in the quote)
        add("ACTOR", "Muslims", 2, **MUSLIMS),  # group noun: the round-8 convention, schema v3 ("ethnically cleanse Muslims", in the quote)
        add("ACTOR", "Muslim communities", 1, **MUSLIMS),  # group noun: the round-8 convention, schema v3 ("protect Muslim communities")
        add("ACTOR", "soldiers", 1, actor_type="international force"),  # group noun: the round-8 convention, schema v3 ("6,000 soldiers from" MISCA, beside the tagged "French troops")
        add("ACTOR", "Muslim civilians", 3, **MUSLIMS),  # group noun: the round-8 convention, schema v3 ("the backlash against Muslim civilians")
        add("ACTOR", "Muslim communities", 2, **MUSLIMS),  # group noun: the round-8 convention, schema v3 ("forcible expulsion of Muslim communities", in the quote)
        add("ACTOR", "Muslims", 3, **MUSLIMS),  # group noun: the round-8 convention, schema v3 ("attacks against Muslims firsthand")
        add("ACTOR", "Muslims communities", **MUSLIMS),  # group noun: the round-8 convention, schema v3 ("have been attacked"; the text's own spelling)
        add("ACTOR", "Muslim residents", **MUSLIMS),  # group noun: the round-8 convention, schema v3 ("eliminate Muslim residents", in the quote)
        add("ACTOR", "civilians", 4, **GROUP_NOUN),  # group noun: the round-8 convention, schema v3 ("violence against civilians" as militias clash)
        add("ACTOR", "minority Muslim community", **MUSLIMS),  # group noun: the round-8 convention, schema v3 ("is increasingly targeted", in the quote)
        add("ACTOR", "Muslim groups", **MUSLIMS),  # group noun: the round-8 convention, schema v3 ("isolated and threatened by anti-balaka forces", in the quote)
        add("ACTOR", "Muslim civilians", 4, **MUSLIMS),  # group noun: the round-8 convention, schema v3 ("violence toward Muslim civilians")
        add("ACTOR", "Chadian nationals", **GROUP_NOUN),  # group noun: the round-8 convention, schema v3 (a nationality, "violence toward ... Chadian nationals")
    ],
}

QUOTE_OPEN = '"“«'
QUOTE_CLOSE = '"”»'
INSIDE_PUNCT = ",.;:!?"


# --------------------------------------------------------------------------- running


def with_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """The quote's offsets widened to its quotation marks (and the punctuation inside them).

    A paragraph of a multi-paragraph quote has no closing mark: it may end at a line break.
    """
    if text[start] not in QUOTE_OPEN:
        assert start > 0 and text[start - 1] in QUOTE_OPEN, f"no opening quotation mark before {text[start:end]!r}"
        start -= 1
    if end - 1 > start and text[end - 1] in QUOTE_CLOSE:
        return start, end
    j = end
    while j < len(text) and text[j] in INSIDE_PUNCT:
        j += 1
    if j < len(text) and text[j] in QUOTE_CLOSE:
        return start, j + 1
    assert j == len(text) or text[j] == "\n", f"no closing quotation mark after {text[start:end]!r}"
    return start, j


def run(cmd: list[str]) -> None:
    print("$ annotator " + " ".join(arg.replace(f"{ROOT}/", "") for arg in cmd[3:]), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT)


def annotator_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "annotator", *args]


class Adjudication:
    def __init__(self, url: str):
        from annotator.schemas.labels import load_default_schema
        from annotator.services import adjudication as adjn
        from annotator.store.engine import get_engine, session_scope

        self.adjn = adjn
        self.scope = session_scope
        self.engine = get_engine(url)
        with self.scope(self.engine) as session:
            self.adj = adjn.start(session, lead=LEAD, schema=load_default_schema(), annotators=["alice", "bob"])

    def step(self, fn, **kwargs):
        with self.scope(self.engine) as session:
            return fn(session, self.adj, **kwargs)

    def load(self, doc_id: int):
        with self.scope(self.engine) as session:
            return self.adjn.load_document(session, self.adj, doc_id)

    @staticmethod
    def _nth(spans, label: str, text: str, nth: int, doc_text: str, what: str):
        hits = sorted((s for s in spans if s.label == label and doc_text[s.start : s.end].startswith(text)), key=lambda s: (s.start, s.end))
        exact = [s for s in hits if doc_text[s.start : s.end] == text]
        hits = exact or hits
        assert len(hits) >= nth, f"{what}: no {label} {text!r} (occurrence {nth})"
        return hits[nth - 1]

    def group_of(self, doc, d: Take):
        who = d.who or d.source
        span = self._nth(doc.spans[who], d.label, d.text, d.nth, doc.text, f"{who}'s spans")
        groups = [g for g in doc.groups if any(s.id == span.id for s in g.versions.get(who, ()))]
        assert len(groups) == 1, (d, groups)
        return groups[0]

    def gold_span(self, doc_id: int, label: str, text: str, nth: int = 1):
        doc = self.load(doc_id)
        return doc, self._nth(doc.gold, label, text, nth, doc.text, "gold")

    def edit(self, doc_id: int, span, to: str | None, attrs: dict[str, Any]) -> None:
        doc = self.load(doc_id)
        start, end = span.start, span.end
        if to is not None:
            # the new text where it overlaps the old span (exactly one such place)
            places = []
            pos = doc.text.find(to)
            while pos >= 0:
                if pos < end and pos + len(to) > start:
                    places.append(pos)
                pos = doc.text.find(to, pos + 1)
            assert len(places) == 1, f"{to!r} overlaps {doc.text[start:end]!r} {len(places)} times"
            start, end = places[0], places[0] + len(to)
        new_attrs = {**span.attrs, **attrs}
        if (start, end) == (span.start, span.end) and new_attrs == span.attrs:
            return
        self.step(self.adjn.edit, span_id=span.id, start=start, end=end, attrs=new_attrs)

    def add(self, doc_id: int, a: Add) -> None:
        """Gold gets ``a``'s span (the review app's add on a selection); it may not overlap a gold span of its
        label, nor, for an ACTOR, a CASUALTY span (people counted in a figure are its victims, not also ACTORs)."""
        doc = self.load(doc_id)
        starts, at = [], doc.text.find(a.text)
        while at >= 0:
            end = at + len(a.text)
            if not (at > 0 and doc.text[at - 1].isalnum()) and not (end < len(doc.text) and doc.text[end].isalnum()):
                starts.append(at)
            at = doc.text.find(a.text, at + 1)
        assert len(starts) >= a.nth, f"{a}: only {len(starts)} occurrences"
        start, end = starts[a.nth - 1], starts[a.nth - 1] + len(a.text)
        blocking = {a.label, "CASUALTY"} if a.label == "ACTOR" else {a.label}
        clash = [doc.text[s.start : s.end] for s in doc.gold if s.label in blocking and s.start < end and start < s.end]
        assert not clash, f"{a}: overlaps gold {clash}"
        self.step(self.adjn.add, document_id=doc_id, label=a.label, start=start, end=end, attrs=dict(a.attrs))

    def document(self, doc_id: int, decisions: list[Take | Fix | Add]) -> None:
        self.step(self.adjn.accept_all_agreed, document_id=doc_id)
        doc = self.load(doc_id)
        decided: dict[str, Take] = {}
        takes = [d for d in decisions if isinstance(d, Take)]
        for d in takes:
            group = self.group_of(doc, d)
            assert not group.agreed, f"{d}: that group is agreed"
            assert group.key not in decided, f"{d}: group {group.key} already decided by {decided[group.key]}"
            decided[group.key] = d
        undecided = [g for g in doc.disagreements if g.key not in decided]
        assert not undecided, "disagreements without a decision: " + "; ".join(
            f"{g.key} {g.reason}: " + " / ".join(f"{n}: {[doc.text[s.start:s.end] for s in v]}" for n, v in g.versions.items())
            for g in undecided
        )
        # accept: everything but quotes first, so quotes link to the gold copies of their speakers
        edits: list[tuple[Take, list[int]]] = []
        for phase in ("spans", "quotes"):
            for key, d in decided.items():
                if (d.label == "QUOTE") != (phase == "quotes"):
                    continue
                step = self.step(self.adjn.accept, document_id=doc_id, group_key=key, source=d.source)
                made = [after.id for _before, after in step.changes if after is not None and after.label == d.label]
                if d.to is not None or d.attrs:
                    edits.append((d, made))
        for d, made in edits:
            doc = self.load(doc_id)
            span = self._nth([s for s in doc.gold if s.id in made], d.label, d.text, 1, doc.text, "gold copy")
            self.edit(doc_id, span, d.to, d.attrs)
        for f in [d for d in decisions if isinstance(d, Fix)]:
            _doc, span = self.gold_span(doc_id, f.label, f.text, f.nth)
            self.edit(doc_id, span, f.to, f.attrs)
        for a in [d for d in decisions if isinstance(d, Add)]:
            self.add(doc_id, a)
        # guideline: a QUOTE covers its quotation marks
        doc = self.load(doc_id)
        for span in sorted((s for s in doc.gold if s.label == "QUOTE"), key=lambda s: s.start):
            start, end = with_marks(doc.text, span.start, span.end)
            if (start, end) != (span.start, span.end):
                self.step(self.adjn.edit, span_id=span.id, start=start, end=end)
        doc = self.load(doc_id)
        assert not doc.open_groups, f"open groups left: {[g.key for g in doc.open_groups]}"
        speakerless = [doc.text[s.start : s.end][:40] for s in doc.gold if s.label == "QUOTE" and not s.links.get("speaker")]
        assert not speakerless, f"gold quotes without a speaker: {speakerless}"
        self.step(self.adjn.set_adjudicated, document_id=doc_id, done=True)
        print(
            f"{doc.title[:50]!r}: {len(doc.groups)} groups, {len(decided)} disagreements decided, "
            f"{len(doc.gold)} gold spans",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an EMPTY database URL (default: a new SQLite file in a temporary folder)")
    parser.add_argument("--out", default=str(SAMPLE / "gold.jsonl"), help="where the gold JSONL goes")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gold-") as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'gold.db'}"
        if "annotations/annotator.db" in url.replace("\\", "/"):
            raise SystemExit("adjudicate.py works in a scratch database, never annotations/annotator.db")
        from annotator.services.corpus import count_documents, text_sha256
        from annotator.store.engine import get_engine, session_scope

        with session_scope(get_engine(url)) as session:
            if count_documents(session):
                raise SystemExit(f"{url}: the database is not empty; give a fresh one")
        run(annotator_cmd("import", str(SAMPLE / "alice.jsonl"), str(SAMPLE / "bob.jsonl"), "--db", url))
        adjudication = Adjudication(url)
        from sqlmodel import select

        from annotator.store.models import Document

        with session_scope(adjudication.engine) as session:
            by_sha = {d.sha256: d.id for d in session.exec(select(Document).order_by(Document.id))}
        docs = {name: by_sha[text_sha256((ROOT / "sources" / name).read_text(encoding="utf-8"))] for name in DECISIONS}
        assert len(by_sha) == len(docs), "the sample files hold documents other than the three in sources/"
        for name in sorted(DECISIONS, key=docs.__getitem__):
            adjudication.document(docs[name], DECISIONS[name])
        run(annotator_cmd("export", "--gold", "--out", args.out, "--force", "--db", url))
    return 0


if __name__ == "__main__":
    sys.exit(main())
