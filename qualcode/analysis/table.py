"""A plain table (column names, rows of Python values, attrs) that needs no pandas.

The commands that print or write a table (CSV, Markdown, JSON, LaTeX, a terminal table)
use it so that they start without importing pandas and numpy (about 0.3-0.5 s);
`to_frame()` gives the pandas DataFrame the Python API returns, and `from_frame()`
brings a DataFrame computed elsewhere to the same writers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

# One cell: str, int, float or None (bool and date values pass through from_frame).
Cell = Any


@dataclass
class Table:
    """columns: names; rows: tuples of str, int, float or None (one per column);
    attrs: extra facts about the table (like DataFrame.attrs); index: the name of the
    first column when it identifies the rows (a DataFrame's named index), else None."""

    columns: list[str]
    rows: list[tuple[Cell, ...]]
    attrs: dict[str, Any] = field(default_factory=dict)
    index: str | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def iterrows(self) -> Iterator[tuple[int, dict[str, Cell]]]:
        """(position, {column: value}) for each row, like DataFrame.iterrows."""
        for n, row in enumerate(self.rows):
            yield n, dict(zip(self.columns, row))

    def numeric(self) -> list[bool]:
        """Per column: True when every value is a number (None allowed), as for
        right-aligning a column."""
        out = []
        for i in range(len(self.columns)):
            values = [r[i] for r in self.rows if r[i] is not None]
            out.append(
                bool(values)
                and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
            )
        return out

    def to_frame(self) -> pd.DataFrame:
        """The same table as a pandas DataFrame (imports pandas), attrs included;
        with `index` set, that column becomes the named index."""
        import pandas as pd

        if self.index is not None and self.columns[:1] == [self.index]:
            # Built apart from the other columns, so that a column named like the
            # index (a code called "code") cannot clash with it.
            frame = pd.DataFrame([row[1:] for row in self.rows], columns=self.columns[1:])
            if not self.rows:
                frame = pd.DataFrame({c: pd.Series(dtype="object") for c in self.columns[1:]})
            frame.index = pd.Index([row[0] for row in self.rows], name=self.index, dtype=object)
        else:
            frame = pd.DataFrame(self.rows, columns=self.columns)
            if not self.rows:
                frame = pd.DataFrame({c: pd.Series(dtype="object") for c in self.columns})
            if self.index is not None:
                frame = frame.set_index(self.index)
        frame.attrs.update(self.attrs)
        return frame

    @classmethod
    def from_frame(cls, df: pd.DataFrame, index: bool | None = None) -> Table:
        """A DataFrame's values as plain Python (NaN becomes None). index=None keeps
        the index as the first column only when it is named."""
        if index is None:
            index = df.index.name is not None
        name = None
        if index:
            name = str(df.index.name or "index")
            df = df.reset_index()
        rows = [tuple(_plain(v) for v in row) for row in df.itertuples(index=False, name=None)]
        attrs = {str(key): value for key, value in df.attrs.items()}
        return cls([str(c) for c in df.columns], rows, attrs, name)


def _plain(value: object) -> Cell:
    """A numpy or pandas scalar as the Python value; NaN and NA as None."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    if value.__class__.__name__ in ("NAType", "NaTType"):
        return None
    return value
