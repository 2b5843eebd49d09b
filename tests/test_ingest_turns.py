"""Speaker-turn and paragraph detection on normalised text, one layout at a time."""

from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.ingest import detect_turns, find_paragraphs
from qualcode.ingest.turns import strip_span


def spoken(text):
    return [(t.speaker, text[t.start : t.end]) for t in detect_turns(text)]


def test_colon_labels_with_multiline_turns():
    text = (
        "Interview 3, 12 May\n\n"
        "Interviewer: How did it start?\n\n"
        "R7: It started in Kenya.\nThen I went home.\n\n"
        "Interviewer:\n  And after that?  \n\n"
        "R7: Nothing much.\n"
    )
    assert spoken(text) == [
        ("Interviewer", "How did it start?"),
        ("R7", "It started in Kenya.\nThen I went home."),
        ("Interviewer", "And after that?"),
        ("R7", "Nothing much."),
    ]


def test_turn_offsets_point_after_the_label():
    text = "Q: Why?\nA: Because."
    turns = detect_turns(text)
    assert [(t.start, t.end, t.speaker) for t in turns] == [(3, 7, "Q"), (11, 19, "A")]
    assert all(t.t_start is None and t.t_end is None for t in turns)


def test_titled_names_with_and_without_dot_single_spaced():
    text = "Interviewer: Welcome.\nDr Tanaka: Thank you.\nInterviewer: Shall we?\nDr. Tanaka: Yes."
    assert spoken(text) == [
        ("Interviewer", "Welcome."),
        ("Dr Tanaka", "Thank you."),
        ("Interviewer", "Shall we?"),
        ("Dr. Tanaka", "Yes."),
    ]


def test_capitalised_one_off_name_accepted_once_turns_are_established():
    text = "Moderator: Hello all.\n\nMaria Lopez: Hi.\n\nR2: Hello.\n\nModerator: Let's begin."
    assert [s for s, _ in spoken(text)] == ["Moderator", "Maria Lopez", "R2", "Moderator"]


def test_bracket_ids_qualcoder_style():
    text = "[id1] hello, I like it.\n\n[id2] I am struggling.\n\n[id1] me too"
    assert spoken(text) == [
        ("id1", "hello, I like it."),
        ("id2", "I am struggling."),
        ("id1", "me too"),
    ]


def test_markdown_bold_labels_both_placements():
    text = "# Interview\n\n**Interviewer:** How was it?\n\n**Ana Silva**: Good.\n\n**Interviewer:** Why?"
    assert spoken(text) == [
        ("Interviewer", "How was it?"),
        ("Ana Silva", "Good."),
        ("Interviewer", "Why?"),
    ]


def test_transcription_service_headers_name_then_time():
    text = (
        "Speaker 1  00:01:23\nSo tell me about the elective.\nIt was long.\n\n"
        "Speaker 2  00:01:30\nIt was in Brazil.\n"
    )
    turns = detect_turns(text)
    assert [(t.speaker, t.t_start, text[t.start : t.end]) for t in turns] == [
        ("Speaker 1", 83.0, "So tell me about the elective.\nIt was long."),
        ("Speaker 2", 90.0, "It was in Brazil."),
    ]


def test_transcription_service_headers_bracketed_and_time_first():
    text = "John Smith (00:12)\nHello there.\nMary Jones (01:05.5)\nHi John.\n00:02:00 Interviewer\nOK."
    turns = detect_turns(text)
    assert [(t.speaker, t.t_start) for t in turns] == [
        ("John Smith", 12.0),
        ("Mary Jones", 65.5),
        ("Interviewer", 120.0),
    ]
    assert text[turns[1].start : turns[1].end] == "Hi John."


def test_timestamp_before_or_after_a_colon_label():
    text = "[00:00:05] Interviewer: Ready?\n[00:00:09] R3: Yes.\nR3 (00:00:12): Go on."
    turns = detect_turns(text)
    assert [(t.speaker, t.t_start, text[t.start : t.end]) for t in turns] == [
        ("Interviewer", 5.0, "Ready?"),
        ("R3", 9.0, "Yes."),
        ("R3", 12.0, "Go on."),
    ]


def test_qc_demo_style_wide_padding_after_label():
    text = "Interviewer:         All right. So,\nstart with it.\n\nAdmin:          Okay. So,\nit began."
    assert spoken(text) == [
        ("Interviewer", "All right. So,\nstart with it."),
        ("Admin", "Okay. So,\nit began."),
    ]


def test_prose_with_colons_has_no_turns():
    text = (
        "Note: this report was written after the elective.\n"
        "The plan was simple: work hard and listen.\n"
        "What I learned in the emergency department of a big hospital: a lot.\n"
        "Here is what I saw there: poverty.\n"
        "Date: 12 March 2024\n"
        "1: first point\n"
        "[laughs] that was funny\n"
        "Methodology: interviews\n"
    )
    assert detect_turns(text) == []


def test_long_label_over_40_chars_is_not_a_speaker():
    name = "Abcdefghij Klmnopqrst Uvwxyzabcd Efghijklmn"  # 4 words, 43 chars
    text = f"{name}: hello\n{name}: again\n"
    assert detect_turns(text) == []


def test_hard_wrapped_line_starting_with_word_colon_stays_in_the_turn():
    text = (
        "Interviewer: Where did you go?\n\n"
        "R4: I went to a rural clinic in\nKenya: it was very far from the city.\n\n"
        "Interviewer: And then?\n"
    )
    assert spoken(text) == [
        ("Interviewer", "Where did you go?"),
        ("R4", "I went to a rural clinic in\nKenya: it was very far from the city."),
        ("Interviewer", "And then?"),
    ]


def test_text_before_the_first_label_is_no_turn_and_empty_turns_are_skipped():
    text = "Title line\nR1:\nR2: words"
    assert spoken(text) == [("R2", "words")]


def test_stage_directions_in_brackets_are_not_speakers():
    text = "[id1] hi\n[inaudible] something\n[id2] bye"
    assert spoken(text) == [("id1", "hi\n[inaudible] something"), ("id2", "bye")]


def test_paragraphs_are_runs_of_non_blank_lines():
    text = "\n  First line\nsecond line  \n\n   \nThird\n\n"
    spans = find_paragraphs(text)
    assert [text[s:e] for s, e in spans] == ["First line\nsecond line", "Third"]


def test_no_paragraphs_in_blank_text():
    assert find_paragraphs("\n \n\t\n") == []


_labels = st.sampled_from(["Interviewer", "R7", "Dr Tanaka", "Q", "A", "P12", "Speaker 2"])
_words = st.lists(
    st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd")), min_size=1, max_size=8),
    min_size=1,
    max_size=12,
).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(_labels, _words), min_size=1, max_size=8), st.sampled_from(["\n", "\n\n"])
)
def test_generated_colon_transcripts_give_back_their_turns(pairs, separator):
    text = separator.join(f"{label}: {words}" for label, words in pairs)
    assert spoken(text) == pairs


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["id1", "id2", "id3"]), _words), min_size=1, max_size=8))
def test_generated_bracket_transcripts_give_back_their_turns(pairs):
    text = "\n\n".join(f"[{label}] {words}" for label, words in pairs)
    assert spoken(text) == pairs


_line = st.one_of(
    st.text(max_size=60),
    st.builds(lambda l, w: f"{l}: {w}", _labels, st.text(max_size=30)),
    st.builds(lambda l, w: f"[{l}] {w}", st.sampled_from(["id1", "R2"]), st.text(max_size=30)),
    st.just(""),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_line, max_size=12).map("\n".join))
def test_turn_offsets_lie_in_the_text_in_order_after_their_label(text):
    previous_end = 0
    for turn in detect_turns(text):
        assert previous_end <= turn.start < turn.end <= len(text)
        chunk = text[turn.start : turn.end]
        assert chunk == chunk.strip()
        # The label stands between the previous turn's words and this turn's words.
        assert turn.speaker in text[previous_end : turn.start]
        previous_end = turn.end


def test_japanese_full_width_colon_labels():
    text = "インタビュアー：病院ではどうでしたか。\n田中：忙しかったです。\n大変でした。\nインタビュアー：なるほど。\n佐藤先生: そうですね。"
    assert spoken(text) == [
        ("インタビュアー", "病院ではどうでしたか。"),
        ("田中", "忙しかったです。\n大変でした。"),
        ("インタビュアー", "なるほど。"),
        ("佐藤先生", "そうですね。"),
    ]


def test_japanese_sentence_with_colon_is_not_a_label():
    assert detect_turns("結論としては：とても良い経験でした。\n以上です。") == []


def test_abbreviations_are_not_speakers_but_ie_interviewee_is():
    assert detect_turns("e.g.: one thing\ni.e.: another\nNB: careful") == []
    assert spoken("IR: Hello?\nIE: Hi.") == [("IR", "Hello?"), ("IE", "Hi.")]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t\n\u00a0\u3000ab", max_size=20), st.data())
def test_strip_span_matches_a_character_loop(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    expect_start, expect_end = start, end
    while expect_start < expect_end and text[expect_start].isspace():
        expect_start += 1
    while expect_end > expect_start and text[expect_end - 1].isspace():
        expect_end -= 1
    assert strip_span(text, start, end) == (expect_start, expect_end)
