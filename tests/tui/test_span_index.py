from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.tui.span_index import DocSpan, SpanIndex
from qualcode.tui.text_layout import compute_line_starts

TEXT = "one two\nthree four five\n\nsix seven\neight"


@given(
    st.lists(st.tuples(st.integers(0, len(TEXT) - 1), st.integers(1, 20)), max_size=25),
    st.integers(0, len(TEXT) - 1),
    st.integers(1, 15),
    st.data(),
)
@settings(max_examples=200, deadline=None)
def test_index_matches_brute_force(raw, start, length, data):
    spans = [
        DocSpan(i + 1, s, min(s + n, len(TEXT)), "#ffffff", i % 3) for i, (s, n) in enumerate(raw)
    ]
    index = SpanIndex(compute_line_starts(TEXT))
    index.reset(spans[: len(spans) // 2])
    for span in spans[len(spans) // 2 :]:
        index.add(span)
    removed = {s.id for s in spans if data.draw(st.booleans())}
    for span_id in removed:
        index.remove(span_id)
    alive = [s for s in spans if s.id not in removed]
    end = start + length
    assert {s.id for s in index.overlapping(start, end)} == {
        s.id for s in alive if s.start < end and s.end > start
    }
    after = sorted((s for s in alive if s.start > start), key=lambda s: (s.start, s.id))
    assert index.next_from(start, 1) == (after[0] if after else None)
    before = sorted((s for s in alive if s.start < start), key=lambda s: (s.start, s.id))
    assert index.next_from(start, -1) == (before[-1] if before else None)
