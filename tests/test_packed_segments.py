"""PackedSegments gives back exactly the segments it was given (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.models import SEGMENT_KINDS, PackedSegments, Segment, segment_rows

times = st.none() | st.floats(min_value=0, max_value=1e6, allow_nan=False)
segments = st.builds(
    Segment,
    st.integers(0, 2**40),
    st.integers(0, 2**40),
    st.sampled_from(SEGMENT_KINDS),
    st.none() | st.text(max_size=12),
    times,
    times,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(segments, max_size=40))
def test_packed_segments_round_trip(given_segments):
    packed = PackedSegments(given_segments)
    assert len(packed) == len(given_segments)
    assert list(packed) == given_segments
    assert [packed[i] for i in range(-len(packed), 0)] == given_segments
    assert list(packed[1:-1]) == given_segments[1:-1]
    plain = [(s.start, s.end, s.kind, s.speaker, s.t_start, s.t_end) for s in given_segments]
    assert list(segment_rows(packed)) == plain
    assert list(segment_rows(given_segments)) == plain


def test_packed_segments_refuse_an_unknown_kind_and_out_of_range_index():
    with pytest.raises(ValueError):
        PackedSegments([Segment(0, 1, "word")])
    with pytest.raises(IndexError):
        PackedSegments([Segment(0, 1, "turn")])[1]
