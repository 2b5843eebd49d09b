"""Which participant a file belongs to, read from its file name.

Default rule (when no --participant is given): the file name starts with a participant
id, letters then digits, optionally joined by "-" or "_", and followed by the end of the
name or a separator (_ - space .):

    R7_interview.txt -> R7        BSR01_transcript.docx -> BSR01
    P-12 notes.md    -> P-12      interview.txt         -> (none)

`--participant-from REGEX` replaces the rule: the named group "participant", else the
first group, else the whole match of `re.search(REGEX, file name without its suffix)`.
A file that does not match gets no participant; the import summary says which.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from qualcode.errors import ImportError_

DEFAULT_RULE = r"^(?P<participant>[^\W\d_]{1,8}[-_]?\d{1,5})(?=$|[\s_.-])"


def compile_rule(pattern: str | None) -> re.Pattern[str]:
    """The rule as a compiled pattern; an invalid REGEX is a one-line ImportError_."""
    try:
        return re.compile(pattern or DEFAULT_RULE)
    except re.error as exc:
        raise ImportError_(
            f"--participant-from {pattern!r}: not a regular expression ({exc})"
        ) from None


def participant_from_name(path: str | Path, rule: re.Pattern[str]) -> str | None:
    """The participant id (NFC) the rule finds in the file name (without suffix), or None."""
    stem = Path(path).stem
    found = rule.search(stem)
    if not found:
        return None
    if "participant" in rule.groupindex:
        value = found.group("participant")
    elif rule.groups:
        value = found.group(1)
    else:
        value = found.group(0)
    value = unicodedata.normalize("NFC", (value or "").strip())
    return value or None


def participants_for(
    paths: list[Path], participant: str | None, pattern: str | None
) -> dict[Path, str | None]:
    """Each file's participant: the one given for all (--participant), else from its
    name by the rule (--participant-from REGEX, or the default rule)."""
    if participant:
        return {p: participant for p in paths}
    rule = compile_rule(pattern)
    return {p: participant_from_name(p, rule) for p in paths}
