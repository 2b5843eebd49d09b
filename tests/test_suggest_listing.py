"""How suggestions are listed for the user (facade and `qualcode suggest`): themes coded
only through their subcodes are left out; each suggestion's strength next to the first."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.facade.suggestions import CodeSuggestion, is_weak, relative_strengths
from qualcode.models import NewDocument, Segment
from qualcode.project import Project

TEXT = "R1: We had rice every day. The curry was spicy. Rice and curry again."
UNITS = [
    (TEXT.index(s), TEXT.index(s) + len(s))
    for s in ("We had rice every day.", "The curry was spicy.", "Rice and curry again.")
]


@pytest.fixture
def food(tmp_path):
    """Food (a theme, no coding of its own) with Rice and Curry coded; Weather uncoded."""
    path = tmp_path / "food.qualcode"
    with Project.create(path, coder="ana") as p:
        segments = tuple(Segment(a, b, "sentence") for a, b in UNITS)
        [doc] = p.add_documents([NewDocument("R1", "interview", "R1", TEXT, segments=segments)])
        p.add_code("Food", description="rice curry food eating")
        p.add_code("Food/Rice")
        p.add_code("Food/Curry")
        p.add_code("Weather")
        p.add_coding(doc, *UNITS[0], "Food/Rice")
        p.add_coding(doc, *UNITS[1], "Food/Curry")
    return path


def test_a_theme_coded_only_through_its_subcodes_is_not_suggested_until_coded_itself(food):
    with Project.open(food) as p:
        assert p.themes_coded_below() == {p.resolve_code("Food"): "Food"}
        listed = p.suggest_codes(1, *UNITS[2], k=4)
        assert sorted(s.path for s in listed) == ["Food/Curry", "Food/Rice", "Weather"]
        scores = sorted(s.score for s in listed)
        assert {s.typical for s in listed} == {scores[1]}  # the median of the three
        p.add_coding(1, *UNITS[2], "Food")  # now the coders use the theme itself
        assert p.themes_coded_below() == {}
        assert "Food" in [s.path for s in p.suggest_codes(1, *UNITS[1], k=4)]


def test_relative_strength_is_measured_from_the_typical_score():
    listed = [CodeSuggestion(1, "A", 0.9, 0.1), CodeSuggestion(2, "B", 0.6, 0.1)]
    listed.append(CodeSuggestion(3, "C", 0.3, 0.1))
    assert relative_strengths(listed) == pytest.approx([1.0, 0.625, 0.25])
    assert [is_weak(s) for s in relative_strengths(listed)] == [False, False, True]
    # shifting and scaling every score (new blend weights) changes nothing
    moved = [CodeSuggestion(s.code_id, s.path, 3 * s.score - 7, 3 * 0.1 - 7) for s in listed]
    assert relative_strengths(moved) == pytest.approx([1.0, 0.625, 0.25])
    # no typical score known (another shape): no strength, never weak
    assert relative_strengths([(1, 0.9), (2, 0.1)]) == [None, None]
    assert not is_weak(None)
    # the first no better than a typical code: nothing stands out, nothing is weak
    flat = [CodeSuggestion(1, "A", 0.2, 0.2), CodeSuggestion(2, "B", 0.2, 0.2)]
    assert relative_strengths(flat) == [1.0, 1.0]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_cli_suggest_leaves_out_the_theme_and_says_so(food):
    r = run("suggest", food, "--doc", "R1", "--start", UNITS[2][0], "--end", UNITS[2][1], "-k", 4)
    assert r.exit_code == 0, r.output
    paths = sorted(line[14:] for line in r.stdout.splitlines())
    assert paths == ["Food/Curry", "Food/Rice", "Weather"]
    assert r.stderr == "(not suggested: 1 theme coded only through its subcodes: Food)\n"


def test_cli_suggest_marks_weak_suggestions(food, monkeypatch):
    def suggest_codes(self, doc_id, start, end, k=3, suggester=None):
        scored = [("Food/Rice", 0.9), ("Food/Curry", 0.6), ("Weather", 0.3)]
        return [CodeSuggestion(self.resolve_code(c), c, s, 0.1) for c, s in scored][:k]

    monkeypatch.setattr(Project, "suggest_codes", suggest_codes)
    r = run("suggest", food, "--doc", "R1", "--start", UNITS[2][0], "--end", UNITS[2][1])
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == [
        " 0.900        Food/Rice",
        " 0.600        Food/Curry",
        " 0.300  weak  Weather",
    ]
