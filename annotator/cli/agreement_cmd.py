"""`annotator agreement`: how far independent annotators agree (read-only)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from annotator.cli.options import DbOption, FormatOption, split_names
from annotator.errors import UserError


def register(app: typer.Typer) -> None:
    @app.command("agreement")
    def agreement_command(
        as_: Annotated[
            str | None,
            typer.Option(
                "--as",
                help="Annotators to compare, comma-separated (default: everyone with work, except gold).",
                show_default=False,
            ),
        ] = None,
        label: Annotated[
            str | None,
            typer.Option("--label", help="Only these labels, comma-separated (default: all).", show_default=False),
        ] = None,
        fmt: FormatOption = "table",
        all_status: Annotated[
            bool,
            typer.Option(
                "--all-status", help="Compare every document two of them worked on, not only those marked done."
            ),
        ] = False,
        gamma: Annotated[
            bool,
            typer.Option(
                "--gamma",
                help="Also γ (Mathet et al. 2015) beside α_u; needs the optional extra: pip install 'annotator[gamma]'.",
            ),
        ] = False,
        db: DbOption = None,
    ) -> None:
        """Inter-annotator agreement: span F1, unitizing alpha, token kappas, attributes, per label, pair and document."""
        if fmt not in ("table", "json"):
            raise UserError(f"--format: expected table or json, got {fmt!r}")
        if gamma:
            from annotator.services.agreement.gamma import available

            if not available():
                raise UserError("--gamma: needs the optional extra pygamma-agreement: pip install 'annotator[gamma]'")
        from sqlmodel import Session

        from annotator.services.agreement.report import build_report
        from annotator.store.engine import get_engine, read_only

        engine = read_only(get_engine(db, create=False))
        with Session(engine) as session:
            report = build_report(
                session, annotators=split_names(as_), labels=split_names(label), all_status=all_status
            )
            extra = _gamma(session, report, all_status) if gamma else None
        if fmt == "json":
            import sys

            import orjson

            from annotator.untrusted import json_for_terminal

            out = report.to_json()
            if extra is not None:  # only when asked for: without --gamma the JSON is unchanged
                out["gamma"] = {"gamma": extra.gamma, "documents": extra.documents, "units": extra.units}
            data = orjson.dumps(out, option=orjson.OPT_INDENT_2)
            sys.stdout.buffer.write(json_for_terminal(data) + b"\n")
            sys.stdout.flush()
        else:
            from annotator.cli.render.agreement import print_report

            print_report(report, gamma=extra)


def _gamma(session: Any, report: Any, all_status: bool) -> Any:
    """γ on the same annotators, labels and documents as the report (read again: the report keeps no spans)."""
    from annotator.services.agreement.gamma import gamma
    from annotator.services.agreement.load import choose_annotators, iter_documents

    chosen = choose_annotators(session, report.annotators)
    return gamma(report.annotators, iter_documents(session, chosen, report.labels, all_status))
