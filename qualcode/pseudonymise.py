"""Pseudonymisation: find names and places, replace them, keep every coding on its words.

Names come from a CSV (name,replacement[,kind]) and are found by `NameMatcher`, one
matcher for the document texts and every other place a name can be (titles, file names,
memos, the audit log, the trash...). A name matches ignoring case wherever the
characters either side of it are not letters: spaces, punctuation, digits, `_`, `@` and
`.` are all boundaries, so "TANAKA", "Tanaka's", "P1_Tanaka.txt", "Tanaka2",
"tanaka_j@hosp.org" and "@dr_tanaka" all match. Letters joined to a name are not a
boundary, so the listed "Novak" does not match "Novakova" (another name: list it too),
except inside an e-mail address or @handle, where a listed name is matched anywhere
("jnovak@hosp.org"), since addresses run names together. In scripts written without
spaces (Chinese, Japanese kana and kanji) a name matches wherever it occurs. The
replacement keeps the case of what it replaces (TANAKA -> LI, tanaka -> li). Accents
are ignored by default (`fold_accents`): text and names are compared without the
accents of Latin, Greek and Cyrillic letters (their NFD form stripped of combining marks
U+0300-U+036F, plus ł, ø, đ, ħ, ı as l, o, d, h, i; kana keep their dakuten), so
the listed "Novak" matches "Novák" and "NOVÁK", and "Hyogo" matches "Hyōgo"; the match is
mapped back to its span in the text as written (code points into NFC text), marks and
all. `NameMatcher.variant` says which listed name an accent variant stood for. When the
spaCy pipeline is a trained one with NER, PERSON, GPE and LOC entities not in the list
are proposed too, with numbered placeholders; without one (the default install) only the
listed names are found, and the CLI says so.

Replacing text of another length moves every later offset, so `map_offsets` maps old
offsets to new ones given the sorted replacements; an offset strictly inside a replaced
name maps to the start (for a span start) or end (for a span end) of its replacement.
Everything here is pure; the facade (qualcode.facade.segment) writes the result.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from qualcode.errors import QualcodeError

ENTITY_KINDS = {"PERSON": "person", "GPE": "place", "LOC": "place"}
KINDS = ("person", "place", "other")


class PseudonymiseError(QualcodeError):
    """A names file or a pseudonymisation plan is invalid."""


@dataclass(frozen=True)
class NameRule:
    name: str
    replacement: str
    kind: str = "person"


@dataclass(frozen=True)
class Replacement:
    document_id: int
    start: int
    end: int
    old: str
    new: str
    kind: str
    source: str  # "list" (names file) or "ner" (entity recogniser)
    variant_of: str | None = None  # the listed name, when `old` is an accent variant of it


def load_names(path: str | Path) -> list[NameRule]:
    """Read name,replacement[,kind] rows; a header row is required."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except FileNotFoundError:
        raise PseudonymiseError(f"{path}: no such names file") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise PseudonymiseError(f"{path}: not a readable UTF-8 CSV file ({exc})") from None
    if not rows or not {"name", "replacement"} <= {(k or "").strip().lower() for k in rows[0]}:
        raise PseudonymiseError(
            f"{path}: needs a header with columns name,replacement (and optionally kind)"
        )
    rules = []
    first: dict[str, tuple[int, str]] = {}
    for line, row in enumerate(rows, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if not row["name"]:
            continue
        if not row["replacement"]:
            raise PseudonymiseError(
                f"{path}: line {line}: {row['name']!r} has an empty replacement"
            )
        kind = (row.get("kind") or "person").lower()
        if kind not in KINDS:
            raise PseudonymiseError(
                f"{path}: line {line}: kind {kind!r} is not one of {', '.join(KINDS)}"
            )
        seen = first.setdefault(row["name"].casefold(), (line, row["replacement"]))
        if seen[1] != row["replacement"]:
            # Which replacement wins would depend on the matcher: refuse instead.
            raise PseudonymiseError(
                f"{path}: line {line}: {row['name']!r} is listed again with another "
                f"replacement ({row['replacement']!r}; line {seen[0]} has {seen[1]!r})"
            )
        rules.append(NameRule(row["name"], row["replacement"], kind))
    if not rules:
        raise PseudonymiseError(f"{path}: no names listed")
    return rules


# Letters that make a name part of a longer word; CJK (written without spaces) is left out,
# so "田中" matches in "田中さん". Combining marks count as letters ("Jose" + U+0301).
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_NOT_BEFORE = rf"(?<![^\W\d_{_CJK}])(?<![\u0300-\u036f])"
_NOT_AFTER = rf"(?![^\W\d_{_CJK}])(?![\u0300-\u036f])"
# An e-mail address or @handle: names are matched anywhere inside one.
_ADDRESS = re.compile(r"[\w.+%-]*@[\w.-]*\w")


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


# Letters with a stroke or other mark that NFD does not split off, read as their base letter.
_BASE = str.maketrans("łŁøØđĐħĦı", "lLoOdDhHi")


def _accent(ch: str) -> bool:
    """A combining accent of the Latin, Greek and Cyrillic scripts (U+0300-U+036F). Marks
    of other scripts change the letter (Japanese dakuten: か, が), so they stay."""
    return "\u0300" <= ch <= "\u036f"


def _fold_char(ch: str) -> str:
    """ch without its accents: "" for a combining accent, else a Latin, Greek or
    Cyrillic letter's NFD form stripped of its accents (any other character as it is,
    so kana keep their dakuten and Hangul syllables stay whole)."""
    if _accent(ch):
        return ""
    if ch < "\u00c0" or ch > "\u052f" and not "\u1e00" <= ch <= "\u1fff":
        return ch  # ASCII, and scripts outside Latin, Greek, Cyrillic: nothing to strip
    parts = unicodedata.normalize("NFD", ch)
    return "".join(c for c in parts if not _accent(c)).translate(_BASE)


def fold_accents(text: str) -> tuple[str, list[int], list[int]]:
    """(folded text, start, end): the text without accents (_fold_char), and for each of
    its characters the span [start, end) in `text` it comes from, a combining mark
    counted with the letter before it (so a match ends after "Jose" + U+0301's mark)."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        if not folded:
            if ends:
                ends[-1] = i + 1  # a mark belongs to the letter it follows
            continue
        for piece in folded:
            out.append(piece)
            starts.append(i)
            ends.append(i + 1)
    return "".join(out), starts, ends


def _folded_key(name: str) -> str:
    return _key(fold_accents(name)[0])


class NameMatcher:
    """Finds listed names (see the module docstring for the boundaries) and gives their
    case-kept replacements. `pairs` are (name, replacement); the first pair of a name
    (ignoring case and runs of spaces) wins, and a longer name wins over a shorter one
    at the same place ("Anna Lee" before "Anna"). A space inside a name matches any run
    of white space (a line break in "Anna\nLee"). whole_words=True makes digits and `_`
    part of a word, turns off the e-mail rule and gives the replacement as it is (for ids
    such as "R1", which must not match in "R12"). fold_accents=True (the default) also
    matches a name written with other accents ("Novák" for "Novak"); a spelling listed
    itself keeps its own replacement, another variant takes the first listed name it
    folds to."""

    def __init__(
        self,
        pairs: Iterable[tuple[str, str]],
        whole_words: bool = False,
        fold_accents: bool = True,
    ):
        self.mapping: dict[str, str] = {}
        self._keep_case = not whole_words
        self._fold = fold_accents
        self._listed: dict[str, str] = {}  # folded key -> the first name listed for it
        for old, new in pairs:
            if old.strip():
                self.mapping.setdefault(_key(old), new)
                self._listed.setdefault(_folded_key(old) if fold_accents else _key(old), old)
        keys = {(_folded_key(n) if fold_accents else n) for n in self.mapping}
        names = sorted(keys, key=len, reverse=True)
        alternatives = "|".join(r"\s+".join(re.escape(w) for w in n.split()) for n in names)
        before, after = (r"(?<!\w)", r"(?!\w)") if whole_words else (_NOT_BEFORE, _NOT_AFTER)
        self._bounded = re.compile(f"{before}(?:{alternatives}){after}", re.I) if names else None
        self._anywhere = (
            re.compile(f"(?:{alternatives})", re.I) if names and not whole_words else None
        )

    def matches(self, text: str | None) -> list[tuple[int, int, str]]:
        """(start, end, replacement) of every name in `text`, sorted, never overlapping;
        offsets are str indices into `text` (with fold_accents, mapped back from the
        folded text: a name's accents and combining marks are inside its span)."""
        if self._bounded is None or not text:
            return []
        folded, starts, ends = text, None, None
        if self._fold and not text.isascii():  # ASCII has no accents: nothing to map
            folded, starts, ends = fold_accents(text)
        raw = [(m.start(), m.end()) for m in self._bounded.finditer(folded)]
        if self._anywhere is not None and "@" in folded:
            for address in _ADDRESS.finditer(folded):
                for m in self._anywhere.finditer(address.group()):
                    raw.append((address.start() + m.start(), address.start() + m.end()))
        if starts is not None and ends is not None:
            raw = [(starts[a], ends[b - 1]) for a, b in raw if b > a]
        found = raw
        out: list[tuple[int, int, str]] = []
        for start, end in sorted(found, key=lambda se: (se[0], -se[1])):
            if out and start < out[-1][1]:
                continue  # inside (or across) a name already found
            old = text[start:end]
            new = self._replacement(old)
            out.append((start, end, _match_case(old, new) if self._keep_case else new))
        return out

    def variant(self, old: str) -> str | None:
        """The listed name `old` (a match) stands for when it is spelled with other
        accents than every listed spelling ("Novák" -> "Novak"); None when it is listed
        as written (ignoring case and spaces)."""
        if _key(old) in self.mapping or not self._fold:
            return None
        return self._listed.get(_folded_key(old))

    def _replacement(self, old: str) -> str:
        new = self.mapping.get(_key(old))
        if new is None and self._fold:  # an accent variant: the name listed for it
            listed = self._listed.get(_folded_key(old))
            new = self.mapping.get(_key(listed)) if listed is not None else None
        if new is None:  # matched under re.I but casefolds otherwise (rare letters)
            pattern = (lambda k: _folded_key(k)) if self._fold else (lambda k: k)
            target = fold_accents(old)[0] if self._fold else old
            new = next(
                v
                for k, v in self.mapping.items()
                if re.fullmatch(r"\s+".join(re.escape(w) for w in pattern(k).split()), target, re.I)
            )
        return new

    def sub(self, text: str | None) -> str | None:
        """`text` with every name replaced (None stays None)."""
        if text is None:
            return None
        found = self.matches(text)
        if not found:
            return text
        out, pos = [], 0
        for start, end, new in found:
            out += [text[pos:start], new]
            pos = end
        out.append(text[pos:])
        return "".join(out)


def find_replacements(
    documents: Iterable[tuple[int, str]],
    rules: Sequence[NameRule],
    *,
    lang: str = "en",
    nlp=None,
    use_ner: bool = True,
    fold_accents: bool = True,
) -> list[Replacement]:
    """Every occurrence of a listed name (NameMatcher; with fold_accents its accent
    variants too, each Replacement's variant_of naming the listed name), and of
    PERSON/GPE/LOC entities when use_ner and the pipeline has NER, in document and text
    order, never overlapping (a listed name wins over an entity it touches). spaCy is
    loaded only for NER; `nlp` defaults to the language's pipeline (qualcode.nlp.pipeline)."""
    matcher = NameMatcher(
        ((rule.name, rule.replacement) for rule in rules), fold_accents=fold_accents
    )
    rule_of = {_key(rule.name): rule for rule in reversed(rules)}  # the first one wins
    documents = list(documents)
    found: list[Replacement] = []
    listed: dict[int, list[tuple[int, int, str]]] = {}
    for doc_id, text in documents:
        listed[doc_id] = matcher.matches(text)
    entities: dict[int, list[tuple[int, int, str]]] = {}
    if use_ner:
        from qualcode.nlp.pieces import pieces
        from qualcode.nlp.pipeline import has_ner, make_pipeline

        nlp = nlp if nlp is not None else make_pipeline(lang)
        if has_ner(nlp):
            texts = dict(documents)
            places = [(d, s, e) for d, text in documents for s, e in pieces(text, None, lang)]
            processed = nlp.pipe((texts[d][s:e] for d, s, e in places), batch_size=128)
            for doc, (doc_id, base, _) in zip(processed, places):
                entities.setdefault(doc_id, []).extend(
                    (base + e.start_char, base + e.end_char, e.label_)
                    for e in doc.ents
                    if e.label_ in ENTITY_KINDS
                )
    placeholders: dict[tuple[str, str], str] = {}
    for doc_id, text in documents:
        spans = [(s, e, new, "list") for s, e, new in listed[doc_id]]
        for s, e, label in entities.get(doc_id, []):
            if not any(s < le and ls < e for ls, le, _, _ in spans):
                spans.append((s, e, label, "ner"))
        for start, end, new, source in sorted(spans):
            old = text[start:end]
            variant = None
            if source == "list":
                variant = matcher.variant(old)
                rule = rule_of.get(_key(variant if variant is not None else old))
                kind = rule.kind if rule is not None else "person"
            else:
                kind = ENTITY_KINDS[new]
                key = (kind, old.lower())
                if key not in placeholders:
                    count = sum(1 for k in placeholders if k[0] == kind) + 1
                    placeholders[key] = f"[{kind.upper()} {count}]"
                new = placeholders[key]
            found.append(Replacement(doc_id, start, end, old, new, kind, source, variant))
    return found


def _match_case(old: str, new: str) -> str:
    if old.isupper() and len(old) > 1:
        return new.upper()
    if old.islower():
        return new.lower()
    return new


def apply_to_text(text: str, replacements: Sequence[Replacement]) -> str:
    """The text with the (sorted, non-overlapping) replacements made."""
    out, pos = [], 0
    for r in replacements:
        out.append(text[pos : r.start])
        out.append(r.new)
        pos = r.end
    out.append(text[pos:])
    return "".join(out)


def map_offsets(
    offsets: Iterable[int], replacements: Sequence[tuple[int, int, int]], side: str
) -> list[int]:
    """Map offsets into the old text to offsets into the new one.

    `replacements` are (start, end, new_length), sorted and non-overlapping. `side` is
    "start" or "end": an offset strictly inside a replaced name moves to the start of
    the replacement for a span start, to its end for a span end, so a span touching a
    name covers all of its replacement. Offsets at or before a name's start do not move;
    offsets at or after its end shift by the length difference.
    """
    if side not in ("start", "end"):
        raise ValueError("side must be 'start' or 'end'")
    starts = [r[0] for r in replacements]
    ends = [r[1] for r in replacements]
    shift_before = [0]  # total length change of the first i replacements
    for start, end, new_length in replacements:
        shift_before.append(shift_before[-1] + new_length - (end - start))
    out = []
    for offset in offsets:
        i = bisect_right(ends, offset)  # replacements ending at or before the offset
        if i < len(starts) and starts[i] < offset:  # strictly inside replacement i
            new_start = starts[i] + shift_before[i]
            out.append(new_start + (replacements[i][2] if side == "end" else 0))
        else:
            out.append(offset + shift_before[i])
    return out


def context(text: str, start: int, end: int, width: int = 30) -> str:
    """One line of text around [start, end) with the match in [brackets]."""
    before = text[max(0, start - width) : start].replace("\n", " ")
    after = text[end : end + width].replace("\n", " ")
    return f"{'…' if start > width else ''}{before}[{text[start:end]}]{after}{'…' if end + width < len(text) else ''}"
