"""Codebook edits from the panel, with their undo, read back from the database."""

from qualcode.project import Project
from qualcode.tui.components.codebook_tree import CodebookTree
from qualcode.tui.components.document_view import DocumentView
from qualcode.tui.screens.confirm import ConfirmScreen
from tests.tui.test_suggestions import suggesting  # noqa: F401


def code_paths(path):
    with Project.open(path) as p:
        return [c.path for c in p.codes()]


async def focus_codebook(pilot, code_path=None):
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    tree = pilot.app.screen.query_one(CodebookTree)
    tree.focus()
    if code_path:
        with Project.open(pilot.app.screen.project.path) as p:
            tree.select_code(p.resolve_code(code_path))
    await pilot.pause()
    return tree


async def test_add_and_rename_code(r7_path, make_app):
    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        tree = await focus_codebook(pilot)
        await pilot.press("a", *"Belonging", "tab", *"Feeling part of the team", "enter")
        await pilot.pause()
        assert code_paths(r7_path)[-1] == "Belonging"
        with Project.open(r7_path) as p:
            assert p.code("Belonging").description == "Feeling part of the team"
            new_id = p.resolve_code("Belonging")
        assert tree.selected_code_id == new_id
        await pilot.press("r", *"Belonging [team]", "enter")
        await pilot.pause()
        assert code_paths(r7_path)[-1] == "Belonging [team]"
        assert "Belonging [team]" in str(tree.cursor_node.label)  # shown literally, not as markup
        await pilot.press("ctrl+z")
        assert code_paths(r7_path)[-1] == "Belonging"
        await pilot.press("ctrl+z")
        assert "Belonging" not in code_paths(r7_path)
        await pilot.press("ctrl+y", "ctrl+y")
        assert code_paths(r7_path)[-1] == "Belonging [team]"
        with Project.open(r7_path) as p:
            assert p.resolve_code("Belonging [team]") == new_id  # same id after redo


async def test_add_child_move_edit_and_reserved_shortcut(r7_path, make_app):
    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        await focus_codebook(pilot, "Career design/Mindset")
        await pilot.press("A", *"Growth", "enter")
        await pilot.pause()
        assert "Career design/Mindset/Growth" in code_paths(r7_path)
        await pilot.press("m", *"self-development", "enter")
        await pilot.pause()
        assert "Self-development/Growth" in code_paths(r7_path)
        await pilot.press("e", "tab", "tab", "ctrl+a", "ctrl+k", *"#123456", "tab", "j", "enter")
        await pilot.pause()
        assert "taken by the workbench" in str(pilot.app.screen.query_one("#form-error").render())
        await pilot.press("backspace", "z", "enter")
        await pilot.pause()
        with Project.open(r7_path) as p:
            code = p.code("Self-development/Growth")
            assert (code.colour, code.shortcut) == ("#123456", "z")


async def test_merge_and_delete_ask_first_and_undo(r7_path, make_app):
    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        view = pilot.app.screen.query_one(DocumentView)
        await pilot.press("j", "6", "j", "5")  # Role model, Right of choice
        await focus_codebook(pilot, "Career design/Role model")
        await pilot.press("M", *"right of choice", "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert "Career design/Role model" not in code_paths(r7_path)
        with Project.open(r7_path) as p:
            assert [p.code(c.code_id).name for c in p.codings()] == [
                "Right of choice",
                "Right of choice",
            ]
        await pilot.press("ctrl+z")
        with Project.open(r7_path) as p:
            assert [p.code(c.code_id).name for c in p.codings()] == [
                "Role model",
                "Right of choice",
            ]
        await focus_codebook(pilot, "Career design/Right of choice")
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("n")  # refuse: nothing changes
        assert "Career design/Right of choice" in code_paths(r7_path)
        await pilot.press("d", "y")
        await pilot.pause()
        assert "Career design/Right of choice" not in code_paths(r7_path)
        assert len(view.spans) == 1
        await pilot.press("ctrl+z")
        assert "Career design/Right of choice" in code_paths(r7_path) and len(view.spans) == 2


async def test_a_new_code_at_the_end_of_a_long_codebook_is_scrolled_into_view(
    r7_path,
    make_app,
    suggesting,  # noqa: F811  (in-process suggestions: a real child answers seconds late,
    # and a newer lookup then cancels the waiting one, which wait_for_complete raises)
):
    # The tree scrolled to the new code, then shrank when the suggestions appeared below it.
    async with make_app(r7_path, suggestions=True).run_test(size=(120, 40)) as pilot:
        tree = await focus_codebook(pilot)
        await pilot.press("a", *"Belonging", "enter")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()  # the corpus counts come back and relabel
        await pilot.pause()
        assert "Belonging" in str(tree.cursor_node.label)
        top, height = tree.scroll_offset.y, tree.scrollable_content_region.height
        assert tree.cursor_line >= height  # below the first screenful: the tree had to scroll
        assert top <= tree.cursor_line < top + height


async def test_a_taken_shortcut_or_name_keeps_the_form_open_with_the_reason(r7_path, make_app):
    from qualcode.tui.screens.code_form import CodeFormScreen

    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        await focus_codebook(pilot, "Career design/Mindset")
        with Project.open(r7_path) as p:
            taken = p.code("Perspective transformation/Self-relativisation").shortcut
        assert taken
        await pilot.press("e", "tab", *"Fixed [mindset]", "tab", "tab", taken, "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, CodeFormScreen)  # was closed, the typing lost
        assert "already used" in str(pilot.app.screen.query_one("#form-error").render())
        await pilot.press("backspace", "z", "enter")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, CodeFormScreen)
        with Project.open(r7_path) as p:
            code = p.code("Career design/Mindset")
            assert (code.description, code.shortcut) == ("Fixed [mindset]", "z")
        await focus_codebook(pilot, "Career design")
        await pilot.press("A", *"Mindset", "enter")  # a sibling of the same name
        await pilot.pause()
        assert isinstance(pilot.app.screen, CodeFormScreen)
        assert "Mindset" in str(pilot.app.screen.query_one("#form-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.focused, CodebookTree)


async def test_at_80_columns_the_codebook_shortens_names_but_keeps_counts(r7_path, make_app):
    async with make_app(r7_path).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pilot.app.screen.query_one(DocumentView).focus()
        await pilot.press("j", "1")  # a coding of Self-relativisation, so it has counts
        await pilot.pause()
        tree = await focus_codebook(pilot)
        rows = [tree.render_line(y).text for y in range(4)]
        # (the old compact panel dropped the counts here and showed "Self-rel")
        assert any("1·1" in r and "Self-relativisa" in r and "…" in r for r in rows), rows
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        rows = [tree.render_line(y).text for y in range(4)]
        assert any("1·1 Self-relativisation" in r for r in rows), rows


async def test_keys_typed_at_paste_speed_after_a_tab_go_to_the_next_field(r7_path, make_app):
    # the tab used to reach focus_next only after bubbling up from the name field, and
    # the keys after it, already queued, went to the name: "AlphaBeta" and no description
    from textual import events
    from textual.widgets import Input

    from qualcode.tui.screens.code_form import CodeFormScreen

    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        await focus_codebook(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(pilot.app.screen, CodeFormScreen)
        for key in [*"Alpha", "tab", *"Beta"]:  # all queued at once, as a paste
            pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause(0.3)
        fields = {w.id: w.value for w in pilot.app.screen.query(Input)}
        assert (fields["name"], fields["description"]) == ("Alpha", "Beta")


async def test_letters_typed_right_after_a_go_to_the_new_code_form(r7_path, make_app):
    # "a" reached the form only after its message went round (tree -> screen -> push),
    # and letters already queued went to the codebook tree: "e" asked to edit the
    # highlighted code, "d" to delete it, and the form opened with an empty name.
    from textual import events
    from textual.widgets import Input

    from qualcode.tui.screens.code_form import CodeFormScreen

    async with make_app(r7_path).run_test(size=(80, 24)) as pilot:
        await focus_codebook(pilot, "Perspective transformation")
        for key in ["a", *"Belonged"]:  # all queued at once: a fast typist, a paste
            pilot.app.post_message(events.Key(key, key))
        await pilot.pause(0.3)
        screen = pilot.app.screen
        assert isinstance(screen, CodeFormScreen), screen
        from qualcode.tui.screens.main import MainScreen

        assert isinstance(pilot.app.screen_stack[-2], MainScreen)  # no dialog under it
        assert screen.query_one("#name", Input).value == "Belonged"
        await pilot.press("enter")
        await pilot.pause()
    assert "Belonged" in code_paths(r7_path)


async def test_a_key_sent_to_a_dialog_before_its_field_has_the_focus_is_typed_into_it(
    r7_path, make_app
):
    # On a slow machine the keys after "a" can be forwarded while nothing has the focus
    # yet: the app then sends them to the dialog screen itself, where they were lost.
    from textual import events
    from textual.widgets import Input

    from qualcode.tui.screens.code_form import CodeFormScreen

    async with make_app(r7_path).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = CodeFormScreen("New top-level code")
        pilot.app.push_screen(form)
        for key in "Hope":  # as the app forwards a key when nothing has the focus
            form._forward_event(events.Key(key, key))
        await pilot.pause(0.3)
        assert form.query_one("#name", Input).value == "Hope"
        assert form.query_one("#name", Input).has_focus
