"""REFI-QDA codebooks (.qdc): read into and write from the neutral model.

The code tree parser and writer are shared with qdpx.py, whose CodeBook element
has the same Code elements in the project namespace.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.etree.ElementTree import Element

from qualcode.errors import InteropError
from qualcode.interop.model import Code, Codebook, CodeSet, canonical_guid
from qualcode.interop.xml import (
    CODEBOOK_NS,
    child,
    child_text,
    children,
    local_name,
    namespace,
    parse_xml,
)

MAX_QDC_BYTES = 64 * 1024 * 1024
_COLOR = re.compile(r"#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
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
    # Depth-first with an explicit stack: a hostile file cannot exhaust recursion.
    pending = [(el, roots) for el in reversed(children(codes_element, "Code"))]
    while pending:
        element, siblings = pending.pop()
        name = element.get("name")
        where = f"{label}: code {name!r}"
        guid = canonical_guid(element.get("guid"), where)
        if name is None or not name.strip():
            raise InteropError(f"{label}: code {guid} has no name")
        if guid in seen:
            raise InteropError(f"{label}: duplicate code GUID {guid} ({seen[guid].name!r} and {name!r})")
        code = Code(
            guid=guid,
            name=name,
            color=normal_color(element.get("color")),
            description=child_text(element, "Description"),
            is_codable=parse_bool(element.get("isCodable"), where),
        )
        seen[guid] = code
        siblings.append(code)
        pending.extend((sub, code.children) for sub in reversed(children(element, "Code")))
    return roots


def parse_codebook_sets(sets_element: Element | None, label: str, codes: dict[str, Code]) -> list[CodeSet]:
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


def build_code(code: Code, ns: str, extra=None) -> Element:
    """<Code> element for `code` and its subtree; `extra(code, element)` may add
    elements (NoteRef in a project) after the Description and before subcodes."""
    element = _code_element(code, ns, extra)
    stack = [(code, element)]
    while stack:
        parent_code, parent_element = stack.pop()
        for sub in parent_code.children:
            sub_element = _code_element(sub, ns, extra)
            parent_element.append(sub_element)
            stack.append((sub, sub_element))
    return element


def _code_element(code: Code, ns: str, extra) -> Element:
    attrs = {"guid": code.guid, "name": code.name, "isCodable": "true" if code.is_codable else "false"}
    color = normal_color(code.color)
    if color:
        attrs["color"] = color
    element = Element("Code", attrs)
    if code.description:
        ET.SubElement(element, "Description").text = code.description
    if extra is not None:
        extra(code, element)
    return element


def codebook_to_xml(codebook: Codebook, origin: str = "qualcode") -> bytes:
    if not codebook.codes:
        raise InteropError("the codebook is empty; a REFI-QDA codebook needs at least one code")
    ns = CODEBOOK_NS
    root = Element("CodeBook", {"origin": codebook.origin or origin})
    codes = ET.SubElement(root, "Codes")
    for code in codebook.codes:
        codes.append(build_code(code, ns))
    if codebook.sets:
        sets = ET.SubElement(root, "Sets")
        for code_set in codebook.sets:
            element = ET.SubElement(sets, "Set", {"guid": code_set.guid, "name": code_set.name})
            if code_set.description:
                ET.SubElement(element, "Description").text = code_set.description
            for member in code_set.member_codes:
                ET.SubElement(element, "MemberCode", {"guid": member})
    return to_bytes(root, ns)


def to_bytes(root: Element, ns: str) -> bytes:
    """Serialise a tree built with local names, declaring `ns` as the default
    namespace (ElementTree's default_namespace option rejects plain attributes)."""
    root.set("xmlns", ns)
    for element in root.iter():
        if element.text:
            element.text = xml_safe(element.text)
        for key, value in element.attrib.items():
            element.attrib[key] = xml_safe(value)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def xml_safe(text: str) -> str:
    """XML 1.0 cannot hold most control characters (a stray form feed in a memo);
    they become U+FFFD rather than making the whole file unreadable."""
    return _XML_INVALID.sub("\ufffd", text) if _XML_INVALID.search(text) else text


def write_qdc(codebook: Codebook, path: str | Path) -> None:
    """Write `codebook` as a .qdc file (written whole, then renamed into place)."""
    path = Path(path)
    data = codebook_to_xml(codebook)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
