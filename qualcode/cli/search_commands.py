"""`qualcode search`: every match of a text or pattern across the project, with context."""

from __future__ import annotations

import click

from qualcode.cli.common import (
    emit_rows,
    filter_options,
    filters_from_options,
    open_project,
    project_argument,
    rows_format,
    rows_output_options,
)
from qualcode.plural import plural


@click.command("search")
@project_argument
@click.argument("pattern")
@click.option("--regex", "-e", is_flag=True, help="PATTERN is a regular expression (Python re).")
@click.option("--case-sensitive", "-s", is_flag=True, help="Match upper and lower case exactly.")
@click.option("--code", help="Only text inside a coding of this code (path or unique name).")
@click.option("--with-children", is_flag=True, help="With --code: its subcodes' codings too.")
@filter_options
@click.option(
    "--context",
    default=40,
    show_default=True,
    type=click.IntRange(0, 1000),
    help="Characters of context either side.",
)
@click.option(
    "--limit",
    default=1000,
    show_default=True,
    type=click.IntRange(1),
    help="Show at most this many hits (all are counted).",
)
@rows_output_options("hits")
def search_command(
    project,
    pattern,
    regex,
    case_sensitive,
    code,
    with_children,
    kinds,
    where,
    coders,
    participants,
    context,
    limit,
    fmt,
    output,
) -> None:
    """Find PATTERN (text, or a regular expression with --regex) in every document, with
    the text around each hit; filter by --participants, --kind, --where, --code (--coder).

    Case is ignored unless --case-sensitive. Offsets are characters into the document's text
    (as `qualcode code` takes them)."""
    filters = filters_from_options(kinds, where, coders, participants)
    fmt = rows_format(fmt, output, "search hits")
    with open_project(project) as p:
        result = p.search_project(
            pattern,
            regex=regex,
            case_sensitive=case_sensitive,
            filters=filters,
            code=code,
            with_children=with_children,
            context=context,
            limit=limit,
        )
    shown = len(result.hits)
    summary = (
        f"{plural(result.total, 'hit')} in {result.matched} of "
        f"{plural(result.documents, 'document')}"
    )
    if shown < result.total:
        summary += f"; the first {shown} shown (--limit)"
    if fmt is not None:
        columns = ["participant", "kind", "document", "start", "end", "before", "match", "after"]
        emit_rows(
            columns,
            (
                (h.participant, h.kind, h.title, h.start, h.end, h.before, h.match, h.after)
                for h in result.hits
            ),
            fmt,
            output,
        )
        click.echo(summary, err=True)
        return
    for hit in result.hits:
        where_ = " · ".join(x for x in (hit.participant or "-", hit.kind, hit.title) if x)
        click.echo(f"{where_}  {hit.start}-{hit.end}")
        click.echo(f"  …{_line(hit.before)}[{_line(hit.match)}]{_line(hit.after)}…")
    click.echo(summary)


def _line(text: str) -> str:
    return " ".join(text.split("\n"))


COMMANDS = [search_command]
