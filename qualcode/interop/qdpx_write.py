"""Write the neutral model as a REFI-QDA project (.qdpx) that the XSD accepts.

Texts go in `sources/<guid>.txt` as UTF-8 without BOM, "\\n" newlines, so the
selection positions (code points, end exclusive) index the file exactly as
the standard says. Notes are written inline (PlainTextContent) and attached
with NoteRef where the schema allows one; attachments the schema has no place
for (a note about a case) become project-level notes.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from xml.etree.ElementTree import Element

from qualcode.interop.model import Case, QdaProject, TextSource, VariableValue, stable_guid
from qualcode.interop.qdc import build_code, to_bytes
from qualcode.interop.xml import PROJECT_NS

NS = PROJECT_NS
_VALUE_TAG = {
    "Text": "TextValue",
    "Boolean": "BooleanValue",
    "Integer": "IntegerValue",
    "Float": "FloatValue",
    "Date": "DateValue",
    "DateTime": "DateTimeValue",
}


def _tag(name: str) -> str:
    return name  # local names; to_bytes declares the default namespace


def _sub(parent: Element, name: str, attrs: dict[str, str] | None = None, text: str | None = None) -> Element:
    element = ET.SubElement(parent, _tag(name), {k: v for k, v in (attrs or {}).items() if v is not None})
    if text is not None:
        element.text = text
    return element


def format_value(value: VariableValue, kind: str) -> str | None:
    """The XML text of a typed value (None = no value)."""
    if value is None or value == "" and kind != "Text":
        return None
    if kind == "Boolean":
        return "true" if value else "false"
    if kind == "Integer":
        return str(int(value))
    if kind == "Float":
        # xsd:decimal has no exponent: 1e-07 must be written 0.0000001.
        return format(Decimal(repr(float(value))), "f")
    if kind == "Date":
        return value.isoformat() if isinstance(value, date) else str(value)
    if kind == "DateTime":
        return value.isoformat() if isinstance(value, datetime) else str(value)
    return str(value)


def project_to_xml(project: QdaProject, origin: str = "qualcode") -> bytes:
    root = Element(_tag("Project"), {"name": project.name or "qualcode project", "origin": project.origin or origin})
    notes_by_target: dict[str, list[str]] = {}
    for note in project.notes:
        for target in note.target_guids:
            notes_by_target.setdefault(target, []).append(note.guid)
    placed: set[tuple[str, str]] = set()  # (note, target) pairs written as NoteRef

    def note_refs(element: Element, guid: str) -> None:
        for note_guid in notes_by_target.get(guid, []):
            _sub(element, "NoteRef", {"targetGUID": note_guid})
            placed.add((note_guid, guid))

    if project.users:
        users = _sub(root, "Users")
        for user in project.users:
            _sub(users, "User", {"guid": user.guid, "name": user.name, "id": user.id})
    if project.codebook.codes:
        codes = _sub(_sub(root, "CodeBook"), "Codes")
        for code in project.codebook.codes:
            codes.append(build_code(code, NS, lambda c, el: note_refs(el, c.guid)))
    variables = {variable.guid: variable for variable in project.variables}
    if project.variables:
        container = _sub(root, "Variables")
        for variable in project.variables:
            element = _sub(container, "Variable", {
                "guid": variable.guid, "name": variable.name, "typeOfVariable": variable.type})
            if variable.description:
                _sub(element, "Description", text=variable.description)
    if project.cases:
        container = _sub(root, "Cases")
        for case in project.cases:
            _write_case(container, case, variables)
    if project.sources:
        container = _sub(root, "Sources")
        for source in project.sources:
            _write_source(container, source, note_refs)
    if project.notes:
        container = _sub(root, "Notes")
        for note in project.notes:
            element = _sub(container, "Note", {
                "guid": note.guid, "name": note.name or None, "creatingUser": note.user_guid,
                "creationDateTime": note.created})
            if note.description:
                _sub(element, "Description", text=note.description)
            _sub(element, "PlainTextContent", text=note.text)
    if project.codebook.sets:
        container = _sub(root, "Sets")
        for code_set in project.codebook.sets:
            element = _sub(container, "Set", {"guid": code_set.guid, "name": code_set.name})
            if code_set.description:
                _sub(element, "Description", text=code_set.description)
            for member in code_set.member_codes:
                _sub(element, "MemberCode", {"targetGUID": member})
            for member in code_set.member_sources:
                _sub(element, "MemberSource", {"targetGUID": member})
    # A note about a case (CaseType has no NoteRef) is linked to it; notes attached
    # to nothing are project notes.
    links = []
    for note in project.notes:
        for target in note.target_guids:
            if target != "project" and (note.guid, target) not in placed:
                links.append((note.guid, target))
    if links:
        container = Element(_tag("Links"))
        for note_guid, target in links:
            _sub(container, "Link", {"guid": stable_guid("link", f"{note_guid}:{target}"), "name": "memo",
                                     "direction": "OneWay", "originGUID": note_guid, "targetGUID": target})
        # Links come after Notes and before Sets in the schema's sequence.
        index = list(root).index(root.find("Sets")) if root.find("Sets") is not None else len(root)
        root.insert(index, container)
    for note in project.notes:
        if "project" in note.target_guids or not note.target_guids:
            _sub(root, "NoteRef", {"targetGUID": note.guid})
    return to_bytes(root, NS)


def _write_case(container: Element, case: Case, variables) -> None:
    element = _sub(container, "Case", {"guid": case.guid, "name": case.name})
    if case.description:
        _sub(element, "Description", text=case.description)
    for variable_guid, value in case.values.items():
        kind = variables[variable_guid].type
        text = format_value(value, kind)
        if text is None:
            continue
        holder = _sub(element, "VariableValue")
        _sub(holder, "VariableRef", {"targetGUID": variable_guid})
        _sub(holder, _VALUE_TAG[kind], text=text)
    for source_guid in case.source_guids:
        _sub(element, "SourceRef", {"targetGUID": source_guid})


def _write_source(container: Element, source: TextSource, note_refs) -> None:
    element = _sub(container, "TextSource", {
        "guid": source.guid, "name": source.name,
        "plainTextPath": f"internal://{source.guid}.txt",
        "creatingUser": source.user_guid, "creationDateTime": source.created})
    if source.description:
        _sub(element, "Description", text=source.description)
    for selection in source.selections:
        sel = _sub(element, "PlainTextSelection", {
            "guid": selection.guid, "name": selection.name,
            "startPosition": str(selection.start), "endPosition": str(selection.end),
            "creatingUser": selection.user_guid, "creationDateTime": selection.created})
        for coding in selection.codings:
            coding_element = _sub(sel, "Coding", {
                "guid": coding.guid, "creatingUser": coding.user_guid,
                "creationDateTime": coding.created})
            _sub(coding_element, "CodeRef", {"targetGUID": coding.code_guid})
            note_refs(coding_element, coding.guid)
        note_refs(sel, selection.guid)
    note_refs(element, source.guid)


def write_qdpx(project: QdaProject, path: str | Path) -> None:
    """Write `project` as a .qdpx archive (written whole, then renamed into place)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("project.qde", project_to_xml(project))
            for source in project.sources:
                archive.writestr(f"sources/{source.guid}.txt", source.text.encode("utf-8"))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
