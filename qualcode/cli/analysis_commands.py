"""`qualcode freq|crosstab|matrix|cooccur|saturation PROJECT`: the analysis tables.

Every command takes the same filters (--kind, --where ATTR=VALUE, --coder,
--participants R1,R2) and output options (--format, -o FILE); the default is a
terminal table. --plot FILE.png|.svg saves a chart; --chart draws one in the terminal.
"""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import open_project, project_argument
from qualcode.errors import QualcodeError

FORMATS = ("table", "csv", "xlsx", "md", "latex", "json")


def _filter_options(coder: bool = True) -> list:
    options = [
        click.option("--kind", "kinds", multiple=True, help="Only documents of this kind (repeatable)."),
        click.option("--where", "where", multiple=True, metavar="ATTR=VALUE",
                     help="Only participants with this attribute value, e.g. sex=F (repeatable)."),
        click.option("--coder", "coders", multiple=True, help="Only codings by this coder (repeatable)."),
        click.option("--participants", "participants", multiple=True, metavar="R1,R2",
                     help="Only these participants."),
    ]
    if not coder:
        del options[2]
    return options


def _apply(command, options):
    for option in reversed(options):
        command = option(command)
    return command


def filter_options(command):
    """--kind, --where ATTR=VALUE, --coder, --participants: the filters of the tables,
    for commands that are not tables (`qualcode excerpts`)."""
    return _apply(command, _filter_options())


def table_options(plot: bool = False, chart: bool = False, coder: bool = True):
    """Filters and output options shared by every analysis command (without --coder
    for the commands that name their coders themselves)."""

    def decorate(command):
        options = _filter_options(coder) + [
            click.option("--format", "fmt", type=click.Choice(FORMATS),
                         help="Output format (default: table, or from the -o file's suffix)."),
            click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                         help="Write to this file (.csv .xlsx .md .tex .json .txt)."),
        ]
        if plot:
            options.append(click.option("--plot", type=click.Path(dir_okay=False, path_type=Path),
                                        help="Also save a chart (.png, .svg or .pdf)."))
        if chart:
            options.append(click.option("--chart", is_flag=True, help="Also draw a chart in the terminal."))
        return _apply(command, options)

    return decorate


def _filters(kinds, where, coders, participants, plot=None):
    """The filters; a --plot path that cannot be written is refused first, so that
    no table is printed before the error."""
    from qualcode.analysis import Filters

    if plot is not None:
        from qualcode.analysis.plots import check_image_path

        check_image_path(plot)

    return Filters.from_options(kinds=kinds, coders=coders, where=where, participants=participants)


def _emit(df, fmt, output, text_view) -> None:
    """Write the table to -o (format from --format or the suffix) or print it."""
    from qualcode.export import format_for, write_table

    if output is not None:
        fmt = fmt or format_for(output)
        if fmt == "table":
            output.write_text(text_view(), encoding="utf-8")
        else:
            write_table(df, output, fmt=fmt)
        click.echo(f"wrote {output}", err=True)
        return
    fmt = fmt or "table"
    if fmt == "xlsx":
        raise click.UsageError("xlsx needs a file: add -o FILE.xlsx")
    click.echo(text_view() if fmt == "table" else write_table(df, fmt), nl=False)


def _plot(function, df, path) -> None:
    if path is not None:
        function(df, path)
        click.echo(f"wrote {path}", err=True)


def _terminal_colour() -> bool:
    import sys

    return sys.stdout.isatty()


@click.command("freq")
@project_argument
@click.option("--order", type=click.Choice(["frequency", "codebook"]), default="frequency", show_default=True,
              help="Order of themes and of subthemes within a theme.")
@table_options(plot=True, chart=True)
def freq_command(project, order, kinds, where, coders, participants, fmt, output, plot, chart) -> None:
    """Theme frequencies: participants with each code (n of N), as in the study's table."""
    from qualcode.analysis import plots
    from qualcode.analysis.report import frequencies_text

    with open_project(project) as p:
        df = p.frequencies(_filters(kinds, where, coders, participants, plot), order=order)
    _emit(df, fmt, output, lambda: frequencies_text(df))
    _plot(plots.plot_frequencies, df, plot)
    if chart:
        click.echo(plots.chart_frequencies(df, colour=_terminal_colour()))


@click.command("crosstab")
@project_argument
@click.option("--by", "attribute", required=True, help="Participant attribute to compare, e.g. sex.")
@table_options(plot=True)
def crosstab_command(project, attribute, kinds, where, coders, participants, fmt, output, plot) -> None:
    """Codes by the groups of one participant attribute: n/N within each group."""
    from qualcode.analysis import plots
    from qualcode.analysis.report import crosstab_text

    with open_project(project) as p:
        df = p.crosstab(attribute, _filters(kinds, where, coders, participants, plot))
    _emit(df, fmt, output, lambda: crosstab_text(df, attribute))
    _plot(plots.plot_crosstab, df, plot)


@click.command("matrix")
@project_argument
@click.option("--counts", is_flag=True, help="Number of codings instead of presence.")
@click.option("--depth", type=click.IntRange(min=0), help="Only codes down to this depth (0: main themes).")
@table_options()
def matrix_command(project, counts, depth, kinds, where, coders, participants, fmt, output) -> None:
    """The framework matrix: participants by codes (presence, or counts of codings)."""
    from qualcode.analysis.report import matrix_text

    with open_project(project) as p:
        df = p.matrix(_filters(kinds, where, coders, participants), "counts" if counts else "presence", depth)
    _emit(df, fmt, output, lambda: matrix_text(df))


@click.command("cooccur")
@project_argument
@click.option("--by", "mode", type=click.Choice(["segment", "participant"]), default="segment", show_default=True,
              help="Co-occur in overlapping codings (segment) or within the same participant.")
@click.option("--unit", type=click.Choice(["sentence", "turn", "paragraph", "topic"]),
              help="With --by segment: codings in the same segment of this kind co-occur too.")
@click.option("--depth", type=click.IntRange(min=0), help="Roll codes up to this depth (0: main themes).")
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True,
              help="Pairs listed in the terminal table when the grid is too wide.")
@table_options(plot=True)
def cooccur_command(project, mode, unit, depth, top, kinds, where, coders, participants, fmt, output, plot) -> None:
    """Co-occurrence of codes: a code-by-code table of counts."""
    from qualcode.analysis import plots
    from qualcode.analysis.report import cooccurrence_text

    with open_project(project) as p:
        df = p.cooccurrence(_filters(kinds, where, coders, participants, plot), mode=mode, unit=unit, depth=depth)
    problem = plots.cooccurrence_plot_problem(df) if plot is not None else None
    if problem:  # refused before the table is printed or any file written
        raise QualcodeError(problem)
    _emit(df, fmt, output, lambda: cooccurrence_text(df, top))
    _plot(plots.plot_cooccurrence, df, plot)


@click.command("saturation")
@project_argument
@click.option("--by", "unit", type=click.Choice(["document", "participant"]), default="document",
              show_default=True, help="Steps of the curve.")
@click.option("--order", "order", metavar="A,B,...",
              help="Order of the steps (document titles or ids, or participant ids); the rest follow.")
@click.option("--depth", type=click.IntRange(min=0), help="Count codes rolled up to this depth (0: main themes).")
@table_options(plot=True, chart=True)
def saturation_command(project, unit, order, depth, kinds, where, coders, participants, fmt, output, plot,
                       chart) -> None:
    """Saturation: new codes found in each successive document, and the cumulative curve."""
    from qualcode.analysis import plots
    from qualcode.analysis.report import saturation_text

    steps = [s.strip() for s in order.split(",") if s.strip()] if order else None
    with open_project(project) as p:
        df = p.saturation(_filters(kinds, where, coders, participants, plot), unit=unit, order=steps, depth=depth)
    _emit(df, fmt, output, lambda: saturation_text(df))
    _plot(plots.plot_saturation, df, plot)
    if chart:
        click.echo(plots.chart_saturation(df, colour=_terminal_colour()))


COMMANDS = [freq_command, crosstab_command, matrix_command, cooccur_command, saturation_command]
