"""`qualcode agreement PROJECT [--coders A,B,C]` and `qualcode disagreements PROJECT
--coders A,B`: inter-coder agreement.

The filters (--kind, --where, --participants) and output options (--format, -o) are
those of the analysis tables (qualcode/cli/common.py), without --coder:
the coders are named by --coders.
"""

from __future__ import annotations

import click

from qualcode.cli.common import (
    choice_option,
    emit_table,
    filters_from_options,
    open_project,
    output_format,
    project_argument,
    table_options,
)

coders_option = click.option(
    "--coders", required=True, metavar="A,B", help="The two coders to compare."
)
double_coded_option = click.option(
    "--double-coded", is_flag=True, help="Only the documents both coders coded something in."
)


def _names(text: str | None) -> list[str]:
    names = [n.strip() for n in (text or "").split(",") if n.strip()]
    if text is not None and len(names) < 2:
        raise click.BadParameter(
            f"expected at least two coders separated by commas, e.g. coder1,coder2 (got {text!r})",
            param_hint="--coders",
        )
    return names


def _pair(text: str) -> tuple[str, str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    if len(names) != 2:
        raise click.BadParameter(
            f"expected two coders separated by a comma, e.g. coder1,coder2 (got {text!r})",
            param_hint="--coders",
        )
    return names[0], names[1]


def _with_na(table, fmt):
    """md and LaTeX tables say n/a for an undefined kappa (csv, xlsx and json keep it empty/null)."""
    if fmt not in ("md", "latex"):
        return table
    from dataclasses import replace

    from qualcode.analysis.agreement_report import kappa_cell, statistic_columns

    at = [table.columns.index(c) for c in statistic_columns(table)]
    rows = [tuple(kappa_cell(v) if i in at else v for i, v in enumerate(r)) for r in table.rows]
    return replace(table, rows=rows)


@click.command("agreement")
@project_argument
@click.option(
    "--coders",
    metavar="A,B,...",
    help="The coders to compare (default: every coder with codings in scope; a coder named "
    "here with none counts as coding nothing).",
)
@choice_option(
    "--unit",
    choices=["character", "segment"],
    default="character",
    help="Compare characters (as NVivo) or stored segments of one kind.",
)
@choice_option(
    "--segment-kind",
    choices=["sentence", "turn", "paragraph"],
    default="sentence",
    help="With --unit segment: which segments are the units.",
)
@double_coded_option
@table_options(coder=False)
def agreement_command(
    project, coders, unit, segment_kind, double_coded, kinds, where, participants, fmt, output
) -> None:
    """Inter-coder agreement per code: percent agreement, Cohen's kappa (for each pair),
    Fleiss' kappa and Krippendorff's alpha; for two coders also both / A only / B only /
    neither. Every document in scope counts, as in NVivo's coding comparison: what one
    coder coded where another coded nothing is disagreement, and a line above the table
    says how many documents each coded when that differs (--double-coded compares only
    the documents every coder coded in, as MAXQDA does)."""
    from qualcode.analysis.agreement_report import agreement_notes, agreement_text

    with open_project(project) as p:
        df = p.agreement_table(
            *_names(coders),
            unit=unit,
            segment_kind=segment_kind,
            filters=filters_from_options(kinds, where, (), participants),
            double_coded=double_coded,
        )
    for name in df.attrs.get("uncoded", []):
        click.echo(f"note: {name} has no codings in scope; counted as coding nothing", err=True)
    fmt_used = output_format(fmt, output)
    if fmt_used != "table" or output is not None:  # the text table shows them above itself
        for line in agreement_notes(df.attrs):
            click.echo(f"note: {line}", err=True)
    emit_table(_with_na(df, fmt_used), fmt, output, lambda: agreement_text(df))


@click.command("disagreements")
@project_argument
@coders_option
@click.option(
    "--code", required=True, help="The code (path or unique name); its subcodes count with it."
)
@double_coded_option
@table_options(coder=False)
def disagreements_command(
    project, coders, code, double_coded, kinds, where, participants, fmt, output
) -> None:
    """Passages of one code coded by one coder and not the other, for a discussion meeting."""
    from qualcode.analysis.agreement_report import disagreements_text

    a, b = _pair(coders)
    with open_project(project) as p:
        df = p.disagreements(
            a,
            b,
            code,
            filters=filters_from_options(kinds, where, (), participants),
            double_coded=double_coded,
        )
    emit_table(df, fmt, output, lambda: disagreements_text(df))


COMMANDS = [agreement_command, disagreements_command]
