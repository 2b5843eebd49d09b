"""Table exports: CSV, XLSX, DOCX, Markdown, LaTeX, JSON and a plain terminal table.

`write_table(df, "report.xlsx")` writes a file (format from the suffix, or `fmt=`);
`write_table(df, "md")` returns the text (bytes for xlsx and docx). The CLI, the TUI's
frequencies screen and every other table command call it.

Two forms of every table:
- paper (md, latex, xlsx, docx by default): the table as it shows on screen and as a
  journal prints it (qualcode/tables/): themes bold, subthemes indented, n/N cells.
- long (csv and json always; the others with long=True): the raw columns of the
  DataFrame (code path, name, depth, parent, n, N, percent, ...), for scripts.

Spreadsheet safety: a text cell that begins with = + - @, a tab or a carriage return
would be run as a formula by a spreadsheet, so in CSV and XLSX it is prefixed with a
single quote. The rule is reversible (`restore`): a cell that already begins with a
quote followed by one of those characters or another quote gets one more quote, so
a file qualcode exports and reads back (the codings file) keeps every value exactly.
Markdown escapes | in cells; LaTeX escapes & % $ # _ { } ~ ^ \\ < > |.
"""

from __future__ import annotations

import io
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
    df,
    path_or_format,
    fmt: str | None = None,
    index: bool | None = None,
    *,
    long: bool = False,
    paper=None,
):
    """Write `df` to a file (returns the Path) or render it (returns str; bytes for
    xlsx and docx).

    long: the raw columns even for md/latex/xlsx/docx. paper: tables.shape.PaperOptions
    (caption, label, cells, transpose, about) for the paper form. index=None includes
    the index in the long form only when it is named (the participant of the matrix,
    the code of co-occurrence), not a bare row number.
    Raises QualcodeError for an unknown format or suffix and for a file that cannot be
    written (nothing is left half-written: the content is made before the file opens).
    """
    if index is None:
        index = df.index.name is not None
    if isinstance(path_or_format, str) and path_or_format in FORMATS and fmt is None:
        return render_table(df, path_or_format, index, long=long, paper=paper)
    path = Path(path_or_format)
    fmt = fmt or format_for(path)
    content = render_table(df, fmt, index, long=long, paper=paper)
    try:
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    except OSError as exc:
        raise QualcodeError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return path


def render_table(df, fmt: str, index: bool = False, *, long: bool = False, paper=None):
    """The table in one format (see write_table)."""
    if fmt not in FORMATS:
        raise QualcodeError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")
    if fmt in PAPER_FORMATS and not long:
        return render_paper(df, fmt, paper)
    if fmt == "docx":  # the long form as a plain Word table
        from qualcode.tables.docx import render_docx
        from qualcode.tables.shape import generic_table

        return render_docx(generic_table(df.reset_index() if index else df))
    if index:
        df = df.reset_index()
    if fmt == "csv":
        # CRLF (RFC 4180) so that a cell holding a bare \r is quoted, not split
        return _safe(df).to_csv(index=False, lineterminator="\r\n")
    if fmt == "xlsx":
        return _xlsx(_safe(df))
    if fmt == "md":
        return _markdown(df)
    if fmt == "latex":
        return _latex(df)
    if fmt == "json":
        return df.to_json(orient="records", force_ascii=False, indent=2) + "\n"
    from tabulate import tabulate

    return (
        tabulate(df, headers="keys", showindex=False, tablefmt="simple", disable_numparse=True)
        + "\n"
    )


def render_paper(df, fmt: str, paper=None):
    """The paper form of `df` in md, latex, xlsx or docx (qualcode/tables/)."""
    from qualcode.tables.shape import PaperOptions, paper_table

    options = paper or PaperOptions()
    table = paper_table(df, options)
    if fmt == "md":
        from qualcode.tables.markdown import render_markdown

        return render_markdown(table, options.cells)
    if fmt == "latex":
        from qualcode.tables.latex import render_latex

        return render_latex(table, options.cells)
    if fmt == "xlsx":
        from qualcode.tables.xlsx import render_xlsx

        return render_xlsx(table, options.cells)
    from qualcode.tables.docx import render_docx

    return render_docx(table, options.cells)


def _safe(df):
    """Text cells and column names neutralised; numbers left as numbers."""
    out = df.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype) in ("string", "str"):
            out[column] = out[column].map(lambda v: neutralise(v) if isinstance(v, str) else v)
    return out


def _xlsx(df) -> bytes:
    buffer = io.BytesIO()
    df.to_excel(buffer, index=False, engine="openpyxl")
    return buffer.getvalue()


def _cell_text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _markdown(df) -> str:
    def cell(value) -> str:
        return (
            _cell_text(value)
            .replace("\\", "\\\\")
            .replace("|", "\\|")
            .replace("\r", " ")
            .replace("\n", "<br>")
        )

    numeric = [df[c].dtype.kind in "iuf" for c in df.columns]
    lines = [
        "| " + " | ".join(cell(c) for c in df.columns) + " |",
        "|" + "|".join("---:" if num else "---" for num in numeric) + "|",
    ]
    for row in df.itertuples(index=False):
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
    return "\n".join(lines) + "\n"


def _latex(df) -> str:
    from qualcode.tables.latex import latex_escape

    align = "".join("r" if df[c].dtype.kind in "iuf" else "l" for c in df.columns)
    lines = [
        f"\\begin{{tabular}}{{{align}}}",
        "\\hline",
        " & ".join(latex_escape(str(c)) for c in df.columns) + r" \\",
        "\\hline",
    ]
    for row in df.itertuples(index=False):
        lines.append(" & ".join(latex_escape(_cell_text(v)) for v in row) + r" \\")
    lines += ["\\hline", "\\end{tabular}"]
    return "\n".join(lines) + "\n"
