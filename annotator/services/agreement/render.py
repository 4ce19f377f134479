"""Rich tables for the agreement report (what ``annotator agreement`` prints by default).

Document titles and label names come from users: they go into ``rich.text.Text`` objects
(never parsed as markup) with control characters replaced.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from annotator.services.agreement.report import LABELLED, NONE, VARIANTS

UNDEFINED = "undefined"


def safe(value: Any, limit: int = 60) -> Text:
    """Untrusted text as a literal Text, control characters shown as U+FFFD, cut to ``limit``."""
    text = "".join("\ufffd" if unicodedata.category(ch) in ("Cc", "Cf", "Cs") else ch for ch in str(value))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return Text(text)


def num(value: float | None) -> Text:
    if value is None:
        return Text(UNDEFINED, style="dim italic")
    return Text(f"{value:.3f}")


def f1_cell(value: float | None, counts: dict[str, int] | None) -> Text:
    cell = num(value)
    if counts is not None:
        cell.append(f"\n{counts['tp']}/{counts['fp']}/{counts['fn']}", style="dim")
    return cell


def _span_table(report: dict[str, Any]) -> Table:
    table = Table(title="Span agreement (F1 = mean over pairs, under it TP/FP/FN pooled)", title_justify="left")
    table.add_column("scope", no_wrap=True)
    table.add_column("spans", justify="right", no_wrap=True)
    for head in ("F1 exact", "F1 overlap", "exact unl.", "overlap unl.", "α_u"):
        table.add_column(head, justify="right", no_wrap=True, min_width=9)
    o = report["overall"]
    table.add_row(
        Text("overall", style="bold"),
        str(o["n"]["spans"]),
        *(f1_cell(o[v], o["counts"][v]) for v in LABELLED),
        *(num(o[v]) for v in VARIANTS if v not in LABELLED),
        num(o["alpha_unitizing"]),
        end_section=True,
    )
    for label, m in report["per_label"].items():
        table.add_row(
            safe(label, 14),
            str(m["n"]["spans"]),
            *(f1_cell(m[v], m["counts"][v]) for v in LABELLED),
            Text("—", style="dim"),
            Text("—", style="dim"),
            num(m["alpha_unitizing"]),
        )
    return table


def _token_table(report: dict[str, Any]) -> Table:
    tok = report["tokenisation"]
    table = Table(
        # a Text, not markup: the pattern holds brackets ("[^\w\s]")
        title=Text(
            f"Token agreement on IO tags (tokens: {tok['name']}, {tok['pattern']}; +tagged: only tokens someone tagged)"
        ),
        title_justify="left",
    )
    table.add_column("scope", no_wrap=True)
    table.add_column("tagged", justify="right", no_wrap=True)
    for head in ("Cohen κ", "+tagged", "Fleiss κ", "+tagged", "α nominal", "+tagged"):
        table.add_column(head, justify="right", no_wrap=True, min_width=9)
    o = report["overall"]

    def row(name: Text, m: dict[str, Any], tagged: int, **kw: Any) -> None:
        table.add_row(
            name,
            str(tagged),
            *(
                num(m[k])
                for k in (
                    "cohen_kappa",
                    "cohen_kappa_tagged",
                    "fleiss_kappa",
                    "fleiss_kappa_tagged",
                    "alpha_nominal_tokens",
                    "alpha_nominal_tokens_tagged",
                )
            ),
            **kw,
        )

    row(Text("overall", style="bold"), o, o["n"]["tokens_tagged"], end_section=True)
    for label, m in report["per_label"].items():
        row(safe(label, 14), m, m["n"]["tokens_with_label"])
    table.caption = f"{o['n']['tokens']} tokens; 'tagged' = tokens someone tagged (per label: with that label)"
    return table


def _pair_table(report: dict[str, Any]) -> Table:
    table = Table(title="Pairs", title_justify="left")
    for head in ("a", "b", "docs", "F1 exact", "overlap", "exact unl.", "ovl. unl.", "α_u", "Cohen κ", "+tagged"):
        if head in ("a", "b"):
            table.add_column(head, min_width=5, max_width=16, overflow="ellipsis", no_wrap=True)
        else:
            table.add_column(head, justify="right", no_wrap=True, min_width=4 if head == "docs" else 9)
    for p in report["pairs"]:
        o = p["overall"]
        table.add_row(
            safe(p["a"], 24),
            safe(p["b"], 24),
            str(o["n"]["documents"]),
            *(num(o[v]) for v in VARIANTS),
            num(o["alpha_unitizing"]),
            num(o["cohen_kappa"]),
            num(o["cohen_kappa_tagged"]),
        )
    return table


def _attribute_table(report: dict[str, Any]) -> Table | None:
    table = Table(title="Attributes on spans matched by overlap (pooled over pairs)", title_justify="left")
    for head in ("attribute", "kind", "n", "agreement", "α", "level"):
        table.add_column(head, justify="left" if head in ("attribute", "kind", "level") else "right")
    rows = 0
    for label, m in report["per_label"].items():
        for name, a in m["attributes"].items():
            rows += 1
            has_alpha = "alpha" in a
            table.add_row(
                safe(f"{label}.{name}"),
                a["kind"],
                str(a["n"]["units"]),
                num(a["percent"]),
                num(a["alpha"]) if has_alpha else Text("n/a", style="dim"),
                a.get("level") or "",
            )
    return table if rows else None


def _confusion_table(report: dict[str, Any]) -> Table:
    conf = report["confusion"]
    axis = conf["labels"]
    table = Table(
        title="Label confusion (rows: first annotator of a pair; (none): no counterpart)", title_justify="left"
    )
    table.add_column("")
    for lab in axis:
        table.add_column(safe(lab, 14), justify="right")
    for la in axis:
        cells = []
        for lb in axis:
            n = conf["matrix"][la][lb]
            style = "bold" if la == lb and la != NONE else ("red" if n else "dim")
            cells.append(Text(str(n), style=style))
        table.add_row(safe(la, 14), *cells)
    return table


def _document_table(report: dict[str, Any], limit: int = 20) -> Table:
    table = Table(title="Documents by disagreement (1 − F1 exact)", title_justify="left")
    for head in ("#", "id", "title", "unmatched", "F1 exact", "overlap", "α_u", "Fleiss κ"):
        if head == "title":
            table.add_column(head, no_wrap=True, overflow="ellipsis", min_width=12, max_width=30)
        else:
            table.add_column(
                head, justify="right", no_wrap=True, min_width=9 if head not in ("#", "id", "unmatched") else None
            )
    for d in report["per_document"][:limit]:
        table.add_row(
            str(d["rank"]),
            str(d["id"]),
            safe(d["title"], 50),
            str(d["unmatched_spans"]),
            num(d["f1_exact"]),
            num(d["f1_overlap"]),
            num(d["alpha_unitizing"]),
            num(d["fleiss_kappa"]),
        )
    if len(report["per_document"]) > limit:
        table.caption = f"… {len(report['per_document']) - limit} more in --format json"
    return table


def render(report: dict[str, Any]) -> Group:
    o = report["overall"]
    head = Text()
    head.append("Agreement", style="bold")
    head.append(" between ")
    head.append_text(safe(", ".join(report["annotators"]), 200))
    head.append(
        f" — {o['n']['documents']} documents ({'any status' if report['status'] == 'all' else 'marked done by ≥ 2'}), "
        f"{o['n']['pairs']} pairs, {o['n']['spans']} spans; α_u on {o['unitizing']['documents']} documents everyone did "
        f"({o['unitizing']['length']} characters)"
    )
    parts: list[Any] = [head, _span_table(report), _token_table(report), _pair_table(report)]
    attrs = _attribute_table(report)
    if attrs is not None:
        parts.append(attrs)
    parts += [_confusion_table(report), _document_table(report)]
    return Group(*parts)


def print_report(report: dict[str, Any], console: Console | None = None) -> None:
    if console is None:
        console = Console(highlight=False)
        if not console.is_terminal:  # piped or redirected: do not squeeze into 80 columns
            console = Console(highlight=False, width=120)
    console.print(render(report))
