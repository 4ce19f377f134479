"""The part-of-speech tags and chunks the suggestion rules read (annotator/services/suggestions/syntax.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.services.suggestions.syntax import MAX_SENTENCE, parse


def _phrases(text: str, kind: str) -> list[str]:
    parsed = parse(text)
    return [text[chunk.start : chunk.end] for chunk in parsed.chunks if chunk.kind == kind]


def test_a_speaker_described_by_a_clause_is_a_noun_phrase():
    text = "One villager who had seen the bodies said the attackers came at night."
    assert _phrases(text, "NP")[0] == "One villager"
    assert "said" in _phrases(text, "VP")


def test_a_count_without_a_number_is_a_noun_phrase_before_its_verb():
    text = "Several soldiers were killed and a gang leader was heard saying so."
    assert _phrases(text, "NP")[:2] == ["Several soldiers", "a gang leader"]
    assert _phrases(text, "VP")[:2] == ["were killed", "was heard saying"]


def test_titles_and_initialisms_stay_one_token():
    text = "Dr. Ali of the U.N. mission said 1,200 people fled on Oct. 3."
    words = [token.text for token in parse(text).tokens]
    assert words[:2] == ["Dr.", "Ali"] and "U.N." in words and "1,200" in words and "Oct." in words
    assert [token.tag for token in parse(text).tokens][:2] == ["NNP", "NNP"]


def test_curly_quotes_are_tagged_as_quote_marks():
    text = "“We fled,” he said."
    tags = {token.text: token.tag for token in parse(text).tokens}
    assert tags["“"] == "``" and tags["”"] == "''" and tags["he"] == "PRP"


def test_sentences_break_at_a_full_stop_before_a_capital_and_at_line_breaks():
    text = "Rebels attacked. The army said so.\nPolice arrived"
    assert len(parse(text).sentences) == 3
    chunk = parse(text).chunk_at(text.index("army"))
    assert chunk is not None and text[chunk.start : chunk.end] == "The army" and chunk.sentence == 1


def test_an_overlong_sentence_is_cut():
    text = " ".join(["soldiers"] * (MAX_SENTENCE * 3))
    parsed = parse(text)
    assert len(parsed.tokens) == MAX_SENTENCE * 3
    assert all(stop - first <= MAX_SENTENCE for first, stop in parsed.sentences)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_every_token_and_chunk_points_at_its_own_text(text):
    parsed = parse(text)
    previous_end = 0
    for token in parsed.tokens:
        assert text[token.start : token.end] == token.text and token.start >= previous_end and token.text.strip()
        previous_end = token.end
    for chunk in parsed.chunks:
        assert chunk.start == parsed.tokens[chunk.first].start and chunk.end == parsed.tokens[chunk.last].end
        assert all(parsed.tokens[i].phrase == chunk.kind for i in range(chunk.first, chunk.last + 1))
        assert parsed.chunk_at(chunk.start) == chunk
    covered = sum(stop - first for first, stop in parsed.sentences)
    assert covered == len(parsed.tokens)


def test_offsets_find_their_token_and_chunk():
    text = "Gunmen killed nine villagers in Rais."
    parsed = parse(text)
    for token_number, token in enumerate(parsed.tokens):
        for offset in range(token.start, token.end):
            assert parsed.token_index(offset) == token_number
            chunk = parsed.chunk_at(offset)
            assert chunk is None or chunk.first <= token_number <= chunk.last
    assert parsed.token_index(len(text)) == len(parsed.tokens)
    assert parsed.chunk_at(text.index(" nine")) is None  # the space between two chunks


PENN = ["NN", "NNS", "NNP", "NNPS", "PRP", "PRP$", "DT", "CD", "CC", "JJ", "JJR", "RB", "RBR", "WRB", "VB", "VBD"]
PENN += ["VBG", "VBN", "VBP", "VBZ", "MD", "IN", "TO", "WP", "WDT", "POS", ",", ".", ":", "``", "''", "UH", "EX"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PENN), max_size=150))
def test_the_linear_chunker_gives_textblobs_chunks(tags):
    from textblob._text import find_chunks

    from annotator.services.suggestions.syntax import chunk

    rows = [[f"w{i}", tag] for i, tag in enumerate(tags)]
    expected = [row[:3] for row in find_chunks([list(row) for row in rows])]
    assert chunk(rows) == expected
