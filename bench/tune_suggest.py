"""Choose the code suggester's weights on the TUNING halves of the real coded surveys.

napire2018 and NHS FFT are split by participant into a tuning and a reporting half
(bench/_real_suggest.half_of). This script looks at the tuning halves only: 5 folds
grouped by participant within each tuning half, each fold asked of a suggester fitted on
the rest of the tuning half. For every SVM C in the grid it fits once per fold and keeps
the score parts (CodeSuggester.score_parts); every blend of the grid (suggest.Blend) is
then scored from those parts. The choice is the blend and C with the highest mean code@3
over the two sets (each set weighs the same). bench/suggest.py reports the chosen
weights on the reporting halves and on the REFI projects, which this script never reads.

Run: PYTHONPATH=. python bench/tune_suggest.py [--c 0.1 0.3 1]
"""

from __future__ import annotations

import argparse
import itertools
import pickle
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _real_suggest import fold_parts, half_of, load_survey, prepare  # noqa: E402

from qualcode import suggest, suggest_linear  # noqa: E402

GRID = {
    "linear": (0.0, 0.1, 0.3, 0.6),
    "linear_growth": (0.0, 25.0, 50.0, 100.0, 200.0),
    "question": (0.02, 0.05),
    "group": (0.0, 0.5, 1.0, 2.0),
    "context": (0.0, 0.01, 0.03),
}


def code_at(data: dict, folds: list, blend, k: int = 3) -> float:
    """Share of asked passages with a gold code among the blend's top k (vectorised)."""
    hits = asked = 0
    for test, parts, _, _ in folds:
        scores = suggest.combine(parts, blend)
        top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        for row, i in enumerate(test):
            hits += bool(data["gold"][i] & set(top[row].tolist()))
        asked += len(test)
    return hits / max(1, asked)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--c", type=float, nargs="+", default=[0.1, 0.3, 1.0])
    parser.add_argument("--cache", type=Path, help="folder to keep the fitted folds in (pickles)")
    args = parser.parse_args()
    sets = {}
    for name, folder in (("napire2018", "napire2018"), ("NHS FFT", "nhs_fft_pxtextmining")):
        data = prepare(*load_survey(folder))
        tune = [half_of(p["participant"]) == "tune" for p in data["passages"]]
        sets[name] = (data, tune)
        print(
            f"{name}: tuning half {sum(tune):,} of {len(tune):,} passages, "
            f"{len({data['groups'][i] for i in range(len(tune)) if tune[i]}):,} participants"
        )
    results = []
    for c in args.c:
        suggest_linear.LINEAR_C = c
        start = time.process_time()
        cached = args.cache / f"folds-C{c}.pickle" if args.cache else None
        if cached is not None and cached.exists():
            folds = pickle.loads(cached.read_bytes())
        else:
            folds = {name: fold_parts(data, 5, tune, tune) for name, (data, tune) in sets.items()}
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                cached.write_bytes(pickle.dumps(folds))
        print(f"C={c}: 5 folds per set fitted (or read) in {time.process_time() - start:.0f} s CPU")
        for values in itertools.product(*GRID.values()):
            blend = suggest.Blend(prior=suggest.PRIOR_WEIGHT, **dict(zip(GRID, values)))
            rates = {name: code_at(sets[name][0], folds[name], blend) for name in sets}
            results.append((float(np.mean(list(rates.values()))), c, blend, rates))
    results.sort(key=lambda r: -r[0])
    print("best 15 of", len(results), "(mean code@3 over the tuning halves):")
    for mean, c, blend, rates in results[:15]:
        each = ", ".join(f"{n} {r:.1%}" for n, r in rates.items())
        print(
            f"  {mean:.2%}  C={c} linear={blend.linear} growth={blend.linear_growth} "
            f"question={blend.question} group={blend.group} context={blend.context}  ({each})"
        )
    for mean, c, blend, rates in results:
        weights = (blend.linear, blend.linear_growth, blend.question, blend.group, blend.context)
        if c == 0.1 and weights == (0.3, 0.0, 0.02, 0.0, 0.0):
            each = ", ".join(f"{n} {r:.1%}" for n, r in rates.items())
            print(f"  the s22 weights (C=0.1, linear 0.3, question 0.02): {mean:.2%} ({each})")


if __name__ == "__main__":
    main()
