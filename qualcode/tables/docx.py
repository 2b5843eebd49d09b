"""A `PaperTable` as a Word document (python-docx, imported only here): a caption
paragraph ("Table 1. ..." in Word's Caption style) above a table with a bold header row,
theme rows bold and subthemes indented, the note beneath. Paste it into a manuscript.
"""

from __future__ import annotations

import io

from qualcode.percent import PAPER_DECIMALS
from qualcode.tables.model import (
    PaperTable,
    alignment,
    cell_text,
    expanded_cells,
    header_rows,
    parse_cells,
)


def render_docx(
    table: PaperTable, cells: str | None = None, decimals: int = PAPER_DECIMALS
) -> bytes:
    """The .docx file's bytes. cells: as tables.model.parse_cells."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    tokens = parse_cells(cells)
    groups, headers = header_rows(table, tokens)
    stub = table.stub is not None
    lead = 1 if stub else 0
    split = any(span > 1 for _, span in groups)
    document = Document()
    caption = document.add_paragraph(style="Caption")
    caption.add_run("Table 1. ").bold = True
    caption.add_run(table.caption)
    head_rows = 2 if split else 1
    grid = document.add_table(rows=head_rows + len(table.rows), cols=lead + len(headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    aligns = ["l"] * lead + [alignment(table, i, tokens) for i in range(len(headers))]
    where = {"l": WD_ALIGN_PARAGRAPH.LEFT, "r": WD_ALIGN_PARAGRAPH.RIGHT}

    def put(row: int, col: int, text: str, bold: bool = False, indent: int = 0) -> None:
        paragraph = grid.cell(row, col).paragraphs[0]
        paragraph.alignment = where.get(aligns[col], WD_ALIGN_PARAGRAPH.CENTER)
        if indent:
            paragraph.paragraph_format.left_indent = Pt(12 * indent)
        paragraph.add_run(text).bold = bold

    if split:
        column = lead
        for header, span in groups:
            if span > 1:
                grid.cell(0, column).merge(grid.cell(0, column + span - 1))
                put(0, column, header, bold=True)
            column += span
    names = ([table.stub or ""] if stub else []) + headers
    for col, name in enumerate(names):
        put(head_rows - 1, col, name, bold=True)
    for r, row in enumerate(table.rows, start=head_rows):
        if stub:
            put(r, 0, row.label, bold=row.bold, indent=row.depth)
        for c, value in enumerate(expanded_cells(table, row, tokens), start=lead):
            put(r, c, cell_text(value, decimals))
    if table.note:
        document.add_paragraph(table.note).runs[0].italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
