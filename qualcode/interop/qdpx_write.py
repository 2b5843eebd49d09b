"""Write the neutral model as a REFI-QDA project (.qdpx) that the XSD accepts.

Texts go in `sources/<guid>.txt` as UTF-8 without BOM, "\\n" newlines, so the
selection positions (code points, end exclusive) index the file exactly as
the standard says. project.qde is streamed into the archive (a million codings
never sit in memory as XML). Notes are written inline (PlainTextContent) and
attached with NoteRef where the schema allows one; a note about something that
cannot hold a NoteRef (a case) is tied to it by a Link; unattached notes are
project notes.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO

from qualcode.interop.model import Code, QdaProject, VariableValue, stable_guid
from qualcode.interop.qdc import write_codes, write_sets
from qualcode.interop.xml import PROJECT_NS, XmlWriter

_VALUE_TAG = {
    "Text": "TextValue",
    "Boolean": "BooleanValue",
    "Integer": "IntegerValue",
    "Float": "FloatValue",
    "Date": "DateValue",
    "DateTime": "DateTimeValue",
}


def format_value(value: VariableValue, kind: str) -> str | None:
    """The XML text of a typed value (None = no value)."""
    if value is None or value == "" and kind != "Text":
        return None
    if kind == "Boolean":
        return "true" if value else "false"
    if kind == "Integer" and not isinstance(value, date):
        return str(int(value))
    if kind == "Float" and not isinstance(value, date):
        # xsd:decimal has no exponent: 1e-07 must be written 0.0000001.
        return format(Decimal(repr(float(value))), "f")
    if kind == "Date":
        return value.isoformat() if isinstance(value, date) else str(value)
    if kind == "DateTime":
        return value.isoformat() if isinstance(value, datetime) else str(value)
    return str(value)


def _note_placement(
    project: QdaProject,
) -> tuple[dict[str, list[str]], list[tuple[str, str]], list[str]]:
    """(note GUIDs per target that can hold a NoteRef, links to write, project notes)."""
    can_refer = {code.guid for code in _codes(project.codebook.codes)}
    for source in project.sources:
        can_refer.add(source.guid)
        for sel in source.selections:
            can_refer.add(sel.guid)
            can_refer.update(coding.guid for coding in sel.codings)
    notes_of: dict[str, list[str]] = {}
    links: list[tuple[str, str]] = []
    project_notes: list[str] = []
    for note in project.notes:
        if not note.target_guids or "project" in note.target_guids:
            project_notes.append(note.guid)
        for target in note.target_guids:
            if target in can_refer:
                notes_of.setdefault(target, []).append(note.guid)
            elif target != "project":
                links.append((note.guid, target))
    return notes_of, links, project_notes


def _codes(codes: list[Code]) -> Iterator[Code]:
    stack = list(codes)
    while stack:
        code = stack.pop()
        yield code
        stack.extend(code.children)


def write_project_xml(project: QdaProject, out: IO[bytes], origin: str = "qualcode") -> None:
    notes_of, links, project_notes = _note_placement(project)
    w = XmlWriter(
        out,
        "Project",
        PROJECT_NS,
        {"name": project.name or "qualcode project", "origin": project.origin or origin},
    )

    def note_refs(guid: str) -> None:
        for note_guid in notes_of.get(guid, []):
            w.empty("NoteRef", {"targetGUID": note_guid})

    if project.users:
        w.open("Users")
        for user in project.users:
            w.empty("User", {"guid": user.guid, "name": user.name, "id": user.id})
        w.close("Users")
    if project.codebook.codes:
        w.open("CodeBook")
        w.open("Codes")
        write_codes(w, project.codebook.codes, notes_of)
        w.close("Codes")
        w.close("CodeBook")
    variables = {variable.guid: variable for variable in project.variables}

    def write_values(values: dict[str, VariableValue]) -> None:
        for variable_guid, value in values.items():
            kind = variables[variable_guid].type
            text = format_value(value, kind)
            if text is None:
                continue
            w.open("VariableValue")
            w.empty("VariableRef", {"targetGUID": variable_guid})
            w.text(_VALUE_TAG[kind], text)
            w.close("VariableValue")

    if project.variables:
        w.open("Variables")
        for v in project.variables:
            attrs = {"guid": v.guid, "name": v.name, "typeOfVariable": v.type}
            if v.description:
                w.open("Variable", attrs)
                w.text("Description", v.description)
                w.close("Variable")
            else:
                w.empty("Variable", attrs)
        w.close("Variables")
    if project.cases:
        w.open("Cases")
        for case in project.cases:
            w.open("Case", {"guid": case.guid, "name": case.name})
            if case.description:
                w.text("Description", case.description)
            write_values(case.values)
            for source_guid in case.source_guids:
                w.empty("SourceRef", {"targetGUID": source_guid})
            w.close("Case")
        w.close("Cases")
    if project.sources:
        w.open("Sources")
        for source in project.sources:
            w.open(
                "TextSource",
                {
                    "guid": source.guid,
                    "name": source.name,
                    "plainTextPath": f"internal://{source.guid}.txt",
                    "creatingUser": source.user_guid,
                    "creationDateTime": source.created,
                },
            )
            if source.description:
                w.text("Description", source.description)
            for sel in source.selections:
                w.open(
                    "PlainTextSelection",
                    {
                        "guid": sel.guid,
                        "name": sel.name,
                        "startPosition": str(sel.start),
                        "endPosition": str(sel.end),
                        "creatingUser": sel.user_guid,
                        "creationDateTime": sel.created,
                    },
                )
                for coding in sel.codings:
                    w.open(
                        "Coding",
                        {
                            "guid": coding.guid,
                            "creatingUser": coding.user_guid,
                            "creationDateTime": coding.created,
                        },
                    )
                    w.empty("CodeRef", {"targetGUID": coding.code_guid})
                    note_refs(coding.guid)
                    w.close("Coding")
                note_refs(sel.guid)
                w.close("PlainTextSelection")
            note_refs(source.guid)
            write_values(source.values)
            w.close("TextSource")
        w.close("Sources")
    if project.notes:
        w.open("Notes")
        for note in project.notes:
            w.open(
                "Note",
                {
                    "guid": note.guid,
                    "name": note.name or None,
                    "creatingUser": note.user_guid,
                    "creationDateTime": note.created,
                },
            )
            if note.description:
                w.text("Description", note.description)
            w.text("PlainTextContent", note.text)
            w.close("Note")
        w.close("Notes")
    if links:
        w.open("Links")
        for note_guid, target in links:
            w.empty(
                "Link",
                {
                    "guid": stable_guid("link", f"{note_guid}:{target}"),
                    "name": "memo",
                    "direction": "OneWay",
                    "originGUID": note_guid,
                    "targetGUID": target,
                },
            )
        w.close("Links")
    if project.codebook.sets:
        write_sets(w, project.codebook.sets, "targetGUID", with_sources=True)
    for note_guid in project_notes:
        w.empty("NoteRef", {"targetGUID": note_guid})
    w.finish("Project")


def project_to_xml(project: QdaProject, origin: str = "qualcode") -> bytes:
    out = io.BytesIO()
    write_project_xml(project, out, origin)
    return out.getvalue()


def write_qdpx(project: QdaProject, path: str | Path) -> None:
    """Write `project` as a .qdpx archive (written whole, then renamed into place)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            with archive.open("project.qde", "w") as out:
                write_project_xml(project, out)
            for source in project.sources:
                archive.writestr(f"sources/{source.guid}.txt", source.text.encode("utf-8"))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
