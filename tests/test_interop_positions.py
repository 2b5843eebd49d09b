"""REFI-QDA positions: the producer, then the selection names, then word boundaries
decide how positions are counted, and the summary says what was decided."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.interop import offsets
from qualcode.interop.qdpx import read_qdpx
from qualcode.project import Project
from tests.interop_support import make_qdpx

# (origin attribute as the producer writes it, how it counts positions)
PRODUCERS = [
    ("NVivo 14.24.0", "utf16"),
    ("NVivo for Mac 12.7.0", "utf16"),
    ("MAXQDA 2022 (Release 22.4.1)", "cp"),
    ("ATLAS.ti 23.2.1", "cp"),
    ("QualCoder 3.5", "cp"),
    (None, "cp"),
    ("SomeTool 1.0", "cp"),
]
WORDS = ["I", "loved", "it.", "Spicy", "every", "day.", "Zoë", "東京", "ok", "a"]
ASTRAL = ["😋", "😀", "𝑥", "𠜎", "👩‍⚕️", "🇯🇵"]


def u16(text: str, i: int) -> int:
    return len(text[:i].encode("utf-16-le")) // 2


def build(tmp_path, origin, text, spans, units, names=False, crlf=False):
    """A .qdpx with one source `text` and a selection per (start, end) code-point span,
    written in `units` ('cp' or 'utf16'); names=True names each selection by its text."""
    stored = text.replace("\n", "\r\n") if crlf else text
    code = str(uuid.uuid4())
    user = str(uuid.uuid4())
    sels = []
    for start, end in spans:
        if crlf:  # positions count the CRLF as stored (NVivo for Windows)
            start += text[:start].count("\n")
            end += text[:end].count("\n")
        s, e = (u16(stored, start), u16(stored, end)) if units == "utf16" else (start, end)
        name = f' name="{_attr(text[spans[len(sels)][0] : spans[len(sels)][1]])}"' if names else ""
        sels.append(
            f'<PlainTextSelection guid="{uuid.uuid4()}" startPosition="{s}" endPosition="{e}"{name}>'
            f'<Coding guid="{uuid.uuid4()}" creatingUser="{user}"><CodeRef targetGUID="{code}"/></Coding>'
            "</PlainTextSelection>"
        )
    source = str(uuid.uuid4())
    origin_attr = f' origin="{origin}"' if origin else ""
    qde = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<Project xmlns="urn:QDA-XML:project:1.0" name="t"{origin_attr}>'
        f'<Users><User guid="{user}" name="ana"/></Users>'
        f'<CodeBook><Codes><Code guid="{code}" name="Food" isCodable="true"/></Codes></CodeBook>'
        f'<Sources><TextSource guid="{source}" name="P3 interview" '
        f'plainTextPath="internal://{source}.txt">{"".join(sels)}</TextSource></Sources></Project>'
    )
    data = ("\ufeff" + stored if crlf else stored).encode("utf-8")
    return make_qdpx(tmp_path / "p.qdpx", qde, {f"Sources/{source}.txt": data})


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def test_the_nvivo_case_one_emoji_and_a_one_letter_first_word(tmp_path):
    text = "Interviewer: And the food? 😋\nP3: Spicy every day. I loved it. The end.\n"
    start = text.index("I loved it.")
    path = build(tmp_path, "NVivo 14.24.0", text, [(start, start + 11)], "utf16")
    project = Project.create(tmp_path / "n.qualcode")
    summary = project.import_qdpx(path)
    [coding] = project.codings()
    assert (coding.start, coding.end) == (50, 61)
    assert project.document(coding.document_id).text[coding.start : coding.end] == "I loved it."
    assert "  P3 interview: UTF-16 units (origin NVivo 14.24.0)" in summary.lines()
    assert summary.lines()[summary.lines().index("positions read as:") + 1].startswith("  P3")


@st.composite
def passages(draw):
    """(text, spans): words and astral characters, selections on whole words."""
    tokens = draw(st.lists(st.sampled_from(WORDS + ASTRAL), min_size=4, max_size=30))
    if not any(t in ASTRAL for t in tokens):
        tokens.insert(draw(st.integers(0, len(tokens))), draw(st.sampled_from(ASTRAL)))
    text = " ".join(tokens) + "\n"
    starts, pos = [], 0
    for token in tokens:
        starts.append((pos, pos + len(token)))
        pos += len(token) + 1
    spans = []
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(tokens) - 1))
        j = draw(st.integers(i, min(len(tokens) - 1, i + 4)))
        spans.append((starts[i][0], starts[j][1]))
    return text, spans


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(PRODUCERS), passages(), st.booleans(), st.booleans())
def test_every_excerpt_from_every_producer(tmp_path, producer, passage, names, crlf):
    """Known producers are read by their unit whatever the text; unknown producers by
    the selection names when they quote the text, and code points (the standard) are
    read right in any case."""
    origin, units = producer
    text, spans = passage
    if crlf and not origin:
        crlf = False  # an unknown producer with CRLF positions is a different question
    refi = read_qdpx(build(tmp_path, origin, text, spans, units, names=names, crlf=crlf))
    [source] = refi.sources
    got = [source.text[s.start : s.end] for s in source.selections]
    assert got == [text[s:e] for s, e in spans]


@pytest.mark.parametrize("names", [True, False])
def test_unknown_producer_writing_utf16_is_found_by_names_and_reported(tmp_path, names):
    text = "A 😀 b 😀 c 😀 day. I loved it. The end.\n"
    start = text.index("I loved it.")
    path = build(tmp_path, "SomeTool 1.0", text, [(start, start + 11)], "utf16", names=names)
    project = Project.create(tmp_path / "u.qualcode")
    summary = project.import_qdpx(path)
    [coding] = project.codings()
    excerpt = project.document(coding.document_id).text[coding.start : coding.end]
    lines = summary.lines()
    if names:
        assert excerpt == "I loved it."
        assert "  P3 interview: UTF-16 units (selection names quote the text)" in lines
    else:
        # No producer, no names: word boundaries decide; the summary says so either way.
        assert any(
            line.startswith("  P3 interview: ") and "word boundaries" in line for line in lines
        )


def test_nothing_to_decide_is_not_listed():
    text, options = offsets.conventions("Plain text without astral characters.\n")
    choice = offsets.choose(text, options, [(0, 5)], origin="NVivo 14")
    assert choice.convention.units == "code points" and choice.reason == ""
