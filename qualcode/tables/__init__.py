"""Paper-ready tables: an analysis table laid out as a journal prints it, written as
LaTeX (booktabs), Markdown, XLSX and DOCX.

`shape.paper_table(df, options)` turns any table DataFrame into a `PaperTable` (row
labels with their depth, themes bold, counts as n/N cells); the writers in this package
render that one layout, so every format shows the same cells. No module here imports
pandas: a writer takes plain Python values, and openpyxl / python-docx are imported only
inside their writers.
"""
