"""The round-7 suggestion code scales linearly on hostile texts (issue 12, audit): work is COUNTED (lines of the
module run, ``support.work``) at two sizes ten times apart, never timed. A loop over every sentence, quote or
suggestion inside a loop over the same shows as a ratio near 100; linear code as about 10.

Each text is a shape that made its module quadratic before the audit's fix (each test failed then); the patterns that
backtracked on runs of spaces are checked against their old selves for the same answers.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from support.work import lines_run

from annotator.services.suggestions import (
    actor_acronyms,
    casualty_counts,
    quote_marks,
    quote_speakers,
    quotes,
    speaker_subjects,
    syntax,
)
from annotator.services.suggestions.base import Suggestion
from annotator.services.suggestions.quotes import find_quotes

LINEAR = 15  # ten times the text: at most fifteen times the work


def _ratio(module, run, unit: str, small: int) -> float:
    texts = [unit * small, unit * small * 10]
    for text in texts:
        syntax.parse(text)  # the tagger's work is not this module's
    small_work, large_work = (lines_run(module, lambda t=text: run(t)) for text in texts)
    return large_work / small_work


def test_a_subject_is_looked_for_in_its_own_sentence_not_in_every_sentence():
    def run(text: str) -> None:
        for token in syntax.parse(text).tokens:
            if token.text == "said":
                speaker_subjects.subject_before(text, token.start)
                speaker_subjects.subject_after(text, token.end)
                speaker_subjects.main_verb(text, token.start)

    assert _ratio(speaker_subjects, run, "One villager said. ", 40) <= LINEAR


def test_counts_by_shape_is_linear_in_the_counts_it_finds():
    unit = "Several soldiers were killed and many people killed killing several villagers "
    run = lambda text: casualty_counts.counts_by_shape(text, "CASUALTY", [])  # noqa: E731
    assert casualty_counts.counts_by_shape(unit * 3, "CASUALTY", [])  # the shape is one the rule counts
    assert _ratio(casualty_counts, run, unit, 25) <= LINEAR


def _old_counts_by_shape(text: str, taken: list) -> list:
    """The loop ``counts_by_shape`` had before it kept its spans sorted (an oracle: every pair compared)."""
    tokens = syntax.parse(text).tokens
    out: list = []
    for i in range(len(tokens)):
        harm = casualty_counts._harm_at(text, tokens, i)
        if harm is None:
            found = casualty_counts._act_of(text, tokens, i, "CASUALTY")
        else:
            found = casualty_counts._passive(text, tokens, i, harm, "CASUALTY") or casualty_counts._active(
                text, tokens, i, harm, "CASUALTY"
            )
        if found is None or any(t.start < found.end and found.start < t.end for t in taken):
            continue
        out = [o for o in out if not (o.start == found.start and o.end < found.end)]
        if not any(o.start < found.end and found.start < o.end for o in out):
            out.append(found)
    return out


_PIECES = [
    "Several soldiers were killed",
    " and many people killed",
    " killing several villagers",
    "A National Guard captain who was shot in the head",
    " died",
    " later",
    ", ",
    ". ",
    "\n",
    "  ",
    "the policemen were killed",
    " shot another rebel dead",
    "the murder of a tribesman",
    "Two people were killed and several others injured",
    "Seven of the attackers were also killed",
    "Mamadou Bela Balde, 30, was shot",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25).map("".join), st.data())
def test_counts_by_shape_keeps_what_the_pairwise_loop_kept(text, data):
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=6)))
    taken = [Suggestion("CASUALTY", a, b) for a, b in zip(cuts[::2], cuts[1::2])]
    plain = [(s.start, s.end, s.attrs) for s in casualty_counts.counts_by_shape(text, "CASUALTY", taken)]
    assert plain == [(s.start, s.end, s.attrs) for s in _old_counts_by_shape(text, taken)]


def test_speaker_candidates_are_looked_up_not_scanned():
    run = lambda text: find_quotes(text, [])  # noqa: E731
    unit = "“We fled the town,” Ali Hassan said. "
    assert len(find_quotes(unit * 3, [])) == 6  # three quotes, each with a speaker the rule found
    assert _ratio(quote_speakers, run, unit, 30) <= LINEAR


def test_each_quote_finds_its_paragraph_by_search():
    unit = "“We fled the town,” he said.\n"
    assert len(quote_marks.scan(unit * 3)) == 3
    assert _ratio(quote_marks, quote_marks.scan, unit, 100) <= LINEAR


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(['"', "“", "”", "‘", "’", "«", "»", "'", "a b", " ", "\n", "x"]), max_size=40), st.data()
)
def test_inside_a_quote_is_what_every_quote_says(pieces, data):
    text = "".join(pieces)
    found = quote_marks.scan(text)
    for pos in data.draw(st.lists(st.integers(-1, len(text) + 1), max_size=10)):
        assert quote_speakers.inside_quote(pos, found) == any(q.start <= pos < q.end for q in found)


def test_each_quote_finds_its_attribution_without_scanning_every_event():
    run = lambda text: find_quotes(text, [])  # noqa: E731
    for unit in ("“We fled the town,” he said. ", "“We fled,” it said. The group said so. ", "😀 “𝔘𝔑 fled” said 🇺🇳 "):
        assert find_quotes(unit * 3, [])
        assert _ratio(quotes, run, unit, 30) <= LINEAR, unit


# the two patterns as they were before the audit: oracles for what the unambiguous ones must still match
_OLD_BRACKETED = re.compile(
    r"[”\"’']?(?:\s+(?:in|of|for|and|the)\s+[A-Z][\w’'-]*(?:\s+(?:and|of|the)?\s*[A-Z][\w’'-]*){0,3})?"
    r"\s*\((?P<short>[A-Z][A-Z0-9-]{1,7})\)"
)
_OLD_GAVE_NAME = re.compile(
    r"\s*,?\s*who\s+(?:would\s+|only\s+)?(?:gave|give|identified|named|called|introduced)\b[^.;!?“”\"]{0,60}?"
    r"(?:name|herself|himself)\b[^.;!?“”\"]{0,20}?(?:,|\s+as)\s+(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3})"
)
_REGEX_PIECES = [" ", "  ", "\n", ",", "of", "and", "the", "in", "Abc", "Def", "(", ")", "ISIS", "IS", "”", "x"]
_REGEX_PIECES += ["who", "gave", "only", "his", "name", "first", "Amar", "as", "would"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_REGEX_PIECES), max_size=20).map("".join))
def test_the_unambiguous_patterns_match_what_the_old_ones_matched(text):
    for old, new in ((_OLD_BRACKETED, actor_acronyms._BRACKETED), (_OLD_GAVE_NAME, speaker_subjects._GAVE_NAME)):
        before, after = old.match(text), new.match(text)
        assert (before and (before.span(), before.groupdict())) == (after and (after.span(), after.groupdict()))


def test_runs_of_spaces_in_a_name_s_tail_fail_at_once():
    """Before the audit "\\s+(?:and|of|the)?\\s*" split each run of spaces every way: four runs of 200 spaces took
    ten seconds to fail, of 2,000 days. Now a run is one ``\\s+``; the answers are the same."""
    gap = " " * 2_000
    text = "Police of" + gap + "Abc" + gap + "Def" + gap + "Ghi" + gap + "Jkl x"
    assert actor_acronyms._BRACKETED.match(text, len("Police")) is None
    assert actor_acronyms._BRACKETED.match(text.replace(" x", " (JK)"), len("Police")).group("short") == "JK"
    police = Suggestion("ACTOR", 0, len("Police"), {"actor_type": "state force"})
    assert actor_acronyms.find_short_forms(text, [police], [police]) == []
    assert speaker_subjects.named_in_apposition("a man" + gap + "who gave his name as" + gap + "x", 5) is None


def test_a_name_s_parts_are_cut_by_the_suggestions_near_it_not_by_all():
    unit = "“We fled the town,” Ali Hassan of Bentiu said. "

    def run(text: str) -> None:
        places = [i for i in range(len(text)) if text.startswith("Bentiu", i)]
        find_quotes(text, [Suggestion("LOCATION", i, i + len("Bentiu")) for i in places])

    assert _ratio(quote_speakers, run, unit, 30) <= LINEAR


def test_the_speaker_ranker_looks_at_the_mentions_and_quotes_near_each_quote():
    from annotator.schemas.labels import load_default_schema
    from annotator.services.suggestions import speaker_ranker
    from annotator.services.suggestions.engine import Sources, raw_suggestions

    sources = Sources.build(load_default_schema(), use_gazetteer=False, trained=False)
    unit = "“We fled the town,” he said. "  # quotes the rules leave unlinked: the ranker's to choose for
    assert [s.label for s in raw_suggestions(unit * 3, sources)] == ["QUOTE"] * 3
    run = lambda text: raw_suggestions(text, sources)  # noqa: E731
    assert _ratio(speaker_ranker, run, unit, 30) <= LINEAR


def test_one_attribution_repeated_costs_ten_times_for_ten_times_the_text():
    """Round 8: 200 KB of "Ali Hassan said." through the rules without windows cost 19 times the work of 20 KB: the
    speaker ranker kept one mention per stretch by comparing each with every mention kept before it. Now a bisection
    (``combine.longest_disjoint``): the lines run in either module grow as the text."""
    from annotator.schemas.labels import load_default_schema
    from annotator.services.suggestions import combine, speaker_ranker
    from annotator.services.suggestions.engine import Sources, raw_suggestions

    sources = Sources.build(load_default_schema(), use_gazetteer=False, trained=False)
    unit = "Ali Hassan said. "
    actors = [s for s in raw_suggestions(unit * 3, sources) if s.label == "ACTOR"]
    assert [(s.start, s.end) for s in actors] == [(0, 10), (17, 27), (34, 44)]  # a mention per sentence
    run = lambda text: raw_suggestions(text, sources)  # noqa: E731
    for module in (speaker_ranker, combine):
        assert _ratio(module, run, unit, 120) <= LINEAR, module.__name__


def test_suggesting_window_by_window_keeps_no_memory_per_window():
    """What stays allocated after a document is suggested window by window (as the app and ``annotator suggest`` do)
    and the peak while it runs do not grow with its number of windows: bytes counted by tracemalloc, three times the
    windows, not timed. The tagger's cache held sixteen windows' parses (5.9x the 3 MB article in benchmark 9)."""
    import tracemalloc
    from pathlib import Path

    from annotator.schemas.labels import load_default_schema
    from annotator.services.suggestions import windows
    from annotator.services.suggestions.background import Inputs, Suggester
    from annotator.services.suggestions.engine import Sources, raw_suggestions

    root = Path(__file__).resolve().parent.parent
    base = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((root / "sources").glob("*.txt")))
    sources = Sources.build(load_default_schema(), trained=False)
    raw_suggestions(base[:15_000], sources)  # what the rules load once per process (places of the countries named)
    measured = {}
    for count in (6, 18):
        text = ((base + "\n\n") * (count * windows.SIZE // len(base) + 1))[: count * windows.SIZE]
        assert len(windows.plan(text)) == count
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            Suggester(sources=sources).run(Inputs(1, text, (), frozenset(), None), deliver=lambda batch: None)
            kept, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        measured[count] = (kept - before, peak - before)
    (kept_few, peak_few), (kept_many, peak_many) = measured[6], measured[18]
    assert kept_many <= kept_few + 100_000, measured  # twelve more windows: not twelve more parses kept
    assert peak_many <= peak_few + 300_000, measured
