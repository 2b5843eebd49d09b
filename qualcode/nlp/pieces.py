"""Cut a document into the pieces that go through spaCy, with their offsets.

Sentences must never cross a speaker turn or a paragraph break, nor include a speaker
label, so each document is cut into turn bodies (label stripped) and, inside those,
blank-line paragraphs. Pieces longer than the language's limit are cut again at a line
break, a sentence end or a space: SudachiPy (Japanese) refuses input over 49,149 bytes
and spaCy over 1,000,000 characters. Every piece keeps its start offset into the
document, so spans found in it map back by addition. Pure Python, no spaCy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

Span = tuple[int, int]

# Characters per piece: Japanese text is up to 4 bytes a character in UTF-8, so 12,000
# characters stay under SudachiPy's 49,149-byte limit whatever the script.
MAX_PIECE_CHARS = {"ja": 12_000}
DEFAULT_MAX_PIECE_CHARS = 200_000

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_TIMESTAMP = r"[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]?"
# What may precede a speaker name in a label: spaces, brackets, a timestamp, dashes.
_BEFORE_NAME = re.compile(rf"^(?:\s|[\[(<]|{_TIMESTAMP}|-->?|[-–—])*$")
# What may follow it: closing brackets, a timestamp, a colon, then the speech.
_AFTER_NAME = re.compile(rf"(?:\s*(?:[\])>）］]|{_TIMESTAMP}|[:：]|-->?))+\s*")
# Used when the importer gave no speaker name: "[id1] ", "Interviewer: ", "Dr Sato (00:01:02): ".
_GENERIC_LABEL = re.compile(
    rf"^\s*(?:{_TIMESTAMP}\s*)?"
    rf"(?:\[[^\]\n]{{1,40}}\](?=\s)|[A-Z][\w.'’\-]*(?: [A-Z0-9][\w.'’\-]*){{0,3}}\s*(?:{_TIMESTAMP}\s*)?[:：])"
    rf"\s*(?:{_TIMESTAMP}\s*:?\s*)?"
)
_LABEL_REACH = 120  # a label is found in the first characters of a turn only


def turn_fields(turn) -> tuple[int, int, str | None]:
    """(start, end, speaker) of an importer Turn, a (start, end[, speaker]) tuple or a dict."""
    if isinstance(turn, dict):
        return int(turn["start"]), int(turn["end"]), turn.get("speaker")
    if hasattr(turn, "start"):
        return int(turn.start), int(turn.end), getattr(turn, "speaker", None)
    start, end, *rest = turn
    return int(start), int(end), (rest[0] if rest else None)


def turn_body(text: str, turn) -> Span:
    """The turn's span without its speaker label and surrounding whitespace."""
    start, end, speaker = turn_fields(turn)
    head = text[start : min(end, start + _LABEL_REACH)]
    cut = 0
    found = head.lower().find(speaker.lower()) if speaker else -1
    if speaker and found >= 0 and _BEFORE_NAME.match(head[:found]):
        # A label is the name followed by a colon, bracket or timestamp; the importer
        # usually gives turns without it, and then "Tanaka here..." must stay whole.
        after = _AFTER_NAME.match(head, found + len(speaker))
        cut = after.end() if after else 0
    elif not speaker:
        label = _GENERIC_LABEL.match(head)
        cut = label.end() if label else 0
    return _strip(text, start + cut, end)


def _strip(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def regions(text: str, turns: Sequence | None) -> list[Span]:
    """Turn bodies, or the whole text when the document has no turns."""
    if turns:
        spans = [turn_body(text, t) for t in sorted(turns, key=lambda t: turn_fields(t)[0])]
        return [s for s in spans if s[1] > s[0]]
    span = _strip(text, 0, len(text))
    return [span] if span[1] > span[0] else []


def paragraph_spans(text: str, turns: Sequence | None = None) -> list[Span]:
    """Blank-line separated blocks, never crossing a turn, labels excluded."""
    out: list[Span] = []
    for start, end in regions(text, turns):
        pos = start
        for brk in _PARAGRAPH_BREAK.finditer(text, start, end):
            if brk.start() > pos:
                out.append(_strip(text, pos, brk.start()))
            pos = brk.end()
        if pos < end:
            out.append(_strip(text, pos, end))
    return [s for s in out if s[1] > s[0]]


def pieces(text: str, turns: Sequence | None = None, lang: str = "en") -> list[Span]:
    """Paragraphs, each cut further if longer than the language allows."""
    limit = MAX_PIECE_CHARS.get(lang, DEFAULT_MAX_PIECE_CHARS)
    out: list[Span] = []
    for start, end in paragraph_spans(text, turns):
        out.extend(split_long(text, start, end, limit))
    return out


_CUT_PREFERENCES = (
    re.compile(r"\n"),
    re.compile(r"[.?!。！？](?=\s|$)|[。！？]"),
    re.compile(r"\s"),
)


def split_long(text: str, start: int, end: int, limit: int) -> list[Span]:
    """Cut [start, end) into spans of at most `limit` characters, at the nicest place
    in the second half of each window: a line break, else a sentence end, else a space."""
    out: list[Span] = []
    while end - start > limit:
        window_end = start + limit
        cut = None
        for pattern in _CUT_PREFERENCES:
            hits = [m.end() for m in pattern.finditer(text, start + limit // 2, window_end)]
            if hits:
                cut = hits[-1]
                break
        cut = cut or window_end
        span = _strip(text, start, cut)
        if span[1] > span[0]:
            out.append(span)
        start = cut
    span = _strip(text, start, end)
    if span[1] > span[0]:
        out.append(span)
    return out
