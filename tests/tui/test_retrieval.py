"""The retrieval screen: excerpts grouped by participant, context, subcode toggle, jump."""

from textual.widgets import OptionList, Static

from qualcode.models import NewDocument
from qualcode.tui.screens.retrieval import RetrievalScreen
from tests.tui.screen_app import ScreenApp


def _prompts(screen) -> list[str]:
    listing = screen.query_one(OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_lists_excerpts_grouped_by_participant_with_context(plan_project):
    app = ScreenApp(
        lambda: RetrievalScreen(plan_project, "Perspective transformation/Self-relativisation")
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RetrievalScreen)
        expected = plan_project.excerpts(code="Perspective transformation/Self-relativisation")
        title = str(screen.query_one("#retrieval-title", Static).render())
        people = sorted({e.participant for e in expected}, key=lambda p: int(p[1:]))
        assert f"{len(expected)} excerpts from {len(people)} participants" in title
        prompts = _prompts(screen)
        headers = [p for p in prompts if "(" in p.splitlines()[0] and "I think" not in p]
        assert [h.split()[0] for h in headers] == people  # R1 before R10, each once
        first = prompts[1]
        # the excerpt between its neighbouring sentences, then where / who
        assert "I think self-relativisation mattered to me there." in first
        assert first.startswith("… Tell me about your elective, R1.")
        assert "R1: I think wide perspective mattered to me there. …" in first
        assert "R1 interview" in first and "coder coder1" in first


async def test_children_toggle_and_memo(plan_project):
    app = ScreenApp(lambda: RetrievalScreen(plan_project, "Perspective transformation"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.items == []  # codings sit on the subthemes only
        await pilot.press("c")
        with_children = plan_project.excerpts(code="Perspective transformation", with_children=True)
        assert len(screen.items) == len(with_children) == 84
        prompts = _prompts(screen)
        assert any("memo: agreed with coder1" in p for p in prompts)
        assert any("Perspective transformation/Empathy" in p for p in prompts)
        await pilot.press("c")
        assert screen.items == []


async def test_enter_opens_the_document_at_the_excerpt(plan_project):
    app = ScreenApp(lambda: RetrievalScreen(plan_project, "Leadership/Decision making"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        second = plan_project.excerpts(code="Leadership/Decision making")
        ordered = sorted(
            second, key=lambda e: (int(e.participant[1:]), e.document_id, e.start, e.coding_id)
        )
        assert app.opened == [(ordered[1].document_id, ordered[1].start)]
        assert not isinstance(app.screen, RetrievalScreen)


async def test_transcript_markup_is_shown_verbatim(project):
    text = "R1: It was [laughs] odd, [b]really[/b] odd."
    doc_id = project.add_documents([NewDocument("R1", "interview", "R1 interview", text)])[0]
    project.add_coding(doc_id, 4, len(text), "Culture shock")
    app = ScreenApp(lambda: RetrievalScreen(project, "Culture shock"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "It was [laughs] odd, [b]really[/b] odd." in _prompts(app.screen)[1]


async def test_long_lists_load_page_by_page(plan_project):
    def small_pages():
        screen = RetrievalScreen(plan_project, "Perspective transformation", with_children=True)
        screen.page_size = 10
        return screen

    app = ScreenApp(small_pages)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert len(screen.order) == 84 and len(screen.items) == 10
        assert "84 excerpts from 17 participants" in str(
            screen.query_one("#retrieval-title", Static).render()
        )
        await pilot.press(*["down"] * 9)  # near the end of the first page
        assert len(screen.items) == 20
        await pilot.press("end")
        await pilot.pause()
        assert len(screen.items) >= 30
        everything = plan_project.excerpts_in_context(
            "Perspective transformation", with_children=True
        )
        loaded = [i.excerpt.coding_id for i in screen.items]
        assert loaded == [i.excerpt.coding_id for i in everything][: len(loaded)]
        prompts = _prompts(screen)
        headers = [p.split()[0] for p in prompts if "I think" not in p]
        assert len(headers) == len(set(headers))  # a participant split across pages has one heading
