"""Reading the real REFI-QDA exports of NVivo, qc and ATLAS.ti into the neutral model."""

from __future__ import annotations

import collections
import csv

import pytest
from interop_support import (
    ATLAS,
    NVIVO_MAC,
    NVIVO_WIN,
    NVIVO_WIN_1SOURCE,
    QC_120,
    QC_132,
    QC_NVIVO_EMPTY,
    REFI,
    need,
)

from qualcode.interop.model import code_paths, walk_codes
from qualcode.interop.qdpx import read_qdpx


def excerpts(project):
    """(source name, excerpt text, code path, coder name) for every coding."""
    paths = code_paths(project.codebook.codes)
    users = {user.guid: user.name for user in project.users}
    return [
        (
            source.name,
            source.text[sel.start : sel.end],
            paths[coding.code_guid],
            users[coding.user_guid],
        )
        for source in project.sources
        for sel in source.selections
        for coding in sel.codings
    ]


@pytest.mark.parametrize(
    "path, codes, sources, codings, users",
    [
        (NVIVO_MAC, 152, 2, 297, 2),
        (NVIVO_WIN, 152, 2, 303, 2),
        (NVIVO_WIN_1SOURCE, 60, 1, 97, 2),
        (QC_120, 112, 3, 213, 1),
        (QC_132, 262, 2, 205, 1),
    ],
)
def test_counts_of_real_exports(path, codes, sources, codings, users):
    project = read_qdpx(need(path))
    assert sum(1 for _ in walk_codes(project.codebook.codes)) == codes
    assert len(project.sources) == sources
    assert project.coding_count() == codings
    assert len(project.users) == users
    assert project.cases == []
    assert project.not_imported == []


def test_nvivo_positions_are_utf16_units_and_win_indexes_crlf_text():
    mac = read_qdpx(need(NVIVO_MAC))
    win = read_qdpx(need(NVIVO_WIN))
    coded_mac = next(s for s in mac.sources if s.selections)
    coded_win = next(s for s in win.sources if s.selections)
    assert coded_mac.positions == "UTF-16 units"
    assert coded_win.positions == "UTF-16 units, CRLF as stored"
    # No BOM, no CR in what qualcode keeps.
    assert "\r" not in coded_win.text and not coded_win.text.startswith("\ufeff")
    passage = (
        "Senkit nem lehet kötelezni oltásra, ilyet csak ostoba korlátolt agyi kapacitással "
        "rendelkező emberhulladék hozhat aki nem szaporodhat és nem élhet."
    )
    for source in (coded_mac, coded_win):
        # 3036 (Mac) and 3137 (Win) in the files; 3031 code points in the normalised text.
        found = [sel for sel in source.selections if source.text[sel.start : sel.end] == passage]
        assert {(sel.start, sel.end) for sel in found} == {(3031, 3031 + len(passage))}
        assert len(found) == 6  # six codes on that comment


def test_both_nvivo_exports_give_identical_excerpts():
    mac = {(text, path) for _, text, path, _ in excerpts(read_qdpx(need(NVIVO_MAC)))}
    win = {(text, path) for _, text, path, _ in excerpts(read_qdpx(need(NVIVO_WIN)))}
    assert len(mac) == 295 and len(win) == 301
    assert mac <= win  # the Windows export is a day later: 6 more codings, none moved
    # Excerpts after an emoji: one UTF-16 unit per astral character before them.
    assert ("A. HAZUGSÁG FOLYIK 👍👍👍👍", "Attituderoots / 2. Distrust / +Media") in mac
    assert (
        "Szépen hangzik! De bizhatunk-e benne??😷",
        "Attituderoots / 2. Distrust / Untrustworthy data",
    ) in mac
    assert (
        "CDC announces 79% of all U.S. omicron cases have occurred in vaccinated individuals",
        "Attituderoots / 3. Unwarranted beliefs / +Belief in vaccine ineffectiveness",
    ) in win


def test_nvivo_win_one_source_exact_excerpts():
    rows = excerpts(read_qdpx(need(NVIVO_WIN_1SOURCE)))
    first = (
        "Na mi van? Nem mertétek kötelezővé tenni? Adtam volna a harminc centis pengével egyből "
        "két oltást is. Egyet szívre, egyet meg nyakon. Akkor biztis hogy nem haltok meg covidban."
    )
    assert rows[0] == (
        "videos_selection",
        first,
        "9. Retorikai eszköz / fenyegetés",
        "floriansipos",
    )
    assert rows[2][2] == "10. Értékek / szabadság"


@pytest.mark.parametrize(
    "path, csv_name",
    [
        (NVIVO_MAC, "nvivo-oltas/derived/OltasSzkepticizmus_17June_nvivo-mac-12.7_code_counts.csv"),
        (NVIVO_WIN, "nvivo-oltas/derived/oltas0517_nvivo-win-12.6_code_counts.csv"),
        (NVIVO_WIN_1SOURCE, "nvivo-oltas/derived/oltas_nvivo-win-12.6_1source_code_counts.csv"),
        (QC_120, "qc-demo/derived/demo_qc-1.2.0_code_counts.csv"),
        (QC_132, "qc-demo/derived/demo_qc-1.3.2_code_counts.csv"),
    ],
)
def test_codings_per_code_match_derived_counts(path, csv_name):
    project = read_qdpx(need(path))
    with need(REFI / csv_name).open(encoding="utf-8") as handle:
        expected = {row["guid"]: int(row["codings_direct"]) for row in csv.DictReader(handle)}
    direct = collections.Counter(
        coding.code_guid
        for source in project.sources
        for sel in source.selections
        for coding in sel.codings
    )
    assert {guid: direct.get(guid, 0) for guid in expected} == expected
    assert set(code_paths(project.codebook.codes)) == set(expected)


def test_qc_demo_rationales_subtree_reproduces_qc_output():
    project = read_qdpx(need(QC_120))
    assert [s.name for s in project.sources] == ["admin.txt", "teacher.txt", "board_member.txt"]
    by_doc = collections.Counter()
    equity_direct = equity_all = 0
    for source, text, path, coder in excerpts(project):
        assert coder == "chris"
        if path.startswith("rq1_definition / rationales"):
            by_doc[source] += 1
        equity_direct += path == "rq1_definition / rationales / equity"
        equity_all += path.startswith("rq1_definition / rationales / equity")
    assert by_doc == {"admin.txt": 12, "board_member.txt": 10, "teacher.txt": 5}
    assert (equity_direct, equity_all) == (12, 15)
    first = excerpts(project)[0]
    assert (
        first[1]
        == "every kid should know. So, fast forward to when I got to [district], which was \n"
    )
    assert first[2] == "rq1_definition / rationales / equity / everyone_should_learn_cs"


def test_qc_names_repeat_under_different_parents_but_guids_are_unique():
    project = read_qdpx(need(QC_132))
    names = collections.Counter(code.name for code, _, _ in walk_codes(project.codebook.codes))
    assert max(names.values()) > 1
    assert len(code_paths(project.codebook.codes)) == 262


def test_nvivo_reexport_with_empty_sources_reports_them():
    project = read_qdpx(need(QC_NVIVO_EMPTY))
    assert sum(1 for _ in walk_codes(project.codebook.codes)) == 262
    assert project.sources == []
    assert len(project.not_imported) == 2
    assert all(line.endswith("its text is empty") for line in project.not_imported)


def test_atlas_project_with_missing_files_lists_what_was_not_imported():
    project = read_qdpx(need(ATLAS))
    assert sum(1 for _ in walk_codes(project.codebook.codes)) == 14
    assert [u.name for u in project.users] == [
        "ATLAS.ti",
        "Friedrich Markgraf",
        "Sebastian Petrausch",
    ]
    assert project.sources == []
    assert [n.name for n in project.notes] == ["Research Plan", "My favorite Coke ad"]
    assert project.notes[1].text == "This version is much better than the new Director’s cut "
    missing = [line for line in project.not_imported if "missing from the archive" in line]
    assert len(missing) == 6
    assert any(line.startswith("text source 'Mabel.txt' (3 codings)") for line in missing)
    kinds = " | ".join(project.not_imported)
    for part in (
        "picture source",
        "PDF source",
        "audio source",
        "video source",
        "1 link",
        "1 graph",
        "16 sets",
    ):
        assert part in kinds
    # Every one of the 16 codings is accounted for in the summary.
    counted = sum(
        int(line.split("(")[1].split(" coding")[0])
        for line in project.not_imported
        if " coding" in line and "(" in line
    )
    assert counted == 16
    # GUIDs in upper case are kept in canonical lower case.
    assert project.codebook.codes[0].guid == "85d17f60-7bb0-481e-b742-b4861dd669df"
