"""Turns and paragraphs of many texts: the worker processes give exactly what this
process gives (the sample corpus, written for qualcode, and texts with timestamps)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from qualcode.ingest import structure as st
from qualcode.ingest.formats import read_source

ROOT = Path(__file__).resolve().parents[1]


def rows(packed):
    return [(s.start, s.end, s.kind, s.speaker, s.t_start, s.t_end) for s in packed]


@pytest.fixture
def texts() -> list[str]:
    files = sorted((ROOT / "sample_transcripts" / "interviews").iterdir())
    found = [read_source(f).text for f in files if f.suffix in (".txt", ".md", ".docx")]
    found.append("[00:00:05] Interviewer: Hello.\n[00:00:09] R1: Hi there.\n\nNot a turn.\n")
    found.append("")
    assert len(found) > 10
    return found


def test_workers_give_what_this_process_gives(texts, monkeypatch):
    monkeypatch.setattr(st, "PARALLEL_MIN_CHARS", 0)
    here = st.structures(texts, workers=1)
    there = st.structures(texts, workers=2)
    assert [rows(p) for p in there] == [rows(p) for p in here]
    assert sum(1 for p in here for s in p if s.kind == "turn") > 100
    assert any(s.t_start == 5.0 for p in here for s in p)


def test_a_failing_worker_falls_back_to_this_process(texts, monkeypatch):
    monkeypatch.setattr(st, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    there = st.structures(texts, workers=2)
    assert [rows(p) for p in there] == [rows(p) for p in st.structures(texts, workers=1)]


def test_document_rows_are_the_segment_rows_with_their_document(texts):
    from qualcode.models import Segment, document_segment_rows, segment_rows

    packed = [st.structure(text) for text in texts]
    plain = [Segment(0, 4, "sentence", "R1"), Segment(5, 9, "sentence", None, 1.5, None)]
    pairs = [(n + 10, p) for n, p in enumerate(packed)] + [(99, plain)]
    expected = [(d, *row) for d, segments in pairs for row in segment_rows(segments)]
    assert list(document_segment_rows(pairs)) == expected
    assert any(row[5] == 5.0 for row in expected)  # timed turns among untimed ones
    assert expected[-1] == (99, 5, 9, "sentence", None, 1.5, None)
