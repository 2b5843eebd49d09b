"""Project-wide search: the facade against plain re.finditer, the filters, and the CLI."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.cli import main
from qualcode.facade.search import SearchError, compile_pattern
from qualcode.models import NewDocument
from tests.conftest import R7_TEXT

R2_TEXT = "Interviewer: Tell me.\n\nR2: The icu at night. The ICU by day; icu again."


@pytest.fixture
def two(r7_project):
    r7_project.add_documents(
        [NewDocument("R2", "report", "R2 report", R2_TEXT, "R2.txt", "sha-r2", "utf-8", ())]
    )
    return r7_project


def test_hits_are_every_match_in_document_order_with_context(two):
    result = two.search_project("icu", context=5)
    want = [m.span() for m in re.finditer("icu", R2_TEXT, re.I)]
    r7 = [m.span() for m in re.finditer("icu", R7_TEXT, re.I)]
    assert [(h.participant, h.start, h.end) for h in result.hits] == [("R2", *s) for s in want] + [
        ("R7", *s) for s in r7
    ]  # R2 before R7: participants in natural order
    first = result.hits[0]
    assert (first.before, first.match, first.after) == (
        R2_TEXT[first.start - 5 : first.start],
        "icu",
        " at n",
    )
    assert (result.total, result.documents, result.matched) == (4, 2, 2)


def test_case_regex_and_limit(two):
    assert [h.match for h in two.search_project("ICU", case_sensitive=True).hits] == ["ICU", "ICU"]
    hits = two.search_project(r"\bI\w+", regex=True, case_sensitive=True).hits
    assert [h.match for h in hits] == re.findall(r"\bI\w+", R2_TEXT) + re.findall(
        r"\bI\w+", R7_TEXT
    )
    limited = two.search_project("icu", limit=1)
    assert len(limited.hits) == 1 and limited.total == 4
    assert two.search_project("a.b").total == 0  # plain text: the dot is a dot


def test_filters_by_kind_participant_and_code(two):
    assert {
        h.participant
        for h in two.search_project("icu", filters=_filters(kinds=("interview",))).hits
    } == {"R7"}
    assert {
        h.participant
        for h in two.search_project("icu", filters=_filters(participants=("r2",))).hits
    } == {"R2"}
    doc = two.documents(participant="R2")[0].id
    code = next(c for c in two.codes() if c.shortcut == "1")
    start = R2_TEXT.index("The ICU by day")
    two.add_coding(doc, start, start + len("The ICU by day"), code.id)
    hits = two.search_project("icu", code=code.id).hits
    assert [(h.participant, h.start) for h in hits] == [("R2", start + 4)]
    with pytest.raises(Exception, match="no participant 'R99'"):
        two.search_project("icu", filters=_filters(participants=("R99",)))


def _filters(**kw):
    from qualcode.analysis import Filters

    return Filters(**kw)


@pytest.mark.parametrize("pattern, regex", [("", False), ("(", True), ("x*", True), ("^", True)])
def test_bad_patterns_are_one_line_errors(pattern, regex):
    with pytest.raises(SearchError):
        compile_pattern(pattern, regex)


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet="abcAB \n", max_size=60),
    needle=st.text(alphabet="abAB", min_size=1, max_size=3),
)
def test_plain_search_finds_what_re_finds(text, needle):
    compiled = compile_pattern(needle)
    assert [m.span() for m in compiled.finditer(text)] == [
        m.span() for m in re.finditer(re.escape(needle), text, re.I)
    ]


def test_cli_lists_hits_with_context_and_writes_csv(two, tmp_path):
    path = two.path
    two.close()
    runner = CliRunner()
    result = runner.invoke(
        main, ["search", str(path), "icu", "--participants", "R2", "--context", "4"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = R2_TEXT.lower().index("icu")
    assert lines[0] == f"R2 · report · R2 report  {start}-{start + 3}"
    assert lines[1] == "  …The [icu] at …"
    assert lines[-1] == "3 hits in 1 of 1 document"
    out = tmp_path / "hits.csv"
    result = runner.invoke(main, ["search", str(path), "icu", "-o", str(out)])
    import pandas as pd

    df = pd.read_csv(out)
    assert list(df["match"]) == ["icu", "ICU", "icu", "ICU"] and list(df["participant"]) == [
        "R2"
    ] * 3 + ["R7"]
    bad = runner.invoke(main, ["search", str(path), "(", "--regex"])
    assert bad.exit_code == 1 and bad.stderr.startswith("error: not a regular expression")
