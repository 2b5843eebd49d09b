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
