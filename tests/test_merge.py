"""Merging coders' projects: the real two-coder NVivo exports (Mac and Windows, one
coder each), merging twice, undo, conflicts, documents only in OTHER, and a .qdpx
import into a project that holds its documents."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from interop_support import NVIVO_MAC, NVIVO_WIN

from qualcode.cli import main
from qualcode.codebook import load_codebook
from qualcode.facade.codings import NewCoding
from qualcode.models import NewDocument
from qualcode.project import Project

PIF = Path(__file__).resolve().parents[1] / "codebooks" / "pif.yaml"
KEPT = ("log", "log_changes")  # the audit trail grows by design


def need(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"fixture missing under CI: {path}")
        pytest.skip(f"fixture missing: {path}")
    return path


def dump(p) -> dict:
    """Every table but the audit trail, row by row."""
    tables = [
        r[0]
        for r in p.db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        if r[0] not in KEPT
    ]
    return {t: sorted(map(tuple, p.db.execute(f"SELECT rowid, * FROM {t}"))) for t in tables}


def per_coder(p) -> dict[str, int]:
    return dict(p.db.execute("SELECT coder, count(*) FROM codings GROUP BY coder").fetchall())


@pytest.fixture(scope="module")
def oltas(tmp_path_factory):
    """The two NVivo exports, each imported into a project of its own."""
    folder = tmp_path_factory.mktemp("oltas")
    paths = {}
    for name, source in (("mac", NVIVO_MAC), ("win", NVIVO_WIN)):
        paths[name] = folder / f"{name}.qualcode"
        with Project.create(paths[name]) as p:
            p.import_qdpx(need(source))
    return paths


def excerpts(p, coder):
    return sorted((e.code_path, e.text) for e in p.excerpts() if e.coder == coder)


def test_merging_the_two_nvivo_exports(oltas, tmp_path):
    target = tmp_path / "team.qualcode"
    shutil.copyfile(oltas["mac"], target)
    with Project.open(oltas["mac"]) as mac, Project.open(oltas["win"]) as win:
        own = {**per_coder(mac), **per_coder(win)}
        mac_excerpts = excerpts(mac, "floriansipos")
        win_excerpts = excerpts(win, "Gergo")
    assert own == {"floriansipos": 297, "Gergo": 303}
    with Project.open(target) as p:
        before = dump(p)
        report = p.merge_project(oltas["win"])
        assert (report.documents_matched, report.documents_added) == (2, 0)
        assert report.codings_added == {"Gergo": 303} and report.codes_added == []
        # both coders' codings, each as many as in their own file, on the same documents
        assert per_coder(p) == own and len(p.documents()) == 2
        assert excerpts(p, "floriansipos") == mac_excerpts
        assert excerpts(p, "Gergo") == win_excerpts  # CRLF positions land on the same text
        table = p.agreement("floriansipos", "Gergo")
        total = table.iloc[-1]
        assert total["both"] > 0 and 0.9 < total["kappa"] <= 1 and 0.9 < total["alpha"] <= 1
        merged = dump(p)
        again = p.merge_project(oltas["win"])
        assert again.codings_added == {} and again.codings_present == 303
        assert dump(p) == merged  # merging twice adds nothing
        entry = p.undo_logged()
        assert entry["action"] == f"merge {oltas['win'].name}"
        assert dump(p) == before  # undo restores the project exactly


def test_importing_a_qdpx_whose_documents_are_here_merges_it(oltas, tmp_path):
    target = tmp_path / "imp.qualcode"
    shutil.copyfile(oltas["mac"], target)
    r = CliRunner().invoke(main, ["import", str(target), str(need(NVIVO_WIN)), "--no-sentences"])
    assert r.exit_code == 0, r.output
    assert "so it was merged; added:" in r.output and "303 added (Gergo 303)" in r.output
    # the counts are what the archive holds, not what this import added
    assert (
        f"read from {need(NVIVO_WIN).name} (what the archive holds; merged, see the end):"
        in r.output
    )
    assert "imported from" not in r.output
    with Project.open(target) as p:
        assert per_coder(p) == {"floriansipos": 297, "Gergo": 303}
        assert len(p.documents()) == 2


@pytest.fixture
def two(tmp_path):
    """ours: R1 (sex F) coded by ana; theirs: R1 (sex M, age 30) with a CRLF copy of the
    text and a final newline, coded by bo, a new code, a memo, and R2 only there."""
    text = "I felt lost at first.\nThen I found my feet.\nNow I lead."
    ours = Project.create(tmp_path / "ours.qualcode", codebook=load_codebook(PIF), coder="ana")
    ours.upsert_participants([("R1", None, {"sex": "F"})])
    [d1] = ours.add_documents([NewDocument("R1", "interview", "R1 i", text)])
    ours.add_coding(d1, 0, 21, "Leadership/Uncertainty")
    theirs = Project.create(tmp_path / "theirs.qualcode", codebook=load_codebook(PIF), coder="bo")
    theirs.update_code("Empathy", description="Their own words")
    theirs.upsert_participants([("R1", None, {"sex": "M", "age": "30"})])
    [t1, t2] = theirs.add_documents(
        [
            NewDocument("R1", "interview", "R1 copy", text.replace("\n", "\r\n") + "\n"),
            NewDocument("R2", "interview", "R2 i", "Only bo has this one."),
        ]
    )
    new = theirs.add_code("Hope", parent="Leadership")
    ids = theirs.add_codings(
        [
            NewCoding(t1, 0, 21, theirs.resolve_code("Leadership/Uncertainty"), "bo"),
            NewCoding(t1, 23, 45, new.id, "bo", memo="turning point"),
            NewCoding(t2, 0, 4, new.id, "bo"),
        ]
    )
    theirs.add_memo("R2 was shy", "participant", "R2")
    ours.close()
    theirs.close()
    return tmp_path / "ours.qualcode", tmp_path / "theirs.qualcode", ids


def test_merge_matches_text_paths_and_lists_conflicts(two):
    ours, theirs, _ = two
    r = CliRunner().invoke(main, ["merge", str(ours), str(theirs), "--dry-run"])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[0] == "would merge theirs.qualcode: 1 document matched, 1 added"
    with Project.open(ours) as p:
        assert per_coder(p) == {"ana": 1} and len(p.documents()) == 1  # dry run: nothing
        report = p.merge_project(theirs)
        assert report.codings_added == {"bo": 3} and report.codes_added == ["Leadership/Hope"]
        assert report.participants_added == 1 and report.attributes_added == 1
        empathy, sex = report.conflicts
        assert "Empathy: description differs" in empathy and "'Their own words' in" in empathy
        assert sex == "participant R1 sex: 'F' here, 'M' in theirs.qualcode; kept 'F'"
        assert p.participants()[0].attributes == {"sex": "F", "age": "30"}
        hope = [e for e in p.excerpts() if e.code_path == "Leadership/Hope"]
        assert [(e.participant, e.text, e.memo) for e in hope] == [
            ("R1", "Then I found my feet.", "turning point"),
            ("R2", "Only", None),
        ]
        assert [m.text for m in p.memos("participant", "R2")] == ["R2 was shy"]
        assert p.code("Empathy").description != "Their own words"


def test_merge_refuses_itself_and_non_projects(two, tmp_path):
    ours, _, _ = two
    r = CliRunner().invoke(main, ["merge", str(ours), str(ours)])
    assert r.exit_code == 1 and "is this project" in r.output
    junk = tmp_path / "junk.qualcode"
    junk.write_text("not sqlite", encoding="utf-8")
    r = CliRunner().invoke(main, ["merge", str(ours), str(junk)])
    assert r.exit_code == 1 and r.output.startswith("error: ") and len(r.output.splitlines()) == 1
