"""The layout every paper export renders: a caption, a stub column of row labels (with
their depth in the code tree), and value columns whose n/N cells expand as `--cells` asks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qualcode.errors import QualcodeError
from qualcode.percent import PAPER_DECIMALS, UNDEFINED, percent_text, share_text

# What an n/N cell shows: one of these, or several joined by commas (split columns).
CELL_TOKENS = ("n", "N", "pct", "n/N", "n/N (pct)")
TOKEN_HEADERS = {"n": "n", "N": "N", "pct": "%", "n/N": "n/N", "n/N (pct)": "n/N (%)"}
DEFAULT_CELLS = "n/N (pct)"


@dataclass(frozen=True)
class Share:
    """n of total (participants with a code of those in scope)."""

    n: int
    total: int


@dataclass(frozen=True)
class Mark:
    """Presence in a framework matrix: shown as "x" when present, blank when not."""

    present: bool


@dataclass(frozen=True)
class Number:
    """A statistic with the text a paper shows for it (kappa "-0.003", agreement "99.9",
    "n/a" when undefined: value None). md, LaTeX and Word print `text`; XLSX stores
    `value` as a number with `decimals` places shown (text when value is None)."""

    value: float | None
    text: str
    decimals: int = 2
    # XLSX: the number format when `decimals` places would not show the value (a kappa
    # too close below 0 for any fixed places, text "< 0": "0.00E+00"); the text then
    # goes in the cell's note
    number_format: str | None = None


@dataclass
class Row:
    label: str
    depth: int = 0  # indentation level of the label (0: a main theme)
    bold: bool = False
    cells: list = field(default_factory=list)  # Share, Mark, Number, int, float, str or None


@dataclass
class PaperTable:
    """caption: the table's title; stub: the header of the label column (None: no label
    column); columns: the value columns' headers, one per cell of each row; note: what
    the numbers are, printed under the table."""

    caption: str
    stub: str | None
    columns: list[str]
    rows: list[Row]
    note: str = ""
    label: str = "tab:table"
    about: dict = field(default_factory=dict)
    column_stub: str = ""  # what the columns are (the stub once transposed)


def transpose(table: PaperTable) -> PaperTable:
    """Rows become columns (a wide matrix turned sideways; only when asked: --transpose)."""
    rows = [
        Row(header, 0, False, [r.cells[i] for r in table.rows])
        for i, header in enumerate(table.columns)
    ]
    return PaperTable(
        caption=table.caption,
        stub=table.column_stub or "",
        columns=[r.label for r in table.rows],
        rows=rows,
        note=table.note,
        label=table.label,
        about=table.about,
        column_stub=table.stub or "",
    )


def parse_cells(spec: str | None) -> tuple[str, ...]:
    """ "n/N (pct)" -> ("n/N (pct)",); "n,pct" -> ("n", "pct"). Unknown token: QualcodeError."""
    spec = spec or DEFAULT_CELLS
    tokens = tuple(t.strip() for t in spec.split(",") if t.strip())
    bad = [t for t in tokens if t not in CELL_TOKENS]
    if bad or not tokens:
        raise QualcodeError(
            f"--cells {spec!r}: use one of {', '.join(CELL_TOKENS)}, or several joined by commas"
        )
    return tokens


UNDEFINED_SHARE = UNDEFINED  # n of 0: no percentage (qualcode.percent.percent_or_undefined)


def token_value(cell: Share, token: str, decimals: int = PAPER_DECIMALS) -> str:
    """The text of one part of an n/N cell ("17", "23", "73.9%", "17/23", "17/23 (73.9%)").
    Of a total of 0 the percentage is undefined: "n/a" for pct and "n/N (pct)" (never
    "0/0 (0.0%)"), "0/0" for n/N."""
    if not cell.total and token in ("pct", "n/N (pct)"):
        return UNDEFINED_SHARE
    if token == "n":
        return str(cell.n)
    if token == "N":
        return str(cell.total)
    if token == "pct":
        return percent_text(cell.n, cell.total, decimals, "%")
    if token == "n/N":
        return f"{cell.n}/{cell.total}"
    return share_text(cell.n, cell.total, decimals)


def plain_value(cell) -> str:
    """The text of a cell that is not an n/N share."""
    if cell is None or (isinstance(cell, float) and cell != cell):
        return ""
    if isinstance(cell, Mark):
        return "x" if cell.present else ""
    if isinstance(cell, Number):
        return cell.text
    if isinstance(cell, bool):
        return "x" if cell else ""
    if isinstance(cell, float):
        return f"{cell:.3f}".rstrip("0").rstrip(".") if cell != int(cell) else str(int(cell))
    return str(cell)


def share_columns(table: PaperTable) -> list[bool]:
    """For each value column, whether it holds n/N cells (and so expands by --cells)."""
    return [
        any(isinstance(r.cells[i], Share) for r in table.rows) for i in range(len(table.columns))
    ]


def header_rows(table: PaperTable, tokens: tuple[str, ...]) -> tuple[list, list[str]]:
    """(groups, headers) of the expanded columns: groups is [(header, span)] per value
    column (the spanning top row when a share splits into several columns), headers the
    one-per-column bottom row."""
    groups, headers = [], []
    for header, is_share in zip(table.columns, share_columns(table)):
        if is_share and len(tokens) > 1:
            groups.append((header, len(tokens)))
            headers += [TOKEN_HEADERS[t] for t in tokens]
        else:
            groups.append((header, 1))
            headers.append(header)
    return groups, headers


def expanded_cells(table: PaperTable, row: Row, tokens: tuple[str, ...]) -> list:
    """One row's cells with every share expanded: (token, Share) pairs for share parts,
    other values as they are."""
    out: list = []
    for cell, is_share in zip(row.cells, share_columns(table)):
        if is_share and isinstance(cell, Share):
            out += [(t, cell) for t in tokens]
        elif is_share:
            out += [None] * len(tokens) if len(tokens) > 1 else [cell]
        else:
            out.append(cell)
    return out


def cell_text(cell, decimals: int = PAPER_DECIMALS) -> str:
    """The text of an expanded cell."""
    if isinstance(cell, tuple):
        return token_value(cell[1], cell[0], decimals)
    if isinstance(cell, Share):
        return token_value(cell, "n/N (pct)", decimals)
    return plain_value(cell)


def alignment(table: PaperTable, index: int, tokens: tuple[str, ...]) -> str:
    """ "r" for numbers and n/N cells, "c" for matrix marks, "l" for text (expanded column)."""
    cells = [expanded_cells(table, r, tokens)[index] for r in table.rows]
    values = [c for c in cells if c is not None and c != ""]
    if values and all(isinstance(c, Mark) for c in values):
        return "c"
    if values and all(isinstance(c, (tuple, Share, Number, int, float)) for c in values):
        return "r"
    return "l"
