"""Merging two coders' copies of one project: codes matched by GUID (a rename in one
copy), a document whose text was edited in one copy, and two coders under one name."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.models import NewDocument
from qualcode.project import Project

TEXT = "I was stressed at work. My friends helped me a lot. Teh end came soon."
FIXED = TEXT.replace("Teh", "The")


def merge(*args: str):
    r = CliRunner().invoke(main, ["merge", *map(str, args)])
    return r.exit_code, r.output


def agreement_total(path, coders: str, code: str) -> list[str]:
    """The agreement table's row of `code` (text cells), from the CLI."""
    r = CliRunner().invoke(main, ["agreement", str(path), "--coders", coders])
    assert r.exit_code == 0, r.output
    rows = [line.split() for line in r.output.splitlines() if line.startswith(code + " ")]
    assert len(rows) == 1, r.output
    return rows[0]


@pytest.fixture
def copies(tmp_path):
    """base: P1 with codes Stress and Support; a.qualcode and b.qualcode are copies of
    it (same GUIDs). ana codes Stress in A and adds Support/Peer Support; in B, ben
    renames Stress to Distress, codes it on the same words, and adds his own Support/
    Peer support (another GUID)."""
    base = tmp_path / "base.qualcode"
    with Project.create(base, coder="lead") as p:
        p.upsert_participants([("P1", None, {})])
        p.add_documents([NewDocument("P1", "interview", "P1 interview", TEXT)])
        p.add_code("Stress")
        p.add_code("Support")
    a, b = tmp_path / "a.qualcode", tmp_path / "b.qualcode"
    shutil.copyfile(base, a)
    shutil.copyfile(base, b)
    with Project.open(a) as p:
        p.add_code("Support/Peer Support")
        p.add_coding("P1 interview", 0, 22, "Stress", coder="ana")
        p.add_coding("P1 interview", 24, 50, "Support/Peer Support", coder="ana")
    with Project.open(b) as p:
        p.rename_code("Stress", "Distress")
        p.add_code("Support/Peer support")
        p.add_coding("P1 interview", 0, 22, "Distress", coder="ben")
        p.add_coding("P1 interview", 24, 50, "Support/Peer support", coder="ben")
    return a, b


def test_a_code_renamed_in_one_copy_stays_one_code(copies):
    a, b = copies
    code, out = merge(a, b)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[1] == "  codings: 2 added (ben 2), 0 already here"
    assert lines[2] == "  codes: 0 added"
    assert (
        "  conflict: code 'Stress' is 'Distress' in b.qualcode (same code: same GUID); "
        "kept 'Stress' (--take-renames takes the other name)"
    ) in lines
    assert (
        "  decided: code 'Support/Peer support' in b.qualcode taken as 'Support/Peer Support' "
        "here (the same path but for case or spaces; not the same GUID: check they mean one "
        "code)"
    ) in lines
    # both coders coded the same 22 characters of Stress: full agreement, not 0 both
    assert agreement_total(a, "ana,ben", "Stress")[:5] == ["Stress", "22", "0", "0", "48"]
    with Project.open(a) as p:
        assert [c.path for c in p.codes()] == ["Stress", "Support", "Support/Peer Support"]


def test_take_renames_takes_the_other_copys_name(copies):
    a, b = copies
    code, out = merge(a, b, "--take-renames")
    assert code == 0, out
    assert "  decided: code 'Stress' renamed 'Distress', as in b.qualcode (same GUID)" in out
    with Project.open(a) as p:
        assert [c.path for c in p.codes()][0] == "Distress"
        assert {c.coder for c in p.codings(code="Distress")} == {"ana", "ben"}


def test_an_edited_copy_of_a_document_stops_the_merge(tmp_path):
    """Same participant and title, one typo fixed in B: not a second document."""
    paths = []
    for name, text, coder in (("a", TEXT, "ana"), ("b", FIXED, "ben")):
        paths.append(tmp_path / f"{name}.qualcode")
        with Project.create(paths[-1], coder=coder) as p:
            p.upsert_participants([("P1", None, {})])
            p.add_documents([NewDocument("P1", "interview", "P1 interview", text)])
            p.add_code("Stress")
            p.add_coding("P1 interview", 0, 22, "Stress")
    a, b = paths
    code, out = merge(a, b)
    assert code == 1
    assert out == (
        'error: b.qualcode: document "P1 interview" (P1) differs: at character 53, '
        "'a lot. Teh end cam' here, 'a lot. The end cam' in b.qualcode (70 and 70 "
        "characters); its codings would not fit this text: make the two copies' texts the "
        "same, or merge with --add-changed to add it as a second document\n"
    )
    with Project.open(a) as p:
        assert len(p.documents()) == 1 and len(p.codings()) == 1  # nothing written
    code, out = merge(a, b, "--add-changed")
    assert code == 0, out
    assert out.splitlines()[0] == "merged b.qualcode: 0 documents matched, 1 added"
    assert 'decided: document "P1 interview" (P1) differs from this project\'s' in out
    with Project.open(a) as p:
        assert [d.title for d in p.documents()] == ["P1 interview", "P1 interview"]


def test_a_copy_whose_text_is_the_same_still_matches(tmp_path):
    """Matching by text comes first: a title changed in one copy is still one document."""
    a, b = tmp_path / "a.qualcode", tmp_path / "b.qualcode"
    for path, title in ((a, "P1 interview"), (b, "P1 (cleaned)")):
        with Project.create(path, coder="ana") as p:
            p.add_documents([NewDocument(None, "interview", title, TEXT)])
    code, out = merge(a, b)
    assert out.splitlines()[0] == "merged b.qualcode: 1 document matched, 0 added"


@pytest.fixture
def both_lead(tmp_path):
    """x1 and x2: the same P1, each coded by its coder under the default name lead."""
    paths = []
    for name, span in (("x1", (0, 22)), ("x2", (0, 10))):
        paths.append(tmp_path / f"{name}.qualcode")
        with Project.create(paths[-1], coder="lead") as p:
            p.add_documents([NewDocument(None, "interview", "P1 interview", TEXT)])
            p.add_code("Stress")
            p.add_coding("P1 interview", *span, "Stress")
    return paths


def test_two_coders_under_one_name_are_warned_of(both_lead):
    x1, x2 = both_lead
    code, out = merge(x1, x2)
    assert code == 0, out
    assert (
        "  warning: 1 coding by lead in x2.qualcode joined 1 coding by lead here that "
        "x2.qualcode does not have: they now count as one coder's (if two people coded "
        "under one name, undo and merge again with --as-coder lead=NAME)"
    ) in out.splitlines()


def test_merging_again_after_more_coding_is_no_pooling(copies):
    """ben goes on coding in his copy; merging it again adds his new coding, no warning."""
    a, b = copies
    assert merge(a, b)[0] == 0
    with Project.open(b) as p:
        p.add_coding("P1 interview", 52, 70, "Distress", coder="ben")
    code, out = merge(a, b)
    assert code == 0, out
    assert out.splitlines()[1] == "  codings: 1 added (ben 1), 2 already here"
    assert "warning" not in out


def test_as_coder_keeps_them_apart(both_lead):
    x1, x2 = both_lead
    code, out = merge(x1, x2, "--as-coder", "ben")
    assert code == 0, out
    assert "warning" not in out
    assert out.splitlines()[1] == "  codings: 1 added (ben 1), 0 already here"
    assert "  decided: x2.qualcode's codings and memos by lead credited to ben" in out
    assert agreement_total(x1, "lead,ben", "Stress")[:5] == ["Stress", "10", "12", "0", "48"]
    code, out = merge(x1, x2, "--as-coder", "ana=ben")
    assert code == 1 and "has no coder 'ana' (its coders: lead)" in out


def test_log_coder_finds_the_codings_a_merge_brought_in(copies):
    a, b = copies
    assert merge(a, b)[0] == 0
    r = CliRunner().invoke(main, ["log", str(a), "--coder", "ben"])
    assert r.exit_code == 0, r.output
    [line] = r.output.splitlines()  # the merge, run by lead; not lead's own entries
    assert line.split("  ")[-2:] == [
        "lead",
        "merge b.qualcode: 2 codings added; codings by ben 2",
    ]
    assert CliRunner().invoke(main, ["log", str(a), "--coder", "kim"]).output == (
        "no changes logged\n"
    )
