"""Word counts (qualcode.words): each CJK character a word, elsewhere words between spaces;
the same count in the project's stored figures (info), the speakers and the workbench."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.models import NewDocument, Segment
from qualcode.project import Project
from qualcode.words import count_words


def reference(text: str) -> int:
    """The rule in plain Python, a character at a time, from Unicode character names."""
    words, in_word, has_letter = 0, False, False
    for ch in text + " ":
        name = unicodedata.name(ch, "")
        cjk = ("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH", "HIRAGANA", "KATAKANA")
        if name.startswith((*cjk, "HALFWIDTH KATAKANA")) or ch == "々":
            words += 1  # one word each; it also ends the run before it
            words += 1 if in_word and has_letter else 0
            in_word, has_letter = False, False
        elif ch.isspace():
            words += 1 if in_word and has_letter else 0
            in_word, has_letter = False, False
        else:
            in_word = True
            has_letter = has_letter or ch.isalnum() or ch == "_"
    return words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        ("   \n\n ", 0),
        ("Hello world", 2),
        ("I went — well, you know.", 5),  # a lone dash is not a word
        ("日本語です。", 5),  # 日 本 語 で す; 。 is not a word
        ("私はICUで働いています。", 10),  # 私 は ICU で 働 い て い ま す
        ("AIの研究", 4),
        ("カタカナとｶﾀｶﾅ", 9),  # full- and half-width Katakana
        ("人々", 2),
        ("한국어 문장 입니다", 3),  # Korean is written with spaces
        ("café au lait at 6 a.m.", 6),
        ("我们在医院工作", 7),
    ],
)
def test_count_words_table(text, words):
    assert count_words(text) == words
    assert reference(text) == words


cjk_or_latin = st.text(
    alphabet=st.sampled_from(list("abc xyZ19—.,。、\n日本語の研究カタカナーｶﾀ・人々한국 é")),
    max_size=60,
)


@given(cjk_or_latin)
def test_count_words_matches_the_reference(text):
    assert count_words(text) == reference(text)


JA = "Interviewer: お名前は？\nR1: 私は東京の病院で働いています。\nR1: Yes, I do."


def test_info_speakers_and_stored_counts_use_the_same_rule(tmp_path):
    turns = [
        (m, JA.index(m)) for m in ("お名前は？", "私は東京の病院で働いています。", "Yes, I do.")
    ]
    segments = tuple(
        Segment(start - len(label), start + len(body), "turn", label.rstrip(": "))
        for (body, start), label in zip(turns, ("Interviewer: ", "R1: ", "R1: "))
    )
    with Project.create(tmp_path / "ja.qualcode", coder="t") as p:
        p.add_documents([NewDocument("R1", "interview", "R1 ja", JA, segments=segments)])
        # Interviewer: お 名 前 は / R1: 私 は 東 京 の 病 院 で 働 い て い ま す / R1: Yes, I do.
        assert p.summary()["words"] == count_words(JA) == 1 + 4 + 1 + 14 + 1 + 3
        rows = {r.speaker: r.words for r in p.speakers()}
        assert rows == {"Interviewer": 4, "R1": 14 + 3}  # the labels left out
