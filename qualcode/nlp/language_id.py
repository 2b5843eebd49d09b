"""Which language documents are written in, told by py3langid (BSD-3-Clause; its naive
Bayes model over byte n-grams ships in the wheel, so nothing is downloaded at run time).

Candidates are the languages spaCy can segment (a `spacy/lang/<code>` package in the
installed spaCy), so a reading is always a language the project can be set to. Each
document is read on its first SAMPLE_CHARS characters: 6-15 ms for 20,000 characters
(0.1-0.15 s for a whole 600,000-character document), after a one-off 0.7 s to load
the model. py3langid (and numpy) are imported only when a document is read.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SAMPLE_CHARS = 20_000  # characters read of each document (its beginning)...
# ...fewer in a large batch, so that a batch reads at most about BATCH_CHARS (about 2 s),
# but never fewer than MIN_SAMPLE_CHARS (a page: py3langid is sure of a language on less).
BATCH_CHARS = 2_000_000
MIN_SAMPLE_CHARS = 2_000
# Below this many letters in the sample a document is too short to tell: py3langid is
# sure of "Igen, persze." (11 letters) as often as of a page.
MIN_LETTERS = 100
# Probability (py3langid's normalised, over the candidates) a reading must reach; below
# it lie the close pairs on short texts (Norwegian read as Danish at 0.85 on 80 letters).
MIN_CONFIDENCE = 0.95

# py3langid's code -> spaCy's, where they differ (Norwegian Bokmål, Kurmanji).
_TO_SPACY = {"no": "nb", "ku": "kmr"}

# English names of the languages spaCy segments, for the import summary.
NAMES = {
    "af": "Afrikaans", "am": "Amharic", "ar": "Arabic", "az": "Azerbaijani",
    "bg": "Bulgarian", "bn": "Bengali", "bo": "Tibetan", "ca": "Catalan", "cs": "Czech",
    "da": "Danish", "de": "German", "dsb": "Lower Sorbian", "el": "Greek", "en": "English",
    "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian", "fi": "Finnish",
    "fo": "Faroese", "fr": "French", "ga": "Irish", "gd": "Scottish Gaelic",
    "grc": "Ancient Greek", "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi",
    "hr": "Croatian", "hsb": "Upper Sorbian", "ht": "Haitian Creole", "hu": "Hungarian",
    "hy": "Armenian", "id": "Indonesian", "is": "Icelandic", "it": "Italian",
    "ja": "Japanese", "kmr": "Kurmanji", "kn": "Kannada", "ko": "Korean", "ky": "Kyrgyz",
    "la": "Latin", "lb": "Luxembourgish", "lg": "Ganda", "lij": "Ligurian",
    "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "ml": "Malayalam",
    "mr": "Marathi", "ms": "Malay", "nb": "Norwegian Bokmål", "ne": "Nepali",
    "nl": "Dutch", "nn": "Norwegian Nynorsk", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sa": "Sanskrit", "si": "Sinhala", "sk": "Slovak",
    "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian", "sv": "Swedish", "ta": "Tamil",
    "te": "Telugu", "th": "Thai", "ti": "Tigrinya", "tl": "Tagalog", "tn": "Tswana",
    "tr": "Turkish", "tt": "Tatar", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
    "xx": "multi-language", "yo": "Yoruba", "zh": "Chinese",
}  # fmt: skip

_identifier: Any = None
_lock = threading.Lock()


@dataclass(frozen=True)
class Reading:
    """What one document reads as: `language` a spaCy code, or None when the sample has
    too few letters or no language reaches MIN_CONFIDENCE; `confidence` in 0..1."""

    name: str
    language: str | None
    confidence: float


def language_name(code: str) -> str:
    """ "Hungarian (hu)" for "hu"; the code alone for one NAMES lacks."""
    name = NAMES.get(code)
    return f"{name} ({code})" if name else code


def spacy_languages() -> set[str]:
    """The language codes of the installed spaCy (its `spacy/lang/<code>` packages),
    found without importing spaCy."""
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        return set()
    found: set[str] = set()
    for root in spec.submodule_search_locations:
        found |= {p.parent.name for p in Path(root, "lang").glob("*/__init__.py")}
    return found


def _get_identifier() -> Any:
    """py3langid's identifier with normalised probabilities, restricted to the languages
    spaCy segments; built once per process (loading the model takes about 0.7 s)."""
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            segmentable = spacy_languages()
            identifier.set_languages(
                [c for c in identifier.labels if _TO_SPACY.get(c, c) in segmentable]
            )
            _identifier = identifier
        return _identifier


def read_language(name: str, text: str, sample_chars: int = SAMPLE_CHARS) -> Reading:
    """The language of `text` (document `name`) from its first `sample_chars` characters."""
    sample = text[:sample_chars]
    if sum(1 for ch in sample if ch.isalpha()) < MIN_LETTERS:
        return Reading(name, None, 0.0)
    code, confidence = _get_identifier().classify(sample)
    confidence = float(confidence)
    if confidence < MIN_CONFIDENCE:
        return Reading(name, None, confidence)
    return Reading(name, _TO_SPACY.get(code, code), confidence)


def read_languages(documents: Sequence[tuple[str, str]]) -> list[Reading]:
    """A Reading for each (name, text), in order (see read_language), each on the first
    SAMPLE_CHARS characters, or fewer in a batch of over 100 documents (BATCH_CHARS).
    The model is loaded only when some document has enough letters to be read."""
    each = max(MIN_SAMPLE_CHARS, min(SAMPLE_CHARS, BATCH_CHARS // max(1, len(documents))))
    return [read_language(name, text, each) for name, text in documents]
