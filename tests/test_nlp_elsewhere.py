"""Sentences segmented in a child process (the workbench's worker) are those segmented
in this one, with progress passed back; a pipeline that cannot load is a clear error."""

import pytest

from qualcode.nlp.elsewhere import SegmenterError, SegmenterProcess
from qualcode.segment import sentence_spans

TEXT = (
    "Interviewer: Dr. Tanaka said what?\n\n"
    "R1: Dr. Tanaka said it was fine. I went to the U.S. anyway. It was hard.\n\n"
)
TURNS = [(13, 34, "Interviewer"), (40, 108, "R1")]


def test_a_child_process_segments_as_this_one_and_reports_progress():
    docs = [(TEXT, TURNS), "One sentence here. Another one there.\n\nA third."]
    here = sentence_spans(docs, "en")
    assert here[0] == [(13, 34), (40, 68), (69, 95), (96, 108)]  # "Dr.", "U.S." hold
    seen: list[tuple[int, int]] = []
    with SegmenterProcess("en") as child:
        assert child.spans(docs, lambda done, total: seen.append((done, total))) == here
        assert child.spans(["Again. Twice."]) == [[(0, 6), (7, 13)]]  # one load, many jobs
    total = len(TEXT) + len(docs[1])
    assert seen[-1] == (total, total)


def test_a_pipeline_that_cannot_load_is_a_clear_error():
    with SegmenterProcess("qz") as child:  # no such spaCy language
        with pytest.raises(SegmenterError, match="sentence segmentation failed: .*'qz'"):
            child.spans(["A sentence."])
