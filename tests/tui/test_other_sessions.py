"""The workbench when keys arrive together and when other sessions (browser tabs of
`qualcode serve`, another terminal, the CLI) change the same project."""

from textual import events

from qualcode.project import Project
from qualcode.tui.components.codebook_tree import CodebookTree
from qualcode.tui.components.document_view import DocumentView
from qualcode.tui.screens.main import MainScreen
from tests.conftest import R7_TEXT

SECOND = "I decided to go because nobody in my class had done it."
THIRD = "The ICU in Ohio was loud."


async def ready(pilot):
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return pilot.app.screen.query_one(DocumentView)


async def test_keys_arriving_together_act_in_order(r7_path, make_app):
    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        # As from a browser or a slow link: both keys queued before either is handled.
        for key in ("j", "1", "j", "4"):
            pilot.app.post_message(events.Key(key, key))
        await ready(pilot)
    with Project.open(r7_path) as p:
        coded = sorted((R7_TEXT[c.start : c.end], p.code(c.code_id).name) for c in p.codings())
    assert coded == [(SECOND, "Self-relativisation"), (THIRD, "Wide perspective")]


async def test_codings_made_elsewhere_appear_on_the_next_refresh(r7_path, make_app):
    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        view = await ready(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        assert screen.pick_up_other_sessions() is False  # nothing committed elsewhere yet
        with Project.open(r7_path) as other:  # another tab's own connection
            doc = other.documents()[0].id
            code = next(c for c in other.codes() if c.shortcut == "2")
            start = R7_TEXT.index(THIRD)
            other.add_coding(doc, start, start + len(THIRD), code.id)
            other.add_code("Added in another tab")
        assert screen.pick_up_other_sessions() is True
        await ready(pilot)
        assert [(s.start, s.end, s.code_id) for s in view.spans] == [
            (start, start + len(THIRD), code.id)
        ]
        tree = screen.query_one(CodebookTree)
        assert tree._usage.get(code.id) == (1, 1)
        assert "Added in another tab" in {c.name for c in screen.codes_by_id.values()}
        assert "1 coding" in str(screen.query_one("#status").render())  # (fitted to its width)
        assert screen.pick_up_other_sessions() is False  # its own reads change nothing


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def pseudonymise_elsewhere(path) -> str:
    """Ohio -> Pennsylvania by another session, as `qualcode pseudonymise` does; the new text."""
    from qualcode.pseudonymise import NameRule

    with Project.open(path, daily_backup=False) as other:
        plan = other.pseudonymise_plan([NameRule("Ohio", "Pennsylvania")], use_ner=False)
        other.apply_pseudonymisation(plan)
        return other.document(plan.replacements[0].document_id).text


async def test_text_changed_elsewhere_is_shown_and_coded_on_the_right_words(r7_path, make_app):
    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        view = await ready(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        start = R7_TEXT.index("I felt lost")
        view.select(start, start + len("I felt lost"))
        new_text = pseudonymise_elsewhere(r7_path)
        assert screen.pick_up_other_sessions() is True
        await ready(pilot)
        assert view.text == new_text
        shown = "\n".join(view.render_line(y).text for y in range(6))
        assert "The ICU in Pennsylvania was loud." in shown and "Ohio" not in shown
        assert view.selected_text == "I felt lost"  # the cursor kept on the same words
        assert any("R7 interview was changed by another session" in m for m in messages(pilot.app))
        await pilot.press("1")
        await ready(pilot)
    with Project.open(r7_path) as p:
        assert [new_text[c.start : c.end] for c in p.codings()] == ["I felt lost"]


async def test_a_coding_against_stale_text_is_refused_and_the_text_reloaded(r7_path, make_app):
    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        view = await ready(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        start = R7_TEXT.index("I felt lost")
        view.select(start, start + len("I felt lost"))
        new_text = pseudonymise_elsewhere(r7_path)
        # Coded before the screen picked the change up (no await: no poll in between).
        screen.code_selection(screen.shortcuts["1"])
        await ready(pilot)
        assert any("its text was changed by another session" in m for m in messages(pilot.app))
        assert view.text == new_text  # the refusal reloaded it
        assert view.spans == []
    with Project.open(r7_path) as p:
        assert p.codings() == []


async def test_open_document_deleted_elsewhere_shows_another(r7_path, make_app):
    from qualcode.models import NewDocument

    with Project.open(r7_path, daily_backup=False) as p:
        p.add_documents([NewDocument("R8", "interview", "R8 interview", "R8: Fine.\n")])
    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        view = await ready(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        r7, r8 = (d.id for d in screen.documents)
        assert screen.document_id == r7
        with Project.open(r7_path, daily_backup=False) as other:
            other.delete_document(r7)
        assert screen.pick_up_other_sessions() is True  # raised NotFoundError (a crash) before
        await ready(pilot)
        assert screen.document_id == r8 and view.text == "R8: Fine.\n"
        title = str(screen.query_one("#doc-title").render())
        assert "R8 interview" in title
        assert [d.id for d in screen.documents] == [r8]
        assert "R7 interview was deleted by another session" in messages(pilot.app)
        with Project.open(r7_path, daily_backup=False) as other:
            other.update_document(r8, title="R8 second interview")
        assert screen.pick_up_other_sessions() is True
        await ready(pilot)
        assert "R8 second interview" in str(screen.query_one("#doc-title").render())
        with Project.open(r7_path, daily_backup=False) as other:
            other.delete_document(r8)
        assert screen.pick_up_other_sessions() is True
        await ready(pilot)
        assert screen.document_id is None and view.text == ""
        assert "No documents" in str(screen.query_one("#doc-title").render())
        assert "R8 second interview was deleted by another session" in messages(pilot.app)
        await pilot.press("1")  # nothing to code: said, no crash
        await ready(pilot)
        assert pilot.app.is_running


async def test_code_deleted_elsewhere_leaves_the_screen(r7_path, make_app):
    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        view = await ready(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        start = R7_TEXT.index(THIRD)
        view.select(start, start + len(THIRD))
        await pilot.press("2")
        await ready(pilot)
        code = screen.shortcuts["2"]
        assert [s.code_id for s in view.spans] == [code]
        with Project.open(r7_path, daily_backup=False) as other:
            other.delete_code(code, force=True)
        assert screen.pick_up_other_sessions() is True
        await ready(pilot)
        assert view.spans == [] and code not in screen.codes_by_id
        assert "2" not in screen.shortcuts


async def test_a_code_picked_after_the_text_changed_under_the_picker_is_refused(r7_path, make_app):
    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        view = await ready(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        start = R7_TEXT.index("I felt lost")
        view.select(start, start + len("I felt lost"))
        code = screen.shortcuts["1"]
        await pilot.press("c")  # the code picker, chosen on the text as it was
        picker = pilot.app.screen
        assert picker is not screen
        new_text = pseudonymise_elsewhere(r7_path)
        assert screen.pick_up_other_sessions() is True  # reloaded under the picker
        picker.dismiss(code)
        await ready(pilot)
        assert view.text == new_text
        assert any("its text was changed by another session" in m for m in messages(pilot.app))
    with Project.open(r7_path) as p:
        assert p.codings() == []
