"""Every suggestion points into the text it was made for, whatever the text (issue 12, audit of round 7's rules):
arbitrary unicode (astral characters, combining marks, right-to-left text, control characters) mixed with the words
the round-7 rules read (harm verbs, quotes, speech verbs, names, short forms), through the whole engine: offsets are
code points, start < end, within the text, never only blank; links point into the same list."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.schemas.labels import load_default_schema
from annotator.services.suggestions.engine import Sources, raw_suggestions, suggest

SOURCES = Sources.build(load_default_schema())
# what the round-7 rules look for: counts by shape, harm verbs, speakers, names, short forms, quotes
RULE_WORDS = [
    "Several soldiers were killed",
    " and many people killed",
    " killing several villagers",
    "One villager who had seen the bodies said",
    " the attackers came at night.",
    "Maoist chief Prachanda urged",
    ", Mohamed Morsi",
    "the Islamic State in Iraq and Syria (ISIS)",
    " ISIS ",
    "“We fled,” he said.",
    " «Nous», ",
    '"It was',
    " shot another rebel dead",
    " 48 police",
    "according to witnesses",
    " Villagers and hospital workers said",
    ". ",
    "\n",
    ", ",
    " — ",
    "😀",
    "𝐀𝐁",
    "\u0301",
    "قال المتحدث",
    "\u202e",
    "\x1b[31m",
    "\x00",
]
TEXTS = st.lists(
    st.one_of(st.sampled_from(RULE_WORDS), st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)),
    max_size=30,
).map("".join)


def _check(text: str, found: list) -> None:
    for s in found:
        assert 0 <= s.start < s.end <= len(text), (s, text)
        assert s.text(text) == text[s.start : s.end] and s.text(text).strip(), (s, text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_every_suggestion_is_a_stretch_of_its_own_text(text):
    raw = raw_suggestions(text, SOURCES)
    _check(text, raw)
    for s in raw:
        for keys in s.link_keys.values():
            for _label, start, end in keys:
                assert 0 <= start < end <= len(text), (s, text)
    found = suggest(text, SOURCES)
    _check(text, found)
    for s in found:
        for targets in s.links.values():
            assert all(0 <= i < len(found) and found[i].label == "ACTOR" for i in targets), (s, text)
