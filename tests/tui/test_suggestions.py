"""Code suggestions: shown for the selection, coded only on the accept key."""

import pytest

from qualcode.project import Project
from qualcode.suggest_session import SuggestionSession
from qualcode.tui.components import suggestions
from qualcode.tui.components.document_view import DocumentView
from qualcode.tui.components.suggestions import SuggestionsPanel


@pytest.fixture
def suggesting(monkeypatch):
    calls = []

    def suggest_codes(self, doc_id, start, end, k=3, suggester=None):
        calls.append((doc_id, start, end, k))
        return [
            ("Career design/Role model", 0.9),
            (self.resolve_code("Empathy"), 0.5),
            ("no such code", 0.1),
        ]

    monkeypatch.setattr(Project, "suggest_codes", suggest_codes, raising=False)
    monkeypatch.setattr(suggestions, "REST_SECONDS", 0.001)
    # the fake lives in this process: the session must too (not in a child process)
    monkeypatch.setattr(suggestions, "make_session", SuggestionSession)
    return calls


async def settle(pilot):
    await pilot.pause()  # the rest timer fires
    await pilot.app.workers.wait_for_complete()  # the lookup thread answers
    await pilot.pause()


async def test_accept_codes_top_suggestion_and_dismiss_hides(r7_path, make_app, suggesting):
    async with make_app(r7_path, suggestions=True).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = pilot.app.screen.query_one(DocumentView)
        panel = pilot.app.screen.query_one(SuggestionsPanel)
        await pilot.press("j")
        await settle(pilot)
        assert suggesting[-1] == (1, *view.selection, 3)
        assert (
            panel.display
            and "Role model" in str(panel.render())
            and "Empathy" in str(panel.render())
        )
        with Project.open(r7_path) as p:
            assert p.codings() == []  # nothing is coded without the key press
        await pilot.press("a")
        with Project.open(r7_path) as p:
            [coding] = p.codings()
            assert (
                p.code(coding.code_id).name == "Role model"
                and (coding.start, coding.end) == view.selection
            )
        await settle(pilot)
        assert "Role model" not in str(
            panel.render()
        )  # already on this selection: not offered again
        await pilot.press("j")
        await settle(pilot)
        assert "Role model" in str(panel.render()) and "Empathy" in str(panel.render())
        await pilot.press("d")  # the top one goes, the next moves up
        assert "Role model" not in str(panel.render()) and "Empathy" in str(panel.render())
        await pilot.press("k", "j")  # away and back: still dismissed for this passage
        await settle(pilot)
        assert suggesting[-1] == (1, *view.selection, 4)  # one more asked, to fill three
        assert "Role model" not in str(panel.render()) and "Empathy" in str(panel.render())
        await pilot.press("d")
        assert not panel.has_suggestions and not panel.display
        await pilot.press("a")  # all dismissed: the key does nothing now
        with Project.open(r7_path) as p:
            assert len(p.codings()) == 1


async def test_moving_keeps_the_old_list_dimmed_and_not_acceptable_until_the_new_one(
    r7_path, make_app, suggesting, monkeypatch
):
    from qualcode.tui.components.codebook_tree import CodebookTree

    async with make_app(r7_path, suggestions=True).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        panel = pilot.app.screen.query_one(SuggestionsPanel)
        tree = pilot.app.screen.query_one(CodebookTree)
        await pilot.press("j")
        await settle(pilot)
        assert panel.display
        height = tree.size.height
        monkeypatch.setattr(suggestions, "REST_SECONDS", 60)  # the cursor has not rested yet
        await pilot.press("j")
        await pilot.pause()
        # Hidden until the answer, the panel made the codebook above it jump on every move.
        assert panel.display and tree.size.height == height
        assert panel.looking
        assert "looking" in str(panel.render())
        await pilot.press("a")  # the list is for the previous sentence: it must not code this one
        await pilot.pause()
        with Project.open(r7_path) as p:
            assert p.codings() == []


async def test_a_suggestion_shows_its_code_name_before_its_path(r7_path, make_app, suggesting):
    """At 80 columns the path ran out of room before the code's own name
    ("Career design/Pursuit of in…"); the name comes first, its parent after it."""
    async with make_app(r7_path, suggestions=True).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        panel = pilot.app.screen.query_one(SuggestionsPanel)
        await pilot.press("j")
        await settle(pilot)
        lines = str(panel.render()).splitlines()
        assert lines[1] == "■ Role model  Career design"
        assert lines[2].startswith("■ Empathy  ")  # "Perspective transformation": parent


async def test_the_panel_says_it_is_learning_until_the_first_answer(
    r7_path, make_app, suggesting, monkeypatch
):
    monkeypatch.setattr(suggestions, "REST_SECONDS", 60)  # the first lookup waits
    async with make_app(r7_path, suggestions=True).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        panel = pilot.app.screen.query_one(SuggestionsPanel)
        await pilot.press("j")
        await pilot.pause()
        assert panel.display and "learning from this project's codings" in str(panel.render())
        assert not panel.has_suggestions  # nothing to accept yet
        await pilot.press("a")
        with Project.open(r7_path) as p:
            assert p.codings() == []


async def test_dismissing_brings_in_the_next_suggestion(r7_path, make_app, suggesting, monkeypatch):
    def four(self, doc_id, start, end, k=3, suggester=None):
        names = ("Role model", "Empathy", "Mindset", "Motivation")
        return [(self.resolve_code(name), 1.0 - n / 10) for n, name in enumerate(names)][:k]

    monkeypatch.setattr(Project, "suggest_codes", four, raising=False)
    async with make_app(r7_path, suggestions=True).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        panel = pilot.app.screen.query_one(SuggestionsPanel)
        await pilot.press("j")
        await settle(pilot)
        shown = [line.split("  ")[0] for line in str(panel.render()).splitlines()[1:]]
        assert shown == ["■ Role model", "■ Empathy", "■ Mindset"]
        await pilot.press("d")
        await settle(pilot)
        shown = [line.split("  ")[0] for line in str(panel.render()).splitlines()[1:]]
        assert shown == ["■ Empathy", "■ Mindset", "■ Motivation"]  # was two until moving
