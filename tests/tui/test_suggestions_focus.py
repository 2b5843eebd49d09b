"""The suggestions panel: reached with tab in the natural order, its keys (up/down,
enter / a accept, d dismiss) act on its highlighted row; weak suggestions look weak;
themes coded only through their subcodes are never offered."""

import pytest

from qualcode.facade.suggestions import CodeSuggestion
from qualcode.models import NewDocument, Segment
from qualcode.project import Project
from qualcode.suggest_session import SuggestionSession
from qualcode.tui.components import suggestions
from qualcode.tui.components.codings_panel import CodingsPanel
from qualcode.tui.components.document_view import DocumentView
from qualcode.tui.components.suggestions import SuggestionsPanel

NAMES = ("Role model", "Empathy", "Mindset")


@pytest.fixture
def suggesting(monkeypatch):
    """Three suggestions with the facade's shape: scores 0.9, 0.8, 0.2 over a typical
    score of 0.0, so the third (0.2 / 0.9 of the first's lead) is weak."""

    def suggest_codes(self, doc_id, start, end, k=3, suggester=None):
        scored = zip(NAMES, (0.9, 0.8, 0.2))
        return [
            CodeSuggestion(self.resolve_code(name), self.code(name).path, score, 0.0)
            for name, score in scored
        ][:k]

    monkeypatch.setattr(Project, "suggest_codes", suggest_codes, raising=False)
    monkeypatch.setattr(suggestions, "REST_SECONDS", 0.001)
    monkeypatch.setattr(suggestions, "make_session", SuggestionSession)  # in this process


async def settle(pilot):
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def styled(content, attribute: str) -> list[str]:
    """The pieces of the panel's text drawn with a style attribute (reverse, dim)."""
    text = str(content)
    return [
        text[span.start : span.end]
        for span in content.spans
        if span.style == attribute or getattr(span.style, attribute, False)
    ]


def rows(panel) -> list[str]:
    return str(panel.render()).splitlines()[1:]


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_tab_reaches_the_panel_and_enter_accepts_the_highlighted_code(
    r7_path, make_app, suggesting, size
):
    async with make_app(r7_path, suggestions=True).run_test(size=size) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        view = screen.query_one(DocumentView)
        panel = screen.query_one(SuggestionsPanel)
        await pilot.press("j")
        await settle(pilot)
        assert panel.display and rows(panel)[0].startswith("■ Role model")
        order = []
        for _ in range(8):  # document -> codebook -> codings at the cursor -> suggestions
            await pilot.press("tab")
            order.append(type(screen.focused).__name__)
            if screen.focused is panel:
                break
        assert screen.focused is panel, order
        assert order[-2:] == [CodingsPanel.__name__, SuggestionsPanel.__name__]
        await pilot.pause()
        # visible focus: the highlighted row is drawn reversed, the header names the keys
        rendered = panel.render()
        assert str(rendered).splitlines()[0].endswith("d dismiss · ↑↓ enter")
        assert styled(rendered, "reverse") == ["■ Role model  Career design"]
        await pilot.press("down")
        assert panel.highlighted == 1
        await pilot.press("enter")
        await pilot.pause()
        with Project.open(r7_path) as p:
            [coding] = p.codings()
            assert p.code(coding.code_id).name == "Empathy"  # the highlighted one, not the first
            assert (coding.start, coding.end) == view.selection
        await settle(pilot)
        assert screen.focused is panel  # ready for the next one
        assert [r.split("  ")[0] for r in rows(panel)] == ["■ Role model", "□ Mindset"]
        await pilot.press("down", "d")  # dismiss the highlighted (Mindset), not the first
        assert [r.split("  ")[0] for r in rows(panel)] == ["■ Role model"]
        await pilot.press("a")
        await pilot.pause()
        with Project.open(r7_path) as p:
            assert sorted(p.code(c.code_id).name for c in p.codings()) == ["Empathy", "Role model"]
        await settle(pilot)
        # nothing left to suggest: the panel hides and the focus goes back to the document
        assert not panel.display and screen.focused is view
        screen.query_one(CodingsPanel).focus()
        await pilot.press("tab")
        assert screen.focused is not panel  # hidden: skipped by tab


async def test_a_weak_suggestion_is_drawn_hollow_and_dimmed(r7_path, make_app, suggesting):
    async with make_app(r7_path, suggestions=True).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        panel = pilot.app.screen.query_one(SuggestionsPanel)
        await pilot.press("j")
        await settle(pilot)
        assert [r.split("  ")[0] for r in rows(panel)] == ["■ Role model", "■ Empathy", "□ Mindset"]
        dim = styled(panel.render(), "dim")
        assert "Mindset" in dim and "Empathy" not in dim and "Role model" not in dim
        assert not styled(panel.render(), "reverse")  # no highlight without the focus
        assert panel.weak == [pilot.app.screen.project.resolve_code("Mindset")]


FOOD = "R1: We had rice every day. The curry was spicy. Rice and curry again."


async def test_a_theme_coded_only_through_its_subcodes_is_not_offered(
    tmp_path, make_app, monkeypatch
):
    monkeypatch.setattr(suggestions, "REST_SECONDS", 0.001)
    monkeypatch.setattr(suggestions, "make_session", SuggestionSession)  # the real facade
    path = tmp_path / "food.qualcode"
    with Project.create(path, coder="tester") as p:
        units = [
            (FOOD.index(s), FOOD.index(s) + len(s))
            for s in ("We had rice every day.", "The curry was spicy.", "Rice and curry again.")
        ]
        segments = tuple(Segment(a, b, "sentence") for a, b in units)
        [doc] = p.add_documents([NewDocument("R1", "interview", "R1", FOOD, segments=segments)])
        p.add_code("Food", description="rice curry food eating")
        p.add_code("Food/Rice")
        p.add_code("Food/Curry")
        p.add_coding(doc, *units[0], "Food/Rice")
        p.add_coding(doc, *units[1], "Food/Curry")
    async with make_app(path, suggestions=True).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        panel = screen.query_one(SuggestionsPanel)
        view = screen.query_one(DocumentView)
        view.select(*units[2])
        await pilot.pause()
        await settle(pilot)
        shown = sorted(r.split("  ")[0][2:] for r in rows(panel))
        assert shown == ["Curry", "Rice"]  # three codes, the theme left out
