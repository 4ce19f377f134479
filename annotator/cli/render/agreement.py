"""What ``annotator agreement`` prints by default: the verdict in words, then the tables.

Every table fits the console's width: columns are dropped by priority (the caption says which, and
``--format json`` has them all), names and titles wrap, and no figure is ever cut or ellipsised.
Document titles and label names come from users: they go into ``rich.text.Text`` objects (never
parsed as markup) with control characters replaced.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from annotator.agreement_words import num, safe, verdict_lines
from annotator.services.agreement.gamma import GammaResult
from annotator.services.agreement.model import NONE, AgreementReport
from annotator.services.agreement.spans import F1Counts
from annotator.services.agreement.verdict import verdict


def f1_cell(value: float | None, counts: F1Counts | None) -> Text:
    cell = num(value)
    if counts is not None:
        cell.append(f"\n{counts.tp}/{counts.fp}/{counts.fn}", style="dim")
    return cell


# --------------------------------------------------------------------------- tables that fit


NAME_WIDTH = 16  # a name column is at least this wide (or as wide as its longest word, if less)


@dataclass(frozen=True, slots=True)
class Column:
    """A column and its cells; ``priority`` 0 is never dropped, higher numbers go first."""

    header: str
    cells: Sequence[Text]
    priority: int = 0
    name: bool = False  # wraps (names, titles); otherwise a figure, never wrapped nor cut

    @property
    def width(self) -> int:
        """The narrowest this column may be: a figure's widest line; a name's longest word, at most NAME_WIDTH."""
        lines = [self.header, *(line.plain for cell in self.cells for line in cell.split("\n"))]
        if self.name:
            return min(NAME_WIDTH, max(len(word) for line in lines for word in [*line.split(), ""]))
        return max(len(line) for line in lines)


def _table(title: str | Text, columns: Sequence[Column], sections: Sequence[int]) -> Table:
    table = Table(title=title, title_justify="left")
    for col in columns:
        if col.name:
            table.add_column(col.header, overflow="fold", min_width=col.width)
        else:
            table.add_column(col.header, justify="right", no_wrap=True, min_width=col.width)
    rows = len(columns[0].cells) if columns else 0
    for k in range(rows):
        table.add_row(*(col.cells[k] for col in columns), end_section=k in sections)
    return table


def fitted(
    console: Console, title: str | Text, columns: Sequence[Column], *, sections: Sequence[int] = (), note: str = ""
) -> Table:
    """The table with as many columns as fit ``console.width``, lowest priority dropped first."""
    kept = list(columns)
    dropped: list[str] = []
    # each column costs its width plus padding (2) and a rule (1); one more rule closes the row
    while sum(c.width + 3 for c in kept) + 1 > console.width:
        worst = max(kept, key=lambda c: c.priority)
        if worst.priority == 0:
            break
        kept.remove(worst)
        dropped.insert(0, worst.header)
    table = _table(title, kept, sections)
    caption = [note] if note else []
    if dropped:
        caption.append(f"not shown at this width: {', '.join(dropped)} (wider terminal or --format json)")
    if caption:
        table.caption = Text("; ".join(caption))
        table.caption_justify = "left"
    return table


# --------------------------------------------------------------------------- the tables


def _span_table(report: AgreementReport, console: Console) -> Table:
    o = report.overall
    labels = list(report.per_label.items())
    scopes = [Text("overall", style="bold"), *(safe(lab) for lab, _m in labels)]
    dash = Text("—", style="dim")
    columns = [
        Column("scope", scopes, name=True),
        Column("spans", [Text(str(o.spans)), *(Text(str(m.spans)) for _l, m in labels)], 1),
        Column(
            "F1 exact",
            [f1_cell(o.f1["f1_exact"], o.counts["f1_exact"])]
            + [f1_cell(m.f1["f1_exact"], m.counts["f1_exact"]) for _l, m in labels],
        ),
        Column(
            "F1 overlap",
            [f1_cell(o.f1["f1_overlap"], o.counts["f1_overlap"])]
            + [f1_cell(m.f1["f1_overlap"], m.counts["f1_overlap"]) for _l, m in labels],
        ),
        Column("α_u", [num(o.alpha_unitizing), *(num(m.alpha_unitizing) for _l, m in labels)]),
        Column("exact unl.", [num(o.f1["f1_exact_unlabeled"]), *(dash for _ in labels)], 3),
        Column("overlap unl.", [num(o.f1["f1_overlap_unlabeled"]), *(dash for _ in labels)], 2),
    ]
    return fitted(console, "Span agreement (F1 = mean over pairs, under it TP/FP/FN pooled)", columns, sections=[0])


def _token_table(report: AgreementReport, console: Console) -> Table:
    tok = report.tokenisation
    o = report.overall
    scopes: list[tuple[Text, Any, int]] = [(Text("overall", style="bold"), o, o.tokens_tagged)]
    scopes += [(safe(lab), m, m.tokens_with_label) for lab, m in report.per_label.items()]

    def col(header: str, get: Callable[[Any], float | None], priority: int) -> Column:
        return Column(header, [num(get(m)) for _n, m, _t in scopes], priority)

    columns = [
        Column("scope", [n for n, _m, _t in scopes], name=True),
        Column("tagged", [Text(str(t)) for _n, _m, t in scopes], 1),
        col("Cohen κ", lambda m: m.cohen_kappa, 0),
        col("+tagged", lambda m: m.cohen_kappa_tagged, 4),
        col("Fleiss κ", lambda m: m.token.fleiss_kappa, 0),
        col("+tagged", lambda m: m.token.fleiss_kappa_tagged, 3),
        col("α nominal", lambda m: m.token.alpha_nominal_tokens, 2),
        col("+tagged", lambda m: m.token.alpha_nominal_tokens_tagged, 5),
    ]
    # a Text, not markup: the pattern holds brackets ("[^\w\s]")
    title = Text(
        f"Token agreement on IO tags (tokens: {tok['name']}, {tok['pattern']}; +tagged: only tokens someone tagged)"
    )
    note = f"{o.tokens} tokens; 'tagged' = tokens someone tagged (per label: with that label)"
    return fitted(console, title, columns, sections=[0], note=note)


def _pair_table(report: AgreementReport, console: Console) -> Table:
    pairs = report.pairs

    def col(header: str, get: Callable[[Any], float | None], priority: int) -> Column:
        return Column(header, [num(get(p.overall)) for p in pairs], priority)

    columns = [
        Column("a", [safe(p.a) for p in pairs], name=True),
        Column("b", [safe(p.b) for p in pairs], name=True),
        Column("docs", [Text(str(p.overall.documents)) for p in pairs]),
        col("F1 exact", lambda o: o.f1["f1_exact"], 0),
        col("overlap", lambda o: o.f1["f1_overlap"], 0),
        col("exact unl.", lambda o: o.f1["f1_exact_unlabeled"], 4),
        col("ovl. unl.", lambda o: o.f1["f1_overlap_unlabeled"], 3),
        col("α_u", lambda o: o.alpha_unitizing, 0),
        col("Cohen κ", lambda o: o.cohen_kappa, 1),
        col("+tagged", lambda o: o.cohen_kappa_tagged, 2),
    ]
    return fitted(console, "Pairs", columns)


def _attribute_table(report: AgreementReport, console: Console) -> Table | None:
    rows = [(f"{lab}.{name}", a) for lab, m in report.per_label.items() for name, a in m.attributes.items()]
    if not rows:
        return None
    columns = [
        Column("attribute", [safe(n) for n, _a in rows], name=True),
        Column("kind", [Text(a.kind) for _n, a in rows], 2),
        Column("n", [Text(str(a.units)) for _n, a in rows]),
        Column("agreement", [num(a.percent) for _n, a in rows]),
        Column("α", [num(a.alpha) if a.level else Text("n/a", style="dim") for _n, a in rows]),
        Column("level", [Text(a.level or "") for _n, a in rows], 1),
    ]
    return fitted(console, "Attributes on spans matched by overlap (pooled over pairs)", columns)


def _confusion(report: AgreementReport, console: Console) -> RenderableType:
    conf = report.confusion
    axis = conf.labels
    title = "Label confusion (rows: first annotator of a pair; (none): no counterpart)"
    table = Table(title=title, title_justify="left")
    table.add_column("", overflow="fold")
    for lab in axis:
        table.add_column(safe(lab), justify="right", overflow="fold")
    for la in axis:
        cells = []
        for lb in axis:
            n = conf.matrix[la][lb]
            style = "bold" if la == lb and la != NONE else ("red" if n else "dim")
            cells.append(Text(str(n), style=style))
        table.add_row(safe(la), *cells)
    widths = [max(len(lab) for lab in axis), *(max(len(lab), 3) for lab in axis)]
    if sum(w + 3 for w in widths) + 1 <= console.width:
        return table
    # too many or too long labels for a matrix: the disagreeing cells, one a line
    lines = Text(title + "\n", style="italic")
    for la in axis:
        for lb in axis:
            n = conf.matrix[la][lb]
            if n and la != lb:
                lines.append_text(Text("  "))
                lines.append_text(safe(la))
                lines.append(" → ")
                lines.append_text(safe(lb))
                lines.append(f": {n}\n")
    return lines


def _document_table(report: AgreementReport, console: Console, limit: int = 20) -> Table:
    docs = report.per_document[:limit]
    columns = [
        Column("#", [Text(str(d.rank)) for d in docs]),
        Column("id", [Text(str(d.id)) for d in docs]),
        Column("title", [safe(d.title) for d in docs], name=True),
        Column("unmatched", [Text(str(d.unmatched_spans)) for d in docs]),
        Column("F1 exact", [num(d.f1["f1_exact"]) for d in docs]),
        Column("overlap", [num(d.f1["f1_overlap"]) for d in docs], 2),
        Column("α_u", [num(d.alpha_unitizing) for d in docs], 1),
        Column("Fleiss κ", [num(d.token.fleiss_kappa) for d in docs], 3),
    ]
    more = len(report.per_document) - limit
    note = f"… {more} more in --format json" if more > 0 else ""
    return fitted(console, "Documents by disagreement (1 − F1 exact)", columns, note=note)


# --------------------------------------------------------------------------- the whole report


def head_line(report: AgreementReport) -> Text:
    o = report.overall
    head = Text()
    head.append("Agreement", style="bold")
    head.append(" between ")
    head.append_text(safe(", ".join(report.annotators)))
    head.append(
        f" — {o.documents} documents ({'any status' if report.status == 'all' else 'marked done by ≥ 2'}), "
        f"{o.pairs} pairs, {o.spans} spans; α_u on {o.unitizing.documents} documents everyone did "
        f"({o.unitizing.length} characters)"
    )
    return head


def gamma_line(report: AgreementReport, result: GammaResult) -> Text:
    line = Text()
    line.append("γ", style="bold")
    line.append(" (Mathet et al. 2015) ")
    line.append_text(num(result.gamma))
    line.append(f" on {result.documents} documents everyone did ({result.units} spans); α_u beside it ")
    line.append_text(num(report.overall.alpha_unitizing))
    return line


def render(report: AgreementReport, console: Console, gamma: GammaResult | None = None) -> Group:
    parts: list[RenderableType] = [head_line(report), verdict_lines(verdict(report))]
    if gamma is not None:
        parts.append(gamma_line(report, gamma))
    parts += [_span_table(report, console), _token_table(report, console), _pair_table(report, console)]
    attrs = _attribute_table(report, console)
    if attrs is not None:
        parts.append(attrs)
    parts += [_confusion(report, console), _document_table(report, console)]
    return Group(*parts)


def print_report(report: AgreementReport, console: Console | None = None, gamma: GammaResult | None = None) -> None:
    if console is None:
        console = Console(highlight=False)
        if not console.is_terminal:  # piped or redirected: do not squeeze into 80 columns
            console = Console(highlight=False, width=120)
    console.print(render(report, console, gamma))
