"""Documents of several participants (focus groups): schema upgrade, counting rules, REFI.

Rule (issue 12, item 7): a coding counts for a participant when it is in a document of
theirs and, where the document's speaker turns are mapped to participants, when it
overlaps one of that participant's turns.
"""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode import store
from qualcode.project import Project

FOCUS = "Interviewer: Who goes first?\nR1: I do, the ward was busy.\nR2: Not for me, it was calm.\n"


def _focus_project(tmp_path, name="p.qualcode"):
    project = Project.create(tmp_path / name)
    src = tmp_path / "focus.txt"
    src.write_text(FOCUS, encoding="utf-8")
    project.import_files([src], participant="P1", sentences=False)
    project.add_code("busy")
    project.add_code("calm")
    return project


def _coded(project, words: str, code: str) -> None:
    start = FOCUS.index(words)
    project.add_coding("focus", start, start + len(words), code)


def _freq(project) -> dict[str, tuple[int, int, int]]:
    table = project.frequencies(order="codebook")
    return {r["code"]: (r["n"], r["N"], r["codings"]) for _, r in table.iterrows()}


def test_unmapped_document_counts_for_every_participant(tmp_path):
    project = _focus_project(tmp_path)
    _coded(project, "the ward was busy", "busy")
    # A second participant without a speaker map: each coding counts for both.
    with project.transaction() as conn:
        ids = project._upsert_participants(conn, [("P2", None, {})])
        conn.execute("INSERT INTO document_participants VALUES (1, ?)", [ids["P2"]])
    assert _freq(project)["busy"] == (2, 2, 1)  # n, N, codings (a coding is counted once)


def test_mapped_speakers_decide_who_a_coding_counts_for(tmp_path):
    project = _focus_project(tmp_path)
    assert project.set_speaker("focus", "R1", "P1") == ["P1"]
    assert project.set_speaker("focus", "R2", "P2") == ["P1", "P2"]
    _coded(project, "the ward was busy", "busy")
    _coded(project, "it was calm", "calm")
    _coded(project, "Who goes first", "calm")  # the moderator's turn: nobody's
    got = _freq(project)
    assert got["busy"] == (1, 2, 1)
    assert got["calm"] == (1, 2, 2)
    matrix = project.matrix()
    assert matrix.loc["P1"].to_dict() == {"busy": 1, "calm": 0}
    assert matrix.loc["P2"].to_dict() == {"busy": 0, "calm": 1}


_TURNS = [("R1", "P1"), ("R2", "P2"), ("Interviewer", None)]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    mapped=st.sets(st.sampled_from(["R1", "R2"])),
    spans=st.lists(
        st.tuples(
            st.integers(0, len(FOCUS) - 2), st.integers(1, 40), st.sampled_from(["busy", "calm"])
        ),
        min_size=1,
        max_size=6,
        unique_by=lambda t: (t[0], t[1], t[2]),
    ),
)
def test_counts_match_a_plain_python_reading_of_the_rule(tmp_path, mapped, spans):
    import uuid

    folder = tmp_path / str(uuid.uuid4())
    folder.mkdir()
    project = _focus_project(folder)
    for speaker in sorted(mapped):
        project.set_speaker("focus", speaker, dict(_TURNS)[speaker])
    turns = {s.speaker: (s.start, s.end) for s in project.segments("focus", "turn") if s.speaker}
    members = {"P1"} | {dict(_TURNS)[s] for s in mapped}
    expected: dict[str, set[str]] = {"busy": set(), "calm": set()}
    done: set[tuple[int, int, str]] = set()
    for start, length, code in spans:
        end = min(start + length, len(FOCUS) - 1)
        if end <= start or (start, end, code) in done:
            continue
        done.add((start, end, code))
        project.add_coding("focus", start, end, code)
        if not mapped:
            expected[code] |= members
        else:
            for speaker in mapped:
                t_start, t_end = turns[speaker]
                if t_start < end and t_end > start:
                    expected[code].add(dict(_TURNS)[speaker])
    got = _freq(project)
    for code in ("busy", "calm"):
        assert got[code][:2] == (len(expected[code]), len(members))


def test_a_project_written_before_the_upgrade_keeps_every_row(tmp_path):
    """A file at the previous schema version (as the landed qualcode wrote it) opens,
    upgrades and keeps its documents, participants and codings."""
    path = tmp_path / "old.qualcode"
    conn = sqlite3.connect(path, isolation_level=None)
    for migration in store.MIGRATIONS[:2]:
        migration(conn)
    conn.execute("PRAGMA user_version=2")
    conn.execute("INSERT INTO meta VALUES ('name', 'old')")
    conn.execute("INSERT INTO participants(id, pid) VALUES (1, 'R1'), (2, 'R2')")
    for doc_id, pid in ((1, 1), (2, 2), (3, None)):
        conn.execute(
            "INSERT INTO documents(id, participant_id, title, text, imported_at, position) "
            "VALUES (?, ?, ?, 'R: words here.', '2026-01-01', ?)",
            [doc_id, pid, f"d{doc_id}", doc_id],
        )
    conn.execute("INSERT INTO codes(id, name) VALUES (1, 'c')")
    for doc_id in (1, 2, 3):
        conn.execute(
            'INSERT INTO codings(document_id, start, "end", code_id, coder, created_at) '
            "VALUES (?, 3, 8, 1, 'ana', '2026-01-01')",
            [doc_id],
        )
    conn.close()
    project = Project.open(path)
    assert project.db.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert project.db.execute(
        "SELECT document_id, participant_id FROM document_participants ORDER BY 1"
    ).fetchall() == [(1, 1), (2, 2)]
    assert len(project.codings()) == 3
    assert _freq(project)["c"] == (2, 2, 3)
    # The trigger keeps the primary participant listed after an edit.
    project.update_document(3, participant="R3")
    assert project.document_participants(3) == ["R3"]


def test_set_speaker_refuses_an_unknown_speaker(tmp_path):
    project = _focus_project(tmp_path)
    with pytest.raises(
        Exception, match=r"no turns of speaker 'Cy' \(speakers: Interviewer, R1, R2\)"
    ):
        project.set_speaker("focus", "Cy", "P3")


def _focus_with_map(tmp_path):
    project = _focus_project(tmp_path)
    project.set_speaker("focus", "R1", "P1")
    project.set_speaker("focus", "R2", "P2")
    _coded(project, "the ward was busy", "busy")
    _coded(project, "it was calm", "calm")
    return project


def test_cli_set_speaker_maps_a_turn_and_says_what_it_means(tmp_path):
    from click.testing import CliRunner

    from qualcode.cli import main as cli

    project = _focus_project(tmp_path)
    _coded(project, "it was calm", "calm")
    project.close()
    path = str(tmp_path / "p.qualcode")
    result = CliRunner().invoke(cli, ["set-speaker", path, "focus", "R2", "--participant", "P21"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "focus: R2 -> P21",
        "  speakers: Interviewer (not mapped), R1 (not mapped), R2 -> P21",
        "  participants: P1, P21",
        "  a coding here counts for each participant whose mapped turns it overlaps; "
        "in an unmapped turn, for nobody",
        "  no turn mapped to P1: nothing here counts for them",
    ]
    listed = CliRunner().invoke(cli, ["documents", path, "--participant", "P21"])
    assert listed.output.rstrip().endswith("also: P21") and listed.output.count("\n") == 1
    # A corrected mapping: P21 leaves, P22 comes in.
    result = CliRunner().invoke(cli, ["set-speaker", path, "focus", "R2", "--participant", "P22"])
    assert "  P21 no longer belongs to focus (no turn of theirs)" in result.output.splitlines()
    with Project.open(path) as again:
        assert again.document_participants("focus") == ["P1", "P22"]
        assert _freq(again)["calm"] == (1, 2, 1)
        assert again.matrix().loc["P22"].to_dict() == {"busy": 0, "calm": 1}
    result = CliRunner().invoke(cli, ["set-speaker", path, "focus", "Cy", "--participant", "P3"])
    assert result.exit_code != 0 and "no turns of speaker 'Cy'" in result.output


def test_a_deleted_focus_group_comes_back_with_its_participants_and_map(tmp_path):
    project = _focus_with_map(tmp_path)
    before = _freq(project)
    trash_id = project.delete_document("focus")
    project.restore(trash_id)
    assert project.document_participants("focus") == ["P1", "P2"]
    assert project.speaker_map("focus") == {"Interviewer": None, "R1": "P1", "R2": "P2"}
    assert _freq(project) == before == {"busy": (1, 2, 1), "calm": (1, 2, 1)}


def test_a_merged_project_keeps_the_focus_groups_participants_and_map(tmp_path):
    other = _focus_with_map(tmp_path)
    other.close()
    mine = Project.create(tmp_path / "mine.qualcode")
    mine.merge_project(tmp_path / "p.qualcode")
    assert mine.document_participants("focus") == ["P1", "P2"]
    assert mine.speaker_map("focus") == {"Interviewer": None, "R1": "P1", "R2": "P2"}
    assert _freq(mine) == {"busy": (1, 2, 1), "calm": (1, 2, 1)}


def test_excerpts_and_code_counts_follow_the_rule(tmp_path):
    from qualcode.analysis import Filters

    project = _focus_with_map(tmp_path)
    _coded(project, "Who goes first", "calm")  # the moderator's turn: nobody's
    got = [(e.participant, e.text) for e in project.excerpts("calm")]
    assert got == [(None, "Who goes first"), ("P2", "it was calm")]
    only = project.excerpts("calm", filters=Filters(participants=("P2",)))
    assert [(e.participant, e.text) for e in only] == [("P2", "it was calm")]
    assert project.excerpts("busy", filters=Filters(participants=("P2",))) == []
    calm = project.resolve_code("calm")
    assert project.code_usage()[calm] == (2, 1) == project.code_usage_of(calm)
    assert project.participant_has_code(1, calm) is None  # recount: several participants


def test_autocode_names_the_participant_of_each_turn(tmp_path):
    project = _focus_with_map(tmp_path)
    matches = project.autocode("ward|calm|first", "busy", unit="turn", dry_run=True)
    assert [(m.participant, m.text) for m in matches] == [
        (None, "Who goes first?"),  # the moderator's turn: nobody's
        ("P1", "I do, the ward was busy."),
        ("P2", "Not for me, it was calm."),
    ]


def test_interviewer_turns_are_left_out_of_a_focus_group_too(tmp_path):
    """A shared document's codings are credited one by one (analysis.credit): the
    interviewer filter must reach that path as it reaches the grouped one."""
    from qualcode.analysis import Filters

    project = _focus_project(tmp_path)
    with project.transaction() as conn:  # a second participant, speakers not mapped
        ids = project._upsert_participants(conn, [("P2", None, {})])
        conn.execute("INSERT INTO document_participants VALUES (1, ?)", [ids["P2"]])
    _coded(project, "Who goes first", "calm")  # inside the interviewer's question
    _coded(project, "the ward was busy", "busy")
    project.mark_interviewer(["Interviewer"])
    table = project.frequencies(Filters(skip_interviewer=True), order="codebook")
    got = {r["code"]: (r["n"], r["N"], r["codings"]) for _, r in table.iterrows()}
    assert got["calm"] == (0, 2, 0)
    assert got["busy"] == (2, 2, 1)
    assert _freq(project)["calm"] == (2, 2, 1)  # without the filter it counts for both
