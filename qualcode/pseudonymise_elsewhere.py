"""Pseudonymisation beyond the document texts: every other place a name can be.

The facade's apply_pseudonymisation rewrites the documents with offset mapping; this
module rewrites the rest with the same name -> replacement pairs (the names file's rules
and every name the plan found, entities included): document titles and source file
names, participant ids and labels, attribute values, speakers of segments, code names and
descriptions, coding memos, memos, project metadata, and the trash (a deleted document's
text with its codings' and segments' offsets moved, every other string replaced). Names
are matched by qualcode.pseudonymise.NameMatcher, the matcher of the texts, so
"TANAKA", "Tanaka's", "P1_Tanaka.txt" and "tanaka_j@hosp.org" go and "Tanakamura"
stays. Pure functions over text and JSON; the facade runs the SQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from qualcode.pseudonymise import NameMatcher, map_offsets

Triples = list[tuple[int, int, int]]  # (start, end, new length), sorted


class NameReplacer:
    """Replaces listed names in any text, with the boundaries and case-keeping of
    qualcode.pseudonymise.NameMatcher (the one matcher for texts and everything else)."""

    def __init__(
        self,
        pairs: Iterable[tuple[str, str]],
        whole_words: bool = False,
        fold_accents: bool = True,
    ):
        self.matcher = NameMatcher(pairs, whole_words, fold_accents)
        self.mapping = self.matcher.mapping

    def variants(self, text: str | None) -> list[tuple[str, str, str]]:
        """(as written, listed name, replacement) of each accent variant in `text`."""
        out = []
        for s, e, new in self.matcher.matches(text):
            listed = self.matcher.variant(text[s:e])  # type: ignore[index]
            if listed is not None:
                out.append((text[s:e], listed, new))  # type: ignore[index]
        return out

    def triples(self, text: str | None) -> Triples:
        """Where names are in `text`: (start, end, length of the replacement)."""
        return [(s, e, len(new)) for s, e, new in self.matcher.matches(text)]

    def text(self, text: str | None) -> str | None:
        return self.matcher.sub(text)

    def deep(self, value: Any) -> Any:
        """Every string inside a JSON value replaced."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.deep(v) for v in value]
        if isinstance(value, dict):
            return {k: self.deep(v) for k, v in value.items()}
        return value


# Coders are the researchers, not participants: their names are left as they are wherever
# they name a coder (codings, memo authors, the log's rows, the project's coder, REFI
# users), even when a listed name is also a coder's, so that the log still matches the
# data (undo compares them) and each coding keeps its coder. Free text is replaced.
CODER_KEYS = frozenset({"coder", "author"})  # in the log's JSON rows
CODER_META = frozenset({"coder", "refi_user_guids"})  # meta values that hold coder names
# Where a coder name sits in the rows of a trash payload: list -> index.
_TRASH_CODERS = {"document": {"codings": 3, "memos": 5}, "code": {"codings": 4, "memos": 5}}


def logged_row(value: str, replacer: NameReplacer) -> str:
    """A log_changes before/after (a JSON object) with names replaced in every value but
    the coder's (CODER_KEYS); parsed, so an escape (`\\n`) before a name hides nothing."""
    try:
        row = json.loads(value)
    except ValueError:
        return replacer.text(value) or value
    if not isinstance(row, dict):
        return json.dumps(replacer.deep(row), ensure_ascii=False, separators=(",", ":"))
    new = {k: v if k in CODER_KEYS else replacer.deep(v) for k, v in row.items()}
    if new == row:
        return value
    return json.dumps(new, ensure_ascii=False, separators=(",", ":"))


def _keep_coders(kind: str, before: dict, after: dict) -> None:
    """Put the coder names of a trash payload's rows back after replacing (CODER_KEYS)."""
    for key, index in _TRASH_CODERS.get(kind, {}).items():
        for old, new in zip(before.get(key) or [], after.get(key) or []):
            if isinstance(old, list) and isinstance(new, list) and len(old) > index:
                new[index] = old[index]


def moved(span: list, triples: Triples) -> list:
    """A payload row whose first two items are (start, end), with the offsets moved."""
    if not triples:
        return span
    [start] = map_offsets([span[0]], triples, "start")
    [end] = map_offsets([span[1]], triples, "end")
    return [start, end, *span[2:]]


def trash_payload(
    kind: str, payload_json: str, replacer: NameReplacer, live: dict[int, Triples]
) -> str:
    """A trash entry's payload with every name replaced. A deleted document's text is
    rewritten with its codings and segments moved; a deleted code's codings point into live
    documents, whose replacements (`live`, by document id) move them."""
    payload = json.loads(payload_json)
    original = json.loads(payload_json)
    if kind == "document" and isinstance(payload.get("document"), dict):
        text = payload["document"].get("text") or ""
        triples = replacer.triples(text)
        payload["codings"] = [moved(c, triples) for c in payload.get("codings", [])]
        payload["segments"] = [moved(s, triples) for s in payload.get("segments", [])]
        payload = replacer.deep(payload)
        payload["document"]["text"] = replacer.text(text)
    else:
        codings = payload.get("codings", [])
        payload = replacer.deep(payload)
        payload["codings"] = [
            [c[0], *moved(list(c[1:]), live.get(c[0], []))] if len(c) > 2 else c
            for c in replacer.deep(codings)
        ]
    if isinstance(payload, dict):
        _keep_coders(kind, original, payload)
    return json.dumps(payload, ensure_ascii=False)


# Every text column outside the document texts where a name can be (rowid tables).
FIELDS: list[tuple[str, str]] = [
    ("documents", "title"),
    ("documents", "source_name"),
    ("participants", "pid"),
    ("participants", "label"),
    ("attributes", "value"),
    ("segments", "speaker"),
    ("speaker_participants", "speaker"),
    ("codes", "name"),
    ("codes", "description"),
    ("memos", "title"),
    ("memos", "text"),
    ("meta", "value"),
    ("trash", "label"),
    # the audit trail last: the updates above are themselves logged, with the names as they were
    ("log", "action"),
    ("log", "summary"),
    ("log_changes", "before"),
    ("log_changes", "after"),
]
