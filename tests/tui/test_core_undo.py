"""The undo stack and the TUI facade queries, without Textual."""

from qualcode import recent
from qualcode.undo import AddCoding, DeleteCode, MergeCode, RemoveCoding, UndoStack
from tests.conftest import R7_TEXT


def test_undo_redo_coding_keeps_ids(r7_project):
    p, stack = r7_project, UndoStack()
    code = p.resolve_code("Empathy")
    coding = stack.run(AddCoding(1, 57, 112, code), p)
    stack.run(RemoveCoding(coding.id), p)
    assert p.codings() == []
    stack.undo(p)
    assert [c.id for c in p.codings()] == [coding.id]
    stack.undo(p)
    assert p.codings() == []
    stack.redo(p)
    stack.redo(p)
    assert p.codings() == [] and stack.redo(p) is None


def test_merge_and_delete_undo_restore_everything(r7_project):
    p, stack = r7_project, UndoStack()
    a, b = p.resolve_code("Role model"), p.resolve_code("Mindset")
    c1 = p.add_coding(1, 0, 10, a)
    c2 = p.add_coding(1, 20, 30, a, memo="keep")
    dup = p.add_coding(1, 20, 30, b)
    child = p.add_code("Role model/Senior", description="d")
    before = sorted((c.id, c.code_id, c.memo) for c in p.codings())
    stack.run(MergeCode(a, b), p)
    assert {c.code_id for c in p.codings()} == {b} and len(p.codings()) == 2
    stack.undo(p)
    assert sorted((c.id, c.code_id, c.memo) for c in p.codings()) == before
    assert p.code(child.id).parent_id == a and dup.id and c1.id
    stack.run(DeleteCode(a), p)
    assert a not in {c.id for c in p.codes()} and len(p.codings()) == 1
    stack.undo(p)
    assert sorted((c.id, c.code_id, c.memo) for c in p.codings()) == before
    assert p.code(child.id).path == "Career design/Role model/Senior" and c2.memo == "keep"
    assert p.trash() == []  # the backup of an undone delete is dropped


def test_coverage_counts_overlaps_once(r7_project):
    p = r7_project
    code = p.resolve_code("Empathy")
    p.add_coding(1, 0, 10, code)
    p.add_coding(1, 5, 20, code)
    p.add_coding(1, 8, 12, code)
    p.add_coding(1, 100, 110, code)
    assert p.coded_chars() == {1: 30}
    assert p.coverage() == {1: 30 / len(R7_TEXT)}
    assert p.code_usage_of(code) == (4, 1)
    assert p.segment_units(1)["sentence"][0] == (13, 51)


def test_recent_list_newest_first_and_deduplicated(tmp_path):
    f = tmp_path / "cfg" / "recent.json"
    a, b = tmp_path / "a.qualcode", tmp_path / "b.qualcode"
    a.touch(), b.touch()
    recent.add(a, f)
    recent.add(b, f)
    recent.add(a, f)
    assert recent.load(f) == [a.resolve(), b.resolve()]
    f.write_text("{broken")
    assert recent.load(f) == []


def test_participant_has_code(r7_project):
    p = r7_project
    code = p.resolve_code("Empathy")
    assert p.participant_has_code(1, code) is False
    first = p.add_coding(1, 0, 10, code)
    assert p.participant_has_code(1, code) is True
    assert p.participant_has_code(1, code, besides=first.id) is False
    from qualcode.models import NewDocument

    [loose] = p.add_documents([NewDocument(None, "note", "loose note", "no participant here")])
    assert p.participant_has_code(loose, code) is None
