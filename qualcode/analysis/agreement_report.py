"""Plain-text views of the agreement table and the disagreement list (the CLI's
default format); an undefined kappa shows as "n/a"."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from qualcode.analysis.report import INDENT, _title
from qualcode.plural import noun, plural

if TYPE_CHECKING:
    import pandas as pd

    from qualcode.analysis.table import Table

NOT_DEFINED = "n/a"
ZERO = 1e-12  # a statistic closer to 0 than this is 0 (float error), as in agreement.strength


def half_up(value: float, decimals: int = 2) -> Decimal:
    """`value` rounded half up (away from zero) to `decimals` places, after rounding it
    to 12 significant digits, so that a float error does not decide the last digit:
    0.375 and 0.37499999999999983 (the same kappa by two formulas) both give 0.38."""
    return Decimal(f"{float(value):.12g}").quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def kappa_cell(value: float | None) -> str:
    """A statistic (kappa, Fleiss' kappa, alpha) as text: two decimals, rounded half up
    (half_up: 0.375 reads 0.38 whichever formula gave it); "n/a" when undefined (NaN or
    None). A negative value always shows its sign: one that would read "-0.00" gets
    the digits that show it (-0.0031 -> "-0.003", -0.00004 -> "-0.00004"), and below
    that "< 0". Zero, and a float error around it (|v| < 1e-12), reads "0.00"."""
    if value is None or value != value:
        return NOT_DEFINED
    value = float(value)
    if abs(value) < ZERO:
        return "0.00"
    text = f"{half_up(value, 2):f}"
    if text != "-0.00":
        return text
    for decimals in range(3, 7):
        text = f"{half_up(value, decimals):f}"
        if text.strip("-0."):
            return text
    return "< 0"


def agreement_notes(attrs: dict[str, Any]) -> list[str]:
    """What the reader of an agreement table must know before reading it: the coders
    left out (no codings in scope), and how many documents each coder coded when that
    differs (what one coder coded where the other coded nothing counts as disagreement),
    with the --double-coded that compares only the documents every coder coded in."""
    lines = []
    left = attrs.get("left_out") or []
    if left:
        lines.append(
            f"Left out, with no codings in scope: {', '.join(left)} (name {noun(len(left), 'this')} "
            f"{noun(len(left), 'coder')} in --coders to count {'them' if len(left) > 1 else 'it'} "
            "as coding nothing)"
        )
    coded = {c: n for c, n in (attrs.get("documents_coded") or {}).items() if n}
    if len(set(coded.values())) > 1 and not attrs.get("double_coded"):
        every = attrs.get("documents_by_all", 0)
        lines.append(
            f"Documents coded (of {attrs.get('documents_in_scope', 0):,}): "
            + ", ".join(f"{c} {n:,}" for c, n in coded.items())
            + "; what one coder coded where another coded nothing counts as disagreement: "
            f"--double-coded compares the {plural(every, 'document')} every coder coded in"
        )
    return lines


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
    lines = agreement_notes(df.attrs) + [
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
