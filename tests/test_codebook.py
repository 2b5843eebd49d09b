import pytest
from conftest import PIF

from qualcode.codebook import load_codebook, parse_codebook, save_codebook, split_path
from qualcode.errors import CodebookError

PIF_TABLE = {
    "Perspective transformation": [
        "Self-relativisation",
        "Wide perspective",
        "Contribution to others",
        "Empathy",
        "Self-transformation",
    ],
    "Career design": [
        "Pursuit of interest",
        "Right of choice",
        "Role model",
        "Mindset",
        "Work-life balance",
        "Career support",
        "Insufficient information sharing",
    ],
    "Self-development": [
        "Cross-boundary experiences",
        "Motivation",
        "Self-reliance",
        "Outcomes",
        "Open mind",
        "Resistance to egoism",
    ],
    "Diversity of values": [
        "Cross-cultural understanding",
        "Culture shock",
        "Work style",
        "Acceptance of various values",
        "Globalisation",
        "Flexibility",
    ],
    "Leadership": [
        "Decision making",
        "Systems thinking",
        "Objective thinking",
        "Critical thinking",
        "Resilience",
        "Responsibility",
        "Uncertainty",
    ],
}


def test_pif_codebook_matches_the_study():
    book = load_codebook(PIF)
    assert len(book) == 36
    assert {c.name: [k.name for k in c.children] for c in book.codes} == PIF_TABLE
    assert all(c.description for _, c, _ in book.walk())
    assert all(not k.children for c in book.codes for k in c.children)


def test_round_trip(tmp_path):
    book = load_codebook(PIF)
    save_codebook(book, tmp_path / "out.yaml")
    again = load_codebook(tmp_path / "out.yaml")
    assert [(p, c.description, c.colour, c.shortcut) for p, c, _ in again.walk()] == [
        (p, c.description, c.colour, c.shortcut) for p, c, _ in book.walk()
    ]


def test_duplicate_sibling_names_report_the_line():
    # "B" and "b" may be siblings (case counts); the same name twice may not.
    text = "codes:\n  - name: A\n    children:\n      - name: b\n      - name: b\n"
    with pytest.raises(
        CodebookError,
        match=r"x.yaml: line 5: duplicate code name 'b' under 'A' \(first at line 4\)",
    ):
        parse_codebook(text, "x.yaml")


def test_same_name_under_different_parents_is_fine():
    book = parse_codebook(
        "codes:\n  - name: A\n    children: [X]\n  - name: B\n    children: [X]\n"
    )
    assert [p for p, _, _ in book.walk()] == ["A", "A/X", "B", "B/X"]


def test_empty_name_reports_the_line():
    with pytest.raises(CodebookError, match=r"line 3: empty code name"):
        parse_codebook("codes:\n  - name: A\n  - name: ''\n", "c.yaml")


def test_cycle_in_flat_codebook():
    text = "codes:\n  - {name: A, parent: B}\n  - {name: B, parent: A}\n"
    with pytest.raises(CodebookError, match=r"line 2: cycle in parents of 'A'"):
        parse_codebook(text, "flat.yaml")


def test_flat_codebook_nests():
    book = parse_codebook("codes:\n  - {name: Lead}\n  - {name: Decide, parent: Lead}\n")
    assert [p for p, _, _ in book.walk()] == ["Lead", "Lead/Decide"]


def test_bad_yaml_and_bad_colour():
    with pytest.raises(CodebookError, match="bad.yaml: line 3: invalid YAML"):
        parse_codebook("codes:\n  - name: [unclosed\n", "bad.yaml")
    with pytest.raises(CodebookError, match="colour 'red'"):
        parse_codebook("codes:\n  - {name: A, colour: red}\n")


def test_duplicate_shortcut():
    with pytest.raises(CodebookError, match="shortcut '1' already used by 'A'"):
        parse_codebook("codes:\n  - {name: A, shortcut: '1'}\n  - {name: B, shortcut: '1'}\n")


def test_a_slash_is_never_part_of_a_name():
    # One rule everywhere: '/' separates levels (no '//' escape).
    assert split_path("Theme/Work-life") == ["Theme", "Work-life"]
    with pytest.raises(CodebookError, match="empty name in path"):
        split_path("Theme/Work//life")
    with pytest.raises(
        CodebookError,
        match=r"x\.yaml: line 2: code name 'Work/life' cannot contain '/': '/' separates the levels",
    ):
        parse_codebook("codes:\n  - name: Work/life\n", source="x.yaml")
