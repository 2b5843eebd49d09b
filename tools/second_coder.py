"""Draft sample_transcripts/excerpts_coder2.csv: the sample's second coder.

The sample corpus (transcripts and coder1's coding) was written for qualcode. In the
study two researchers coded; coder2 here codes a third of the participants (every
third: R2, R5, ... R23) independently of coder1, the way a second person does:

- most of coder1's passages are found again, but with coder2's own boundaries (taking
  in the sentence before or after, or keeping only the sentence that carries the code);
- some are coded with another code the coder also uses for that participant;
- some are missed, and some passages coder1 left uncoded are coded.

coder2 uses, for each participant, only codes coder1 also found in that participant
(so the study's participant counts, which pool the coders, stay exactly the table).
The choices are drawn once with a fixed seed and written out as quotes, so the file is
plain data that tools/build_sample_codings.py checks and turns into offsets like the
other excerpt files. Rerun only to redraw the second coder.

Usage: python tools/second_coder.py [SAMPLE_DIR]
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qualcode.text_units import sentences  # noqa: E402
from tools.build_sample_codings import stored_text  # noqa: E402

PARTICIPANTS = [f"R{i}" for i in range(2, 24, 3)]  # 8 of 23
SEED = 13
# What coder2 does with each of coder1's passages (probabilities, in order).
SAME_SPAN, WIDER, NARROWER, OTHER_CODE = 0.30, 0.22, 0.13, 0.12  # the rest (0.23): missed
EXTRA_PER_DOCUMENT = 1  # passages coder1 left uncoded that coder2 codes


def main(argv: list[str]) -> int:
    sample = Path(argv[1]) if len(argv) > 1 else ROOT / "sample_transcripts"
    rng = random.Random(SEED)
    rows = list(csv.DictReader((sample / "sample_codings.csv").open(encoding="utf-8")))
    first = [r for r in rows if r["coder"] == "coder1" and r["participant"] in PARTICIPANTS]
    texts = {d: stored_text(sample / d) for d in {r["document"] for r in first}}
    units = {d: sentences(t) for d, t in texts.items()}
    codes_of: dict[str, list[str]] = {}
    for r in first:
        codes_of.setdefault(r["participant"], [])
        if r["code"] not in codes_of[r["participant"]]:
            codes_of[r["participant"]].append(r["code"])
    out: list[tuple[str, str, str, str]] = []
    coded: dict[str, list[tuple[int, int]]] = {}
    for r in first:
        doc, start, end = r["document"], int(r["start"]), int(r["end"])
        coded.setdefault(doc, []).append((start, end))
        sents = units[doc]
        inside = [s for s in sents if s[0] < end and s[1] > start]
        roll = rng.random()
        code = r["code"]
        if roll < SAME_SPAN:
            span = (start, end)
        elif roll < SAME_SPAN + WIDER:
            before = [s for s in sents if s[1] <= start]
            after = [s for s in sents if s[0] >= end]
            if after and (rng.random() < 0.6 or not before):
                span = (start, after[0][1])
            elif before:
                span = (before[-1][0], end)
            else:
                span = (start, end)
        elif roll < SAME_SPAN + WIDER + NARROWER:
            span = rng.choice(inside) if len(inside) > 1 else (start, end)
            if span == (start, end) and end - start > 60:  # one sentence: keep its first clause
                cut = texts[doc].find(",", start + 20, end - 10)
                span = (start, cut) if cut > 0 else span
        elif roll < SAME_SPAN + WIDER + NARROWER + OTHER_CODE:
            others = [c for c in codes_of[r["participant"]] if c != code]
            if not others:
                continue
            span, code = (start, end), rng.choice(others)
        else:
            continue  # missed
        out.append((r["participant"], doc, code, texts[doc][span[0] : span[1]]))
    for doc, spans in sorted(coded.items()):
        participant = next(r["participant"] for r in first if r["document"] == doc)
        free = [
            s
            for s in units[doc]
            if s[1] - s[0] > 60 and not any(s[0] < e and s[1] > b for b, e in spans)
        ]
        for s in rng.sample(free, min(EXTRA_PER_DOCUMENT, len(free))):
            out.append(
                (participant, doc, rng.choice(codes_of[participant]), texts[doc][s[0] : s[1]])
            )
    unique = []
    for participant, doc, code, quote in out:
        quote = quote.strip()
        if texts[doc].count(quote) == 1 and (participant, doc, code, quote) not in unique:
            unique.append((participant, doc, code, quote))
    target = sample / "excerpts_coder2.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["participant", "file", "code", "quote", "coder"])
        writer.writerows([(p, d, c, q, "coder2") for p, d, c, q in unique])
    print(f"wrote {target}: {len(unique)} passages of {len(PARTICIPANTS)} participants")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
