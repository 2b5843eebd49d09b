"""Every percentage in every table format equals n/N rounded once (computed here with
decimal arithmetic), and each paper export read back (openpyxl, python-docx, a Markdown
parser, pdflatex + pdftotext where installed) holds the cells of the frequency table.

The project is built here so that n and N are known without qualcode: 23 participants,
codings placed by the PLAN below, codes named with every character LaTeX and Markdown
treat specially.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.facade.codings import NewCoding
from qualcode.models import NewDocument
from qualcode.project import Project
from tests.percent_reference import expected_percent

THEME_A = "Money & 100% {costs}"
THEME_B = "Belonging #1"
CODES = [
    THEME_A,
    f"{THEME_A}/Fees_$ ~^",
    f"{THEME_A}/Time \\ <late> | *now*",
    THEME_B,
    f"{THEME_B}/Peers",
    f"{THEME_B}/Home",
]
PEOPLE = [f"R{i}" for i in range(1, 24)]
# code -> indexes of the participants coded with it (in their interview)
PLAN = {
    f"{THEME_A}/Fees_$ ~^": range(0, 10),  # 10/23 = 43.48%: 43 (not 44 from 43.5)
    f"{THEME_A}/Time \\ <late> | *now*": range(8, 21),  # 13/23 = 56.52%: 57
    f"{THEME_B}/Peers": range(0, 2),  # 2/23
    f"{THEME_B}/Home": range(5, 22),  # 17/23
}
NOTES_PEOPLE = range(0, 7)  # these also have a "notes" document, coded with Fees for 0..2
NOTES_PLAN = {f"{THEME_A}/Fees_$ ~^": range(0, 3)}  # 3/7 = 42.86%


def expected_counts() -> dict[str, tuple[int, int, int, int]]:
    """code path -> (n, N, n in notes, N of notes), parents as unions, in plain Python."""
    out = {}
    for code in CODES:
        below = [c for c in PLAN if c == code or c.startswith(code + "/")]
        who = set().union(*(set(PLAN[c]) for c in below)) if below else set()
        notes = [c for c in NOTES_PLAN if c == code or c.startswith(code + "/")]
        in_notes = set().union(*(set(NOTES_PLAN[c]) for c in notes)) if notes else set()
        out[code] = (len(who), len(PEOPLE), len(in_notes), len(NOTES_PEOPLE))
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("paper") / "paper.qualcode"
    p = Project.create(path, coder="ana")
    for code in CODES:
        p.add_code(code.rsplit("/", 1)[-1], parent=code.rsplit("/", 1)[0] if "/" in code else None)
    text = "A sentence said in the interview.\n"
    docs = [NewDocument(pid, "interview", f"{pid} interview", text) for pid in PEOPLE]
    docs += [NewDocument(PEOPLE[i], "notes", f"{PEOPLE[i]} notes", text) for i in NOTES_PEOPLE]
    ids = p.add_documents(docs)
    interview = dict(zip(PEOPLE, ids))
    notes = dict(zip([PEOPLE[i] for i in NOTES_PEOPLE], ids[len(PEOPLE) :]))
    code_id = {c.path: c.id for c in p.codes()}
    rows = [
        NewCoding(interview[PEOPLE[i]], 0, 10, code_id[code])
        for code, who in PLAN.items()
        for i in who
    ]
    rows += [
        NewCoding(notes[PEOPLE[i]], 2, 8, code_id[code])
        for code, who in NOTES_PLAN.items()
        for i in who
    ]
    p.add_codings(rows)
    p.upsert_participants(
        [(pid, None, {"sex": "F" if i % 2 else "M"}) for i, pid in enumerate(PEOPLE)]
    )
    p.close()
    return path


def run(*args) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


SHARE = re.compile(r"(\d+)/(\d+) \((\d+(?:\.\d+)?)\\?%\)")


def leaf(code: str) -> str:
    return code.rsplit("/", 1)[-1]


def check_shares(found: dict[str, list[tuple[int, int, str]]], decimals: int = 1) -> None:
    """found: row label -> the (n, N, percent text) of its n/N cells, left to right
    (participants, then notes); each must equal the plan's counts and their percentage."""
    expected = expected_counts()
    assert set(found) == {leaf(c) for c in CODES}
    for code in CODES:
        n, total, n_notes, total_notes = expected[code]
        cells = found[leaf(code)]
        assert cells[0] == (n, total, expected_percent(n, total, decimals)), code
        assert (n_notes, total_notes, expected_percent(n_notes, total_notes, decimals)) in cells[1:]


def test_the_plan_has_the_hard_cases():
    counts = expected_counts()
    assert counts[f"{THEME_A}/Fees_$ ~^"][0] == 10 and expected_percent(10, 23, 0) == "43"
    assert (
        counts[f"{THEME_A}/Time \\ <late> | *now*"][0] == 13 and expected_percent(13, 23, 0) == "57"
    )
    assert counts[THEME_A][0] == 21 and counts[THEME_B][0] == 19  # unions, not sums (23, 19)


def test_terminal_table_csv_and_json(built):
    expected = expected_counts()
    out = run("freq", built).splitlines()
    for code in CODES:
        n, total, _, _ = expected[code]
        line = next(x for x in out if x.strip().startswith(f"{leaf(code)} ({n}/{total})"))
        assert line.split(f"({n}/{total})", 1)[1].split()[0] == expected_percent(n, total)
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(run("freq", built, "--format", "csv"))))
    for row in rows:
        n, total = int(row["n"]), int(row["N"])
        assert (n, total) == expected[row["code"].lstrip("'")][:2]
        assert row["percent"] == expected_percent(n, total)
    for record in json.loads(run("freq", built, "--format", "json")):
        assert f"{record['percent']:.1f}" == expected_percent(record["n"], record["N"])


def test_crosstab_terminal_and_markdown(built):
    out = run("crosstab", built, "--by", "sex")
    cells = SHARE.findall(out)
    assert len(cells) == 2 * len(CODES)
    for n, total, pct in cells:
        assert pct == expected_percent(int(n), int(total), 0)
    md = run("crosstab", built, "--by", "sex", "--format", "md")
    cells = SHARE.findall(md)
    assert len(cells) == 2 * len(CODES)
    for n, total, pct in cells:
        assert pct == expected_percent(int(n), int(total), 1)


def markdown_rows(text: str) -> list[list[str]]:
    """The table of a Markdown document through markdown-it (GFM tables), as cell texts."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    rows, row = [], None
    for token in tokens:
        if token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append("".join(_inline_text(t) for t in token.children or []))
        elif token.type == "tr_close":
            rows.append(row)
            row = None
    return rows


def _inline_text(token) -> str:
    if token.type in ("text", "code_inline"):
        return token.content
    return ""


def test_markdown_reads_back(built):
    text = run("freq", built, "--format", "md")
    rows = markdown_rows(text)
    assert rows[0][:2] == ["Theme / subtheme", "Participants (N=23)"]
    found = {}
    for row in rows[1:]:
        label = row[0].replace("\xa0", " ").strip()
        found[label] = [(int(n), int(t), p) for cell in row[1:] for n, t, p in SHARE.findall(cell)]
    check_shares(found)
    assert "| **Money &amp; 100% {costs}** |" in text  # theme bold, & as an entity
    assert "| &nbsp;&nbsp;&nbsp;&nbsp;Time \\\\ &lt;late> \\| \\*now\\* |" in text
    assert "Time \\ <late> | *now*" in {r[0].replace("\xa0", " ").strip() for r in rows}


def test_latex_source(built):
    text = run(
        "freq",
        built,
        "--format",
        "latex",
        "--caption",
        "Themes (N = 23) & more_",
        "--label",
        "tab:pif",
    )
    assert "\\begin{table}" in text and "\\toprule" in text and "\\bottomrule" in text
    assert "\\caption{Themes (N = 23) \\& more\\_}" in text and "\\label{tab:pif}" in text
    assert "\\textbf{Money \\& 100\\% \\{costs\\}}" in text
    assert "\\hspace{1em}Fees\\_\\$ \\textasciitilde{}\\textasciicircum{}" in text
    assert (
        "\\hspace{1em}Time \\textbackslash{} \\textless{}late\\textgreater{} \\textbar{} *now*"
        in text
    )
    found = {}
    for line in text.splitlines():
        if " & " in line and line.endswith("\\\\") and SHARE.search(line):
            label = re.sub(r"\\hspace\{\d+em\}|\\textbf\{(.*)\}", r"\1", line.split(" & ")[0])
            found[_unlatex(label)] = [(int(n), int(t), p) for n, t, p in SHARE.findall(line)]
    check_shares(found)
    split = run("freq", built, "--format", "latex", "--cells", "n,pct")
    assert "\\multicolumn{2}{c}{Participants (N=23)}" in split and "\\cmidrule(lr){2-3}" in split
    assert (
        "\\hspace{1em}Fees\\_\\$ \\textasciitilde{}\\textasciicircum{} & 10 & 43.5\\% & 13 & 13 & 10 & 43.5\\% & 3 & 42.9\\%"
        in split
    )


def _unlatex(text: str) -> str:
    for source, latex in (
        ("\\", "\\textbackslash{}"),
        ("~", "\\textasciitilde{}"),
        ("^", "\\textasciicircum{}"),
        ("<", "\\textless{}"),
        (">", "\\textgreater{}"),
        ("|", "\\textbar{}"),
    ):
        text = text.replace(latex, source)
    return re.sub(r"\\([&%$#_{}])", r"\1", text)


def test_xlsx_reads_back(built, tmp_path):
    from openpyxl import load_workbook

    run("freq", built, "-o", tmp_path / "f.xlsx")
    book = load_workbook(tmp_path / "f.xlsx")
    sheet = book["Table"]
    assert sheet["A1"].value.startswith("Theme frequencies")
    assert sheet.freeze_panes == "B4"
    header = [c.value for c in sheet[3]]
    assert header[:4] == ["Theme / subtheme", "n", "%", "Codings"]
    expected = expected_counts()
    seen = set()
    for row in sheet.iter_rows(min_row=4):
        if not row[0].value or row[0].value not in {leaf(c) for c in CODES}:
            continue
        code = next(c for c in CODES if leaf(c) == row[0].value)
        n, total, _, _ = expected[code]
        assert row[1].value == n and row[1].data_type == "n"
        assert row[2].value == pytest.approx(n / total) and row[2].number_format == "0.0%"
        assert row[0].font.b == ("/" not in code)
        assert row[0].alignment.indent == (0 if "/" not in code else 2)
        seen.add(code)
    assert seen == set(CODES)
    about = dict(book["About"].iter_rows(values_only=True))
    # the file name only: the folder can name the user (/home/ana/...)
    assert about["project"] == built.name and about["coders"] == "ana"
    assert str(built.parent) not in str(about)
    assert about["table"] == "frequencies" and about["filters"] == "none"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", about["date"])
    assert sheet.column_dimensions["A"].width >= len("Time \\ <late> | *now*") + 2


def test_docx_reads_back(built, tmp_path):
    import docx

    run("freq", built, "-o", tmp_path / "f.docx", "--caption", "Themes of the trial")
    document = docx.Document(str(tmp_path / "f.docx"))
    caption = document.paragraphs[0]
    assert caption.style.name == "Caption" and caption.text == "Table 1. Themes of the trial"
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells][:2] == ["Theme / subtheme", "Participants (N=23)"]
    found = {}
    for row in table.rows[1:]:
        cells = [c.text for c in row.cells]
        found[cells[0]] = [(int(n), int(t), p) for c in cells[1:] for n, t, p in SHARE.findall(c)]
        run_ = row.cells[0].paragraphs[0].runs[0]
        assert bool(run_.bold) == (cells[0] in (THEME_A, THEME_B))
    check_shares(found)


def test_tui_frequency_screen_percentages(built):
    """The screen's % column: n/N rounded once to whole percents."""
    import asyncio

    from textual.widgets import DataTable

    from qualcode.tui.screens.frequencies import FrequenciesScreen
    from tests.tui.screen_app import ScreenApp

    async def scenario():
        with Project.open(built) as project:
            app = ScreenApp(lambda: FrequenciesScreen(project))
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                grid = app.screen.query_one("#freq-table", DataTable)
                return [[str(c) for c in grid.get_row_at(i)] for i in range(grid.row_count)]

    rows = asyncio.run(scenario())
    expected = expected_counts()
    assert len(rows) == len(CODES)
    for row in rows:
        code = next(c for c in CODES if leaf(c) == row[0].strip())
        n, total, _, _ = expected[code]
        assert row[1:3] == [f"{n}/{total}", expected_percent(n, total, 0) + "%"]


def test_participant_cooccurrence_rolls_themes_up(built):
    import csv
    import io

    rows = {
        r["code"]: r
        for r in csv.DictReader(
            io.StringIO(run("cooccur", built, "--by", "participant", "--format", "csv"))
        )
    }
    people = {
        code: set().union(*(set(PLAN[c]) for c in PLAN if c == code or c.startswith(code + "/")))
        for code in CODES
    }
    for x in CODES:
        for y in CODES:
            assert int(rows[x][y]) == len(people[x] & people[y]), (x, y)
    assert int(rows[THEME_A][THEME_B]) == len(set(range(0, 21)) & ({0, 1} | set(range(5, 22))))


@pytest.mark.skipif(
    not (shutil.which("pdflatex") and shutil.which("pdftotext")),
    reason="pdflatex/pdftotext not installed (Debian texlive-latex-base, "
    "texlive-latex-recommended for booktabs, poppler-utils; .ci/run installs them as root)",
)
def test_latex_compiles_with_pdflatex(built, tmp_path):
    table = run("freq", built, "--format", "latex", "--cells", "n/N (pct)")
    (tmp_path / "table.tex").write_text(table, encoding="utf-8")
    (tmp_path / "paper.tex").write_text(
        "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage{booktabs}\n"
        "\\usepackage[margin=1cm,landscape]{geometry}\n"
        "\\begin{document}\n\\input{table.tex}\n\\end{document}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "paper.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    text = subprocess.run(
        ["pdftotext", "-layout", "paper.pdf", "-"], cwd=tmp_path, capture_output=True, text=True
    ).stdout
    assert "Money & 100% {costs}" in text and "Belonging #1" in text
    assert "Time \\ <late> | *now*" in text and "Fees $" in text  # \_ is drawn as a rule
    found = {}
    for line in text.splitlines():
        cells = SHARE.findall(line)
        if cells:
            label = SHARE.split(line)[0].strip()
            found[label] = [(int(n), int(t), p) for n, t, p in cells]
    expected = expected_counts()
    for code in CODES:
        n, total, _, _ = expected[code]
        row = next(v for k, v in found.items() if k.startswith(leaf(code)[:4]))
        assert row[0] == (n, total, expected_percent(n, total))


def test_a_share_that_is_not_all_or_none_never_reads_100_or_0():
    from qualcode.percent import percent_text, percent_value, share_text

    for n, total in [(2499, 2500), (1, 2500), (0, 7), (7, 7), (10, 23), (199, 200), (1, 200)]:
        for decimals in (0, 1):
            assert percent_text(n, total, decimals) == expected_percent(n, total, decimals)
    assert percent_text(2499, 2500) == "99.9" and percent_text(1, 2500) == "0.1"
    assert percent_text(199, 200, 0) == "99" and percent_text(1, 200, 0) == "1"
    assert percent_value(2499, 2500) == 99.9 and share_text(2500, 2500) == "2500/2500 (100.0%)"
    assert share_text(0, 5) == "0/5 (0.0%)" and percent_text(1, 8, 0) == "13"
