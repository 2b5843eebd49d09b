"""The disagreement review screen: resolving three disagreements writes three consensus
codings that the tables count; undo takes one back."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, Static

from qualcode.analysis.filters import Filters
from qualcode.codebook import load_codebook
from qualcode.models import NewDocument
from qualcode.project import Project
from qualcode.tui.screens.review import ReviewScreen

PIF = Path(__file__).resolve().parents[2] / "codebooks" / "pif.yaml"


def two_coders(path: Path) -> Path:
    with Project.create(path, codebook=load_codebook(PIF), coder="ana") as p:
        [doc] = p.add_documents([NewDocument("R1", "interview", "R1 i", "abcdefghij " * 20)])
        p.add_coding(doc, 0, 40, "Empathy", coder="ana")
        p.add_coding(doc, 20, 60, "Empathy", coder="bo")
        p.add_coding(doc, 100, 140, "Leadership/Uncertainty", coder="ana")
        p.add_coding(doc, 150, 190, "Leadership/Resilience", coder="bo")
        p.add_coding(doc, 150, 190, "Leadership/Resilience", coder="bo2")  # a third coder
        p.add_coding(doc, 0, 10, "Leadership/Resilience", coder="bo2")
    return path


def consensus(path: Path) -> list[tuple[str, int, int]]:
    with Project.open(path) as p:
        return sorted(
            (p.code(c.code_id).name, c.start, c.end) for c in p.codings() if c.coder == "consensus"
        )


async def test_resolving_three_disagreements(tmp_path, make_app):
    path = two_coders(tmp_path / "r.qualcode")
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+k")  # the two coders with most codings: ana and bo
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert (screen.coder_a, screen.coder_b) == ("ana", "bo")
        items = [(i.code, i.start, i.end, i.who) for i in screen.items]
        assert items == [
            ("Perspective transformation/Empathy", 0, 20, "ana"),
            ("Perspective transformation/Empathy", 40, 60, "bo"),
            ("Leadership/Resilience", 150, 190, "bo"),
            ("Leadership/Uncertainty", 100, 140, "ana"),
        ]
        passage = str(screen.query_one("#review-passage", Static).render())
        assert "coded by ana only" in passage and "abcdefghij abcdefghij" in passage
        await pilot.press("a")  # keep ana's Empathy 0-40
        await pilot.press("k")  # keep both: the union of what overlaps 40-60 is bo's 20-60
        await pilot.press("b")  # keep bo's Resilience 150-190
        await pilot.pause()
        title = str(screen.query_one("#review-title", Static).render())
        assert "3 of 4 resolved" in title
        assert screen.query_one(OptionList).highlighted == 3  # the one left open
        assert consensus(path) == [
            ("Empathy", 0, 40),
            ("Empathy", 20, 60),
            ("Resilience", 150, 190),
        ]
        await pilot.press("u")
        await pilot.pause()
        assert consensus(path) == [("Empathy", 0, 40), ("Empathy", 20, 60)]
        assert "2 of 4 resolved" in str(screen.query_one("#review-title", Static).render())
        screen.query_one(OptionList).highlighted = 2
        await pilot.press("b")
        await pilot.press("d")  # drop ana's Uncertainty: nothing written
        await pilot.pause()
        assert "4 of 4 resolved" in str(screen.query_one("#review-title", Static).render())
    assert len(consensus(path)) == 3
    with Project.open(path) as p:
        table = p.frequencies(Filters(coders=("consensus",)))
        counted = dict(zip(table["name"], table["n"]))
        assert counted["Empathy"] == 1 and counted["Resilience"] == 1
        assert counted["Uncertainty"] == 0
        assert [e["action"] for e in p.log()][-5:] == [
            "resolve disagreement",
            "resolve disagreement",
            "resolve disagreement",
            "undo resolve disagreement",
            "resolve disagreement",
        ]


async def test_resolved_passages_show_as_resolved_when_reopened(tmp_path, make_app):
    path = two_coders(tmp_path / "r.qualcode")
    with Project.open(path) as p:
        p.add_coding(1, 0, 40, "Empathy", coder="consensus")
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+k")
        await pilot.pause()
        screen = app.screen
        assert [i.resolved for i in screen.items] == [True, False, False, False]
        assert "1 of 4 resolved" in str(screen.query_one("#review-title", Static).render())
        assert screen.query_one(OptionList).highlighted == 1
