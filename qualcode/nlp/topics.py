"""Topic-shift suggestions: a TextTiling-style lexical-cohesion segmenter over sentences.

Hearst's TextTiling compares the vocabulary of adjacent blocks of text and proposes a
boundary where cohesion dips deepest. Here the units are the sentences qualcode already
stores (so a proposal is always a sentence boundary, usable as an excerpt boundary):

1. terms: spaCy tokens of each sentence, lower-cased norm form (lemma when a trained
   pipeline gives one), alphabetic, stop words removed, crude plural folding;
2. block comparison: at each gap, cosine similarity of the term counts of the `block`
   sentences before and after it, counts weighted by within-document IDF so that words
   spread all over the document say little about where topics change;
3. smoothing: moving average of the similarity curve;
4. depth score of each valley: (highest point climbing left - s) + (highest point
   climbing right - s);
5. boundaries at valleys deeper than mean - sd/2 of the valley depths, at most one
   within `min_segment` sentences (deepest first).

Pure numpy once terms are extracted; spaCy is only needed by `sentence_terms`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np


def fold(word: str) -> str:
    """Crude plural folding ("patients" -> "patient") so blocks match across number."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def token_terms(doc) -> list[str]:
    """Content terms of a spaCy Doc or Span (see module docstring, step 1)."""
    out = []
    for token in doc:
        if token.is_stop or not token.is_alpha or len(token) < 3:
            continue
        lemma = token.lemma_
        word = lemma.lower() if lemma else token.norm_
        out.append(fold(word))
    return out


def sentence_terms(nlp, sentences: Sequence[str]) -> list[list[str]]:
    """Terms of each sentence text, tokenized with the pipeline's tokenizer only."""
    return [token_terms(doc) for doc in nlp.tokenizer.pipe(sentences, batch_size=512)]


def topic_boundaries(
    terms: Sequence[Sequence[str]], block: int = 4, smoothing: int = 1, min_segment: int = 3
) -> list[int]:
    """Indices i of the sentences that start a new topic (never 0).

    `terms` holds each sentence's content terms in order; `block` is the number of
    sentences compared on each side of a gap; `smoothing` the half-width of the moving
    average; `min_segment` the fewest sentences allowed between two boundaries.
    """
    n = len(terms)
    if n < 2 * min_segment:
        return []
    matrix = _weighted_counts(terms)
    gaps = np.arange(1, n)
    raw = np.array([_block_cosine(matrix, int(g), block) for g in gaps])
    similarity = _smooth(raw, smoothing)
    depth = _depth_scores(similarity)
    valleys = [j for j in range(len(gaps)) if depth[j] > 0 and _is_valley(similarity, j)]
    if not valleys:
        return []
    values = depth[valleys]
    cutoff = values.mean() - values.std() / 2
    chosen: list[int] = []
    for j in sorted(valleys, key=lambda j: -depth[j]):
        gap = _sharpen(raw, j, smoothing) + 1
        if depth[j] <= cutoff or gap < min_segment or n - gap < min_segment:
            continue
        if all(abs(gap - other) >= min_segment for other in chosen):
            chosen.append(gap)
    return sorted(chosen)


def _sharpen(raw: np.ndarray, j: int, reach: int) -> int:
    """Smoothing blurs where a valley bottoms out: take the lowest raw gap nearby."""
    low, high = max(0, j - reach), min(len(raw), j + reach + 1)
    return low + int(np.argmin(raw[low:high]))


def _weighted_counts(terms: Sequence[Sequence[str]]) -> np.ndarray:
    vocabulary: dict[str, int] = {}
    for sentence in terms:
        for word in sentence:
            vocabulary.setdefault(word, len(vocabulary))
    matrix = np.zeros((len(terms), max(1, len(vocabulary))))
    for row, sentence in enumerate(terms):
        for word, count in Counter(sentence).items():
            matrix[row, vocabulary[word]] = count
    document_frequency = (matrix > 0).sum(axis=0)
    idf = np.log((1 + len(terms)) / (1 + document_frequency)) + 1.0
    return matrix * idf


def _block_cosine(matrix: np.ndarray, gap: int, block: int) -> float:
    left = matrix[max(0, gap - block) : gap].sum(axis=0)
    right = matrix[gap : gap + block].sum(axis=0)
    norm = math.sqrt(float(left @ left) * float(right @ right))
    return float(left @ right) / norm if norm else 0.0


def _smooth(values: np.ndarray, half_width: int) -> np.ndarray:
    if half_width <= 0 or len(values) < 3:
        return values
    padded = np.pad(values, half_width, mode="edge")
    kernel = np.ones(2 * half_width + 1) / (2 * half_width + 1)
    return np.convolve(padded, kernel, mode="valid")


def _depth_scores(similarity: np.ndarray) -> np.ndarray:
    n = len(similarity)
    depth = np.zeros(n)
    for j in range(n):
        left = j
        while left > 0 and similarity[left - 1] >= similarity[left]:
            left -= 1
        right = j
        while right < n - 1 and similarity[right + 1] >= similarity[right]:
            right += 1
        depth[j] = (similarity[left] - similarity[j]) + (similarity[right] - similarity[j])
    return depth


def _is_valley(similarity: np.ndarray, j: int) -> bool:
    left = similarity[j - 1] if j > 0 else math.inf
    right = similarity[j + 1] if j < len(similarity) - 1 else math.inf
    return similarity[j] <= left and similarity[j] <= right
