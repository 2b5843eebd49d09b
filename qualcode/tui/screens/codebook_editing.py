"""Codebook edits of the main screen: add, rename, edit, move, merge and delete codes.

A mixin of MainScreen (kept apart to keep each file short). Each edit asks through a
dialog, then runs one undoable action (saved at once) and refreshes the panels.
"""

from __future__ import annotations

from qualcode.plural import plural
from qualcode.tui.components.codebook_tree import CodebookTree
from qualcode.tui.screens.code_form import CodeFormScreen
from qualcode.tui.screens.code_picker import CodePickerScreen
from qualcode.tui.screens.confirm import ConfirmScreen
from qualcode.tui.screens.main_part import MainScreenPart
from qualcode.tui.screens.prompt import PromptScreen
from qualcode.undo import AddCode, DeleteCode, MergeCode, MoveCode, UpdateCode

TOP_LEVEL = 0  # picker id meaning "no parent"


class CodebookEditing(MainScreenPart):
    # A plain mixin: Textual finds handlers here by name (its @on only registers in widget classes).
    def on_codebook_tree_edit_requested(self, event: CodebookTree.EditRequested) -> None:
        code = self.codes_by_id.get(event.code_id) if event.code_id is not None else None
        if event.what not in ("add",) and code is None:
            self.notify("Highlight a code first.", severity="warning")
            return
        getattr(self, f"codebook_{event.what}")(code)

    def _after_codebook_change(self, select: int | None = None) -> None:
        self.refresh_codebook()
        self.reload_spans()
        self.after_coding_change(None)
        self.load_counts()
        if select is not None:
            self.query_one(CodebookTree).select_code(select)

    def _add(self, parent) -> None:
        heading = f"New code under {parent.path}" if parent else "New top-level code"

        def submit(fields: dict) -> str | None:
            name = fields.pop("name")
            fields = {k: v for k, v in fields.items() if v}
            code, problem = self.try_action(AddCode(name, parent.id if parent else None, fields))
            if code is not None:
                self._after_codebook_change(code.id)
            return problem

        self.app.push_screen(CodeFormScreen(heading, submit=submit))

    def codebook_add(self, code) -> None:
        self._add(None)

    def codebook_add_child(self, code) -> None:
        self._add(code)

    def codebook_rename(self, code) -> None:
        def done(name: str | None) -> None:
            if name and name.strip() and name.strip() != code.name:
                self.run_undoable(
                    UpdateCode(code.id, {"name": name.strip()}),
                    lambda _: self._after_codebook_change(code.id),
                )

        self.app.push_screen(PromptScreen(f"Rename {code.path} to:", code.name), done)

    def codebook_edit(self, code) -> None:
        def submit(fields: dict) -> str | None:
            done, problem = self.try_action(UpdateCode(code.id, fields))
            if done is not None:
                self._after_codebook_change(code.id)
            return problem

        self.app.push_screen(CodeFormScreen(f"Edit {code.path}", code, submit=submit))

    def _others(self, code) -> list:
        inside = set(self.project.descendants(code.id))
        return [c for c in self.codes_by_id.values() if c.id not in inside]

    def codebook_move(self, code) -> None:
        def done(parent_id: int | None) -> None:
            if parent_id is None:
                return
            parent = None if parent_id == TOP_LEVEL else parent_id
            self.run_undoable(
                MoveCode(code.id, parent), lambda _: self._after_codebook_change(code.id)
            )

        picker = CodePickerScreen(self._others(code), f"Move {code.path} under…", top_level=True)
        self.app.push_screen(picker, done)

    def codebook_merge(self, code) -> None:
        def chosen(target_id: int | None) -> None:
            if target_id is None:
                return
            target = self.codes_by_id[target_id]
            n = self._usage.get(code.id, (0, 0))[0]

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self.run_undoable(
                        MergeCode(code.id, target_id),
                        lambda _: self._after_codebook_change(target_id),
                    )

            question = (
                f"Merge {code.path} ({plural(n, 'coding')}) into {target.path}? "
                f"{code.path} disappears."
            )
            self.app.push_screen(ConfirmScreen(question, yes="Merge"), confirmed)

        self.app.push_screen(
            CodePickerScreen(self._others(code), f"Merge {code.path} into…"), chosen
        )

    def codebook_delete(self, code) -> None:
        ids = self.project.descendants(code.id)
        n = sum(self._usage.get(i, (0, 0))[0] for i in ids)
        extra = f" and its {plural(len(ids) - 1, 'sub-code')}" if len(ids) > 1 else ""

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.run_undoable(DeleteCode(code.id), lambda _: self._after_codebook_change())

        question = (
            f"Delete {code.path}{extra} with {plural(n, 'coding')}? "
            "(ctrl+z undoes; a copy goes to the trash)"
        )
        self.app.push_screen(ConfirmScreen(question), confirmed)
