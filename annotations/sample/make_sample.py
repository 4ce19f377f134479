"""Build the worked agreement example: alice.jsonl and bob.jsonl from the bundled sources.

Two annotators, working independently under schemas/conflict.toml, annotated the three
articles in sources/. Their decisions are written down here as text, never as offsets: each
span names its exact text and a longer context string that contains it, and the offsets are
computed with str.find on the real source text (an assertion fails if a context or a text
is not found, so a typo cannot produce a wrong offset). Bob's annotation is Alice's with the
differences listed per document: boundary choices, missed spans, a label confusion,
different attribute values and different speaker links.

Run from the repository root:  python annotations/sample/make_sample.py
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent


@dataclass(frozen=True)
class S:
    key: str
    label: str
    text: str
    context: str | None = None  # a longer string containing `text`, unique enough to find
    context_nth: int = 1  # which occurrence of `context` in the document
    attrs: dict = field(default_factory=dict)

    def locate(self, doc: str) -> tuple[int, int]:
        ctx = self.context or self.text
        pos = -1
        for _ in range(self.context_nth):
            pos = doc.find(ctx, pos + 1)
            assert pos >= 0, f"{self.key}: context {ctx!r} (occurrence {self.context_nth}) not in the text"
        inner = ctx.find(self.text)
        assert inner >= 0, f"{self.key}: {self.text!r} not inside its context {ctx!r}"
        start = pos + inner
        assert doc[start : start + len(self.text)] == self.text
        return start, start + len(self.text)


def A(key, text, context=None, nth=1, **attrs):
    return S(key, "ACTOR", text, context, nth, attrs)


def L(key, text, context=None, nth=1, **attrs):
    return S(key, "LOCATION", text, context, nth, attrs)


def C(key, text, context=None, nth=1, **attrs):
    return S(key, "CASUALTY", text, context, nth, attrs)


def Q(key, text, context=None, nth=1, **attrs):
    return S(key, "QUOTE", text, context, nth, attrs)


CAR = dict(place_type="country", canonical="Central African Republic")
AI = dict(actor_type="NGO", canonical="Amnesty International")
HRW = dict(actor_type="NGO", canonical="Human Rights Watch")

# --------------------------------------------------------------------------- CNN
CNN_TEXT = "cnn-2014-02-12-car-muslim-exodus.txt"
CNN = [
    L("car1", "Central African Republic", "war-torn Central African Republic have", **CAR),
    Q("q1", "a Muslim exodus of historic proportions", 'prompted "a Muslim exodus of historic proportions,"'),
    A("ai1", "Amnesty International", "rights group Amnesty International warned", **AI),
    A("peace1", "International peacekeepers", "International peacekeepers have", actor_type="international force"),
    Q("q2", "failed to prevent the ethnic cleansing of Muslim civilians in the western part of the Central African Republic",
      '"failed to prevent the ethnic cleansing of Muslim civilians in the western part of the Central African Republic,"'),
    L("car2", "Central African Republic", "western part of the Central African Republic,", **CAR),
    A("group1", "the group", ' the group said.', **AI),
    A("hrw1", "Human Rights Watch", "Another rights group, Human Rights Watch, also", **HRW),
    A("muslimpop", "the country's minority Muslim population", "that the country's minority Muslim population is", actor_type="community", canonical="Muslims"),
    Q("q3", "being targeted in a relentless wave of coordinated violence that is forcing entire communities to leave the country.",
      '"being targeted in a relentless wave of coordinated violence that is forcing entire communities to leave the country."'),
    L("car3", "Central African Republic", "The Central African Republic, a former French colony", **CAR),
    A("seleka1", "a coalition of mostly Muslim rebels dubbed Seleka", "after a coalition of mostly Muslim rebels dubbed Seleka ousted", actor_type="armed group", canonical="Seleka"),
    A("bozize", "President Francois Bozize", "ousted President Francois Bozize.", actor_type="person", canonical="Francois Bozize"),
    A("ab1", "Christian militias, known as the anti-balaka", "but Christian militias, known as the anti-balaka, which", actor_type="militia", canonical="anti-balaka"),
    A("ai2", "Amnesty International", "power vacuum, Amnesty International said", **AI),
    A("civ1", "Muslim civilians", "dire consequences for Muslim civilians.", actor_type="community", canonical="Muslims"),
    Q("q4", "Anti-balaka militias are carrying out violent attacks in an effort to ethnically cleanse Muslims in the Central African Republic",
      '"Anti-balaka militias are carrying out violent attacks in an effort to ethnically cleanse Muslims in the Central African Republic,"'),
    A("ab2", "Anti-balaka militias", '"Anti-balaka militias are carrying', actor_type="militia", canonical="anti-balaka"),
    L("car4", "Central African Republic", "ethnically cleanse Muslims in the Central African Republic,", **CAR),
    A("mariner", "Joanne Mariner", "said Joanne Mariner, senior crisis response adviser", actor_type="person", canonical="Joanne Mariner"),
    A("ai3", "Amnesty International", "senior crisis response adviser at Amnesty International.", **AI),
    Q("q5", "The result is a Muslim exodus of historic proportions.", '"The result is a Muslim exodus of historic proportions."'),
    A("ai4", "Amnesty International", "The Amnesty International report said", **AI),
    A("peace2", "international peacekeepers", "report said international peacekeepers in the country", actor_type="international force"),
    A("ab3", "anti-balaka militias", "rein in the anti-balaka militias. There", actor_type="militia", canonical="anti-balaka"),
    A("french1", "French troops", "about 1,600 French troops on the ground", actor_type="state force", canonical="French army"),
    A("misca", "an African Union-led peacekeeping force, known as MISCA", "from an African Union-led peacekeeping force, known as MISCA.", actor_type="international force", canonical="MISCA"),
    Q("q6", "In power for nearly 10 months, the Seleka were responsible for massacres, extrajudicial executions, rape, torture, and looting, as well as massive burning and destruction of Christian villages",
      '"In power for nearly 10 months, the Seleka were responsible for massacres, extrajudicial executions, rape, torture, and looting, as well as massive burning and destruction of Christian villages,"'),
    A("seleka2", "the Seleka", "10 months, the Seleka were responsible", actor_type="armed group", canonical="Seleka"),
    Q("q7", "As the Seleka withdrew, the international forces allowed the anti-balaka militias to take control of town after town. The resulting violence and forcible expulsion of Muslim communities were predictable.",
      '"As the Seleka withdrew, the international forces allowed the anti-balaka militias to take control of town after town. The resulting violence and forcible expulsion of Muslim communities were predictable."'),
    A("seleka3", "Seleka", "As the Seleka withdrew", actor_type="armed group", canonical="Seleka"),
    A("intl", "the international forces", "withdrew, the international forces allowed", actor_type="international force"),
    A("ab4", "anti-balaka militias", "allowed the anti-balaka militias to take control", actor_type="militia", canonical="anti-balaka"),
    A("ai5", "Amnesty International", "For its report, Amnesty International interviewed", **AI),
    L("bossemptele", "Bossemptele", "northern town of Bossemptele, where", place_type="city/town", canonical="Bossemptele"),
    C("cas1", "at least 100 Muslims were killed", "where at least 100 Muslims were killed in January",
      category="killed", count_min=100, qualifier="at least", victims="Muslims"),
    L("bouali", "Bouali", "include Bouali, Boyali and Baoro", place_type="city/town", canonical="Bouali"),
    L("boyali", "Boyali", "include Bouali, Boyali and Baoro", place_type="city/town", canonical="Boyali"),
    L("baoro", "Baoro", "include Bouali, Boyali and Baoro", place_type="city/town", canonical="Baoro"),
    L("car5", "Central African Republic", "ethnic violence in the Central African Republic has led", **CAR),
    L("rwanda", "Rwanda", "seen in Rwanda nearly 20 years ago", place_type="country", canonical="Rwanda"),
    A("guterres1", "Antonio Guterres", "Antonio Guterres, head of the U.N. refugee agency", actor_type="person", canonical="Antonio Guterres"),
    A("unhcr", "the U.N. refugee agency", "head of the U.N. refugee agency, said", actor_type="UN body", canonical="UNHCR"),
    Q("q8", "witnessed in the Central African Republic a humanitarian catastrophe of unspeakable proportions. Massive ethno-religious cleansing is continuing.",
      '"witnessed in the Central African Republic a humanitarian catastrophe of unspeakable proportions. Massive ethno-religious cleansing is continuing."'),
    L("car6", "Central African Republic", "witnessed in the Central African Republic a humanitarian", **CAR),
    Q("q9", "indiscriminate killings and massacres", 'cited "indiscriminate killings and massacres"'),
    Q("q10", "shocking barbarity, brutality and inhumanity.", '"shocking barbarity, brutality and inhumanity."'),
    Q("q11", "deeply distressed that nearly half a million Central Africans have been newly displaced since December alone. In all, 2.5 millions are in desperate need.",
      '"deeply distressed that nearly half a million Central Africans have been newly displaced since December alone. In all, 2.5 millions are in desperate need."'),
    C("cas2", "nearly half a million Central Africans have been newly displaced", "distressed that nearly half a million Central Africans have been newly displaced since",
      category="displaced", count_min=500000, count_max=500000, qualifier="nearly/about", victims="Central Africans"),
    C("cas3", "2.5 millions are in desperate need", "In all, 2.5 millions are in desperate need.",
      category="affected/in need", count_min=2500000, count_max=2500000, qualifier="exact", victims="Central Africans"),
    Q("q12", "falling through the cracks of international attention", '"falling through the cracks of international attention"'),
    Q("q13", "Tens of thousands of people are fleeing the country for their safety, many are trapped with nowhere to go. In Bangui alone, thousands of people are in ghettos in grave conditions",
      '"Tens of thousands of people are fleeing the country for their safety, many are trapped with nowhere to go. In Bangui alone, thousands of people are in ghettos in grave conditions,"'),
    C("cas4", "Tens of thousands of people are fleeing the country", '"Tens of thousands of people are fleeing the country for',
      category="fled", count_min=10000, qualifier="tens/hundreds/thousands of", victims="people"),
    L("bangui1", "Bangui", "In Bangui alone", place_type="city/town", canonical="Bangui"),
    C("cas5", "thousands of people are in ghettos", "alone, thousands of people are in ghettos in grave",
      category="affected/in need", count_min=1000, qualifier="tens/hundreds/thousands of", victims="people"),
    Q("q14", "It is imperative to re-establish security, law and order. For the people of the Central African Republic, safety and security for all is the most urgent priority",
      '"It is imperative to re-establish security, law and order. For the people of the Central African Republic, safety and security for all is the most urgent priority,"'),
    L("car7", "Central African Republic", "For the people of the Central African Republic, safety", **CAR),
    A("guterres2", "Guterres", 'priority," Guterres said.', actor_type="person", canonical="Antonio Guterres"),
    Q("q15", "Acting in concert, particularly with the support of religious leaders, all actors must enhance mediation and pave the way for the restoration of peace and sustainable reconciliation.",
      '"Acting in concert, particularly with the support of religious leaders, all actors must enhance mediation and pave the way for the restoration of peace and sustainable reconciliation."'),
    A("hrw2", "Human Rights Watch", "Human Rights Watch highlighted the language", **HRW),
    A("ab5", "the anti-balaka militias", "used by the anti-balaka militias --", actor_type="militia", canonical="anti-balaka"),
    Q("q16", "suggests their intent is to eliminate Muslim residents from the Central African Republic.",
      '"suggests their intent is to eliminate Muslim residents from the Central African Republic."'),
    L("car8", "Central African Republic", "eliminate Muslim residents from the Central African Republic.", **CAR),
    Q("q17", "At this rate, if the targeted violence continues, there will be no Muslims left in much of the Central African Republic",
      '"At this rate, if the targeted violence continues, there will be no Muslims left in much of the Central African Republic,"'),
    L("car9", "Central African Republic", "no Muslims left in much of the Central African Republic,", **CAR),
    A("bouckaert", "Peter Bouckaert", "said Peter Bouckaert, emergencies director", actor_type="person", canonical="Peter Bouckaert"),
    A("hrw3", "Human Rights Watch", "emergencies director at Human Rights Watch.", **HRW),
    Q("q18", "People whose families have peacefully lived in the country for centuries are being forced to leave, or are fleeing the very real threat of violence against them.",
      '"People whose families have peacefully lived in the country for centuries are being forced to leave, or are fleeing the very real threat of violence against them."'),
    A("hrw4", "Human Rights Watch", "Human Rights Watch cites the example", **HRW),
    L("yaloke", "Yaloke", "gold trading center, Yaloke, which", place_type="city/town", canonical="Yaloke"),
    A("msf", "Doctors Without Borders", "The medical aid group Doctors Without Borders, or", actor_type="NGO", canonical="Doctors Without Borders"),
    Q("q19", "extreme and unprecedented levels", 'warned of "extreme and unprecedented levels"'),
    A("militias", "Muslim and Christian militia groups", "as Muslim and Christian militia groups clash", actor_type="militia"),
    Q("q20", "Although the conflict is complex and all communities are affected by the violence, the minority Muslim community is increasingly targeted",
      '"Although the conflict is complex and all communities are affected by the violence, the minority Muslim community is increasingly targeted,"'),
    A("group2", "the group", 'increasingly targeted," the group said in a statement.', actor_type="NGO", canonical="Doctors Without Borders"),
    Q("q21", "In many towns, Muslim groups are isolated and threatened by anti-balaka forces while tens of thousands of Muslims have already left the country into exile in Chad or Cameroon.",
      '"In many towns, Muslim groups are isolated and threatened by anti-balaka forces while tens of thousands of Muslims have already left the country into exile in Chad or Cameroon."'),
    A("ab6", "anti-balaka forces", "threatened by anti-balaka forces while", actor_type="militia", canonical="anti-balaka"),
    C("cas6", "tens of thousands of Muslims have already left the country", "while tens of thousands of Muslims have already left the country into exile",
      category="fled", count_min=10000, qualifier="tens/hundreds/thousands of", victims="Muslims"),
    L("chad1", "Chad", "into exile in Chad or Cameroon", place_type="country", canonical="Chad"),
    L("cameroon1", "Cameroon", "into exile in Chad or Cameroon", place_type="country", canonical="Cameroon"),
    A("au", "The African Union", "The African Union also raised concerns", actor_type="government", canonical="African Union"),
    A("bensouda", "Fatou Bensouda", "International Criminal Court, Fatou Bensouda, said Friday", actor_type="person", canonical="Fatou Bensouda"),
    Q("q22", "In many incidents, victims appear to have been deliberately targeted on religious grounds",
      '"In many incidents, victims appear to have been deliberately targeted on religious grounds,"'),
    A("obama", "Barack Obama", "Presidents Barack Obama and Francois Hollande", actor_type="person", canonical="Barack Obama"),
    A("hollande", "Francois Hollande", "Presidents Barack Obama and Francois Hollande", actor_type="person", canonical="Francois Hollande"),
    L("washington", "Washington", "pays a state visit to Washington.", place_type="city/town", canonical="Washington"),
    Q("q23", "In the Central African Republic, French and African Union soldiers -- backed by American airlift and support -- are working to stem violence and create space for dialogue, reconciliation and swift progress to transitional elections",
      '"In the Central African Republic, French and African Union soldiers -- backed by American airlift and support -- are working to stem violence and create space for dialogue, reconciliation and swift progress to transitional elections,"'),
    L("car10", "Central African Republic", '"In the Central African Republic, French and African Union soldiers', **CAR),
    A("soldiers", "French and African Union soldiers", "Republic, French and African Union soldiers --", actor_type="international force"),
    A("unsc", "The U.N. Security Council", "The U.N. Security Council voted", actor_type="UN body", canonical="UN Security Council"),
    A("eu", "European Union troops", "force by European Union troops there", actor_type="international force", canonical="EUFOR"),
    A("sambapanza", "Catherine Samba-Panza", "tapped Catherine Samba-Panza, mayor", actor_type="person", canonical="Catherine Samba-Panza"),
    L("bangui2", "Bangui", "mayor of the capital of Bangui, as", place_type="city/town", canonical="Bangui"),
    A("djotodia", "Michel Djotodia", "She replaced Michel Djotodia, the leader", actor_type="person", canonical="Michel Djotodia"),
    A("seleka4", "the Seleka rebels", "the leader of the Seleka rebels who seized", actor_type="armed group", canonical="Seleka"),
]
CNN_LINKS = {
    "q1": ["ai1"], "q2": ["group1"], "q3": ["hrw1"], "q4": ["mariner"], "q5": ["mariner"], "q6": ["ai4"], "q7": ["ai4"],
    "q8": ["guterres1"], "q9": ["guterres1"], "q10": ["guterres1"], "q11": ["guterres1"], "q12": ["guterres1"],
    "q13": ["guterres1"], "q14": ["guterres2"], "q15": ["guterres2"], "q16": ["hrw2"], "q17": ["bouckaert"],
    "q18": ["bouckaert"], "q19": ["msf"], "q20": ["group2"], "q21": ["group2"], "q22": ["bensouda"], "q23": ["obama", "hollande"],
}
CNN_BOB = dict(
    change={
        # quotation marks and the trailing comma inside the quote
        "q1": dict(text='"a Muslim exodus of historic proportions,"'),
        "ai1": dict(text="rights group Amnesty International"),
        "muslimpop": dict(text="minority Muslim population"),
        "seleka1": dict(text="Seleka"),
        "bozize": dict(text="Francois Bozize"),
        "ab1": dict(text="Christian militias"),
        # Bob read the state as an actor here
        "car3": dict(label="ACTOR", text="The Central African Republic", attrs=dict(actor_type="government", canonical="Central African Republic")),
        "french1": dict(text="about 1,600 French troops"),
        "misca": dict(text="MISCA"),
        "seleka2": dict(text="Seleka"),
        "intl": dict(text="international forces"),
        "unhcr": dict(text="U.N. refugee agency"),
        "cas4": dict(text="Tens of thousands of people are fleeing", attrs_update=dict(count_min=20000)),
        "ab5": dict(text="anti-balaka militias"),
        "yaloke": dict(attrs_update=dict(place_type="site")),
        "au": dict(text="African Union", attrs_update=dict(actor_type="international force")),
        "unsc": dict(text="U.N. Security Council"),
        "seleka4": dict(text="Seleka rebels"),
        "cas2": dict(attrs_update=dict(count_max=None)),
    },
    drop=["group1", "civ1", "ai4", "boyali", "cas3", "cas5", "guterres2", "militias", "group2", "q10", "soldiers"],
    add=[
        A("ab1b", "anti-balaka", "known as the anti-balaka, which", actor_type="militia", canonical="anti-balaka"),
        L("wapo", "Washington", "published Monday in The Washington Post", place_type="city/town", canonical="Washington"),
    ],
    links={"q2": ["ai1"], "q6": [], "q7": [], "q14": ["guterres1"], "q15": ["guterres1"], "q20": ["msf"], "q21": ["msf"]},
)

# --------------------------------------------------------------------------- AP, Amnesty
AP1_TEXT = "ap-2014-02-12-amnesty-ethnic-cleansing.txt"
CAP = "French soldiers search a house used as an armed cache in the Christian sector of PK12, the last checkpoint at the exit of the town, in Bangui, Central African Republic Tuesday Feb. 11, 2014. The commander of French troops in the Central African Republic General Francisco Soriano accused the Anti-Balaka Christian militias to be \"enemies of the peace\""


def caption(n: int) -> list[S]:
    return [
        A(f"fs{n}", "French soldiers", CAP, n, actor_type="state force", canonical="French army"),
        L(f"pk12c{n}", "PK12", CAP, n, place_type="neighbourhood", canonical="PK12"),
        L(f"banguic{n}", "Bangui", CAP, n, place_type="city/town", canonical="Bangui"),
        L(f"carc{n}", "Central African Republic", "in Bangui, Central African Republic Tuesday", n, **CAR),
        L(f"cart{n}", "Central African Republic", "French troops in the Central African Republic General", n, **CAR),
        A(f"soriano{n}", "General Francisco Soriano", CAP, n, actor_type="person", canonical="Francisco Soriano"),
        A(f"abc{n}", "the Anti-Balaka Christian militias", CAP, n, actor_type="militia", canonical="anti-balaka"),
        Q(f"qc{n}", "enemies of the peace", CAP, n),
    ]


AP1 = [
    A("amnesty0", "Amnesty", "Amnesty: Exodus", **AI),
    C("exodus0", "Exodus of thousands of Muslims", "Amnesty: Exodus of thousands of Muslims in",
      category="fled", count_min=1000, qualifier="tens/hundreds/thousands of", victims="Muslims"),
    L("car0", "C. African Republic", "Muslims in C. African Republic amounts", **CAR),
    A("marabou", "Marabou Husein Aba Ali", "Marabou Husein Aba Ali reads prayers", actor_type="person", canonical="Husein Aba Ali"),
    L("pk12a", "PK12", "at the mosque at PK12, the last", place_type="neighbourhood", canonical="PK12"),
    C("refuge", "3500 other Muslims have sought refuge", "where he and 3500 other Muslims have sought refuge from",
      category="displaced", count_min=3500, count_max=3500, qualifier="exact", victims="Muslims"),
    L("banguia", "Bangui", "transport from Bangui, Central", place_type="city/town", canonical="Bangui"),
    L("cara", "Central African Republic", "from Bangui, Central African Republic, to neighboring Chad", **CAR),
    L("chada", "Chad", "to neighboring Chad.", place_type="country", canonical="Chad"),
    *caption(1),
    *caption(2),
    A("ai1", "Amnesty International", "Amnesty International is warning", **AI),
    C("exodus1", "the exodus of tens of thousands of Muslims", "warning that the exodus of tens of thousands of Muslims from",
      category="fled", count_min=10000, qualifier="tens/hundreds/thousands of", victims="Muslims"),
    L("car1", "Central African Republic", "Muslims from Central African Republic amounts", **CAR),
    A("group", "the international human rights group", "Wednesday, the international human rights group said", **AI),
    Q("tragedy", "tragedy of historic proportions", '"tragedy of historic proportions"'),
    A("mariner", "Joanne Mariner", "Joanne Mariner, senior crisis adviser", actor_type="person", canonical="Joanne Mariner"),
    L("car2", "Central African Republic", "for the group in Central African Republic, acknowledged", **CAR),
    Q("displacement", "given the level of violent and purposeful displacement", '"given the level of violent and purposeful displacement"'),
    A("civilians", "Muslim civilians", "violence against Muslim civilians is", actor_type="community", canonical="Muslims"),
    A("militiamen", "Christian militiamen", "committed by Christian militiamen who", actor_type="militia", canonical="anti-balaka"),
    A("govt", "a Muslim government", "as a Muslim government crumbled", actor_type="government", canonical="Seleka government"),
]
AP1_LINKS = {"qc1": ["soriano1"], "qc2": ["soriano2"], "tragedy": ["group"], "displacement": ["mariner"]}
AP1_BOB = dict(
    change={
        "exodus0": dict(text="thousands of Muslims"),
        "pk12a": dict(text="the mosque at PK12", attrs_update=dict(place_type="site", canonical="PK12 mosque")),
        "refuge": dict(text="3500 other Muslims"),
        "soriano1": dict(text="Francisco Soriano"),
        "abc1": dict(text="Anti-Balaka Christian militias"),
        "exodus1": dict(text="tens of thousands of Muslims"),
    },
    # Bob did not annotate the repeated photo caption, the headline's "Amnesty", the
    # periphrasis for Amnesty, or the crumbling government.
    drop=["amnesty0", "group", "govt", *(s.key for s in caption(2))],
    add=[],
    links={"tragedy": []},
)

# --------------------------------------------------------------------------- AP, Dakar
AP2_TEXT = "ap-2014-02-car-muslims-future-imperilled.txt"
AP2 = [
    L("dakar", "DAKAR", "DAKAR, Senegal–The", place_type="city/town", canonical="Dakar"),
    L("senegal", "Senegal", "DAKAR, Senegal–The", place_type="country", canonical="Senegal"),
    L("car1", "Central African Republic", "wracking Central African Republic imperils", **CAR),
    A("muslims1", "the country’s Muslims", "the future of the country’s Muslims, with", actor_type="community", canonical="Muslims"),
    C("fleeing", "tens of thousands fleeing the daily violence", "with tens of thousands fleeing the daily violence and",
      category="fled", count_min=10000, qualifier="tens/hundreds/thousands of", victims="Muslims"),
    C("untold", "untold numbers killed", "and untold numbers killed.", category="killed", victims="Muslims"),
    L("bangui1", "Bangui", "Bangui, the capital, is engulfed", place_type="city/town", canonical="Bangui"),
    A("peacekeepers", "thousands of French and African peacekeepers", "presence of thousands of French and African peacekeepers.", actor_type="international force"),
    Q("q1", "We are in a moment where immediate action is needed to stop the killings", "“We are in a moment where immediate action is needed to stop the killings,”"),
    A("bouckaert", "Peter Bouckaert", "Peter Bouckaert of Human Rights Watch told", actor_type="person", canonical="Peter Bouckaert"),
    A("hrw", "Human Rights Watch", "Bouckaert of Human Rights Watch told", **HRW),
    Q("q2", "Otherwise the future of the Muslim community of this country will be gone.", "“Otherwise the future of the Muslim community of this country will be gone.”"),
    L("car2", "Central African Republic", "15 percent of Central African Republic’s 4.6 million", **CAR),
    C("fled800", "More than 800,000 people have fled their homes", "More than 800,000 people have fled their homes —",
      category="fled", count_min=800000, qualifier="more than", victims="people"),
    A("un", "the United Nations", "according to the United Nations.", actor_type="UN body", canonical="United Nations"),
    Q("q3", "There are some who don’t want Muslims in this country", "“There are some who don’t want Muslims in this country,”"),
    A("nzapayeke", "Prime Minister Andre Nzapayeke", "Prime Minister Andre Nzapayeke said on local radio", actor_type="government", canonical="Andre Nzapayeke"),
    Q("q4", "But when the Muslims have left the country, what happens next? The Protestants will throw out the Catholics, and then the Baptists against the Evangelists, and finally the animists? It is time we regain control and stop ourselves from plunging into an abyss.",
      "“But when the Muslims have left the country, what happens next? The Protestants will throw out the Catholics, and then the Baptists against the Evangelists, and finally the animists? It is time we regain control and stop ourselves from plunging into an abyss.”"),
    C("convoy", "Thousands of Muslims left Bangui", "Thousands of Muslims left Bangui in a massive convoy",
      category="fled", count_min=1000, qualifier="tens/hundreds/thousands of", victims="Muslims"),
    L("bangui2", "Bangui", "Thousands of Muslims left Bangui in", place_type="city/town", canonical="Bangui"),
    A("crowds", "crowds of Christians", "jeered by crowds of Christians.", actor_type="community", canonical="Christians"),
    C("truck", "One Muslim who fell off a truck was quickly killed", "One Muslim who fell off a truck was quickly killed by the mob.",
      category="killed", count_min=1, count_max=1, qualifier="exact", victims="Muslim"),
    A("mob", "the mob", "quickly killed by the mob.", actor_type="community"),
    C("communities", "Entire Muslim communities also have left towns", "Entire Muslim communities also have left towns in the rural northwest",
      category="fled", victims="Muslim communities"),
    L("northwest1", "the rural northwest", "towns in the rural northwest, sometimes", place_type="region", canonical="northwestern CAR"),
    A("militiamen1", "Christian militiamen", "under attack from Christian militiamen and die", actor_type="militia", canonical="anti-balaka"),
    L("northwest2", "northwest Central African Republic", "wide stretch of northwest Central African Republic, Christian", place_type="region", canonical="northwestern CAR"),
    A("antibalaka", "Christian militiamen known as the anti-Balaka", "Republic, Christian militiamen known as the anti-Balaka (or anti-machete)", actor_type="militia", canonical="anti-balaka"),
    C("driven", "driven tens of thousands of Muslims out of the area", "have driven tens of thousands of Muslims out of the area.",
      category="displaced", count_min=10000, qualifier="tens/hundreds/thousands of", victims="Muslims"),
    L("chad", "Chad", "seeking refuge in Chad or Cameroon", place_type="country", canonical="Chad"),
    L("cameroon", "Cameroon", "seeking refuge in Chad or Cameroon", place_type="country", canonical="Cameroon"),
    L("car3", "Central African Republic", "few corners of Central African Republic where", **CAR),
    A("seleka1", "the Muslim Seleka rebels", "perpetrated by the Muslim Seleka rebels during", actor_type="armed group", canonical="Seleka"),
    A("seleka2", "Seleke fighters", "Seleke fighters tied their victims", actor_type="armed group", canonical="Seleka"),
    A("djotodia", "Michel Djotodia", "Seleka’s leader Michel Djotodia stepped down", actor_type="person", canonical="Michel Djotodia"),
    A("interim", "a precarious civilian interim government", "and a precarious civilian interim government is in charge", actor_type="government", canonical="interim government"),
    C("k1000", "More than 1,000 were killed", "More than 1,000 were killed during several days",
      category="killed", count_min=1000, qualifier="more than"),
    A("militia", "a Christian militia", "when a Christian militia attempted", actor_type="militia", canonical="anti-balaka"),
    A("rebelgov", "the Muslim rebel government", "overthrow the Muslim rebel government then in power", actor_type="armed group", canonical="Seleka"),
    A("bensouda", "Fatou Bensouda", "has been opened, Fatou Bensouda, the prosecutor", actor_type="person", canonical="Fatou Bensouda"),
    A("gaye", "Babacar Gaye", "Babacar Gaye, the U.N.’s special representative", actor_type="UN body", canonical="Babacar Gaye"),
    L("car4", "Central African Republic", "special representative to Central African Republic, has called", **CAR),
    A("police", "police officers", "where police officers long ago fled", actor_type="state force"),
    L("car5", "Central African Republic", "Central African Republic was already one of", **CAR),
    A("rebels", "Muslim rebels from the north", "coup by Muslim rebels from the north plunged", actor_type="armed group", canonical="Seleka"),
    A("french", "the extra French troops", "When the extra French troops first arrived", actor_type="state force", canonical="French army"),
    C("airport", "more than 100,000 people sought refuge at the airport", "more than 100,000 people sought refuge at the airport they guarded",
      category="displaced", count_min=100000, qualifier="more than", victims="people"),
    L("airportloc", "the airport", "sought refuge at the airport they guarded", place_type="site", canonical="Bangui M'Poko airport"),
    L("ledger", "The Ledger", "now dubbed “The Ledger” after", place_type="site", canonical="The Ledger camp"),
    A("ledrian1", "Jean-Yves Le Drian", "French defense minister Jean-Yves Le Drian told", actor_type="government", canonical="Jean-Yves Le Drian"),
    L("car6", "Central African Republic", "extend its mission in Central African Republic beyond", **CAR),
    Q("q5", "We are going to avoid the worst", "“We are going to avoid the worst,”"),
    A("ledrian2", "Le Drian", "worst,” Le Drian said.", actor_type="government", canonical="Jean-Yves Le Drian"),
    Q("q6", "By our presence we can lower tensions on the ground, to pave the way for a peaceful political transition.",
      "“By our presence we can lower tensions on the ground, to pave the way for a peaceful political transition.”"),
    L("car7", "Central African Republic", "distant goal in Central African Republic, a country", **CAR),
    L("capital", "the lawless capital", "In the lawless capital, a 19-year-old", place_type="city/town", canonical="Bangui"),
    A("woman", "a 19-year-old Muslim woman", "capital, a 19-year-old Muslim woman in the Kokoro", actor_type="person"),
    L("kokoro", "the Kokoro neighborhood", "in the Kokoro neighborhood said", place_type="neighbourhood", canonical="Kokoro"),
    A("armedmen", "a group of armed men", "said a group of armed men this week", actor_type="armed group"),
    Q("q7", "It’s you Muslims!", "crying “It’s you Muslims!”"),
    Q("q8", "They gave us a minute to come to the living room or else they threatened to throw a grenade",
      "“They gave us a minute to come to the living room or else they threatened to throw a grenade,”"),
    Q("q9", "Four of them ripped my clothes off and raped me one by one. Another raped my sister, who is only 14 years old. They asked where our father had hid weapons in the house and we told him we didn’t have any.",
      "“Four of them ripped my clothes off and raped me one by one. Another raped my sister, who is only 14 years old. They asked where our father had hid weapons in the house and we told him we didn’t have any."),
    C("raped1", "raped me one by one", "ripped my clothes off and raped me one by one.", category="raped", count_min=1, count_max=1, qualifier="exact", victims="19-year-old Muslim woman"),
    C("raped2", "Another raped my sister", "one by one. Another raped my sister, who", category="raped", count_min=1, count_max=1, qualifier="exact", victims="her 14-year-old sister"),
    Q("q10", "After that, I cannot say that the situation is improving for us", "“After that, I cannot say that the situation is improving for us,”"),
    Q("q11", "We are Muslims, yes, but we are also Central Africans. Where will we go? We were born here. This is our country.",
      "“We are Muslims, yes, but we are also Central Africans. Where will we go? We were born here. This is our country.”"),
]
AP2_LINKS = {
    "q1": ["bouckaert"], "q2": ["bouckaert"], "q3": ["nzapayeke"], "q4": ["nzapayeke"], "q5": ["ledrian2"], "q6": ["ledrian2"],
    "q7": ["armedmen"], "q8": ["woman"], "q9": ["woman"], "q10": ["woman"], "q11": ["woman"],
}
AP2_BOB = dict(
    change={
        "dakar": dict(text="DAKAR, Senegal"),
        "fleeing": dict(text="tens of thousands fleeing"),
        "peacekeepers": dict(text="French and African peacekeepers"),
        "q1": dict(text="“We are in a moment where immediate action is needed to stop the killings,”"),
        "fled800": dict(attrs_update=dict(category="displaced")),
        "un": dict(text="United Nations"),
        "nzapayeke": dict(text="Andre Nzapayeke", attrs_update=dict(actor_type="person")),
        "convoy": dict(text="Thousands of Muslims left"),
        "northwest1": dict(text="northwest", attrs_update=dict(canonical="northwest")),
        "northwest2": dict(text="Central African Republic", attrs_update=dict(place_type="country", canonical="Central African Republic")),
        "antibalaka": dict(text="anti-Balaka"),
        "driven": dict(text="tens of thousands of Muslims", attrs_update=dict(category="fled")),
        "seleka1": dict(text="Muslim Seleka rebels"),
        "rebelgov": dict(attrs_update=dict(actor_type="government")),
        "gaye": dict(attrs_update=dict(actor_type="person")),
        "french": dict(text="French troops"),
        "airport": dict(text="more than 100,000 people sought refuge"),
        "ledrian1": dict(text="French defense minister Jean-Yves Le Drian"),
        "kokoro": dict(text="Kokoro"),
        # one CASUALTY for both rapes
        "raped1": dict(text="Four of them ripped my clothes off and raped me one by one. Another raped my sister",
                       context="Four of them ripped my clothes off and raped me one by one. Another raped my sister,",
                       attrs_update=dict(count_min=2, count_max=2, victims="the woman and her sister")),
        "k1000": dict(attrs_update=dict(qualifier="at least")),
    },
    drop=["senegal", "muslims1", "untold", "mob", "communities", "interim", "police", "airportloc", "ledrian2", "capital", "raped2"],
    add=[],
    links={"q5": ["ledrian1"], "q6": ["ledrian1"], "q7": []},
)

DOCS = [(AP1_TEXT, AP1, AP1_LINKS, AP1_BOB), (AP2_TEXT, AP2, AP2_LINKS, AP2_BOB), (CNN_TEXT, CNN, CNN_LINKS, CNN_BOB)]


def bob_version(spans: list[S], links: dict, diff: dict) -> tuple[list[S], dict]:
    keys = {s.key for s in spans}
    for key in [*diff["change"], *diff["drop"], *diff["links"]]:
        assert key in keys, f"bob's diff names an unknown span {key!r}"
    out = []
    for s in spans:
        if s.key in diff["drop"]:
            continue
        change = dict(diff["change"].get(s.key, {}))
        if change:
            attrs = change.pop("attrs", None)
            update = change.pop("attrs_update", {})
            if "text" in change and "context" not in change:
                assert s.context and change["text"] in s.context, f"{s.key}: give bob's changed text a context"
                change["context"] = s.context
            new_attrs = dict(attrs if attrs is not None else s.attrs)
            new_attrs.update(update)
            s = replace(s, attrs={k: v for k, v in new_attrs.items() if v is not None}, **change)
        out.append(s)
    out += diff["add"]
    kept = {s.key for s in out}
    new_links = {q: [a for a in actors if a in kept] for q, actors in links.items() if q in kept}
    new_links.update(diff["links"])
    return out, {q: a for q, a in new_links.items() if a}


def record(path: str, text: str, spans: list[S], links: dict, annotator: str) -> dict:
    located = sorted(((s.locate(text), s) for s in spans), key=lambda p: (p[0][0], -p[0][1], p[1].label))
    ids = {}
    out_spans = []
    for n, ((start, end), s) in enumerate(located, 1):
        assert s.key not in ids, f"duplicate key {s.key}"
        ids[s.key] = n
        out_spans.append({"id": n, "start": start, "end": end, "label": s.label, "text": text[start:end], "attrs": dict(s.attrs)})
    relations = [
        {"label": "SPEAKER", "head": ids[q], "child": ids[a]} for q, actors in sorted(links.items(), key=lambda kv: ids[kv[0]]) for a in actors
    ]
    for rel in relations:
        assert out_spans[rel["head"] - 1]["label"] == "QUOTE" and out_spans[rel["child"] - 1]["label"] == "ACTOR"
    title = next(line.strip() for line in text.splitlines() if line.strip())[:120]
    return {
        "text": text,
        "spans": out_spans,
        "relations": relations,
        "annotator": annotator,
        "status": "done",
        "meta": {
            "title": title,
            "source": f"sources/{path}",
            "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "schema": "conflict",
            "schema_version": 1,
        },
    }


def build() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {"alice": [], "bob": []}
    for path, spans, links, diff in DOCS:
        text = (ROOT / "sources" / path).read_text(encoding="utf-8")
        out["alice"].append(record(path, text, spans, links, "alice"))
        bob_spans, bob_links = bob_version(spans, links, diff)
        out["bob"].append(record(path, text, bob_spans, bob_links, "bob"))
    return out


def main() -> None:
    for name, records in build().items():
        with open(OUT / f"{name}.jsonl", "w", encoding="utf-8", newline="\n") as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        print(f"{name}.jsonl: {len(records)} records, {sum(len(r['spans']) for r in records)} spans")


if __name__ == "__main__":
    main()
