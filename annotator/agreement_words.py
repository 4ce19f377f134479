"""The agreement verdict in words, for the command line and the review screen alike.

The verdict itself is data (``services.agreement.verdict``); this module only words it, as Rich ``Text``
with untrusted names as literal text (never markup) and control characters shown as control pictures
(``untrusted.display_text``). It sits outside
``cli`` and ``tui`` because both show it and neither may import the other.
"""

from __future__ import annotations

from rich.text import Text

from annotator.services.agreement.verdict import Band, Finding, Kind, Verdict
from annotator.untrusted import display_text

UNDEFINED = "undefined"
BAND_WORDS = {
    Band.RELIABLE: ("agree reliably", "bold #5fd787"),
    Band.TENTATIVE: ("agree enough for tentative conclusions only", "#ffd75f"),
    Band.UNRELIABLE: ("do not agree reliably", "bold #ff5f87"),
    Band.UNDEFINED: ("cannot be judged yet (nothing to compare)", "dim"),
}
BETWEEN_WORDS = {
    "quotation mark": "the quotation marks",
    "punctuation": "the punctuation",
    "space": "the spaces",
    "text": "words",
}


def safe(value: object) -> Text:
    """Untrusted text as a literal Text (never markup), control characters shown as control pictures."""
    return Text(display_text(str(value)))


def num(value: float | None) -> Text:
    if value is None:
        return Text(UNDEFINED, style="dim italic")
    return Text(f"{value:.3f}")


def plural(label: str) -> str:
    return f"{label}s"


def finding_words(f: Finding) -> Text:
    """One disagreement as a sentence, e.g. "bob's QUOTEs stop inside the quotation marks: 11 of 23"."""
    out = Text()
    if f.kind is Kind.BOUNDARY:
        out.append_text(safe(f"{f.annotator}'s {plural(f.label)} "))
        verb = "start after" if f.side == "start" else "stop before"
        if f.between == "quotation mark":
            out.append("start inside the quotation marks" if f.side == "start" else "stop inside the quotation marks")
            out.append_text(safe(f" ({f.other}'s include them)"))
        else:
            out.append(f"{verb} {BETWEEN_WORDS.get(f.between, 'words')} that ")
            out.append_text(safe(f.other))
            out.append(" includes")
        out.append(f": {f.count} of {f.of} matched")
    elif f.kind is Kind.CONFUSION:
        out.append("where ")
        out.append_text(safe(f"{f.other} marked {f.other_label}, {f.annotator} marked {f.label}"))
        out.append(f": {f.count} of {f.of}")
    else:
        out.append_text(safe(f"{f.annotator} has no span where {f.other} marked {f.label}"))
        out.append(f": {f.count} of {f.of}")
    return out


def verdict_lines(v: Verdict) -> Text:
    """The verdict as a few lines of text (the review list shows the same)."""
    out = Text()
    out.append("Verdict", style="bold")
    out.append(" (α_u bands: ≥ 0.800 reliable, ≥ 0.667 tentative, below unreliable)\n", style="dim")
    for lv in v.labels:
        words, style = BAND_WORDS[lv.band]
        out.append("  ")
        out.append_text(safe(lv.label))
        out.append(": annotators ")
        out.append(words, style=style)
        out.append(f" (α_u {num(lv.alpha)})\n")
    if v.findings:
        out.append("Biggest disagreements\n", style="bold")
        for f in v.findings:
            out.append("  ")
            out.append_text(finding_words(f))
            out.append("\n")
    if v.review_first:
        out.append("Review first\n", style="bold")
        for d in v.review_first:
            out.append(f"  {d.rank}. ")
            out.append_text(safe(d.title))
            out.append(f" (id {d.id}): {d.unmatched_spans} unmatched spans, F1 exact {num(d.f1['f1_exact'])}\n")
    out.rstrip()
    return out


SHORT_BANDS = {
    Band.RELIABLE: "reliable",
    Band.TENTATIVE: "tentative only",
    Band.UNRELIABLE: "unreliable",
    Band.UNDEFINED: "undefined",
}


def verdict_summary(v: Verdict) -> Text:
    """The verdict in two lines for the review list: each label's band, and the biggest disagreement."""
    out = Text()
    out.append("Agreement ", style="bold")
    for k, lv in enumerate(v.labels):
        if k:
            out.append(" · ", style="dim")
        out.append_text(safe(lv.label))
        out.append(" ")
        out.append(SHORT_BANDS[lv.band], style=BAND_WORDS[lv.band][1])
        out.append(f" {num(lv.alpha)}", style="dim")
    if v.findings:
        out.append("\nBiggest disagreement ", style="bold")
        out.append_text(finding_words(v.findings[0]))
    return out
