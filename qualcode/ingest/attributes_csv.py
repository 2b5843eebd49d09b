"""Attribute sheets: a CSV with one row per participant and a column per attribute,
as QualCoder writes and reads them (its `cases123.csv`: ``case,Age,gender,interest``).

The participant id column is the first column named ``participant``, ``case``, ``id``
or ``pid`` (any case), else the first column; every other column is an attribute, named
as in the header (NFC). The bytes are decoded like a transcript (qualcode.ingest.decode:
BOM, UTF-16, UTF-8, then a legacy encoding only on clear evidence), and the delimiter is
judged from the header line as for a manifest (comma, else semicolon or tab). An empty
cell means "not recorded": it is reported and leaves the attribute as it was.

Every row is checked before anything is returned; the first problem is one line naming
the file and the line: "cases.csv line 4: participant id is empty".
"""

from __future__ import annotations

import _csv  # the type of csv.reader() objects (csv.reader is a function)
import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.codebook import nfc
from qualcode.errors import ImportError_, reported_as
from qualcode.ingest.decode import decode_bytes
from qualcode.ingest.manifest import _delimiter
from qualcode.plural import noun

ID_COLUMNS = ("participant", "case", "id", "pid")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


@dataclass(frozen=True)
class SheetRow:
    line: int  # the line the record starts on (a quoted cell may span lines)
    pid: str
    values: dict[str, str]  # attribute -> value; empty cells left out
    empty: tuple[str, ...] = ()  # attributes whose cell was empty


@dataclass(frozen=True)
class AttributeSheet:
    name: str  # the file's name, for messages
    encoding: str
    delimiter: str  # "comma", "semicolon" or "tab"
    id_column: str
    attributes: tuple[str, ...]
    rows: tuple[SheetRow, ...] = field(default_factory=tuple)


def read_attribute_sheet(
    path: str | Path, encoding: str | None = None, language: str | None = None
) -> AttributeSheet:
    """Parse an attribute sheet. `encoding` forces a codec; `language` (the project's,
    ISO 639-1) is a hint for legacy encodings. Raises ImportError_ "NAME line N: problem"
    for an unreadable file, a bad header, a row with more cells than the header, an empty
    participant id, or one participant given two different values for an attribute."""
    path = Path(path)
    with reported_as(ImportError_, path.name):
        return _read(path, encoding, language)


def _read(path: Path, encoding: str | None, language: str | None) -> AttributeSheet:
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportError_(f"{name}: not found ({path})") from None
    except OSError as exc:
        raise ImportError_(f"{name}: cannot read ({exc.strerror or exc})") from None
    text, used = decode_bytes(raw, name, encoding, language)
    delimiter = _delimiter(text)
    # strict: a quote left open is an error, not a cell running to the end of the file
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records = _records(reader, name)
    header = [nfc(h.strip()) for h in next(records, (1, []))[1]]
    id_index = _id_column(header, name)
    attributes = [(i, h) for i, h in enumerate(header) if i != id_index]
    if not attributes:
        raise ImportError_(f"{name} line 1: no attribute columns (only {header[id_index]!r})")
    rows: list[SheetRow] = []
    first_seen: dict[tuple[str, str], tuple[str, int]] = {}
    for line, cells in records:
        if not any(c.strip() for c in cells):
            continue
        where = f"{name} line {line}"
        if len(cells) > len(header):
            raise ImportError_(f"{where}: {len(cells)} cells but the header has {len(header)}")
        cells = [nfc(c.strip()) for c in cells] + [""] * (len(header) - len(cells))
        pid = cells[id_index]
        if not pid:
            raise ImportError_(f"{where}: participant id ({header[id_index]!r}) is empty")
        values = {attr: cells[i] for i, attr in attributes if cells[i]}
        for attr, value in values.items():
            earlier = first_seen.setdefault((pid, attr), (value, line))
            if earlier[0] != value:
                raise ImportError_(
                    f"{where}: participant {pid} has {attr}={value!r} here but "
                    f"{attr}={earlier[0]!r} on line {earlier[1]}"
                )
        empty = tuple(attr for i, attr in attributes if not cells[i])
        rows.append(SheetRow(line, pid, values, empty))
    if not rows:
        raise ImportError_(f"{name}: no participant rows under the header")
    return AttributeSheet(
        name,
        used,
        _DELIMITER_NAMES[delimiter],
        header[id_index],
        tuple(h for _, h in attributes),
        tuple(rows),
    )


def _records(reader: _csv.Reader, name: str) -> Iterator[tuple[int, list[str]]]:
    """(line the record starts on, cells); a csv.Error names the line it met."""
    end_of_previous = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportError_(f"{name} line {end_of_previous + 1}: {exc}") from None
        yield end_of_previous + 1, cells
        end_of_previous = reader.line_num


def _id_column(header: list[str], name: str) -> int:
    if not header or not any(header):
        raise ImportError_(f"{name} line 1: the header is empty")
    folded = [h.casefold() for h in header]
    if "" in folded:
        raise ImportError_(f"{name} line 1: column {folded.index('') + 1} has no name")
    duplicates = sorted(h for h, n in Counter(folded).items() if n > 1)
    if duplicates:
        raise ImportError_(
            f"{name} line 1: duplicate {noun(len(duplicates), 'column')} {', '.join(duplicates)}"
        )
    for wanted in ID_COLUMNS:
        if wanted in folded:
            return folded.index(wanted)
    return 0
