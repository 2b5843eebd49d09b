"""Sentence, paragraph and turn units on transcript text: exact boundaries."""

import re

import pytest
from shared_fixtures import FIXTURES, need

from qualcode.nlp.pieces import pieces, split_long, turn_body
from qualcode.nlp.pipeline import BLANK, make_pipeline
from qualcode.segment import paragraph_spans, sentence_spans, topic_shifts, turn_spans

TRANSCRIPT = (
    "[00:00:05] Interviewer: Thank you for coming. Could you tell me about the elective?\n\n"
    "[00:00:12] R3: Sure. Dr. Tanaka said I should go to the U.S. first. I thought... well, maybe. "
    "I was -- I mean, I went in the end. [laughs] It was hard. No. It was very hard.\n\n"
    "[00:01:40] Interviewer: Why?\n\n"
    "[00:01:42] R3: The U.S. system is different. We started at 7 a.m. Then rounds began. "
    "We saw approx. 20 patients, vs. 8 at home.\n"
    "Some days were long -- really long... but I learned a lot.\n\n"
    "[00:02:30] R3: Anyway. (pause) That's it."
)


def _turns(text):
    """Turns as the importer gives them: the whole line, label included."""
    return [
        (m.start(), m.end(), m.group(1))
        for m in re.finditer(r"^\[[\d:]+\] (\w+): .*?(?=\n\n\[|\Z)", text, re.M | re.S)
    ]


def _texts(text, spans):
    return [text[s:e] for s, e in spans]


def test_sentences_of_a_transcript_exact():
    [spans] = sentence_spans([(TRANSCRIPT, _turns(TRANSCRIPT))])
    assert _texts(TRANSCRIPT, spans) == [
        "Thank you for coming.",
        "Could you tell me about the elective?",
        "Sure.",
        "Dr. Tanaka said I should go to the U.S. first.",
        "I thought... well, maybe.",
        "I was -- I mean, I went in the end. [laughs]",
        "It was hard.",
        "No.",
        "It was very hard.",
        "Why?",
        "The U.S. system is different.",
        "We started at 7 a.m.",
        "Then rounds began.",
        "We saw approx. 20 patients, vs. 8 at home.",
        "Some days were long -- really long... but I learned a lot.",
        "Anyway. (pause)",
        "That's it.",
    ]
    first = TRANSCRIPT.index("Thank")
    assert spans[0] == (first, first + len("Thank you for coming."))
    assert spans[-1] == (len(TRANSCRIPT) - len("That's it."), len(TRANSCRIPT))


def test_sentences_never_cross_turns_nor_include_labels():
    turns = _turns(TRANSCRIPT)
    [spans] = sentence_spans([(TRANSCRIPT, turns)])
    bodies = turn_spans(TRANSCRIPT, turns)
    for start, end in spans:
        assert sum(1 for ts, te in bodies if ts <= start and end <= te) == 1
        assert ":" not in TRANSCRIPT[start:end].split(" ")[0]


def test_turn_units_strip_labels_and_timestamps():
    turns = _turns(TRANSCRIPT)
    assert [TRANSCRIPT[s:e][:22] for s, e in turn_spans(TRANSCRIPT, turns)] == [
        "Thank you for coming. ",
        "Sure. Dr. Tanaka said ",
        "Why?",
        "The U.S. system is dif",
        "Anyway. (pause) That's",
    ]
    assert turn_spans(TRANSCRIPT, turns)[2] == (
        TRANSCRIPT.index("Why?"),
        TRANSCRIPT.index("Why?") + 4,
    )


def test_paragraphs_split_on_blank_lines_not_on_single_newlines():
    text = "Interviewer: First line\nwrapped here.\n\nSecond paragraph.\n\n\n  Third."
    turns = [(0, len(text), "Interviewer")]
    assert _texts(text, paragraph_spans(text, turns)) == [
        "First line\nwrapped here.",
        "Second paragraph.",
        "Third.",
    ]
    assert _texts(text, paragraph_spans(text)) == [
        "Interviewer: First line\nwrapped here.",
        "Second paragraph.",
        "Third.",
    ]


@pytest.mark.parametrize(
    "label, body",
    [
        ("[id1] ", "hello, I like the course."),
        ("Interviewer: ", "Why?"),
        ("R12 (00:03:12): ", "Yes."),
        ("[00:03:12] Dr Sato: ", "Fine."),
        ("Mrs O'Brien: ", "Fine."),
    ],
)
def test_turn_body_without_speaker_name(label, body):
    text = label + body
    assert text[slice(*turn_body(text, (0, len(text))))] == body


def test_turn_body_with_speaker_name_keeps_leading_annotation():
    text = "[laughs] Yes, exactly."
    assert text[slice(*turn_body(text, (0, len(text), "R1")))] == text  # label not in the text
    text = "[id2] [laughs] Yes."
    assert text[slice(*turn_body(text, (0, len(text), "id2")))] == "[laughs] Yes."
    text = "Tanaka here, and yes."  # the importer gave the words only: the name is speech
    assert text[slice(*turn_body(text, (0, len(text), "Tanaka")))] == text


def test_documents_without_turns_and_progress():
    calls = []
    docs = ["One sentence. Two sentences!", "", ("Mr. Smith left. Etc.", None)]
    result = sentence_spans(docs, progress=lambda done, total: calls.append((done, total)))
    assert [_texts(d if isinstance(d, str) else d[0], r) for d, r in zip(docs, result)] == [
        ["One sentence.", "Two sentences!"],
        [],
        ["Mr. Smith left.", "Etc."],
    ]
    assert calls[-1] == (3, 3)


def test_qualcoder_transcript_fixture():
    path = need(FIXTURES / "transcripts" / "qualcoder-examples" / "transcript.txt")
    text = path.read_text(encoding="utf-8")
    turns = [(m.start(), m.end(), m.group(1)) for m in re.finditer(r"^\[(id\d)\].*$", text, re.M)]
    [spans] = sentence_spans([(text, turns)])
    sentences = _texts(text, spans)
    assert len(turns) == 7 and len(sentences) == 16
    assert sentences[4:7] == [
        "No.",
        "I think the slides are OK but I don't like all the assignments.",
        "I think there were too many for the short semester period.",
    ]
    assert not any(s.startswith("[id") for s in sentences)


def test_long_pieces_are_cut_at_line_breaks_and_map_back():
    text = "\n".join(f"Line {i} says something." for i in range(400))
    spans = split_long(text, 0, len(text), 1000)
    assert all(e - s <= 1000 for s, e in spans)
    assert "".join(text[s:e] + "\n" for s, e in spans) == text + "\n"
    [sentences] = sentence_spans([text])
    assert len(sentences) == 400 and text[slice(*sentences[123])] == "Line 123 says something."


def test_japanese_pieces_and_sentences():
    pytest.importorskip("sudachipy")
    text = (
        "インタビュアー：どうでしたか。\n\nR1：病院で働いていました。とても大変でした！本当に？" * 1
    )
    turns = [(0, text.index("\n\n"), "インタビュアー"), (text.index("R1"), len(text), "R1")]
    [spans] = sentence_spans([(text, turns)], lang="ja")
    assert _texts(text, spans) == [
        "どうでしたか。",
        "病院で働いていました。",
        "とても大変でした！",
        "本当に？",
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a quote or note mark opened after 。 starts the next sentence
        ("反映されている。「新作」シリーズだ。", ["反映されている。", "「新作」シリーズだ。"]),
        (
            "入った。“学会”の話。好きです。※年度",
            ["入った。", "“学会”の話。", "好きです。", "※年度"],
        ),
        ("『猫』を読んだ。『犬』も。", ["『猫』を読んだ。", "『犬』も。"]),
        # a quote closed after 。 stays in its sentence
        ("「はい。」と言った。次に行った。", ["「はい。」と言った。", "次に行った。"]),
    ],
)
def test_japanese_quotes_with_the_rules(text, expected):
    pytest.importorskip("sudachipy")
    [spans] = sentence_spans([text], lang="ja", nlp=make_pipeline("ja", BLANK))
    assert _texts(text, spans) == expected


def test_japanese_long_document_stays_under_sudachi_limit():
    long_turn = "私は病院で働いていました。" * 5000  # 65,000 characters, 195,000 bytes
    spans = pieces(long_turn, None, "ja")
    assert len(spans) > 5 and all(len(long_turn[s:e].encode()) < 49149 for s, e in spans)
    assert spans[0][0] == 0 and spans[-1][1] == len(long_turn)
    assert all(long_turn[e - 1] == "。" for s, e in spans)


def test_topic_shifts_propose_the_change_of_subject():
    cooking = [
        "We chopped onion and garlic in the kitchen.",
        "The soup needed more garlic and salt.",
        "My mother baked bread with flour and butter.",
        "The oven was too hot for the bread.",
        "We made a sauce with onion, butter and pepper.",
    ]
    travel = [
        "The flight left the airport late.",
        "My passport and visa were checked at the border.",
        "The train to the hotel was delayed.",
        "I lost my luggage at the airport.",
        "The ticket for the flight was expensive.",
    ]
    text = " ".join(cooking + travel)
    spans, pos = [], 0
    for s in cooking + travel:
        start = text.index(s, pos)
        spans.append((start, start + len(s)))
        pos = start + len(s)
    # 90 words: far below the defaults' 600-word gap, so ask for a small one
    shifts = topic_shifts(text, spans, words_per_topic=90, min_gap_words=20)
    assert [(s.offset, s.strength) for s in shifts] == [(text.index("The flight"), 1.0)]
    assert topic_shifts(text, spans) == []  # with the defaults: too short for two topics


def test_japanese_document_longer_than_sudachi_accepts():
    pytest.importorskip("sudachipy")
    text = "私は病院で働いていました。" * 5000  # 195,000 bytes: SudachiPy alone refuses it
    # the blank pipeline: ja_ginza, where installed, takes 80 s on this (the pieces are the same)
    [spans] = sentence_spans([text], lang="ja", nlp=make_pipeline("ja", BLANK))
    assert len(spans) == 5000 and spans[4321] == (4321 * 13, 4322 * 13)


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            'Always ask "how do you know?", and let them ask you.',
            ['Always ask "how do you know?", and let them ask you.'],
        ),
        ('"Why?" he asked. I had no answer.', ['"Why?" he asked.', "I had no answer."]),
        ("We paid rent, food, etc. Then we left.", ["We paid rent, food, etc.", "Then we left."]),
        (
            "I worked in the U.S. Then I moved. The U.S. Army was there.",
            ["I worked in the U.S.", "Then I moved.", "The U.S. Army was there."],
        ),
        (
            "It took approx. 5 weeks. Room No. 5 was mine. No. It was not.",
            ["It took approx. 5 weeks.", "Room No. 5 was mine.", "No.", "It was not."],
        ),
        (
            "Prof. Lee and Mrs. Ito came at 7 a.m. We started.",
            ["Prof. Lee and Mrs. Ito came at 7 a.m.", "We started."],
        ),
        ("Yes! (laughs) Okay. [pause] So.", ["Yes! (laughs)", "Okay. [pause]", "So."]),
        ("Fine. [inaudible 00:12:31] We went.", ["Fine. [inaudible 00:12:31]", "We went."]),
        ("It was... I don't know... strange.", ["It was... I don't know... strange."]),
        ("So I was like-- what? and then-- Yes.", ["So I was like-- what?", "and then-- Yes."]),
        # an opening quote after the period starts the next sentence, not ends this one
        ('He left. "Why not?" she asked.', ["He left.", '"Why not?" she asked.']),
        ('I said "go." Then he went.', ['I said "go."', "Then he went."]),
        (
            "It ended. \u201cNever again,\u201d she said.",
            ["It ended.", "\u201cNever again,\u201d she said."],
        ),
    ],
)
def test_hard_cases(text, expected):
    [spans] = sentence_spans([text])
    assert _texts(text, spans) == expected
