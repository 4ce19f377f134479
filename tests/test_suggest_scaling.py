"""The round-7 suggestion code scales linearly on hostile texts (issue 12, audit): work is COUNTED (lines of the
module run, ``support.work``) at two sizes ten times apart, never timed. A loop over every sentence, quote or
suggestion inside a loop over the same shows as a ratio near 100; linear code as about 10.

The texts are the shapes that made a module quadratic before its fix; ``benchmarks``-style timings of every shape are
in docs/suggestions-scaling.md.
"""

from __future__ import annotations

from support.work import lines_run

from annotator.services.suggestions import speaker_subjects, syntax

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
