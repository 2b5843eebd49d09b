"""Helpers shared by the command modules: the project argument, confirmation, the
filters and output options (--format, -o) of every command that writes a table or a
list of rows, and the option shapes several commands use (a choice with a default,
--depth)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import click

from qualcode.export import FORMATS  # light: pandas loads only when a table is written

project_argument = click.argument("project", type=click.Path(dir_okay=False, path_type=Path))


def open_project(path: Path, daily_backup: bool = True):
    """Open an existing project; a missing or foreign file is a one-line error."""
    from qualcode.project import Project

    return Project.open(path, daily_backup=daily_backup)


def confirm_or_abort(yes: bool, question: str) -> None:
    """Ask before a destructive action; without a terminal, refuse unless --yes."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise click.UsageError(f"{question} Not asking without a terminal: pass --yes.")
    click.confirm(question, abort=True)


def choice_option(*decls: str, choices: Sequence[str], default: str | None, help: str):
    """An option taking one of `choices`, its default shown in --help."""
    return click.option(
        *decls,
        type=click.Choice(choices),
        default=default,
        show_default=default is not None,
        help=help,
    )


def depth_option(help: str):
    """--depth N (0: the main themes), for the tables that roll codes up or cut them."""
    return click.option("--depth", type=click.IntRange(min=0), help=help)


def _filter_options(coder: bool = True) -> list:
    options = [
        click.option(
            "--kind", "kinds", multiple=True, help="Only documents of this kind (repeatable)."
        ),
        click.option(
            "--where",
            "where",
            multiple=True,
            metavar="ATTR=VALUE",
            help="Only participants with this attribute value, e.g. sex=F (repeatable).",
        ),
        click.option(
            "--coder", "coders", multiple=True, help="Only codings by this coder (repeatable)."
        ),
        click.option(
            "--participants",
            "participants",
            multiple=True,
            metavar="R1,R2",
            help="Only these participants.",
        ),
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
        interviewer = [_skip_interviewer_option()] if coder else []
        options = (
            _filter_options(coder)
            + interviewer
            + [
                click.option(
                    "--format",
                    "fmt",
                    type=click.Choice(FORMATS),
                    help="Output format (default: table, or from the -o file's suffix).",
                ),
                click.option(
                    "-o",
                    "--output",
                    type=click.Path(dir_okay=False, path_type=Path),
                    help="Write to this file (.csv .xlsx .docx .md .tex .json .txt).",
                ),
                *_paper_options(),
            ]
        )
        if plot:
            options.append(
                click.option(
                    "--plot",
                    type=click.Path(dir_okay=False, path_type=Path),
                    help="Also save a chart (.png, .svg or .pdf).",
                )
            )
        if chart:
            options.append(
                click.option("--chart", is_flag=True, help="Also draw a chart in the terminal.")
            )
        return _apply(command, options)

    return decorate


ROW_FORMATS = ("csv", "md", "json")


def rows_output_options(what: str):
    """--format csv|md|json and -o FILE for the commands that print a list of rows
    (`qualcode excerpts`, `qualcode search`): `what` names the rows in --help."""
    return lambda command: _apply(
        command,
        [
            click.option(
                "--format",
                "fmt",
                type=click.Choice(ROW_FORMATS),
                help=f"Write the {what} as a table in this format "
                "(default: from the -o file's suffix).",
            ),
            click.option(
                "-o",
                "--output",
                type=click.Path(dir_okay=False, path_type=Path),
                help=f"Write the {what} to this file (.csv .md .json).",
            ),
        ],
    )


def rows_format(fmt: str | None, output: Path | None, what: str) -> str | None:
    """The format rows are written in: --format, else the -o file's suffix, which must
    be .csv, .md or .json (a UsageError naming the file otherwise); None when neither
    is given (the command prints its own listing)."""
    if fmt is None and output is None:
        return None
    fmt = output_format(fmt, output)
    if fmt not in ROW_FORMATS:
        assert output is not None  # a --format outside ROW_FORMATS is refused by click
        raise click.UsageError(f"{output.name}: {what} are written as .csv, .md or .json")
    return fmt


def emit_rows(columns: list[str], rows: Iterable[tuple], fmt: str, output: Path | None) -> None:
    """Rows written through the same writer as the tables (CSV cells that a spreadsheet
    would run as formulas are neutralised); fmt is one of ROW_FORMATS."""
    import pandas as pd

    emit_table(pd.DataFrame(list(rows), columns=columns), fmt, output, text_view=None)


def _remember(ctx, param, value):
    """Keep a paper option in ctx.meta for emit_table (so that no command's signature
    has to carry them)."""
    ctx.meta.setdefault("qualcode.paper", {})[param.name] = value
    return value


def _remember_skip_interviewer(ctx, param, value):
    ctx.meta["qualcode.skip_interviewer"] = bool(value)
    return value


def _skip_interviewer_option():
    """--skip-interviewer, kept in ctx.meta for filters_from_options."""
    return click.option(
        "--skip-interviewer",
        is_flag=True,
        expose_value=False,
        callback=_remember_skip_interviewer,
        help="Leave out codings that lie wholly inside the interviewer's turns (the labels "
        "marked with `qualcode speakers --interviewer`).",
    )


def _paper_options() -> list:
    """--caption, --label, --cells, --transpose, --long: how md/latex/xlsx/docx look."""
    return [
        click.option(
            "--caption",
            expose_value=False,
            callback=_remember,
            help="Caption of the LaTeX/Word/Markdown table.",
        ),
        click.option(
            "--label",
            expose_value=False,
            callback=_remember,
            help="LaTeX \\label of the table (default tab:<table>).",
        ),
        click.option(
            "--cells",
            metavar="SPEC",
            expose_value=False,
            callback=_remember,
            help="What an n/N cell shows: n, N, pct, n/N or 'n/N (pct)' (default), or "
            "several joined by commas for split columns, e.g. n,pct.",
        ),
        click.option(
            "--transpose",
            is_flag=True,
            expose_value=False,
            callback=_remember,
            help="Turn the table sideways (rows become columns).",
        ),
        click.option(
            "--long",
            is_flag=True,
            expose_value=False,
            callback=_remember,
            help="md/latex/xlsx/docx: the raw long columns (as csv) instead of the paper table.",
        ),
    ]


def paper_options(fmt: str, coders=()):
    """(PaperOptions from --caption --label --cells --transpose, --long) of the current
    command, with the About facts (opening the project for its coders only for xlsx)."""
    from qualcode import __version__
    from qualcode.tables.shape import PaperOptions

    ctx = click.get_current_context(silent=True)
    given = dict(ctx.meta.get("qualcode.paper", {})) if ctx else {}
    project_path = ctx.params.get("project") if ctx else None
    about = {"qualcode": __version__}
    if fmt == "xlsx" and project_path is not None:
        with open_project(project_path) as project:
            about = project.export_facts(coders)
    options = PaperOptions(
        caption=given.get("caption"),
        label=given.get("label"),
        cells=given.get("cells"),
        transpose=bool(given.get("transpose")),
        about=about,
    )
    return options, bool(given.get("long"))


def filters_from_options(kinds, where, coders, participants, plot=None):
    """The filters; a --plot path that cannot be written is refused first, so that
    no table is printed before the error."""
    from qualcode.analysis import Filters

    if plot is not None:
        from qualcode.analysis.plots import check_image_path

        check_image_path(plot)

    ctx = click.get_current_context(silent=True)
    skip = bool(ctx.meta.get("qualcode.skip_interviewer")) if ctx else False
    return Filters.from_options(
        kinds=kinds,
        coders=coders,
        where=where,
        participants=participants,
        skip_interviewer=skip,
    )


def output_format(fmt: str | None, output: Path | None) -> str:
    """--format, else the -o file's suffix, else a terminal table."""
    if fmt is not None:
        return fmt
    if output is None:
        return "table"
    from qualcode.export import format_for

    return format_for(output)


def emit_table(df, fmt, output, text_view) -> None:
    """Write the table to -o (format from --format or the suffix) or print it."""
    from qualcode.export import BINARY_FORMATS, PAPER_FORMATS, write_table

    fmt = output_format(fmt, output)
    if output is None and fmt in BINARY_FORMATS:
        raise click.UsageError(f"{fmt} needs a file: add -o FILE.{fmt}")
    paper, long = None, False
    if fmt in PAPER_FORMATS:
        ctx = click.get_current_context(silent=True)
        coders = (ctx.params.get("coders") or ()) if ctx else ()
        if isinstance(coders, str):  # agreement's --coders A,B
            coders = [c.strip() for c in coders.split(",") if c.strip()]
        paper, long = paper_options(fmt, tuple(coders))
    if output is not None:
        if fmt == "table":
            output.write_text(text_view(), encoding="utf-8")
        else:
            write_table(df, output, fmt=fmt, long=long, paper=paper)
        click.echo(f"wrote {output}", err=True)
        return
    click.echo(
        text_view() if fmt == "table" else write_table(df, fmt, long=long, paper=paper), nl=False
    )
