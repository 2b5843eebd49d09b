"""`qualcode agreement|disagreements PROJECT --coders A,B`: inter-coder agreement.

The filters (--kind, --where, --participants) and output options (--format, -o) are
those of the analysis tables (qualcode/cli/common.py), without --coder:
the two coders are named by --coders.
"""

from __future__ import annotations

import click

from qualcode.cli.common import (
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


def _pair(text: str) -> tuple[str, str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    if len(names) != 2:
        raise click.BadParameter(
            f"expected two coders separated by a comma, e.g. coder1,coder2 (got {text!r})",
            param_hint="--coders",
        )
    return names[0], names[1]


def _with_na(df, fmt):
    """md and LaTeX tables say n/a for an undefined kappa (csv, xlsx and json keep it empty/null)."""
    if fmt not in ("md", "latex"):
        return df
    from qualcode.analysis.agreement_report import kappa_cell

    return df.assign(kappa=df["kappa"].map(kappa_cell))


@click.command("agreement")
@project_argument
@coders_option
@click.option(
    "--unit",
    type=click.Choice(["character", "segment"]),
    default="character",
    show_default=True,
    help="Compare characters (as NVivo) or stored segments of one kind.",
)
@click.option(
    "--segment-kind",
    type=click.Choice(["sentence", "turn", "paragraph"]),
    default="sentence",
    show_default=True,
    help="With --unit segment: which segments are the units.",
)
@double_coded_option
@table_options(coder=False)
def agreement_command(
    project, coders, unit, segment_kind, double_coded, kinds, where, participants, fmt, output
) -> None:
    """Inter-coder agreement per code: both / A only / B only / neither, percent
    agreement and Cohen's kappa."""
    from qualcode.analysis.agreement_report import agreement_text

    a, b = _pair(coders)
    with open_project(project) as p:
        df = p.agreement(
            a,
            b,
            unit=unit,
            segment_kind=segment_kind,
            filters=filters_from_options(kinds, where, (), participants),
            double_coded=double_coded,
        )
    emit_table(_with_na(df, output_format(fmt, output)), fmt, output, lambda: agreement_text(df))


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
