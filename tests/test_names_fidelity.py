"""Names other people's files bring: one Unicode form (NFC), case kept, '/' refused.

Issue 12, items 5, 6 and 8: a code written in NFD (as macOS tools write it) is found by
its name as typed and is not doubled by the same codebook in NFC; siblings that differ
only in case are two codes; a '/' in a code name is refused by the YAML loader, the CLI
and the TUI and replaced (and reported) in files from other tools.
"""

from __future__ import annotations

import unicodedata
import uuid
import zipfile

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.cli import main
from qualcode.codebook import parse_codebook
from qualcode.errors import AmbiguousError, CodebookError
from qualcode.interop.model import Code, Codebook, CodeSet
from qualcode.interop.qdc import write_qdc
from qualcode.interop.qdpx import read_qdpx
from qualcode.project import Project


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# Letters that NFD decomposes: Latin accents, Vietnamese stacked marks, Hangul syllables.
_LETTERS = "éèüñÅçøœßệởḱ한국어ǅ" + "abcXYZ "
names = (
    st.text(alphabet=_LETTERS, min_size=1, max_size=12)
    .map(str.strip)
    .filter(lambda s: s and unicodedata.normalize("NFD", s) != s)
)


def _qdc(path, codes: list[Code], sets: list[CodeSet] | None = None):
    write_qdc(Codebook(codes=codes, sets=sets or []), path)
    return path


def _code(name: str, children: list[Code] | None = None) -> Code:
    return Code(str(uuid.uuid4()), name, children=children or [])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(theme=names, code=names)
def test_nfd_names_from_any_file_are_one_code_found_as_typed(tmp_path, theme, code):
    folder = tmp_path / str(uuid.uuid4())
    folder.mkdir()
    project = Project.create(folder / "p.qualcode")
    # The codebook typed in NFC, then the same names from a macOS tool's .qdc in NFD.
    project.load_codebook(
        parse_codebook(f"codes:\n  - name: {theme!r}\n    children:\n      - name: {code!r}\n")
    )
    qdc = _qdc(folder / "mac.qdc", [_code(nfd(theme), [_code(nfd(code))])])
    assert project.import_codebook(qdc) == 0  # nothing doubled
    assert [c.path for c in project.codes()] == [theme, f"{theme}/{code}"]
    for typed in (f"{theme}/{code}", nfd(f"{theme}/{code}")):
        assert project.code(typed).name == code
    # Participants, attribute names and values, coders: stored NFC whatever the input.
    src = folder / f"{nfd(code)}.txt"
    src.write_text("Interviewer: Hi?\nR1: Hello.\n", encoding="utf-8")
    project.import_files([src], participant=nfd(theme), attributes={nfd(code): nfd(theme)})
    [person] = project.participants()
    assert (person.pid, person.attributes) == (theme, {code: theme})
    [doc] = project.documents(participant=nfd(theme))
    assert doc.title == code
    assert project.document(nfd(code)).id == doc.id


def test_qdpx_entry_stored_in_nfd_is_found_from_an_nfc_path(tmp_path):
    name = "entretien_réseau"
    src = str(uuid.uuid4())
    code, user = str(uuid.uuid4()), str(uuid.uuid4())
    qde = (
        '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="t">'
        f'<Users><User guid="{user}" name="{nfd("Zoé")}"/></Users>'
        f'<CodeBook><Codes><Code guid="{code}" name="{nfd("Santé")}" isCodable="true"/></Codes>'
        f'</CodeBook><Sources><TextSource guid="{src}" name="{nfd(name)}" '
        f'plainTextPath="internal://{name}.txt"/></Sources></Project>'
    )
    path = tmp_path / "mac.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr(f"Sources/{nfd(name)}.txt", "Bonjour.\n")
    refi = read_qdpx(path)
    assert [s.name for s in refi.sources] == [name]
    assert refi.sources[0].text == "Bonjour.\n"
    assert [u.name for u in refi.users] == ["Zoé"]
    project = Project.create(tmp_path / "q.qualcode")
    project.import_qdpx(path)
    assert [c.name for c in project.codes()] == ["Santé"]


# --- item 6: same name, different case --------------------------------------------
CASE_PAIRS = [("trust", "Trust"), ("ai", "AI"), ("straße", "STRASSE"), ("émotion", "Émotion")]


def _other_case(low: str, high: str) -> str:
    """A spelling of the same name in a third case ("TRUST" for trust/Trust)."""
    return next(v for v in (low.upper(), low.title(), low.swapcase()) if v not in (low, high))


@pytest.mark.parametrize(("low", "high"), CASE_PAIRS)
def test_siblings_differing_in_case_are_two_codes(tmp_path, low, high):
    project = Project.create(tmp_path / "p.qualcode")
    project.load_codebook(parse_codebook(f"codes:\n  - name: {low}\n  - name: {high}\n"))
    assert [c.name for c in project.codes()] == [low, high]
    assert project.code(low).name == low  # the exact spelling first
    assert project.code(high).name == high
    with pytest.raises(AmbiguousError, match="ambiguous; use a path"):
        project.code(_other_case(low, high))


@pytest.mark.parametrize(("low", "high"), CASE_PAIRS)
def test_case_insensitive_lookup_only_when_unambiguous(tmp_path, low, high):
    project = Project.create(tmp_path / "p.qualcode")
    project.add_code(low)
    assert project.code(_other_case(low, high)).name == low
    project.add_code(high)
    with pytest.raises(AmbiguousError):
        project.code(_other_case(low, high))


@pytest.mark.parametrize(("low", "high"), CASE_PAIRS)
def test_qdc_case_siblings_kept_and_exact_repeats_renamed_with_a_note(tmp_path, low, high):
    qdc = _qdc(
        tmp_path / "c.qdc",
        [_code(low), _code(high), _code(low)],
        [CodeSet(str(uuid.uuid4()), "Group A", member_codes=[])],
    )
    project = Project.create(tmp_path / "p.qualcode")
    assert project.import_codebook(qdc) == 3
    assert [c.name for c in project.codes()] == [low, high, f"{low} (2)"]
    assert project.codebook_notes == [
        f"code {low!r} renamed {low + ' (2)'!r}: a sibling has the same name",
        "code group (Set) 'Group A' with 0 codes not imported: qualcode has no code groups",
    ]


def test_qdpx_renames_are_listed_in_the_summary(tmp_path):
    codes = [
        ("trust", str(uuid.uuid4())),
        ("Trust", str(uuid.uuid4())),
        ("trust", str(uuid.uuid4())),
        ("Work/life", str(uuid.uuid4())),
    ]
    qde = (
        '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="t">'
        "<CodeBook><Codes>"
        + "".join(f'<Code guid="{g}" name="{n}" isCodable="true"/>' for n, g in codes)
        + "</Codes></CodeBook></Project>"
    )
    path = tmp_path / "t.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
    project = Project.create(tmp_path / "p.qualcode")
    summary = project.import_qdpx(path)
    assert [c.name for c in project.codes()] == ["trust", "Trust", "trust (2)", "Work-life"]
    lines = summary.lines()
    start = lines.index("renamed (2):")
    assert lines[start + 1 : start + 3] == [
        "  - code 'trust' renamed 'trust (2)': a sibling has the same name",
        "  - code 'Work/life' renamed 'Work-life': '/' separates the levels of a code path "
        "(Theme/Subtheme)",
    ]


# --- item 8: bad input from the newcomer's trial ------------------------------------
def test_cli_refuses_slash_in_names_and_missing_folders(tmp_path):
    runner = CliRunner()
    p = str(tmp_path / "p.qualcode")
    assert runner.invoke(main, ["new", p]).exit_code == 0
    assert runner.invoke(main, ["codebook", "add", p, "Theme"]).exit_code == 0
    for args in (
        ["codebook", "rename", p, "Theme", "Work/life"],
        ["codebook", "add", p, "Theme/Work//life"],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 1, result.output
        assert "'/'" in result.output and "error:" in result.output
    result = runner.invoke(main, ["import", p, str(tmp_path / "missing-folder") + "/"])
    assert result.exit_code == 1
    assert "missing-folder: no such file or folder" in result.output
    assert "unsupported" not in result.output


def test_reserved_and_taken_shortcuts_are_named_when_dropped(tmp_path):
    book = tmp_path / "b.yaml"
    book.write_text(
        "codes:\n  - {name: Quit, shortcut: q}\n  - {name: Memo, shortcut: m}\n"
        "  - {name: Fine, shortcut: '7'}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["new", str(tmp_path / "p.qualcode"), "--codebook", str(book)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == [
        "  note: shortcut 'q' of 'Quit' dropped: the workbench uses that key",
        "  note: shortcut 'm' of 'Memo' dropped: the workbench uses that key",
    ]
    project = Project.open(tmp_path / "p.qualcode")
    assert [(c.name, c.shortcut) for c in project.codes()] == [
        ("Quit", None),
        ("Memo", None),
        ("Fine", "7"),
    ]


def test_slash_rule_in_yaml_and_facade(tmp_path):
    with pytest.raises(CodebookError, match=r"line 3: code name 'a/b' cannot contain '/'"):
        parse_codebook("codes:\n  - name: A\n  - name: a/b\n", source="x.yaml")
    project = Project.create(tmp_path / "p.qualcode")
    parent = project.add_code("A")
    with pytest.raises(CodebookError, match="separates the levels"):
        project.add_code("x/y", parent=parent.id)
    with pytest.raises(CodebookError, match="separates the levels"):
        project.rename_code("A", "A/B")
