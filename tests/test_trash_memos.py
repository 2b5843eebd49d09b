"""Memos on a deleted document, code or their codings go to the trash with them and
come back on restore, pointing at the restored ids."""

from qualcode.models import NewDocument


def _memo_rows(p):
    return sorted((m.target_type, m.target_id, m.text) for m in p.memos())


def test_document_memos_follow_delete_and_restore(r7_project):
    p = r7_project
    coding = p.add_coding("R7 interview", 16, 30, "Empathy")
    doc_id = coding.document_id
    p.add_memo("on the document", "document", doc_id)
    p.add_memo("on the coding", "coding", coding.id)
    p.add_memo("on the project")
    trash_id = p.delete_document("R7 interview")
    assert _memo_rows(p) == [("project", None, "on the project")]
    p.restore(trash_id)
    assert _memo_rows(p) == sorted(
        [
            ("document", doc_id, "on the document"),
            ("coding", coding.id, "on the coding"),
            ("project", None, "on the project"),
        ]
    )
    assert set(p.memo_targets(p.memos()).values()) == {"", "R7 interview", str(coding.id)}


def test_document_memos_point_at_new_ids_when_old_ones_were_taken(r7_project):
    p = r7_project
    coding = p.add_coding("R7 interview", 16, 30, "Empathy")
    p.add_memo("on the document", "document", coding.document_id)
    p.add_memo("on the coding", "coding", coding.id)
    trash_id = p.delete_document("R7 interview")
    [other] = p.add_documents(
        [NewDocument("R8", "interview", "R8 interview", "Other text here.", "R8.txt", "sha8")]
    )
    assert other == coding.document_id  # the old id was reused meanwhile
    taker = p.add_coding(other, 0, 5, "Empathy")
    assert taker.id == coding.id
    p.restore(trash_id)
    restored = p.resolve_document("R7 interview")
    [back] = p.codings(document=restored)
    assert restored != other and back.id != coding.id
    assert _memo_rows(p) == sorted(
        [("document", restored, "on the document"), ("coding", back.id, "on the coding")]
    )


def test_code_memos_follow_forced_delete_and_restore(r7_project):
    p = r7_project
    code = p.code("Leadership/Resilience")
    coding = p.add_coding("R7 interview", 16, 30, code.id)
    p.add_memo("on the theme", "code", "Leadership")
    p.add_memo("on the subtheme", "code", code.id)
    p.add_memo("on its coding", "coding", coding.id)
    p.add_memo("on the document", "document", coding.document_id)
    trash_id = p.delete_code("Leadership", force=True)
    assert _memo_rows(p) == [("document", coding.document_id, "on the document")]
    p.restore(trash_id)
    names = sorted(p.memo_targets(p.memos()).values())
    assert names == sorted(
        ["Leadership", "Leadership/Resilience", str(p.codings()[0].id), "R7 interview"]
    )
    assert len(p.memos()) == 4


def test_undone_delete_in_the_workbench_brings_the_memos_back(r7_project):
    from qualcode.undo import DeleteCode, UndoStack

    p, stack = r7_project, UndoStack()
    code = p.code("Leadership/Resilience")
    coding = p.add_coding("R7 interview", 16, 30, code.id)
    p.add_memo("on the subtheme", "code", code.id)
    p.add_memo("on its coding", "coding", coding.id)
    before = _memo_rows(p)
    stack.run(DeleteCode(code.id), p)
    assert p.memos() == []
    stack.undo(p)
    assert _memo_rows(p) == before and p.trash() == []
