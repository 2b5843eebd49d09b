"""Pseudonymisation beyond the document texts: every other place a name can be.

The facade's apply_pseudonymisation rewrites the documents with offset mapping; this
module rewrites the rest with the same name -> replacement pairs (the names file's rules
and every name the plan found, entities included): document titles and source file
names, participant ids and labels, attribute values, speakers of segments, code names and
descriptions, coding memos, memos, project metadata, and the trash (a deleted document's
text with its codings' and segments' offsets moved, every other string replaced). Names
are matched as whole words, ignoring case, so "TANAKA" and "Tanaka's" go and "Tanakamura"
stays. Pure functions over text and JSON; the facade runs the SQL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from qualcode.pseudonymise import map_offsets

Triples = list[tuple[int, int, int]]  # (start, end, new length), sorted


class NameReplacer:
    """Replaces whole-word, case-insensitive occurrences of the given names."""

    def __init__(self, pairs: Iterable[tuple[str, str]]):
        self.mapping: dict[str, str] = {}
        for old, new in pairs:
            if old.strip():
                self.mapping.setdefault(old.casefold(), new)
        names = sorted(
            self.mapping, key=len, reverse=True
        )  # longest first: "Anna Lee" before "Anna"
        self.pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.I)
            if names
            else None
        )

    def triples(self, text: str) -> Triples:
        """Where names are in `text`: (start, end, length of the replacement)."""
        if self.pattern is None or not text:
            return []
        return [
            (m.start(), m.end(), len(self.mapping[m.group().casefold()]))
            for m in self.pattern.finditer(text)
        ]

    def text(self, text: str | None) -> str | None:
        if text is None or self.pattern is None:
            return text
        return self.pattern.sub(lambda m: self.mapping[m.group().casefold()], text)

    def deep(self, value: Any) -> Any:
        """Every string inside a JSON value replaced."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.deep(v) for v in value]
        if isinstance(value, dict):
            return {k: self.deep(v) for k, v in value.items()}
        return value


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
    return json.dumps(payload, ensure_ascii=False)


# Every text column outside the document texts where a name can be (rowid tables).
FIELDS: list[tuple[str, str]] = [
    ("documents", "title"),
    ("documents", "source_name"),
    ("participants", "pid"),
    ("participants", "label"),
    ("attributes", "value"),
    ("segments", "speaker"),
    ("codes", "name"),
    ("codes", "description"),
    ("memos", "title"),
    ("memos", "text"),
    ("meta", "value"),
    ("trash", "label"),
    # the audit trail last: the updates above are themselves logged, with the names as they were
    ("log", "summary"),
    ("log_changes", "before"),
    ("log_changes", "after"),
]
