"""Sentences segmented in a child process (the workbench's worker) are those segmented
in this one, with progress passed back; a pipeline that cannot load is a clear error."""

import threading

import pytest

from qualcode.nlp.elsewhere import SegmenterError, SegmenterProcess, SegmenterStopped
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


def test_a_stop_ends_the_child_in_the_middle_of_a_job():
    # quitting the workbench must not wait for a long batch to finish
    started = threading.Event()
    docs = ["A short sentence here. " * 4000] * 30  # 30 documents, reported one by one
    child = SegmenterProcess("en", stop=started.is_set)
    with pytest.raises(SegmenterStopped):
        child.spans(docs, lambda done, total: started.set())
    assert started.is_set() and not child._process.is_alive()
    child.close()  # closing a stopped segmenter is harmless


def test_a_segmenter_stopped_before_it_waits_never_segments():
    child = SegmenterProcess("en", stop=lambda: True)
    seen = []
    with pytest.raises(SegmenterStopped):
        child.spans(["One. Two."], lambda done, total: seen.append(done))
    assert seen == [] and not child._process.is_alive()
