"""A `PaperTable` as a Markdown (GitHub / pandoc pipe) table.

Themes bold, subthemes indented with non-breaking spaces (Markdown trims plain ones),
matrix presence as "x" / blank; | \\ * _ ` in a cell are escaped, & and < written as &amp; and &lt;,
and a newline becomes <br>. Markdown has no spanning headers, so a split n/N column is headed
"<column> n", "<column> %".
"""

from __future__ import annotations

from qualcode.percent import PAPER_DECIMALS
from qualcode.tables.model import (
    TOKEN_HEADERS,
    PaperTable,
    alignment,
    cell_text,
    expanded_cells,
    header_rows,
    parse_cells,
)

INDENT = "&nbsp;" * 4


def md_escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace("&", "&amp;")
        .replace("|", "\\|")
        .replace("*", "\\*")
        .replace("_", "\\_")
        .replace("`", "\\`")
        .replace("<", "&lt;")
        .replace("\r\n", "<br>")
        .replace("\r", "<br>")
        .replace("\n", "<br>")
    )


def render_markdown(
    table: PaperTable, cells: str | None = None, decimals: int = PAPER_DECIMALS
) -> str:
    """The table as Markdown text: a caption line, the table, the note."""
    tokens = parse_cells(cells)
    groups, headers = header_rows(table, tokens)
    names = []
    for header, span in groups:
        if span > 1:
            names += [f"{header} {TOKEN_HEADERS[t]}" for t in tokens]
        else:
            names.append(header)
    stub = table.stub is not None
    aligns = [alignment(table, i, tokens) for i in range(len(headers))]
    rule = {"l": "---", "r": "---:", "c": ":---:"}
    head = ([md_escape(table.stub or "")] if stub else []) + [md_escape(h) for h in names]
    lines = [
        f"**{md_escape(table.caption)}**",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "|".join((["---"] if stub else []) + [rule[a] for a in aligns]) + "|",
    ]
    for row in table.rows:
        values = [md_escape(cell_text(c, decimals)) for c in expanded_cells(table, row, tokens)]
        first = []
        if stub:
            label = md_escape(row.label)
            if row.bold and label:
                label = f"**{label}**"
            first = [INDENT * row.depth + label]
        lines.append("| " + " | ".join(first + values) + " |")
    if table.note:
        lines += ["", md_escape(table.note)]
    return "\n".join(lines) + "\n"
