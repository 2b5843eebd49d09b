"""Table exports: CSV, XLSX, DOCX, Markdown, LaTeX, JSON and a plain terminal table.

`write_table(df, "report.xlsx")` writes a file (format from the suffix, or `fmt=`);
`write_table(df, "md")` returns the text (bytes for xlsx and docx). The CLI, the TUI's
frequencies screen and every other table command call it.

Two forms of every table:
- paper (md, latex, xlsx, docx by default): the table as it shows on screen and as a
  journal prints it (qualcode/tables/): themes bold, subthemes indented, n/N cells.
- long (csv and json always; the others with long=True): the raw columns (code path,
  name, depth, parent, n, N, percent, ...), for scripts.

Spreadsheet safety: a text cell that begins with = + - @, a tab or a carriage return
would be run as a formula by a spreadsheet, so in CSV and XLSX it is prefixed with a
single quote. The rule is reversible (`restore`): a cell that already begins with a
quote followed by one of those characters or another quote gets one more quote, so
a file qualcode exports and reads back (the codings file) keeps every value exactly.
Markdown escapes | in cells; LaTeX escapes & % $ # _ { } ~ ^ \\ < > |.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from qualcode.errors import QualcodeError

FORMATS = ("table", "csv", "xlsx", "docx", "md", "latex", "json")
PAPER_FORMATS = ("md", "latex", "xlsx", "docx")
BINARY_FORMATS = ("xlsx", "docx")
SUFFIXES = {
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".docx": "docx",
    ".md": "md",
    ".markdown": "md",
    ".tex": "latex",
    ".json": "json",
    ".txt": "table",
}
_RISKY = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """A text cell made safe to open in a spreadsheet (see the module docstring)."""
    if value[:1] in _RISKY or (value[:1] == "'" and value[1:2] in (*_RISKY, "'")):
        return "'" + value
    return value


def restore(value: str) -> str:
    """The inverse of `neutralise`, for files qualcode reads back."""
    if value[:1] == "'" and value[1:2] in (*_RISKY, "'"):
        return value[1:]
    return value


def format_for(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise QualcodeError(
            f"{Path(path).name}: unknown export format {suffix or '(no suffix)'!r} "
            f"(use {', '.join(sorted(SUFFIXES))})"
        )
    return SUFFIXES[suffix]


def write_table(
    table,
    path_or_format,
    fmt: str | None = None,
    index: bool | None = None,
    *,
    long: bool = False,
    paper=None,
):
    """Write a table to a file (returns the Path) or render it (returns str; bytes for
    xlsx and docx).

    `table` is a `Table` (qualcode/analysis/table.py) or a pandas DataFrame; only the
    long XLSX imports pandas. long: the raw columns even for md/latex/xlsx/docx.
    paper: tables.shape.PaperOptions (caption, label, cells, transpose, about) for the
    paper form. index=None includes a DataFrame's index only when it is named (the
    participant of the matrix, the code of co-occurrence), not a bare row number.
    Raises QualcodeError for an unknown format or a file that cannot be written (the
    content is made before the file is opened, so nothing is left half-written).
    """
    if isinstance(path_or_format, str) and path_or_format in FORMATS and fmt is None:
        return render_table(table, path_or_format, index, long=long, paper=paper)
    path = Path(path_or_format)
    fmt = fmt or format_for(path)
    content = render_table(table, fmt, index, long=long, paper=paper)
    try:
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    except OSError as exc:
        raise QualcodeError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return path


def render_table(table, fmt: str, index: bool | None = None, *, long: bool = False, paper=None):
    """The table as text in `fmt` (bytes for xlsx and docx); see write_table."""
    from qualcode.analysis.table import Table

    if fmt not in FORMATS:
        raise QualcodeError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")
    if not isinstance(table, Table):
        table = Table.from_frame(table, index)
    if fmt in PAPER_FORMATS and not long:
        return render_paper(table, fmt, paper)
    if fmt == "docx":  # the long form as a plain Word table
        from qualcode.tables.docx import render_docx
        from qualcode.tables.shape import generic_table

        return render_docx(generic_table(table))
    if fmt == "csv":
        return _csv(table)
    if fmt == "xlsx":
        return _xlsx(table)
    if fmt == "md":
        return _markdown(table)
    if fmt == "latex":
        return _latex(table)
    if fmt == "json":
        records = [dict(zip(table.columns, row)) for row in table.rows]
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    from tabulate import tabulate

    return (
        tabulate(
            [["" if v is None else v for v in row] for row in table.rows],
            headers=table.columns,
            tablefmt="simple",
            disable_numparse=True,
        )
        + "\n"
    )


def render_paper(table, fmt: str, paper=None):
    """The paper form of a Table in md, latex, xlsx or docx (qualcode/tables/)."""
    from qualcode.tables.shape import PaperOptions, paper_table

    options = paper or PaperOptions()
    shaped = paper_table(table, options)
    if fmt == "md":
        from qualcode.tables.markdown import render_markdown

        return render_markdown(shaped, options.cells)
    if fmt == "latex":
        from qualcode.tables.latex import render_latex

        return render_latex(shaped, options.cells)
    if fmt == "xlsx":
        from qualcode.tables.xlsx import render_xlsx

        return render_xlsx(shaped, options.cells)
    from qualcode.tables.docx import render_docx

    return render_docx(shaped, options.cells)


def _safe_cell(value):
    """Text cells neutralised; numbers left as numbers."""
    return neutralise(value) if isinstance(value, str) else value


def _csv(table) -> str:
    # CRLF (RFC 4180) so that a cell holding a bare \r is quoted, not split
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(str(c)) for c in table.columns])
    writer.writerows([["" if v is None else _safe_cell(v) for v in row] for row in table.rows])
    return buffer.getvalue()


def _xlsx(table) -> bytes:
    import pandas as pd

    frame = pd.DataFrame(
        [[_safe_cell(v) for v in row] for row in table.rows],
        columns=[neutralise(str(c)) for c in table.columns],
    )
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, engine="openpyxl")
    return buffer.getvalue()


def _cell_text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _markdown(table) -> str:
    def cell(value) -> str:
        return (
            _cell_text(value)
            .replace("\\", "\\\\")
            .replace("|", "\\|")
            .replace("\r", " ")
            .replace("\n", "<br>")
        )

    lines = [
        "| " + " | ".join(cell(c) for c in table.columns) + " |",
        "|" + "|".join("---:" if num else "---" for num in table.numeric()) + "|",
    ]
    for row in table.rows:
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
    return "\n".join(lines) + "\n"


def _latex(table) -> str:
    from qualcode.tables.latex import latex_escape

    align = "".join("r" if num else "l" for num in table.numeric())
    lines = [
        f"\\begin{{tabular}}{{{align}}}",
        "\\hline",
        " & ".join(latex_escape(str(c)) for c in table.columns) + r" \\",
        "\\hline",
    ]
    for row in table.rows:
        lines.append(" & ".join(latex_escape(_cell_text(v)) for v in row) + r" \\")
    lines += ["\\hline", "\\end{tabular}"]
    return "\n".join(lines) + "\n"
