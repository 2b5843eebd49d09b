"""The code suggester's weights, chosen on the project's own codings.

The module weights of qualcode.suggest were chosen on four real coded sets together
(bench/tune_suggest.py). Projects differ: on qc's demo (3 interviews, 112 codes, most
used once or twice) the linear SVM alone beats the blend chosen on the other sets, and
the weights chosen without it lost 6 points of code@3 to the weights chosen with it.
So a small project chooses among CANDIDATES, a few settings fixed beforehand around the
base weights (the SVM's weight and growth, the sentence model's two parts), the one
that ranks its own codings best: each of its documents (or, with one document, each
fifth of its coded passages in document order) is held out in turn, a suggester fitted on the rest is asked
for the held-out passages, and the setting with the most passages with a right code in
its top 3 wins (ties: the earlier candidate; the base weights come first). This is
cross-validated model selection (Stone 1974, "Cross-validatory choice and assessment of
statistical predictions", JRSS B 36) over a grid fixed in advance.

Only for projects of MIN_CODINGS to MAX_CODINGS codings in at least two groups: below,
a held-out document says too little; above, the base weights were chosen on sets of
that size, and each held-out fit costs seconds. The choice costs one fit per group (at
most MAX_FOLDS): about 2 s of CPU on qc's demo (213 codings).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from qualcode.suggest_blend import Blend, combine

MIN_CODINGS = 40
MAX_CODINGS = 1500
MAX_FOLDS = 5
POSITION_BLOCKS = 5  # a project with one document is held out in fifths by position
LINEAR = (0.3, 1.0, 3.0)  # the SVM's weight
LINEAR_GROWTH = (0.0, 25.0)
EMBED = ((1.0, 2.0), (2.0, 1.0), (0.0, 0.0))  # (centroid, ridge) of the sentence model


def candidates(base: Blend) -> list[Blend]:
    """The settings a project chooses from: `base` first, then every combination of
    LINEAR x LINEAR_GROWTH x EMBED on top of it (other weights as in `base`), without
    repeats: 19 or fewer Blends."""
    out = [base]
    for linear, growth, (centroid, ridge) in itertools.product(LINEAR, LINEAR_GROWTH, EMBED):
        blend = dataclasses.replace(
            base, linear=linear, linear_growth=growth, embed_centroid=centroid, embed_ridge=ridge
        )
        if blend not in out:
            out.append(blend)
    return out


def holdout_groups(examples: Sequence[tuple]) -> list | None:
    """The group each (code, text, Context) example is held out with: its
    Context.group (the document), or, when all share one group, which fifth of the
    coded positions (in document order) it is in. None when there are not two groups
    to hold out."""
    groups = [ctx.group for _, _, ctx in examples]
    if len(set(groups)) < 2:
        positions = [ctx.position for _, _, ctx in examples]
        if any(p is None for p in positions):
            return None
        # fifths of the coded passages in document order (a coder may have coded only
        # the start of a long document); codings at one position stay together
        order = {p: n for n, p in enumerate(sorted(set(positions)))}
        groups = [POSITION_BLOCKS * order[p] // len(order) for p in positions]
    return groups if len(set(groups)) >= 2 else None


def choose_blend(
    examples: Sequence[tuple],
    base: Blend,
    fit: Callable[[Sequence[tuple]], Any],
) -> tuple[Blend, dict]:
    """The candidate that ranks the project's own held-out codings best (module doc).

    `examples`: (code id, text, Context) codings; `fit(examples)` returns a fitted
    suggester (qualcode.suggest.CodeSuggester, not choosing again) whose `codes` and
    `score_parts` are used. Returns (the chosen Blend, {"asked": passages asked, "folds":
    groups held out in turn, "code3": {candidate index: share with a right code in the
    top 3}}); `base` with "asked" 0 when the project is outside the limits or has fewer
    than two groups."""
    from sklearn.model_selection import GroupKFold

    groups = holdout_groups(examples) if MIN_CODINGS <= len(examples) <= MAX_CODINGS else None
    if groups is None:
        return base, {"asked": 0, "folds": 0, "code3": {}}
    options = candidates(base)
    hits = np.zeros(len(options))
    asked = 0
    folds = GroupKFold(n_splits=min(MAX_FOLDS, len(set(groups))))
    for train, test in folds.split(examples, groups=groups):
        suggester = fit([examples[i] for i in train])
        row = {code.id: n for n, code in enumerate(suggester.codes)}
        passages: dict[tuple, tuple[str, Any, set[int]]] = {}
        for i in test:  # one passage per span: its codes are its gold
            code, text, ctx = examples[i]
            key = (groups[i], ctx.position, text)
            passages.setdefault(key, (text, ctx, set()))[2].add(row[code])
        texts = [t for t, _, _ in passages.values()]
        parts = suggester.score_parts(texts, [c for _, c, _ in passages.values()])
        gold = [g for _, _, g in passages.values()]
        for n, blend in enumerate(options):
            top = np.argsort(-combine(parts, blend), axis=1, kind="stable")[:, :3]
            hits[n] += sum(bool(g & set(t.tolist())) for g, t in zip(gold, top))
        asked += len(gold)
    best = int(np.argmax(hits))  # the first of the best: the base weights on a tie
    code3 = {n: h / asked for n, h in enumerate(hits)}
    return options[best], {"asked": asked, "folds": folds.get_n_splits(), "code3": code3}
