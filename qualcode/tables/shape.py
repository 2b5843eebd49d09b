"""From an analysis table to the `PaperTable` that every paper export renders.

Works on a plain `Table` (qualcode/analysis/table.py; a DataFrame is turned into one
first), so no pandas is needed. The table kind comes from `attrs["table"]` (set by each
analysis function); an unknown table (e.g. agreement) is laid out generically: a
hierarchy from its name and depth columns when it has them, else every column as it is,
under `attrs["caption"]` when the table sets one.
"""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.analysis.filters import pooled_coders_note
from qualcode.plural import plural
from qualcode.tables.model import Mark, Number, PaperTable, Row, Share, transpose

_TREE_COLUMNS = ("code", "name", "depth", "parent")


@dataclass
class PaperOptions:
    """What the user asked for: --caption, --label, --cells, --transpose, and the
    facts for the About sheet (project, filters, coders, date, version)."""

    caption: str | None = None
    label: str | None = None
    cells: str | None = None
    transpose: bool = False
    about: dict | None = None


def paper_table(df, options: PaperOptions | None = None) -> PaperTable:
    """The paper layout of `df`: an analysis Table (qualcode/analysis/table.py) or any
    DataFrame (turned into a Table first)."""
    from qualcode.analysis.table import Table

    if not isinstance(df, Table):
        df = Table.from_frame(df)
    options = options or PaperOptions()
    kind = df.attrs.get("table")
    builder = _BUILDERS.get(kind, _generic)
    table = builder(df)
    scope = df.attrs.get("filters")
    if scope:
        table.caption += f" ({scope})"
    if options.caption:
        table.caption = options.caption
    if options.label:
        table.label = options.label
    table.about = dict(options.about or {})
    table.about.setdefault("table", kind or "table")
    table.about.setdefault("filters", scope or "none")
    return transpose(table) if options.transpose else table


def _tree_row(r, cells: list) -> Row:
    depth = int(r["depth"])
    return Row(str(r["name"]), depth, depth == 0, cells)


def _frequencies(df) -> PaperTable:
    records = _records(df)
    total = int(df.attrs.get("N", records[0]["N"] if records else 0))
    by_kind = df.attrs.get("N_by_kind", {})
    kinds = [c[2:] for c in df.columns if c.startswith("n_")]
    columns = [f"Participants (N={total})", "Codings", "Documents"] + [
        f"{k} (N={by_kind.get(k, 0)})" for k in kinds
    ]
    rows = [
        _tree_row(
            r,
            [Share(int(r["n"]), int(r["N"])), int(r["codings"]), int(r["documents"])]
            + [Share(int(r[f"n_{k}"]), int(by_kind.get(k, 0))) for k in kinds],
        )
        for r in _records(df)
    ]
    return PaperTable(
        caption="Theme frequencies: participants with each theme and subtheme",
        stub="Theme / subtheme",
        columns=columns,
        rows=rows,
        note=(
            "n/N: participants with the code or any of its subcodes / participants in scope; "
            "codings and documents: counts in scope"
            + "".join(
                f"; {x}"
                for x in [pooled_coders_note(df.attrs.get("coders") or [], command_hint=False)]
                if x
            )
            + "."
            + (NO_PARTICIPANTS_NOTE if not total and df.attrs.get("documents_in_scope") else "")
        ),
        label="tab:frequencies",
    )


def _crosstab(df) -> PaperTable:
    groups = df.attrs.get("groups", [])
    attribute = df.attrs.get("attribute", "attribute")
    first = _records(df)[0] if len(df) else {}
    sizes = {g: int(first.get(f"{g} N", 0)) for g in groups}
    rows = [
        _tree_row(r, [Share(int(r[f"{g} n"]), int(r[f"{g} N"])) for g in groups])
        for r in _records(df)
    ]
    return PaperTable(
        caption=f"Themes and subthemes by {attribute}: participants within each group",
        stub="Theme / subtheme",
        columns=[f"{g} (N={sizes[g]})" for g in groups],
        rows=rows,
        note=f"n/N: participants of the group with the code / participants of the group ({attribute}).",
        label=f"tab:by-{_slug(attribute)}",
    )


def _matrix(df) -> PaperTable:
    counts = df.attrs.get("values") == "counts"
    people = [str(r[0]) for r in df.rows]  # the first column: the participant
    rows = []
    for j, path in enumerate(df.columns[1:], start=1):
        depth = str(path).count("/")
        values = [int(r[j] or 0) for r in df.rows]
        cells = values if counts else [Mark(v > 0) for v in values]
        rows.append(Row(str(path).rsplit("/", 1)[-1], depth, depth == 0, cells))
    return PaperTable(
        caption="Framework matrix: "
        + ("codings per participant" if counts else "codes present for each participant"),
        stub="Theme / subtheme",
        columns=people,
        rows=rows,
        note="" if counts else "x: the participant has a coding of the code or of a subcode.",
        label="tab:matrix",
        column_stub="Participant",
    )


def _cooccurrence(df) -> PaperTable:
    labels = [str(r[0]) for r in df.rows]  # the first column: the code
    rows = []
    for path, values in zip(labels, df.rows):
        depth = path.count("/")
        cells = [int(v or 0) for v in values[1:]]
        rows.append(Row(path.rsplit("/", 1)[-1], depth, depth == 0, cells))
    if df.attrs.get("mode") == "participant":
        what = "participants with both codes (diagonal: with the code)"
    elif df.attrs.get("unit"):
        what = f"codings overlapping or in the same {df.attrs['unit']} (diagonal: codings)"
    else:
        what = "overlapping codings (diagonal: codings of the code)"
    from qualcode.analysis.cooccurrence import coders_note, themes_note

    note = coders_note(df.attrs)
    themes = themes_note(df.attrs)
    notes = ([f"Coders: {note}."] if note else []) + (
        [f"{themes[0].upper()}{themes[1:]}."] if themes else []
    )
    return PaperTable(
        caption="Code co-occurrence: " + what,
        stub="Code",
        columns=_unique_names(labels),
        rows=rows,
        note=" ".join(notes),
        label="tab:cooccurrence",
        column_stub="Code",
    )


def _saturation(df) -> PaperTable:
    unit = df.attrs.get("unit", "document")
    columns = [unit.capitalize()] + (["Participant"] if unit == "document" else [])
    columns += ["Codings", "New codes", "Codes found", "Codes new at this step"]
    rows = []
    for r in _records(df):
        names = "; ".join(p.rsplit("/", 1)[-1] for p in str(r["new_codes"]).split("; ") if p)
        cells: list = [str(r["label"])]
        cells += [_text(r["participant"])] if unit == "document" else []
        cells += [int(r["codings"]), int(r["new"]), int(r["cumulative"]), names]
        rows.append(Row(str(r["step"]), 0, False, cells))
    return PaperTable(
        caption=f"Saturation: codes new in each {unit}, in coding order "
        f"(of {df.attrs.get('codes', '?')} codes)",
        stub="Step",
        columns=columns,
        rows=rows,
        label="tab:saturation",
    )


NO_PARTICIPANTS_NOTE = (
    " No document in scope belongs to a participant, so participants cannot be counted "
    "(n/a); give each document its participant with `qualcode set-document PROJECT "
    "TITLE --participant ID`."
)

AGREEMENT_SOURCES = (
    "Cohen's kappa (Cohen 1960); Fleiss' kappa (Fleiss 1971); Krippendorff's alpha, "
    "nominal (Krippendorff 2011); strength of {of} after Landis & Koch (1977): "
    "< 0 poor, 0-0.20 slight, 0.21-0.40 fair, 0.41-0.60 moderate, 0.61-0.80 substantial, "
    "0.81-1 almost perfect; n/a: undefined (nobody, or everybody, coded every unit alike)."
)


SMALL_NEGATIVE_FORMAT = "0.00E+00"  # a kappa below 0 that no fixed places show (-1E-09)


def _statistic(value) -> Number:
    """A kappa or alpha cell: its value and the text the tables show (agreement_report.
    kappa_cell: the sign of a negative value always shows; "n/a" when undefined)."""
    from qualcode.analysis.agreement_report import kappa_cell

    if isinstance(value, str):  # already the shown text (md/LaTeX long form)
        return Number(None, value)
    text = kappa_cell(value)
    if value is None or value != value:
        return Number(None, text)
    if text.startswith("<"):  # "< 0": the number all the same, shown in full in XLSX
        return Number(float(value), text, 2, number_format=SMALL_NEGATIVE_FORMAT)
    return Number(float(value), text, len(text.split(".", 1)[1]) if "." in text else 0)


def _agreement(df) -> PaperTable:
    """Inter-coder agreement (qualcode/analysis/agreement.py) as a paper table: the
    coders named in the caption and the headers, agreement in percent, each statistic
    named, the method (unit, measures, sources) in the note."""
    from qualcode.analysis.agreement import TOTAL
    from qualcode.percent import proportion_text

    coders = list(df.attrs.get("coders") or [df.attrs.get("coder_a"), df.attrs.get("coder_b")])
    unit_name = df.attrs.get("unit_name", "characters")
    per_code = int(df.attrs.get("units_per_code", 0))
    documents = int(df.attrs.get("documents_in_scope", 0))
    two = len(coders) == 2
    if two:
        a, b = coders
        spec = [("both", "Both"), ("A_only", f"{a} only"), ("B_only", f"{b} only")]
        spec.append(("neither", "Neither"))
    else:
        spec = [(f"coded:{c}", f"Coded by {c}") for c in coders]
    pairs = [c for c in df.columns if str(c).startswith("kappa:")]
    columns = [header for _, header in spec] + ["Agreement (%)"]
    columns += ["Cohen's kappa"] if two else [f"Cohen's kappa {c[6:]}" for c in pairs]
    columns += ["Fleiss' kappa", "Krippendorff's alpha", "Strength"]
    rows = []
    for r in _records(df):
        share = r["agreement"]
        shown = proportion_text(share, 1)
        agree = Number(
            None if share is None or share != share else float(shown.rstrip("%")), shown, 1
        )
        cells: list = [int(r[c]) for c, _ in spec] + [agree]
        cells += [_statistic(r["kappa"])] if two else [_statistic(r[c]) for c in pairs]
        cells += [_statistic(r["fleiss_kappa"]), _statistic(r["alpha"]), _text(r["strength"])]
        if r["code"] == TOTAL:
            rows.append(Row("All codes (pooled)", 0, True, cells))
        else:
            rows.append(_tree_row(r, cells))
    unit = "character" if unit_name == "characters" else unit_name.rsplit(" ", 1)[0]
    who = " and ".join(coders) if two else ", ".join(coders)
    of = "Cohen's kappa" if two else "Fleiss' kappa"
    note = (
        f"Units: each of the {per_code:,} {unit_name} of the {plural(documents, 'document')} in "
        "scope, "
        f"for every code; a coder codes a {unit.split()[0]} when one of their codings of the "
        "code or of a subcode "
        + ("covers it" if unit_name == "characters" else "overlaps it")
        + ". Agreement: percentage of units "
        + ("both coders" if two else "all coders")
        + " coded alike. All codes (pooled): the units of every code, each coding counted "
        "for its own code only. " + AGREEMENT_SOURCES.format(of=of)
    )
    if "double-coded" in str(df.attrs.get("filters", "")):
        note += " Double-coded: only the documents every coder coded something in."
    return PaperTable(
        caption=f"Inter-coder agreement of {who} by {unit_name}: percent agreement, "
        f"{'Cohen' if two else 'pairwise Cohen'}'s kappa, Fleiss' kappa and "
        "Krippendorff's alpha per code",
        stub="Theme / subtheme",
        columns=columns,
        rows=rows,
        note=note,
        label="tab:agreement",
    )


def _disagreements(df) -> PaperTable:
    """The passages of one code that one coder coded and the other did not."""
    a, b = df.attrs.get("coder_a", "A"), df.attrs.get("coder_b", "B")
    code = str(df.attrs.get("code", "?"))
    rows = [
        Row(
            "",
            0,
            False,
            [
                _text(r["participant"]),
                _text(r["document"]),
                f"{int(r['start'])}-{int(r['end'])}",
                f"{r['who']} only",
                " ".join(str(r["text"]).split()),
            ],
        )
        for r in _records(df)
    ]
    return PaperTable(
        caption=f"Disagreements on {code}: passages coded by only one of {a} and {b} ({len(rows)})",
        stub=None,
        columns=["Participant", "Document", "Characters", "Coded by", "Passage"],
        rows=rows,
        note=(
            f"A passage: a stretch of text coded with {code.rsplit('/', 1)[-1]} or one of its "
            f"subcodes by one coder and not by the other; characters: start-end offsets "
            "in the document's stored text."
        ),
        label="tab:disagreements",
    )


def generic_table(df) -> PaperTable:
    """Any Table laid out column by column (the long form of a paper export)."""
    rows = [Row("", 0, False, [_value(r[c]) for c in df.columns]) for r in _records(df)]
    return PaperTable(df.attrs.get("caption", "Table"), None, [str(c) for c in df.columns], rows)


def _generic(df) -> PaperTable:
    columns = [str(c) for c in df.columns]
    if "name" in columns and "depth" in columns:
        rest = [c for c in df.columns if c not in _TREE_COLUMNS]
        rows = [_tree_row(r, [_value(r[c]) for c in rest]) for r in _records(df)]
        return PaperTable(df.attrs.get("caption", "Table"), "Code", [str(c) for c in rest], rows)
    return generic_table(df)


def _records(df) -> list[dict]:
    return [dict(zip(df.columns, values)) for values in df.rows]


def _value(value):
    """A numpy scalar as the plain Python number (so writers see int / float / str)."""
    return value.item() if hasattr(value, "item") else value


def _text(value) -> str:
    return "" if value is None or value != value else str(value)


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-") or "table"


def _unique_names(paths: list[str]) -> list[str]:
    """Leaf names as column headers; the full path where two leaves share a name."""
    leaves = [p.rsplit("/", 1)[-1] for p in paths]
    return [leaf if leaves.count(leaf) == 1 else path for leaf, path in zip(leaves, paths)]


_BUILDERS = {
    "frequencies": _frequencies,
    "crosstab": _crosstab,
    "matrix": _matrix,
    "cooccurrence": _cooccurrence,
    "saturation": _saturation,
    "agreement": _agreement,
    "disagreements": _disagreements,
}
