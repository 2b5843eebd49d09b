"""Pseudonymisation: find names and places, replace them, keep every coding on its words.

Names come from a CSV (name,replacement[,kind]) and are found with spaCy's PhraseMatcher
on lower-cased tokens, so "TANAKA", "Tanaka" and the "Tanaka" of "Tanaka's" all match
while "Tanakamura" does not. When the pipeline is a trained one with NER, PERSON, GPE
and LOC entities not in the list are proposed too, with numbered placeholders.

Replacing text of another length moves every later offset, so `map_offsets` maps old
offsets to new ones given the sorted replacements; an offset strictly inside a replaced
name maps to the start (for a span start) or end (for a span end) of its replacement.
Everything here is pure; the facade (qualcode.facade.segment) writes the result.
"""

from __future__ import annotations

import csv
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def find_replacements(
    documents: Iterable[tuple[int, str]],
    rules: Sequence[NameRule],
    *,
    lang: str = "en",
    nlp=None,
    use_ner: bool = True,
) -> list[Replacement]:
    """Every occurrence of a listed name (and of PERSON/GPE/LOC entities when the
    pipeline has NER), in document and text order, never overlapping."""
    from spacy.matcher import PhraseMatcher
    from spacy.util import filter_spans

    from qualcode.nlp.pieces import pieces
    from qualcode.nlp.pipeline import has_ner, make_pipeline

    nlp = nlp if nlp is not None else make_pipeline(lang)
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    by_key: dict[int, NameRule] = {}
    for number, rule in enumerate(rules):
        key = f"qualcode_name_{number}"
        by_key[nlp.vocab.strings.add(key)] = rule
        matcher.add(key, [nlp.make_doc(rule.name)])
    with_ner = use_ner and has_ner(nlp)
    process = nlp.pipe if with_ner else nlp.tokenizer.pipe
    placeholders: dict[tuple[str, str], str] = {}
    documents = list(documents)
    places = [(doc_id, s, e) for doc_id, text in documents for s, e in pieces(text, None, lang)]
    texts = dict(documents)
    found: list[Replacement] = []
    processed = process((texts[d][s:e] for d, s, e in places), batch_size=128)
    for doc, (doc_id, base, _) in zip(processed, places):
        spans: list[Any] = []  # spaCy Spans
        rule_of: dict[tuple[int, int], NameRule] = {}
        for match_id, start, end in matcher(doc):
            span = doc[start:end]
            spans.append(span)
            rule_of[(span.start, span.end)] = by_key[match_id]
        if with_ner:
            spans += [e for e in doc.ents if e.label_ in ENTITY_KINDS]
        for span in sorted(filter_spans(spans), key=lambda s: s.start):
            old = span.text
            listed = rule_of.get((span.start, span.end))
            if listed is not None:
                new, kind, source = _match_case(old, listed.replacement), listed.kind, "list"
            else:
                kind = ENTITY_KINDS[span.label_]
                label = (kind, old.lower())
                if label not in placeholders:
                    count = sum(1 for k in placeholders if k[0] == kind) + 1
                    placeholders[label] = f"[{kind.upper()} {count}]"
                new, source = placeholders[label], "ner"
            start = base + span.start_char
            found.append(Replacement(doc_id, start, start + len(old), old, new, kind, source))
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
