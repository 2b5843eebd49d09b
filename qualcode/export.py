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

import io
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


def write_table(df, path_or_format, fmt: str | None = None, index: bool | None = None):
    """Write `df` to a file (returns the Path) or render it (returns str, bytes for xlsx).

    index=None includes the index only when it is named (the participant of the
    matrix, the code of co-occurrence), not a bare row number.
    """
    if index is None:
        index = df.index.name is not None
    if isinstance(path_or_format, str) and path_or_format in FORMATS and fmt is None:
        return render_table(df, path_or_format, index)
    path = Path(path_or_format)
    fmt = fmt or format_for(path)
    content = render_table(df, fmt, index)
    try:
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    except OSError as exc:
        raise QualcodeError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return path


def render_table(df, fmt: str, index: bool = False):
    if fmt not in FORMATS:
        raise QualcodeError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")
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


def latex_escape(text: str) -> str:
    return "".join(_LATEX.get(ch, ch) for ch in text).replace("\n", " ")


def _latex(df) -> str:
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
