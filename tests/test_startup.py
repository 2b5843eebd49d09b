"""Commands that only read stay light: after `qualcode freq ... --format csv|md|json`
and `qualcode info`, none of the heavy libraries is in sys.modules (they cost about
0.3-0.7 s of start-up; bench/cli_startup.py times the commands)."""

import csv
import io
import json
import sqlite3
import subprocess
import sys

import pytest

HEAVY = ("sqlite_utils", "pandas", "numpy", "spacy", "textual", "matplotlib", "openpyxl", "yaml")

SCRIPT = """
import json, sys
watched = set(json.loads(sys.argv[2]))
sys.argv = ["qualcode", *json.loads(sys.argv[1])]
from qualcode.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
# A module imported lazily (qualcode/lazy.py) sits in sys.modules as a _LazyModule
# until first used: only executed modules count.
loaded = {n for n, m in sys.modules.items() if type(m).__name__ != "_LazyModule"}
heavy = sorted({n.split(".")[0] for n in loaded} & watched)
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


def run_cli(*args: str) -> tuple[str, dict]:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(list(args)), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
    )
    report = json.loads(result.stderr.strip().splitlines()[-1])
    return result.stdout, report


@pytest.fixture
def coded(r7_project):
    r7_project.add_coding("R7 interview", 63, 118, "Self-development/Cross-boundary experiences")
    r7_project.add_coding(
        "R7 interview", 63, 118, "Self-development/Cross-boundary experiences", coder="b"
    )
    path = str(r7_project.path)
    r7_project.close()
    return path


def test_freq_csv_reads_without_heavy_modules(coded):
    out, report = run_cli("freq", coded, "--format", "csv")
    assert report == {"code": 0, "heavy": []}
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(out))}
    theme = rows["Self-development"]
    assert (theme["n"], theme["N"], theme["percent"], theme["codings"]) == ("1", "1", "100.0", "2")
    assert rows["Self-development/Cross-boundary experiences"]["documents"] == "1"
    assert rows["Perspective transformation"]["n"] == "0"


@pytest.mark.parametrize("fmt", ["md", "json", "table"])
def test_other_text_formats_without_heavy_modules(coded, fmt):
    out, report = run_cli("freq", coded, "--format", fmt)
    assert report == {"code": 0, "heavy": []}
    if fmt == "json":
        rows = {r["code"]: r for r in json.loads(out)}
        assert rows["Self-development"]["codings"] == 2
    else:
        assert "Cross-boundary experiences" in out


def test_info_without_heavy_modules(coded):
    out, report = run_cli("info", coded)
    assert report == {"code": 0, "heavy": []}
    lines = dict(line.split()[:2] for line in out.splitlines()[1:])
    assert lines["codings"] == "2" and lines["coders"] == "2" and lines["documents"] == "1"
    assert lines["words"] == "43"


def test_integrity_check_runs_again_only_when_the_file_changed(coded, tmp_path, monkeypatch):
    from pathlib import Path

    from qualcode import store
    from qualcode.project import Project

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    checked = []
    real = store._quick_check
    monkeypatch.setattr(
        store, "_quick_check", lambda conn, path: checked.append(path) or real(conn, path)
    )
    Project.open(coded).close()
    Project.open(coded).close()  # closing checkpoints, but changes nothing after the first
    assert len(checked) == 1
    with Project.open(coded) as p:  # qualcode's own write, then a clean close: still sound
        p.set_meta("note", "changed")
    Project.open(coded).close()
    assert len(checked) == 1
    other = sqlite3.connect(coded)  # another program writes: the next open checks again
    other.execute("UPDATE meta SET value = 'by hand' WHERE key = 'note'")
    other.commit()
    other.close()
    Project.open(coded).close()
    assert len(checked) == 2
    unclean = Project.open(coded)  # a session that never closes (a crash) records nothing
    unclean.set_meta("note", "left open")
    unclean.db.conn.close()
    Project.open(coded).close()
    assert len(checked) == 3
    assert (
        str(Path(coded).resolve()) in (tmp_path / "cache" / "qualcode" / "checked.json").read_text()
    )


def test_a_worker_connection_neither_checks_nor_backs_up_again(coded, tmp_path, monkeypatch):
    from qualcode import backups, store
    from qualcode.project import Project

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    checked = []
    monkeypatch.setattr(store, "_quick_check", lambda conn, path: checked.append(path))
    with Project.open(coded, daily_backup=False) as p:
        p.set_meta("note", "the file changes while the session works")
        with p.another_connection() as worker:
            assert worker.get_meta("note") == "the file changes while the session works"
    assert len(checked) == 1
    assert backups.list_backups(coded) == []


def test_the_facade_default_size_limit_is_the_importers():
    from qualcode.facade import ingest as facade_ingest
    from qualcode.ingest import formats

    assert facade_ingest.DEFAULT_MAX_SOURCE_BYTES == formats.DEFAULT_MAX_SOURCE_BYTES


@pytest.mark.parametrize(
    "args",
    [
        ["crosstab", "--by", "sex"],
        ["matrix", "--counts"],
        ["saturation", "--by", "participant"],
        ["cooccur", "--by", "participant"],
    ],
)
def test_participant_tables_csv_without_heavy_modules(coded, args):
    out, report = run_cli(*args[:1], coded, *args[1:], "--format", "csv")
    assert report == {"code": 0, "heavy": []}
    rows = list(csv.reader(io.StringIO(out)))
    assert len(rows) > 1 and rows[0][0] in ("code", "participant", "step")
    if args[0] == "matrix":  # R7's codings: 2 of the subtheme, so 2 for the theme
        cells = dict(zip(rows[0], rows[1]))
        assert cells["participant"] == "R7" and cells["Self-development"] == "2"
    if args[0] == "crosstab":
        theme = {r[0]: r for r in rows}["Self-development"]
        assert theme[4:6] == ["1", "1"]  # the one group: n 1 of N 1


@pytest.mark.parametrize("unit", [[], ["--unit", "paragraph"]])
def test_cooccurrence_of_spans_needs_numpy_only(coded, unit):
    out, report = run_cli("cooccur", coded, *unit, "--format", "csv")
    assert report["code"] == 0 and "pandas" not in report["heavy"]
    assert set(report["heavy"]) <= {"numpy"}
    rows = {r[0]: r for r in csv.reader(io.StringIO(out))}
    header = rows["code"]
    cell = header.index("Self-development/Cross-boundary experiences")
    assert rows["Self-development/Cross-boundary experiences"][cell] == "2"  # the diagonal


@pytest.mark.parametrize("fmt", ["csv", "md", "table"])
def test_agreement_needs_numpy_only(coded, fmt):
    """Inter-coder agreement computes with numpy and writes without pandas; the two
    coders coded the same 55 characters, so the theme and the subtheme agree fully."""
    out, report = run_cli("agreement", coded, "--format", fmt)
    assert report["code"] == 0 and set(report["heavy"]) <= {"numpy"}
    if fmt != "csv":
        assert "Cross-boundary experiences" in out
        return
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(out))}
    for code in ("Self-development", "Self-development/Cross-boundary experiences"):
        cells = [rows[code][c] for c in ("both", "A_only", "B_only", "agreement")]
        assert cells == ["55", "0", "0", "1.0"]
    assert rows["Perspective transformation"]["kappa"] == ""  # nobody coded it: undefined
    assert rows["(all codes)"]["both"] == "55"
