"""Pilot tests of three workbench behaviours: reopening where the coder left off, undo/redo
showing the document of the coding it changed, and `x` saying which coding it removed."""

from qualcode.project import Project
from qualcode.tui.components.document_view import DocumentView
from qualcode.tui.last_place import PLACE_KEY


async def ready(pilot):
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return pilot.app.screen.query_one(DocumentView)


def saved(path, coder="coder1"):
    with Project.open(path) as p:
        return p.get_meta(PLACE_KEY.format(coder=coder))


def plan_documents(plan_project):
    path = plan_project.path
    docs = [d.id for d in plan_project.documents()]
    plan_project.close()  # the app opens its own connection
    return path, docs


async def test_reopens_the_document_and_selection_left_last_time(
    plan_project, make_app, monkeypatch
):
    from qualcode.tui.screens import main as main_screen

    # the place is also saved when the cursor rests; on a slow machine the rest timer
    # fired before the check that keys alone do not write: keep it out of this test
    monkeypatch.setattr(main_screen, "PLACE_REST_SECONDS", 600.0)
    path, docs = plan_documents(plan_project)
    async with make_app(path).run_test(size=(120, 40)) as pilot:
        view = await ready(pilot)
        first = pilot.app.screen.document_id
        assert first == docs[0]
        target = docs[2]
        pilot.app.screen.open_document(target)
        await pilot.pause()
        on_open = saved(path)
        await pilot.press("j", "j")
        await pilot.pause()
        left_at = view.selection
        assert left_at != (0, 0) and left_at[0] > 0
        assert saved(path) == on_open  # moving the cursor does not write on every key
    assert saved(path) is not None and f'"start": {left_at[0]}' in saved(path)  # saved on quit
    async with make_app(path).run_test(size=(120, 40)) as pilot:
        view = await ready(pilot)
        assert pilot.app.screen.document_id == target
        assert view.selection == left_at


async def test_saved_place_of_a_deleted_document_falls_back_to_the_first(plan_project, make_app):
    path, docs = plan_documents(plan_project)
    with Project.open(path) as p:
        p.set_meta(PLACE_KEY.format(coder="coder1"), '{"document": 999999, "start": 5, "end": 9}')
        p.set_meta(
            PLACE_KEY.format(coder="coder2"), f'{{"document": {docs[1]}, "start": 5, "end": 9}}'
        )
    async with make_app(path).run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert (
            pilot.app.screen.document_id == docs[0]
        )  # coder1's place is gone; coder2's is not ours


async def test_undo_and_redo_show_the_coding_in_its_own_document(plan_project, make_app):
    path, docs = plan_documents(plan_project)
    async with make_app(path).run_test(size=(120, 40)) as pilot:
        view = await ready(pilot)
        screen = pilot.app.screen
        screen.open_document(docs[1])
        await pilot.pause()
        await pilot.press("j")
        coded = view.selection
        present = {s.code_id for s in view.spans_at(*coded)}
        key = next(k for k, code_id in sorted(screen.shortcuts.items()) if code_id not in present)
        await pilot.press(key)  # a new coding in the second document
        with Project.open(path) as p:
            before = [(c.start, c.end) for c in p.codings(document=docs[1])]
        assert coded in before and len(screen.undo_stack.done) == 1
        screen.open_document(docs[3])
        await pilot.pause()
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert screen.document_id == docs[1]
        assert view.selection == coded
        with Project.open(path) as p:
            assert len(p.codings(document=docs[1])) == len(before) - 1
        screen.open_document(docs[3])
        await pilot.pause()
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert screen.document_id == docs[1]
        assert view.selection == coded
        assert coded in {(s.start, s.end) for s in view.spans}


async def test_x_on_overlapping_codings_says_which_one_it_removed(r7_path, make_app):
    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        view = await ready(pilot)
        await pilot.press("j", "1", "2")  # two codings on one sentence
        start, end = view.selection
        with Project.open(r7_path) as p:
            before = {c.id: p.code(c.code_id).path for c in p.codings()}
        assert len(before) == 2
        await pilot.press("x")
        await pilot.pause()
        with Project.open(r7_path) as p:
            left = {c.id for c in p.codings()}
        (removed,) = set(before) - left
        messages = [n.message for n in pilot.app._notifications]
        assert f"Removed {before[removed]} {start}-{end} (ctrl+z to undo)" in messages
        assert "/" in before[removed]  # the code's path, not only its name


async def test_the_place_is_saved_when_the_cursor_rests_so_a_killed_terminal_keeps_it(
    plan_project, make_app, monkeypatch
):
    from qualcode.tui.screens import main as main_screen

    monkeypatch.setattr(main_screen, "PLACE_REST_SECONDS", 0.05)
    path, docs = plan_documents(plan_project)
    async with make_app(path).run_test(size=(120, 40)) as pilot:
        view = await ready(pilot)
        pilot.app.screen.open_document(docs[1])
        await pilot.press("j", "j", "j")
        left_at = view.selection
        await pilot.pause(0.2)  # the cursor rests
        # what a killed terminal leaves: the file as written so far, no quit handler
        assert f'"document": {docs[1]}, "start": {left_at[0]}, "end": {left_at[1]}' in saved(path)


async def test_reopening_keeps_the_saved_place_even_before_the_cursor_moves(plan_project, make_app):
    # Opening used to save the document's first unit before moving to the saved place, so
    # a session killed right after opening lost the place saved at the last quit.
    path, docs = plan_documents(plan_project)
    with Project.open(path) as p:
        p.set_meta(
            PLACE_KEY.format(coder="coder1"), f'{{"document": {docs[2]}, "start": 5, "end": 9}}'
        )
    async with make_app(path).run_test(size=(120, 40)) as pilot:
        view = await ready(pilot)
        assert view.selection == (5, 9)
        assert saved(path) == f'{{"document": {docs[2]}, "start": 5, "end": 9}}'
