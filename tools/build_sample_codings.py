"""Build sample_transcripts/sample_codings.csv from the excerpt lists.

Each row of excerpts_*.csv (participant, file, code, quote, coder) names a quote that
must occur exactly once in its file, in the text as the importer stores it (NFC,
"\\n" newlines, no BOM: qualcode.ingest.read_source). Its offsets
become one row of the portable codings file (participant, document, start, end, code,
coder, text), which `qualcode demo` and `qualcode import-codings` read.

Fails loudly (exit status 1, one line per problem) when a quote is missing or not
unique, a file or code is unknown, a row is duplicated, or the coded participant
counts differ from the study's table (every count written out below), or the study's
attribute findings do not hold (Diversity of values for every participant who
trained in a low- or middle-income country; Work-life balance and Career support
only among women).

Usage: python tools/build_sample_codings.py [SAMPLE_DIR]
"""

from __future__ import annotations

import csv
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The study's table: participants (of 23) per main theme and subtheme.
STUDY = {
    "Perspective transformation": 17,
    "Perspective transformation/Self-relativisation": 14,
    "Perspective transformation/Wide perspective": 10,
    "Perspective transformation/Contribution to others": 8,
    "Perspective transformation/Empathy": 5,
    "Perspective transformation/Self-transformation": 3,
    "Career design": 16,
    "Career design/Pursuit of interest": 13,
    "Career design/Right of choice": 10,
    "Career design/Role model": 10,
    "Career design/Mindset": 7,
    "Career design/Work-life balance": 1,
    "Career design/Career support": 1,
    "Career design/Insufficient information sharing": 1,
    "Self-development": 17,
    "Self-development/Cross-boundary experiences": 9,
    "Self-development/Motivation": 8,
    "Self-development/Self-reliance": 7,
    "Self-development/Outcomes": 5,
    "Self-development/Open mind": 4,
    "Self-development/Resistance to egoism": 1,
    "Diversity of values": 14,
    "Diversity of values/Cross-cultural understanding": 11,
    "Diversity of values/Culture shock": 10,
    "Diversity of values/Work style": 6,
    "Diversity of values/Acceptance of various values": 3,
    "Diversity of values/Globalisation": 2,
    "Diversity of values/Flexibility": 1,
    "Leadership": 14,
    "Leadership/Decision making": 9,
    "Leadership/Systems thinking": 6,
    "Leadership/Objective thinking": 4,
    "Leadership/Critical thinking": 3,
    "Leadership/Resilience": 3,
    "Leadership/Responsibility": 2,
    "Leadership/Uncertainty": 2,
}
COLUMNS = ["participant", "document", "start", "end", "code", "coder", "text"]


def stored_text(path: Path) -> str:
    """The document text exactly as `qualcode` stores it on import."""
    from qualcode.ingest import read_source

    return read_source(path).text


def build(sample: Path) -> tuple[list[dict], list[str]]:
    manifest = list(csv.DictReader((sample / "manifest.csv").open(encoding="utf-8", newline="")))
    owner = {row["file"]: row["participant"] for row in manifest}
    texts = {row["file"]: stored_text(sample / row["file"]) for row in manifest}
    rows, problems, seen = [], [], set()
    for source in sorted(sample.glob("excerpts_*.csv")):
        with source.open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                where = f"{source.name} line {line}"
                key = tuple(row[c] for c in ("participant", "file", "code", "quote", "coder"))
                if key in seen:
                    problems.append(f"{where}: duplicate row")
                    continue
                seen.add(key)
                if row["file"] not in texts:
                    problems.append(f"{where}: file {row['file']!r} is not in manifest.csv")
                    continue
                if owner[row["file"]] != row["participant"]:
                    problems.append(
                        f"{where}: {row['file']} belongs to {owner[row['file']]}, not {row['participant']}"
                    )
                if row["code"] not in STUDY:
                    problems.append(f"{where}: unknown code {row['code']!r}")
                quote = unicodedata.normalize("NFC", row["quote"].replace("\r\n", "\n")).strip()
                text = texts[row["file"]]
                count = text.count(quote)
                if count != 1:
                    state = "not found" if count == 0 else f"found {count} times"
                    problems.append(f"{where}: quote {state} in {row['file']}: {quote[:60]!r}")
                    continue
                start = text.index(quote)
                rows.append(
                    {
                        "participant": row["participant"],
                        "document": row["file"],
                        "start": start,
                        "end": start + len(quote),
                        "code": row["code"],
                        "coder": row["coder"],
                        "text": quote,
                    }
                )
    return rows, problems + check_counts(rows, manifest)


def check_counts(rows: list[dict], manifest: list[dict]) -> list[str]:
    """The study's numbers and attribute findings, on the participants coded."""
    who: dict[str, set[str]] = {code: set() for code in STUDY}
    for row in rows:
        if row["code"] in who:
            who[row["code"]].add(row["participant"])
            who[row["code"].split("/")[0]].add(row["participant"])
    problems = [
        f"{code}: {len(people)} participants coded, the study has {STUDY[code]}"
        for code, people in who.items()
        if len(people) != STUDY[code]
    ]
    attrs = {row["participant"]: row for row in manifest}
    lmic = {p for p, a in attrs.items() if a["host_income"] == "LMIC"}
    women = {p for p, a in attrs.items() if a["sex"] == "F"}
    if lmic - who["Diversity of values"]:
        problems.append(
            f"Diversity of values missing for LMIC participants {sorted(lmic - who['Diversity of values'])}"
        )
    for code in ("Career design/Work-life balance", "Career design/Career support"):
        if who[code] - women:
            problems.append(f"{code} coded for men {sorted(who[code] - women)}")
    return problems


def main(argv: list[str]) -> int:
    sample = Path(argv[1]) if len(argv) > 1 else ROOT / "sample_transcripts"
    rows, problems = build(sample)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        return 1
    rows.sort(
        key=lambda r: (int(r["participant"][1:]), r["document"], r["start"], r["code"], r["coder"])
    )
    with (sample / "sample_codings.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    people = len({r["participant"] for r in rows})
    print(f"wrote {sample / 'sample_codings.csv'}: {len(rows)} codings of {people} participants")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
