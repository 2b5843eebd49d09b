"""One way to write "1 document" / "3 documents", for every message, summary and status
line (CLI, workbench, exports): `plural(1, "document")` -> "1 document"."""

from __future__ import annotations

IRREGULAR = {"this": "these", "was": "were", "has": "have", "is": "are", "person": "people"}


def plural(count: int, word: str, many: str | None = None) -> str:
    """`count` and `word`, the word in its plural form unless count is 1 (or -1).

    many: the plural when it is not word + "s" (or a known irregular one: "entry" ->
    "entries", "person" -> "people"); count may be any int (thousands separated: 1,204).
    """
    return f"{count:,} {noun(count, word, many)}"


def noun(count: int, word: str, many: str | None = None) -> str:
    """The word alone, in the form `count` asks for: noun(1, "turn") -> "turn",
    noun(3, "turn") -> "turns", noun(2, "is") -> "are" (for a count printed apart, as
    in an aligned table, or a verb that agrees with it)."""
    return word if abs(count) == 1 else many or plural_form(word)


def plural_form(word: str) -> str:
    """The plural of one English word as the messages use them: documents, entries,
    matches, people."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"
