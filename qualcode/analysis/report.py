"""Plain-text views of the analysis tables for a terminal (the CLI's default format).

The frequencies read like the study's table: each main theme as "Name (n/N)" with its
subthemes indented beneath, both ordered by frequency, and a few numbers to the right.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qualcode.analysis.filters import pooled_coders_note
from qualcode.analysis.frequencies import no_participants_note
from qualcode.percent import (
    SCREEN_DECIMALS,
    count_share_text,
    percent_or_undefined,
    share_or_undefined,
)
from qualcode.plural import plural

if TYPE_CHECKING:
    import pandas as pd

    from qualcode.analysis.table import Table

INDENT = "    "


def _name_cell(depth: object, text: str) -> str:
    """text indented by its depth in the code tree (depth: an int, or a numpy integer)."""
    return INDENT * int(str(depth)) + text


def frequencies_text(df: Table) -> str:
    """The frequency table (qualcode.analysis.frequencies.frequency_table) as text."""
    kinds = [c for c in df.columns if c.startswith("n_")]
    labels = [
        _name_cell(r["depth"], f"{r['name']} ({count_share_text(r['n'], r['N'])})")
        for _, r in df.iterrows()
    ]
    width = max([len(s) for s in labels] + [10])
    heads = ["%", "codings", "documents"] + [k[2:] for k in kinds]
    sizes = [max(6, len(h)) for h in heads]
    lines = [
        _title("Theme frequencies: participants with the code / participants in scope", df),
        " " * width + "  " + "  ".join(h.rjust(s) for h, s in zip(heads, sizes)),
    ]
    by_kind = df.attrs.get("N_by_kind", {})
    for label, (_, r) in zip(labels, df.iterrows()):
        share = percent_or_undefined(r["n"], r["N"])
        cells = [share, str(r["codings"]), str(r["documents"])] + [str(r[k]) for k in kinds]
        lines.append(
            label.ljust(width) + "  " + "  ".join(c.rjust(s) for c, s in zip(cells, sizes))
        )
    scope = (
        f"{plural(df.attrs.get('N', 0), 'participant')}, "
        f"{plural(df.attrs.get('documents_in_scope', 0), 'document')} in scope"
    )
    if by_kind:
        scope += "; participants with a document of each kind: " + ", ".join(
            f"{k} {v}" for k, v in by_kind.items()
        )
    nobody = no_participants_note(df.attrs)  # e.g. a REFI-QDA project without cases
    if nobody:
        scope += (
            f"\n{nobody}: give each document its participant with "
            "`qualcode set-document PROJECT TITLE --participant ID`"
        )
    lines.append(scope)
    pooled = pooled_coders_note(df.attrs.get("coders") or [])
    if pooled:
        lines.append(pooled)
    return "\n".join(lines) + "\n"


def crosstab_text(df: Table, attribute: str) -> str:
    """The crosstab (qualcode.analysis.crosstab) as text: a column of n/N per group."""
    groups = df.attrs.get("groups", [])
    first = dict(zip(df.columns, df.rows[0])) if len(df) else {}
    heads = [f"{g} (N={first.get(f'{g} N', 0)})" for g in groups]
    labels = [_name_cell(r["depth"], str(r["name"])) for _, r in df.iterrows()]
    width = max([len(s) for s in labels] + [10])
    sizes = [max(12, len(h)) for h in heads]
    lines = [
        _title(f"Codes by {attribute}: n/N participants within each group", df),
        " " * width + "  " + "  ".join(h.rjust(s) for h, s in zip(heads, sizes)),
    ]
    for label, (_, r) in zip(labels, df.iterrows()):
        cells = [share_or_undefined(r[f"{g} n"], r[f"{g} N"], SCREEN_DECIMALS) for g in groups]
        lines.append(
            label.ljust(width) + "  " + "  ".join(c.rjust(s) for c, s in zip(cells, sizes))
        )
    return "\n".join(lines) + "\n"


def matrix_text(df: Table) -> str:
    """Codes down, participants across (a framework matrix that fits a terminal);
    `df` as qualcode.analysis.matrix.matrix (the participant first)."""
    people = [str(r[0]) for r in df.rows]
    sizes = [max(3, len(p)) for p in people]
    names = [_short(c) for c in df.columns[1:]]
    width = max([len(n) for n in names] + [10])
    counts = df.attrs.get("values") == "counts"
    lines = [
        _title(
            "Framework matrix: "
            + ("codings per participant" if counts else "x = coded for the participant"),
            df,
        ),
        " " * width + " " + " ".join(p.rjust(s) for p, s in zip(people, sizes)),
    ]
    for i, name in enumerate(names, start=1):
        values = [r[i] for r in df.rows]
        cells = [(str(v) if counts else "x") if v else "." for v in values]
        lines.append(name.ljust(width) + " " + " ".join(c.rjust(s) for c, s in zip(cells, sizes)))
    return "\n".join(lines) + "\n"


def cooccurrence_text(df: Table, top: int = 20) -> str:
    """A small table as a grid; a large one as its most frequent pairs; `df` as
    qualcode.analysis.cooccurrence.cooccurrence (the code first)."""
    labels = [r[0] for r in df.rows]
    values = [r[1:] for r in df.rows]
    by_participant = df.attrs.get("mode") == "participant"
    if by_participant:
        what = "participants with both"
    elif df.attrs.get("unit"):
        what = f"codings overlapping or in the same {df.attrs['unit']}"
    else:
        what = "overlapping codings"
    from qualcode.analysis.cooccurrence import coders_note, themes_note

    note = coders_note(df.attrs)
    footer = f"Coders: {note}\n" if note else ""
    themes = themes_note(df.attrs)
    footer += f"Note: {themes}.\n" if themes else ""
    if len(labels) <= 8:
        names = [_short(c) for c in labels]
        width = max(len(n) for n in names) if names else 10
        sizes = [max(5, len(n)) for n in names]
        lines = [
            _title(f"Co-occurrence ({what}; diagonal: the code alone)", df),
            " " * width + "  " + "  ".join(n.rjust(s) for n, s in zip(names, sizes)),
        ]
        for name, row in zip(names, values):
            lines.append(
                name.ljust(width) + "  " + "  ".join(str(v).rjust(s) for v, s in zip(row, sizes))
            )
        return "\n".join(lines) + "\n" + footer

    # Each pair once (row label before column label), most frequent first; ties keep
    # the table's row-major order (sorted() is stable). By participant, a code counts
    # wherever a subcode of it does, so a theme and its own subcode "co-occur" by
    # construction: such pairs would crowd out the real ones and are left out of the list.
    def nested(a: str, b: str) -> bool:
        return b.startswith(a + "/") or a.startswith(b + "/")

    if by_participant:
        what += "; a code with its own subcodes left out"
    pairs = sorted(
        (
            (f"{a} + {b}", int(values[i][j]))
            for i, a in enumerate(labels)
            for j, b in enumerate(labels)
            if a < b and values[i][j] > 0 and not (by_participant and nested(a, b))
        ),
        key=lambda pair: -pair[1],
    )[:top]
    if not pairs:
        return _title(f"Co-occurrence: no two codes co-occur ({what})", df) + "\n" + footer
    most = "the most frequent pair" if len(pairs) == 1 else f"the {len(pairs)} most frequent pairs"
    lines = [_title(f"Co-occurrence: {most} ({what})", df)]
    width = max([len(pair) for pair, _ in pairs] + [10])
    for pair, value in pairs:
        lines.append(pair.ljust(width) + f"  {value:>5}")
    return "\n".join(lines) + "\n" + footer


def saturation_text(df: Table) -> str:
    """The saturation table (qualcode.analysis.saturation) as text, one line per step."""
    unit = df.attrs.get("unit", "document")
    lines = [
        _title(
            f"Saturation: new codes per {unit} (of {df.attrs.get('codes', '?')} codes in the codebook)",
            df,
        )
    ]
    width = max([len(str(r["label"])) for _, r in df.iterrows()] + [8])
    lines.append(
        f"{'step':>4}  {unit.ljust(width)}  {'codings':>7}  {'new':>4}  {'total':>5}  new codes"
    )
    for _, r in df.iterrows():
        names = (
            "; ".join(p.rsplit("/", 1)[-1] for p in r["new_codes"].split("; "))
            if r["new_codes"]
            else ""
        )
        lines.append(
            f"{r['step']:>4}  {str(r['label']).ljust(width)}  {r['codings']:>7}  {r['new']:>4}  "
            f"{r['cumulative']:>5}  {names}"
        )
    return "\n".join(lines) + "\n"


def _short(path: str) -> str:
    depth = path.count("/")
    return INDENT * depth + path.rsplit("/", 1)[-1]


def _title(text: str, df: Table | pd.DataFrame) -> str:
    scope = df.attrs.get("filters")
    return text + (f" [{scope}]" if scope else "")
