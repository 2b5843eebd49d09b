"""REFI-QDA codebooks (.qdc): read into and write from the neutral model.

The code tree parser and writer are shared with qdpx.py, whose CodeBook element
has the same Code elements in the project namespace.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from xml.etree.ElementTree import Element

from qualcode.errors import InteropError, reported_as
from qualcode.interop.model import Code, Codebook, CodeSet, canonical_guid
from qualcode.interop.xml import (
    CODEBOOK_NS,
    XmlWriter,
    child,
    child_text,
    children,
    local_name,
    namespace,
    parse_xml,
)

MAX_QDC_BYTES = 64 * 1024 * 1024
MAX_CODE_DEPTH = 100  # real codebooks are a handful of levels deep
_COLOR = re.compile(r"#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")
_TRUE = {"true", "1"}
_FALSE = {"false", "0"}


def parse_bool(value: str | None, where: str, default: bool = True) -> bool:
    if value is None:
        return default
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InteropError(f"{where}: {value!r} is not a boolean")


def normal_color(value: str | None) -> str | None:
    """'#rrggbb' (case kept) or None; a colour the schema would refuse is dropped
    rather than failing the import, since it carries no coded data."""
    if value is None or not _COLOR.fullmatch(value.strip()):
        return None
    hexa = value.strip()[1:]
    if len(hexa) == 3:
        hexa = "".join(c * 2 for c in hexa)
    return "#" + hexa


def parse_codes(codes_element: Element, label: str, seen: dict[str, Code]) -> list[Code]:
    """The code tree under a <Codes> element; `seen` collects codes by GUID."""
    roots: list[Code] = []
    # Depth-first with an explicit stack: a hostile file cannot exhaust recursion here,
    # and the depth is capped so that nothing downstream can be made to either.
    pending = [(el, roots, 1) for el in reversed(children(codes_element, "Code"))]
    while pending:
        element, siblings, depth = pending.pop()
        if depth > MAX_CODE_DEPTH:
            raise InteropError(
                f"{label}: the code tree is deeper than {MAX_CODE_DEPTH} levels; refused"
            )
        name = element.get("name")
        where = f"{label}: code {name!r}"
        guid = canonical_guid(element.get("guid"), where)
        if name is None or not name.strip():
            raise InteropError(f"{label}: code {guid} has no name")
        if guid in seen:
            raise InteropError(
                f"{label}: duplicate code GUID {guid} ({seen[guid].name!r} and {name!r})"
            )
        code = Code(
            guid=guid,
            name=name,
            color=normal_color(element.get("color")),
            description=child_text(element, "Description"),
            is_codable=parse_bool(element.get("isCodable"), where),
        )
        seen[guid] = code
        siblings.append(code)
        pending.extend(
            (sub, code.children, depth + 1) for sub in reversed(children(element, "Code"))
        )
    return roots


def parse_codebook_sets(
    sets_element: Element | None, label: str, codes: dict[str, Code]
) -> list[CodeSet]:
    sets: list[CodeSet] = []
    if sets_element is None:
        return sets
    for element in children(sets_element, "Set"):
        name = element.get("name") or ""
        guid = canonical_guid(element.get("guid"), f"{label}: set {name!r}")
        members = []
        for member in children(element, "MemberCode"):
            # Codebook.xsd calls the attribute `guid`, Project.xsd `targetGUID`.
            ref = member.get("guid") or member.get("targetGUID")
            members.append(canonical_guid(ref, f"{label}: set {name!r}"))
        unknown = [m for m in members if m not in codes]
        if unknown:
            raise InteropError(f"{label}: set {name!r} names unknown code GUID {unknown[0]}")
        sets.append(CodeSet(guid, name, child_text(element, "Description"), members))
    return sets


def read_qdc(path: str | Path) -> Codebook:
    """Read a .qdc codebook file."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_QDC_BYTES + 1)
    except OSError as exc:
        raise InteropError(f"{path.name}: cannot read ({exc.strerror})") from None
    if len(data) > MAX_QDC_BYTES:
        raise InteropError(f"{path.name}: larger than {MAX_QDC_BYTES} bytes; refused")
    with reported_as(InteropError, path.name):
        return codebook_from_xml(data, path.name)


def codebook_from_xml(data: bytes, label: str) -> Codebook:
    root = parse_xml(data, label)
    if local_name(root) != "CodeBook" or namespace(root) not in (CODEBOOK_NS, ""):
        raise InteropError(f"{label}: not a REFI-QDA codebook (root element <{local_name(root)}>)")
    codes_element = child(root, "Codes")
    if codes_element is None:
        raise InteropError(f"{label}: the codebook has no <Codes> element")
    seen: dict[str, Code] = {}
    codes = parse_codes(codes_element, label, seen)
    sets = parse_codebook_sets(child(root, "Sets"), label, seen)
    return Codebook(codes=codes, sets=sets, origin=root.get("origin"))


def write_codes(
    writer: XmlWriter, codes: list[Code], notes_of: dict[str, list[str]] | None = None
) -> None:
    """<Code> elements for a tree (iteratively: depth is not limited by recursion);
    `notes_of` maps a code GUID to the notes it refers to (NoteRef, projects only)."""
    stack: list[tuple[bool, Code]] = [(False, code) for code in reversed(codes)]
    while stack:
        closing, code = stack.pop()
        if closing:
            writer.close("Code")
            continue
        attrs = {
            "guid": code.guid,
            "name": code.name,
            "isCodable": "true" if code.is_codable else "false",
            "color": normal_color(code.color),
        }
        notes = (notes_of or {}).get(code.guid, [])
        if not (code.description or notes or code.children):
            writer.empty("Code", attrs)
            continue
        writer.open("Code", attrs)
        if code.description:
            writer.text("Description", code.description)
        for note in notes:
            writer.empty("NoteRef", {"targetGUID": note})
        stack.append((True, code))
        stack.extend((False, sub) for sub in reversed(code.children))


def write_sets(
    writer: XmlWriter, sets: list[CodeSet], member_attr: str = "guid", with_sources: bool = False
) -> None:
    """<Sets> of a codebook or a project: Codebook.xsd names a member's attribute `guid`,
    Project.xsd `targetGUID`; only a project's sets can hold sources."""
    writer.open("Sets")
    for code_set in sets:
        writer.open("Set", {"guid": code_set.guid, "name": code_set.name})
        if code_set.description:
            writer.text("Description", code_set.description)
        for member in code_set.member_codes:
            writer.empty("MemberCode", {member_attr: member})
        for member in code_set.member_sources if with_sources else ():
            writer.empty("MemberSource", {member_attr: member})
        writer.close("Set")
    writer.close("Sets")


def codebook_to_xml(codebook: Codebook, origin: str = "qualcode") -> bytes:
    if not codebook.codes:
        raise InteropError("the codebook is empty; a REFI-QDA codebook needs at least one code")
    out = io.BytesIO()
    writer = XmlWriter(out, "CodeBook", CODEBOOK_NS, {"origin": codebook.origin or origin})
    writer.open("Codes")
    write_codes(writer, codebook.codes)
    writer.close("Codes")
    if codebook.sets:
        write_sets(writer, codebook.sets)
    writer.finish("CodeBook")
    return out.getvalue()


def write_qdc(codebook: Codebook, path: str | Path) -> None:
    """Write `codebook` as a .qdc file (written whole, then renamed into place)."""
    path = Path(path)
    if not codebook.codes:
        raise InteropError(
            f"{path.name}: no codes to write (a REFI-QDA codebook needs at least one)"
        )
    data = codebook_to_xml(codebook)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
