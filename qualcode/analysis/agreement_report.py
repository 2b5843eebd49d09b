"""Plain-text views of the agreement table and the disagreement list (the CLI's
default format); an undefined kappa shows as "n/a"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qualcode.analysis.report import INDENT, _title
from qualcode.plural import plural

if TYPE_CHECKING:
    import pandas as pd

    from qualcode.analysis.table import Table

NOT_DEFINED = "n/a"
ZERO = 1e-12  # a statistic closer to 0 than this is 0 (float error), as in agreement.strength


def kappa_cell(value: float | None) -> str:
    """A statistic (kappa, Fleiss' kappa, alpha) as text: two decimals; "n/a" when
    undefined (NaN or None). A negative value always shows its sign: one that would
    read "-0.00" gets the digits that show it (-0.0031 -> "-0.003", -0.00004 ->
    "-0.00004"), and below that "< 0". Zero, and a float error around it (|v| < 1e-12),
    reads "0.00"."""
    if value is None or value != value:
        return NOT_DEFINED
    value = float(value)
    if abs(value) < ZERO:
        return "0.00"
    text = f"{value:.2f}"
    if text != "-0.00":
        return text
    for decimals in range(3, 7):
        text = f"{value:.{decimals}f}"
        if text.strip("-0."):
            return text
    return "< 0"


def statistic_columns(df: Table | pd.DataFrame) -> list[str]:
    """The columns that hold a chance-corrected statistic (kappa, Fleiss, alpha)."""
    names = [str(c) for c in df.columns]
    return [c for c in names if c in ("kappa", "fleiss_kappa", "alpha") or c.startswith("kappa:")]


def _percent(value: float | None) -> str:
    """A proportion as a percentage to one place, never 100.0 unless it is 1
    (qualcode.percent.proportion_text)."""
    from qualcode.percent import proportion_text

    return proportion_text(value, 1)


def agreement_text(df: Table) -> str:
    """The agreement table (Project.agreement_table) as aligned text: for two coders the
    2x2 counts, agree %, kappa, Fleiss, alpha; for more, units per coder, agree %, each
    pair's kappa, Fleiss, alpha. Undefined statistics (None) show as n/a."""
    coders = df.attrs.get("coders") or [df.attrs.get("coder_a", "A"), df.attrs.get("coder_b", "B")]
    unit_name = df.attrs.get("unit_name", "units")
    labels = [INDENT * int(r["depth"]) + str(r["name"]) for _, r in df.iterrows()]
    width = max([len(s) for s in labels] + [10])
    if len(coders) == 2:
        a, b = coders
        title = f"Inter-coder agreement by {unit_name}: {a} (A) and {b} (B)"
        counts = [("both", "both"), ("A_only", f"{a} only"), ("B_only", f"{b} only")]
        counts.append(("neither", "neither"))
        kappas = [("kappa", "kappa")]
    else:
        title = f"Inter-coder agreement by {unit_name}: {', '.join(coders)}"
        counts = [(f"coded:{c}", c) for c in coders]
        kappas = [
            (c, c.split(":", 1)[1].replace("/", "~")) for c in df.columns if c.startswith("kappa:")
        ]
    columns = counts + [("agreement", "agree %")] + kappas
    columns += [("fleiss_kappa", "Fleiss"), ("alpha", "alpha")]
    sizes = [max(7, len(h)) for _, h in columns]
    lines = [
        _title(title, df),
        " " * width + "  " + "  ".join(h.rjust(s) for (_, h), s in zip(columns, sizes)),
    ]
    last = df.rows[-1][df.columns.index("code")] if df.rows else None
    for label, (_, r) in zip(labels, df.iterrows()):
        if r["code"] == last:
            lines.append("-" * (width + 2 + sum(sizes) + 2 * len(sizes)))
        cells = [str(r[c]) for c, _ in counts] + [_percent(r["agreement"])]
        cells += [kappa_cell(r[c]) for c, _ in columns[len(counts) + 1 :]]
        lines.append(
            label.ljust(width)
            + "  "
            + "  ".join(c.rjust(s) for c, s in zip(cells, sizes))
            + (f"  {r['strength']}" if r["strength"] else "")
        )
    lines.append(
        f"{df.attrs.get('units_per_code', 0):,} {unit_name} per code in "
        f"{plural(df.attrs.get('documents_in_scope', 0), 'document')}; a theme includes its "
        "subthemes"
    )
    of = "kappa" if len(coders) == 2 else "Fleiss' kappa"
    lines.append(
        f"Labels of {of} after Landis & Koch (1977); alpha: Krippendorff's (nominal); "
        "n/a: undefined (nobody, or everybody, coded every unit alike)"
    )
    uncoded = df.attrs.get("uncoded") or []
    if uncoded:
        lines.append(f"No codings in scope (counted as coding nothing): {', '.join(uncoded)}")
    return "\n".join(lines) + "\n"


def disagreements_text(df: pd.DataFrame) -> str:
    """The disagreement list (qualcode.analysis.disagreements) as text: one passage per
    paragraph, with who coded it."""
    a, b = df.attrs.get("coder_a", "A"), df.attrs.get("coder_b", "B")
    title = f"Passages of {df.attrs.get('code', '?')} coded by only one of {a} and {b}"
    lines = [_title(title, df) + f": {len(df)}"]
    for _, r in df.iterrows():
        who = f"{r['participant']} " if r["participant"] else ""
        lines.append(f"\n{who}{r['document']} {r['start']}-{r['end']}  [{r['who']} only]")
        lines.append(INDENT + " ".join(str(r["text"]).split()))
    return "\n".join(lines) + "\n"
