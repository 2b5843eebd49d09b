"""Inter-coder agreement: hand-computed 2x2 tables, kappa, parent unions, segment units,
a property test against a per-character reference, the demo sample and the CLI."""

from __future__ import annotations

import io
import math
import tempfile
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.cli import main
from qualcode.codebook import load_codebook
from qualcode.errors import QualcodeError
from qualcode.facade.codings import NewCoding
from qualcode.models import NewDocument, Segment
from qualcode.project import Project

PIF = Path(__file__).resolve().parents[1] / "codebooks" / "pif.yaml"
LEAD, UNCERT, RESIL = "Leadership", "Leadership/Uncertainty", "Leadership/Resilience"


def text_of(n: int, tag: int = 0) -> str:
    return (f"{tag}:" + "abcdefghij" * (n // 10 + 1))[:n]


def row(df, code):
    return df[df["code"] == code].iloc[0]


def counts(r):
    return (int(r["both"]), int(r["A_only"]), int(r["B_only"]), int(r["neither"]))


@pytest.fixture
def doc100(project):
    [doc] = project.add_documents([NewDocument("R1", "interview", "R1 i", text_of(100))])
    return project, doc


def test_half_overlap_gives_agreement_half_and_kappa_zero(doc100):
    p, doc = doc100
    p.add_coding(doc, 0, 50, UNCERT, coder="A")
    p.add_coding(doc, 25, 75, UNCERT, coder="B")
    r = row(p.agreement("A", "B"), UNCERT)
    assert counts(r) == (25, 25, 25, 25)
    # po = 50/100; pA = pB = 0.5, pe = 0.25 + 0.25 = 0.5 -> kappa = 0
    assert r["agreement"] == 0.5 and r["kappa"] == pytest.approx(0.0)


def test_nontrivial_kappa(doc100):
    p, doc = doc100
    p.add_coding(doc, 0, 40, UNCERT, coder="A")
    p.add_coding(doc, 0, 30, UNCERT, coder="B")
    p.add_coding(doc, 90, 100, UNCERT, coder="B")
    r = row(p.agreement("A", "B"), UNCERT)
    # both 0-30 = 30, A only 30-40 = 10, B only 90-100 = 10, neither 50.
    # po = 0.8; pA = 0.4, pB = 0.4; pe = 0.16 + 0.36 = 0.52; kappa = 0.28 / 0.48 = 7/12
    assert counts(r) == (30, 10, 10, 50)
    assert r["agreement"] == pytest.approx(0.8) and r["kappa"] == pytest.approx(7 / 12)
    assert r["strength"] == "moderate"


def test_documents_pool_and_overlapping_codings_of_one_coder_count_once(project):
    d1, d2 = project.add_documents(
        [
            NewDocument("R1", "interview", "a", text_of(100, 1)),
            NewDocument("R2", "interview", "b", text_of(100, 2)),
        ]
    )
    project.add_coding(d1, 0, 50, UNCERT, coder="A")
    project.add_coding(d1, 0, 30, UNCERT, coder="B")
    project.add_coding(d1, 20, 50, UNCERT, coder="B")  # overlaps B's first span: 0-50 in all
    project.add_coding(d2, 0, 20, UNCERT, coder="A")
    r = row(project.agreement("A", "B"), UNCERT)
    # both 50, A only 20, B only 0, neither 130 of 200.
    # po = 0.9; pA = 0.35, pB = 0.25; pe = 0.0875 + 0.4875 = 0.575; kappa = 0.325 / 0.425 = 13/17
    assert counts(r) == (50, 20, 0, 130)
    assert r["kappa"] == pytest.approx(13 / 17) and r["strength"] == "substantial"


def test_degenerate_kappa_is_nan_not_an_error(doc100):
    p, doc = doc100
    p.add_coding(doc, 0, 100, UNCERT, coder="A")
    p.add_coding(doc, 0, 100, UNCERT, coder="B")
    df = p.agreement("A", "B")
    everything, nothing = row(df, UNCERT), row(df, RESIL)
    assert counts(everything) == (100, 0, 0, 0) and everything["agreement"] == 1.0
    assert math.isnan(everything["kappa"]) and everything["strength"] == ""
    assert counts(nothing) == (0, 0, 0, 100) and math.isnan(nothing["kappa"])


def test_parent_is_the_union_of_its_subcodes(doc100):
    p, doc = doc100
    p.add_coding(doc, 0, 30, UNCERT, coder="A")
    p.add_coding(doc, 20, 50, RESIL, coder="A")  # overlaps the other subcode: 0-50, not 60
    p.add_coding(doc, 0, 50, LEAD, coder="B")
    df = p.agreement("A", "B")
    lead = row(df, LEAD)
    assert counts(lead) == (50, 0, 0, 50) and lead["kappa"] == pytest.approx(1.0)
    # Uncertainty: A 30, B 0 -> po 0.7, pA 0.3, pB 0, pe = 0.7 -> kappa 0
    assert counts(row(df, UNCERT)) == (0, 30, 0, 70) and row(df, UNCERT)["kappa"] == pytest.approx(
        0.0
    )
    # The total counts each coding for its own code only: Uncertainty 30 + Resilience 30
    # (A) and Leadership 50 (B), none shared; 36 codes x 100 characters.
    total = df.iloc[-1]
    assert total["code"] == "(all codes)" and counts(total) == (0, 60, 50, 3600 - 110)


SENTENCES = "Aaaa. Bbbb. Cccc. Dddd."  # sentences 0-5, 6-11, 12-17, 18-23


@pytest.fixture
def four_sentences(project):
    segs = tuple(Segment(s, s + 5, "sentence") for s in (0, 6, 12, 18))
    [doc] = project.add_documents([NewDocument("R1", "interview", "s", SENTENCES, segments=segs)])
    return project, doc


def test_segment_level_with_overlap(four_sentences):
    p, doc = four_sentences
    p.add_coding(doc, 3, 8, UNCERT, coder="A")  # sentences 1 and 2
    p.add_coding(doc, 0, 6, RESIL, coder="A")  # ends where sentence 2 starts: sentence 1 only
    p.add_coding(doc, 7, 14, UNCERT, coder="B")  # sentences 2 and 3
    p.add_coding(doc, 5, 6, UNCERT, coder="B")  # the space between sentences: no unit
    df = p.agreement("A", "B", unit="segment")
    assert counts(row(df, UNCERT)) == (1, 1, 1, 1)
    assert row(df, UNCERT)["kappa"] == pytest.approx(0.0)
    assert counts(row(df, RESIL)) == (0, 1, 0, 3)
    # Leadership: A has sentences 1, 2 (union of both subcodes), B 2, 3.
    assert counts(row(df, LEAD)) == (1, 1, 1, 1)
    p.add_coding(doc, 19, 20, UNCERT, coder="A")  # sentence 4
    r = row(p.agreement("A", "B", unit="segment"), UNCERT)
    # both 1, A only 2, B only 1, neither 0: po = 0.25, pA = 0.75, pB = 0.5,
    # pe = 0.375 + 0.125 = 0.5, kappa = (0.25 - 0.5) / 0.5 = -0.5
    assert (
        counts(r) == (1, 2, 1, 0) and r["kappa"] == pytest.approx(-0.5) and r["strength"] == "poor"
    )


def test_segment_level_needs_segments_and_a_coder_without_codings_codes_nothing(four_sentences):
    p, doc = four_sentences
    p.add_coding(doc, 0, 3, UNCERT, coder="coder1")
    p.add_coding(doc, 0, 3, UNCERT, coder="coder2")
    with pytest.raises(QualcodeError, match="no turn segments"):
        p.agreement("coder1", "coder2", unit="segment", segment_kind="turn")
    with pytest.raises(QualcodeError, match=r"no coder 'coder3' in this project \(known: coder1, "):
        p.agreement("coder1", "coder3", unit="segment")  # a typo is refused, not kappa 0
    p.set_coder("coder3")  # the configured coder, with no codings yet, is a coder here
    nobody = p.agreement("coder1", "coder3", unit="segment")
    assert counts(row(nobody, UNCERT)) == (0, 1, 0, 3) and nobody.attrs["uncoded"] == ["coder3"]
    with pytest.raises(QualcodeError, match="named twice"):
        p.agreement("coder1", "CODER1")
    assert (
        row(p.agreement("CODER1", "coder2"), UNCERT)["both"] == 3
    )  # case-insensitive like the filters


def test_disagreements_list_the_passages_of_one_coder(doc100):
    p, doc = doc100
    p.add_coding(doc, 0, 50, UNCERT, coder="A")
    p.add_coding(doc, 25, 75, RESIL, coder="B")  # a sibling: counts for Leadership, not Uncertainty
    df = p.disagreements("A", "B", LEAD)
    text = text_of(100)
    assert df[["start", "end", "who"]].values.tolist() == [[0, 25, "A"], [50, 75, "B"]]
    assert df["text"].tolist() == [text[0:25], text[50:75]] and set(df["participant"]) == {"R1"}
    assert p.disagreements("A", "B", UNCERT)[["start", "end", "who"]].values.tolist() == [
        [0, 50, "A"]
    ]


# --- property test against plain Python ------------------------------------------

CODES = [LEAD, UNCERT, RESIL, "Perspective transformation/Empathy"]
FAMILY = {LEAD: {LEAD, UNCERT, RESIL}, UNCERT: {UNCERT}, RESIL: {RESIL}, CODES[3]: {CODES[3]}}


@st.composite
def projects(draw):
    lengths = draw(st.lists(st.integers(5, 40), min_size=1, max_size=3))
    codings = []
    for d, n in enumerate(lengths):
        for _ in range(draw(st.integers(0, 6))):
            start = draw(st.integers(0, n - 1))
            end = draw(st.integers(start + 1, n))
            codings.append(
                (d, start, end, draw(st.sampled_from(CODES)), draw(st.sampled_from("AB")))
            )
    cuts = [sorted(draw(st.sets(st.integers(1, n - 1), max_size=4))) for n in lengths]
    return lengths, codings, cuts


def reference(lengths, codings, cuts, code, unit):
    """(both, A only, B only, neither) by looking at every character or segment."""
    units = []
    for d, n in enumerate(lengths):
        if unit == "character":
            units += [(d, i, i + 1) for i in range(n)]
        else:
            edges = [0, *cuts[d], n]
            units += [
                (d, s, e - 1) for s, e in zip(edges, edges[1:]) if e - 1 > s
            ]  # sentence minus its last char
    table = [0, 0, 0, 0]
    for d, s, e in units:
        hit = {
            c: any(
                cd == d and cs < e and ce > s and k in FAMILY[code]
                for cd, cs, ce, k, who in codings
                if who == c
            )
            for c in "AB"
        }
        table[
            {(True, True): 0, (True, False): 1, (False, True): 2, (False, False): 3}[
                (hit["A"], hit["B"])
            ]
        ] += 1
    return tuple(table)


def kappa_reference(both, a_only, b_only, neither):
    n = both + a_only + b_only + neither
    po = Fraction(both + neither, n)
    pa, pb = Fraction(both + a_only, n), Fraction(both + b_only, n)
    pe = pa * pb + (1 - pa) * (1 - pb)
    return None if pe == 1 else float((po - pe) / (1 - pe))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_matches_a_per_character_reference(case):
    lengths, codings, cuts = case
    with tempfile.TemporaryDirectory() as tmp:
        p = Project.create(Path(tmp) / "p.qualcode", codebook=load_codebook(PIF), coder="A")
        docs = []
        for d, n in enumerate(lengths):
            edges = [0, *cuts[d], n]
            segs = tuple(
                Segment(s, e - 1, "sentence") for s, e in zip(edges, edges[1:]) if e - 1 > s
            )
            docs.append(NewDocument(f"R{d}", "interview", f"d{d}", text_of(n, d), segments=segs))
        ids = p.add_documents(docs)
        codings = codings + [(0, 0, 1, "Self-development", "A"), (0, 0, 1, "Self-development", "B")]
        # In bulk: the drawn codings may repeat a span (add_coding refuses an identical one).
        p.add_codings(
            [NewCoding(ids[d], s, e, p.resolve_code(code), who) for d, s, e, code, who in codings]
        )
        for unit in ("character", "segment"):
            if unit == "segment" and not any(
                e - s > 1 for n, c in zip(lengths, cuts) for s, e in zip([0, *c], [*c, n])
            ):
                continue
            df = p.agreement("A", "B", unit=unit)
            for code in CODES:
                r = row(df, code)
                expected = reference(lengths, codings, cuts, code, unit)
                assert counts(r) == expected, (unit, code)
                k = kappa_reference(*expected)
                assert math.isnan(r["kappa"]) if k is None else r["kappa"] == pytest.approx(k)
        for code in CODES:  # the disagreement list covers exactly the characters of one coder
            listed = {
                (row_.document, i, row_.who)
                for row_ in p.disagreements("A", "B", code).itertuples()
                for i in range(row_.start, row_.end)
            }
            expected = set()
            for d, n in enumerate(lengths):
                for i in range(n):
                    hit = {
                        c
                        for cd, cs, ce, k, c in codings
                        if cd == d and cs <= i < ce and k in FAMILY[code]
                    }
                    if len(hit) == 1:
                        expected.add((f"d{d}", i, hit.pop()))
            assert listed == expected
        p.close()


# --- the demo sample -----------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from qualcode.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.qualcode"
    build_demo(path).close()
    return path


def test_demo_second_coder_codes_a_third_independently(demo):
    """coder2 coded 8 of 23 participants on their own: own boundaries, some other codes,
    some passages missed or added; most codes agree moderately to substantially."""
    with Project.open(demo) as p:
        df = p.agreement("coder1", "coder2", double_coded=True)
        second = {e.participant for e in p.excerpts() if e.coder == "coder2"}
    assert second == {f"R{i}" for i in range(2, 24, 3)}
    assert df.attrs["documents_in_scope"] == 14
    codes = df.iloc[:-1].dropna(subset=["kappa"])
    assert (codes["B_only"] > 0).sum() >= 20 and (codes["A_only"] > 0).sum() >= 25
    moderate = codes["kappa"].between(0.4, 0.8)
    assert moderate.sum() > len(codes) / 2
    assert 0.4 <= df.iloc[-1]["kappa"] <= 0.8


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_cli_agreement_table_and_formats(demo):
    r = run("agreement", demo, "--coders", "coder1,coder2")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    # coder2 coded 14 of the 39 documents: said above the table, --double-coded offered
    assert lines[0].startswith("Documents coded (of 39): coder1 39, coder2 14;")
    assert lines[1] == "Inter-coder agreement by characters: coder1 (A) and coder2 (B)"
    assert "coder2 only" in lines[2] and any(line.startswith("(all codes)") for line in lines)
    r = run(
        "agreement",
        demo,
        "--coders",
        "coder1,coder2",
        "--unit",
        "segment",
        "--segment-kind",
        "paragraph",
        "--kind",
        "report",
        "--format",
        "csv",
    )
    assert r.exit_code == 0, r.output
    df = pd.read_csv(io.StringIO(r.stdout))
    assert list(df.columns[:7]) == ["code", "name", "depth", "both", "A_only", "B_only", "neither"]
    assert df["B_only"].iloc[-1] > 0 and df["code"].iloc[-1] == "(all codes)"
    r = run("agreement", demo, "--coders", "coder1,coder2", "--format", "md")
    assert "| **All codes (pooled)** |" in r.output  # the paper form: the total row, bold
    r = run("agreement", demo, "--coders", "coder1,coder2", "--format", "md", "--long")
    assert "| (all codes) |" in r.output


def test_cli_errors_are_one_line(demo, tmp_path):
    r = run("agreement", demo, "--coders", "coder1,Coder1")
    assert (
        r.exit_code == 1
        and r.output == "error: compare different coders ('coder1' is named twice)\n"
    )
    r = run("agreement", demo, "--coders", "coder1")
    assert r.exit_code == 2 and "expected at least two coders" in r.output
    r = run("agreement", demo, "--coders", "coder1,coder2", "--coder", "coder1")
    assert r.exit_code == 2 and "No such option '--coder'" in r.output


def test_cli_na_for_undefined_kappa(tmp_path):
    p = Project.create(tmp_path / "n.qualcode", codebook=load_codebook(PIF), coder="A")
    [doc] = p.add_documents([NewDocument("R1", "interview", "x", text_of(20))])
    p.add_coding(doc, 0, 20, UNCERT, coder="A")
    p.add_coding(doc, 0, 20, UNCERT, coder="B")
    p.close()
    r = run("agreement", tmp_path / "n.qualcode", "--coders", "A,B")
    uncertainty = next(
        line for line in r.output.splitlines() if line.strip().startswith("Uncertainty")
    )
    assert uncertainty.split()[1:] == ["20", "0", "0", "0", "100.0", "n/a", "n/a", "n/a"]
    r = run("agreement", tmp_path / "n.qualcode", "--coders", "A,B", "--format", "md", "--long")
    assert "| Leadership/Uncertainty | Uncertainty | 1 | 20 | 0 | 0 | 0 | 1.0 | n/a |" in r.output
    r = run("agreement", tmp_path / "n.qualcode", "--coders", "A,B", "--format", "md")
    assert (
        "| &nbsp;&nbsp;&nbsp;&nbsp;Uncertainty | 20 | 0 | 0 | 0 | 100.0 | n/a | n/a | n/a |  |"
        in r.output
    )
    out = tmp_path / "a.json"
    r = run("agreement", tmp_path / "n.qualcode", "--coders", "A,B", "-o", out)
    assert r.exit_code == 0 and pd.read_json(out)["kappa"].isna().sum() >= 1


def test_cli_disagreements(demo):
    r = run("disagreements", demo, "--coders", "coder1,coder2", "--code", "Empathy")
    assert r.exit_code == 0, r.output
    with Project.open(demo) as p:
        df = p.disagreements("coder1", "coder2", "Empathy")
    assert r.output.splitlines()[0].endswith(f": {len(df)}") and len(df) > 0
    assert set(df["who"]) == {"coder1"}
    first = df.iloc[0]
    assert f"{first['document']} {first['start']}-{first['end']}  [coder1 only]" in r.output
    r = run("disagreements", demo, "--coders", "coder1,coder2", "--code", "Nope")
    assert r.exit_code == 1 and r.output == "error: no code named 'Nope'\n"


def test_double_coded_keeps_the_documents_both_coders_coded(project):
    d1, d2, d3 = project.add_documents(
        [
            NewDocument("R1", "interview", "a", text_of(100, 1)),
            NewDocument("R2", "interview", "b", text_of(50, 2)),
            NewDocument("R3", "interview", "c", text_of(30, 3)),
        ]
    )
    project.add_coding(d1, 0, 40, UNCERT, coder="A")
    project.add_coding(d1, 0, 30, UNCERT, coder="B")
    project.add_coding(d3, 0, 10, UNCERT, coder="B")
    project.add_coding(d3, 20, 30, RESIL, coder="A")
    project.add_coding(d2, 0, 50, UNCERT, coder="A")  # B never coded R2
    everything = row(project.agreement("A", "B"), UNCERT)
    assert counts(everything) == (30, 60, 10, 80)
    shared = project.agreement("A", "B", double_coded=True)
    assert counts(row(shared, UNCERT)) == (30, 10, 10, 80) and shared.attrs["units_per_code"] == 130
    assert shared.attrs["filters"] == "double-coded"
    passages = project.disagreements("A", "B", LEAD, double_coded=True)
    assert passages[["document", "start", "end", "who"]].values.tolist() == [
        ["a", 30, 40, "A"],
        ["c", 0, 10, "B"],
        ["c", 20, 30, "A"],
    ]


def test_negative_statistics_are_poor_and_show_their_sign():
    # Landis & Koch (1977), Table 1: < 0.00 poor, 0.00-0.20 slight, 0.21-0.40 fair. A
    # negative value is "poor" however small, and never reads 0.00 or -0.00.
    from qualcode.analysis.agreement import strength
    from qualcode.analysis.agreement_report import kappa_cell

    assert [kappa_cell(v) for v in (-0.0031167, -0.0017, -0.0008, -0.00004, -1e-9)] == [
        "-0.003",
        "-0.002",
        "-0.001",
        "-0.00004",
        "< 0",
    ]
    for value in (-0.0031167, -0.0017, -0.0025, -0.12, -1.0):
        assert strength(value) == "poor", value
        assert kappa_cell(value).startswith(("-", "<")), value
    assert kappa_cell(-0.006) == "-0.01" and kappa_cell(-0.11) == "-0.11"
    for value in (0.0, -0.0, 1e-15, -1e-15, 0.004):
        assert kappa_cell(value) == "0.00" and strength(value) == "slight", value
    assert strength(0.204) == "slight" and strength(0.206) == "fair"
    assert strength(0.61) == "substantial" and strength(0.805) == "almost perfect"


def test_demo_negative_kappa_reads_poor_with_its_sign(demo):
    # Career design/Right of choice: coder1 and coder2 never code the same character,
    # kappa = -0.0031 (recomputed here from the 2x2 counts)
    r = run("agreement", demo, "--coders", "coder1,coder2", "--double-coded")
    line = next(x for x in r.output.splitlines() if x.strip().startswith("Right of choice"))
    cells = line.split()
    both, a_only, b_only, neither = (int(c) for c in cells[3:7])
    assert both == 0 and a_only > 0 and b_only > 0
    expected = kappa_reference(both, a_only, b_only, neither)
    assert -0.005 < expected < 0
    assert cells[8] == f"{expected:.3f}" and cells[-1] == "poor"
    assert "0.00" not in cells[8:11] and "-0.00" not in cells[8:11]


def test_agreement_percent_never_rounds_up_to_100(tmp_path):
    # 2499 of 2500 characters agree: 99.96 %, shown 99.9 (not 100.0) in every format
    p = Project.create(tmp_path / "n.qualcode", codebook=load_codebook(PIF), coder="A")
    [doc] = p.add_documents([NewDocument("R1", "interview", "x", text_of(2500))])
    p.add_coding(doc, 0, 1, UNCERT, coder="A")
    p.add_coding(doc, 0, 1, RESIL, coder="B")
    p.close()
    path = tmp_path / "n.qualcode"
    r = run("agreement", path, "--coders", "A,B")
    line = next(x for x in r.output.splitlines() if x.strip().startswith("Uncertainty"))
    assert line.split()[1:6] == ["0", "1", "0", "2499", "99.9"]
    md = run("agreement", path, "--coders", "A,B", "--format", "md").output
    row_md = next(x for x in md.splitlines() if "Uncertainty" in x)
    assert "| 99.9 |" in row_md and "100.0" not in row_md
    tex = run("agreement", path, "--coders", "A,B", "--format", "latex").output
    assert "99.9" in next(x for x in tex.splitlines() if "Uncertainty" in x)
    from qualcode.percent import proportion_text

    assert proportion_text(2499 / 2500) == "99.9" and proportion_text(1.0) == "100.0"
    assert proportion_text(1 / 2500) == "0.1" and proportion_text(0.0) == "0.0"
    assert proportion_text(0.98345) == "98.3" and proportion_text(float("nan")) == "n/a"


def test_xlsx_stores_a_kappa_shown_as_below_zero_as_its_number(tmp_path):
    # A kappa too close below 0 for fixed places reads "< 0" in md, LaTeX and Word. The
    # workbook stored its value with the format "0" (0 places, from the text "< 0"): the
    # cell read 0 or -0, and nothing said it was below 0.
    import openpyxl

    from qualcode.export import render_table

    p = Project.create(tmp_path / "n.qualcode", codebook=load_codebook(PIF), coder="A")
    [doc] = p.add_documents([NewDocument("R1", "interview", "x", text_of(2500))])
    p.add_coding(doc, 0, 1, UNCERT, coder="A")
    p.add_coding(doc, 1, 2, UNCERT, coder="B")
    df = p.agreement("A", "B")
    p.close()
    real = row(df, UNCERT)["kappa"]
    assert -0.001 < real < 0  # no character coded by both: below 0, "-0.0004"
    # as on a corpus of millions of characters: below 0 but too close to it for any places
    df.loc[df["code"] == UNCERT, "kappa"] = -3e-9
    md = render_table(df, "md")
    assert "| &lt; 0 |" in next(x for x in md.splitlines() if "Uncertainty" in x)
    book = openpyxl.load_workbook(io.BytesIO(render_table(df, "xlsx")))
    sheet = book["Table"]
    headers = [c.value for c in sheet[2]]
    cells = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == "Uncertainty")
    kappa = cells[headers.index("Cohen's kappa")]
    assert kappa.value == -3e-9 and kappa.data_type == "n"
    assert kappa.number_format == "0.00E+00"
    assert "< 0" in kappa.comment.text
    assert cells[headers.index("Strength")].value == "poor"
    # a kappa that fixed places show stays as it was: its value, its places
    lead = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == "Leadership")
    shown = lead[headers.index("Cohen's kappa")]
    assert shown.value == pytest.approx(row(df, LEAD)["kappa"]) and shown.comment is None


def test_agreement_paper_exports_name_measure_coders_and_unit(demo, tmp_path):
    with Project.open(demo) as p:
        df = p.agreement("coder1", "coder2", double_coded=True)
    wide = row(df, "Perspective transformation/Wide perspective")
    caption = (
        "Inter-coder agreement of coder1 and coder2 by characters: percent agreement, "
        "Cohen's kappa, Fleiss' kappa and Krippendorff's alpha per code (double-coded)"
    )
    headers = ["Both", "coder1 only", "coder2 only", "Neither", "Agreement (%)"]
    headers += ["Cohen's kappa", "Fleiss' kappa", "Krippendorff's alpha", "Strength"]
    args = ("agreement", demo, "--coders", "coder1,coder2", "--double-coded")
    md = run(*args, "--format", "md").output
    lines = md.splitlines()
    assert lines[0] == f"**{caption}**"
    assert lines[2] == "| " + " | ".join(["Theme / subtheme", *headers]) + " |"
    cells = next(x for x in lines if "Wide perspective" in x).split(" | ")[1:]
    expected_pct = f"{100 * wide['agreement']:.1f}"
    assert cells[:6] == [str(int(wide[c])) for c in ("both", "A_only", "B_only", "neither")] + [
        expected_pct,
        f"{wide['kappa']:.2f}",
    ]
    assert "Cohen's kappa (Cohen 1960)" in md and "Krippendorff's alpha, nominal" in md
    assert "65,683 characters of the 14 documents in scope" in md
    tex = run(*args, "--format", "latex").output
    assert "\\label{tab:agreement}" in tex and "tab:table" not in tex
    assert "A\\_only" not in tex and "fleiss\\_kappa" not in tex
    assert "Krippendorff's alpha" in tex and "coder1 and coder2" in tex
    import docx
    import openpyxl

    out = tmp_path / "agr.docx"
    assert run(*args, "-o", out).exit_code == 0
    paragraphs = [x.text for x in docx.Document(str(out)).paragraphs]
    assert f"Table 1. {caption}" in paragraphs
    header_cells = [c.text for c in docx.Document(str(out)).tables[0].rows[0].cells]
    assert header_cells == ["Theme / subtheme", *headers]
    out = tmp_path / "agr.xlsx"
    assert run(*args, "-o", out).exit_code == 0
    sheet = openpyxl.load_workbook(out)["Table"]
    assert sheet["A1"].value == caption
    assert [c.value for c in sheet[2]] == ["Theme / subtheme", *headers]
    wide_row = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == "Wide perspective")
    assert wide_row[5].value == float(expected_pct) and wide_row[6].value == wide["kappa"]


def test_disagreement_paper_export(demo):
    md = run(
        "disagreements",
        demo,
        "--coders",
        "coder1,coder2",
        "--code",
        "Wide perspective",
        "--format",
        "md",
    ).output
    with Project.open(demo) as p:
        df = p.disagreements("coder1", "coder2", "Wide perspective")
    lines = md.splitlines()
    assert lines[0] == (
        "**Disagreements on Perspective transformation/Wide perspective: passages coded by "
        f"only one of coder1 and coder2 ({len(df)})**"
    )
    assert lines[2] == "| Participant | Document | Characters | Coded by | Passage |"
    first = df.iloc[0]
    assert lines[4].startswith(
        f"| {first['participant']} | {first['document'].replace('_', chr(92) + '_')} | "
        f"{first['start']}-{first['end']} | {first['who']} only | "
    )
    assert len([x for x in lines if x.startswith("| R")]) == len(df)
