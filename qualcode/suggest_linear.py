"""The discriminative half of the code suggester: a linear SVM over word and character
n-grams, the question and the context codes, refitted from scratch (not incrementally).

Why a second model: the centroid model (qualcode.suggest) learns a coding at once, but
it only measures likeness to each code on its own; a model fitted to tell the codes
apart learns which words separate close codes. On the NHS FFT answers (not tuned on) it
raised code top-3 from 73.0 to 86.6 %. Its cost is a refit (about 0.3-2 s of CPU for
1,000-3,000 codings), so the workbench refits it in a background thread and blends in
the latest fit (qualcode.suggest_session); the centroid model covers the codings made
since.

Features, fitted on the training passages (so, unlike the centroid model's hashed
features, the vocabulary is the project's own and small): TF-IDF (sublinear tf) of word
1-2-grams and of character 3-5-grams within words, each at most LINEAR_FEATURES terms
seen in MIN_DF passages or more; TF-IDF of the question's words times QUESTION_WEIGHT; the
neighbouring and participant codes, hashed, L2-normalised, times CONTEXT_WEIGHT.
Classifier: scikit-learn's LinearSVC (one-vs-rest, squared hinge loss, C = LINEAR_C),
Fan et al. 2008, "LIBLINEAR: a library for large linear classification", JMLR 9.
LINEAR_FEATURES was chosen on napire2018 last session, LINEAR_C by bench/tune_suggest.py.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

LINEAR_C = 1.0  # chosen by bench/tune_suggest.py (0.1 and 0.3 tried)
LINEAR_FEATURES = 20_000  # per vocabulary (word n-grams, character n-grams)
MIN_DF = 2  # a term must be seen in two passages (from MIN_DF_ROWS rows on; below, one:
MIN_DF_ROWS = 1000  # in a small project a code's description words are often seen once)
CONTEXT_FEATURES = 2**10


class LinearCodeModel:
    """Fitted once from `rows` = (code index 0..n_codes-1, text, suggest.Context).
    `scores_many` gives decision values, shape (len(texts), n_codes) (float32; a code
    with no row scores -1). Raises ValueError if `rows` hold fewer than two codes (a
    one-code project has nothing to tell apart: the caller keeps the centroids alone).
    Rows with the same text and context are one passage with several codes: then each
    code gets a binary SVM of its own (_fit_multilabel)."""

    def __init__(
        self,
        n_codes: int,
        rows: Sequence[tuple],
        *,
        question_weight: float,
        context_weight: float,
    ):
        from sklearn.feature_extraction import FeatureHasher
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts, contexts, label_sets = _passages(rows)
        present = np.unique([code for codes in label_sets for code in codes])
        if len(present) < 2:
            raise ValueError("a linear model needs passages of at least two codes")
        self.n_codes = n_codes
        self.n_rows = len(rows)
        # rows of each code fitted on (a coding or a label each): how stale the fit is
        self.rows_per_code = np.bincount(
            np.array([int(r[0]) for r in rows], dtype=np.int64), minlength=n_codes
        )
        self.n_passages = len(texts)
        self._question_weight = question_weight
        self._context_weight = context_weight
        min_df = MIN_DF if len(rows) >= MIN_DF_ROWS else 1
        settings = {"sublinear_tf": True, "dtype": np.float32, "min_df": min_df}
        self._words = TfidfVectorizer(ngram_range=(1, 2), max_features=LINEAR_FEATURES, **settings)
        self._chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), max_features=LINEAR_FEATURES, **settings
        )
        self._question = TfidfVectorizer(dtype=np.float32)
        self._context = FeatureHasher(
            n_features=CONTEXT_FEATURES, input_type="string", alternate_sign=False
        )
        self._words.fit(texts)
        self._chars.fit(texts)
        self._question.fit([_question(c) for c in contexts])
        matrix = self._features(texts, contexts)
        self._coef = np.zeros((n_codes, matrix.shape[1]), dtype=np.float32)
        self._intercept = np.full(n_codes, -1.0, dtype=np.float32)
        with warnings.catch_warnings():  # "more classes than half the samples": expected
            warnings.simplefilter("ignore")
            if all(len(codes) == 1 for codes in label_sets):
                self._fit_multiclass(matrix, [next(iter(c)) for c in label_sets], present)
            else:
                self._fit_multilabel(matrix, label_sets, present)

    def _fit_multiclass(self, matrix, labels: list[int], present: np.ndarray) -> None:
        """One passage, one code: LinearSVC's own one-vs-rest (one liblinear call)."""
        from sklearn.svm import LinearSVC

        classifier = LinearSVC(C=LINEAR_C).fit(matrix, np.asarray(labels, dtype=np.int64))
        coef = np.asarray(classifier.coef_, dtype=np.float32)
        intercept = np.asarray(classifier.intercept_, dtype=np.float32)
        if len(present) == 2:  # scikit-learn keeps one row for two classes: +class 1
            coef = np.vstack([-coef, coef])
            intercept = np.concatenate([-intercept, intercept])
        self._coef[classifier.classes_] = coef
        self._intercept[classifier.classes_] = intercept

    def _fit_multilabel(self, matrix, label_sets: list[set[int]], present: np.ndarray) -> None:
        """Some passages have several codes: one binary LinearSVC per code, whose
        positives are the passages with the code and negatives those without it (with
        one row per coding, a passage with codes A and B would be a negative of A as
        well as a positive: the multiclass fit learns against itself)."""
        from sklearn.svm import LinearSVC

        for code in present:
            y = np.fromiter((code in codes for codes in label_sets), dtype=bool)
            if y.all():
                self._intercept[code] = 1.0
                continue
            classifier = LinearSVC(C=LINEAR_C).fit(matrix, y)
            self._coef[code] = classifier.coef_[0]
            self._intercept[code] = classifier.intercept_[0]

    def _features(self, texts: Sequence[str], contexts: Sequence):
        from scipy import sparse
        from sklearn.preprocessing import normalize

        tokens = [
            [f"n{c}" for c in ctx.neighbours] + [f"p{c}" for c in ctx.participant] or ["none"]
            for ctx in contexts
        ]
        hashed = self._context.transform(tokens).astype(np.float32)
        return sparse.hstack(
            [
                self._words.transform(texts),
                self._chars.transform(texts),
                self._question_weight * self._question.transform([_question(c) for c in contexts]),
                self._context_weight * normalize(hashed),
            ]
        ).tocsr()

    def scores_many(self, texts: Sequence[str], contexts: Sequence) -> np.ndarray:
        """Decision values (len(texts), n_codes): > 0 means "this code" to its SVM."""
        if not len(texts):
            return np.zeros((0, self.n_codes), dtype=np.float32)
        return self._features(texts, contexts) @ self._coef.T + self._intercept


def _passages(rows: Sequence[tuple]) -> tuple[list[str], list, list[set[int]]]:
    """Rows (code, text, Context), one per coding, grouped into passages: the same text
    with the same context is one passage with the set of its codes (a span coded twice,
    by two codes or two coders). Returns (texts, contexts, code sets), in first-seen order."""
    index: dict[tuple, int] = {}
    texts: list[str] = []
    contexts: list = []
    codes: list[set[int]] = []
    for code, text, context in rows:
        key = (
            text,
            context.question,
            tuple(context.neighbours),
            tuple(context.participant),
        )
        if key not in index:
            index[key] = len(texts)
            texts.append(text)
            contexts.append(context)
            codes.append(set())
        codes[index[key]].add(int(code))
    return texts, contexts, codes


def _question(context) -> str:
    return context.question or "none"
