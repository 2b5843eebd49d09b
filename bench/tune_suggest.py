"""Choose the code suggester's weights, never on the figures bench/suggest.py reports.

Tuning parts (bench/_real_suggest.py):
- the TUNING halves of napire2018 and NHS FFT (participants split by half_of): 5 folds
  grouped by participant within the half, each fold asked of a suggester fitted on the
  rest of the half. Their REPORTING halves are never read here.
- the two REFI projects (qc's demo, NVivo oltas), participants held out (refi_folds: qc's
  3 interviews one by one; oltas's 140 comment authors in 5 folds; suggest_tuned.json
  was written in session 25, when oltas was held out in 5 contiguous blocks of its one
  coded document instead). A REFI project is too small to halve, so the choice is nested: the weights behind a REFI project's
  reported figures are chosen on the other three parts only (the two tuning halves and
  the other project); qualcode's default is chosen on all four.

For every SVM C in the grid (0.3 and 1; 0.1, tried before, was never chosen) the
suggester is fitted once per fold and its score parts kept (CodeSuggester.score_parts);
every blend of GRID (suggest.Blend) is scored from them (stage 1). A choice is the blend
and C with the highest mean code@3 over its parts (each part weighs the same). Stage 2
tries the priors of qualcode.suggest_priors (EXTRA: the question's theme, similar
questions, the relative position and its kernel's bandwidth) on top of each stage-1
choice, with the same fit, and keeps the best (ties: the blend without them). Stage 3
tries the sentence model's two parts (EMBED: qualcode.suggest_embed, when the
`embeddings` extra is installed; a part whose texts are not English has none, so
there the weights change nothing) on top of each stage-2 choice. The choices are
written to bench/suggest_tuned.json, which bench/suggest.py reads, and printed with the
grid's best rows.

The fits here do not choose their own weights (CodeSuggester's adapt=False): what is
chosen is the base that large projects use and that small ones vary around
(qualcode.suggest_adapt).

Run: PYTHONPATH=. python bench/tune_suggest.py [--c 0.1 0.3 1] [--cache DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _real_suggest import (  # noqa: E402
    BANDWIDTHS,
    REFI_PROJECTS,
    TUNED,
    fold_parts,
    half_of,
    load_refi,
    load_survey,
    prepare,
    refi_folds,
)

from qualcode import suggest, suggest_linear  # noqa: E402

GRID = {
    "linear": (0.0, 0.1, 0.3, 0.6, 1.0, 3.0),
    "linear_growth": (0.0, 25.0, 50.0, 100.0),
    "question": (0.02, 0.05),
    "group": (0.0, 0.5),
    "context": (0.0, 0.01, 0.03),
}
# the second stage: the priors added this session, tried on top of each stage-1 choice
EXTRA = {
    "question_theme": (0.0, 0.03, 0.1, 0.3),
    "question_near": (0.0, 0.03, 0.1, 0.3),
    "position": (0.0, 0.01, 0.03, 0.1),
    "bandwidth": BANDWIDTHS,
}
# the third stage: the sentence model's parts (qualcode.suggest_embed)
EMBED = {
    "embed_centroid": (0.0, 0.5, 1.0, 2.0, 3.0),
    "embed_ridge": (0.0, 0.5, 1.0, 2.0, 3.0, 5.0),
}
SURVEYS = {"napire2018": "napire2018", "NHS FFT": "nhs_fft_pxtextmining"}


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


def tuning_parts() -> dict:
    """{part name: (prepared data, asked mask, trained mask, folds)}."""
    parts = {}
    for name, folder in SURVEYS.items():
        data = prepare(*load_survey(folder))
        tune = [half_of(p["participant"]) == "tune" for p in data["passages"]]
        parts[f"{name} (tuning half)"] = (data, tune, tune, 5)
        print(
            f"{name}: tuning half {sum(tune):,} of {len(tune):,} passages, "
            f"{len({data['groups'][i] for i in range(len(tune)) if tune[i]}):,} participants"
        )
    for name, path in REFI_PROJECTS.items():
        data = prepare(*load_refi(path))
        every = [True] * len(data["passages"])
        folds = refi_folds(data)
        parts[name] = (data, every, every, folds)
        held = "leave-one-participant-out" if folds is None else f"{folds} folds by participant"
        print(f"{name}: {len(every)} passages, {held}")
    return parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--c", type=float, nargs="+", default=[0.3, 1.0])
    parser.add_argument("--cache", type=Path, help="folder to keep the fitted folds in (pickles)")
    args = parser.parse_args()
    sets = tuning_parts()
    results = []  # (C, blend, {part: code@3})
    fitted = {}
    for c in args.c:
        suggest_linear.LINEAR_C = c
        start = time.process_time()
        cached = args.cache / f"nested-C{c}.pickle" if args.cache else None
        if cached is not None and cached.exists():
            folds = pickle.loads(cached.read_bytes())
        else:
            folds = {
                name: fold_parts(data, n, asked, trained, adapt=False)
                for name, (data, asked, trained, n) in sets.items()
            }
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                cached.write_bytes(pickle.dumps(folds))
        fitted[c] = folds
        print(f"C={c}: folds fitted (or read) in {time.process_time() - start:.0f} s CPU")
        for values in itertools.product(*GRID.values()):
            blend = suggest.Blend(
                prior=suggest.PRIOR_WEIGHT, **dict(zip(GRID, values)), **_no_extra()
            )
            rates = {name: code_at(sets[name][0], folds[name], blend) for name in sets}
            results.append((c, blend, rates))
    choices = {"default (all four parts)": list(sets)}
    for name in REFI_PROJECTS:
        choices[name] = [other for other in sets if other != name]
    tuned = {}
    for label, pool in choices.items():
        ranked = sorted(results, key=lambda r: -float(np.mean([r[2][p] for p in pool])))
        print(f"{label}: chosen on {', '.join(pool)}; stage 1, best 3 of {len(results)}:")
        for c, blend, rates in ranked[:3]:
            _print_row(c, blend, rates, pool)
        c, base, _ = ranked[0]
        # stage 2: the new priors on top of the stage-1 choice (same C, same fit)
        extra = []
        for values in itertools.product(*EXTRA.values()):
            chosen = dict(zip(EXTRA, values))
            if not chosen["position"] and chosen["bandwidth"] != BANDWIDTHS[0]:
                continue  # the bandwidth of an unused prior: the same blend again
            blend = dataclasses.replace(base, **chosen)
            rates = {name: code_at(sets[name][0], fitted[c][name], blend) for name in pool}
            extra.append((c, blend, rates))
        extra.sort(key=lambda r: -float(np.mean([r[2][p] for p in pool])))  # stable: 0s first
        print(f"  stage 2 (position, question_theme), best 3 of {len(extra)}:")
        for row in extra[:3]:
            _print_row(*row, pool)
        c, base, _ = extra[0]
        embedded = []
        for values in itertools.product(*EMBED.values()):
            blend = dataclasses.replace(base, **dict(zip(EMBED, values)))
            rates = {name: code_at(sets[name][0], fitted[c][name], blend) for name in pool}
            embedded.append((c, blend, rates))
        embedded.sort(key=lambda r: -float(np.mean([r[2][p] for p in pool])))  # 0s first
        print(f"  stage 3 (the sentence model), best 3 of {len(embedded)}:")
        for row in embedded[:3]:
            _print_row(*row, pool)
        c, blend, _ = embedded[0]
        tuned[label] = {"C": c, **{k: getattr(blend, k) for k in (*GRID, *EXTRA, *EMBED)}}
    s22 = [r for r in results if r[0] == 0.1 and _weights(r[1]) == _weights(_s22())]
    if s22:
        rates = s22[0][2]
        print("the s22 weights: " + ", ".join(f"{p} {r:.1%}" for p, r in rates.items()))
    TUNED.write_text(json.dumps(tuned, indent=1) + "\n", encoding="utf-8")
    print(f"written {TUNED.relative_to(ROOT)}")


def _no_extra() -> dict:
    return {
        "embed_centroid": 0.0,
        "embed_ridge": 0.0,
        "position": 0.0,
        "question_theme": 0.0,
        "question_near": 0.0,
        "bandwidth": BANDWIDTHS[0],
    }


def _print_row(c, blend, rates, pool) -> None:
    mean = float(np.mean([rates[p] for p in pool]))
    each = ", ".join(f"{p} {rates[p]:.1%}" for p in pool)
    print(f"  {mean:.2%}  C={c} {_weights(blend)}  ({each})")


def _s22():
    return suggest.Blend(
        prior=0.1, linear=0.3, linear_growth=0.0, question=0.02, group=0.0, **_no_extra()
    )


def _weights(blend) -> str:
    return " ".join(f"{k}={getattr(blend, k)}" for k in (*GRID, *EXTRA, *EMBED))


if __name__ == "__main__":
    main()
