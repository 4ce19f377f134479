"""The named tokenizer and sentence splitter, the CoNLL overlap rule, brat fragments."""

from __future__ import annotations

from annotator.services.exporting.brat import brat_value, fragments
from annotator.services.exporting.conll import iob_lines, outermost
from annotator.services.exporting.query import SpanRow
from annotator.services.exporting.segment import merge_across, sentence_offsets, tokenize


def texts(text: str, offsets) -> list[str]:
    return [text[s:e] for s, e in offsets]


def test_tokens_keep_numbers_words_and_emoji_sequences_whole():
    text = "3,500 anti-balaka fled; the country’s 👩‍👩‍👧 and 👍🏽 🇫🇷 e\u0301te\u0301."
    assert [t.text for t in tokenize(text)] == [
        "3,500",
        "anti-balaka",
        "fled",
        ";",
        "the",
        "country’s",
        "👩‍👩‍👧",
        "and",
        "👍🏽",
        "🇫🇷",
        "e\u0301te\u0301",
        ".",
    ]
    for tok in tokenize(text):
        assert text[tok.start : tok.end] == tok.text


def test_boundaries_force_cuts():
    assert [t.text for t in tokenize("Bangui-based", boundaries=[6])] == ["Bangui", "-", "based"]


def test_sentences_split_on_lines_and_punctuation_but_not_abbreviations():
    text = (
        "Amnesty: Exodus in C. African Republic. The U.N. envoy came on Feb. 11. "
        '"We fled!" she said. Is it over? Yes.\n\nSecond paragraph without a stop\nthird'
    )
    assert texts(text, sentence_offsets(text)) == [
        "Amnesty: Exodus in C. African Republic.",
        "The U.N. envoy came on Feb. 11.",
        '"We fled!" she said.',
        "Is it over?",
        "Yes.",
        "Second paragraph without a stop",
        "third",
    ]


def test_lower_case_after_a_stop_continues_the_sentence():
    text = "Approx. ten were hurt. e.g. this one. and that"
    assert texts(text, sentence_offsets(text)) == ["Approx. ten were hurt. e.g. this one. and that"]


def test_merge_across_joins_sentences_a_span_crosses():
    sents = [(0, 10), (11, 20), (21, 30)]
    assert merge_across(sents, [(5, 15)]) == [(0, 20), (21, 30)]
    assert merge_across(sents, [(2, 4), (22, 25)]) == sents


def span(i: int, start: int, end: int, label: str = "X") -> SpanRow:
    return SpanRow(i, 1, label, start, end, {})


def test_outermost_longest_then_earliest_wins():
    spans = [span(1, 0, 5), span(2, 1, 3), span(3, 4, 9), span(4, 8, 13), span(5, 20, 24), span(6, 22, 26)]
    kept, dropped = outermost(spans)
    # 0-5 and 4-9 and 8-13 are all length 5: the earliest wins, then 8-13 no longer clashes
    assert [s.id for s in kept] == [1, 4, 5]
    assert sorted(s.id for s in dropped) == [2, 3, 6]


def test_iob_cuts_tokens_at_span_edges_and_keeps_multi_sentence_spans_whole():
    # the QUOTE crosses the sentence end after "Go.": those two sentences stay one
    text = 'He said: "Go. Now." Then left.\nBangui-based troops'
    spans = [span(1, 9, 19, "QUOTE"), span(2, 31, 37, "LOCATION"), span(3, 46, 48, "X")]
    sentences, dropped, untokened = iob_lines(text, spans)
    assert dropped == [] and untokened == []
    assert sentences == [
        [
            ("He", "O"),
            ("said", "O"),
            (":", "O"),
            ('"', "B-QUOTE"),
            ("Go", "I-QUOTE"),
            (".", "I-QUOTE"),
            ("Now", "I-QUOTE"),
            (".", "I-QUOTE"),
            ('"', "I-QUOTE"),
        ],
        [("Then", "O"), ("left", "O"), (".", "O")],
        [("Bangui", "B-LOCATION"), ("-", "O"), ("based", "O"), ("tr", "O"), ("oo", "B-X"), ("ps", "O")],
    ]


def test_whitespace_only_span_is_reported():
    _, dropped, untokened = iob_lines("a   b", [span(1, 1, 4)])
    assert dropped == [] and [s.id for s in untokened] == [1]


def test_brat_fragments_skip_line_breaks_and_values_lose_spaces():
    text = "one\ntwo\n\nthree"
    assert fragments(text, 0, len(text)) == [(0, 3), (4, 7), (9, 14)]
    assert fragments(text, 3, 4) == []
    assert brat_value("tens/hundreds/thousands of") == "tens_hundreds_thousands_of"
    assert brat_value("UN body") == "UN_body"
