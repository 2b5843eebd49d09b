"""Facade part for the project's language: set by the user (`new --language`, `config
--language`), or read from the documents at the first import.

The language decides the spaCy pipeline that splits sentences, the encodings guessed
for legacy files and the suggester's word features. When the user has not chosen it
(meta LANGUAGE_CHOSEN_KEY unset) and a project without documents imports documents that
read as one other language (qualcode.nlp.language_id), the import sets it in its own
transaction and its summary says so; otherwise a reading that differs from the project's
language is only said, with the command that changes it.
"""

from __future__ import annotations

import shlex
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from qualcode.facade.base import ProjectBase
from qualcode.plural import plural

if TYPE_CHECKING:
    from qualcode.nlp.language_id import Reading

LANGUAGE_CHOSEN_KEY = "language_chosen"  # meta: "1" once the user has set the language
_NAMES_SHOWN = 3  # documents named per language when the documents differ
_LANGUAGES_SHOWN = 5  # languages listed then


@dataclass(frozen=True)
class LanguageDecision:
    """What an import does about the project's language: `language` is set in its
    transaction (None: left as it is); `lines` go into its summary (none: nothing to
    say: the documents read as the project's language, or are too short to tell)."""

    language: str | None = None
    lines: list[str] = field(default_factory=list)


class LanguageOps(ProjectBase):
    def set_language(self, lang: str) -> None:
        """Set the documents' language (a spaCy code) as the user's choice, after checking
        that spaCy can segment it (a wrong code would otherwise only fail at the next
        import or `segment`); imports no longer change it. Raises
        qualcode.nlp.pipeline.LanguageUnavailableError."""
        from qualcode.nlp.pipeline import make_pipeline

        lang = lang.strip()
        make_pipeline(lang)
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [("language", lang), (LANGUAGE_CHOSEN_KEY, "1")],
            )

    @property
    def language_chosen(self) -> bool:
        """Whether the user chose the language (`new --language`, `config --language`,
        set_language). A project made before qualcode recorded this counts as not chosen
        (its first import, if it has no documents yet, may then set the language)."""
        return self.get_meta(LANGUAGE_CHOSEN_KEY) == "1"

    def documents_language(self, documents: Sequence[tuple[str, str]]) -> LanguageDecision:
        """What an import of `documents` ((name, text) pairs) does about the language,
        decided before its transaction (so that sentences segmented during the import use
        the language it sets). It may set the language only when the project holds no
        documents, the user has not chosen the language nor a trained spaCy pipeline, the
        documents that can be told all read as one language (qualcode.nlp.language_id),
        and spaCy can segment that language here (its tokenizer is installed)."""
        from qualcode.nlp.language_id import read_languages

        readings = read_languages(documents)
        told = [r for r in readings if r.language]
        if not told:
            return LanguageDecision()
        current = self.language
        found = {r.language for r in told}
        if len(found) > 1:
            return LanguageDecision(None, self._mixed_lines(told, current))
        (found_language,) = found
        assert found_language is not None
        if found_language == current:
            return LanguageDecision()
        if self._language_open():
            problem = _pipeline_problem(found_language)
            if problem is None:
                return LanguageDecision(found_language, [self._set_line(found_language, current)])
            return LanguageDecision(None, [self._unavailable_line(found_language, problem)])
        return LanguageDecision(None, [self._differs_line(found_language, current)])

    def _store_language(self, conn: sqlite3.Connection, decision: LanguageDecision) -> None:
        """Inside an import's transaction: the language it decided on, if any (not marked
        as the user's choice: the summary says how to change it)."""
        if decision.language:
            conn.execute(
                "INSERT INTO meta(key, value) VALUES ('language', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [decision.language],
            )

    # --- internals ------------------------------------------------------------
    def _language_open(self) -> bool:
        """Whether an import may set the language: none chosen, no documents yet, and no
        trained pipeline named (one is for a language: en_core_web_sm)."""
        model = self.settings().get("spacy_model")
        return (
            not self.language_chosen
            and model in (None, "blank")
            and not self.db.execute("SELECT 1 FROM documents LIMIT 1").fetchone()
        )

    def _config_command(self, code: str) -> str:
        return f"qualcode config {shlex.quote(str(self.path))} --language {code}"

    def _set_line(self, found: str, was: str) -> str:
        from qualcode.nlp.language_id import language_name

        return (
            f"language: {language_name(found)}, read from the documents (was {was}); "
            f"{self._config_command(was)} changes it"
        )

    def _differs_line(self, found: str, current: str) -> str:
        from qualcode.nlp.language_id import language_name

        return (
            f"note: the documents read as {language_name(found)}, the project's language "
            f"is {current} (left as it is); {self._config_command(found)} changes it"
        )

    def _unavailable_line(self, found: str, problem: str) -> str:
        from qualcode.nlp.language_id import language_name

        return (
            f"note: the documents read as {language_name(found)}, but spaCy cannot segment "
            f"it here ({problem}); the project's language stays {self.language}"
        )

    def _mixed_lines(self, told: list[Reading], current: str) -> list[str]:
        from qualcode.nlp.language_id import language_name

        by_language: dict[str, list[str]] = {}
        for reading in told:
            assert reading.language is not None
            by_language.setdefault(reading.language, []).append(reading.name)
        ranked = sorted(by_language.items(), key=lambda item: (-len(item[1]), item[0]))
        lines = [
            f"note: the documents read as {len(ranked)} languages; the project's language "
            f"stays {current} ({self._config_command('CODE')} changes it):"
        ]
        for code, names in ranked[:_LANGUAGES_SHOWN]:
            shown = ", ".join(names[:_NAMES_SHOWN])
            more = len(names) - _NAMES_SHOWN
            lines.append(
                f"  {language_name(code)}: {plural(len(names), 'document')} ({shown}"
                + (f" and {more} more" if more > 0 else "")
                + ")"
            )
        if len(ranked) > _LANGUAGES_SHOWN:
            rest = ranked[_LANGUAGES_SHOWN:]
            lines.append(
                f"  and {plural(len(rest), 'other language')} "
                f"({plural(sum(len(names) for _, names in rest), 'document')})"
            )
        return lines


def _pipeline_problem(language: str) -> str | None:
    """None when spaCy can segment `language` here, else why not (a tokenizer package
    missing: Korean's, Thai's...); loads nothing."""
    from qualcode.nlp.pipeline import missing_tokenizer

    return missing_tokenizer(language)
