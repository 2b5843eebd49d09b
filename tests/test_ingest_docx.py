""".docx import reads what Word's final view shows: every wrapper kept, deletions left out."""

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.ingest import read_source

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (
    f'xmlns:w="{W_NS}" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def r(text: str, props: str = "") -> str:
    return f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'


def deleted(text: str) -> str:
    return f'<w:del w:id="9" w:author="T"><w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'


# (name, inline XML of one paragraph, the text Word's final view shows)
PARAGRAPHS = [
    ("plain", r("We left in June."), "We left in June."),
    (
        "insertion",
        r("We moved in ") + f'<w:ins w:id="1" w:author="T">{r("late ")}</w:ins>' + r("May."),
        "We moved in late May.",
    ),
    ("deletion", r("We moved ") + deleted("early ") + r("in May."), "We moved in May."),
    (
        "moves",
        f'<w:moveFrom w:id="2" w:author="T">{r("gone ")}</w:moveFrom>'
        + f'<w:moveTo w:id="3" w:author="T">{r("here ")}</w:moveTo>'
        + r("now"),
        "here now",
    ),
    (
        "content control",
        r("was ")
        + f"<w:sdt><w:sdtPr/><w:sdtContent>{r('very')}</w:sdtContent></w:sdt>"
        + r(" kind"),
        "was very kind",
    ),
    (
        "hyperlink",
        r("see ") + f'<w:hyperlink r:id="rIdX">{r("the site")}</w:hyperlink>' + r("."),
        "see the site.",
    ),
    (
        "smart tag",
        f'<w:smartTag w:uri="u" w:element="place">{r("Lagos")}</w:smartTag>' + r(" city"),
        "Lagos city",
    ),
    ("custom xml", f'<w:customXml w:element="x">{r("tagged")}</w:customXml>', "tagged"),
    (
        "simple field",
        r("Page ") + f'<w:fldSimple w:instr=" PAGE ">{r("3")}</w:fldSimple>',
        "Page 3",
    ),
    (
        "complex field",
        r("Date: ")
        + '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DATE \\@ "d MMMM" </w:instrText></w:r>'
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + r("4 May")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        + r("."),
        "Date: 4 May.",
    ),
    ("hidden", r("seen ") + r("unseen ", "<w:rPr><w:vanish/></w:rPr>") + r("end"), "seen end"),
    ("tab and break", "<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r>", "a\tb\nc"),
    ("no-break hyphen", "<w:r><w:t>e</w:t><w:noBreakHyphen/><w:t>mail</w:t></w:r>", "e\u2011mail"),
    ("symbol", r("x") + '<w:r><w:sym w:font="Symbol" w:char="F03D"/></w:r>' + r("y"), "x=y"),
    (
        "math",
        r("so ") + "<m:oMath><m:r><m:t>x+1</m:t></m:r></m:oMath>" + r(" holds"),
        "so x+1 holds",
    ),
    (
        "nested wrappers",
        f'<w:ins w:id="4" w:author="T"><w:hyperlink r:id="rIdX"><w:sdt><w:sdtContent>{r("deep")}</w:sdtContent></w:sdt></w:hyperlink></w:ins>',
        "deep",
    ),
    (
        "insertion of a deletion",
        f'<w:ins w:id="5" w:author="T">{r("kept ")}{deleted("gone")}</w:ins>',
        "kept ",
    ),
]


def make_docx(body_xml: str, extra_parts: dict[str, tuple[str, str, str]] | None = None) -> bytes:
    """A .docx whose body is `body_xml`; extra_parts maps a part name to (xml, content
    type, relationship type) for footnotes, comments, headers."""
    import docx

    document = docx.Document()
    buf = io.BytesIO()
    document.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = (
                    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    f"<w:document {NS}><w:body>{body_xml}<w:sectPr/></w:body></w:document>"
                ).encode()
            elif item.filename == "word/_rels/document.xml.rels" and extra_parts:
                rels = "".join(
                    f'<Relationship Id="rIdQ{n}" Type="{rel}" Target="{name}"/>'
                    for n, (name, (_x, _c, rel)) in enumerate(extra_parts.items())
                )
                data = data.replace(b"</Relationships>", rels.encode() + b"</Relationships>")
            elif item.filename == "[Content_Types].xml" and extra_parts:
                types = "".join(
                    f'<Override PartName="/word/{name}" ContentType="{ctype}"/>'
                    for name, (_x, ctype, _r) in extra_parts.items()
                )
                data = data.replace(b"</Types>", types.encode() + b"</Types>")
            dst.writestr(item, data)
        for name, (xml, _c, _r) in (extra_parts or {}).items():
            dst.writestr(f"word/{name}", xml)
    return out.getvalue()


def p(inline: str, ppr: str = "") -> str:
    return f"<w:p>{ppr}{inline}</w:p>"


def read(tmp_path, data: bytes):
    path = tmp_path / "t.docx"
    path.write_bytes(data)
    return read_source(path)


@pytest.mark.parametrize(("name", "inline", "expected"), PARAGRAPHS, ids=[x[0] for x in PARAGRAPHS])
def test_paragraph_as_words_final_view(tmp_path, name, inline, expected):
    source = read(tmp_path, make_docx(p(r("A: ")) + p(inline)))
    assert source.text == "A: \n" + expected


def test_the_case_shape_tracked_insertion_content_control_soft_break(tmp_path):
    body = (
        p(
            r("P10: We moved in ")
            + f'<w:ins w:id="1" w:author="T">{r("late in ")}</w:ins>'
            + deleted("early ")
            + r("March.")
        )
        + p(
            r("P10: The landlord was ")
            + f"<w:sdt><w:sdtContent>{r('very')}</w:sdtContent></w:sdt>"
            + r(" kind.")
            + "<w:r><w:br/></w:r>"
            + r("Then he sold the house.")
        )
        + p(r("P10: We left in June."))
    )
    source = read(tmp_path, make_docx(body))
    assert source.text == (
        "P10: We moved in late in March.\nP10: The landlord was very kind.\n"
        "Then he sold the house.\nP10: We left in June."
    )
    assert [t.speaker for t in source.turns] == ["P10", "P10", "P10"]


def test_deleted_paragraph_mark_joins_the_next_paragraph(tmp_path):
    mark = '<w:pPr><w:rPr><w:del w:id="7" w:author="T"/></w:rPr></w:pPr>'
    source = read(tmp_path, make_docx(p(r("one "), mark) + p(r("two")) + p(r("three"))))
    assert source.text == "one two\nthree"


def test_block_content_control_and_tables(tmp_path):
    cell = lambda *paras, props="": f"<w:tc>{props}{''.join(p(r(x)) for x in paras)}</w:tc>"
    merged_start = '<w:tcPr><w:vMerge w:val="restart"/></w:tcPr>'
    merged_cont = "<w:tcPr><w:vMerge/></w:tcPr>"
    table = (
        "<w:tbl>"
        f"<w:tr>{cell('Name')}{cell('Said')}</w:tr>"
        f"<w:tr>{cell('Ana', props=merged_start)}{cell('Yes,', 'really')}</w:tr>"
        f"<w:tr>{cell('', props=merged_cont)}{cell('Again')}</w:tr>"
        f'<w:tr><w:trPr><w:del w:id="8" w:author="T"/></w:trPr>{cell("Gone")}{cell("row")}</w:tr>'
        f"<w:sdt><w:sdtContent><w:tr>{cell('Bo')}{cell('No')}</w:tr></w:sdtContent></w:sdt>"
        "</w:tbl>"
    )
    body = f"<w:sdt><w:sdtContent>{p(r('Intro'))}</w:sdtContent></w:sdt>" + table + p(r("End"))
    source = read(tmp_path, make_docx(body))
    assert source.text == "Intro\nName\tSaid\nAna\tYes, really\nAgain\nBo\tNo\nEnd"


def test_text_boxes_read_once_after_their_paragraph(tmp_path):
    box = f"<w:txbxContent>{p(r('In the box.'))}</w:txbxContent>"
    drawing = (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic>'
        f"<a:graphicData><wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></a:graphicData>"
        "</a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape>"
        f"<v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    source = read(tmp_path, make_docx(p(r("Before.") + drawing) + p(r("After."))))
    assert source.text == "Before.\nIn the box.\nAfter."


def _notes_part(kind: str, notes: dict[str, str]) -> str:
    items = "".join(
        f'<w:{kind} w:id="{i}"><w:p><w:r><w:{kind}Ref/></w:r>{r(" " + text)}</w:p></w:{kind}>'
        for i, text in notes.items()
    )
    separators = (
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
    )
    return f"<w:{kind}s {NS}>{separators}{items}</w:{kind}s>"


REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."


def test_footnotes_and_endnotes_appended_under_a_heading(tmp_path):
    body = p(
        r("First")
        + '<w:r><w:footnoteReference w:id="5"/></w:r>'
        + r(" then")
        + '<w:r><w:footnoteReference w:id="2"/></w:r>'
        + r(" end")
        + '<w:r><w:endnoteReference w:id="1"/></w:r>'
    )
    parts = {
        "footnotes.xml": (
            _notes_part("footnote", {"2": "Second note.", "5": "First note.", "7": "Unused."}),
            CT + "footnotes+xml",
            REL + "footnotes",
        ),
        "endnotes.xml": (
            _notes_part("endnote", {"1": "An endnote."}),
            CT + "endnotes+xml",
            REL + "endnotes",
        ),
    }
    source = read(tmp_path, make_docx(body, parts))
    assert source.text == (
        "First[1] then[2] end[1]\n\nFootnotes\n[1] First note.\n[2] Second note.\n"
        "\nEndnotes\n[1] An endnote."
    )


def test_skipped_content_is_named_in_notes(tmp_path):
    body = (
        p(
            r("Text")
            + '<w:r><w:commentReference w:id="0"/></w:r>'
            + "<w:r><w:drawing><wp:inline><a:graphic><a:graphicData/></a:graphic></wp:inline></w:drawing></w:r>"
            + r("hidden", "<w:rPr><w:vanish/></w:rPr>")
        )
        + '<w:altChunk r:id="rIdZ"/>'
    )
    header = f"<w:hdr {NS}>{p(r('Confidential'))}</w:hdr>"
    parts = {"header1.xml": (header, CT + "header+xml", REL + "header")}
    source = read(tmp_path, make_docx(body, parts))
    assert source.text == "Text"
    assert source.notes == [
        "1 comment not imported",
        "1 hidden text run not imported",
        "1 image not imported",
        "1 imported document (altChunk) not imported",
        "1 header/footer part with text not imported",
    ]


_PIECES = {
    "plain": (lambda t: r(t), True),
    "ins": (lambda t: f'<w:ins w:id="1" w:author="T">{r(t)}</w:ins>', True),
    "del": (deleted, False),
    "moveFrom": (lambda t: f'<w:moveFrom w:id="1" w:author="T">{r(t)}</w:moveFrom>', False),
    "moveTo": (lambda t: f'<w:moveTo w:id="1" w:author="T">{r(t)}</w:moveTo>', True),
    "sdt": (lambda t: f"<w:sdt><w:sdtPr/><w:sdtContent>{r(t)}</w:sdtContent></w:sdt>", True),
    "hyperlink": (lambda t: f'<w:hyperlink w:anchor="a">{r(t)}</w:hyperlink>', True),
    "smartTag": (lambda t: f'<w:smartTag w:element="x">{r(t)}</w:smartTag>', True),
    "fldSimple": (lambda t: f'<w:fldSimple w:instr="REF x">{r(t)}</w:fldSimple>', True),
    "field": (
        lambda t: (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>HYPERLINK "x"</w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{r(t)}<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        ),
        True,
    ),
    "hidden": (lambda t: r(t, "<w:rPr><w:vanish/></w:rPr>"), False),
}
_word = st.sampled_from(["we ", "Zoë ", "東京 ", "late ", "😀 ", "kind. ", "a&amp;b "])


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.lists(st.tuples(st.sampled_from(sorted(_PIECES)), _word), min_size=1, max_size=8),
        min_size=1,
        max_size=4,
    )
)
def test_any_mix_of_wrappers_gives_the_final_view(tmp_path, paragraphs):
    body, expected = "", []
    for pieces in paragraphs:
        body += p("".join(_PIECES[kind][0](word) for kind, word in pieces))
        expected.append(
            "".join(word.replace("&amp;", "&") for kind, word in pieces if _PIECES[kind][1])
        )
    if not "".join(expected).strip():
        return
    source = read(tmp_path, make_docx(body))
    assert source.text == "\n".join(expected)
