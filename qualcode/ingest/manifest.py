"""Import manifests: a CSV saying which participant and kind each file belongs to.

Columns: ``participant``, ``file``, ``kind`` (any order, names case-insensitive),
then any number of attribute columns (``sex``, ``specialty``...). ``file`` is
relative to the CSV's own folder (or absolute; Windows backslashes are accepted).
Empty attribute cells mean "not recorded". The delimiter is a comma, or the
semicolon or tab that spreadsheet programs use in some locales, judged from the
header line. The whole manifest is checked before anything is imported and every
problem is reported, one line each: "manifest.csv line 4: file 'R9.txt' not found".
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import ImportError_, reported_as
from qualcode.ingest.decode import decode_bytes
from qualcode.ingest.formats import SUPPORTED_SUFFIXES
from qualcode.plural import noun

REQUIRED_COLUMNS = ("participant", "file", "kind")


@dataclass(frozen=True)
class ManifestEntry:
    participant: str
    path: Path  # resolved against the manifest's folder
    kind: str
    attributes: dict[str, str] = field(default_factory=dict)
    line: int = 0  # line number in the CSV, for messages


def read_manifest(csv_path: str | Path) -> list[ManifestEntry]:
    """Parse and validate a manifest; raise ImportError_ listing every problem."""
    with reported_as(ImportError_, Path(csv_path).name):
        return _read_manifest(Path(csv_path))


def _read_manifest(csv_path: Path) -> list[ManifestEntry]:
    name = csv_path.name
    try:
        raw = csv_path.read_bytes()
    except FileNotFoundError:
        raise ImportError_(f"{name}: manifest not found ({csv_path})") from None
    except OSError as exc:
        raise ImportError_(f"{name}: cannot read the manifest ({exc.strerror or exc})") from None
    text, _encoding = decode_bytes(raw, name)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = [h.strip() for h in next(rows)]
    except StopIteration:
        raise ImportError_(f"{name}: the manifest is empty") from None
    _check_header(header, name)
    columns = {h.casefold(): i for i, h in enumerate(header)}
    attribute_columns = [
        (i, h) for i, h in enumerate(header) if h.casefold() not in REQUIRED_COLUMNS
    ]
    problems: list[str] = []
    entries: list[ManifestEntry] = []
    first_line_of_file: dict[Path, int] = {}
    known_attributes: dict[tuple[str, str], tuple[str, int]] = {}
    end_of_previous = rows.line_num
    for row in rows:
        # A quoted cell may span lines: a record's number is the line it starts on.
        line, end_of_previous = end_of_previous + 1, rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        where = f"{name} line {line}"
        if len(row) > len(header):
            problems.append(f"{where}: {len(row)} fields but the header has {len(header)}")
            continue
        row = [cell.strip() for cell in row] + [""] * (len(header) - len(row))
        participant = row[columns["participant"]]
        file_cell = row[columns["file"]]
        kind = row[columns["kind"]]
        row_problems = []
        if not participant:
            row_problems.append("participant id is empty")
        if not kind:
            row_problems.append("kind is empty")
        path = None
        if not file_cell:
            row_problems.append("file is empty")
        else:
            try:
                path = (csv_path.parent / file_cell.replace("\\", "/")).resolve()
                row_problems.extend(_file_problems(path, file_cell, first_line_of_file, line))
            except (OSError, ValueError) as exc:  # a name too long for the OS, a NUL byte
                path = None
                shown = file_cell if len(file_cell) <= 60 else file_cell[:57] + "..."
                reason = getattr(exc, "strerror", None) or str(exc)
                row_problems.append(f"file '{shown}' cannot be opened ({reason})")
        attributes = {attr: row[i] for i, attr in attribute_columns if row[i]}
        for attr, value in attributes.items():
            earlier = known_attributes.setdefault((participant, attr), (value, line))
            if earlier[0] != value:
                row_problems.append(
                    f"participant {participant} has {attr}={value!r} here but "
                    f"{attr}={earlier[0]!r} on line {earlier[1]}"
                )
        if row_problems or path is None:  # no path: "file is empty" is among the problems
            problems.extend(f"{where}: {p}" for p in row_problems)
            continue
        entries.append(ManifestEntry(participant, path, kind, attributes, line))
    if len(problems) == 1:
        raise ImportError_(problems[0])
    if problems:
        # Listed under one heading, like a failed batch import, so that the lines after
        # the first do not read as output of their own.
        raise ImportError_(
            f"{name}: {len(problems)} problems (nothing imported)\n"
            + "\n".join(f"  {p}" for p in problems)
        )
    if not entries:
        raise ImportError_(f"{name}: the manifest lists no files")
    return entries


def _delimiter(text: str) -> str:
    """',' unless the header line has none, then ';' or tab, whichever it has more of."""
    header = text.split("\n", 1)[0]
    if "," in header:
        return ","
    return ";" if header.count(";") >= header.count("\t") else "\t"


def _check_header(header: list[str], name: str) -> None:
    folded = [h.casefold() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in folded]
    if missing:
        raise ImportError_(
            f"{name} line 1: missing {noun(len(missing), 'column')} {', '.join(missing)} "
            f"(required: {', '.join(REQUIRED_COLUMNS)})"
        )
    if "" in folded:
        raise ImportError_(f"{name} line 1: column {folded.index('') + 1} has no name")
    counts = Counter(folded)  # linear: a 15,000-column header is refused at once
    duplicates = sorted(h for h, n in counts.items() if n > 1)
    if duplicates:
        raise ImportError_(
            f"{name} line 1: duplicate {noun(len(duplicates), 'column')} {', '.join(duplicates)}"
        )


def _file_problems(path: Path, cell: str, first_line: dict[Path, int], line: int) -> list[str]:
    if path in first_line:
        return [f"file '{cell}' is already listed on line {first_line[path]}"]
    first_line[path] = line
    if not path.exists():
        return [f"file '{cell}' not found"]
    if not path.is_file():
        return [f"'{cell}' is not a file"]
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return [
            f"file '{cell}' has an unsupported type (supported: {', '.join(SUPPORTED_SUFFIXES)})"
        ]
    return []
