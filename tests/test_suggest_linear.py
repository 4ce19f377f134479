"""The linear rules give exactly what the quadratic ones gave (``suggest_oracles``): the
sentence index and the sort-and-sweep ``combine``; and windows tile a long text."""

from __future__ import annotations

from pathlib import Path

import suggest_oracles as old
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.schemas.labels import load_default_schema
from annotator.services.suggestions import windows
from annotator.services.suggestions.base import SentenceIndex, Suggestion, sentence_end, sentence_start
from annotator.services.suggestions.engine import Sources, combine, raw_suggestions, suggest

SCHEMA = load_default_schema()
PIECES = [
    "Mr. ",
    "Dr. ",
    "Gen. ",
    "U.N. ",
    "U.S. ",
    "etc. ",
    "a. ",
    "No. 5 ",
    "St. ",
    "Jan. ",
    "rebels attacked Bangui",
    " said",
    ". ",
    "! ",
    "? ",
    ".\n",
    "\n",
    "\n\n",
    "  ",
    " ",
    ".",
    '"',
    "“",
    "”",
    "’",
    "‘",
    "(",
    ")",
    "»",
    "«",
    "A",
    "The ",
    "9 ",
    "killed",
    "x",
    "é",
    "\t",
]
texts = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@settings(max_examples=400, deadline=None)
@given(texts, st.data())
def test_sentence_index_gives_the_old_scan_s_answers(text, data):
    index = SentenceIndex(text)
    positions = range(-1, len(text) + 2)
    for pos in data.draw(st.lists(st.sampled_from(positions), max_size=20)) + [0, len(text)]:
        assert index.start(pos) == old.sentence_start(text, pos), (text, pos)
        assert index.end(pos) == old.sentence_end(text, pos), (text, pos)
        assert sentence_start(text, pos) == old.sentence_start(text, pos)
        assert sentence_end(text, pos) == old.sentence_end(text, pos)


LABELS = ["ACTOR", "LOCATION", "QUOTE", "CASUALTY"]
SOURCES = ["propagation", "gazetteer", "rules:casualty", "rules:quotes", "rules:persons", "gazetteer:world", "model:x"]


@st.composite
def raw_lists(draw):
    n = draw(st.integers(0, 25))
    out = []
    for _ in range(n):
        start = draw(st.integers(0, 60))
        end = start + draw(st.integers(0, 15))
        label = draw(st.sampled_from(LABELS))
        out.append((label, start, end, draw(st.sampled_from(SOURCES))))
    links = []
    for i, (label, *_rest) in enumerate(out):
        if label == "QUOTE" and out and draw(st.booleans()):
            target = out[draw(st.integers(0, len(out) - 1))]
            links.append((i, ("ACTOR", target[1], target[2])))
    existing = [
        (draw(st.sampled_from(LABELS)), a, a + draw(st.integers(1, 10)))
        for a in draw(st.lists(st.integers(0, 60), max_size=6))
    ]
    rejected = [(label, a, b) for label, a, b, _ in out if draw(st.integers(0, 9)) == 0]
    return out, links, existing, rejected


def _build(out, links):
    made = [Suggestion(label, a, b, {}, {}, source) for label, a, b, source in out]
    for i, key in links:
        made[i].link_keys = {"speaker": made[i].link_keys.get("speaker", ()) + (key,)}
    return made


def _plain(found):
    return [
        (
            s.label,
            s.start,
            s.end,
            s.source,
            sorted(s.attrs.items()),
            sorted(s.links.items()),
            sorted(s.link_keys.items()),
        )
        for s in found
    ]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw_lists())
def test_combine_gives_the_old_combine_s_answers(case):
    out, links, existing, rejected = case
    new = combine(_build(out, links), SCHEMA, existing=existing, rejected=rejected)
    reference = old.combine(_build(out, links), SCHEMA, existing=existing, rejected=rejected)
    assert _plain(new) == _plain(reference)


def _report(size: int) -> str:
    root = Path(__file__).resolve().parent.parent / "sources"
    base = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(root.glob("*.txt")))
    return ((base + "\n\n") * (size // len(base) + 1))[:size]


def test_windows_tile_the_text_and_change_nothing_on_the_bundled_articles():
    text = _report(60_000)
    plan = windows.plan(text)
    assert len(plan) > 3
    assert [w.core_lo for w in plan][0] == 0 and plan[-1].core_hi == len(text)
    assert all(a.core_hi == b.core_lo for a, b in zip(plan, plan[1:]))
    assert all(w.lo <= w.core_lo < w.core_hi <= w.hi for w in plan)
    assert all(w.core_lo == 0 or text[w.core_lo - 1] == "\n" for w in plan)  # whole paragraphs
    sources = Sources.build(SCHEMA)
    # an article shorter than a window is one window: exactly what the rules give on it
    for article in sorted((Path(__file__).resolve().parent.parent / "sources").glob("*.txt")):
        body = article.read_text(encoding="utf-8")
        assert len(windows.plan(body)) == 1
        assert _plain(suggest(body, sources)) == _plain(combine(raw_suggestions(body, sources), SCHEMA))
    # a long text: the same suggestions but where a rule looks beyond a window (places are
    # only looked for where the text names their country: a window, not the whole report)
    windowed = {x[:3] for x in _plain(suggest(text, sources))}
    whole = {x[:3] for x in _plain(combine(raw_suggestions(text, sources), SCHEMA))}
    assert len(windowed & whole) >= 0.98 * len(windowed | whole)
    by_window = windows.nearest_first(plan, focus=len(text) // 2)
    assert by_window[0].core_lo <= len(text) // 2 < by_window[0].core_hi


def test_a_paragraph_without_newlines_is_cut_at_a_space():
    text = ("word " * 40_000).strip()
    plan = windows.plan(text)
    assert len(plan) > 1 and all(text[w.core_lo - 1] == " " for w in plan[1:])
