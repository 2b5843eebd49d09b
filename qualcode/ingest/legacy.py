"""Choosing a legacy (pre-Unicode) encoding for bytes that no Unicode reading accepts.

Candidates are the encodings transcripts arrive in from Windows and older Linux and
Asian systems. Each candidate must decode the bytes strictly; charset-normalizer
(https://github.com/jawah/charset_normalizer) then scores each reading by "chaos"
(mess: odd symbols inside words, unlikely case changes, mixed scripts) and
"coherence" (how well letter frequencies fit a language). Candidates that give the
same text are one reading. qualcode adds its own count of mojibake marks (mojibake_marks). Readings that
score close to the best are a tie; a tie goes to the one usual encoding of the
project's language, else to cp1252 (qualcode's only legacy reading before, and
Western European text is the common case); otherwise, or when the text has too
few non-ASCII characters to judge, the file is refused naming the candidates, and
the user picks one with --encoding.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from qualcode.errors import ImportError_

# Python codec names, in order of preference when readings are identical.
CANDIDATES = (
    "cp1252",
    "cp1250",
    "iso8859-2",
    "cp1251",
    "koi8-r",
    "cp1253",
    "iso8859-7",
    "cp1254",
    "gb18030",
    "big5",
    "euc-kr",
)

_CENTRAL = ("cp1250", "iso8859-2")
_CYRILLIC = ("cp1251", "koi8-r")
# ISO 639-1 project language -> the encodings its texts were usually saved in.
USUAL_ENCODINGS = {
    **{lang: ("cp1252",) for lang in "en fr de es it pt nl da sv no nb fi is ca eu ga".split()},
    **{lang: _CENTRAL for lang in "pl cs sk hu sl hr ro bs sq".split()},
    **{lang: _CYRILLIC for lang in "ru uk bg sr mk be".split()},
    "el": ("cp1253", "iso8859-7"),
    "tr": ("cp1254",),
    "zh": ("gb18030", "big5"),
    "ko": ("euc-kr",),
}
_MIN_EVIDENCE = 4  # non-ASCII characters below which no statistics are trusted
_CLOSE_CHAOS = 0.015
_CLOSE_COHERENCE = 0.05


# Accented letters of the languages written in the candidate Latin encodings. Mojibake
# mixes letters no one language has together ("pøišel": Danish ø beside Czech š).
# Icelandic is left out on purpose: Turkish in cp1254 read as cp1252 spells Icelandic
# letters (ð þ ý for ğ ş ı), and Turkish files are far more common; an Icelandic
# project (language "is") still reads cp1252 first.
ALPHABETS = {
    "French": "àâæçéèêëîïôœùûüÿ",
    "German": "äöüß",
    "Spanish": "áéíñóúü",
    "Portuguese": "ãõáâêéíóôúàç",
    "Italian": "àèéìíòóùú",
    "Dutch": "ëïéèöü",
    "Danish/Norwegian": "æøåéó",
    "Swedish/Finnish": "åäöé",
    "Catalan": "àçèéíïòóúü",
    "Polish": "ąćęłńóśźż",
    "Czech": "áčďéěíňóřšťúůýž",
    "Slovak": "áäčďéíĺľňóôŕšťúýž",
    "Hungarian": "áéíóöőúüű",
    "Slovene/Croatian": "čćđšž",
    "Romanian": "ăâîșțşţ",
    "Turkish": "çğıöşüâîû",
}


def foreign_letters(text: str) -> int:
    """Accented Latin letters outside the one language alphabet that covers most of
    them (0 for text in one language, or in no Latin script)."""
    letters = [ch.lower() for ch in text if "\u00c0" <= ch <= "\u024f" and ch.isalpha()]
    if not letters:
        return 0
    return min(sum(1 for ch in letters if ch not in alphabet) for alphabet in ALPHABETS.values())


def _latin1_symbol(ch: str) -> bool:
    return "\u00a0" <= ch <= "\u02ff" and not ch.isalpha()


def rare_hanzi(text: str, encoding: str) -> float:
    """Share of the Chinese characters that are in the rare half of the encoding's
    table: GB2312 level 2 (or outside GB2312) for GB18030, Big5 level 2 for Big5. A
    text written in one and read in the other lands mostly there; real text seldom."""
    if encoding not in ("gb18030", "big5"):
        return 0.0
    hanzi = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not hanzi:
        return 0.0
    rare = 0
    for ch in hanzi:
        try:
            lead = ch.encode("gb2312" if encoding == "gb18030" else "big5")[0]
        except UnicodeEncodeError:
            rare += 1
            continue
        rare += lead >= (0xD8 if encoding == "gb18030" else 0xC9)
    return rare / len(hanzi)


_WORD = re.compile(r"[^\W\d_]+(?:[^\w\s][^\W\d_]+)*")


def mojibake_marks(text: str) -> float:
    """Signs of a wrong reading per word, 0 for clean text: a lower-case letter followed
    by an upper-case one inside a word (KOI8-R read as cp1251 and back), a symbol
    between two letters ("ľlu»oučký": ISO-8859-2 read as cp1250), C1 control
    characters (cp1250 read as ISO-8859-2), a word made only of accented Latin letters
    ("Äà": Cyrillic read as cp1252), accented letters no one language has together
    ("göðüs": Turkish read as cp1252). charset-normalizer's chaos sees these
    too, but weakly on short texts."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    marks = 0
    for word in words:
        if len(word) > 1 and all("\u00c0" <= ch <= "\u024f" for ch in word):
            marks += 1  # "Äà": a word of accented Latin letters only is Cyrillic or Greek misread
        for a, b in zip(word, word[1:]):
            if a.islower() and b.isupper():
                marks += 1
            elif a.isalpha() != b.isalpha() and _latin1_symbol(a if b.isalpha() else b):
                marks += 1  # a Latin-1 symbol inside a word: "ľlu»oučký", "pøi¹el"
    marks += sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r")
    marks += foreign_letters(text)
    # Cyrillic read in the other of cp1251/KOI8-R swaps the case of every letter:
    # text is mostly lower case, mojibake mostly upper.
    letters = [ch for ch in text if ord(ch) > 0x7F and ch.isalpha() and ch.lower() != ch.upper()]
    upper = sum(1 for ch in letters if ch.isupper())
    swapped = max(0.0, upper / len(letters) - 0.5) if len(letters) >= 8 else 0.0
    return marks / len(words) + swapped


@dataclass
class _Reading:
    encoding: str  # the preferred codec name of those giving this text
    text: str
    chaos: float
    coherence: float
    hinted: bool

    @property
    def mess(self) -> float:
        return self.chaos + mojibake_marks(self.text) + rare_hanzi(self.text, self.encoding)

    @property
    def rank(self) -> tuple[float, float, int]:
        return (round(self.mess, 3), -round(self.coherence, 2), CANDIDATES.index(self.encoding))


def _codec(name: str) -> str:
    return codecs.lookup(name).name


def legacy_decode(raw: bytes, name: str, language: str | None, utf8_error: int) -> tuple[str, str]:
    """(text, codec) for bytes that are not UTF-8/16/32 or Japanese, or raise ImportError_
    naming the file, the first non-UTF-8 byte and the candidate encodings."""
    texts: dict[str, str] = {}
    for encoding in CANDIDATES:
        try:
            texts[encoding] = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    where = f"byte 0x{raw[utf8_error]:02x} at offset {utf8_error}"
    if not texts:
        raise ImportError_(
            f"{name}: cannot decode as UTF-8, UTF-16, Shift-JIS or a legacy encoding ({where}); "
            "save it as UTF-8"
        )
    readings = _readings(raw, texts, USUAL_ENCODINGS.get((language or "").lower()[:2], ()))
    if not readings:
        raise ImportError_(
            f"{name}: cannot decode as UTF-8 ({where}) and no legacy encoding reads it as text "
            f"(tried {', '.join(texts)}); give --encoding NAME or save it as UTF-8"
        )
    best = readings[0]
    close = [best] + [r for r in readings[1:] if _close(best, r)]
    usual = [r for r in close if r.hinted]
    western = [r for r in close if r.encoding == "cp1252"]
    if usual and (len(usual) == 1 or usual[0].rank[:2] < usual[1].rank[:2]):
        return usual[0].text, usual[0].encoding
    if western:
        return western[0].text, western[0].encoding
    non_ascii = sum(1 for ch in best.text if ord(ch) > 0x7F)
    if len(close) > 1 or non_ascii < _MIN_EVIDENCE:
        names = ", ".join(r.encoding for r in close[:4])
        why = "readings score alike" if len(close) > 1 else "too few non-ASCII characters to tell"
        raise ImportError_(
            f"{name}: cannot decode as UTF-8 ({where}) and the legacy encoding is unclear "
            f"({why}; candidates: {names}); give --encoding NAME"
        )
    return best.text, best.encoding


def _readings(raw: bytes, texts: dict[str, str], hinted: tuple[str, ...]) -> list[_Reading]:
    """Distinct readings, best first; an encoding charset-normalizer rejects is out."""
    from charset_normalizer import from_bytes

    scores = {}
    for match in from_bytes(raw, cp_isolation=list(texts)):
        scores[_codec(match.encoding)] = (match.chaos, match.coherence)
    by_text: dict[str, _Reading] = {}
    for encoding, text in texts.items():
        score = scores.get(_codec(encoding))
        if score is None:
            continue
        reading = by_text.get(text)
        if reading is None:
            by_text[text] = _Reading(encoding, text, score[0], score[1], False)
        else:  # same text: one reading with the best scores
            reading.chaos = min(reading.chaos, score[0])
            reading.coherence = max(reading.coherence, score[1])
    for reading in by_text.values():
        # Named by the project language's usual encoding if one gives this text, else by
        # the first candidate that does (cp1252 before cp1250 for "Café").
        same = [enc for enc in CANDIDATES if texts.get(enc) == reading.text]
        usual = [enc for enc in same if enc in hinted]
        reading.encoding = (usual or same)[0]
        reading.hinted = bool(usual)
    return sorted(by_text.values(), key=lambda r: r.rank)


def _close(best: _Reading, other: _Reading) -> bool:
    return (
        other.mess - best.mess <= _CLOSE_CHAOS
        and best.coherence - other.coherence <= _CLOSE_COHERENCE
    )
