"""Round 8 (perf8): the tagger reads TextBlob's lexicon itself and looks each word's tag up once; its tags are
TextBlob's own ``find_tags`` tags, word for word (TextBlob's English parser is the oracle here)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.services.suggestions import syntax

ROOT = Path(__file__).resolve().parent.parent


def _oracle(words: list[str]) -> list[str]:
    from textblob.en import parser  # imports NLTK: the oracle's cost, not the tagger's

    return [tag for _word, tag in parser.find_tags([syntax._TAG_TEXT.get(w, w) for w in words])]


def test_the_lexicon_is_textblob_s():
    from textblob.en import lexicon

    assert syntax._lexicon(syntax._textblob_text()) == dict(lexicon)


def test_every_sentence_of_the_bundled_articles_gets_textblob_s_tags():
    sentences = 0
    for path in sorted((ROOT / "sources").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        spans = [(m.start(), m.end(), m.group()) for m in syntax._TOKEN.finditer(text)]
        for first, stop in syntax._sentences(spans, text):
            words = [word for _, _, word in spans[first:stop]]
            assert syntax._tags(words) == _oracle(words), words
            sentences += 1
    assert sentences > 100


_WORDS = ["The", "the", "Killed", "killed", "U.N.", "1,200", "3.5", "running", "quickly", "Syrian", "rebels", "“"]
_WORDS += ["”", "—", "said", "Said", "It", "it", "XYZ", "abc-def", "organise", "hopeful", "was", "10:30", "'s"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12))
def test_a_word_s_tag_depends_on_the_word_and_whether_it_starts_the_sentence(words):
    assert syntax._tags(words) == _oracle(words)


def test_the_rules_share_one_lexicon_and_never_import_textblob_or_nltk():
    """Every rule that asks for a word's usual tag (untitled names, places after a preposition, victims by
    their suffix) reads ``syntax.lexicon()``: a fresh process suggesting on text that reaches all three
    imports neither ``textblob`` (whose ``__init__`` imports NLTK, ~0.4 s) nor NLTK, and loads the lexicon
    once: on the bundled articles (round 8 had three rules importing ``textblob.en``, which put ~0.9 s on the first window)."""
    import subprocess
    import sys

    program = """
import json, sys
from annotator.schemas.labels import load_default_schema
from annotator.services.suggestions import syntax
from annotator.services.suggestions.engine import Sources, suggest
from pathlib import Path
sources = Sources.build(load_default_schema(), trained=False)
found = [s for path in sorted(Path("sources").glob("*.txt")) for s in suggest(path.read_text("utf-8"), sources)]
print(json.dumps({"found": len(found), "modules": sorted(m for m in sys.modules if m.split(".")[0] in
      ("textblob", "nltk")), "lexicon_loads": syntax.lexicon.cache_info().misses}))
"""
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    got = __import__("json").loads(done.stdout.strip().splitlines()[-1])
    assert got["found"] > 0
    assert got["modules"] == []
    assert got["lexicon_loads"] == 1
