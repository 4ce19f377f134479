"""The verdict on made-up data where the answer is known: bands per label, boundary patterns (with what
lies between), label confusions, missing spans, the documents to review first, and the words for them."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from annotator.agreement_words import finding_words, verdict_lines
from annotator.cli.render.agreement import render
from annotator.services.agreement.load import DocData, SpanRec
from annotator.services.agreement.report import compute_report
from annotator.services.agreement.verdict import Band, Kind, band, verdict

LABELS = ["ACTOR", "QUOTE"]
SENTENCE = 'Guterres said "the city is empty now" on Tuesday. '


def quote_documents(short: int, total: int) -> list[DocData]:
    """``total`` documents with one quotation; bob stops inside the closing mark on ``short`` of them."""
    docs = []
    q0 = SENTENCE.index('"')
    q1 = SENTENCE.index('"', q0 + 1) + 1
    for k in range(total):
        alice = [SpanRec(q0, q1, "QUOTE"), SpanRec(0, 8, "ACTOR")]
        bob = [SpanRec(q0, q1 - 1 if k < short else q1, "QUOTE"), SpanRec(0, 8, "ACTOR")]
        docs.append(DocData(k + 1, f"u{k}", f"doc {k + 1}", SENTENCE, ["alice", "bob"], {"alice": alice, "bob": bob}))
    return docs


def test_bands_follow_krippendorff() -> None:
    assert band(0.8) is Band.RELIABLE and band(0.95) is Band.RELIABLE
    assert band(0.667) is Band.TENTATIVE and band(0.799) is Band.TENTATIVE
    assert band(0.666) is Band.UNRELIABLE and band(-0.2) is Band.UNRELIABLE
    assert band(None) is Band.UNDEFINED


def test_bob_stops_inside_the_quotation_marks_11_of_23() -> None:
    report = compute_report(["alice", "bob"], quote_documents(11, 23), LABELS)
    v = verdict(report)
    top = v.findings[0]
    assert (top.kind, top.annotator, top.other, top.label) == (Kind.BOUNDARY, "bob", "alice", "QUOTE")
    assert (top.side, top.between, top.count, top.of) == ("end", "quotation mark", 11, 23)
    assert (
        str(finding_words(top))
        == "bob's QUOTEs stop inside the quotation marks (alice's include them): 11 of 23 matched"
    )
    # ACTORs are identical: reliable; nothing to review beyond the 11 documents that differ
    by_label = {lv.label: lv for lv in v.labels}
    assert by_label["ACTOR"].band is Band.RELIABLE
    assert [d.id for d in v.review_first] == [1, 2, 3]


def test_no_pattern_when_the_shifts_go_both_ways_or_happen_once() -> None:
    docs = quote_documents(1, 10)
    report = compute_report(["alice", "bob"], docs, LABELS)
    assert [f for f in verdict(report).findings if f.kind is Kind.BOUNDARY] == []


def test_confusion_and_missing_spans() -> None:
    text = "Seleka rebels attacked Bangui and Boali. " * 2
    docs = []
    for k in range(6):
        a = [SpanRec(0, 13, "ACTOR"), SpanRec(23, 29, "ACTOR"), SpanRec(34, 39, "ACTOR")]
        b = [SpanRec(0, 13, "ACTOR"), SpanRec(23, 29, "QUOTE")] if k < 4 else [SpanRec(0, 13, "ACTOR")]
        docs.append(DocData(k + 1, f"u{k}", f"d{k}", text, ["ann", "ben"], {"ann": a, "ben": b}))
    v = verdict(compute_report(["ann", "ben"], docs, LABELS))
    kinds = {f.kind: f for f in v.findings}
    missing = kinds[Kind.MISSING]
    assert (missing.annotator, missing.other, missing.label, missing.count, missing.of) == (
        "ben",
        "ann",
        "ACTOR",
        8,
        18,
    )
    confusion = kinds[Kind.CONFUSION]
    assert (confusion.annotator, confusion.label, confusion.other_label, confusion.count) == (
        "ben",
        "QUOTE",
        "ACTOR",
        4,
    )
    assert str(finding_words(missing)) == "ben has no span where ann marked ACTOR: 8 of 18"
    assert str(finding_words(confusion)) == "where ann marked ACTOR, ben marked QUOTE: 4 of 18"


def test_the_verdict_opens_the_report() -> None:
    report = compute_report(["alice", "bob"], quote_documents(11, 23), LABELS)
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(render(report, console))
    text = console.export_text()
    assert text.index("Verdict") < text.index("Span agreement")
    assert "QUOTE: annotators agree reliably" in text or "QUOTE: annotators agree enough" in text
    assert "stop inside the quotation marks" in text


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 12), st.integers(13, 30))
def test_boundary_counts_are_exact(short: int, total: int) -> None:
    report = compute_report(["alice", "bob"], quote_documents(short, total), LABELS)
    shift = next(s for s in report.boundaries if (s.annotator, s.label, s.side) == ("bob", "QUOTE", "end"))
    assert (shift.matched, shift.shorter, shift.longer) == (total, short, 0)
    mirror = next(s for s in report.boundaries if (s.annotator, s.label, s.side) == ("alice", "QUOTE", "end"))
    assert (mirror.shorter, mirror.longer) == (0, short)
    assert shift.shorter_by == ({"quotation mark": short} if short else {})
    lines = str(verdict_lines(verdict(report)))
    assert ("11 of" in lines) == (short == 11 and short >= 2)
