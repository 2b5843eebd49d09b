"""`qualcode codings`: the codings of a project as a table in the terminal, or JSON."""

from __future__ import annotations

import shutil
import unicodedata

import click

from qualcode.cli.common import open_project, project_argument
from qualcode.plural import plural

MIN_TEXT = 12  # the text column keeps this many cells however narrow the terminal
CAPS = {"document": 24, "participant": 12, "code": 36, "coder": 12}  # cells at most
GAP = "  "
SHRINK_TO = 12  # a narrow terminal cuts the code and document columns down to this


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def _cut(text: str, width: int, keep_end: bool = False) -> str:
    """text on one line (runs of white space, newlines too, as one space), cut to
    `width` terminal cells with "…" where it was cut (wide CJK characters count two
    cells): at the end, or with keep_end at the start (a code path keeps its leaf)."""
    from rich.cells import cell_len

    text = " ".join(text.split())
    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for char in reversed(text) if keep_end else text:
        size = cell_len(char)
        if used + size > width - 1:
            break
        out.append(char)
        used += size
    return "…" + "".join(reversed(out)) if keep_end else "".join(out) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _cells(text))


def _nfc(value: str) -> str:
    # names typed at a terminal (macOS's in particular) may come decomposed; the project
    # stores NFC, so "José" typed either way finds the same participant or coder
    return unicodedata.normalize("NFC", value.strip())


@click.command("codings")
@project_argument
@click.option("--code", help="Only this code (path or unique name) and its subcodes.")
@click.option("--document", help="Only this document (id, title or file name).")
@click.option("--participant", help="Only this participant's codings (id, e.g. R7).")
@click.option("--coder", help="Only this coder's codings.")
@click.option(
    "--json", "as_json", is_flag=True, help="JSON for scripts: every field, the full text."
)
def codings_command(project, code, document, participant, coder, as_json) -> None:
    """List codings: document, participant, start-end (code points of the document's
    text), code path, coder and the coded text on one line, cut to the terminal's width.
    A theme given to --code includes its subcodes, as the frequency tables count them.
    In document order; a focus group's coding names the participants it counts for."""
    from qualcode.analysis import Filters

    filters = Filters(
        participants=(_nfc(participant),) if participant else (),
        coders=(_nfc(coder),) if coder else (),
    )
    with open_project(project) as p:
        excerpts = p.excerpts(
            code and _nfc(code),
            with_children=True,
            document=document and _nfc(document),
            filters=filters,
        )
    if as_json:
        import json

        rows = [
            {
                "coding": e.coding_id,
                "document": e.document,
                "document_id": e.document_id,
                "kind": e.kind,
                "participant": e.participant,
                "start": e.start,
                "end": e.end,
                "code": e.code_path,
                "coder": e.coder,
                "text": e.text,
                "memo": e.memo,
            }
            for e in excerpts
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    table = [
        {
            "document": e.document,
            "participant": e.participant or "-",
            "start–end": f"{e.start}–{e.end}",
            "code": e.code_path,
            "coder": e.coder,
        }
        for e in excerpts
    ]
    heads = ["document", "participant", "start–end", "code", "coder"]
    widths = {
        h: min(CAPS.get(h, 1000), max([_cells(h)] + [_cells(r[h]) for r in table])) for h in heads
    }
    columns = shutil.get_terminal_size((100, 24)).columns
    # the text keeps a third of the line (MIN_TEXT at least): the code path, then the
    # document's name, give up cells first (down to SHRINK_TO each), ending in "…"
    over = sum(widths.values()) + len(GAP) * len(heads) + max(MIN_TEXT, columns // 3) - columns
    for h in ("code", "document"):
        cut = min(max(0, over), max(0, widths[h] - SHRINK_TO))
        widths[h] -= cut
        over -= cut
    used = sum(widths.values()) + len(GAP) * len(heads)
    text_width = max(MIN_TEXT, columns - used)
    if table:
        click.echo(GAP.join(_pad(h, widths[h]) for h in heads) + GAP + "text")
    for row, e in zip(table, excerpts):
        cells = []
        for h in heads:
            value = _cut(row[h], widths[h], keep_end=h == "code")
            cells.append(value.rjust(widths[h]) if h == "start–end" else _pad(value, widths[h]))
        click.echo(GAP.join(cells) + GAP + _cut(e.text, text_width))
    click.echo(plural(len(excerpts), "coding"))


COMMANDS = [codings_command]
