"""How the code suggester's parts add up to a code's score: `Blend` (the weights) and
`combine` (the sum), split from qualcode.suggest to keep it small. The weights' values
live in qualcode.suggest (suggest.default_blend reads them; bench/tune_suggest.py chose
them); the parts come from suggest.CodeSuggester.score_parts. Shapes: (passages, codes).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qualcode.suggest_priors import POSITION_BANDWIDTH


@dataclass(frozen=True)
class Blend:
    """How the suggester's parts add up to a code's score (see `combine`). The defaults
    are the module's weights, read when a Blend is made (default_blend)."""

    prior: float
    linear: float
    linear_growth: float
    question: float
    group: float
    context: float = 0.0
    position: float = 0.0  # log P(code | relative position) / P(code), suggest_priors
    question_theme: float = 0.0  # log P(theme | question) / P(theme), suggest_priors
    question_near: float = 0.0  # log P(code | similar questions) / P(code), suggest_priors
    bandwidth: float = POSITION_BANDWIDTH  # of the position prior (a key of parts["position"])
    embed_centroid: float = 0.0  # the sentence model's centroid cosine (suggest_embed)
    embed_ridge: float = 0.0  # the sentence model's ridge classifier (suggest_embed)
    normalise: bool = True  # divide by 1 + the linear weight (keeps THEME_TEMPERATURE's scale)


def combine(parts: dict, blend: Blend | None = None) -> np.ndarray:
    """A code's score from `CodeSuggester.score_parts`: (len(texts), codes).

    score = (centroid + prior * code prior + question * log P(code | question)
             + context * PMI(code, context codes) + question_theme * PMI(theme, question)
             + question_near * PMI(code, similar questions)
             + position * PMI(code, relative position) + w * linear) / (1 + w),
    w = linear + per_code / linear_growth
    then + group * THEME_TEMPERATURE * log(the share of the code's parent group),
    then + embed_centroid * the sentence model's centroid cosine + embed_ridge * its ridge
    classifier's value (qualcode.suggest_embed; when the suggester uses it).

    - w grows with the codings learnt per code: with few codings the centroids (and
      the codes' own names) know more than a linear model fitted on them; with many,
      the linear model tells close codes apart better (on the NHS FFT tuning half,
      the SVM alone beat every blend with a fixed w). The division keeps the score's
      scale, so THEME_TEMPERATURE means the same whatever w is (`normalise`).
    - The group term ranks codes within the most likely groups (a code's parent:
      "Causes/Method" for "Causes/Method/Lack of time"): the group share is the
      softmax of the scores at THEME_TEMPERATURE summed over the group's codes, as
      theme_shares does for themes. Adding a per-group constant leaves the order of
      themes by theme_shares unchanged when each group lies in one theme.
    `blend` None: default_blend()."""
    from qualcode import suggest  # its weights as they are now (tests may patch them)

    blend = suggest.default_blend() if blend is None else blend
    out = parts["centroid"] + blend.prior * parts["prior"]
    if parts.get("question") is not None and blend.question:
        out = out + blend.question * parts["question"]
    if parts.get("context") is not None and blend.context:
        out = out + blend.context * parts["context"]
    if parts.get("question_theme") is not None and blend.question_theme:
        out = out + blend.question_theme * parts["question_theme"]
    if parts.get("question_near") is not None and blend.question_near:
        out = out + blend.question_near * parts["question_near"]
    if parts.get("position") is not None and blend.position:
        out = out + blend.position * parts["position"][blend.bandwidth]
    linear = parts.get("linear")
    if linear is not None and (blend.linear or blend.linear_growth):
        w = blend.linear + (parts["per_code"] / blend.linear_growth if blend.linear_growth else 0)
        if parts.get("trust") is not None:
            w = w * parts["trust"]  # per code: lower where `add` taught it since the fit
        out = out + w * linear
        if blend.normalise:
            out = out / (1.0 + w)
    if blend.group and out.size:
        temperature = suggest.THEME_TEMPERATURE
        out = out + blend.group * temperature * _group_log_share(out, parts["groups"], temperature)
    for name in ("embed_centroid", "embed_ridge"):
        weight = getattr(blend, name)
        if weight and parts.get(name) is not None:
            out = out + weight * parts[name]
    return out


def _group_log_share(scores: np.ndarray, groups: np.ndarray, temperature: float) -> np.ndarray:
    """(passages, codes): log of each code's group share (softmax at `temperature`,
    summed over the group's codes)."""
    weights = np.exp((scores - scores.max(axis=1, keepdims=True)) / temperature)
    member = np.zeros((len(groups), int(groups.max()) + 1))
    member[np.arange(len(groups)), groups] = 1.0
    sums = weights @ member
    shares = sums / sums.sum(axis=1, keepdims=True)
    return np.log(np.maximum(shares[:, groups], 1e-300))
