"""Map a producer's selection positions onto qualcode's normalised text.

qualcode stores text NFC-normalised with "\\n" newlines and no BOM, and counts
offsets in code points, end exclusive. REFI-QDA says positions count code points
of the plain text, but producers differ, and these fixtures prove it:
- NVivo (Mac and Windows) counts UTF-16 code units: every emoji before a passage
  shifts it by one more;
- NVivo for Windows writes the text with a BOM and CRLF and its positions index
  the CRLF text as stored (BOM excluded); other producers count CRLF as one.
So for each source we build exact mapping arrays for each plausible convention
(code points or UTF-16 units x CRLF as stored or as one), keep those under which
every selection fits the text, and decide between the ones that give different
excerpts with every clue, in order of trust: the producer (`origin`), the
selections' names when they quote the text, and how many selection boundaries fall
between words. The reason is kept for the import summary.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from qualcode.ingest.decode import normalise_text  # noqa: F401 (the one normaliser; re-exported)

_NON_BMP = re.compile("[\U00010000-\U0010ffff]")


def _one_char_newlines(text: str) -> str:
    """Lone CR and the line/paragraph separators as "\\n": one character each, so no
    position moves. (str.replace: str.translate is ten times slower on long texts.)"""
    for old in ("\r", "\u2028", "\u2029"):
        if old in text:
            text = text.replace(old, "\n")
    return text


def _newline_map(raw: str) -> tuple[str, list[int]]:
    """Text with CRLF/CR as "\\n", and raw boundary -> boundary in that text.
    A boundary between CR and LF maps to the start of the newline."""
    out: list[int] = []
    pos = 0
    length = len(raw)
    for i, ch in enumerate(raw):
        out.append(pos)
        if ch == "\r" and i + 1 < length and raw[i + 1] == "\n":
            continue  # the LF that follows is the newline itself
        pos += 1
    out.append(pos)
    text = _one_char_newlines(raw.replace("\r\n", "\n"))
    return text, out


def _nfc_map(text: str) -> tuple[str, list[int] | None]:
    """NFC text and boundary map (None when the text is already NFC).

    The text is cut into clusters that NFC treats independently: a character joins
    the current cluster when it is a combining mark or composes with it (the cluster
    then gets shorter). A boundary inside a cluster maps to the cluster's start.
    Linear even for hostile input (a million combining marks): the cluster is a list
    and its NFC form is recomputed only when a starter follows marks."""
    if unicodedata.is_normalized("NFC", text):
        return text, None
    nfc = functools.partial(unicodedata.normalize, "NFC")
    out: list[int] = []
    pieces: list[str] = []
    cluster: list[str] = []
    normal: str | None = None  # NFC of the cluster; None when marks were added since
    done = 0  # length of normalised text before the current cluster
    for ch in text:
        if cluster:
            if unicodedata.combining(ch):
                cluster.append(ch)
                normal = None
                out.append(done)
                continue
            if normal is None:
                normal = nfc("".join(cluster))
            merged = nfc(normal + ch)
            if len(merged) < len(normal) + len(nfc(ch)):
                cluster.append(ch)
                normal = merged
                out.append(done)
                continue
            piece = normal
            pieces.append(piece)
            done += len(piece)
        cluster, normal = [ch], None
        out.append(done)
    if cluster:
        piece = normal if normal is not None else nfc("".join(cluster))
        pieces.append(piece)
        done += len(piece)
    out.append(done)
    return "".join(pieces), out


def _utf16_to_cp(text: str) -> list[int]:
    """UTF-16 unit boundary -> code point boundary (a surrogate middle maps to the char)."""
    out: list[int] = []
    for i, ch in enumerate(text):
        out.append(i)
        if ord(ch) > 0xFFFF:
            out.append(i)
    out.append(len(text))
    return out


@dataclass
class Convention:
    units: str  # "code points" or "UTF-16 units"
    crlf: str  # "as stored" or "as one"
    table: list[int] | None  # producer position -> normalised offset; None = identity
    length: int  # largest valid producer position

    def describe(self) -> str:
        return f"{self.units}, CRLF {self.crlf}" if self.crlf else self.units

    def map(self, position: int) -> int:
        return position if self.table is None else self.table[position]


def conventions(raw: str) -> tuple[str, list[Convention]]:
    """The normalised text and the plausible position conventions, preferred first."""
    raw = raw.removeprefix("\ufeff")
    has_cr = "\r" in raw
    has_astral = _NON_BMP.search(raw) is not None
    nl_text, raw_to_nl = _newline_map(raw) if has_cr else (_one_char_newlines(raw), None)
    text, nl_to_norm = _nfc_map(nl_text)

    def compose(first: list[int] | None, second: list[int] | None) -> list[int] | None:
        if first is None:
            return second
        if second is None:
            return first
        return [second[i] for i in first]

    found: list[Convention] = []
    crlf_views = (
        [("as stored", raw, raw_to_nl), ("as one", nl_text, None)] if has_cr else [("", raw, None)]
    )
    for units in ("code points", "UTF-16 units") if has_astral else ("code points",):
        for crlf, base, to_nl in crlf_views:
            cp_table = compose(to_nl, nl_to_norm)
            table: list[int] | None
            if units == "UTF-16 units":
                unit_table = _utf16_to_cp(base)
                table = unit_table if cp_table is None else [cp_table[i] for i in unit_table]
                length = len(unit_table) - 1
            else:
                table, length = cp_table, len(base)
            found.append(Convention(units, crlf, table, length))
    # Preferred order: code points before UTF-16, CRLF as stored before as one.
    return text, found


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _boundary_score(text: str, start: int, end: int) -> int:
    """How many of the two ends fall between words (0..2)."""
    n = len(text)
    score = 0
    if start == 0 or start >= n or not (_is_word(text[start - 1]) and _is_word(text[start])):
        score += 1
    if end == 0 or end >= n or not (_is_word(text[end - 1]) and _is_word(text[end])):
        score += 1
    return score


# Producers whose unit is known: NVivo (Windows and Mac) counts UTF-16 code units (the
# fixtures prove it); QualCoder and qualcode are Python programs and count code points.
_PRODUCER_UNITS = (
    ("nvivo", "UTF-16 units"),
    ("qualcoder", "code points"),
    ("qualcode", "code points"),
)


def producer_units(origin: str | None) -> str | None:
    """The position unit a producer is known to use, from the project's `origin`."""
    folded = (origin or "").casefold()
    return next((units for key, units in _PRODUCER_UNITS if key in folded), None)


@dataclass
class Choice:
    convention: Convention
    reason: str  # why this reading, "" when every fitting reading gives the same excerpts


def _quotes(name: str | None, excerpt: str) -> bool:
    """True if a selection's name quotes its excerpt (whole, or its start when the
    producer shortened it; names under 3 characters prove nothing)."""
    if not name:
        return False
    said = " ".join(unicodedata.normalize("NFC", name).split()).rstrip("…").rstrip()
    seen = " ".join(excerpt.split())
    if len(said) < 3:
        return False
    return seen == said or (len(said) >= 8 and seen.startswith(said))


def choose(
    text: str,
    options: list[Convention],
    spans: list[tuple[int, int]],
    names: list[str | None] | None = None,
    origin: str | None = None,
) -> Choice | None:
    """How to read a source's positions, or None when no convention fits every span
    (the caller reports the culprit). Clues in order of trust: the producer (`origin`,
    NVivo counts UTF-16 units), the selections' names when they quote the text, and
    how many selection ends fall between words (a human selects whole words; a
    shifted reading cuts them). Ties go to the standard's reading (code points)."""
    fitting = [o for o in options if not any(s < 0 or e < s or e > o.length for s, e in spans)]
    if not fitting:
        return None
    readings: dict[tuple[tuple[int, int], ...], Convention] = {}
    for option in fitting:  # readings giving the same offsets are one reading
        readings.setdefault(tuple((option.map(s), option.map(e)) for s, e in spans), option)
    distinct = list(readings.values())
    if len(distinct) == 1:
        return Choice(distinct[0], "")
    units = producer_units(origin)
    known = [o for o in distinct if o.units == units]
    if known:
        best, _ = _best_by_score(text, known, spans)
        return Choice(best, f"origin {origin}")
    if names and any(names):
        hits = [
            sum(_quotes(n, text[o.map(s) : o.map(e)]) for n, (s, e) in zip(names, spans))
            for o in distinct
        ]
        top = max(hits)
        if top and hits.count(top) == 1:
            return Choice(distinct[hits.index(top)], "selection names quote the text")
    best, tied = _best_by_score(text, distinct, spans)
    return Choice(best, "word boundaries, ambiguous" if tied else "word boundaries")


def _best_by_score(
    text: str, options: list[Convention], spans: list[tuple[int, int]]
) -> tuple[Convention, bool]:
    """The option whose span ends fall most often between words, and whether another
    one scored the same (the earlier, more standard option wins the tie)."""
    scores = [sum(_boundary_score(text, o.map(s), o.map(e)) for s, e in spans) for o in options]
    top = max(scores)
    return options[scores.index(top)], scores.count(top) > 1
