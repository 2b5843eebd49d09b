"""Member-checking reports: one participant's coded excerpts, grouped by theme and
subtheme with the codebook's descriptions, and room for the participant's comments.

Member checking (Lincoln & Guba 1985; Birt et al. 2016, "Member checking: a tool to
enhance trustworthiness or merely a nod to validation?", Qualitative Health Research
26(13)) returns the interpretation to the participant. The report holds that
participant's passages only: no other participant's words, identifiers or counts. In a
focus group (speakers mapped to participants) a coding is clipped to the participant's
own turns (clip_to_turns); a document shared by several participants whose speakers are
not mapped cannot be told apart by speaker and is left out, with a note.
Written as Markdown or as a Word document (python-docx, imported only when used).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import QualcodeError

FORMATS = ("docx", "md")
INTRO = (
    "Thank you for taking part. These are the passages of your interview that we "
    "marked while analysing it, grouped by the themes we found. Under each theme and "
    "subtheme you can read what we mean by it. Please read them and tell us, in the "
    "space after each theme, whether they describe what you meant, what we got wrong "
    "and anything you would like to add or take out."
)
COMMENT_PROMPT = "Your comments:"
CLIPPED = "part of a longer coded passage"


@dataclass(frozen=True)
class Piece:
    """The part of one coding a participant may read: its span (code points into the
    document) and text; clipped when the coding reached into someone else's turns."""

    document_id: int
    document: str
    code_path: str
    start: int
    end: int
    text: str
    clipped: bool = False


def clip_to_turns(
    excerpts, own: dict[int, list[tuple[int, int]]], others: dict[int, list[tuple[int, int]]]
) -> list[Piece]:
    """The pieces of excerpts (Excerpt records) the participant may read. For a document
    in `own` (document id -> the participant's mapped turns, (start, end) sorted), each
    excerpt becomes its overlaps with those turns (none when it lies in nobody's or other
    speakers' turns only), clipped=True when it overlaps one of `others` (document id ->
    every other turn). Excerpts of documents not in `own` are kept whole."""
    out: list[Piece] = []
    for e in excerpts:
        turns = own.get(e.document_id)
        if turns is None:
            out.append(Piece(e.document_id, e.document, e.code_path, e.start, e.end, e.text))
            continue
        clipped = any(s < e.end and e.start < t for s, t in others.get(e.document_id, ()))
        for s, t in turns:
            lo, hi = max(s, e.start), min(t, e.end)
            text = e.text[lo - e.start : hi - e.start]
            if lo < hi and text.strip():
                out.append(Piece(e.document_id, e.document, e.code_path, lo, hi, text, clipped))
    return out


@dataclass
class Passage:
    document: str
    start: int
    end: int
    text: str
    code: str  # the code's name when deeper than the subtheme, else ""
    clipped: bool = False  # part of a coding that reached into others' turns


@dataclass
class Subtheme:
    name: str
    description: str
    passages: list[Passage] = field(default_factory=list)


@dataclass
class Theme:
    name: str
    description: str
    passages: list[Passage] = field(default_factory=list)  # coded with the theme itself
    subthemes: list[Subtheme] = field(default_factory=list)


@dataclass
class MemberCheck:
    """One participant's report: themes in codebook order, only those with passages."""

    participant: str
    project: str
    themes: list[Theme]
    notes: list[str] = field(default_factory=list)  # for the researcher (stderr), not the report

    @property
    def passages(self) -> int:
        return sum(len(t.passages) + sum(len(s.passages) for s in t.subthemes) for t in self.themes)


def build(participant: str, project_name: str, codes, excerpts) -> MemberCheck:
    """The report from the codebook (Code records in codebook order) and the
    participant's excerpts (Excerpt or Piece records: document_id, document, code_path,
    start, end, text, and clipped if a Piece). A participant reads each passage once:
    codings of one code that overlap in a document (two coders coding one passage with
    their own boundaries, or one coder twice) are shown as one passage, their union
    (coders pooled; the facade's coder= keeps one coder's codings)."""
    by_id = {c.id: c for c in codes}
    by_path = {c.path: c for c in codes}
    themes: dict[int, Theme] = {}
    subthemes: dict[int, Subtheme] = {}
    for c in codes:
        if c.depth == 0:
            themes[c.id] = Theme(c.name, c.description or "")
        elif c.depth == 1:
            subthemes[c.id] = Subtheme(c.name, c.description or "")
    for code_id, document, start, end, text, clipped in _merged(excerpts, by_path):
        code = by_id[code_id]
        chain = [code]
        while chain[-1].parent_id is not None:
            chain.append(by_id[chain[-1].parent_id])
        chain.reverse()  # theme, subtheme, deeper...
        passage = Passage(
            document,
            start,
            end,
            " ".join(text.split()),
            code.name if code.depth > 1 else "",
            clipped,
        )
        if len(chain) == 1:
            themes[chain[0].id].passages.append(passage)
        else:
            subthemes[chain[1].id].passages.append(passage)
    out = []
    for c in codes:
        if c.depth != 0:
            continue
        theme = themes[c.id]
        theme.subthemes = [
            subthemes[s.id]
            for s in codes
            if s.depth == 1 and s.parent_id == c.id and subthemes[s.id].passages
        ]
        if theme.passages or theme.subthemes:
            out.append(theme)
    return MemberCheck(participant, project_name, out)


def _merged(excerpts, by_path) -> list[tuple[int, str, int, int, str, bool]]:
    """(code id, document, start, end, text, clipped) of each passage, in document order:
    the excerpts of one code in one document whose spans overlap joined into their union
    (the text of the union pieced from theirs: each excerpt's text is its span; clipped
    if any of them was)."""
    out: list[list] = []
    ordered = sorted(
        excerpts, key=lambda e: (e.document, e.document_id, by_path[e.code_path].id, e.start)
    )
    for e in ordered:
        code_id = by_path[e.code_path].id
        last = out[-1] if out else None
        clipped = getattr(e, "clipped", False)
        if last and (last[0], last[5]) == (code_id, e.document_id) and e.start < last[3]:
            if e.end > last[3]:
                last[4] += e.text[last[3] - e.start :]
                last[3] = e.end
            last[6] = last[6] or clipped
            continue
        out.append([code_id, e.document, e.start, e.end, e.text, e.document_id, clipped])
    out.sort(key=lambda m: (m[1], m[5], m[2], m[3]))
    return [(m[0], m[1], m[2], m[3], m[4], m[6]) for m in out]


def to_markdown(report: MemberCheck) -> str:
    """The report as Markdown: # title, ## theme, ### subtheme, > passages."""
    lines = [f"# Member check: participant {report.participant}", "", INTRO, ""]
    if not report.themes:
        lines += ["No passages of your interview have been coded yet.", ""]
    for theme in report.themes:
        lines += (
            [f"## {theme.name}", "", f"*{theme.description}*", ""]
            if theme.description
            else [
                f"## {theme.name}",
                "",
            ]
        )
        lines += _md_passages(theme.passages)
        for sub in theme.subthemes:
            lines += [f"### {sub.name}", ""]
            if sub.description:
                lines += [f"*{sub.description}*", ""]
            lines += _md_passages(sub.passages)
        lines += [f"**{COMMENT_PROMPT}**", "", "&nbsp;", "", "&nbsp;", "", "---", ""]
    return "\n".join(lines)


def _md_passages(passages: list[Passage]) -> list[str]:
    out = []
    for p in passages:
        out += [f"> {p.text}", ">", f"> — {_label(p)}", ""]
    return out


def _label(p: Passage) -> str:
    """Where a passage is from, in the participant's terms: the document, the code when
    deeper than the subtheme, and whether it is part of a longer coded passage (the
    other speakers' words left out). Character offsets mean nothing to a participant."""
    notes = [n for n in (p.code, CLIPPED if p.clipped else "") if n]
    return p.document + (f" ({'; '.join(notes)})" if notes else "")


def write_docx(report: MemberCheck, path: Path) -> None:
    """The report as a Word document: Title, Heading 1 per theme, Heading 2 per
    subtheme, passages in the Quote style, and a comment box (a one-cell table) after
    each theme."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.title = f"Member check: participant {report.participant}"
    doc.add_heading(f"Member check: participant {report.participant}", level=0)
    doc.add_paragraph(INTRO)
    if not report.themes:
        doc.add_paragraph("No passages of your interview have been coded yet.")
    for theme in report.themes:
        doc.add_heading(theme.name, level=1)
        if theme.description:
            doc.add_paragraph(theme.description).runs[0].italic = True
        _docx_passages(doc, theme.passages)
        for sub in theme.subthemes:
            doc.add_heading(sub.name, level=2)
            if sub.description:
                doc.add_paragraph(sub.description).runs[0].italic = True
            _docx_passages(doc, sub.passages)
        doc.add_paragraph(COMMENT_PROMPT).runs[0].bold = True
        box = doc.add_table(rows=1, cols=1)
        box.style = "Table Grid"
        cell = box.rows[0].cells[0]
        cell.paragraphs[0].add_run("\n\n\n\n").font.size = Pt(11)
    doc.save(str(path))


def _docx_passages(doc, passages: list[Passage]) -> None:
    for p in passages:
        doc.add_paragraph(p.text, style="Quote")
        doc.add_paragraph(f"— {_label(p)}")


def write(report: MemberCheck, path: Path, fmt: str | None = None) -> str:
    """Write the report to path in fmt (docx or md; default: from the suffix, else
    docx). Returns the format used. Raises QualcodeError for an unknown format."""
    fmt = fmt or (path.suffix.lower().lstrip(".") if path.suffix else "docx")
    if fmt not in FORMATS:
        raise QualcodeError(f"{path.name}: member-check reports are docx or md, not {fmt!r}")
    if fmt == "md":
        path.write_text(to_markdown(report), encoding="utf-8")
    else:
        write_docx(report, path)
    return fmt
