"""WebVTT and SubRip (SRT) subtitles -> transcript text with timed turns.

Each turn is rendered as a paragraph "Speaker: words" (or just "words" when the
cue names no speaker), paragraphs separated by a blank line. Consecutive cues of
the same named speaker are merged into one turn that keeps the first cue's start
time and the last cue's end time; speakerless cues stay one turn each so their
timing is not lost. Speakers come from VTT voice tags (<v Name>) or from a
"Name: " prefix in the cue text.

Only markup the formats define is markup: SubRip's <i> <b> <u> <font ...> and
their end tags, WebVTT's <c.class> <i> <b> <u> <v Name> <lang xx> <ruby> <rt>
and cue timestamps <00:01.000>, and the {\\an8} overrides subtitle tools write.
Those are stripped (ruby annotations <rt>...</rt> dropped with their text);
every other "<" and ">" is text ("We had <10 beds and >20 nurses"). WebVTT's
character references (&amp; &lt; &nbsp;...) are decoded; SubRip has no escaping,
so an SRT's "&amp;" stays as written.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from qualcode.errors import ImportError_
from qualcode.ingest.model import Turn
from qualcode.ingest.turns import speaker_like

_TIME = r"(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}"
_TIMING = re.compile(rf"^\s*(?P<start>{_TIME})\s*-->\s*(?P<end>{_TIME})")
_VOICE = re.compile(r"<v(?:\.[^\s<>]*)?[ \t]+([^<>]*)>", re.IGNORECASE)
_RUBY_TEXT = re.compile(r"<rt(?:\.[^\s<>]*)?>.*?</rt\s*>", re.IGNORECASE | re.DOTALL)
_CLASSES = r"(?:\.[^\s<>.]+)*"
_TAG = re.compile(
    # SubRip and WebVTT start tags (only <v> and <lang> carry an annotation) ...
    rf"<(?:i|b|u|c|ruby|rt){_CLASSES}>"
    rf"|<(?:v|lang){_CLASSES}(?:[ \t][^<>]*)?>"
    # ... SubRip's <font color=... face=...>, end tags, cue timestamps ...
    r"|<font(?:\s[^<>]*)?>"
    r"|</(?:i|b|u|c|v|lang|ruby|rt|font)\s*>"
    r"|<(?:\d+:)?\d{2}:\d{2}\.\d{3}>"
    # ... and the {\an8} position overrides of SSA-minded tools.
    r"|\{\\[^{}]*\}",
    re.IGNORECASE,
)
_NAME_PREFIX = re.compile(r"^[-–]?\s*([^\W_][\w.'’\- ]{0,38}?)\s*:\s+(?=\S)")
_MAX_NAME_WORDS = 4


@dataclass
class _Cue:
    t_start: float
    t_end: float
    speaker: str | None
    words: str


def render_captions(text: str, name: str, kind: str) -> tuple[str, list[Turn]]:
    """(rendered text, timed turns) from decoded VTT ('vtt') or SRT ('srt') text."""
    cues = _parse_cues(text, name, kind)
    if not cues:
        raise ImportError_(f"{name}: no subtitle cues with text found (not a valid .{kind} file)")
    merged: list[_Cue] = []
    for cue in cues:
        last = merged[-1] if merged else None
        if last and cue.speaker is not None and cue.speaker == last.speaker:
            last.words = f"{last.words} {cue.words}"
            last.t_end = cue.t_end
        else:
            merged.append(_Cue(cue.t_start, cue.t_end, cue.speaker, cue.words))
    parts: list[str] = []
    turns: list[Turn] = []
    pos = 0
    for cue in merged:
        prefix = f"{cue.speaker}: " if cue.speaker else ""
        start = pos + len(prefix)
        end = start + len(cue.words)
        turns.append(Turn(start, end, cue.speaker, cue.t_start, cue.t_end))
        parts.append(prefix + cue.words)
        pos = end + 2  # the blank line between paragraphs
    return "\n\n".join(parts), turns


def _seconds(value: str) -> float:
    seconds = 0.0
    for part in value.replace(",", ".").split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def _blocks(text: str) -> Iterator[list[str]]:
    block: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            block.append(line)
        elif block:
            yield block
            block = []
    if block:
        yield block


def _parse_cues(text: str, name: str, kind: str) -> list[_Cue]:
    if kind == "vtt" and not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise ImportError_(f"{name}: not a WebVTT file (first line is not 'WEBVTT')")
    cues: list[_Cue] = []
    for block in _blocks(text):
        timing_at, timing = next(
            ((i, m) for i, line in enumerate(block[:2]) if (m := _TIMING.match(line))),
            (0, None),
        )
        if timing is None:
            continue  # WEBVTT header, NOTE, STYLE, REGION, or a stray line
        t_start, t_end = _seconds(timing["start"]), _seconds(timing["end"])
        payload = "\n".join(block[timing_at + 1 :])
        for speaker, words in _speakers_and_words(payload, kind):
            if words:
                cues.append(_Cue(t_start, t_end, speaker, words))
    return cues


def _speakers_and_words(payload: str, kind: str) -> list[tuple[str | None, str]]:
    """Split a cue payload into (speaker, plain words) pieces, one per voice."""
    payload = _RUBY_TEXT.sub("", payload)
    voices = list(_VOICE.finditer(payload))
    if not voices:
        return [_name_prefix(_plain(payload, kind))]
    pieces = []
    before = _plain(payload[: voices[0].start()], kind)
    if before:
        pieces.append(_name_prefix(before))
    for i, voice in enumerate(voices):
        end = voices[i + 1].start() if i + 1 < len(voices) else len(payload)
        speaker = " ".join(_unescape(voice.group(1), kind).split()) or None
        pieces.append((speaker, _plain(payload[voice.end() : end], kind)))
    return pieces


def _unescape(text: str, kind: str) -> str:
    return html.unescape(text) if kind == "vtt" else text


def _plain(markup: str, kind: str) -> str:
    """Cue text without its markup, whitespace runs as one space, NFC."""
    plain = " ".join(_unescape(_TAG.sub("", markup), kind).split())
    return unicodedata.normalize("NFC", plain)  # entities may spell combining marks


def _name_prefix(words: str) -> tuple[str | None, str]:
    match = _NAME_PREFIX.match(words)
    if match and len(match.group(1).split()) <= _MAX_NAME_WORDS and speaker_like(match.group(1)):
        return match.group(1).strip(), words[match.end() :]
    return None, words
