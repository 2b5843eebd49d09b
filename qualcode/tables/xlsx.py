"""A `PaperTable` as an Excel workbook (openpyxl, imported only here).

Sheet "Table": the caption in A1, the header (bold, frozen below it), theme rows bold,
subthemes indented (cell indent, not spaces), column widths fitted to the content,
numbers stored as numbers: n and N as integers, a percentage as the exact fraction n/N
with a "0.0%" format (Excel rounds it once, as qualcode does), except a share that
Excel would show as 0.0% or 100.0% though it is neither none nor all: that is stored
as qualcode shows it (0.1%, 99.9%; qualcode/percent.py). A combined "n/N (pct)"
cell cannot be one number, so XLSX splits it into n and % unless --cells asks otherwise.
A kappa or alpha is its value with the places the other formats show; one they show as
"< 0" (below 0, too close to it for fixed places) is its value in a scientific format
with a note saying so (its strength, "poor", has a column of its own).
Sheet "About": project, table, filters, coder(s), date and qualcode version.
Text cells that a spreadsheet would run as a formula are neutralised (export.neutralise).
"""

from __future__ import annotations

import io

from qualcode.tables.model import (
    DEFAULT_CELLS,
    Mark,
    Number,
    PaperTable,
    Share,
    alignment,
    cell_text,
    expanded_cells,
    header_rows,
    parse_cells,
)

XLSX_DEFAULT_CELLS = "n,pct"


def render_xlsx(table: PaperTable, cells: str | None = None) -> bytes:
    """The workbook's bytes. cells: as tables.model.parse_cells (default here "n,pct")."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from qualcode.export import neutralise

    tokens = parse_cells(XLSX_DEFAULT_CELLS if cells in (None, DEFAULT_CELLS) else cells)
    groups, headers = header_rows(table, tokens)
    stub = table.stub is not None
    offset = 1 if stub else 0
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "Table"
    sheet.append([neutralise(table.caption)])
    sheet["A1"].font = Font(bold=True, size=12)
    row_at = 2
    bold = Font(bold=True)
    rule = Border(bottom=Side(style="thin"))
    if any(span > 1 for _, span in groups):
        column = offset + 1
        for header, span in groups:
            if span > 1:
                cell = sheet.cell(row_at, column, neutralise(header))
                cell.font, cell.alignment = bold, Alignment(horizontal="center")
                sheet.merge_cells(
                    start_row=row_at,
                    start_column=column,
                    end_row=row_at,
                    end_column=column + span - 1,
                )
            column += span
        row_at += 1
    names = ([table.stub or ""] if stub else []) + headers
    aligns = ["l"] * offset + [alignment(table, i, tokens) for i in range(len(headers))]
    for col, name in enumerate(names, start=1):
        cell = sheet.cell(row_at, col, neutralise(name))
        cell.font, cell.border = bold, rule
        if aligns[col - 1] != "l":
            cell.alignment = Alignment(horizontal="right" if aligns[col - 1] == "r" else "center")
    sheet.freeze_panes = f"{get_column_letter(offset + 1)}{row_at + 1}"
    widths = [len(str(n)) for n in names]
    for row in table.rows:
        row_at += 1
        col = 1
        if stub:
            label = sheet.cell(row_at, 1, neutralise(row.label))
            label.font = Font(bold=row.bold)
            label.alignment = Alignment(indent=2 * row.depth)
            widths[0] = max(widths[0], len(row.label) + 2 * row.depth + (2 if row.bold else 0))
            col = 2
        for value in expanded_cells(table, row, tokens):
            target = sheet.cell(row_at, col, None)
            _fill(target, value, neutralise)
            if aligns[col - 1] == "c":
                target.alignment = Alignment(horizontal="center")
            widths[col - 1] = max(widths[col - 1], len(cell_text(value)))
            col += 1
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 4) + 2, 80)
    if table.note:
        sheet.cell(row_at + 2, 1, neutralise(table.note)).font = Font(italic=True)
    about = book.create_sheet("About")
    for key, value in table.about.items():
        about.append([key, neutralise(str(value))])
    about.column_dimensions["A"].width = 12
    about.column_dimensions["B"].width = max([len(str(v)) for v in table.about.values()] + [20])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fraction(share: Share) -> float:
    """n/N for a "0.0%" cell; when Excel would show 0.0% or 100.0% for a share that is
    neither none nor all, the value qualcode shows instead (0.001, 0.999: qualcode.percent)."""
    from qualcode.percent import percent_value

    if not share.total:
        return 0
    exact = share.n / share.total
    if 0 < share.n < share.total and not 0.0005 <= exact < 0.9995:
        return percent_value(share.n, share.total, 1) / 100
    return exact


def _fill(cell, value, neutralise) -> None:
    """One value cell: numbers as numbers, a percentage as n/N with a percent format."""
    if isinstance(value, tuple):
        token, share = value
        if token == "n":
            cell.value = share.n
        elif token == "N":
            cell.value = share.total
        elif token == "pct" and not share.total:
            cell.value = cell_text(value)  # "n/a": no percentage of 0
        elif token == "pct":
            cell.value = _fraction(share)
            cell.number_format = "0.0%"
        else:
            cell.value = cell_text(value)
    elif isinstance(value, Share):
        cell.value = cell_text(value)
    elif isinstance(value, Mark):
        cell.value = "x" if value.present else None
    elif isinstance(value, Number):
        if value.value is None:
            cell.value = value.text
        else:
            cell.value = value.value
            cell.number_format = "0." + "0" * value.decimals if value.decimals > 0 else "0"
            if value.number_format:  # shown otherwise in the other formats: say how, in a note
                from openpyxl.comments import Comment

                cell.number_format = value.number_format
                cell.comment = Comment(
                    f"{value.text} in the md, LaTeX and Word tables: below 0, too close to 0 "
                    "to show with fixed decimals",
                    "qualcode",
                )
    elif isinstance(value, bool):
        cell.value = "x" if value else None
    elif isinstance(value, (int, float)):
        cell.value = None if value != value else value
    elif value is not None:
        cell.value = neutralise(str(value))
