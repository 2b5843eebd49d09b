"""Three priors of the code suggester (qualcode.suggest) that need no text model:

- where the passage sits in its document (interviews follow a guide: the codes given at a
  similar relative position in other participants' documents are likelier here), and
- which top-level theme the question it answers calls for (a survey's "cause" question is
  answered with Causes codes only).

- which codes answered questions like this one (the same guide question in other
  words: a nearest-neighbour vote over the questions, QuestionNeighbours).

All are log ratios against the codes' overall shares (pointwise mutual information), so 0
means "no evidence", and both update with one coding at a time (`add`, microseconds).
Shapes: n = number of codes; a prior is an array (passages, n). Positions are relative:
the passage's start offset divided by its document's length in characters, 0..1.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

POSITION_BANDWIDTH = 0.02  # Gaussian kernel width, in document lengths (bench/tune_suggest.py)
POSITION_ALPHA = 1.0  # pseudo-codings smoothing P(code | position) toward P(code)
THEME_ALPHA = 2.0  # pseudo-codings smoothing P(theme | question) toward P(theme)
QUESTION_NEIGHBOURS = 20  # codings whose questions vote (QuestionNeighbours)
QUESTION_NEAR_ALPHA = 2.0  # pseudo-codings smoothing P(code | similar questions)


class PositionPrior:
    """The relative positions of the codings learnt, by code, and the prior they give:
    log P(code | position) - log P(code), where P(code | position) is a Gaussian kernel
    density of the code's codings at the passage's position (Parzen window, bandwidth in
    document lengths), smoothed with POSITION_ALPHA pseudo-codings spread by the codes'
    shares. A passage without a position, or a suggester whose codings have none, gets 0."""

    def __init__(self, n_codes: int):
        self.n_codes = n_codes
        self._rows: list[int] = []  # code index of each coding with a position
        self._positions: list[float] = []

    def add(self, row: int, position: float | None) -> None:
        if position is not None:
            self._rows.append(row)
            self._positions.append(float(position))

    def __len__(self) -> int:
        return len(self._rows)

    def prior(
        self,
        positions: Sequence[float | None],
        shares: np.ndarray,
        bandwidth: float = POSITION_BANDWIDTH,
    ) -> np.ndarray:
        """(len(positions), n): the log ratio above; `shares` (n,): P(code), summing to 1."""
        out = np.zeros((len(positions), self.n_codes))
        asked = [i for i, p in enumerate(positions) if p is not None]
        if not asked or not self._rows:
            return out
        at = np.array([positions[i] for i in asked], dtype=np.float64)[:, None]
        kernel = np.exp(-0.5 * ((at - np.array(self._positions)[None, :]) / bandwidth) ** 2)
        density = np.zeros((len(asked), self.n_codes))
        np.add.at(density.T, np.array(self._rows), kernel.T)  # (asked, n): summed by code
        smoothed = density + POSITION_ALPHA * shares
        total = density.sum(axis=1, keepdims=True) + POSITION_ALPHA
        out[asked] = np.log(smoothed / total) - np.log(shares)
        return out


def question_theme_prior(
    by_question: Sequence[np.ndarray | None], themes: np.ndarray, shares: np.ndarray
) -> np.ndarray:
    """(passages, n): log P(theme | question) - log P(theme) for each code's top-level
    theme. `by_question[i]`: the code counts (n,) of the codings whose passages answered
    passage i's question (None: a question never seen, or none: 0 for that passage);
    `themes` (n,): each code's theme index; `shares` (n,): P(code). P(theme | question)
    is smoothed with THEME_ALPHA pseudo-codings spread by the themes' shares."""
    n_themes = int(themes.max()) + 1 if len(themes) else 0
    out = np.zeros((len(by_question), len(themes)))
    theme_share = np.bincount(themes, weights=shares, minlength=n_themes)
    for i, counts in enumerate(by_question):
        if counts is None:
            continue
        per_theme = np.bincount(themes, weights=counts, minlength=n_themes)
        p = (per_theme + THEME_ALPHA * theme_share) / (per_theme.sum() + THEME_ALPHA)
        out[i] = (np.log(p) - np.log(theme_share))[themes]
    return out


class QuestionNeighbours:
    """The questions of the codings learnt, as words, and the prior they give: log
    P(code | similar questions) - log P(code). Interviewers ask the guide's questions in
    their own words, so an exact match (suggest's question prior) misses most of them:
    here a question is matched by the cosine of IDF-weighted binary word vectors (hashed:
    2**14 features; IDF over the distinct questions seen), and the codes of the
    QUESTION_NEIGHBOURS most similar codings' questions vote with their cosines, smoothed
    with QUESTION_NEAR_ALPHA pseudo-codings spread by the codes' shares. 0 for a passage
    without a question, or one sharing no word with any question learnt."""

    def __init__(self, n_codes: int):
        from sklearn.feature_extraction.text import HashingVectorizer

        self.n_codes = n_codes
        self._words = HashingVectorizer(
            n_features=2**14, binary=True, norm=None, alternate_sign=False
        )
        self._rows: list[int] = []
        self._vectors: list = []  # sparse (1, 2**14) rows, stacked lazily
        self._stacked = None
        self._seen: set[str] = set()
        self._df = np.zeros(2**14)

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, row: int, question: str) -> None:
        key = " ".join(question.lower().split())
        if not key:
            return
        vector = self._words.transform([key])
        if key not in self._seen:
            self._seen.add(key)
            self._df[vector.indices] += 1
        self._rows.append(row)
        self._vectors.append(vector)
        self._stacked = None

    def prior(self, questions: Sequence[str], shares: np.ndarray) -> np.ndarray:
        """(len(questions), n): the log ratio above; `shares` (n,): P(code)."""
        from scipy import sparse
        from sklearn.preprocessing import normalize

        out = np.zeros((len(questions), self.n_codes))
        if not self._rows:
            return out
        idf = sparse.diags(np.log((1 + len(self._seen)) / (1 + self._df)) + 1.0)
        if self._stacked is None:
            self._stacked = sparse.vstack(self._vectors).tocsr()
        known = normalize(self._stacked @ idf)
        asked = normalize(self._words.transform([q.lower() for q in questions]) @ idf)
        sims = (asked @ known.T).toarray()  # (questions, codings)
        k = min(QUESTION_NEIGHBOURS, sims.shape[1])
        nearest = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        votes = np.zeros((len(questions), self.n_codes))
        np.add.at(
            votes,
            (np.arange(len(questions))[:, None], np.asarray(self._rows)[nearest]),
            np.take_along_axis(sims, nearest, 1),
        )
        total = votes.sum(axis=1, keepdims=True)
        smoothed = (votes + QUESTION_NEAR_ALPHA * shares) / (total + QUESTION_NEAR_ALPHA)
        out = np.log(smoothed) - np.log(shares)
        out[total[:, 0] <= 0] = 0.0
        return out
