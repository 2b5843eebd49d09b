"""Plan the participant-by-subtheme matrix of the bundled PIF sample coding.

Run once by the developers to fix which participant voices which subtheme, so that the
sample transcripts can be written to contain those passages. Counts come from
../shared/pif-study.md; the constraints are the study's attribute findings.
"""

import csv
import random
import sys

THEMES = {
    "Perspective transformation": (
        17,
        [
            ("Self-relativisation", 14),
            ("Wide perspective", 10),
            ("Contribution to others", 8),
            ("Empathy", 5),
            ("Self-transformation", 3),
        ],
    ),
    "Career design": (
        16,
        [
            ("Pursuit of interest", 13),
            ("Right of choice", 10),
            ("Role model", 10),
            ("Mindset", 7),
            ("Work-life balance", 1),
            ("Career support", 1),
            ("Insufficient information sharing", 1),
        ],
    ),
    "Self-development": (
        17,
        [
            ("Cross-boundary experiences", 9),
            ("Motivation", 8),
            ("Self-reliance", 7),
            ("Outcomes", 5),
            ("Open mind", 4),
            ("Resistance to egoism", 1),
        ],
    ),
    "Diversity of values": (
        14,
        [
            ("Cross-cultural understanding", 11),
            ("Culture shock", 10),
            ("Work style", 6),
            ("Acceptance of various values", 3),
            ("Globalisation", 2),
            ("Flexibility", 1),
        ],
    ),
    "Leadership": (
        14,
        [
            ("Decision making", 9),
            ("Systems thinking", 6),
            ("Objective thinking", 4),
            ("Critical thinking", 3),
            ("Resilience", 3),
            ("Responsibility", 2),
            ("Uncertainty", 2),
        ],
    ),
}
P = [f"R{i}" for i in range(1, 24)]
WOMEN = {"R2", "R3", "R4", "R22", "R23"}
LMIC = {"R5", "R12", "R17", "R23"}
RESEARCH = {"R4", "R10", "R14", "R16", "R18"}


def plan(seed):
    rng = random.Random(seed)
    rows = {}
    for theme, (n, subs) in THEMES.items():
        must = set(LMIC) if theme == "Diversity of values" else set()
        if theme == "Career design":
            must |= RESEARCH | {"R22"}
        others = [p for p in P if p not in must]
        rng.shuffle(others)
        union = sorted(must) + others[: n - len(must)]
        uncovered = set(union)
        for sub, c in subs:
            pool = list(union)
            if sub in ("Work-life balance", "Career support"):
                pool = [p for p in union if p in WOMEN]
            first = [p for p in pool if p in uncovered]
            rest = [p for p in pool if p not in uncovered]
            rng.shuffle(first)
            rng.shuffle(rest)
            if sub == "Pursuit of interest":
                first = sorted(RESEARCH) + [p for p in first if p not in RESEARCH]
            # leave uncovered members for later subthemes only if they can still cover them
            remaining_capacity = sum(cc for s, cc in subs[subs.index((sub, c)) + 1 :])
            need_now = max(0, len(uncovered) - remaining_capacity)
            take = first[: max(need_now, min(c, len(first)))][:c]
            take += [p for p in rest if p not in take][: c - len(take)]
            if len(take) < c:
                take += [p for p in first if p not in take][: c - len(take)]
            chosen = set(take)
            assert len(chosen) == c, (sub, chosen)
            uncovered -= chosen
            for p in chosen:
                rows.setdefault(p, []).append(f"{theme}/{sub}")
        if uncovered:
            return None
    return rows


for seed in range(1000):
    r = plan(seed)
    if r and len(r) == 23:
        break
w = csv.writer(sys.stdout)
w.writerow(["participant", "code"])
for p in P:
    for code in r[p]:
        w.writerow([p, code])
print(f"seed {seed}", file=sys.stderr)
