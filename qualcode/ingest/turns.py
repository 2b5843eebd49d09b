"""Find speaker turns and paragraphs in normalised transcript text.

Recognised speaker labels, always at the start of a line:

- ``Interviewer: words``, ``R7: words``, ``Dr. Tanaka: words``, ``Q: words``,
  ``インタビュアー：言葉`` (full-width colon, no space needed)
  (optionally with a timestamp before the label or after it in brackets:
  ``[00:01:23] R7: words``, ``R7 (00:01:23): words``);
- ``[id1] words`` (QualCoder style);
- ``**Name:** words`` or ``**Name**: words`` (Markdown);
- the layout transcription services export: a line holding only a speaker name
  and a timestamp (``Speaker 1  00:01:23``, ``John Smith (00:12)``,
  ``00:01:23 Interviewer``), the words following on the next lines.

A label is at most 40 characters and 4 words of letters/digits. Because ordinary
prose also has lines starting "Note:" or "Here is a list:", a candidate counts as a
speaker only if it looks like a speaker id or role (R7, id1, Speaker 2, Interviewer,
Q, Dr Tanaka), or recurs in the document, or the document already has a turn
structure and the label is a capitalised name. Words like Note, Date, Source and
bracketed stage directions ([laughs], [inaudible]) never count.

A turn runs from after its label to the next accepted label (surrounding
whitespace excluded); text before the first label belongs to no turn.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from qualcode.ingest.model import Turn

MAX_LABEL_CHARS = 40
MAX_LABEL_WORDS = 4

_TS = r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_BTS = rf"(?:\[{_TS}\]|\({_TS}\)|{_TS})"  # timestamp, bare or in brackets
_WORD = r"[^\W_][\w.'’\-]*"
_NAME = rf"{_WORD}(?:[ \t]+{_WORD}){{0,{MAX_LABEL_WORDS - 1}}}"
_SEP = r"[ \t]*(?:[-–—|·][ \t]*)?"

_HEADER = re.compile(
    rf"[ \t]*(?:(?P<ts1>{_BTS}){_SEP}(?P<n1>{_NAME})|(?P<n2>{_NAME}){_SEP}(?P<ts2>{_BTS}))"
    r"[ \t]*:?[ \t]*$"
)
# The full-width colon of Japanese transcripts needs no space after it.
_COLON = re.compile(
    rf"[ \t]*(?:(?P<ts1>{_BTS})[ \t]+)?(?P<name>{_NAME})[ \t]*(?:(?P<ts2>{_BTS})[ \t]*)?"
    r"(?::(?=\s|$)|：)"
)
_BRACKET = re.compile(rf"[ \t]*(?:(?P<ts1>{_BTS})[ \t]+)?\[(?P<name>{_NAME})\](?=[ \t]|$)")
_CLOCK = re.compile(r"\d:\d\d")  # every header holds a timestamp
_BOLD = re.compile(rf"[ \t]*\*\*(?P<name>{_NAME})(?:[ \t]*:[ \t]*\*\*|\*\*[ \t]*:)(?=\s|$)")

_ROLES = (
    "interviewer|interviewee|respondent|participant|moderator|facilitator|researcher"
    "|speaker|informant|int|iv|ie|iee|ier|ir|q|a|question|answer|resp|part|p|r|i"
)
_KNOWN = re.compile(
    rf"(?:{_ROLES})(?:[ \-_]?[a-z]?\d+[a-z]?|[ ][a-z])?"  # Interviewer, Speaker 2, R7, P12b
    r"|[a-z]{1,12}[\-_]?\d{1,4}"  # id1, fg2, admin-1, s01
    r"|(?:dr|mr|mrs|ms|mx|prof|professor|doctor|nurse)\.?[ ]\S.*"  # Dr Tanaka, Dr. Tanaka
    r"|(?:インタビュアー|インタビュイー|聞き手|話し手|司会|質問者|回答者|調査者|対象者|参加者)\d*"
    r"|\w{1,6}(?:さん|先生|医師)",  # 田中さん, 佐藤先生
    re.IGNORECASE,
)
_NOT_SPEAKERS = frozenset(
    """note notes nb ps e.g i.e eg example examples source sources date time duration
    location place venue subject title summary topic topics keywords keyword transcript
    transcriber transcription file filename recording length tags tag see warning important
    update edit comment comments reference references http https www chapter section table
    figure fig total result results conclusion conclusions background aim aims method methods
    objective objectives context abstract definition translation
    laughs laughter laughing inaudible unintelligible crosstalk pause silence music applause
    unclear sic coughs cough sighs sigh overlapping overtalk redacted break end start
    interruption interrupted indistinct""".split()
)


@dataclass(frozen=True)
class _Candidate:
    line_start: int
    content_start: int
    speaker: str
    kind: str  # "header" | "label"
    t_start: float | None
    para_start: bool  # first line of the text or after a blank line


def detect_turns(text: str) -> list[Turn]:
    """Speaker turns of a normalised text, in document order (see module doc)."""
    candidates = [c for c in _candidates(text) if speaker_like(c.speaker)]
    accepted = _accept(candidates)
    turns: list[Turn] = []
    for i, cand in enumerate(accepted):
        limit = accepted[i + 1].line_start if i + 1 < len(accepted) else len(text)
        start, end = strip_span(text, cand.content_start, limit)
        if start < end:
            turns.append(Turn(start, end, cand.speaker, cand.t_start, None))
    return turns


def find_paragraphs(text: str) -> list[tuple[int, int]]:
    """Maximal runs of non-blank lines, as (start, end) spans without outer whitespace."""
    spans: list[tuple[int, int]] = []
    run_start: int | None = None
    run_end = 0
    for start, end in _lines(text):
        if text[start:end].strip():
            if run_start is None:
                run_start = start
            run_end = end
        elif run_start is not None:
            spans.append(strip_span(text, run_start, run_end))
            run_start = None
    if run_start is not None:
        spans.append(strip_span(text, run_start, run_end))
    return spans


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow [start, end) so it neither begins nor ends with whitespace."""
    if start >= end:
        return start, end
    piece = text[start:end]
    body = piece.lstrip()
    if not body:
        return end, end
    return start + len(piece) - len(body), start + len(body.rstrip()) + len(piece) - len(body)


def parse_timestamp(value: str | None) -> float | None:
    """'01:02:03.5', '(00:12)', '[1:02]' -> seconds; None for None."""
    if not value:
        return None
    parts = value.strip("[]() \t").replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


def _lines(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line)
        pos += len(line) + 1


def _candidates(text: str) -> Iterator[_Candidate]:
    after_blank = True
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        line_start, start = start, end + 1
        para_start, after_blank = after_blank, not line.strip()
        # Every label form holds a colon (ASCII or full-width) or a bracket: a line
        # with neither is text (most lines of a hard-wrapped transcript).
        if after_blank or (":" not in line and "：" not in line and "[" not in line):
            continue
        match = _HEADER.match(line) if _CLOCK.search(line) else None
        if match:
            name = match["n1"] or match["n2"]
            ts = parse_timestamp(match["ts1"] or match["ts2"])
            yield _Candidate(line_start, end, name, "header", ts, para_start)
            continue
        bold = line.lstrip(" \t").startswith("**")
        bracket = "[" in line
        for pattern in (_BOLD, _BRACKET, _COLON):
            if (pattern is _BOLD and not bold) or (pattern is _BRACKET and not bracket):
                continue  # cheap tests first: most lines are "Name: words"
            match = pattern.match(line)
            if match:
                groups = match.groupdict()
                stamp = groups.get("ts1") or groups.get("ts2")
                ts = parse_timestamp(stamp) if stamp else None
                yield _Candidate(
                    line_start, line_start + match.end(), match["name"], "label", ts, para_start
                )
                break


@lru_cache(maxsize=4096)  # a transcript repeats a few labels on every turn
def speaker_like(name: str) -> bool:
    """False for over-long labels, list numbers and words like Note, Date, [laughs]."""
    if len(name) > MAX_LABEL_CHARS:
        return False
    words = [w.rstrip(".") for w in name.casefold().split()]
    if words[0] in _NOT_SPEAKERS or words[-1] in _NOT_SPEAKERS:
        return False
    # A bare number or a dotted version ("1.", "2.3") is a list item, not a speaker.
    return any(ch.isalpha() for ch in name)


def _key(name: str) -> str:
    return " ".join(name.casefold().rstrip(".").split())


def _capitalised(name: str) -> bool:
    """Each word starts with a capital or digit; scripts without case (CJK) count."""
    return all(not w[0].islower() for w in name.split())


def _accept(candidates: list[_Candidate]) -> list[_Candidate]:
    counts = Counter(_key(c.speaker) for c in candidates)
    headers = sum(1 for c in candidates if c.kind == "header")

    def strong(c: _Candidate) -> bool:
        if _KNOWN.fullmatch(c.speaker):
            return True
        if c.kind == "header":
            return headers >= 2
        return counts[_key(c.speaker)] >= 2

    strong_ones = [strong(c) for c in candidates]
    n_strong = sum(strong_ones)
    # A capitalised one-off label ("Dr Tanaka:", "Maria:") is accepted in a text
    # that has turns already. It must start a paragraph when the turns are
    # separated by blank lines (so a hard-wrapped line beginning "Kenya: ..." stays
    # text) and when only one other label supports the turn structure.
    strong_at_para = sum(1 for c, s in zip(candidates, strong_ones) if s and c.para_start)
    spaced = strong_at_para * 2 >= n_strong
    return [
        c
        for c, is_strong in zip(candidates, strong_ones)
        if is_strong
        or (
            n_strong >= 1
            and _capitalised(c.speaker)
            and (c.para_start or (n_strong >= 2 and not spaced))
        )
    ]
