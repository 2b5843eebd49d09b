"""Parse REFI-QDA XML safely and write it (streaming).

Entity declarations are refused outright: no REFI-QDA producer needs them, and
they are the vehicle of "billion laughs" expansion and of external entities that
read local files or fetch URLs. Errors name the file and say what was refused.

A whole document (a .qdc codebook) is parsed by defusedxml. A project.qde, which can
be 70 MB, is streamed by the standard library's C parser (XMLPullParser), three
times faster than defusedxml's pure-Python handlers; a guard parser (pyexpat with
defusedxml's refusals) reads every chunk first, up to the root element's start tag:
entity declarations can only come before it, so none reaches the C parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import IO, NoReturn
from xml.etree.ElementTree import Element, ParseError, XMLPullParser
from xml.parsers import expat

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring

from qualcode.errors import InteropError

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"


@contextmanager
def refusing(label: str) -> Iterator[None]:
    """Turn defusedxml's refusals and parse errors into one-line InteropErrors."""
    try:
        yield
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
        raise InteropError(f"{label}: not well-formed XML (line {line}, column {column})") from None
    except expat.ExpatError as exc:
        raise InteropError(
            f"{label}: not well-formed XML (line {exc.lineno}, column {exc.offset})"
        ) from None
    except LookupError as exc:  # expat: an encoding named in the XML declaration it lacks
        raise InteropError(
            f"{label}: unknown text encoding in the XML declaration ({exc})"
        ) from None
    except (ValueError, UnicodeError) as exc:
        raise InteropError(f"{label}: not readable XML ({exc})") from None


def parse_xml(data: bytes, label: str) -> Element:
    """The root element of `data`; `label` names the file in error messages."""
    with refusing(label):
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)


_CHUNK = 1 << 16


class _RootReached(Exception):
    """The guard parser saw the root element's start tag: the prolog is over."""


def _prolog_guard() -> expat.XMLParserType:
    """A pyexpat parser that raises defusedxml's exceptions on an entity declaration or
    an external reference and _RootReached at the first start tag."""

    def entity(
        name: str,
        is_parameter: bool,
        value: str | None,
        base: str | None,
        sysid: str | None,
        pubid: str | None,
        notation: str | None,
    ) -> NoReturn:
        raise EntitiesForbidden(name, value, base, sysid, pubid, notation)

    def unparsed(
        name: str, base: str | None, sysid: str | None, pubid: str | None, notation: str | None
    ) -> NoReturn:
        raise EntitiesForbidden(name, None, base, sysid, pubid, notation)

    def external(context: str, base: str | None, sysid: str | None, pubid: str | None) -> NoReturn:
        raise ExternalReferenceForbidden(context, base, sysid, pubid)

    def root(name: str, attributes: object) -> NoReturn:
        raise _RootReached

    guard = expat.ParserCreate()
    guard.EntityDeclHandler = entity
    guard.UnparsedEntityDeclHandler = unparsed
    guard.ExternalEntityRefHandler = external
    guard.StartElementHandler = root
    return guard


def iterparse_xml(stream: IO[bytes], label: str) -> Iterator[tuple[str, Element]]:
    """("start" | "end", element) events from `stream`, read in 64 KiB chunks, with the
    same refusals as parse_xml (InteropError naming `label`).

    Each chunk goes to the guard parser before the C parser until the guard has seen
    the root's start tag, so a declaration is refused before the C parser could expand
    or fetch anything it declares."""
    with refusing(label):
        guard: expat.XMLParserType | None = _prolog_guard()
        parser: XMLPullParser[Element] = XMLPullParser(events=("start", "end"))
        while chunk := stream.read(_CHUNK):
            if guard is not None:
                try:
                    guard.Parse(chunk, False)
                except _RootReached:
                    guard = None
            parser.feed(chunk)
            yield from _events(parser)
        if guard is not None:
            guard.Parse(b"", True)  # a document without elements: its error, if any
        parser.close()
        yield from _events(parser)


def _events(parser: XMLPullParser[Element]) -> Iterator[tuple[str, Element]]:
    # Only "start" and "end" were asked for: each comes with its element.
    return parser.read_events()  # type: ignore[return-value]


_LOCAL_NAMES: dict[str, str] = {}  # a project.qde has a few dozen distinct tags


def local_name(element: Element) -> str:
    """The tag without its namespace ('{urn:...}Code' -> 'Code')."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    found = _LOCAL_NAMES.get(tag)
    if found is None:
        found = tag.rsplit("}", 1)[-1]
        if len(_LOCAL_NAMES) < 10_000:  # bounded: a hostile file may invent many tags
            _LOCAL_NAMES[tag] = found
    return found


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


_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)


def xml_safe(text: str) -> str:
    """XML 1.0 cannot hold most control characters (a stray form feed in a memo);
    they become U+FFFD rather than making the whole file unreadable."""
    return _INVALID_XML.sub("\ufffd", text) if _INVALID_XML.search(text) else text


_NEEDS_ESCAPE = re.compile('[&<>"\x00-\x1f\ufffe\uffff]')


def _attribute_value(value: str) -> str:
    # Most values are GUIDs and numbers: test once, escape only when needed.
    if _NEEDS_ESCAPE.search(value) is None:
        return value
    return xml_safe(value).translate(_ATTR_ESCAPES)


def _attributes(attrs: Mapping[str, str | None] | None) -> str:
    if not attrs:
        return ""
    return "".join(f' {k}="{_attribute_value(str(v))}"' for k, v in attrs.items() if v is not None)


class XmlWriter:
    """Streams indented XML to a binary file, escaping as it goes.

    Writing a 1,000,000-coding project through an element tree would hold it all in
    memory twice; this keeps a small buffer instead. Attribute newlines are written
    as character references so that parsers do not fold them into spaces."""

    def __init__(
        self,
        out: IO[bytes],
        root: str,
        namespace: str,
        attrs: Mapping[str, str | None] | None = None,
    ):
        self.out = out
        self.depth = 0
        self.buffer: list[str] = ['<?xml version="1.0" encoding="utf-8"?>\n']
        self.open(root, {**(attrs or {}), "xmlns": namespace})

    def _line(self, text: str) -> None:
        self.buffer.append("  " * self.depth + text + "\n")
        if len(self.buffer) >= 4096:
            self.flush()

    def open(self, tag: str, attrs: Mapping[str, str | None] | None = None) -> None:
        self._line(f"<{tag}{_attributes(attrs)}>")
        self.depth += 1

    def close(self, tag: str) -> None:
        self.depth -= 1
        self._line(f"</{tag}>")

    def empty(self, tag: str, attrs: Mapping[str, str | None] | None = None) -> None:
        self._line(f"<{tag}{_attributes(attrs)} />")

    def text(self, tag: str, text: str, attrs: Mapping[str, str | None] | None = None) -> None:
        self._line(f"<{tag}{_attributes(attrs)}>{xml_safe(text).translate(_TEXT_ESCAPES)}</{tag}>")

    def flush(self) -> None:
        self.out.write("".join(self.buffer).encode("utf-8"))
        self.buffer.clear()

    def finish(self, root: str) -> None:
        self.close(root)
        self.flush()
