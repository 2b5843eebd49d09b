"""Units a cursor steps through in a transcript: sentences, turns and paragraphs.

Used when a document has no stored segments (the project's segmenter normally provides
them) and to find speaker labels. Regex only, no spaCy: it must be instant on a
50,000-word document. Offsets are code points, end exclusive.
"""

from __future__ import annotations

import re

UNITS = ("sentence", "turn", "paragraph")

# "Interviewer:", "R7:", "Dr. Smith:", "Zoë:" at the start of a line.
SPEAKER_RE = re.compile(r"^[ \t]*([^\W\d_][\w .'\-]{0,30}?|[A-Z]+\d+)[ \t]*:(?=\s)", re.UNICODE)
_SENTENCE_RE = re.compile(r"\S.*?(?:[.!?…。！？]+[\"'”’)\]]*(?=\s|$)|$)", re.DOTALL)


def speaker_label(line: str) -> tuple[int, int] | None:
    """Columns (start, end) of the speaker label at the start of `line`, colon included."""
    match = SPEAKER_RE.match(line)
    if match is None:
        return None
    return match.start(1), match.end()


def _lines(text: str):
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1


def turns(text: str) -> list[tuple[int, int]]:
    """Each non-blank line after its speaker label."""
    result = []
    for start, line in _lines(text):
        label = speaker_label(line)
        body_start = label[1] if label else 0
        stripped = line[body_start:].strip()
        if not stripped:
            continue
        lead = line.index(stripped[0], body_start)
        result.append((start + lead, start + lead + len(stripped)))
    return result


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentences inside each turn, split after . ! ? … (and CJK stops)."""
    result = []
    for t_start, t_end in turns(text):
        body = text[t_start:t_end]
        for match in _SENTENCE_RE.finditer(body):
            s = match.group().rstrip()
            if s:
                result.append((t_start + match.start(), t_start + match.start() + len(s)))
    return result


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Blocks separated by blank lines; without blank lines, each turn is a paragraph."""
    if "\n\n" not in text and "\n \n" not in text:
        return turns(text)
    from qualcode.ingest.turns import find_paragraphs  # (loaded when needed: start-up time)

    return find_paragraphs(text)  # the importer's paragraphs: maximal runs of non-blank lines


def fallback_units(text: str, units: tuple[str, ...] = UNITS) -> dict[str, list[tuple[int, int]]]:
    """The named units of `text` found by the rules above ({unit: sorted (start, end) code
    point pairs}), for a document without stored segments of those kinds. Only the units
    asked for are computed: sentences alone take ~50 ms on a 50,000-word transcript."""
    finders = {"sentence": sentences, "turn": turns, "paragraph": paragraphs}
    return {unit: finders[unit](text) for unit in units}
