"""A `PaperTable` as a LaTeX `table` with booktabs rules, caption and label.

Needs `\\usepackage{booktabs}` in the preamble (said in a comment above the table).
Themes are bold, subthemes indented by 1em per level; every text is escaped, so
a code called "100% & $5" prints as written. Split n/N columns get a spanning header
with a \\cmidrule under it.
"""

from __future__ import annotations

from qualcode.percent import PAPER_DECIMALS
from qualcode.tables.model import (
    PaperTable,
    alignment,
    cell_text,
    expanded_cells,
    header_rows,
    parse_cells,
)

_LATEX = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}


def latex_escape(text: str) -> str:
    """Text with LaTeX's special characters escaped; newlines and tabs become spaces."""
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return "".join(_LATEX.get(ch, ch) for ch in text)


def render_latex(
    table: PaperTable, cells: str | None = None, decimals: int = PAPER_DECIMALS
) -> str:
    """The table as LaTeX source (a string ending in a newline).

    cells: what an n/N cell shows (see tables.model.parse_cells); QualcodeError if unknown.
    """
    tokens = parse_cells(cells)
    groups, headers = header_rows(table, tokens)
    stub = table.stub is not None
    align = ("l" if stub else "") + "".join(
        alignment(table, i, tokens) for i in range(len(headers))
    )
    lines = [
        f"% made by qualcode{(' ' + table.about['qualcode']) if table.about.get('qualcode') else ''}; "
        "needs \\usepackage{booktabs}",
        "\\begin{table}[htbp]",
        "\\centering",
        f"\\caption{{{latex_escape(table.caption)}}}",
        f"\\label{{{_label(table.label)}}}",
        f"\\begin{{tabular}}{{@{{}}{align}@{{}}}}",
        "\\toprule",
    ]
    lead = [latex_escape(table.stub or "")] if stub else []
    if any(span > 1 for _, span in groups):
        top, rules, column = [""] * len(lead), [], len(lead) + 1
        for header, span in groups:
            if span > 1:
                top.append(f"\\multicolumn{{{span}}}{{c}}{{{latex_escape(header)}}}")
                rules.append(f"\\cmidrule(lr){{{column}-{column + span - 1}}}")
            else:
                top.append("")
            column += span
        lines.append(" & ".join(top) + r" \\")
        lines.append(" ".join(rules))
        lines.append(" & ".join(lead + [latex_escape(h) for h in headers]) + r" \\")
    else:
        lines.append(" & ".join(lead + [latex_escape(h) for h in headers]) + r" \\")
    lines.append("\\midrule")
    for row in table.rows:
        values = [latex_escape(cell_text(c, decimals)) for c in expanded_cells(table, row, tokens)]
        first = []
        if stub:
            label = latex_escape(row.label)
            if row.bold:
                label = f"\\textbf{{{label}}}"
            if row.depth:
                label = f"\\hspace{{{row.depth}em}}{label}"
            first = [label]
        lines.append(" & ".join(first + values) + r" \\")
    lines += ["\\bottomrule", "\\end{tabular}"]
    if table.note:
        lines += [
            "",
            "\\par\\smallskip{\\footnotesize " + latex_escape(table.note) + "}",
        ]
    lines.append("\\end{table}")
    return "\n".join(lines) + "\n"


def _label(label: str) -> str:
    """A \\label key: LaTeX takes most characters there, but not these."""
    return "".join(ch if ch not in "\\{}%#$&~^ " else "-" for ch in label)
