"""Add or edit a code: name, description, colour and shortcut."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static

from qualcode.codebook import SLASH_RULE
from qualcode.models import Code
from qualcode.tui.keys import shortcut_problem
from qualcode.tui.screens.dialog import Dialog


class CodeFormScreen(Dialog[dict | None]):
    """Dismisses with the changed fields ({name, description, colour, shortcut}) or None.

    `submit(fields)`, if given, saves them and returns why it could not (a shortcut or
    name already taken, a bad colour): the form then stays open with the reason shown,
    so nothing typed is lost.
    """

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel"), Binding("ctrl+s", "save", "Save")]

    def __init__(self, heading: str, code: Code | None = None, submit=None) -> None:
        super().__init__(classes="dialog-screen")
        self.heading = heading
        self.code = code
        self.submit = submit

    def compose(self) -> ComposeResult:
        c = self.code
        with Vertical(classes="dialog"):
            yield Static(Content(self.heading), classes="dialog-text")
            yield Label("Name")
            yield Input(c.name if c else "", id="name")
            yield Label("Description")
            yield Input(c.description if c else "", id="description")
            yield Label("Colour (#rrggbb, empty: automatic)")
            yield Input((c.colour or "") if c else "", id="colour")
            yield Label("Shortcut (one letter or digit)")
            yield Input((c.shortcut or "") if c else "", id="shortcut", max_length=1)
            yield Static("", id="form-error", classes="dialog-error")
            yield Static("enter / ctrl+s save · esc cancel", classes="dialog-hint")

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        values = {w.id: w.value.strip() for w in self.query(Input)}
        problem = shortcut_problem(values["shortcut"])
        if not values["name"]:
            problem = "a code needs a name"
        elif "/" in values["name"]:
            problem = f"a code name cannot contain '/': {SLASH_RULE}"
        if problem:
            self.query_one("#form-error", Static).update(Content(problem))
            return
        fields = {
            "name": values["name"],
            "description": values["description"],
            "colour": values["colour"] or None,
            "shortcut": values["shortcut"] or None,
        }
        if self.code is not None:
            fields = {
                k: v
                for k, v in fields.items()
                if v != (getattr(self.code, k) or (None if k != "description" else ""))
            }
            if "colour" in fields and fields["colour"] is None:
                del fields["colour"]  # an emptied colour keeps the old one
        problem = self.submit(dict(fields)) if self.submit and fields else None
        if problem:
            self.query_one("#form-error", Static).update(Content(problem))
            return
        self.dismiss(fields)
