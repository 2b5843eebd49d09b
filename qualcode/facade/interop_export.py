"""Build the neutral REFI-QDA model of a project (for .qdc and .qdpx export).

Reads the store in a few bulk queries. GUIDs: codes, participants and documents
carry their own (kept in the project); coders keep the GUID they were imported
with, else a uuid5 of their name; variables, selections, codings and notes get
uuid5s of stable keys, so exporting the same project twice gives the same file.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from qualcode.interop.model import (
    Case,
    Code,
    Coding,
    Note,
    QdaProject,
    Selection,
    TextSource,
    User,
    Variable,
    export_guid,
    stable_guid,
)

DOCUMENT_KIND = "document kind"  # the REFI-QDA document variable holding documents.kind


def project_codebook(project) -> list[Code]:
    nodes: dict[int, Code] = {}
    roots: list[Code] = []
    not_codable = set(json.loads(project.get_meta("refi_not_codable") or "{}").get("guids", []))
    for c in project.codes():
        guid = _guid(c.guid, "code", c.id)
        node = Code(guid, c.name, c.colour, c.description or "", guid not in not_codable)
        nodes[c.id] = node
        (nodes[c.parent_id].children if c.parent_id else roots).append(node)
    return roots


def attribute_text(value) -> str | None:
    """How a typed REFI-QDA value is stored as an attribute (text)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float):  # shortest exact text; a whole number as written ("4")
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return str(value)


def typed(value: str | None, kind: str):
    """The attribute's text as a value of the variable's type, or None when it is not
    one, or not written the one way that type writes it back ("01", "True", "1.50"
    stay text: typing them would change them on the way back)."""
    if value is None or value == "":
        return None
    if kind == "Text":
        return value
    parsers: dict[str, Callable[[str], Any]] = {
        "Boolean": lambda v: {"true": True, "false": False}[v],
        "Integer": int,
        "Float": float,
        "Date": date.fromisoformat,
        "DateTime": lambda v: datetime.fromisoformat(v.replace("Z", "+00:00")),
    }
    try:
        result = parsers[kind](value)
    except (KeyError, ValueError):
        return None
    return result if attribute_text(result) == value else None


def infer_type(values: list[str]) -> str:
    """The narrowest REFI-QDA variable type all of an attribute's values fit exactly."""
    present = [v for v in values if v not in (None, "")]
    for kind in ("Boolean", "Integer", "Float", "Date"):
        if present and all(typed(v, kind) is not None for v in present):
            return kind
    return "Text"


_ISO_SECONDS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[+-]\d\d:\d\d|Z)?")


def _xsd_time(text: str | None) -> str | None:
    """The time as xsd:dateTime, or None; qualcode's own stamps already are one."""
    if not text:
        return None
    if _ISO_SECONDS.fullmatch(text):
        return text
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat(timespec="seconds")
    except ValueError:
        return None


def project_to_refi(project) -> QdaProject:
    db = project.db
    refi = QdaProject(name=project.name, origin="qualcode")
    refi.codebook.codes = project_codebook(project)
    code_guid = {c.id: _guid(c.guid, "code", c.id) for c in project.codes()}

    # Coders -> users.
    known = json.loads(project.get_meta("refi_user_guids") or "{}")
    names = [
        r[0]
        for r in db.execute(
            "SELECT coder FROM codings UNION SELECT author FROM memos WHERE author IS NOT NULL ORDER BY 1"
        )
    ]
    names += [name for name in known if name not in names]  # imported users who coded nothing
    user_guid = {
        name: export_guid(known[name], "user") if known.get(name) else stable_guid("user", name)
        for name in names
    }
    refi.users = [User(guid, name) for name, guid in user_guid.items()]

    # Attributes -> typed variables; participants -> cases.
    attrs: dict[int, dict[str, str]] = defaultdict(dict)
    by_name: dict[str, list[str]] = defaultdict(list)
    for pid_id, name, value in db.execute(
        "SELECT participant_id, name, value FROM attributes ORDER BY name"
    ):
        attrs[pid_id][name] = value
        by_name[name].append(value)
    types = json.loads(project.get_meta("refi_variable_types") or "{}")
    variables = {}
    for name in sorted(by_name):
        kind = types.get(name) or infer_type(by_name[name])
        if any(typed(v, kind) is None for v in by_name[name] if v not in (None, "")):
            kind = "Text"  # a stored type the values no longer fit
        variables[name] = Variable(stable_guid("variable", name), name, kind)
    refi.variables = list(variables.values())
    kind_variable = Variable(
        stable_guid("variable", DOCUMENT_KIND),
        DOCUMENT_KIND,
        "Text",
        "what the document is (interview, report...), kept by qualcode",
    )

    docs = db.execute(
        "SELECT id, participant_id, title, text, guid, imported_at, kind FROM documents "
        "ORDER BY position, id"
    ).fetchall()
    if docs:
        refi.variables.append(kind_variable)
    # Each source goes into the case of every participant it belongs to (a focus group
    # is in several cases), in document order.
    members: dict[int, list[int]] = defaultdict(list)
    for doc_id, pid_id in db.execute(
        "SELECT document_id, participant_id FROM document_participants"
    ):
        members[doc_id].append(pid_id)
    docs_of: dict[int, list[str]] = defaultdict(list)
    for doc_id, pid_id, _title, _text, guid, _at, _kind in docs:
        for member in members.get(doc_id) or ([pid_id] if pid_id is not None else []):
            docs_of[member].append(_guid(guid, "document", doc_id))
    case_guid: dict[int, str] = {}
    for pid_id, pid, label, guid in db.execute(
        "SELECT id, pid, label, guid FROM participants ORDER BY id"
    ):
        case_guid[pid_id] = _guid(guid, "participant", pid_id)
        values = {variables[n].guid: typed(v, variables[n].type) for n, v in attrs[pid_id].items()}
        refi.cases.append(Case(case_guid[pid_id], pid, label or "", values, docs_of[pid_id]))

    # Documents -> text sources; codings -> selections (one per span) with codings.
    codings: dict[int, list] = defaultdict(list)
    for row in db.execute(
        'SELECT id, document_id, start, "end", code_id, coder, created_at '
        'FROM codings ORDER BY document_id, start, "end", id'
    ):
        codings[row[1]].append(row)
    notes: list[Note] = []
    doc_guid: dict[int, str] = {}
    for doc_id, _pid_id, title, text, guid, imported_at, kind in docs:
        guid = _guid(guid, "document", doc_id)
        doc_guid[doc_id] = guid
        source = TextSource(
            guid, title, text, created=_xsd_time(imported_at), values={kind_variable.guid: kind}
        )
        spans: dict[tuple[int, int], Selection] = {}
        for cid, _doc, start, end, code_id, coder, created in codings[doc_id]:
            sel = spans.get((start, end))
            if sel is None:
                sel = Selection(
                    stable_guid("selection", f"{guid}:{start}:{end}"),
                    start,
                    end,
                    user_guid=user_guid[coder],
                    created=_xsd_time(created),
                )
                spans[(start, end)] = sel
                source.selections.append(sel)
            coding = Coding(
                stable_guid("coding", f"{guid}:{cid}"),
                code_guid[code_id],
                user_guid[coder],
                _xsd_time(created),
            )
            sel.codings.append(coding)
        refi.sources.append(source)

    # Memos -> notes, attached to what they are about.
    targets = {"code": code_guid, "document": doc_guid, "participant": case_guid}
    coding_doc = {row[0]: doc for doc, rows in codings.items() for row in rows}
    for mid, kind, target_id, title, text, author, created in db.execute(
        "SELECT id, target_type, target_id, title, text, author, created_at FROM memos ORDER BY id"
    ):
        if kind == "coding":
            doc = coding_doc.get(target_id)
            target = stable_guid("coding", f"{doc_guid[doc]}:{target_id}") if doc else "project"
        else:
            target = targets.get(kind, {}).get(target_id, "project")
        notes.append(
            Note(
                stable_guid("memo", f"{refi.name}:{mid}"),
                title or ("Coding memo" if kind == "coding" else ""),
                text,
                user_guid=user_guid.get(author),
                created=_xsd_time(created),
                target_guids=[target],
            )
        )
    refi.notes = notes
    return refi


def _guid(stored: str | None, kind: str, row_id: int) -> str:
    """A row's stored GUID in canonical form. Every row has one since schema 11; a row
    without (none should be) gets a uuid5 of its id, never stored: exports write nothing."""
    return export_guid(stored, kind) if stored else stable_guid(f"{kind}-row", str(row_id))
