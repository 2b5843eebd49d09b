"""Every modal dialog shows its own keys in the footer, not the workbench's under it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree
from textual.widgets._footer import FooterKey

import qualcode.tui.screens
from qualcode.tui.components.codebook_tree import CodebookTree
from qualcode.tui.components.footer import KeyFooter
from qualcode.tui.screens.dialog import Dialog

WORKBENCH_KEYS = {"c", "x", "m", "right_square_bracket", "slash"}  # MainScreen's shown keys


def footer_keys(screen) -> list[str]:
    """The keys the footers of `screen` list, in order."""
    return [key.key for footer in screen.query(KeyFooter) for key in footer.query(FooterKey)]


async def settled(pilot) -> None:
    await pilot.pause()
    # Not the import dialog's DirectoryTree loader: it runs until the tree goes.
    busy = [w for w in pilot.app.workers if not isinstance(w.node, DirectoryTree)]
    if busy:  # (an empty list waits for every worker)
        await pilot.app.workers.wait_for_complete(busy)
    await pilot.pause()
    await pilot.pause()


def test_every_modal_screen_is_a_dialog():
    """A new modal must derive from Dialog, or it shows the footer of the screen below."""
    modals = []
    package = qualcode.tui.screens
    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, ModalScreen) and cls.__module__ == module.__name__:
                modals.append(cls)
    assert len(modals) >= 11  # confirm, prompt, code picker, import, help, memo, ...
    assert [c.__name__ for c in modals if c is not Dialog and not issubclass(c, Dialog)] == []


@pytest.mark.parametrize(
    ("keys", "dialog", "expected"),
    [
        (["c"], "CodePickerScreen", ["escape"]),
        (["ctrl+l"], "ImportDialog", ["escape", "ctrl+d", "ctrl+r"]),
        (["slash"], "PromptScreen", ["escape"]),
        (["question_mark"], "HelpScreen", ["escape"]),
        (["codebook", "down", "d"], "ConfirmScreen", ["escape", "y"]),
        (["codebook", "down", "e"], "CodeFormScreen", ["escape", "ctrl+s"]),
    ],
)
async def test_a_dialog_over_the_workbench_lists_its_own_keys(
    plan_project, make_app, keys, dialog, expected
):
    path = plan_project.path
    plan_project.close()
    async with make_app(path).run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        assert WORKBENCH_KEYS <= set(footer_keys(pilot.app.screen))  # the workbench's own
        for key in keys:
            if key == "codebook":  # the codebook's keys act on its highlighted code
                pilot.app.screen.query_one(CodebookTree).focus()
            else:
                await pilot.press(key)
            await settled(pilot)
        assert type(pilot.app.screen).__name__ == dialog
        shown = footer_keys(pilot.app.screen)
        assert shown[: len(expected)] == expected
        assert not WORKBENCH_KEYS & set(shown)
        await pilot.press("escape")  # closed before the app: the import tree's loader stops
        await settled(pilot)
