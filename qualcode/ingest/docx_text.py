"""The text of a .docx as Word's final view ("No Markup") shows it, all of it.

python-docx's `paragraph.text` reads only the runs directly inside a paragraph (and
hyperlinks), so it loses tracked insertions (w:ins), content controls (w:sdt),
smart tags, custom XML, simple fields and text boxes. This module walks the
element tree python-docx parsed instead:

- kept: runs anywhere inside the paragraph (w:ins, w:moveTo, w:hyperlink, w:sdt,
  w:smartTag, w:customXml, w:fldSimple, w:dir/w:bdo), field results (the runs
  between `separate` and `end` of a complex field; the field code w:instrText is
  not text), tabs, line breaks, no-break and soft hyphens, symbols (w:sym), math
  (m:t);
- left out, as in the final view: deletions (w:del, w:delText, w:moveFrom, rows
  whose w:trPr says w:del), hidden text (w:vanish); a paragraph whose mark was
  deleted joins the next one;
- text boxes in the body (w:txbxContent, DrawingML or VML, read once even when
  mc:AlternateContent gives both) become paragraphs after the paragraph that
  anchors them;
- tables: one line per row, cell texts separated by a tab, a cell's paragraphs
  by a space; a vertically merged cell is read once, in its first row;
- footnotes and endnotes: the reference is written "[1]" where Word shows the
  number, and the notes are appended under a "Footnotes" / "Endnotes" line;
- skipped, and named in the notes returned to the import summary: comments,
  images, embedded objects and charts, headers and footers, altChunk imports.

Returns plain blocks (paragraphs and table rows); the caller joins them with "\\n"
and normalises (NFC).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from qualcode.plural import plural

if TYPE_CHECKING:
    from docx.document import Document
    from lxml.etree import _Element as Element  # python-docx's elements are lxml elements

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# Inline wrappers whose content Word shows as part of the paragraph.
_INLINE_CONTAINERS = {
    _w(t)
    for t in ("ins", "moveTo", "hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo")
}
_DELETED = {_w("del"), _w("moveFrom")}
# Parts of a run that hold no visible text (properties, field codes, deleted text...).
_RUN_SILENT = {
    _w(t)
    for t in (
        "rPr",
        "instrText",
        "delText",
        "delInstrText",
        "lastRenderedPageBreak",
        "annotationRef",
        "footnoteRef",
        "endnoteRef",
        "separator",
        "continuationSeparator",
    )
}
_CHAR_OF = {
    _w("tab"): "\t",
    _w("ptab"): "\t",
    _w("br"): "\n",
    _w("cr"): "\n",
    _w("noBreakHyphen"): "\u2011",
    _w("softHyphen"): "\u00ad",
}


@dataclass
class _Walk:
    """State of one document walk: notes numbering and what was skipped."""

    skipped: Counter[str] = field(default_factory=Counter)
    note_numbers: dict[tuple[str, str], int] = field(default_factory=dict)
    in_field_code: list[bool] = field(default_factory=list)


def docx_blocks(document: Document) -> tuple[list[str], list[str]]:
    """(blocks, notes) for a python-docx Document: the body's paragraphs and table rows
    as Word's final view shows them, footnotes/endnotes appended under a heading, and
    one line per kind of content that was skipped (for the import summary)."""
    walk = _Walk()
    blocks = list(_body_blocks(document.element.body, walk))
    for kind, reltype in (("footnote", _RT + "footnotes"), ("endnote", _RT + "endnotes")):
        blocks += _notes(document, kind, reltype, walk)
    return blocks, _skipped_notes(document, walk)


def _body_blocks(parent: Element, walk: _Walk) -> Iterator[str]:
    """Blocks of a body, cell, text box or note: paragraphs, table rows, content controls."""
    pending = ""  # text of paragraphs whose mark was deleted (they join the next one)
    for child in parent.iterchildren():
        tag = child.tag
        if tag == _w("p"):
            text, boxes = _paragraph(child, walk)
            if _mark_deleted(child):
                pending += text
                continue
            yield pending + text
            pending = ""
            for box in boxes:
                yield from _body_blocks(box, walk)
        elif tag == _w("tbl"):
            yield from _table_rows(child, walk)
        elif tag in (_w("sdt"), _w("customXml")):
            content = child.find(_w("sdtContent")) if tag == _w("sdt") else child
            if content is not None:
                yield from _body_blocks(content, walk)
        elif tag in (_w("ins"), _w("moveTo")):
            yield from _body_blocks(child, walk)
        elif tag == _w("altChunk"):
            walk.skipped["imported document (altChunk)"] += 1
    if pending:
        yield pending


def _mark_deleted(p: Element) -> bool:
    rpr = p.find(f"{_w('pPr')}/{_w('rPr')}")
    return rpr is not None and rpr.find(_w("del")) is not None


def _paragraph(p: Element, walk: _Walk) -> tuple[str, list[Element]]:
    """(text, text-box contents anchored in it) of one w:p."""
    pieces: list[str] = []
    boxes: list[Element] = []
    walk.in_field_code = []
    _inline(p, walk, pieces, boxes)
    return "".join(pieces), boxes


def _inline(parent: Element, walk: _Walk, pieces: list[str], boxes: list[Element]) -> None:
    for child in parent.iterchildren():
        tag = child.tag
        if tag == _w("r"):
            _run(child, walk, pieces, boxes)
        elif tag in _INLINE_CONTAINERS:
            _inline(child, walk, pieces, boxes)
        elif tag == _w("sdt"):
            content = child.find(_w("sdtContent"))
            if content is not None:
                _inline(content, walk, pieces, boxes)
        elif tag in (f"{{{M}}}oMath", f"{{{M}}}oMathPara"):
            pieces.append("".join(t.text or "" for t in child.iter(f"{{{M}}}t")))
        elif tag == f"{{{MC}}}AlternateContent":
            _inline(_one_alternative(child), walk, pieces, boxes)
        # w:del, w:moveFrom, bookmarks, proofing marks, comment ranges: no visible text


def _one_alternative(alternate: Element) -> Element:
    """The first mc:Choice (else the mc:Fallback): both hold the same content."""
    for child in alternate.iterchildren():
        if child.tag in (f"{{{MC}}}Choice", f"{{{MC}}}Fallback"):
            return child
    return alternate


def _hidden(run: Element) -> bool:
    vanish = run.find(f"{_w('rPr')}/{_w('vanish')}")
    return vanish is not None and vanish.get(_w("val"), "true") not in ("0", "false", "off")


def _run(run: Element, walk: _Walk, pieces: list[str], boxes: list[Element]) -> None:
    hidden = _hidden(run)
    for child in run.iterchildren():
        tag = child.tag
        if tag == _w("fldChar"):
            kind = child.get(_w("fldCharType"))
            if kind == "begin":
                walk.in_field_code.append(True)
            elif kind == "separate" and walk.in_field_code:
                walk.in_field_code[-1] = False
            elif kind == "end" and walk.in_field_code:
                walk.in_field_code.pop()
            continue
        if any(walk.in_field_code) or tag in _RUN_SILENT:
            continue  # a field's code (its result follows `separate`)
        if hidden:
            if tag == _w("t") and (child.text or "").strip():
                walk.skipped["hidden text run"] += 1
            continue
        if tag == _w("t"):
            pieces.append(child.text or "")
        elif tag in _CHAR_OF:
            pieces.append(_CHAR_OF[tag])  # line, page and column breaks alike
        elif tag == _w("sym"):
            pieces.append(_symbol(child))
        elif tag in (_w("footnoteReference"), _w("endnoteReference")):
            kind = "footnote" if tag == _w("footnoteReference") else "endnote"
            key = (kind, child.get(_w("id")) or "")
            number = walk.note_numbers.setdefault(
                key, sum(1 for k in walk.note_numbers if k[0] == kind) + 1
            )
            pieces.append(f"[{number}]")
        elif tag == _w("commentReference"):
            walk.skipped["comment"] += 1
        elif tag in (_w("drawing"), _w("pict"), f"{{{MC}}}AlternateContent"):
            _graphic(child, walk, boxes)
        elif tag == _w("object"):
            walk.skipped["embedded object"] += 1


def _symbol(sym: Element) -> str:
    """A w:sym character; symbol fonts use the private-use area, which is no text."""
    try:
        code = int(sym.get(_w("char"), ""), 16)
    except ValueError:
        return ""
    if 0xF000 <= code <= 0xF0FF:
        code -= 0xF000  # Symbol/Wingdings map to their 8-bit code
        return chr(code) if 0x20 <= code < 0x7F else ""
    return chr(code)


def _graphic(element: Element, walk: _Walk, boxes: list[Element]) -> None:
    """A drawing or VML picture: its text boxes are read, anything else is skipped."""
    if element.tag == f"{{{MC}}}AlternateContent":
        element = _one_alternative(element)
    found = list(element.iter(_w("txbxContent")))
    # A text box nested in another's content is read with it, not twice.
    outer = [b for b in found if not _inside_other(b, found)]
    if outer:
        boxes.extend(outer)
    elif list(element.iter("{http://schemas.openxmlformats.org/drawingml/2006/chart}chart")):
        walk.skipped["chart"] += 1
    elif element.tag == _w("object") or list(element.iter(_w("object"))):
        walk.skipped["embedded object"] += 1
    else:
        walk.skipped["image"] += 1


def _inside_other(box: Element, found: list[Element]) -> bool:
    return any(ancestor in found for ancestor in box.iterancestors())


def _table_rows(table: Element, walk: _Walk) -> Iterator[str]:
    """One tab-separated line per row of a w:tbl (deleted rows left out)."""
    for tr in table.iterchildren():
        if tr.tag in (_w("sdt"), _w("customXml"), _w("ins")):
            inner = tr.find(_w("sdtContent")) if tr.tag == _w("sdt") else tr
            if inner is not None:
                yield from _table_rows(inner, walk)
            continue
        if tr.tag != _w("tr"):
            continue
        if tr.find(f"{_w('trPr')}/{_w('del')}") is not None:
            continue  # a deleted row
        cells = []
        for tc in _cells(tr):
            merge = tc.find(f"{_w('tcPr')}/{_w('vMerge')}")
            if merge is not None and merge.get(_w("val")) != "restart":
                continue  # continues the cell above, whose text is already read
            text = " ".join(" ".join(_body_blocks(tc, walk)).split())
            cells.append(text)
        yield "\t".join(cells)


def _cells(tr: Element) -> Iterator[Element]:
    """The w:tc cells of a row, also those inside content controls."""
    for child in tr.iterchildren():
        if child.tag == _w("tc"):
            yield child
        elif child.tag in (_w("sdt"), _w("customXml")):
            inner = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if inner is not None:
                yield from _cells(inner)


def _notes(document: Document, kind: str, reltype: str, walk: _Walk) -> list[str]:
    """'Footnotes' and '[n] text' lines for the notes the body refers to, by number."""
    element = _related_element(document, reltype)
    if element is None:
        return []
    numbers = {note_id: n for (k, note_id), n in walk.note_numbers.items() if k == kind}
    texts: dict[int, str] = {}
    for note in element.iterchildren(_w(kind)):
        note_id = note.get(_w("id"))
        if note.get(_w("type")) not in (None, "normal") or note_id not in numbers:
            continue
        texts[numbers[note_id]] = " ".join(" ".join(_body_blocks(note, walk)).split())
    if not texts:
        return []
    return ["", kind.capitalize() + "s"] + [f"[{n}] {texts[n]}" for n in sorted(texts)]


def _related_element(document: Document, reltype: str) -> Element | None:
    """The parsed root of the part the main document relates to by `reltype`, or None."""
    from docx.oxml import parse_xml

    for rel in document.part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            part = rel.target_part
            element = getattr(part, "element", None)
            return element if element is not None else parse_xml(part.blob)
    return None


def _skipped_notes(document: Document, walk: _Walk) -> list[str]:
    """One line per kind of content left out (comments, images, headers...)."""
    headers = 0
    for rel in document.part.rels.values():
        if rel.reltype in (_RT + "header", _RT + "footer") and not rel.is_external:
            part = rel.target_part
            element = getattr(part, "element", None)
            if element is None:
                from docx.oxml import parse_xml

                element = parse_xml(part.blob)
            headers += any((t.text or "").strip() for t in element.iter(_w("t")))
    lines = [
        f"{n} {what}{'' if n == 1 else 's'} not imported"
        for what, n in sorted(walk.skipped.items())
    ]
    if headers:
        lines.append(f"{plural(headers, 'header/footer part')} with text not imported")
    return lines
