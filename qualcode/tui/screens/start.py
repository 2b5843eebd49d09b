"""The start screen (`qualcode` without a project): recent projects, a new one, the sample."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from qualcode import recent
from qualcode.tui.components.footer import KeyFooter
from qualcode.tui.screens.prompt import PromptScreen

if TYPE_CHECKING:
    from qualcode.tui.app import QualcodeApp

NEW, SAMPLE = "new", "sample"


def sample_builder():
    """The demo builder if this install has it (qualcode.demo.build_demo), else None."""
    try:
        from qualcode.demo import build_demo
    except ImportError:
        return None
    return build_demo


class StartScreen(Screen):
    # Over an open project (ctrl+o) escape goes back to it; at launch it quits.
    BINDINGS = [Binding("escape", "back", "Back"), Binding("escape", "quit", "Quit")]

    @property
    def qualcode_app(self) -> QualcodeApp:
        """The app, typed: this screen only runs inside QualcodeApp."""
        return cast("QualcodeApp", self.app)

    def __init__(self, recent_file: Path | None = None) -> None:
        super().__init__()
        self.recent_file = recent_file

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="start"):
            yield Static("Open a project", classes="panel-title")
            yield OptionList(id="start-choices")
            yield Static("Enter opens · ctrl+p commands · ? keys", classes="dialog-hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "qualcode"
        self.sub_title = "start"
        options = self.query_one(OptionList)
        for path in recent.load(self.recent_file):
            options.add_option(Option(Text(str(path)), id=f"recent:{path}"))
        options.add_option(Option(Text("New project…", style="bold"), id=NEW))
        label = "Sample project (the bundled PIF study, with its codebook and codings)"
        options.add_option(
            Option(
                Text(label, style="bold" if sample_builder() else "dim"),
                id=SAMPLE,
                disabled=sample_builder() is None,
            )
        )
        options.highlighted = 0
        options.focus()

    def _over_project(self) -> bool:
        stack = self.app.screen_stack  # (asked by a footer too, maybe after this was popped)
        return self in stack and stack.index(self) > 1  # the default screen, then one open

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("back", "quit"):
            return self._over_project() == (action == "back")
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_quit(self) -> None:
        self.app.exit()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id or ""
        if choice.startswith("recent:"):
            self.qualcode_app.open_project(Path(choice.removeprefix("recent:")))
        elif choice == NEW:
            self.app.push_screen(
                PromptScreen("New project file:", "project.qualcode"), self._create
            )
        elif choice == SAMPLE:
            self.app.push_screen(
                PromptScreen("Write the sample project to:", "sample.qualcode"), self._sample
            )

    def _create(self, answer: str | None) -> None:
        """Asks what the new project starts with, then creates it."""
        from qualcode.tui.screens.codebook_choice import (
            FILE,
            PIF,
            CodebookChoiceScreen,
            pif_codebook,
        )

        if not answer:
            return
        path = Path(answer).expanduser()

        def from_file(file: str | None) -> None:
            if file:
                self.qualcode_app.create_project(path, Path(file).expanduser())

        def chosen(choice: str | None) -> None:
            if choice == PIF:
                self.qualcode_app.create_project(path, pif_codebook())
            elif choice == FILE:
                self.app.push_screen(
                    PromptScreen("Codebook file (.yaml or .qdc):", placeholder="codebook.yaml"),
                    from_file,
                )
            elif choice is not None:
                self.qualcode_app.create_project(path)

        self.app.push_screen(CodebookChoiceScreen(path), chosen)

    def _sample(self, answer: str | None) -> None:
        if answer:
            self.qualcode_app.create_sample(Path(answer).expanduser(), sample_builder())
