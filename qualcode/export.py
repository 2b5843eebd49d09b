"""Safe table exports: CSV, XLSX, Markdown, LaTeX, JSON and a plain terminal table.

`write_table(df, "report.xlsx")` writes a file (format from the suffix, or `fmt=`);
`write_table(df, "md")` returns the text (bytes for xlsx). The CLI and the TUI's
frequencies screen both call it.

Spreadsheet safety: a text cell that begins with = + - @, a tab or a carriage return
would be run as a formula by a spreadsheet, so in CSV and XLSX it is prefixed with a
single quote. The rule is reversible (`restore`): a cell that already begins with a
quote followed by one of those characters or another quote gets one more quote, so
a file qualcode exports and reads back (the codings file) keeps every value exactly.
Markdown escapes | in cells; LaTeX escapes & % $ # _ { } ~ ^ \\.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from qualcode.errors import QualcodeError

FORMATS = ("table", "csv", "xlsx", "md", "latex", "json")
SUFFIXES = {
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".md": "md",
    ".markdown": "md",
    ".tex": "latex",
    ".json": "json",
    ".txt": "table",
}
_RISKY = ("=", "+", "-", "@", "\t", "\r")
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
}


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


def write_table(table, path_or_format, fmt: str | None = None, index: bool | None = None):
    """Write a table to a file (returns the Path) or render it (returns str, bytes for xlsx).

    `table` is a `Table` (qualcode/analysis/table.py) or a pandas DataFrame; only XLSX
    imports pandas (and openpyxl). index=None includes a DataFrame's index only when it
    is named (the participant of the matrix, the code of co-occurrence), not a bare row
    number. Raises QualcodeError for an unknown format or a file that cannot be written.
    """
    if isinstance(path_or_format, str) and path_or_format in FORMATS and fmt is None:
        return render_table(table, path_or_format, index)
    path = Path(path_or_format)
    fmt = fmt or format_for(path)
    content = render_table(table, fmt, index)
    try:
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    except OSError as exc:
        raise QualcodeError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return path


def render_table(table, fmt: str, index: bool | None = None):
    """The table as text in `fmt` (bytes for xlsx); see write_table."""
    from qualcode.analysis.table import Table

    if fmt not in FORMATS:
        raise QualcodeError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")
    if not isinstance(table, Table):
        table = Table.from_frame(table, index)
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


def latex_escape(text: str) -> str:
    return "".join(_LATEX.get(ch, ch) for ch in text).replace("\n", " ")


def _latex(table) -> str:
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
