"""Every export format opens with its own reader; spreadsheets never see a formula."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.errors import QualcodeError
from qualcode.export import neutralise, restore, write_table

RISKY = ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def sample() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": ["Career design", "a|b", "100% & $5 #1 _x_ {y} ~z^ \\w", *RISKY],
            "n": list(range(9)),
            "percent": [50.0, 12.5, 0.0, 1, 2, 3, 4, 5, 6],
        }
    )


def test_csv_opens_with_pandas_and_is_neutralised(tmp_path):
    path = write_table(sample(), tmp_path / "t.csv")
    back = pd.read_csv(path, keep_default_na=False)
    assert list(back.columns) == ["code", "n", "percent"]
    assert list(back["n"]) == list(range(9))
    assert list(back["code"][:3]) == ["Career design", "a|b", "100% & $5 #1 _x_ {y} ~z^ \\w"]
    assert list(back["code"][3:7]) == ["'=1+1", "'+cmd", "'-2+3", "'@SUM(A1)"]
    assert all(not str(v).startswith(("=", "+", "-", "@", "\t", "\r")) for v in back["code"])


def test_xlsx_opens_with_pandas_without_formulas(tmp_path):
    path = write_table(sample(), tmp_path / "t.xlsx", long=True)
    back = pd.read_excel(path)
    assert list(back["code"][3:]) == ["'" + v for v in RISKY]
    assert list(back["percent"]) == [50.0, 12.5, 0.0, 1, 2, 3, 4, 5, 6]
    from openpyxl import load_workbook

    sheet = load_workbook(path).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    paper = load_workbook(write_table(sample(), tmp_path / "p.xlsx"))  # the paper form too
    cells = [c.value for s in paper for row in s.iter_rows() for c in row if c.value is not None]
    assert {"'" + v for v in RISKY} <= set(cells)
    assert all(c.data_type != "f" for s in paper for row in s.iter_rows() for c in row)


def parse_markdown(text: str) -> list[list[str]]:
    rows = []
    for line in text.strip().splitlines():
        cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
        rows.append([c.strip().replace("\\|", "|").replace("\\\\", "\\") for c in cells])
    return rows


def test_markdown_table_parses_back():
    text = write_table(sample(), "md", long=True)
    rows = parse_markdown(text)
    assert rows[0] == ["code", "n", "percent"]
    assert rows[1] == ["---", "---:", "---:"]
    assert [r[0] for r in rows[2:]][:3] == ["Career design", "a|b", "100% & $5 #1 _x_ {y} ~z^ \\w"]
    assert all(len(r) == 3 for r in rows)


def test_latex_escapes_specials():
    text = write_table(sample(), "latex", long=True)
    assert text.startswith("\\begin{tabular}{lrr}")
    assert (
        r"100\% \& \$5 \#1 \_x\_ \{y\} \textasciitilde{}z\textasciicircum{} \textbackslash{}w & 2 & 0.0 \\"
        in text
    )
    assert r"a\textbar{}b & 1 & 12.5 \\" in text


def test_json_and_named_index(tmp_path):
    df = pd.DataFrame({"A": [1, 0]}, index=pd.Index(["R1", "R2"], name="participant"))
    path = write_table(df, tmp_path / "m.json")
    assert json.loads(path.read_text()) == [
        {"participant": "R1", "A": 1},
        {"participant": "R2", "A": 0},
    ]
    assert write_table(df, "csv") == "participant,A\r\nR1,1\r\nR2,0\r\n"


def test_unknown_suffix_is_one_line(tmp_path):
    with pytest.raises(QualcodeError, match=r"t\.doc: unknown export format '.doc'"):
        write_table(sample(), tmp_path / "t.doc")


@given(st.text())
def test_neutralise_is_safe_and_reversible(value):
    safe = neutralise(value)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert restore(safe) == value


def test_plots_are_images(tmp_path, r7_project):
    import matplotlib.image as mpimg

    from qualcode.analysis import plots

    r7_project.add_coding("R7 interview", 0, 11, "Empathy")
    r7_project.add_coding("R7 interview", 5, 20, "Culture shock")
    png = plots.plot_frequencies(r7_project.frequencies(), tmp_path / "f.png")
    height, width, channels = mpimg.imread(png).shape
    assert width > 500 and height > 300 and channels in (3, 4)
    heat = plots.plot_cooccurrence(r7_project.cooccurrence(), tmp_path / "c.png")
    assert mpimg.imread(heat).shape[0] > 300
    curve = plots.plot_saturation(r7_project.saturation(), tmp_path / "s.svg")
    assert ET.parse(curve).getroot().tag.endswith("svg")
    with pytest.raises(QualcodeError, match="f.gif: a plot is saved as"):
        plots.plot_frequencies(r7_project.frequencies(), tmp_path / "f.gif")
