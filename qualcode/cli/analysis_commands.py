"""`qualcode freq|crosstab|matrix|cooccur|saturation PROJECT`: the analysis tables.

Every command takes the same filters (--kind, --where ATTR=VALUE, --coder,
--participants R1,R2) and output options (--format, -o FILE); the default is a
terminal table. --plot FILE.png|.svg saves a chart; --chart draws one in the terminal.
"""

from __future__ import annotations

import click

from qualcode.cli.common import (
    choice_option,
    depth_option,
    emit_table,
    filters_from_options,
    open_project,
    project_argument,
    table_options,
)
from qualcode.errors import QualcodeError


def _plot(function, df, path) -> None:
    if path is not None:
        function(df, path)
        click.echo(f"wrote {path}", err=True)


def _terminal_colour() -> bool:
    import sys

    return sys.stdout.isatty()


@click.command("freq")
@project_argument
@choice_option(
    "--order",
    choices=["frequency", "codebook"],
    default="frequency",
    help="Order of themes and of subthemes within a theme.",
)
@depth_option("Only codes down to this depth (0: main themes), each counting its subcodes.")
@table_options(plot=True, chart=True)
def freq_command(
    project, order, depth, kinds, where, coders, participants, fmt, output, plot, chart
) -> None:
    """Theme frequencies: participants with each code (n of N), as in the study's table."""
    from qualcode.analysis.report import frequencies_text

    with open_project(project) as p:
        table = p.frequency_table(
            filters_from_options(kinds, where, coders, participants, plot),
            order=order,
            depth=depth,
        )
    emit_table(table, fmt, output, lambda: frequencies_text(table))
    if plot is not None or chart:  # charts need pandas and matplotlib; tables do not
        from qualcode.analysis import plots

        df = table.to_frame()
        _plot(plots.plot_frequencies, df, plot)
        if chart:
            click.echo(plots.chart_frequencies(df, colour=_terminal_colour()))


@click.command("crosstab")
@project_argument
@click.option(
    "--by", "attribute", required=True, help="Participant attribute to compare, e.g. sex."
)
@table_options(plot=True)
def crosstab_command(
    project, attribute, kinds, where, coders, participants, fmt, output, plot
) -> None:
    """Codes by the groups of one participant attribute: n/N within each group."""
    from qualcode.analysis import plots
    from qualcode.analysis.report import crosstab_text

    with open_project(project) as p:
        table = p.crosstab_table(
            attribute, filters_from_options(kinds, where, coders, participants, plot)
        )
    emit_table(table, fmt, output, lambda: crosstab_text(table, attribute))
    if plot is not None:  # charts need pandas and matplotlib; tables do not
        _plot(plots.plot_crosstab, table.to_frame(), plot)


@click.command("matrix")
@project_argument
@click.option("--counts", is_flag=True, help="Number of codings instead of presence.")
@depth_option("Only codes down to this depth (0: main themes).")
@table_options()
def matrix_command(project, counts, depth, kinds, where, coders, participants, fmt, output) -> None:
    """The framework matrix: participants by codes (presence, or counts of codings)."""
    from qualcode.analysis.report import matrix_text

    with open_project(project) as p:
        table = p.matrix_table(
            filters_from_options(kinds, where, coders, participants),
            "counts" if counts else "presence",
            depth,
        )
    emit_table(table, fmt, output, lambda: matrix_text(table))


@click.command("cooccur")
@project_argument
@choice_option(
    "--by",
    "mode",
    choices=["segment", "participant"],
    default="segment",
    help="Co-occur in overlapping codings (segment) or within the same participant.",
)
@choice_option(
    "--unit",
    choices=["sentence", "turn", "paragraph", "topic"],
    default=None,
    help="With --by segment: codings in the same segment of this kind co-occur too.",
)
@depth_option("Roll codes up to this depth (0: main themes).")
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Pairs listed in the terminal table when the grid is too wide.",
)
@click.option(
    "--pool-coders",
    is_flag=True,
    help="With --by segment: count overlaps between different coders' codings too "
    "(default: pairs within each coder's own codings, summed).",
)
@table_options(plot=True)
def cooccur_command(
    project,
    mode,
    unit,
    depth,
    top,
    pool_coders,
    kinds,
    where,
    coders,
    participants,
    fmt,
    output,
    plot,
) -> None:
    """Co-occurrence of codes: a code-by-code table of counts. When several coders
    coded, a pair counts within one coder's codings (two coders coding one passage is
    not co-occurrence) unless --pool-coders."""
    from qualcode.analysis import plots
    from qualcode.analysis.report import cooccurrence_text

    with open_project(project) as p:
        table = p.cooccurrence_table(
            filters_from_options(kinds, where, coders, participants, plot),
            mode=mode,
            unit=unit,
            depth=depth,
            pooled=pool_coders,
        )
    df = table.to_frame() if plot is not None else None  # charts need pandas
    problem = plots.cooccurrence_plot_problem(df) if df is not None else None
    if problem:  # refused before the table is printed or any file written
        raise QualcodeError(problem)
    emit_table(table, fmt, output, lambda: cooccurrence_text(table, top))
    if df is not None:
        _plot(plots.plot_cooccurrence, df, plot)


@click.command("saturation")
@project_argument
@choice_option(
    "--by",
    "unit",
    choices=["document", "participant"],
    default="document",
    help="Steps of the curve.",
)
@click.option(
    "--order",
    "order",
    metavar="A,B,...",
    help="Order of the steps (document titles or ids, or participant ids); the rest follow.",
)
@depth_option("Count codes rolled up to this depth (0: main themes).")
@table_options(plot=True, chart=True)
def saturation_command(
    project, unit, order, depth, kinds, where, coders, participants, fmt, output, plot, chart
) -> None:
    """Saturation: new codes found in each successive document, and the cumulative curve."""
    from qualcode.analysis import plots
    from qualcode.analysis.report import saturation_text

    steps = [s.strip() for s in order.split(",") if s.strip()] if order else None
    with open_project(project) as p:
        table = p.saturation_table(
            filters_from_options(kinds, where, coders, participants, plot),
            unit=unit,
            order=steps,
            depth=depth,
        )
    emit_table(table, fmt, output, lambda: saturation_text(table))
    if plot is not None or chart:  # charts need pandas and matplotlib; tables do not
        df = table.to_frame()
        _plot(plots.plot_saturation, df, plot)
        if chart:
            click.echo(plots.chart_saturation(df, colour=_terminal_colour()))


COMMANDS = [freq_command, crosstab_command, matrix_command, cooccur_command, saturation_command]
