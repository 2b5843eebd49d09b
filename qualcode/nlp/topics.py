"""Topic shifts: scored candidate boundaries at turn starts, then sentence starts.

Interviews and meetings change topic in a recognisable way: the new topic starts with a
turn (often a question, or a "so, now..." from whoever leads), brings new vocabulary,
and there are few topics in an hour. Each unit (a sentence, or a whole turn) is a
candidate start of a new topic, scored as a weighted sum of

- cohesion: TextTiling's depth score (Hearst, Computational Linguistics 23(1), 1997),
  measured over `window` content words on each side of the gap (not sentences, so a run
  of one-word backchannels does not stretch a window), smoothed, and taken as the
  deepest valley within REACH units (the valley says "about here", the turn says where);
- the unit asks a question ("?"); it opens with a discourse cue ("okay", "so", "now"...);
  it is spoken by whoever asks the most questions (the interviewer, the chair);
- its length against the document's median unit (log words) and its distinct terms
  (a new topic is introduced at length, with new words);
- TURN_BONUS when it opens a speaker turn, so turn starts are preferred to sentence
  starts inside a turn (when the document has turns).

How many: about one boundary per WORDS_PER_TOPIC words, strongest first, none closer to
another or to either end than MIN_GAP_WORDS words, and none weaker than MIN_Z standard
deviations above the document's mean strength (a document with no clear shift gets
none); candidates standing over EXTRA_Z standard deviations above the mean may add up to
as many again. A long document is not flooded, and the count follows the scores where
they stand out. The floor and the sparse count make the proposals few and sure: on
QMSum val + test, Pk 0.339 and WindowDiff 0.357 against 0.372 for proposing nothing
(WindowDiff charges every window where the count is wrong, so a doubtful proposal costs
more than it earns).

The weights are a logistic regression's (boundary turn or not) and the counts a grid
search's (WORDS_PER_TOPIC, MIN_GAP_WORDS, MIN_Z, EXTRA_Z: lowest WindowDiff), both fitted
on the **train** split of the QMSum meeting transcripts (AMI + ICSI,
../shared/fixtures/nlp, 138 meetings); bench/segmentation.py reports on the val + test
splits (58 meetings). TURN_BONUS could not be fitted there (the gold boundaries are all
turn starts) and is set by hand. The functions take plain term lists and flags: they do
not care when or how sentences were segmented.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Fitted on QMSum train (see module docstring; bench/segmentation.py --tune re-runs it).
WINDOW_WORDS = 100
SMOOTHING = 5
REACH = 10
WEIGHTS = {
    "cohesion": 2.443,
    "question": 0.698,
    "cue": 0.659,
    "length": 0.921,
    "lead_speaker": 0.372,
    "distinct_terms": 0.417,
}
TURN_BONUS = 1.0
WORDS_PER_TOPIC = 7000
MIN_GAP_WORDS = 600
MIN_Z = 2.0
EXTRA_Z = 4.0

CUES = frozenset("okay ok alright right so now next well anyway then let let's moving move".split())
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Unit:
    """One candidate unit: a sentence, or a whole turn.

    `terms`: content terms (see `token_terms`); `words`: number of word tokens;
    `starts_turn`: the unit opens a speaker turn; `text`: its text (for the question
    mark and the opening cue word); `speaker`: who speaks it (None if unknown)."""

    terms: tuple[str, ...]
    words: int
    starts_turn: bool
    text: str = ""
    speaker: str | None = None


@dataclass(frozen=True)
class Boundary:
    """A proposed topic start: `index` of the unit that starts the new topic (never 0)
    and its `strength` in 0..1 (1 = the document's strongest candidate)."""

    index: int
    strength: float


def fold(word: str) -> str:
    """Crude plural folding ("patients" -> "patient") so blocks match across number."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def token_terms(doc) -> list[str]:
    """Content terms of a spaCy Doc or Span: alphabetic, not stop words, 3+ letters,
    lower-cased lemma (when the pipeline gives one) or norm, plural folded."""
    out = []
    for token in doc:
        if token.is_stop or not token.is_alpha or len(token) < 3:
            continue
        lemma = token.lemma_
        word = lemma.lower() if lemma else token.norm_
        out.append(fold(word))
    return out


def sentence_terms(nlp, sentences: Sequence[str]) -> list[list[str]]:
    """Terms of each text, tokenized with the pipeline's tokenizer only."""
    return [token_terms(doc) for doc in nlp.tokenizer.pipe(sentences, batch_size=512)]


def make_units(
    nlp,
    texts: Sequence[str],
    starts_turn: Sequence[bool],
    speakers: Sequence[str | None] | None = None,
) -> list[Unit]:
    """Units from texts in order, with their turn-start flags and speakers (same length
    as texts; speakers None when unknown)."""
    who = speakers if speakers is not None else [None] * len(texts)
    out = []
    docs = nlp.tokenizer.pipe(texts, batch_size=512)
    for text, turn, speaker, doc in zip(texts, starts_turn, who, docs):
        words = sum(1 for t in doc if not t.is_punct and not t.is_space)
        out.append(Unit(tuple(token_terms(doc)), words, bool(turn), text, speaker))
    return out


def cohesion_depth(
    units: Sequence[Unit], window: int = WINDOW_WORDS, smoothing: int = SMOOTHING
) -> np.ndarray:
    """Depth score at the gap before each unit (index 0 is always 0); shape (len(units),).

    Cosine similarity of IDF-weighted term counts of the `window` content words on each
    side of each gap, smoothed by a moving average of half-width `smoothing` gaps, then
    Hearst's depth score (left peak - s) + (right peak - s). 0 where no valley."""
    from scipy import sparse

    n = len(units)
    depth = np.zeros(n)
    if n < 3:
        return depth
    vocabulary: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for row, unit in enumerate(units):
        for word, count in Counter(unit.terms).items():
            rows.append(row)
            cols.append(vocabulary.setdefault(word, len(vocabulary)))
            vals.append(count)
    if not vocabulary:
        return depth
    counts = sparse.csr_matrix((vals, (rows, cols)), shape=(n, len(vocabulary)), dtype=float)
    df = np.bincount(cols, minlength=len(vocabulary))
    counts = counts @ sparse.diags(np.log((1 + n) / (1 + df)) + 1.0)
    cumulative = np.concatenate([[0], np.cumsum([len(u.terms) for u in units])])
    gaps = np.arange(1, n)
    left_start = np.searchsorted(cumulative, cumulative[gaps] - window, side="right") - 1
    left_start = np.clip(left_start, 0, None)
    right_end = np.searchsorted(cumulative, cumulative[gaps] + window, side="left")
    right_end = np.clip(right_end, None, n)
    left = _block_matrix(left_start, gaps, n) @ counts
    right = _block_matrix(gaps, right_end, n) @ counts
    dot = np.asarray(left.multiply(right).sum(axis=1)).ravel()
    norms = np.sqrt(
        np.asarray(left.multiply(left).sum(axis=1)).ravel()
        * np.asarray(right.multiply(right).sum(axis=1)).ravel()
    )
    similarity = np.divide(dot, norms, out=np.zeros_like(dot), where=norms > 0)
    depth[1:] = _depth_scores(_smooth(similarity, smoothing))
    return depth


def _block_matrix(starts: np.ndarray, ends: np.ndarray, n: int):
    """Sparse 0/1 matrix: row r selects units starts[r] .. ends[r]-1."""
    from scipy import sparse

    lengths = np.maximum(ends - starts, 0)
    rows = np.repeat(np.arange(len(starts)), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    cols = np.repeat(starts, lengths) + offsets
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(starts), n))


def boundary_strengths(units: Sequence[Unit]) -> np.ndarray:
    """Raw strength of each unit as the start of a new topic (module docstring: a
    weighted sum of cohesion, question, cue, lead speaker, length and distinct terms, plus
    TURN_BONUS at turn starts); shape (len(units),), 0 for unit 0. Unitless: compare
    within one document."""
    from scipy.ndimage import maximum_filter1d

    n = len(units)
    if n < 2:
        return np.zeros(n)
    # Short texts: narrower windows, so that the two sides of a gap still differ.
    terms = sum(len(u.terms) for u in units)
    window = min(WINDOW_WORDS, max(8, terms // 4))
    smoothing, reach = min(SMOOTHING, n // 20), min(REACH, n // 20)
    cohesion = maximum_filter1d(cohesion_depth(units, window, smoothing), size=2 * reach + 1)
    has_turns = any(u.starts_turn for u in units[1:])
    asked = Counter(u.speaker for u in units if u.speaker is not None and "?" in u.text)
    lead = asked.most_common(1)[0][0] if asked else None
    typical = math.log1p(max(1.0, float(np.median([u.words for u in units]))))
    w = WEIGHTS
    strength = np.zeros(n)
    for i in range(1, n):
        unit = units[i]
        first = _WORD.search(unit.text.lower())
        strength[i] = (
            w["cohesion"] * cohesion[i]
            + w["question"] * ("?" in unit.text)
            + w["cue"] * bool(first and first.group(0) in CUES)
            + w["length"] * math.log1p(unit.words) / typical
            + w["lead_speaker"] * (lead is not None and unit.speaker == lead)
            + w["distinct_terms"] * math.log1p(len(set(unit.terms)))
            + (TURN_BONUS if unit.starts_turn and has_turns else 0.0)
        )
    return strength


def topic_boundaries(
    units: Sequence[Unit],
    *,
    words_per_topic: int = WORDS_PER_TOPIC,
    min_gap_words: int = MIN_GAP_WORDS,
    min_z: float = MIN_Z,
) -> list[Boundary]:
    """The units that start a new topic, in order, each with its strength (0..1, the
    strongest candidate of the document = 1).

    Count: max(1, round(total words / words_per_topic)) strongest candidates at least
    `min_gap_words` words from each other and from both ends, none under `min_z`
    standard deviations above the mean strength, plus any further candidate over EXTRA_Z
    standard deviations above the mean (at most as many again). A document shorter than
    2 * min_gap_words words gets none."""
    n = len(units)
    words = np.array([u.words for u in units], dtype=float)
    total = float(words.sum())
    if n < 2 or total < 2 * min_gap_words:
        return []
    strength = boundary_strengths(units)
    position = np.concatenate([[0.0], np.cumsum(words)])[:-1]  # words before each unit
    target = max(1, round(total / words_per_topic))
    scores = strength[1:]
    cutoff = scores.mean() + EXTRA_Z * scores.std()
    floor = scores.mean() + min_z * scores.std()
    chosen: list[int] = []
    for i in np.argsort(-scores, kind="stable") + 1:
        if strength[i] < floor:
            break
        if position[i] < min_gap_words or total - position[i] < min_gap_words:
            continue
        if len(chosen) >= target and (strength[i] < cutoff or len(chosen) >= 2 * target):
            break
        if all(abs(position[i] - position[j]) >= min_gap_words for j in chosen):
            chosen.append(int(i))
    if not chosen:
        return []
    top = max(float(strength[i]) for i in chosen)
    return [
        Boundary(i, round(float(strength[i]) / top, 3) if top > 0 else 0.0) for i in sorted(chosen)
    ]


def _smooth(values: np.ndarray, half_width: int) -> np.ndarray:
    if half_width <= 0 or len(values) < 3:
        return values
    padded = np.pad(values, half_width, mode="edge")
    kernel = np.ones(2 * half_width + 1) / (2 * half_width + 1)
    return np.convolve(padded, kernel, mode="valid")


def _depth_scores(similarity: np.ndarray) -> np.ndarray:
    """Hearst's depth score of every point that is a local minimum, else 0 (O(n))."""
    n = len(similarity)
    depth = np.zeros(n)
    if n == 0:
        return depth
    # Climb while the curve rises: the peak of the previous point, if it is no lower.
    left_peak = similarity.copy()
    for j in range(1, n):
        if similarity[j - 1] >= similarity[j]:
            left_peak[j] = max(left_peak[j - 1], similarity[j - 1])
    right_peak = similarity.copy()
    for j in range(n - 2, -1, -1):
        if similarity[j + 1] >= similarity[j]:
            right_peak[j] = max(right_peak[j + 1], similarity[j + 1])
    is_min = np.ones(n, dtype=bool)
    is_min[1:] &= similarity[1:] <= similarity[:-1]
    is_min[:-1] &= similarity[:-1] <= similarity[1:]
    depth[is_min] = (left_peak - similarity + right_peak - similarity)[is_min]
    return depth
