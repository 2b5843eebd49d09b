"""The spaCy pipeline factory for a project's language.

By default the pipeline is `spacy.blank(lang)` + the rule-based sentencizer + qualcode's
sentence-boundary fixer, so segmentation runs with no downloaded model. A trained pipeline
named in the project settings is used when it is installed; otherwise we fall back to the
blank one and say so through `on_notice` (the CLI prints it, the TUI notifies).

Where the package index has a trained pipeline for the language (TRAINED_PIPELINES:
Japanese, `ja_ginza`, installed by `pip install 'qualcode[ja]'`), it is used by itself when
installed, its parser adding the sentence boundaries that punctuation does not mark
(qualcode_parser_sentences); without it, the blank pipeline with rules. `describe_pipeline` says which one, for the import summary and `qualcode info`.
bench/ja_sentences.py measures both on Japanese text with gold sentence boundaries.

spaCy is imported inside the functions: this module is imported by code paths that
`qualcode --help` goes through.
"""

from __future__ import annotations

import re
import threading
import warnings
from collections.abc import Callable

from qualcode.errors import QualcodeError

Notice = Callable[[str], None]

# Pipes of a trained pipeline we leave out: the parser is slow and would override our
# rule-based boundaries (the tagger/attribute_ruler stay: the lemmatizer needs them).
_EXCLUDED_TRAINED_PIPES = ["parser", "senter"]
# Trained pipelines published on the package index, used by default for their language
# when installed; their parser gives the sentence boundaries (not our rules).
TRAINED_PIPELINES = {"ja": "ja_ginza"}
# What those need no part of (half the CPU time of ja_ginza; NER is not used for them).
_UNUSED_PARSER_PIPES = ["ner", "bunsetu_recognizer", "compound_splitter"]
# The project setting that asks for the blank pipeline with rules even when one is installed.
BLANK = "blank"

_cache: dict[tuple[str, str | None], tuple[object, list[str]]] = {}
_lock = threading.Lock()


class LanguageUnavailableError(QualcodeError):
    """The project's language needs a tokenizer package that is not installed."""


def _warn(message: str) -> None:
    warnings.warn(message, stacklevel=3)


def make_pipeline(lang: str = "en", model: str | None = None, on_notice: Notice | None = None):
    """Return a spaCy Language for `lang` with sentence boundaries set by qualcode's rules.

    `model` names a trained pipeline (e.g. "en_core_web_sm"); it is used when installed,
    without its parser (we want its tokenizer, lemmas, vectors and NER). With no `model`,
    the language's TRAINED_PIPELINES entry is used when installed, with its parser setting
    the sentence boundaries (as when it is named); `model="blank"` asks for the rule-based
    pipeline whatever is installed.
    Pipelines are cached per (lang, model): building one costs 50-500 ms. A fallback
    notice is given when the pipeline is built, and again to every caller that passes
    its own `on_notice` (so each CLI command or TUI action that asks is told).
    """
    key = (lang, model)
    with _lock:
        if key not in _cache:
            notices: list[str] = []
            _cache[key] = (_build(lang, model, notices.append), notices)
            if on_notice is None:
                for message in notices:
                    _warn(message)
        nlp, notices = _cache[key]
    if on_notice is not None:
        for message in notices:
            on_notice(message)
    return nlp


def _build(lang: str, model: str | None, notice: Notice):
    import spacy

    from qualcode.nlp import components  # noqa: F401  registers the factories

    nlp = None
    if model is None:
        model = installed_trained(lang)
    elif model == BLANK:
        model = None
    if model:
        if spacy.util.is_package(model):
            try:
                if model in TRAINED_PIPELINES.values():
                    nlp = spacy.load(model, exclude=_UNUSED_PARSER_PIPES)
                    nlp.add_pipe("qualcode_parser_sentences", last=True)
                    return nlp
                nlp = spacy.load(model, exclude=_EXCLUDED_TRAINED_PIPES)
            except (OSError, ValueError, ImportError) as exc:
                notice(
                    f"spaCy pipeline {model!r} could not be loaded ({exc}); "
                    f"using the rule-based {lang!r} pipeline instead"
                )
        else:
            notice(
                f"spaCy pipeline {model!r} is not installed; using the rule-based "
                f"{lang!r} pipeline instead (install it with: python -m spacy download {model})"
            )
    if nlp is None:
        nlp = _blank(lang)
    if (
        type(nlp.tokenizer).__name__ == "Tokenizer"
    ):  # spaCy's rule tokenizer (not Sudachi, jieba...)
        nlp.tokenizer = LongRunGuard(nlp.tokenizer)
    if "sentencizer" not in nlp.pipe_names:
        first = nlp.pipe_names[0] if nlp.pipe_names else None
        nlp.add_pipe("sentencizer", before=first) if first else nlp.add_pipe("sentencizer")
    if "qualcode_sentence_fixer" not in nlp.pipe_names:
        nlp.add_pipe("qualcode_sentence_fixer", after="sentencizer")
    return nlp


# spaCy's rule tokenizer is quadratic on a run without whitespace (its affix search): 10,000
# colons took 82 s, a `=====` separator line of 5,000 took 22 s. No word is this long, so a
# longer run gets a space every MAX_RUN characters before the tokenizer sees it; the text
# keeps its length, so every offset spaCy gives still points into the original text.
MAX_RUN = 100
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN + 1},}}")


def break_long_runs(text: str) -> str:
    """`text` with every MAX_RUN-th character of a longer run of non-space characters
    replaced by a space: same length, same offsets, no run longer than MAX_RUN."""

    def cut(match: re.Match) -> str:
        run = match.group()
        parts = [run[i : i + MAX_RUN] for i in range(0, len(run), MAX_RUN)]
        return parts[0] + "".join(" " + part[1:] for part in parts[1:])

    return _LONG_RUN.sub(cut, text) if len(text) > MAX_RUN else text


class LongRunGuard:
    """Wraps spaCy's tokenizer so that it never sees a run longer than MAX_RUN characters
    (see break_long_runs). Anything else is the wrapped tokenizer's."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text: str):
        return self.tokenizer(break_long_runs(text))

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str):
        return getattr(self.tokenizer, name)


def _blank(lang: str):
    import spacy

    try:
        return spacy.blank(lang)
    except ImportError as exc:
        if "E048" in str(exc):
            raise LanguageUnavailableError(f"unknown spaCy language code {lang!r}") from exc
        if lang == "ja":
            raise LanguageUnavailableError(
                "Japanese needs the SudachiPy tokenizer: pip install 'qualcode[ja]' "
                "(sudachipy, sudachidict-core, and the trained pipeline ja-ginza)"
            ) from exc
        raise LanguageUnavailableError(
            f"spaCy language {lang!r} needs a missing package: {exc}"
        ) from exc


# The packages spaCy's blank pipelines of these languages tokenize with (spacy/lang/*:
# imported when the tokenizer is made); Chinese's default ("char") needs none.
_TOKENIZER_PACKAGES = {
    "ja": ("sudachipy", "pip install 'qualcode[ja]'"),
    "ko": ("natto", "pip install natto-py, with MeCab"),
    "th": ("pythainlp", "pip install pythainlp"),
    "vi": ("pyvi", "pip install pyvi"),
}


def missing_tokenizer(lang: str) -> str | None:
    """Why the blank pipeline of `lang` cannot be made here (its tokenizer package is not
    installed, e.g. "needs the package sudachipy: pip install 'qualcode[ja]'"), else
    None. Cheap: looks at installed packages, loads nothing (make_pipeline takes 1-3 s)."""
    import importlib.util

    if lang not in _TOKENIZER_PACKAGES:
        return None
    package, install = _TOKENIZER_PACKAGES[lang]
    if importlib.util.find_spec(package) is not None:
        return None
    return f"spaCy's {lang!r} tokenizer needs the package {package}: {install}"


def installed_trained(lang: str) -> str | None:
    """The package name of `lang`'s trained pipeline (TRAINED_PIPELINES) when it is
    installed, else None. Cheap: looks at installed distributions, loads nothing."""
    import importlib.util

    name = TRAINED_PIPELINES.get(lang)
    return name if name and importlib.util.find_spec(name) is not None else None


def describe_pipeline(lang: str, model: str | None = None) -> str:
    """One line saying which pipeline make_pipeline(lang, model) segments sentences with,
    e.g. "trained spaCy pipeline ja_ginza 5.3.0 (sentence boundaries from its parser)".
    Loads nothing (for `qualcode info` and the import summary)."""
    import importlib.util

    def version(name: str) -> str:
        import importlib.metadata  # only for a trained pipeline: 10-20 ms to import

        try:
            return " " + importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return ""

    chosen = installed_trained(lang) if model is None else (None if model == BLANK else model)
    if chosen and importlib.util.find_spec(chosen) is not None:
        if chosen in TRAINED_PIPELINES.values():
            return (
                f"trained spaCy pipeline {chosen}{version(chosen)} "
                "(sentence boundaries from qualcode's rules and its parser)"
            )
        return f"trained spaCy pipeline {chosen}{version(chosen)} with qualcode's sentence rules"
    rules = f"blank spaCy {lang!r} pipeline with qualcode's sentence rules"
    if chosen:
        return f"{rules} ({chosen} is not installed)"
    available = TRAINED_PIPELINES.get(lang)
    if available and model != BLANK:
        return f"{rules} (the trained {available} is not installed: pip install 'qualcode[{lang}]')"
    return rules


def has_ner(nlp) -> bool:
    return "ner" in nlp.pipe_names


def has_vectors(nlp) -> bool:
    return nlp.vocab.vectors.shape[0] > 0 and nlp.vocab.vectors.shape[1] > 0
