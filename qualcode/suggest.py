"""Code suggestions: rank codes for a passage by similarity to what each code means.

A code is described by its name/path and description and by the excerpts already coded
with it. Each is turned into a TF-IDF vector over spaCy-normalised terms (lower-cased
norm or lemma, stop words out, plural folded); a passage is scored against each code as

    score = LABEL_WEIGHT * cos(passage, name + description)
          + EXCERPT_WEIGHT * cos(passage, centroid of the code's excerpts)
          (+ VECTOR_WEIGHT * cos of mean word vectors, when the pipeline has vectors)

The suggester is read-only: it is built from plain lists and never touches the project,
so it cannot write a coding. Only numpy (which comes with spaCy) is needed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

LABEL_WEIGHT = 0.35
EXCERPT_WEIGHT = 1.0
VECTOR_WEIGHT = 0.5
MAX_EXCERPTS_PER_CODE = 400  # enough for a centroid; keeps fitting fast on 1M codings


@dataclass(frozen=True)
class CodeLabel:
    id: int
    path: str
    description: str = ""


def _code_label(code) -> CodeLabel:
    if isinstance(code, CodeLabel):
        return code
    if isinstance(code, (tuple, list)):
        return CodeLabel(int(code[0]), str(code[1]), str(code[2] if len(code) > 2 else "") or "")
    return CodeLabel(int(code.id), str(code.path), getattr(code, "description", "") or "")


def _excerpt(row) -> tuple[int, str]:
    if isinstance(row, (tuple, list)):
        return int(row[0]), str(row[1])
    return int(row.code_id), str(row.text)


class CodeSuggester:
    """Built once from (codes, excerpts); `.suggest(text)` is then a few matrix products."""

    def __init__(
        self,
        codes: Iterable,
        excerpts: Iterable = (),
        *,
        lang: str = "en",
        nlp=None,
        max_excerpts_per_code: int = MAX_EXCERPTS_PER_CODE,
    ):
        from qualcode.nlp.pipeline import has_vectors, make_pipeline

        self.nlp = nlp if nlp is not None else make_pipeline(lang)
        self.codes = [_code_label(c) for c in codes]
        self._row = {c.id: i for i, c in enumerate(self.codes)}
        by_code: dict[int, list[str]] = {}
        for code_id, text in map(_excerpt, excerpts):
            texts = by_code.setdefault(code_id, [])
            if code_id in self._row and len(texts) < max_excerpts_per_code and text.strip():
                texts.append(text)
        label_texts = [_label_text(c) for c in self.codes]
        excerpt_owner = [cid for cid, texts in by_code.items() for _ in texts]
        excerpt_texts = [t for texts in by_code.values() for t in texts]
        docs = list(self.nlp.tokenizer.pipe(label_texts + excerpt_texts, batch_size=256))
        terms = [_terms(d) for d in docs]
        self._fit_idf(terms)
        n = len(self.codes)
        self.label_matrix = _normalise_rows(
            np.array([self._vector(t) for t in terms[:n]]).reshape(n, -1)
        )
        centroids = np.zeros_like(self.label_matrix)
        self.has_excerpts = np.zeros(n, dtype=bool)
        for owner, t in zip(excerpt_owner, terms[n:]):
            vec = self._vector(t)
            norm = np.linalg.norm(vec)
            if norm:
                centroids[self._row[owner]] += vec / norm
                self.has_excerpts[self._row[owner]] = True
        self.centroid_matrix = _normalise_rows(centroids)
        self.vector_matrix = None
        if has_vectors(self.nlp):  # mean word vector of each code's label and excerpts
            sums = np.array([_mean_vector(d) for d in docs[:n]]).reshape(n, -1)
            for owner, doc in zip(excerpt_owner, docs[n:]):
                sums[self._row[owner]] += _mean_vector(doc)
            self.vector_matrix = _normalise_rows(sums)

    def _fit_idf(self, terms: list[list[str]]) -> None:
        df = Counter(word for t in terms for word in set(t))
        self.vocabulary = {word: i for i, word in enumerate(sorted(df))}
        total = max(1, len(terms))
        self.idf = np.array([math.log((1 + total) / (1 + df[w])) + 1.0 for w in sorted(df)])

    def _vector(self, terms: list[str]) -> np.ndarray:
        vec = np.zeros(len(self.vocabulary))
        for word, count in Counter(terms).items():
            index = self.vocabulary.get(word)
            if index is not None:
                vec[index] = 1.0 + math.log(count)
        return vec * self.idf

    def scores(self, text: str) -> np.ndarray:
        """Score of every code (in `self.codes` order) for this passage."""
        doc = self.nlp.make_doc(text)
        query = self._vector(_terms(doc))
        norm = np.linalg.norm(query)
        if not len(self.codes):
            return np.zeros(0)
        scores = np.zeros(len(self.codes))
        if norm:
            query = query / norm
            scores += LABEL_WEIGHT * (self.label_matrix @ query)
            scores += EXCERPT_WEIGHT * (self.centroid_matrix @ query)
        if self.vector_matrix is not None:
            mean = _mean_vector(doc)
            mean_norm = np.linalg.norm(mean)
            if mean_norm:
                scores += VECTOR_WEIGHT * (self.vector_matrix @ (mean / mean_norm))
        return scores

    def suggest(self, text: str, k: int = 3) -> list[tuple[int, float]]:
        """The k best codes as (code_id, score), best first; codes scoring 0 are left out."""
        scores = self.scores(text)
        order = np.argsort(-scores, kind="stable")[: max(0, k)]
        return [(self.codes[i].id, round(float(scores[i]), 4)) for i in order if scores[i] > 0]


def _label_text(code: CodeLabel) -> str:
    # "Career design/Right of choice" -> words; the leaf counts twice: it is the most specific.
    parts = [p for p in re.split(r"[/>]+", code.path) if p.strip()]
    leaf = parts[-1] if parts else code.path
    return " ".join([*parts, leaf, code.description]).replace("_", " ").replace("-", " ")


def _terms(doc) -> list[str]:
    from qualcode.nlp.topics import token_terms

    return token_terms(doc)


def _mean_vector(doc) -> np.ndarray:
    vectors = [t.vector for t in doc if t.has_vector and not t.is_stop and t.is_alpha]
    if not vectors:
        return np.zeros(doc.vocab.vectors.shape[1])
    return np.mean(vectors, axis=0)


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    if matrix.size == 0:
        return matrix
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms
