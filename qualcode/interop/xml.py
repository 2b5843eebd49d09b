"""Parse REFI-QDA XML safely (defusedxml only) and help write it.

Entity declarations are refused outright: no REFI-QDA producer needs them, and
they are the vehicle of "billion laughs" expansion and of external entities that
read local files or fetch URLs. Errors name the file and say what was refused.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring

from qualcode.errors import InteropError

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"


def parse_xml(data: bytes, label: str) -> Element:
    """The root element of `data`; `label` names the file in error messages."""
    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except EntitiesForbidden as exc:
        if exc.sysid or exc.pubid:
            raise InteropError(
                f"{label}: external entity {exc.name!r} ({exc.sysid or exc.pubid}) refused"
            ) from None
        raise InteropError(
            f"{label}: XML entity declaration {exc.name!r} refused (entity expansion attack?)"
        ) from None
    except ExternalReferenceForbidden as exc:
        raise InteropError(
            f"{label}: external reference ({exc.sysid or exc.pubid}) refused"
        ) from None
    except DTDForbidden:
        raise InteropError(f"{label}: document type declarations are refused") from None
    except ParseError as exc:
        line, column = exc.position
        raise InteropError(
            f"{label}: not well-formed XML (line {line}, column {column})"
        ) from None


def local_name(element: Element) -> str:
    """The tag without its namespace ('{urn:...}Code' -> 'Code')."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace(element: Element) -> str:
    tag = element.tag
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def children(element: Element, name: str) -> list[Element]:
    """Direct children with local name `name`, whatever their namespace."""
    return [child for child in element if local_name(child) == name]


def child(element: Element, name: str) -> Element | None:
    for candidate in element:
        if local_name(candidate) == name:
            return candidate
    return None


def child_text(element: Element, name: str) -> str:
    found = child(element, name)
    return (found.text or "") if found is not None else ""
