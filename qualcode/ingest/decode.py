"""Turn the raw bytes of a text file into normalised text, naming the encoding used.

Detection is by strict decoding in a fixed order; byte statistics only choose
among legacy encodings once every Unicode reading has failed. The order is:

1. a byte-order mark (UTF-32, UTF-8, UTF-16 LE/BE);
2. UTF-16 without BOM, recognised by NUL bytes in alternate positions (ASCII-range
   text in UTF-16 has a NUL in every other byte; other scripts in their spaces and
   newlines). UTF-16 text without a BOM and without any NUL byte (one line of
   Japanese, say) cannot be told apart from 8-bit text and is not recognised;
3. strict UTF-8 (ASCII included);
4. strict cp932 (Shift-JIS), only if the result contains kana and Japanese
   characters make up most of its non-ASCII characters: cp1252 text with accented
   letters often decodes as cp932 too, as stray kanji without any kana;
5. UTF-8 with a few invalid bytes (mixed encodings) is refused, not read as a
   legacy encoding, which would turn all of its accented characters into mojibake;
6. a legacy 8-bit or East Asian encoding (Windows-125x, ISO-8859-2/7, KOI8-R,
   GB18030, Big5, EUC-KR), chosen by charset-normalizer among the ones that decode
   the bytes strictly, ranked by its mess ("chaos") and language coherence, with the
   project's language as a hint (its usual encodings rank first). Encodings that give
   the same text are one reading; when readings differ and the evidence between them
   is weak (close scores, or too few non-ASCII characters to judge) the file is
   refused with a one-line error naming the candidates, and `--encoding NAME` decides.
   cp1252 wins ties: it was the only legacy reading before, and Western European
   text is where a tie is most often right;
7. otherwise the file is refused.

A statistical detector alone misnames short files (charset-normalizer called a
two-line cp1252 file cp775 and turned "Café" into "Cafķ"): hence the strict checks
first, the short list of candidates, and refusal rather than a guess.

Any other NUL byte, or a high share of control characters, marks a binary file.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from qualcode.errors import ImportError_
from qualcode.plural import plural

_BOMS = (
    # UTF-32 first: its LE mark begins with the UTF-16 LE mark.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters (Unicode category Cc) except those that do occur in real text
# files: tab, newlines, vertical tab, form feed, DOS end-of-file (0x1A), escape.
_BAD_CONTROLS = re.compile("[\x00-\x08\x0e-\x19\x1c-\x1f\x7f-\x9f]")


def decode_bytes(
    raw: bytes, name: str, encoding: str | None = None, language: str | None = None
) -> tuple[str, str]:
    """Return (normalised text, encoding name) or raise ImportError_ 'NAME: reason'.

    `encoding` forces a codec (any name Python knows: cp1251, koi8-r, big5...);
    `language` (ISO 639-1, the project's) is a hint for legacy encodings."""
    if encoding:
        text, encoding = _forced(raw, name, encoding)
    else:
        text, encoding = _decode(raw, name, language)
    text = normalise_text(text)
    _refuse_binary_text(text, name)
    if not text.strip():
        raise ImportError_(f"{name}: the file is empty (no text to import)")
    return text, encoding


def replace_nul(text: str) -> tuple[str, int]:
    """(text with every U+0000 replaced by U+FFFD, how many): SQLite's length() and substr()
    stop at a NUL, so a stored NUL would hide the rest of the document. One character for
    one, so offsets do not move. Every importer calls this and says so when count > 0."""
    count = text.count("\x00")
    return (text.replace("\x00", "\ufffd"), count) if count else (text, 0)


def nul_note(count: int) -> str:
    """The import note for `count` NUL characters replaced (replace_nul)."""
    return f"{plural(count, 'NUL character')} replaced by U+FFFD (SQLite would cut the text there)"


def normalise_text(text: str) -> str:
    """NFC, '\\n' newlines, no BOM: the form every stored offset refers to."""
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\u2028" in text or "\u2029" in text:
        text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return unicodedata.normalize("NFC", text)


def _forced(raw: bytes, name: str, encoding: str) -> tuple[str, str]:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise ImportError_(
            f"{name}: unknown encoding {encoding!r} (e.g. cp1251, koi8-r, big5)"
        ) from None
    if not raw.strip():
        raise ImportError_(f"{name}: the file is empty (no text to import)")
    try:
        return raw.decode(codec), codec
    except UnicodeDecodeError as exc:
        raise ImportError_(
            f"{name}: not valid {codec} text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None


def _decode(raw: bytes, name: str, language: str | None = None) -> tuple[str, str]:
    if not raw.strip():
        raise ImportError_(f"{name}: the file is empty (no text to import)")
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return _strict(raw[len(bom) :], encoding, name, f"{encoding} (BOM)"), encoding
    utf16 = _utf16_without_bom(raw)
    if utf16:
        return _strict(raw, utf16, name, f"{utf16} (no BOM)"), utf16
    if b"\x00" in raw:
        raise ImportError_(f"{name}: binary file (contains NUL bytes), not text")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    try:
        text = raw.decode("cp932")
    except UnicodeDecodeError:
        pass
    else:
        if looks_japanese(text):
            return text, "cp932"
    if _mostly_utf8(raw):
        # Read as cp1252, every UTF-8 character of it would turn into mojibake.
        raise ImportError_(
            f"{name}: mixed encodings: UTF-8 text with invalid bytes (0x{raw[utf8_error]:02x} "
            f"at offset {utf8_error}); re-save it as UTF-8"
        )
    from qualcode.ingest.legacy import legacy_decode

    return legacy_decode(raw, name, language, utf8_error)


_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _mostly_utf8(raw: bytes) -> bool:
    """True if most bytes above 0x7F form valid UTF-8 sequences.

    Genuine cp1252 text rarely does: its accented letters are mostly followed by
    ASCII, which ends any UTF-8 sequence. A few chance pairs ('É’') are allowed.
    """
    in_sequences = sum(len(m) for m in _UTF8_SEQUENCE.findall(raw))
    high = sum(1 for b in raw if b > 0x7F)
    return in_sequences >= 6 and in_sequences >= 2 * (high - in_sequences)


def _strict(raw: bytes, encoding: str, name: str, label: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportError_(
            f"{name}: invalid {label} text (bad bytes at offset {exc.start}); save it as UTF-8"
        ) from None


def _utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when NUL bytes sit in one byte position only.

    Latin text in UTF-16 has a NUL in nearly every pair. Greek, Cyrillic or
    Japanese text has them only in its spaces, newlines and ASCII punctuation,
    so a few NULs all in one position also count, provided every character they
    belong to is ASCII text and at least one of them is a space or newline.
    Binary files have NULs in both positions.
    """
    if len(raw) < 2 or len(raw) % 2:
        return None
    pairs = len(raw) // 2
    even_nuls = raw[0::2].count(0)
    odd_nuls = raw[1::2].count(0)
    # The NULs of UTF-16 text are high bytes: odd positions in LE, even in BE. The
    # other position holds a NUL only for rare characters such as U+0100.
    high, low = max(even_nuls, odd_nuls), min(even_nuls, odd_nuls)
    if high == 0:
        return None
    if low > high / 2:
        # Binary data has NULs everywhere; text made mostly of U+0100..U+01FF letters
        # does too, but decodes to printable words in one byte order.
        best = max(("utf-16-le", "utf-16-be"), key=lambda enc: _printable_share(raw, enc))
        text = raw.decode(best, errors="replace")
        return (
            best if _printable_share(raw, best) == 1.0 and any(ch in " \n" for ch in text) else None
        )
    encoding = "utf-16-le" if odd_nuls >= even_nuls else "utf-16-be"
    if low:
        # NULs in both positions (e.g. U+0100..U+01FF in Latin text): the byte order
        # that decodes to printable text wins, whichever position has more NULs.
        encoding = max(
            ("utf-16-le", "utf-16-be"),
            key=lambda enc: (_printable_share(raw, enc), enc == encoding),
        )
    if high >= pairs / 3 and low <= pairs / 20:
        return encoding
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return None
    ascii_chars = [ch for ch in text if ord(ch) < 0x100]
    if all(_texty(ch) for ch in ascii_chars) and any(ch in " \t\n\r" for ch in ascii_chars):
        return encoding
    return None


def _printable_share(raw: bytes, encoding: str) -> float:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return -1.0
    return sum(map(_texty, text)) / max(len(text), 1)


def _texty(ch: str) -> bool:
    """A character that text holds: printable, a line or tab, a space or a format mark (soft hyphen)."""
    return ch.isprintable() or ch in "\t\n\r" or unicodedata.category(ch) in ("Zs", "Cf")


def _is_kana(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or "\u31f0" <= ch <= "\u31ff"


def _is_japanese(ch: str) -> bool:
    return (
        _is_kana(ch)
        or "\u4e00" <= ch <= "\u9fff"  # CJK unified ideographs
        or "\u3400" <= ch <= "\u4dbf"  # extension A
        or "\u3000" <= ch <= "\u303f"  # CJK punctuation: 、。「」
        or "\uff01" <= ch <= "\uff60"  # full-width ASCII forms
    )


def looks_japanese(text: str) -> bool:
    """True if text has kana and Japanese characters are most of its non-ASCII ones.

    Windows-1252 bytes misread as cp932 give kanji or half-width katakana but
    practically never hiragana or full-width katakana (those need a lead byte of
    0x82/0x83, i.e. '‚' or 'ƒ' followed by a letter in cp1252).
    """
    non_ascii = [ch for ch in text if ord(ch) > 0x7F]
    if not non_ascii:
        return False
    if not any(_is_kana(ch) for ch in non_ascii):
        return False
    japanese = sum(1 for ch in non_ascii if _is_japanese(ch))
    return japanese >= 0.8 * len(non_ascii)


def _refuse_binary_text(text: str, name: str) -> None:
    controls = len(_BAD_CONTROLS.findall(text))
    if "\x00" in text or controls > max(2, len(text) // 100):
        raise ImportError_(f"{name}: binary file (control characters), not text")
