"""The participant editor: every participant with its documents and attributes, one
row each, a column per attribute; edits go through the facade (set_attributes,
rename_participant), each one transaction in the audit log.

Enter on a cell edits it: on the id it renames the participant, on an attribute it sets
the value (an empty value removes it). `a` adds an attribute to the highlighted
participant (NAME=VALUE), `r` renames, `i` imports an attribute sheet (the summary
first, then import with or without the participants not in the project), escape goes back. The detail line under the table
shows the highlighted cell in full (long values are cut in the table).

The attribute columns share the screen's width: each as wide as its values when they
all fit, else all cut to one width (the widest that fits; narrower columns keep theirs)
with "…", never under CELL_AT_LEAST (more attributes than that allows scroll sideways,
the participant id staying in view), so that at 80 columns no row is cut at the edge.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from qualcode.errors import QualcodeError
from qualcode.plural import plural
from qualcode.tui.components.footer import KeyFooter
from qualcode.tui.screens.prompt import PromptScreen

CELL_WIDTH = 28  # longer values are cut in the table and shown whole in the detail line
CELL_AT_LEAST = 6  # an attribute column is cut to no fewer cells ("USA …")
FIXED = ("Participant", "Docs")  # the columns before the attributes
SCROLLBAR = 2  # the table's vertical scrollbar


def cut(value: str, width: int = CELL_WIDTH) -> str:
    """One line of at most `width` characters, ending in … when cut."""
    flat = " ".join(value.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def fitted_widths(natural: list[int], room: int, at_least: int = CELL_AT_LEAST) -> list[int]:
    """Widths for columns whose contents need `natural` cells, to fit in `room`: the
    natural ones if they fit, else each capped at the largest one width that fits
    (a column narrower than the cap keeps its width), the cap never under `at_least`."""
    if sum(natural) <= room:
        return list(natural)
    cap = max(natural)
    while cap > at_least and sum(min(w, cap) for w in natural) > room:
        cap -= 1
    return [min(w, cap) for w in natural]


class ParticipantsScreen(Screen):
    """Lists and edits participants: ids and attributes."""

    BINDINGS = [
        Binding("escape,q", "close", "Back"),
        Binding("enter", "edit_cell", "Edit", show=True),
        Binding("a", "add_attribute", "Add attribute"),
        Binding("r", "rename", "Rename"),
        Binding("i", "import_sheet", "Import sheet"),
    ]

    def __init__(self, project) -> None:
        super().__init__()
        self.project = project
        self.rows: list = []
        self.attributes: list[str] = []
        self.changed = False  # the main screen relists participants when this is set

    def compose(self) -> ComposeResult:
        yield Static(id="participants-title", markup=False)
        # The id column stays in view when the attributes scroll sideways.
        yield DataTable(
            id="participants-table", cursor_type="cell", zebra_stripes=True, fixed_columns=1
        )
        yield Static(id="participants-detail", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(DataTable).focus()

    def reload(self, keep: tuple[str, str] | None = None) -> None:
        """Read the participants again; put the cursor on (participant, column) if given."""
        table = self.query_one(DataTable)
        row, column = table.cursor_coordinate
        self.rows = self.project.participant_rows()
        self.attributes = sorted({a for r in self.rows for a in r.attributes}, key=str.casefold)
        self._fill()
        if keep is not None:
            pids = [r.pid for r in self.rows]
            columns = [*FIXED, *self.attributes]
            if keep[0] in pids:
                row = pids.index(keep[0])
            if keep[1] in columns:
                column = columns.index(keep[1])
        if self.rows:
            table.move_cursor(
                row=min(row, len(self.rows) - 1),
                column=min(column, len(FIXED) + len(self.attributes) - 1),
            )
        self._show_title()
        self._show_detail()

    def on_resize(self) -> None:
        # The attribute columns share the width: lay the table out again, cursor kept.
        if self.rows:
            table = self.query_one(DataTable)
            row, column = table.cursor_coordinate
            self._fill()
            table.move_cursor(row=row, column=column)

    def _fill(self) -> None:
        """The rows in the table, the attribute columns fitted to its width (module
        docstring); before the table has a size, every column as wide as its values."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        ids = max([len(FIXED[0]), *(len(r.pid) for r in self.rows)])
        docs = max([len(FIXED[1]), *(len(str(r.documents)) for r in self.rows)])
        natural = [
            max([len(a), *(len(cut(r.attributes.get(a, ""))) for r in self.rows)])
            for a in self.attributes
        ]
        padding = 2 * table.cell_padding
        columns = len(FIXED) + len(self.attributes)
        room = table.size.width - SCROLLBAR - padding * columns - ids - docs
        widths = fitted_widths(natural, room) if table.size.width else natural
        table.add_column(FIXED[0], key=FIXED[0], width=ids)
        table.add_column(FIXED[1], key=FIXED[1], width=docs)
        for name, width in zip(self.attributes, widths):
            table.add_column(cut(name, width), key=name, width=width)
        for r in self.rows:
            table.add_row(
                r.pid,
                str(r.documents),
                *(cut(r.attributes.get(a, ""), w) for a, w in zip(self.attributes, widths)),
                key=r.pid,
            )

    def _show_title(self) -> None:
        people, docs = len(self.rows), sum(r.documents for r in self.rows)
        self.query_one("#participants-title", Static).update(
            f"Participants: {people} · {plural(docs, 'document')} · "
            f"{plural(len(self.attributes), 'attribute')}"
            " · enter edits the cell"
        )
        self._show_detail()

    # ---- what the cursor is on ---------------------------------------------------------
    def _cell(self) -> tuple[str, str] | None:
        """(participant id, column name) under the cursor, or None when the table is empty."""
        if not self.rows:
            return None
        row, column = self.query_one(DataTable).cursor_coordinate
        columns = [*FIXED, *self.attributes]
        return self.rows[row].pid, columns[column]

    def _row(self, pid: str):
        return next(r for r in self.rows if r.pid == pid)

    def on_data_table_cell_highlighted(self, _event) -> None:
        self._show_detail()

    def on_data_table_cell_selected(self, _event) -> None:
        self.action_edit_cell()  # enter on a cell

    def _show_detail(self) -> None:
        detail = self.query_one("#participants-detail", Static)
        cell = self._cell()
        if cell is None:
            detail.update(Content("No participants yet: import documents first (ctrl+l)."))
            return
        pid, column = cell
        row = self._row(pid)
        if column == "Participant":
            text = f"{pid}: {plural(row.documents, 'document')}; enter renames"
        elif column == "Docs":
            text = f"{pid}: {plural(row.documents, 'document')}"
        else:
            value = row.attributes.get(column)
            text = f"{pid} · {column} = {value}" if value else f"{pid} · {column}: not recorded"
        detail.update(Content(text))

    # ---- edits -------------------------------------------------------------------------
    def action_edit_cell(self) -> None:
        cell = self._cell()
        if cell is None:
            return
        pid, column = cell
        if column == "Participant":
            self.action_rename()
        elif column == "Docs":
            self.notify("Documents are given a participant with set-document or at import.")
        else:
            current = self._row(pid).attributes.get(column, "")

            def answered(value: str | None) -> None:
                if value is not None:
                    self._set(pid, {column: value}, keep=(pid, column))

            self.app.push_screen(
                PromptScreen(f"{column} of {pid} (empty removes it):", current), answered
            )

    def action_add_attribute(self) -> None:
        cell = self._cell()
        if cell is None:
            return
        pid = cell[0]

        def answered(text: str | None) -> None:
            if not text:
                return
            name, eq, value = text.partition("=")
            if not eq or not name.strip():
                self.notify(f"{text!r} is not NAME=VALUE", severity="error", markup=False)
                return
            self._set(pid, {name: value}, keep=(pid, name.strip()))

        self.app.push_screen(
            PromptScreen(f"New attribute of {pid}:", placeholder="NAME=VALUE, e.g. sex=F"),
            answered,
        )

    def _set(self, pid: str, values: dict[str, str], keep: tuple[str, str]) -> None:
        try:
            change = self.project.set_attributes(pid, values)
        except QualcodeError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        done = [
            f"{verb} {', '.join(names)}"
            for verb, names in (
                ("set", change.added + change.changed),
                ("removed", change.removed),
            )
            if names
        ]
        self.changed = self.changed or bool(done)
        notes = "".join(f"\n{note}" for note in change.respelled)
        self.notify(
            f"{pid}: {'; '.join(done) or 'unchanged'}{notes}",
            timeout=6 if notes else 3,
            markup=False,
        )
        self.reload(keep)

    def action_rename(self) -> None:
        cell = self._cell()
        if cell is None:
            return
        old = cell[0]

        def answered(new: str | None) -> None:
            if not new or new.strip() == old:
                return
            try:
                done = self.project.rename_participant(old, new)
            except QualcodeError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.changed = True
            self.notify(
                f"Renamed {done.old} to {done.new} ({plural(done.documents, 'document')}).",
                timeout=4,
                markup=False,
            )
            self.reload(keep=(done.new, "Participant"))

        self.app.push_screen(PromptScreen(f"New id for participant {old}:", old), answered)

    def action_import_sheet(self) -> None:
        """An attribute sheet (CSV, a row per participant): its summary first, then
        import, with or without the participants the project does not have."""
        from pathlib import Path

        from qualcode.tui.screens.choice import ChoiceScreen

        def imported(path: Path, create: bool) -> None:
            try:
                plan = self.project.import_attributes(path, create=create)
            except QualcodeError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.changed = self.changed or plan.written
            self.notify("\n".join(plan.lines(create_hint="")), timeout=10, markup=False)
            self.reload()

        def answered(text: str | None) -> None:
            if not text:
                return
            path = Path(text.strip()).expanduser()
            try:
                plan = self.project.import_attributes(path, dry_run=True)
            except QualcodeError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            answers = [("skip", "Import")]
            if plan.unknown:
                n = len(plan.unknown)
                answers = [
                    ("skip", f"Import, skipping the {plural(n, 'participant')} not in the project"),
                    ("create", f"Import and add the {plural(n, 'participant')} as new"),
                ]
            summary = [line for line in plan.lines(create_hint="")[:-1] if "skipped" not in line]
            if plan.unknown:
                summary.append(f"not in the project: {', '.join(plan.unknown[:12])}")

            def chosen(choice: str | None) -> None:
                if choice is not None:
                    imported(path, create=choice == "create")

            self.app.push_screen(ChoiceScreen("\n".join(summary), answers), chosen)

        self.app.push_screen(
            PromptScreen(
                "Attribute sheet (CSV: a row per participant, a column per attribute):",
                placeholder="cases.csv",
            ),
            answered,
        )

    def action_close(self) -> None:
        self.dismiss(self.changed)
