"""Plain-text views of the agreement table and the disagreement list (the CLI's
default format); an undefined kappa shows as "n/a"."""

from __future__ import annotations

from qualcode.analysis.report import INDENT, _title

NOT_DEFINED = "n/a"


def kappa_cell(value: float) -> str:
    return NOT_DEFINED if value != value else f"{value:.2f}"


def agreement_text(df) -> str:
    a, b = df.attrs.get("coder_a", "A"), df.attrs.get("coder_b", "B")
    unit_name = df.attrs.get("unit_name", "units")
    labels = [INDENT * int(r["depth"]) + str(r["name"]) for _, r in df.iterrows()]
    width = max([len(s) for s in labels] + [10])
    heads = ["both", f"{a} only", f"{b} only", "neither", "agree %", "kappa"]
    sizes = [max(7, len(h)) for h in heads]
    lines = [
        _title(f"Inter-coder agreement by {unit_name}: {a} (A) and {b} (B)", df),
        " " * width + "  " + "  ".join(h.rjust(s) for h, s in zip(heads, sizes)),
    ]
    for label, (_, r) in zip(labels, df.iterrows()):
        if r["code"] == df["code"].iloc[-1]:
            lines.append("-" * (width + 2 + sum(sizes) + 2 * len(sizes)))
        agree = NOT_DEFINED if r["agreement"] != r["agreement"] else f"{100 * r['agreement']:.1f}"
        cells = [
            str(r["both"]),
            str(r["A_only"]),
            str(r["B_only"]),
            str(r["neither"]),
            agree,
            kappa_cell(r["kappa"]),
        ]
        lines.append(
            label.ljust(width)
            + "  "
            + "  ".join(c.rjust(s) for c, s in zip(cells, sizes))
            + (f"  {r['strength']}" if r["strength"] else "")
        )
    lines.append(
        f"{df.attrs.get('units_per_code', 0):,} {unit_name} per code in "
        f"{df.attrs.get('documents_in_scope', 0)} documents; a theme includes its subthemes"
    )
    lines.append(
        "Kappa labels after Landis & Koch (1977); n/a: kappa undefined (chance agreement is 1)"
    )
    return "\n".join(lines) + "\n"


def disagreements_text(df) -> str:
    a, b = df.attrs.get("coder_a", "A"), df.attrs.get("coder_b", "B")
    title = f"Passages of {df.attrs.get('code', '?')} coded by only one of {a} and {b}"
    lines = [_title(title, df) + f": {len(df)}"]
    for _, r in df.iterrows():
        who = f"{r['participant']} " if r["participant"] else ""
        lines.append(f"\n{who}{r['document']} {r['start']}-{r['end']}  [{r['who']} only]")
        lines.append(INDENT + " ".join(str(r["text"]).split()))
    return "\n".join(lines) + "\n"
