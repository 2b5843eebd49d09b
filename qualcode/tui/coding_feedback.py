"""What the workbench tells and shows after a coding change: which coding `x` removed,
and where an undone or redone coding is (so the user can see what changed)."""

from __future__ import annotations

from qualcode.undo import Action, AddCoding, RemoveCoding, SetCodingMemo


def removed_message(coding, codes_by_id: dict) -> str:
    """Plain text (not markup): code paths may hold brackets."""
    code = codes_by_id.get(coding.code_id)
    name = code.path if code else f"code {coding.code_id}"
    return f"Removed {name} {coding.start}-{coding.end} (ctrl+z to undo)"


def coding_place(action: Action, project) -> tuple[int, int, int] | None:
    """(document id, start, end) of the coding an undo stack entry changed; None for codebook edits."""
    if isinstance(action, AddCoding):
        return action.document_id, action.start, action.end
    if isinstance(action, RemoveCoding) and action.coding is not None:
        c = action.coding
        return c.document_id, c.start, c.end
    if isinstance(action, SetCodingMemo):
        c = project.coding(action.coding_id)
        return c.document_id, c.start, c.end
    return None
