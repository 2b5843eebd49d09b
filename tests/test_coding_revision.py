"""A coding carries the revision of the text its offsets come from (models.text_revision):
once another session has changed that text, the facade refuses it instead of saving it on
other words (the workbench's codings, and their undo and redo)."""

import pytest

from qualcode.errors import StaleTextError
from qualcode.models import text_revision
from qualcode.project import Project
from qualcode.pseudonymise import NameRule
from tests.conftest import R7_TEXT

WORDS = "I felt lost"


def pseudonymise_elsewhere(path, name="Ohio", new="Pennsylvania") -> None:
    with Project.open(path, daily_backup=False) as other:  # another session's connection
        other.apply_pseudonymisation(other.pseudonymise_plan([NameRule(name, new)], use_ner=False))


def test_a_coding_against_text_changed_elsewhere_is_refused_not_saved(r7_project):
    doc = r7_project.documents()[0].id
    code = r7_project.codes()[0].id
    shown = text_revision(R7_TEXT)
    old = R7_TEXT.index(WORDS)
    pseudonymise_elsewhere(r7_project.path)
    new_text = r7_project.document(doc).text
    assert new_text[old : old + len(WORDS)] != WORDS  # the old offsets: other words now
    with pytest.raises(StaleTextError, match="R7 interview: its text was changed by another"):
        r7_project.add_coding(doc, old, old + len(WORDS), code, revision=shown)
    assert r7_project.codings() == []
    start = new_text.index(WORDS)
    coding = r7_project.add_coding(
        doc, start, start + len(WORDS), code, revision=text_revision(new_text)
    )
    assert new_text[coding.start : coding.end] == WORDS


def test_restoring_a_coding_onto_text_changed_elsewhere_is_refused(r7_project):
    doc = r7_project.documents()[0].id
    code = r7_project.codes()[0].id
    start = R7_TEXT.index(WORDS)
    coding = r7_project.add_coding(
        doc, start, start + len(WORDS), code, revision=text_revision(R7_TEXT)
    )
    removed = r7_project.remove_coding(coding.id)  # as the workbench's undo does
    pseudonymise_elsewhere(r7_project.path)
    with pytest.raises(StaleTextError):
        r7_project.restore_coding(removed, text_revision(R7_TEXT))
    assert r7_project.codings() == []
