from pathlib import Path

import pytest
from conftest import R7_TEXT

from qualcode.errors import (
    AmbiguousError,
    CodebookError,
    ImportError_,
    NotFoundError,
    QualcodeError,
)
from qualcode.models import NewDocument


def test_code_a_span_and_read_it_back(r7_project):
    p = r7_project
    start = R7_TEXT.index("I decided")
    end = R7_TEXT.index("done it.") + len("done it.")
    c = p.add_coding("R7 interview", start, end, "Leadership/Decision making", memo="first")
    assert (c.start, c.end, c.coder, c.memo) == (start, end, "tester", "first")
    [e] = p.excerpts("Leadership", with_children=True)
    assert e.text == "I decided to go because nobody in my class had done it."
    assert (e.participant, e.code_path) == ("R7", "Leadership/Decision making")
    assert p.excerpts("Leadership") == []


def test_span_outside_document_is_refused(r7_project):
    with pytest.raises(QualcodeError, match="R7 interview: span 10-230 is outside the text"):
        r7_project.add_coding("R7 interview", 10, len(R7_TEXT) + 1, "Empathy")
    assert r7_project.codings() == []


def test_codes_by_path_or_unique_name(project):
    assert project.code("Resilience").path == "Leadership/Resilience"
    project.add_code("Career design/Resilience")
    with pytest.raises(
        AmbiguousError,
        match="Career design/Resilience, Leadership/Resilience|Leadership/Resilience",
    ):
        project.resolve_code("Resilience")
    with pytest.raises(NotFoundError):
        project.resolve_code("Nope")


def test_rename_move_merge_keep_codings(r7_project):
    p = r7_project
    c = p.add_coding("R7 interview", 16, 30, "Empathy")
    p.rename_code("Empathy", "Compassion")
    assert p.code(c.code_id).path == "Perspective transformation/Compassion"
    p.move_code("Compassion", "Leadership")
    assert p.code(c.code_id).path == "Leadership/Compassion"
    p.merge_codes("Leadership/Compassion", "Leadership/Resilience")
    [after] = p.codings()
    assert (after.start, after.end, p.code(after.code_id).path) == (16, 30, "Leadership/Resilience")
    assert "Leadership/Compassion" not in [x.path for x in p.codes()]


def test_move_under_own_descendant_is_refused(project):
    with pytest.raises(CodebookError, match="under itself"):
        project.move_code("Leadership", "Leadership/Resilience")


def test_sibling_name_clash(project):
    with pytest.raises(CodebookError, match="already exists"):
        project.add_code("Leadership/Resilience")
    with pytest.raises(CodebookError, match="already exists"):
        project.rename_code("Leadership/Uncertainty", "Resilience")
    # Siblings may differ in case: "resilience" is another code.
    assert project.add_code("Leadership/resilience").path == "Leadership/resilience"


def test_delete_refused_with_codings_then_forced_and_restored(r7_project):
    p = r7_project
    p.add_coding("R7 interview", 16, 30, "Leadership/Resilience")
    with pytest.raises(CodebookError, match="has 1 coding"):
        p.delete_code("Leadership")
    trash_id = p.delete_code("Leadership", force=True)
    assert len(p.codes()) == 28 and p.codings() == []
    p.restore(trash_id)
    assert len(p.codes()) == 36
    [c] = p.codings()
    assert p.code(c.code_id).path == "Leadership/Resilience"


def test_delete_document_goes_to_trash(r7_project):
    p = r7_project
    p.add_coding("R7 interview", 16, 30, "Empathy")
    trash_id = p.delete_document("R7 interview")
    assert p.documents() == [] and p.codings() == []
    p.restore(trash_id)
    assert [d.title for d in p.documents()] == ["R7 interview"] and len(p.codings()) == 1


def test_duplicate_source_refused(r7_project):
    with pytest.raises(ImportError_, match="already imported"):
        r7_project.add_documents(
            [NewDocument("R8", "interview", "again", "x", "again.txt", "sha-r7")]
        )
    assert len(r7_project.documents()) == 1
    assert [p.pid for p in r7_project.participants()] == ["R7"]


def test_autocode_dry_run_then_real(r7_project):
    p = r7_project
    dry = p.autocode(r"\blost\b", "Diversity of values/Culture shock", dry_run=True)
    assert [m.text for m in dry] == ["I felt lost at first."]
    assert p.codings() == []
    p.autocode(r"\blost\b", "Culture shock")
    [c] = p.codings()
    assert R7_TEXT[c.start : c.end] == "I felt lost at first."
    again = p.autocode(r"\blost\b", "Culture shock")
    assert again[0].already_coded and len(p.codings()) == 1


def test_undo_pair_remove_restore(r7_project):
    p = r7_project
    c = p.add_coding("R7 interview", 16, 30, "Empathy", memo="m")
    removed = p.remove_coding(c.id)
    assert p.codings() == []
    p.restore_coding(removed)
    assert p.codings() == [c]


def test_attributes_query(r7_project):
    p = r7_project
    p.upsert_participants([("R2", "Rheumatologist", {"sex": "F"})])
    assert p.participants_where("sex", "f") == ["R2"]
    assert p.participants()[0].attributes == {"sex": "F"}
    p.upsert_participants([("R2", None, {"sex": ""})])
    assert p.participants()[0].attributes == {}


def test_memos_on_targets(r7_project):
    p = r7_project
    c = p.add_coding("R7 interview", 16, 30, "Empathy")
    p.add_memo("Overall impression", title="Project")
    p.add_memo("Felt lost: check with R7", "coding", c.id)
    p.add_memo("Only clinical electives?", "code", "Leadership")
    assert [m.text for m in p.memos("coding", c.id)] == ["Felt lost: check with R7"]
    assert p.memos("code", "Leadership")[0].target_id == p.resolve_code("Leadership")
    m = p.update_memo(p.memos("project")[0].id, "Revised")
    assert m.text == "Revised" and m.title == "Project"
    with pytest.raises(QualcodeError, match="memo target"):
        p.add_memo("x", "nowhere")


def test_restore_after_ids_were_reused(r7_project):
    p = r7_project
    p.add_coding("R7 interview", 16, 30, "Empathy")
    trash_id = p.delete_document("R7 interview")
    [new_id] = p.add_documents(
        [NewDocument("R8", "interview", "R8 interview", "Other text.", "R8.txt", "sha-r8")]
    )
    p.restore(trash_id)
    titles = sorted(d.title for d in p.documents())
    assert titles == ["R7 interview", "R8 interview"]
    [c] = p.codings()
    assert (
        c.document_id != new_id
        and R7_TEXT[c.start : c.end] == p.document(c.document_id).text[16:30]
    )


def test_workbench_keys_cannot_be_shortcuts(project):
    with pytest.raises(CodebookError, match="taken by the workbench"):
        project.add_code("Leadership/Delegation", shortcut="x")
    with pytest.raises(CodebookError, match="taken by the workbench"):
        project.update_code("Leadership/Resilience", shortcut="j")
    assert project.add_code("Leadership/Delegation", shortcut="z").shortcut == "z"


def test_update_document_gives_it_a_participant(r7_project):
    p = r7_project
    p.add_coding("R7 interview", 16, 30, "Empathy")
    d = p.update_document("R7 interview", participant="R9", kind="report", title="R9 report")
    assert (d.participant, d.kind, d.title) == ("R9", "report", "R9 report")
    [e] = p.excerpts()
    assert (e.participant, e.start, e.end, e.text) == ("R9", 16, 30, R7_TEXT[16:30])
    with pytest.raises(QualcodeError, match="cannot be empty"):
        p.update_document("R9 report", kind=" ")


def test_merge_moves_memos_on_the_merged_code(project):
    project.add_memo("Often overlaps with resilience", "code", "Leadership/Uncertainty")
    project.merge_codes("Leadership/Uncertainty", "Leadership/Resilience")
    [m] = project.memos("code", "Leadership/Resilience")
    assert m.text == "Often overlaps with resilience"


def test_autocode_by_speaker_keeps_only_that_speakers_sentences(project):
    from qualcode.models import Segment

    text = "Interviewer: Was it hard?\nR7: It was hard. Very hard.\nInterviewer: Hard to say."
    turns = (
        Segment(13, 25, "turn", "Interviewer"),
        Segment(30, 53, "turn", "R7"),
        Segment(67, 79, "turn", "Interviewer"),
    )
    sentences = (
        Segment(13, 25, "sentence"),
        Segment(30, 42, "sentence"),
        Segment(43, 53, "sentence"),
        Segment(67, 79, "sentence"),
    )
    project.add_documents([NewDocument("R7", "interview", "d", text, segments=turns + sentences)])
    matches = project.autocode("hard", "Resilience", speaker="R7", dry_run=True)
    assert [m.text for m in matches] == ["It was hard.", "Very hard."]
    everyone = project.autocode("hard", "Resilience", dry_run=True)
    assert [m.text for m in everyone] == [
        "Was it hard?",
        "It was hard.",
        "Very hard.",
        "Hard to say.",
    ]


def test_summary_counts_words_across_lines_and_paragraphs(project):
    project.add_documents(
        [NewDocument("R1", "interview", "t", "one two\nthree four\n\nfive six seven")]
    )
    assert project.summary()["words"] == 7


def test_tests_do_not_write_the_real_config_folder(tmp_path):
    from qualcode import recent

    assert not str(recent.recent_file()).startswith(str(Path.home() / ".config"))
    recent.add(tmp_path / "x.qualcode")
    assert recent.recent_file().is_file()
