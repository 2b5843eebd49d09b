"""Writing QDC/QDPX from the neutral model (XSD-valid, read back identical) and the
position mapping for BOM, CRLF, NFD text and UTF-16 producers."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from interop_support import make_qdpx, project_xml, schema, selection, text_source, validate_qdpx

from qualcode.errors import InteropError
from qualcode.interop import offsets
from qualcode.interop.model import (
    Case,
    Code,
    Codebook,
    CodeSet,
    Coding,
    Note,
    QdaProject,
    Selection,
    TextSource,
    User,
    Variable,
    stable_guid,
)
from qualcode.interop.qdc import codebook_to_xml, read_qdc, write_qdc
from qualcode.interop.qdpx import read_qdpx, write_qdpx

G = lambda key: stable_guid("test", key)  # noqa: E731

TEXT = "Première ligne — café.\nZweite Zeile: Größe ändern.\n日本語の行。\nLast 👍 line.\n"


def sample_codebook() -> Codebook:
    child = Code(G("c2"), "Sous-thème: ça va", "#00ff00", "enfant", True)
    grandchild = Code(G("c3"), 'Ünïcödé <&> "quoted"', None, "", True)
    child.children.append(grandchild)
    root = Code(G("c1"), "Thème éà", "#FF0000", "Description\nmulti-line", False, [child])
    return Codebook(
        [root, Code(G("c4"), "Ελληνικά", "#123456")],
        [CodeSet(G("s1"), "Set", "", [G("c1"), G("c4")])],
    )


def sample_project() -> QdaProject:
    book = sample_codebook()
    user = User(G("u1"), "Zoë")
    source = TextSource(G("doc"), "Entretien n°1", TEXT, "une description", user.guid)
    start = TEXT.index("café")
    both = Selection(
        G("sel1"),
        start,
        start + 4,
        None,
        user.guid,
        None,
        [
            Coding(G("k1"), G("c1"), user.guid, "2024-05-01T10:00:00+00:00"),
            Coding(G("k2"), G("c3"), user.guid),
        ],
    )
    overlap = Selection(
        G("sel2"),
        start - 2,
        TEXT.index("Größe") + 5,
        None,
        user.guid,
        None,
        [Coding(G("k3"), G("c2"), user.guid)],
    )
    emoji = Selection(
        G("sel3"),
        TEXT.index("Last"),
        TEXT.index("line."),
        None,
        user.guid,
        None,
        [Coding(G("k4"), G("c4"), user.guid)],
    )
    source.selections = [both, overlap, emoji]
    source.values = {G("v6"): "Lyon", G("v3"): False}  # document variables
    variables = [
        Variable(G("v1"), "âge", "Integer"),
        Variable(G("v2"), "ratio", "Float"),
        Variable(G("v3"), "consent", "Boolean"),
        Variable(G("v4"), "born", "Date"),
        Variable(G("v5"), "seen", "DateTime"),
        Variable(G("v6"), "ville", "Text"),
    ]
    case = Case(
        G("case"),
        "P01",
        "first participant",
        {
            G("v1"): 42,
            G("v2"): 1e-7,
            G("v3"): True,
            G("v4"): date(1990, 2, 3),
            G("v5"): datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
            G("v6"): "Genève",
        },
        [source.guid],
    )
    notes = [
        Note(G("n1"), "code note", "about the code", "", user.guid, None, [G("c2")]),
        Note(G("n2"), "coding note", "about a coding", "", user.guid, None, [G("k3")]),
        Note(G("n3"), "case note", "about P01", "", user.guid, None, [case.guid]),
        Note(G("n4"), "project note", "general", "", None, None, ["project"]),
    ]
    return QdaProject("Projet ü", "qualcode", [user], book, variables, [case], [source], notes)


def test_qdc_is_valid_and_reads_back_identical(tmp_path):
    book = sample_codebook()
    path = tmp_path / "book.qdc"
    write_qdc(book, path)
    schema("Codebook").validate(str(path))
    again = read_qdc(path)
    assert again.codes == book.codes
    assert again.sets == book.sets
    assert 'name="Ünïcödé &lt;&amp;&gt; &quot;quoted&quot;"' in path.read_text(encoding="utf-8")


def test_qdpx_is_valid_and_reads_back_identical(tmp_path):
    project = sample_project()
    path = tmp_path / "p.qdpx"
    write_qdpx(project, path)
    validate_qdpx(path)
    with zipfile.ZipFile(path) as archive:
        assert archive.read(f"sources/{G('doc')}.txt") == TEXT.encode("utf-8")
        qde = archive.read("project.qde").decode("utf-8")
    assert "<FloatValue>0.0000001</FloatValue>" in qde
    assert 'originGUID="%s" targetGUID="%s"' % (G("n3"), G("case")) in qde  # a case has no NoteRef
    again = read_qdpx(path)
    assert again.not_imported == ["1 set ('Set'): qualcode has no sets"]
    assert again.codebook.codes == project.codebook.codes
    assert again.codebook.sets == project.codebook.sets
    assert again.users == project.users and again.variables == project.variables
    assert again.cases == project.cases
    [source] = again.sources
    assert source.text == TEXT and source.selections == project.sources[0].selections
    assert source.values == {G("v6"): "Lyon", G("v3"): False}
    assert [(n.name, n.text, n.target_guids) for n in again.notes] == [
        (n.name, n.text, n.target_guids) for n in project.notes
    ]
    texts = [source.text[s.start : s.end] for s in source.selections]
    assert texts[0] == "café" and texts[2] == "Last 👍 "


def test_control_characters_are_replaced_so_the_xml_stays_valid(tmp_path):
    book = Codebook([Code(G("x"), "form\x0cfeed", None, "bell\x07")])
    data = codebook_to_xml(book)
    schema("Codebook").validate(io.BytesIO(data))
    assert "form\ufffdfeed" in data.decode("utf-8")


def test_empty_codebook_cannot_be_written(tmp_path):
    with pytest.raises(
        InteropError, match=r"^x.qdc: no codes to write \(a REFI-QDA codebook needs at least one\)$"
    ):
        write_qdc(Codebook([]), tmp_path / "x.qdc")
    assert not (tmp_path / "x.qdc").exists()


# --- positions ------------------------------------------------------------------


def spans_for(raw_for_producer: str, words: list[str]) -> list[tuple[int, int]]:
    return [(raw_for_producer.index(w), raw_for_producer.index(w) + len(w)) for w in words]


WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"]
LINES = "intro line\nalpha is here\nthen bravo\nand charlie\ndelta\necho echo\nfoxtrot end\n"


def read_one(tmp_path, raw: bytes, spans) -> TextSource:
    sels = "".join(
        selection(s, e, guid=G(f"s{i}"), coding=G(f"k{i}")) for i, (s, e) in enumerate(spans)
    )
    guid = G("src")
    path = make_qdpx(
        tmp_path / "t.qdpx",
        project_xml(sources=text_source(guid, f"internal://{guid}.txt", sels)),
        {f"sources/{guid}.txt": raw},
    )
    [source] = read_qdpx(path).sources
    return source


def test_bom_and_crlf_counted_as_stored(tmp_path):
    crlf = LINES.replace("\n", "\r\n")
    source = read_one(tmp_path, b"\xef\xbb\xbf" + crlf.encode(), spans_for(crlf, WORDS))
    assert source.positions == "code points, CRLF as stored"
    assert [source.text[s.start : s.end] for s in source.selections] == WORDS
    assert source.text == LINES


def test_crlf_counted_as_one_is_detected(tmp_path):
    crlf = LINES.replace("\n", "\r\n")
    source = read_one(tmp_path, crlf.encode(), spans_for(LINES, WORDS))
    assert source.positions == "code points, CRLF as one"
    assert [source.text[s.start : s.end] for s in source.selections] == WORDS


def test_selection_past_the_end_of_the_crlf_text_picks_crlf_as_stored(tmp_path):
    crlf = LINES.replace("\n", "\r\n")
    source = read_one(tmp_path, crlf.encode(), [(len(crlf) - 5, len(crlf))])
    assert source.positions == "code points, CRLF as stored"
    assert source.text[source.selections[0].start : source.selections[0].end] == "end\n"


def test_nfd_text_maps_onto_nfc(tmp_path):
    raw = "Cafe\u0301 au lait, cre\u0300me bru\u0302le\u0301e\n"
    source = read_one(
        tmp_path, raw.encode(), spans_for(raw, ["lait", "bru\u0302le\u0301e", "Cafe\u0301"])
    )
    assert source.text == "Café au lait, crème brûlée\n"
    assert [source.text[s.start : s.end] for s in source.selections] == ["lait", "brûlée", "Café"]


def test_utf16_positions_after_emoji_are_detected(tmp_path):
    raw = "😀 alpha 🎉🎉 bravo 👍 charlie 🙂 delta\n"
    units = raw.encode("utf-16-le")

    def u16(word):
        start = len(raw[: raw.index(word)].encode("utf-16-le")) // 2
        return start, start + len(word)

    source = read_one(
        tmp_path, raw.encode(), [u16(w) for w in ("alpha", "bravo", "charlie", "delta")]
    )
    assert len(units) // 2 > len(raw)
    assert source.positions == "UTF-16 units"
    assert [source.text[s.start : s.end] for s in source.selections] == [
        "alpha",
        "bravo",
        "charlie",
        "delta",
    ]


def test_code_points_win_ties(tmp_path):
    raw = "😀 plain text without anything else\n"
    source = read_one(tmp_path, raw.encode(), [(0, 1)])
    assert source.positions == "code points"


def test_mapping_tables_are_exact_for_every_boundary():
    raw = "\ufeffa\r\ne\u0301\r\n😀c"
    text, options = offsets.conventions(raw)
    assert text == "a\né\n😀c"
    table = {(o.units, o.crlf): [o.map(i) for i in range(o.length + 1)] for o in options}
    # Without the BOM: a CR LF e U+0301 CR LF 😀 c. A boundary inside CRLF maps to the
    # newline's start, one inside e+accent to the start of "é".
    assert table[("code points", "as stored")] == [0, 1, 1, 2, 2, 3, 3, 4, 5, 6]
    assert table[("code points", "as one")] == [0, 1, 2, 2, 3, 4, 5, 6]
    assert table[("UTF-16 units", "as stored")] == [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 6]
    assert table[("UTF-16 units", "as one")] == [0, 1, 2, 2, 3, 4, 4, 5, 6]


def test_sources_before_the_codebook_still_import(tmp_path):
    """Not conformant (the schema orders CodeBook before Sources), but readable."""
    guid = G("src")
    qde = project_xml(sources=text_source(guid, f"internal://{guid}.txt", selection(0, 5)))
    start, end = qde.index("<Sources>"), qde.index("</Sources>") + len("</Sources>")
    moved = qde[:start] + qde[end:]
    moved = moved.replace("<Users>", qde[start:end] + "<Users>")
    path = make_qdpx(tmp_path / "order.qdpx", moved, {f"sources/{guid}.txt": b"Hello world"})
    [source] = read_qdpx(path).sources
    assert source.text[source.selections[0].start : source.selections[0].end] == "Hello"


def test_line_separators_become_newlines_without_moving_positions(tmp_path):
    raw = "first line\u2028second part\u2029third\rfourth\n"
    source = read_one(tmp_path, raw.encode(), spans_for(raw, ["second", "third", "fourth"]))
    assert source.text == "first line\nsecond part\nthird\nfourth\n"
    assert [source.text[s.start : s.end] for s in source.selections] == [
        "second",
        "third",
        "fourth",
    ]


TOKENS = [
    "word",
    "Cafe\u0301",
    "café",
    " ",
    "\r\n",
    "\n",
    "😀",
    "日本",
    "e\u0301\u0323",
    "\u2028",
    "\r",
    "ß",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=40), st.data())
def test_every_convention_maps_token_boundaries_exactly(tokens, data):
    """Whatever the producer counted, a passage between token boundaries comes out as
    the normalised form of the same passage."""
    raw = "".join(tokens)
    text, options = offsets.conventions("\ufeff" + raw)
    assert text == offsets.normalise_text(raw)
    cuts = [0]
    for token in tokens:
        cuts.append(cuts[-1] + len(token))
    i, j = sorted(data.draw(st.lists(st.integers(0, len(tokens)), min_size=2, max_size=2)))
    # A cut between a CR token and an LF token splits a CRLF: no producer position there.
    assume(
        all(
            not (
                0 < k < len(tokens) and tokens[k - 1].endswith("\r") and tokens[k].startswith("\n")
            )
            for k in (i, j)
        )
    )
    passage = offsets.normalise_text(raw[cuts[i] : cuts[j]])
    for option in options:
        one = option.crlf == "as one"
        view = raw.replace("\r\n", "\n") if one else raw

        def position(k: int) -> int:
            cp = len(raw[: cuts[k]].replace("\r\n", "\n")) if one else cuts[k]
            return len(view[:cp].encode("utf-16-le")) // 2 if option.units == "UTF-16 units" else cp

        assert text[option.map(position(i)) : option.map(position(j))] == passage, option.describe()
