"""Code suggestions: a linear model that learns from the project's own coding.

Each coded passage is a training example for its code, described by what a coder sees:

- the passage itself: word 1-2-grams and character 2-5-grams (within words), hashed
  (scikit-learn's HashingVectorizer, so a new coding never changes the feature space);
- the question it answers (the interviewer's turn before it, or the survey question),
  as hashed words, weighted QUESTION_WEIGHT;
- the codes around it: codes of neighbouring codings in the same document and the
  participant's other codings, as hashed "code present" features, weighted CONTEXT_WEIGHT;
- and every code's own name, path and description is one more example of that code
  (weighted LABEL_WEIGHT), so that a code with few or no codings can still be suggested.

The model is linear: each code's centroid (the weighted sum of its examples' feature
rows, IDF-weighted over all examples, L2-normalised; Rocchio's classifier, as in
Manning, Raghavan & Schuetze, Introduction to Information Retrieval, 2008, ch. 14), and a
passage's score for a code is the cosine with that centroid plus PRIOR_WEIGHT times the
code's share of codings (log scale). Unlike a model fitted by gradient descent it can be
updated exactly and at once: `add` adds one sparse row to one code's sum (milliseconds,
whatever the project's size; scikit-learn's SGDClassifier.partial_fit, tried first, took
seconds per coding over 172 codes). A top-level theme's score is the summed probability
of its codes (theme_shares), so themes and codes rank together.

More terms join the centroid's cosine (`combine` adds them up):
- LINEAR_WEIGHT times the decision values of a linear SVM fitted to tell the codes apart
  (qualcode.suggest_linear). It is refitted from scratch (`refit_linear`): at once when
  the suggester is built, and after `add`s whenever the caller chooses (the workbench's
  session does it in a background thread); until then the last fit is used, and for a
  code taught by `add` since, the SVM counts only for the share of its codings it saw.
- QUESTION_PRIOR_WEIGHT times log P(code | question): how often the code was given to
  passages answering the very same question (a survey question; an interview guide's
  question asked in the same words), smoothed toward the code's overall share.
- CONTEXT_PRIOR_WEIGHT times how much likelier the code is after the codes around the
  passage, and GROUP_WEIGHT times the log share of the code's parent group.
- Priors of qualcode.suggest_priors: QUESTION_THEME_WEIGHT times how much likelier the
  code's top-level theme is after the very same question (a survey's "cause" question
  is answered with Causes codes); QUESTION_NEAR_WEIGHT times how much likelier the code
  is after similar questions (an interview guide's question in other words: a
  nearest-neighbour vote over the questions' words); POSITION_WEIGHT times how much
  likelier the code is where the passage sits in its document (Context.position: an
  interview follows its guide; a kernel density over the codings' relative positions).

The weights were chosen by bench/tune_suggest.py on tuning parts of the real coded sets
(../shared/fixtures/nlp/code_suggestion, ../shared/fixtures/refi); bench/suggest.py
reports on other parts, participants held out.

The suggester is read-only towards the project: it is built from plain lists.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qualcode.suggest_blend import Blend, combine
from qualcode.suggest_priors import (
    POSITION_BANDWIDTH,
    PositionPrior,
    QuestionNeighbours,
    question_theme_prior,
)

WORD_FEATURES = 2**16
CHAR_FEATURES = 2**17
QUESTION_FEATURES = 2**12
CONTEXT_FEATURES = 2**12
QUESTION_WEIGHT = 0.7
CONTEXT_WEIGHT = 0.5
LABEL_WEIGHT = 1.0
PRIOR_WEIGHT = 0.1
KNN = 10
THEME_TEMPERATURE = 0.02  # softmax temperature of the code scores summed into themes
KNN_WEIGHT = 0.0
MAX_EXCERPTS_PER_CODE = 400  # kept for fitting: enough for a code, bounded at 1M codings
# LINEAR_WEIGHT, LINEAR_GROWTH, QUESTION_PRIOR_WEIGHT, CONTEXT_PRIOR_WEIGHT, GROUP_WEIGHT,
# QUESTION_THEME_WEIGHT, QUESTION_NEAR_WEIGHT, POSITION_WEIGHT, its bandwidth and
# suggest_linear.LINEAR_C were chosen by bench/tune_suggest.py (576 blends x 2 values of
# C, then 160 settings of the suggest_priors terms) on the TUNING halves of napire2018 and
# NHS FFT and the two REFI projects (questions and positions as the workbench gives
# them): the best mean code@3 over the four, 54.1 % (napire half 41.2 %, NHS half 83.4 %,
# qc demo 53.9 %, oltas 38.0 %; without the new priors 53.8 %: 39.6, 83.6, 53.9, 38.0 %).
# The position and similar-question priors were not chosen (0): on these parts they
# moved code@3 by less than a passage's worth or lowered it. bench/suggest.py reports on
# the reporting halves, and on each REFI project with weights chosen without it.
LINEAR_WEIGHT = 3.0  # the discriminative model's decision values (qualcode.suggest_linear)
QUESTION_PRIOR_WEIGHT = 0.05  # log P(code | the same question), see _question_prior
QUESTION_PRIOR_ALPHA = 2.0  # pseudo-counts smoothing P(code | question) toward P(code)
LINEAR_GROWTH = 0.0  # codings per code that add 1 to LINEAR_WEIGHT (0: the weight is fixed)
CONTEXT_PRIOR_WEIGHT = 0.0  # log P(code | context codes) / P(code), see _context_prior
GROUP_WEIGHT = 0.5  # log share of the code's parent group (theme-conditioned ranking)
POSITION_WEIGHT = 0.0  # log P(code | relative position) / P(code) (suggest_priors)
QUESTION_THEME_WEIGHT = 0.3  # log P(theme | the same question) / P(theme) (suggest_priors)
QUESTION_NEAR_WEIGHT = 0.0  # log P(code | similar questions) / P(code) (suggest_priors)
# the sentence model's parts (qualcode.suggest_embed: all-MiniLM-L6-v2, or the multilingual
# model with the same weights, not tuned again); chosen by bench/tune_suggest.py (stage 3,
# 30 weightings on top of the choice above, with all-MiniLM-L6-v2) on the same tuning parts: code@3 napire half 41.2 -> 46.5 %, NHS half
# 83.4 -> 85.5 %, qc demo 53.9 -> 60.5 % (oltas, Hungarian, does not use it: 38.0 %)
EMBED_CENTROID_WEIGHT = 1.0  # cosine with the code's centroid of sentence vectors
EMBED_RIDGE_WEIGHT = 2.0  # the ridge classifier over sentence vectors


@dataclass(frozen=True)
class CodeLabel:
    id: int
    path: str
    description: str = ""


@dataclass(frozen=True)
class Context:
    """What surrounds a passage: `question` (text it answers), `neighbours` (code ids of
    codings near it in its document) and `participant` (code ids of the participant's
    other codings), `position` (where it starts in its document, as a share of the
    document's length: interviews follow a guide), `group` (its document, so that
    qualcode.suggest_adapt holds a document's codings out together). All optional."""

    question: str = ""
    neighbours: Sequence[int] = field(default_factory=tuple)
    participant: Sequence[int] = field(default_factory=tuple)
    position: float | None = None  # passage start / document length (0..1); None: unknown
    group: Any = None  # the document (or participant) it is from: held out together


NO_CONTEXT = Context()


def default_blend() -> Blend:
    """The module's weights as they are now (tests may patch them)."""
    return Blend(
        prior=PRIOR_WEIGHT,
        linear=LINEAR_WEIGHT,
        linear_growth=LINEAR_GROWTH,
        question=QUESTION_PRIOR_WEIGHT,
        group=GROUP_WEIGHT,
        context=CONTEXT_PRIOR_WEIGHT,
        position=POSITION_WEIGHT,
        question_theme=QUESTION_THEME_WEIGHT,
        question_near=QUESTION_NEAR_WEIGHT,
        bandwidth=POSITION_BANDWIDTH,
        embed_centroid=EMBED_CENTROID_WEIGHT,
        embed_ridge=EMBED_RIDGE_WEIGHT,
    )


def _sentence_model(embed, texts: list[str], lang: str):
    """CodeSuggester's `embed` argument -> a suggest_embed.SentenceModel or None."""
    if embed is False:
        return None
    from qualcode import suggest_embed

    if embed is None:
        return suggest_embed.choose_model(texts, lang)[0]
    if embed is True:
        if suggest_embed.installed():
            return suggest_embed.MINILM
        if suggest_embed.use_installed():
            return suggest_embed.MULTILINGUAL
        raise ModuleNotFoundError("no sentence model is installed")
    return embed


def _code_label(code) -> CodeLabel:
    if isinstance(code, CodeLabel):
        return code
    if isinstance(code, (tuple, list)):
        return CodeLabel(int(code[0]), str(code[1]), str(code[2] if len(code) > 2 else "") or "")
    return CodeLabel(int(code.id), str(code.path), getattr(code, "description", "") or "")


def _example(row) -> tuple[int, str, Context]:
    """(code_id, text[, Context]) tuples or objects with code_id and text."""
    if isinstance(row, (tuple, list)):
        context = row[2] if len(row) > 2 and isinstance(row[2], Context) else NO_CONTEXT
        return int(row[0]), str(row[1]), context
    return int(row.code_id), str(row.text), getattr(row, "context", NO_CONTEXT)


def theme_of(path: str) -> str:
    """Top-level theme of a code path ("Theme/Sub/Code" -> "Theme")."""
    return path.split("/", 1)[0]


class CodeSuggester:
    """Fitted once from (codes, excerpts); `suggest` is then one sparse product, and
    `add` updates the model with one new coding.

    `codes`: CodeLabel, (id, path[, description]) tuples or Code objects.
    `excerpts`: (code_id, text[, Context]) tuples or objects with code_id and text.
    `lang`: the project's language (ISO 639-1), which chooses the sentence model; the
    n-gram features are language-independent; `nlp` is accepted for compatibility and
    not used. `linear=False` leaves out the discriminative model (the plain centroid
    suggester, a benchmark row). `embed`: use a sentence model (qualcode.suggest_embed)
    — None: the one suggest_embed.choose_model picks for the excerpts (or, with none,
    the code labels) and `lang`, if any; True: all-MiniLM-L6-v2 when the `embeddings`
    extra is installed, else the multilingual model, whatever the language; a
    suggest_embed.SentenceModel: that one; False: none. `self.sentence_model` is the
    one chosen and `self.embedded` says whether it is in the scores yet. `adapt`: choose the weights on the project's own codings
    (qualcode.suggest_adapt; small projects only) around `base_blend` (None: the
    module's weights); `self.blend` is the choice, None while the module's weights
    (read at each ask) are used. `defer`: leave the sentence model and the choice of
    weights (seconds, for thousands of codings) to the first `refit_linear`, which the
    workbench's session runs in a background thread: the first suggestions come at once
    from the n-gram models."""

    def __init__(
        self,
        codes: Iterable,
        excerpts: Iterable = (),
        *,
        lang: str = "en",
        nlp=None,
        max_excerpts_per_code: int = MAX_EXCERPTS_PER_CODE,
        linear: bool = True,
        embed: bool | None = None,
        adapt: bool = True,
        base_blend: Blend | None = None,
        defer: bool = False,
    ):
        from scipy import sparse
        from sklearn.feature_extraction import FeatureHasher
        from sklearn.feature_extraction.text import HashingVectorizer

        self.lang = lang
        self.codes = [_code_label(c) for c in codes]
        self._row = {c.id: i for i, c in enumerate(self.codes)}
        group_names = [group_of(c.path) for c in self.codes]
        group_index = {g: i for i, g in enumerate(dict.fromkeys(group_names))}
        self._groups = np.array([group_index[g] for g in group_names], dtype=np.int64)
        themes = [theme_of(c.path) for c in self.codes]
        theme_index = {t: i for i, t in enumerate(dict.fromkeys(themes))}
        self._themes = np.array([theme_index[t] for t in themes], dtype=np.int64)
        self._positions = PositionPrior(len(self.codes))
        self._near_questions = QuestionNeighbours(len(self.codes))
        self._words = HashingVectorizer(
            ngram_range=(1, 2), n_features=WORD_FEATURES, alternate_sign=False
        )
        self._chars = HashingVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), n_features=CHAR_FEATURES, alternate_sign=False
        )
        self._question = HashingVectorizer(n_features=QUESTION_FEATURES, alternate_sign=False)
        self._context = FeatureHasher(
            n_features=CONTEXT_FEATURES, input_type="string", alternate_sign=False
        )
        kept: dict[int, int] = {}
        examples = []
        for code_id, text, context in map(_example, excerpts):
            if code_id in self._row and text.strip():
                kept[code_id] = kept.get(code_id, 0) + 1
                if kept[code_id] <= max_excerpts_per_code:
                    examples.append((code_id, text, context))
        labels = [(c.id, _label_text(c), NO_CONTEXT) for c in self.codes]
        self.n_examples = len(examples)
        rows = examples + labels
        if rows:
            matrix = self.features([t for _, t, _ in rows], [c for _, _, c in rows])
        else:  # no code at all: nothing to learn (scikit-learn's hasher fails on no rows)
            width = WORD_FEATURES + CHAR_FEATURES + QUESTION_FEATURES + CONTEXT_FEATURES
            matrix = sparse.csr_matrix((0, width))
        weights = np.array([1.0] * len(examples) + [LABEL_WEIGHT] * len(labels))
        owner = np.array([self._row[c] for c, _, _ in rows], dtype=np.int64)
        n = len(self.codes)
        pick = sparse.csr_matrix((weights, (owner, np.arange(len(rows)))), shape=(n, len(rows)))
        self._sums = (pick @ matrix).tocsr()  # per code: weighted sum of its examples
        # the examples themselves, for the nearest-neighbour term (labels are not examples)
        self._examples = [matrix[: len(examples)]]
        self._example_code = list(owner[: len(examples)])
        self._stacked: Any = None  # idf-weighted, normalised examples (set by _centroids)
        self._df = np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(float)
        self._docs = float(len(rows))
        self._counts = np.bincount(owner[: len(examples)], minlength=n).astype(float)
        self._weighted = None
        # rows the linear model is fitted on: the examples and the codes' labels
        self._linear_rows = [(self._row[c], t, x) for c, t, x in rows]
        self._linear: Any = None  # a LinearCodeModel once fitted
        self._by_question: dict[str, np.ndarray] = {}
        # _cooccur[a, b]: codings of code b whose context (neighbours, participant) has a
        self._cooccur = np.zeros((n, n), dtype=np.float32)
        for code_id, _, context in examples:
            self._count_question(self._row[code_id], context)
            self._count_context(self._row[code_id], context)
            self._positions.add(self._row[code_id], context.position)
            self._near_questions.add(self._row[code_id], context.question)
        self._embedding: Any = None  # a suggest_embed.EmbeddingCodeModel when used
        self._lock = threading.Lock()  # `add` against attaching the sentence model
        self._label_texts = [t for _, t, _ in labels]
        self._examples_kept = list(examples)  # for the sentence model, choosing weights
        self.sentence_model = _sentence_model(
            embed, [t for _, t, _ in examples] or self._label_texts, lang
        )
        # attached at once, or by the first refit_linear when deferred
        self._embed_pending = self.sentence_model is not None and defer
        if self.sentence_model is not None and not defer:
            self._attach_embedding()
        self._base_blend = base_blend
        self._adapt = adapt
        self.blend: Blend | None = None  # chosen by suggest_adapt; None: the module's
        self.adapted: dict = {"asked": 0, "folds": 0, "code3": {}}
        self._chosen_at = 0  # n_examples when the weights were last chosen
        self._linear_on = linear
        if linear:
            self._fit_linear()
        if not defer:
            self.choose_blend()

    def _attach_embedding(self) -> None:
        """Build the sentence model's part from the codings learnt so far and put it in
        (codings that `add` learns meanwhile are caught up under the lock)."""
        from qualcode.suggest_embed import EmbeddingCodeModel

        self._embed_pending = False
        rows = list(self._examples_kept)
        assert self.sentence_model is not None
        model = EmbeddingCodeModel(self._label_texts, self.sentence_model.encoder().encode)
        model.add([_embed_row(self._row[c], t, x) for c, t, x in rows if c in self._row])
        with self._lock:
            later = self._examples_kept[len(rows) :]
            model.add([_embed_row(self._row[c], t, x) for c, t, x in later if c in self._row])
            self._embedding = model

    def choose_blend(self) -> None:
        """Choose the weights on the project's own codings (qualcode.suggest_adapt),
        if `adapt` and the project is in its limits; sets `blend` and `adapted`. A few
        fits: call it from a background thread in an interface."""
        from qualcode import suggest_adapt

        if not self._adapt:
            return
        examples = list(self._examples_kept)
        base = self._base_blend or default_blend()

        def fit(rows):
            return CodeSuggester(
                self.codes,
                rows,
                lang=self.lang,
                adapt=False,
                embed=self.sentence_model if self.embedded else False,
                linear=self._linear_on,
            )

        blend, figures = suggest_adapt.choose_blend(examples, base, fit)
        self._chosen_at = len(examples)
        if figures["asked"]:
            self.blend, self.adapted = blend, figures

    @property
    def embedded(self) -> bool:
        """True when the sentence model's parts are in the scores."""
        return self._embedding is not None

    def features(self, texts: Sequence[str], contexts: Sequence[Context]):
        """Sparse feature rows (scipy CSR), one per text: n-grams, question, context codes."""
        from scipy import sparse
        from sklearn.preprocessing import normalize

        context_tokens = [
            [f"n{c}" for c in ctx.neighbours] + [f"p{c}" for c in ctx.participant] or ["none"]
            for ctx in contexts
        ]
        return sparse.hstack(
            [
                self._words.transform(texts),
                self._chars.transform(texts),
                QUESTION_WEIGHT * self._question.transform([c.question for c in contexts]),
                CONTEXT_WEIGHT * normalize(self._context.transform(context_tokens)),
            ]
        ).tocsr()

    def add(self, code_id: int, text: str, context: Context = NO_CONTEXT) -> None:
        """Learn from one new coding: its feature row is added to its code's sum (and to
        the document frequencies). Unknown codes and blank texts are ignored. Cost grows
        with the stored sums' size, not with refitting: about a millisecond at 1,000."""
        from scipy import sparse

        if code_id not in self._row or not text.strip():
            return
        x = self.features([text], [context])
        row = self._row[code_id]
        self._sums = self._sums + sparse.csr_matrix(
            (x.data, (np.full(x.nnz, row), x.indices)), shape=self._sums.shape
        )
        self._df[x.indices] += 1
        self._docs += 1
        self._counts[row] += 1
        self.n_examples += 1
        self._examples.append(x)
        self._example_code.append(row)
        self._weighted = None
        self._linear_rows.append((row, text, context))
        self._count_question(row, context)
        self._count_context(row, context)
        self._positions.add(row, context.position)
        self._near_questions.add(row, context.question)
        with self._lock:
            self._examples_kept.append((code_id, text, context))
            if self._embedding is not None:
                self._embedding.add([_embed_row(row, text, context)])

    def refit_linear(self) -> None:
        """Fit the linear model again on every example learnt so far (a second or so at a
        few thousand codings; safe to call from another thread than `add`'s: it fits on
        a snapshot of the rows and swaps the new model in whole). The first call of a
        deferred suggester also attaches the sentence model; the weights are chosen again
        once the codings have grown by a quarter (choose_blend)."""
        if self._embed_pending:
            self._attach_embedding()
        self._fit_linear()
        if len(self._examples_kept) >= max(1, 1.25 * self._chosen_at):  # grown a quarter
            self.choose_blend()

    def _fit_linear(self) -> None:
        from qualcode.suggest_linear import LinearCodeModel

        rows = list(self._linear_rows)
        try:
            self._linear = LinearCodeModel(
                len(self.codes),
                rows,
                question_weight=QUESTION_WEIGHT,
                context_weight=CONTEXT_WEIGHT,
            )
        except ValueError:  # fewer than two codes: nothing to tell apart
            self._linear = None

    @property
    def linear_examples(self) -> int:
        """Rows (codings and code labels) the current linear model was fitted on; 0 when
        there is none. Below len(codes) + n_examples, it lags behind `add`."""
        return 0 if self._linear is None else self._linear.n_rows

    def _count_question(self, row: int, context: Context) -> None:
        key = _question_key(context.question)
        if key:
            counts = self._by_question.setdefault(key, np.zeros(len(self.codes)))
            counts[row] += 1

    def _context_rows(self, context: Context) -> list[int]:
        codes = {*context.neighbours, *context.participant}
        return [self._row[c] for c in codes if c in self._row]

    def _count_context(self, row: int, context: Context) -> None:
        for other in self._context_rows(context):
            self._cooccur[other, row] += 1

    def _context_prior(self, contexts: Sequence[Context]) -> np.ndarray:
        """(passages, codes): how much likelier each code is given the codes around the
        passage (its neighbours' and the participant's other codes): the mean over those
        codes a of log P(code | a) - log P(code), P(code | a) counted from the codings
        whose context had a, smoothed with QUESTION_PRIOR_ALPHA pseudo-counts spread by
        the codes' overall shares (a pointwise mutual information); 0 without context."""
        out = np.zeros((len(contexts), len(self.codes)))
        share = (self._counts + 1) / (self._counts.sum() + len(self.codes))
        log_share = np.log(share)
        for i, context in enumerate(contexts):
            rows = self._context_rows(context)
            if rows:
                counts = self._cooccur[rows].astype(np.float64)
                smoothed = counts + QUESTION_PRIOR_ALPHA * share
                logs = np.log(smoothed / (counts.sum(axis=1, keepdims=True) + QUESTION_PRIOR_ALPHA))
                out[i] = logs.mean(axis=0) - log_share
        return out

    def _question_prior(self, contexts: Sequence[Context]) -> np.ndarray:
        """(passages, codes): log P(code | question), P estimated from the codings of
        passages with the same question (case and spacing ignored), each count smoothed
        with QUESTION_PRIOR_ALPHA pseudo-counts spread by the codes' overall shares;
        0 for a passage whose question was never seen (or that has none)."""
        out = np.zeros((len(contexts), len(self.codes)))
        share = (self._counts + 1) / (self._counts.sum() + len(self.codes))
        for i, context in enumerate(contexts):
            counts = self._by_question.get(_question_key(context.question))
            if counts is not None:
                smoothed = counts + QUESTION_PRIOR_ALPHA * share
                out[i] = np.log(smoothed / (counts.sum() + QUESTION_PRIOR_ALPHA))
        return out

    def _centroids(self):
        """IDF-weighted, L2-normalised code centroids (cached until the next `add`)."""
        from scipy import sparse
        from sklearn.preprocessing import normalize

        if self._weighted is None:
            idf = np.log((1 + self._docs) / (1 + self._df)) + 1.0
            self._idf = idf
            self._weighted = normalize(self._sums @ sparse.diags(idf)).tocsr()
            if len(self._examples) > 1:  # rows learnt by `add`, stacked once per refresh
                self._examples = [sparse.vstack(self._examples).tocsr()]
            examples = (self._examples[0] @ sparse.diags(idf)).tocsr()
            # no coding yet (codes known by their labels only): nothing to normalise
            self._stacked = normalize(examples) if examples.shape[0] else examples
        return self._weighted

    def scores(self, text: str, context: Context = NO_CONTEXT) -> np.ndarray:
        """Score of every code (in `self.codes` order) for this passage (see scores_many)."""
        if not self.codes:
            return np.zeros(0)
        return self.scores_many([text], [context])[0]

    def scores_many(self, texts: Sequence[str], contexts: Sequence[Context]) -> np.ndarray:
        """Scores, shape (len(texts), len(self.codes)), for many passages at once (one
        sparse product; what an evaluation or a batch of asks should use): the parts of
        `score_parts` added up by `combine` with the module's weights (parts weighed 0
        are not computed)."""
        blend = self.blend or default_blend()
        return combine(self.score_parts(texts, contexts, skip_unused=blend), blend)

    def score_parts(
        self,
        texts: Sequence[str],
        contexts: Sequence[Context],
        bandwidths: Sequence[float] | None = None,
        skip_unused: Blend | None = None,
    ) -> dict:
        """The parts a score is made of, for `combine` (a benchmark weighs them in many
        ways from one fit). Arrays of shape (len(texts), codes) unless said:
        - "centroid": the cosine with the code's centroid, plus KNN_WEIGHT * the summed
          cosines of the passage's KNN nearest coded passages that have the code (a
          nearest-neighbour vote: Yang 1999, "An evaluation of statistical approaches
          to text categorization");
        - "prior" (codes,): the code's share of codings, log scale, 0..1;
        - "linear": the linear model's decision values, or None when there is none;
        - "question": log P(code | question) (see _question_prior), or None when no
          coding has a question;
        - "context": log P(code | context codes) - log P(code) (see _context_prior), or
          None when no coding has context codes;
        - "position": {bandwidth: log P(code | relative position) - log P(code)} for each
          of `bandwidths` (None: POSITION_BANDWIDTH alone; suggest_priors.PositionPrior),
          or None when no coding has a position (or `skip_unused`, a Blend, weighs it 0);
        - "question_theme": log P(theme | question) - log P(theme) of each code's theme
          (suggest_priors.question_theme_prior), or None when no coding has a question;
        - "question_near": log P(code | similar questions) - log P(code)
          (suggest_priors.QuestionNeighbours), or None when no coding has a question (or
          `skip_unused` weighs it 0);
        - "embed_centroid", "embed_ridge": the sentence model's cosine with each code's
          centroid and its ridge classifier's values (qualcode.suggest_embed), or None
          when it is not used (or `skip_unused` weighs both 0);
        - "blend": the weights chosen on the project's own codings (suggest_adapt), or
          None when the module's are used;
        - "per_code" (float): codings learnt per code; "groups" (codes,): the index of
          each code's parent group (path without its leaf);
        - "trust" (codes,): the share of each code's codings the linear model was
          fitted on; below 1 for codes `add` taught since the fit (0 for a code it
          knew by its label only), so that a coding counts at once."""
        from sklearn.preprocessing import normalize

        n = len(self.codes)
        parts: dict[str, Any] = {
            "per_code": self.n_examples / max(1, n),
            "groups": self._groups,
            "prior": np.zeros(n),
            "linear": None,
            "question": None,
            "context": None,
            "position": None,
            "question_theme": None,
            "question_near": None,
            "embed_centroid": None,
            "embed_ridge": None,
            "blend": self.blend,
        }
        if not n or not len(texts):
            parts["centroid"] = np.zeros((len(texts), n))
            return parts
        centroids = self._centroids()
        x = normalize(self.features(texts, contexts).multiply(self._idf).tocsr())
        out = (x @ centroids.T).toarray()
        if KNN_WEIGHT and self._stacked.shape[0]:
            out += KNN_WEIGHT * self._knn_votes(x)
        parts["centroid"] = out
        parts["prior"] = np.log1p(self._counts) / np.log1p(max(1.0, self._counts.max()))
        linear = self._linear  # read once: a background refit may swap it
        if linear is not None:
            parts["linear"] = linear.scores_many(texts, contexts).astype(np.float64)
            # codings learnt by `add` since the fit: the SVM speaks for a code only in
            # proportion to the code's codings it was fitted on (its label row aside)
            now = np.bincount(np.asarray(self._example_code, dtype=np.int64), minlength=n)
            fitted = np.maximum(linear.rows_per_code[:n] - 1, 0)
            parts["trust"] = np.where(now > 0, np.minimum(1.0, fitted / np.maximum(now, 1)), 1.0)
        shares = (self._counts + 1) / (self._counts.sum() + n)
        if self._by_question:
            parts["question"] = self._question_prior(contexts)
            seen = [self._by_question.get(_question_key(c.question)) for c in contexts]
            parts["question_theme"] = question_theme_prior(seen, self._themes, shares)
            if skip_unused is None or skip_unused.question_near:
                questions = [c.question for c in contexts]
                parts["question_near"] = self._near_questions.prior(questions, shares)
        if len(self._positions) and (skip_unused is None or skip_unused.position):
            at = [c.position for c in contexts]
            bandwidths = (POSITION_BANDWIDTH,) if bandwidths is None else bandwidths
            parts["position"] = {h: self._positions.prior(at, shares, h) for h in bandwidths}
        if self._cooccur.any():
            parts["context"] = self._context_prior(contexts)
        if self._embedding is not None and (
            skip_unused is None or skip_unused.embed_centroid or skip_unused.embed_ridge
        ):
            parts.update(self._embedding.scores(texts, [c.question for c in contexts]))
        return parts

    def _knn_votes(self, x) -> np.ndarray:
        """(queries, codes): summed cosine of each query's KNN nearest examples, by code."""
        sims = (x @ self._stacked.T).toarray()
        k = min(KNN, sims.shape[1])
        nearest = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        votes = np.zeros((sims.shape[0], len(self.codes)))
        codes = np.asarray(self._example_code)[nearest]
        np.add.at(
            votes, (np.arange(sims.shape[0])[:, None], codes), np.take_along_axis(sims, nearest, 1)
        )
        return votes

    def suggest(
        self, text: str, k: int = 3, context: Context = NO_CONTEXT
    ) -> list[tuple[int, float]]:
        """The k best codes as (code_id, score in 0..1), best first."""
        scores = self.scores(text, context)
        order = np.argsort(-scores, kind="stable")[: max(0, k)]
        return [(self.codes[i].id, round(float(scores[i]), 4)) for i in order]

    def suggest_themes(
        self, text: str, k: int = 3, context: Context = NO_CONTEXT
    ) -> list[tuple[str, float]]:
        """The k best top-level themes as (theme name, share in 0..1), best first: see
        theme_shares."""
        shares = theme_shares([theme_of(c.path) for c in self.codes], self.scores(text, context))
        ranked = sorted(shares.items(), key=lambda item: -item[1])[: max(0, k)]
        return [(theme, round(share, 4)) for theme, share in ranked]


def group_of(path: str) -> str:
    """A code's parent group: its path without the leaf ("A/B/c" -> "A/B"); a
    top-level code is its own group."""
    return path.rsplit("/", 1)[0] if "/" in path else path


def theme_shares(themes: Sequence[str], scores: np.ndarray) -> dict[str, float]:
    """Each theme's share of the passage: the codes' scores turned into probabilities
    (softmax at temperature THEME_TEMPERATURE) and summed over each theme's codes
    (`themes[i]` is code i's theme), so a theme many of whose codes fit outranks one
    with a single close code. Shares add up to 1. THEME_TEMPERATURE was chosen on
    napire2018 (theme top-1 49.5 -> 52.0 %, top-3 83.3 -> 84.3 % against the best code's
    score; on NHS FFT, not tuned on, no change)."""
    if not len(scores):
        return {}
    weights = np.exp((scores - scores.max()) / THEME_TEMPERATURE)
    weights /= weights.sum()
    out: dict[str, float] = {}
    for theme, weight in zip(themes, weights):
        out[theme] = out.get(theme, 0.0) + float(weight)
    return out


def _embed_row(row: int, text: str, context: Context) -> tuple:
    """A coding as suggest_embed.EmbeddingCodeModel.add takes it: (code index, text,
    question, passage key); the key is suggest_linear's: one passage, several codes."""
    key = (text, context.question, tuple(context.neighbours), tuple(context.participant))
    return row, text, context.question, key


def _question_key(question: str) -> str:
    return " ".join(question.lower().split())


def _label_text(code: CodeLabel) -> str:
    # "Career design/Right of choice" -> words; the leaf counts twice: it is the most specific.
    parts = [p for p in code.path.replace(">", "/").split("/") if p.strip()]
    leaf = parts[-1] if parts else code.path
    return " ".join([*parts, leaf, code.description]).replace("_", " ").replace("-", " ")
