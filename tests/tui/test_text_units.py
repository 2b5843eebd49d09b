from qualcode.text_units import fallback_units, speaker_label

TEXT = (
    "Interviewer: Hello there. How are you?\nR7: I am fine [laughs]. Kraków was great...\n\nZoë: ok"
)


def spans_text(spans):
    return [TEXT[a:b] for a, b in spans]


def test_sentences_skip_speaker_labels():
    assert spans_text(fallback_units(TEXT)["sentence"]) == [
        "Hello there.",
        "How are you?",
        "I am fine [laughs].",
        "Kraków was great...",
        "ok",
    ]


def test_turns_and_paragraphs():
    units = fallback_units(TEXT)
    assert spans_text(units["turn"]) == [
        "Hello there. How are you?",
        "I am fine [laughs]. Kraków was great...",
        "ok",
    ]
    assert spans_text(units["paragraph"])[1] == "Zoë: ok"
    assert fallback_units("A: x\nB: y")["paragraph"] == fallback_units("A: x\nB: y")["turn"]


def test_speaker_label():
    assert speaker_label("R7: yes") == (0, 3)
    assert speaker_label("Dr. Smith: yes") == (0, 10)
    assert speaker_label("It was: a time") == (0, 7)  # short prefixes look like labels
    assert speaker_label("no label here") is None
