"""Errors that qualcode reports to the user as one clear line.

Every error the domain raises on bad input is a QualcodeError; the CLI prints its
message (prefixed with "error: ") and exits with status 1, and the TUI shows it in a
notification. Messages name the file or object and the problem.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class QualcodeError(Exception):
    """Base class: a problem the user can act on, described in one line."""


class ProjectError(QualcodeError):
    """The project file is missing, locked, corrupt or of an unknown version."""


class CodebookError(QualcodeError):
    """A codebook file or codebook operation is invalid."""


class ImportError_(QualcodeError):
    """A source file cannot be imported (binary, empty, undecodable, duplicate...)."""


class NotFoundError(QualcodeError):
    """A named document, code, participant or coding does not exist."""


class StaleTextError(QualcodeError):
    """A coding was asked for against a document text that another session has changed since
    (pseudonymised, rewritten): its offsets would land on other words, so nothing was saved."""


class AmbiguousError(QualcodeError):
    """A name matches more than one object; the message lists the candidates."""


class InteropError(QualcodeError):
    """A REFI-QDA (QDC/QDPX) file is invalid, hostile or inconsistent."""


class ProjectBusyError(ProjectError):
    """Another program (an import, autocode, a second workbench) holds the project's write
    lock for longer than the busy timeout. Nothing was written; the same write can be retried."""


class DiskFullError(ProjectError):
    """The disk (or the project's size limit) is full. Nothing was written."""


class CorruptProjectError(ProjectError):
    """The project file is damaged: qualcode refuses to write to it and points to the backups."""


@contextmanager
def reported_as(error_class: type[QualcodeError], label: str) -> Iterator[None]:
    """Inside it, any parser failure becomes `error_class('LABEL: ...')`: QualcodeErrors pass
    through unchanged (they already name file and line); any other exception a parser may
    raise (zlib.error, LookupError for an unknown encoding, TypeError, KeyError, OSError...)
    becomes one line naming the file and the exception, never a traceback."""
    try:
        yield
    except QualcodeError:
        raise
    except RecursionError:
        raise error_class(f"{label}: nested too deeply to read") from None
    except Exception as exc:  # noqa: BLE001 - the point: whatever the parser raised
        detail = (str(exc).splitlines() or [""])[0][:200]
        raise error_class(
            f"{label}: cannot be read ({type(exc).__name__}{': ' + detail if detail else ''})"
        ) from exc


def refuse_all(
    problems: list[str], header: str, error: type[QualcodeError] = QualcodeError
) -> None:
    """Raise `error` when there are problems, nothing otherwise: one problem as its own
    line plus " (nothing imported)", several as `header` and one indented line each (the
    all-or-nothing imports: files, manifests, codings files)."""
    if len(problems) == 1:
        raise error(f"{problems[0]} (nothing imported)")
    if problems:
        raise error(header + "\n" + "\n".join(f"  {p}" for p in problems))
