"""Pseudonymising a name that is also a coder's (issue: a merged project with coders ana
and ben, `Ben,Tom` listed): coders are the researchers, so coder names stay as they are
everywhere (codings, memo authors, the log's rows), the log still matches the data (undo
of the merge works), and the pseudonymisation is itself in the log, without the names."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.errors import QualcodeError
from qualcode.models import NewDocument
from qualcode.project import Project

TEXT = "Interviewer: How was it?\n\nR1: Ben said the ward was busy. I was tired."


def _coder_project(path, coder):
    with Project.create(path, coder=coder) as p:
        [doc] = p.add_documents([NewDocument("R1", "interview", "R1", TEXT)])
        p.add_code("Busy")
        p.set_backups_keep(0)
        return doc


def _merged(tmp_path):
    path, other = tmp_path / "ana.qualcode", tmp_path / "ben.qualcode"
    _coder_project(path, "ana")
    doc = _coder_project(other, "ben")
    with Project.open(path, daily_backup=False) as p:
        p.add_coding(doc, TEXT.index("the ward"), TEXT.index(" I was"), "Busy")
    with Project.open(other, daily_backup=False) as p:
        c = p.add_coding(doc, TEXT.index("the ward"), TEXT.index(" I was"), "Busy")
        p.add_coding(doc, TEXT.index("I was"), len(TEXT), "Busy")
        p.set_coding_memo(c.id, "Ben's own view? ask Ben")
    with Project.open(path, daily_backup=False) as p:
        p.merge_project(other)
        merge = p.log()[-1]["id"]
    return path, merge


def _pseudonymise(path, tmp_path, new="Tom"):
    names = tmp_path / "names.csv"
    names.write_text(f"name,replacement\nBen,{new}\n", encoding="utf-8")
    return CliRunner().invoke(
        main, ["pseudonymise", str(path), "--names", str(names), "--yes", "--no-entities"]
    )


def test_coder_names_stay_and_the_log_still_matches(tmp_path):
    path, merge = _merged(tmp_path)
    r = _pseudonymise(path, tmp_path)
    assert r.exit_code == 0, r.output
    assert "note: a listed name is also a coder's: ben (listed as Ben)" in r.stderr
    with Project.open(path, daily_backup=False) as p:
        assert sorted(c.coder for c in p.codings()) == ["ana", "ben", "ben"]
        assert p.document(1).text.startswith("Interviewer: How was it?\n\nR1: Tom said")
        [memo] = p.memos()
        assert (memo.author, memo.text) == ("ben", "Tom's own view? ask Tom")
        entries = p.log(changes=True)
        rows = [c["after"] for c in entries[merge - 1]["changes"] if c["table"] == "codings"]
        assert [row["coder"] for row in rows] == ["ben", "ben"]
        last = entries[-1]
        assert last["action"] == "pseudonymise"
        assert last["summary"] == (
            "1 document changed, 1 memo changed; 1 replacement in 1 document, "
            "4 other values rewritten; coder names kept"
        )
        assert entries[merge - 1]["summary"].endswith("; codings by ben 2")
        assert "Ben" not in json.dumps(entries) and "Tom's" in json.dumps(entries)
        # The merge is undone exactly: ben's codings and memo go.
        p.undo_logged(merge)
        assert [c.coder for c in p.codings()] == ["ana"] and p.memos() == []
    assert b"Ben" not in path.read_bytes()


def test_pseudonymisation_without_a_changed_text_is_logged_too(tmp_path):
    path, _ = _merged(tmp_path)
    names = tmp_path / "names.csv"
    # A coder's name, and the project's (named after its file, ana.qualcode): no text holds it
    names.write_text("name,replacement\nAna,Eva\n", encoding="utf-8")
    r = CliRunner().invoke(
        main, ["pseudonymise", str(path), "--names", str(names), "--yes", "--no-entities"]
    )
    assert r.exit_code == 0, r.output
    with Project.open(path, daily_backup=False) as p:
        last = p.log()[-1]
        assert (last["action"], last["summary"]) == (
            "pseudonymise",
            "0 replacements in 0 documents, 1 other value rewritten; coder names kept",
        )
        assert sorted({c.coder for c in p.codings()}) == ["ana", "ben"]
        assert (p.name, p.get_meta("coder")) == ("eva", "ana")


def test_undo_says_why_the_pseudonymisation_and_what_it_changed_cannot_be_undone(tmp_path):
    path, _ = _merged(tmp_path)
    assert _pseudonymise(path, tmp_path, "Thomas").exit_code == 0  # the text's length changes
    with Project.open(path, daily_backup=False) as p:
        last = p.log()[-1]["id"]
        with pytest.raises(QualcodeError, match=r"\(pseudonymise\): the names it replaced"):
            p.undo_logged()
        first = p.log()[0]  # the document was added here; its text is pseudonymised now
        with pytest.raises(QualcodeError) as err:
            p.undo_logged(first["id"])
        assert str(err.value) == (
            f"cannot undo log entry {first['id']} ({first['action']}): document 1 was "
            f"changed by entry {last} (pseudonymise), which cannot be undone"
        )
