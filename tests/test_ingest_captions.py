"""WebVTT and SRT subtitles: timed turns rendered as "Speaker: words" paragraphs."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.errors import ImportError_
from qualcode.ingest import read_source

VTT = """WEBVTT
Kind: captions

NOTE exported by a meeting tool

STYLE
::cue { color: yellow }

1
00:00:01.000 --> 00:00:04.500 align:start
<v Interviewer>Where did you do your elective?</v>

2
00:00:05.000 --> 00:00:07.250
<v.loud Dr Tanaka>In <i>Brazil</i>, at a &amp; clinic.

3
00:00:07.300 --> 00:00:09.000
<v Dr Tanaka><c.yellow>It was</c> <00:00:08.000>hot.

00:01:10.000 --> 00:01:12.000
<v Interviewer>Thanks.
"""


def test_vtt_voices_merge_and_timestamps(tmp_path):
    path = tmp_path / "R9.vtt"
    path.write_text(VTT, encoding="utf-8")
    source = read_source(path)
    assert source.encoding == "utf-8"
    assert source.text == (
        "Interviewer: Where did you do your elective?\n\n"
        "Dr Tanaka: In Brazil, at a & clinic. It was hot.\n\n"
        "Interviewer: Thanks."
    )
    got = [(t.speaker, source.text[t.start : t.end], t.t_start, t.t_end) for t in source.turns]
    assert got == [
        ("Interviewer", "Where did you do your elective?", 1.0, 4.5),
        ("Dr Tanaka", "In Brazil, at a & clinic. It was hot.", 5.0, 9.0),
        ("Interviewer", "Thanks.", 70.0, 72.0),
    ]
    assert [source.text[s:e] for s, e in source.paragraphs] == source.text.split("\n\n")


def test_vtt_two_voices_in_one_cue_and_ruby(tmp_path):
    path = tmp_path / "ja.vtt"
    path.write_text(
        "WEBVTT\n\n00:00.000 --> 00:02.000\n<v A>はい。</v>\n<v B><ruby>病院<rt>びょういん</rt></ruby>です。</v>\n",
        encoding="utf-8",
    )
    source = read_source(path)
    assert source.text == "A: はい。\n\nB: 病院です。"
    assert [(t.speaker, t.t_start, t.t_end) for t in source.turns] == [
        ("A", 0.0, 2.0),
        ("B", 0.0, 2.0),
    ]


def test_vtt_cues_without_speaker_stay_separate(tmp_path):
    path = tmp_path / "plain.vtt"
    path.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nFirst line\nwraps here\n\n"
        "00:00:03.000 --> 00:00:04.000\nSecond cue\n",
        encoding="utf-8",
    )
    source = read_source(path)
    assert source.text == "First line wraps here\n\nSecond cue"
    assert [(t.speaker, source.text[t.start : t.end], t.t_start) for t in source.turns] == [
        (None, "First line wraps here", 1.0),
        (None, "Second cue", 3.0),
    ]


SRT = """1
00:00:01,000 --> 00:00:03,000
Interviewer: How long were you there?

2
00:00:03,500 --> 00:00:06,000
R12: Six weeks,
in <i>Zambia</i>.

3
00:00:06,100 --> 00:00:08,000
R12: It changed me.

4
00:00:09,000 --> 00:00:10,000
{\\an8}Note: background noise
"""


def test_srt_name_prefix_merge_and_tags(tmp_path):
    path = tmp_path / "R12.srt"
    path.write_bytes(SRT.replace("\n", "\r\n").encode("cp1252"))
    source = read_source(path)
    assert source.encoding == "utf-8"  # ASCII-only, so strict UTF-8 succeeds first
    assert source.text == (
        "Interviewer: How long were you there?\n\n"
        "R12: Six weeks, in Zambia. It changed me.\n\n"
        "Note: background noise"
    )
    got = [(t.speaker, source.text[t.start : t.end], t.t_start, t.t_end) for t in source.turns]
    assert got == [
        ("Interviewer", "How long were you there?", 1.0, 3.0),
        ("R12", "Six weeks, in Zambia. It changed me.", 3.5, 8.0),
        (None, "Note: background noise", 9.0, 10.0),
    ]


def test_srt_in_cp1252_keeps_accents(tmp_path):
    path = tmp_path / "fr.srt"
    path.write_bytes(
        "1\r\n00:00:01,000 --> 00:00:02,000\r\nRenée: Très bien, merci\r\n".encode("cp1252")
    )
    source = read_source(path)
    assert source.encoding == "cp1252"
    assert source.text == "Renée: Très bien, merci"
    assert source.turns[0].speaker == "Renée"


def test_vtt_without_header_is_refused(tmp_path):
    path = tmp_path / "bad.vtt"
    path.write_text("00:00:01.000 --> 00:00:02.000\nhello\n", encoding="utf-8")
    with pytest.raises(ImportError_, match=r"^bad\.vtt: not a WebVTT file"):
        read_source(path)


def test_srt_without_cues_is_refused(tmp_path):
    path = tmp_path / "nocues.srt"
    path.write_text("just some text\nno timings\n", encoding="utf-8")
    with pytest.raises(ImportError_, match=r"^nocues\.srt: no subtitle cues with text found"):
        read_source(path)


_cue_words = st.lists(
    st.sampled_from(["yes", "Café", "no,", "東京", "it's", "well."]), min_size=1, max_size=6
).map(" ".join)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([None, "Ana", "R7", "Dr Tanaka"]), _cue_words),
        min_size=1,
        max_size=10,
    )
)
def test_rendered_vtt_turns_hold_exactly_the_cue_words(cues):
    from qualcode.ingest.captions import render_captions

    blocks = ["WEBVTT"]
    for n, (speaker, words) in enumerate(cues):
        payload = f"<v {speaker}>{words}" if speaker else words
        blocks.append(f"00:00:{n:02d}.000 --> 00:00:{n:02d}.500\n{payload}")
    text, turns = render_captions("\n\n".join(blocks), "h.vtt", "vtt")
    expected = []
    for n, (speaker, words) in enumerate(cues):
        if expected and speaker is not None and expected[-1][0] == speaker:
            expected[-1] = (speaker, f"{expected[-1][1]} {words}", expected[-1][2], n + 0.5)
        else:
            expected.append((speaker, words, float(n), n + 0.5))
    assert [(t.speaker, text[t.start : t.end], t.t_start, t.t_end) for t in turns] == expected


# Bare "<" and ">" are text; only the tags SubRip and WebVTT define are markup.
_BARE = [
    "<10",
    ">20",
    "a<b",
    "x > y",
    "<=",
    "->",
    "<3",
    "<<",
    ">>",
    "1<2>0",
    "<ok>",
    "</p>",
    "<br>",
]
_WRAP = [
    ("<i>", "</i>"),
    ("<b>", "</b>"),
    ("<u>", "</u>"),
    ("<I>", "</I>"),
    ('<font color="#ff0000">', "</font>"),
    ("<font face=Arial size=3>", "</font>"),
    ("<c.yellow.bg_blue>", "</c>"),
    ("<c>", "</c>"),
    ("<lang en-GB>", "</lang>"),
    ("<00:00:01.500>", ""),
    ("<01:02.250>", ""),
    ("{\\an8}", ""),
    ("", ""),
]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("We had <10 beds and >20 nurses.", "We had <10 beds and >20 nurses."),
        ("<i>We had</i> <10 beds", "We had <10 beds"),
        ("a <b>bold</b> a<b", "a bold a<b"),
        ("<font color=red>x</font> <ok> </p>", "x <ok> </p>"),
        ("if a < b and c > d", "if a < b and c > d"),
        ("<u>under</u><3", "under<3"),
    ],
)
def test_srt_strips_only_defined_tags(tmp_path, line, expected):
    path = tmp_path / "t.srt"
    path.write_text(f"1\n00:00:01,000 --> 00:00:02,000\n{line}\n", encoding="utf-8")
    assert read_source(path).text == expected


def test_srt_has_no_escaping_but_vtt_entities_are_decoded(tmp_path):
    srt = tmp_path / "e.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:02,000\nAT&amp;T &lt;3\n", encoding="utf-8")
    assert read_source(srt).text == "AT&amp;T &lt;3"
    vtt = tmp_path / "e.vtt"
    vtt.write_text(
        "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ana &amp; Bo>AT&amp;T &lt;3&nbsp;x <5\n",
        encoding="utf-8",
    )
    source = read_source(vtt)
    assert source.text == "Ana & Bo: AT&T <3 x <5"
    assert source.turns[0].speaker == "Ana & Bo"


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(_BARE + ["We", "had", "beds", "Zoë", "10"]), min_size=1),
            st.sampled_from(_WRAP),
        ),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from(["srt", "vtt"]),
)
def test_bare_brackets_survive_any_defined_markup(pieces, kind):
    """Whatever defined tags wrap the words, the words (bare brackets included) come out."""
    from qualcode.ingest.captions import render_captions

    payload = " ".join(f"{open_}{' '.join(words)}{close}" for words, (open_, close) in pieces)
    expected = " ".join(" ".join(words) for words, _ in pieces)
    if kind == "srt":
        text = f"1\n00:00:01,000 --> 00:00:02,000\n{payload}\n"
    else:
        text = f"WEBVTT\n\n00:01.000 --> 00:02.000\n<v Dana>{payload}\n"
        expected = f"Dana: {expected}"
    rendered, _turns = render_captions(text, f"p.{kind}", kind)
    assert rendered == " ".join(expected.split())
