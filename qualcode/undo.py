"""Undo and redo of coding and codebook edits: a stack of reversible facade operations.

Each action does its change through the Project facade (saved at once) and knows how to
reverse it. Ids survive a round trip: a removed coding is restored with its id, a deleted
or newly added code comes back with its id and its codings' ids, so later actions on the stack
that refer to them stay valid. No Textual here: the TUI only calls run/undo/redo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class Action:
    """A reversible change. `do` may run again after `undo` (redo)."""

    @property
    def label(self) -> str:
        """What the action did, for the undo/redo message."""
        return "change"

    def do(self, project) -> Any:
        raise NotImplementedError

    def undo(self, project) -> None:
        raise NotImplementedError


@dataclass
class AddCoding(Action):
    document_id: int
    start: int
    end: int
    code_id: int
    coder: str | None = None
    coding: Any = None
    # The models.text_revision of the text the offsets come from: the facade refuses the
    # coding (and its redo) once another session has changed that text.
    revision: str | None = None

    @property
    def label(self) -> str:
        return f"code {self.start}-{self.end}"

    def do(self, project):
        if self.coding is None:
            self.coding = project.add_coding(
                self.document_id,
                self.start,
                self.end,
                self.code_id,
                self.coder,
                revision=self.revision,
            )
        else:
            project.restore_coding(self.coding, self.revision)
        return self.coding

    def undo(self, project) -> None:
        project.remove_coding(self.coding.id)


@dataclass
class AddCodings(Action):
    """Several codings by one coder as one step (e.g. resolving a disagreement)."""

    rows: list[tuple[int, int, int, int]]  # (document id, start, end, code id)
    coder: str
    label: str = "code"
    codings: list = field(default_factory=list)

    def do(self, project):
        with project.transaction(self.label):
            if not self.codings:
                self.codings = [
                    project.add_coding(d, s, e, c, self.coder) for d, s, e, c in self.rows
                ]
            else:
                for coding in self.codings:
                    project.restore_coding(coding)
        return self.codings

    def undo(self, project) -> None:
        with project.transaction(self.label):
            self.codings = [project.remove_coding(c.id) for c in reversed(self.codings)][::-1]


@dataclass
class RemoveCoding(Action):
    coding_id: int
    coding: Any = None
    label = "remove coding"
    revision: str | None = None  # as AddCoding's: undo puts it back only onto that text

    def do(self, project):
        self.coding = project.remove_coding(self.coding_id)
        return self.coding

    def undo(self, project) -> None:
        project.restore_coding(self.coding, self.revision)


@dataclass
class SetCodingMemo(Action):
    coding_id: int
    memo: str | None
    old: str | None = None
    label = "edit memo"

    def do(self, project):
        self.old = project.coding_memo(self.coding_id)
        return project.set_coding_memo(self.coding_id, self.memo)

    def undo(self, project) -> None:
        project.set_coding_memo(self.coding_id, self.old)


@dataclass
class AddCode(Action):
    name: str
    parent_id: int | None = None
    fields: dict = field(default_factory=dict)
    code_id: int | None = None
    snapshot: Any = None

    @property
    def label(self) -> str:
        return f"add code {self.name}"

    def do(self, project):
        if self.snapshot is not None:
            project.undo_delete(self.snapshot)  # same id as the first time
            self.snapshot = None
            return project.code(self.code_id)
        code = project.add_code(self.name, parent=self.parent_id, **self.fields)
        self.code_id = code.id
        return code

    def undo(self, project) -> None:
        self.snapshot = project.delete_code_undoable(self.code_id)


@dataclass
class DeleteCode(Action):
    code_id: int
    snapshot: Any = None
    label = "delete code"

    def do(self, project):
        self.snapshot = project.delete_code_undoable(self.code_id)
        return self.snapshot

    def undo(self, project) -> None:
        project.undo_delete(self.snapshot)


@dataclass
class UpdateCode(Action):
    """Rename, or change description, colour or shortcut."""

    code_id: int
    fields: dict
    old: dict = field(default_factory=dict)
    label = "edit code"

    def do(self, project):
        code = project.code(self.code_id)
        self.old = {k: getattr(code, k) for k in self.fields}
        return project.update_code(self.code_id, **self.fields)

    def undo(self, project) -> None:
        project.update_code(self.code_id, **self.old)


@dataclass
class MoveCode(Action):
    code_id: int
    new_parent_id: int | None
    old_parent_id: int | None = None
    label = "move code"

    def do(self, project):
        self.old_parent_id = project.code(self.code_id).parent_id
        return project.move_code(self.code_id, self.new_parent_id)

    def undo(self, project) -> None:
        project.move_code(self.code_id, self.old_parent_id)


@dataclass
class MergeCode(Action):
    source_id: int
    target_id: int
    snapshot: Any = None
    label = "merge codes"

    def do(self, project):
        self.snapshot = project.merge_codes_undoable(self.source_id, self.target_id)
        return self.snapshot

    def undo(self, project) -> None:
        project.undo_merge(self.snapshot)


class UndoStack:
    """Done actions and undone ones; a new action clears the redo side."""

    def __init__(self, limit: int = 1000):
        self.limit = limit
        self.done: list[Action] = []
        self.undone: list[Action] = []

    def run(self, action: Action, project):
        result = action.do(project)  # raises before anything is pushed if the facade refuses
        self.done.append(action)
        del self.done[: -self.limit]
        self.undone.clear()
        return result

    def undo(self, project) -> Action | None:
        if not self.done:
            return None
        action = self.done.pop()
        with project.log_as(f"undo {action.label}"):  # the audit log records undo too
            action.undo(project)
        self.undone.append(action)
        return action

    def redo(self, project) -> Action | None:
        if not self.undone:
            return None
        action = self.undone.pop()
        with project.log_as(f"redo {action.label}"):
            action.do(project)
        self.done.append(action)
        return action
