"""REFI-QDA projects (.qdpx): read an archive into the neutral model, write one.

Reading is all-or-nothing: a malformed GUID, a selection outside its text or a
coding that names an unknown code makes the whole archive invalid (InteropError),
because importing the rest would silently lose or misplace codings. Parts qualcode
does not hold (media and PDF sources, links, graphs, sets, whole-source codings...)
and text files missing from the archive are listed in `not_imported`, and the rest
is imported. Producers' quirks handled here: `Sources/` or `Project.qde` in any
case, `plainTextPath` with or without `internal://` (qc), GUIDs with braces or in
upper case (ATLAS.ti), texts with BOM/CRLF and positions in UTF-16 units (NVivo),
see offsets.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.etree.ElementTree import Element
from zipfile import ZipInfo

from qualcode.codebook import nfc
from qualcode.errors import InteropError, reported_as
from qualcode.ingest.decode import nul_note, replace_nul
from qualcode.interop import offsets
from qualcode.interop.model import (
    VARIABLE_TYPES,
    Case,
    Code,
    Coding,
    QdaProject,
    Selection,
    TextSource,
    User,
    Variable,
    VariableValue,
    canonical_guid,
)
from qualcode.interop.qdc import MAX_CODE_DEPTH, parse_codes
from qualcode.interop.qdpx_extras import ExtrasReader, count_codings
from qualcode.interop.qdpx_write import project_to_xml as project_to_xml  # public API
from qualcode.interop.qdpx_write import write_qdpx as write_qdpx  # public API
from qualcode.interop.safezip import DEFAULT_LIMITS, SafeZip, ZipLimits
from qualcode.interop.xml import (
    PROJECT_NS,
    child,
    child_text,
    children,
    iterparse_xml,
    local_name,
    namespace,
)
from qualcode.plural import plural

# Project/CodeBook/Codes and MAX_CODE_DEPTH codes, with room for a producer's extras.
MAX_XML_DEPTH = MAX_CODE_DEPTH + 28

_MEDIA = {
    "PictureSource": "picture",
    "PDFSource": "PDF",
    "AudioSource": "audio",
    "VideoSource": "video",
}
_VALUE_TAGS = {
    "TextValue": "Text",
    "BooleanValue": "Boolean",
    "IntegerValue": "Integer",
    "FloatValue": "Float",
    "DateValue": "Date",
    "DateTimeValue": "DateTime",
}


def read_qdpx(path: str | Path, limits: ZipLimits = DEFAULT_LIMITS) -> QdaProject:
    """Read a .qdpx archive into the neutral model (nothing touches the disk).

    project.qde is parsed incrementally: each source is read and dropped from the
    tree as soon as it is complete, so a million codings never sit in memory as XML."""
    with reported_as(InteropError, Path(path).name), SafeZip(path, limits) as archive:
        entry = archive.find("project.qde")
        if entry is None:
            raise InteropError(f"{archive.label}: no project.qde in the archive")
        reader = _Reader(archive, f"{archive.label}:{entry.filename}")
        with archive.open_stream(entry) as stream:
            reader.stream(iterparse_xml(stream, reader.label))
        return reader.finish()


def entry_text(data: bytes) -> str:
    """The text of a plain-text file of the archive as read: UTF-16 when it starts with
    a UTF-16 byte-order mark, else UTF-8 (a UTF-8 BOM dropped). Raises UnicodeDecodeError."""
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    return data.decode(encoding)


def source_text(data: bytes) -> str:
    """The text a text source read from `data` (an archive entry) gets, as stored: decoded
    (entry_text), NUL replaced, newlines and Unicode form normalised (offsets.conventions).
    Raises UnicodeDecodeError."""
    raw, _ = replace_nul(entry_text(data))
    return offsets.conventions(raw)[0]


def parse_value(text: str | None, kind: str, where: str) -> VariableValue:
    """A typed variable value from its XML text."""
    raw = (text or "").strip()
    if kind == "Text":
        return nfc(text or "")
    if not raw:
        return None
    try:
        if kind == "Boolean":
            if raw.lower() not in ("true", "false", "1", "0"):
                raise ValueError(raw)
            return raw.lower() in ("true", "1")
        if kind == "Integer":
            return int(raw)
        if kind == "Float":
            return float(Decimal(raw))
        if kind == "Date":
            return date.fromisoformat(raw)
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except (ValueError, InvalidOperation):
        raise InteropError(f"{where}: {raw!r} is not a valid {kind} value") from None


class _Reader(ExtrasReader):
    def __init__(self, archive: SafeZip, label: str):
        self._root: Element | None = None
        self.archive = archive
        self.label = label
        self.project = QdaProject()
        self.codes: dict[str, Code] = {}
        self.guids: set[str] = set()
        self.user_guids: set[str] = set()
        self.skipped_sources: set[str] = set()
        self.done: set[str] = set()  # top-level parts already read
        self.note_refs: list[tuple[str, str]] = []  # (note GUID, owner GUID) found in sources
        self.attached: set[tuple[str, str]] = set()  # (note GUID, target GUID) recorded
        # Document variable values, typed once the variables are known (finish()).
        self.source_values: list[tuple[TextSource, Element, str]] = []
        # One string object per user and code GUID: a large archive repeats the same
        # few GUIDs on every selection and coding (300,000 copies at 2,300 sources).
        self.shared: dict[str, str] = {}
        # The same GUIDs as written in the file -> canonical (the codes' and users').
        self.shared_raw: dict[str, str] = {}

    @property
    def root(self) -> Element:
        """The <Project> element (start() has seen it before any part is read)."""
        if self._root is None:
            raise InteropError(f"{self.label}: no <Project> element")
        return self._root

    def guid(self, value: str | None, what: str) -> str:
        return canonical_guid(value, f"{self.label}: {what}")

    def unique(self, guid: str, what: str) -> str:
        if guid in self.guids:
            raise InteropError(f"{self.label}: duplicate GUID {guid} ({what})")
        self.guids.add(guid)
        return guid

    def skip(self, line: str) -> None:
        self.project.not_imported.append(line)

    def stream(self, events: Iterable[tuple[str, Element]]) -> None:
        """Consume parse events: read Users and CodeBook when they end, then each
        source as it ends (and drop it). Sources that come before the users or the
        codebook (not conformant) stay in the tree and are read by finish()."""
        open_elements: list[Element] = []
        for event, element in events:
            if event == "start":
                if not open_elements:
                    self.start(element)
                elif len(open_elements) >= MAX_XML_DEPTH:
                    self.too_deep(open_elements)
                open_elements.append(element)
                continue
            open_elements.pop()
            if len(open_elements) == 1:
                part = local_name(element)
                if part == "Users":
                    self.read_users()
                elif part == "CodeBook":
                    self.read_codebook()
            elif (
                len(open_elements) == 2
                and local_name(open_elements[1]) == "Sources"
                and {"Users", "CodeBook"} <= self.done
            ):
                self.read_source(element)
                open_elements[1].remove(element)

    def too_deep(self, open_elements: list[Element]) -> None:
        """Refuse nesting no REFI-QDA project has (a code tree is refused past
        MAX_CODE_DEPTH levels, elements past MAX_XML_DEPTH), before it costs memory."""
        if local_name(open_elements[1]) == "CodeBook":
            raise InteropError(
                f"{self.label}: the code tree is deeper than {MAX_CODE_DEPTH} levels; refused"
            )
        path = "/".join(local_name(e) for e in open_elements[:4])
        raise InteropError(
            f"{self.label}: elements nested deeper than {MAX_XML_DEPTH} levels "
            f"(inside {path}/...); refused"
        )

    def start(self, root: Element) -> None:
        if local_name(root) != "Project" or namespace(root) not in (PROJECT_NS, ""):
            raise InteropError(
                f"{self.label}: not a REFI-QDA project (root element <{local_name(root)}>)"
            )
        self._root = root
        self.project.name = root.get("name") or self.project.name
        self.project.origin = root.get("origin")

    def finish(self) -> QdaProject:
        if "Users" not in self.done:
            self.read_users()
        if "CodeBook" not in self.done:
            self.read_codebook()
        self.read_variables()
        sources = child(self.root, "Sources")
        if sources is not None:
            for element in list(sources):
                self.read_source(element)
                sources.remove(element)
        for source, value, where in self.source_values:
            guid, typed = self.variable_value(value, where)
            source.values[guid] = typed
        self.read_cases()
        self.read_notes()
        self.read_unsupported()
        return self.project

    def read_codebook(self) -> None:
        self.done.add("CodeBook")
        codebook = child(self.root, "CodeBook")
        codes = child(codebook, "Codes") if codebook is not None else None
        if codes is not None:
            self.project.codebook.codes = parse_codes(codes, self.label, self.codes)
            for guid in self.codes:
                self.unique(guid, "code")

    def read_users(self) -> None:
        self.done.add("Users")
        users = child(self.root, "Users")
        for element in children(users, "User") if users is not None else []:
            guid = self.unique(self.guid(element.get("guid"), "user"), "user")
            name = nfc(element.get("name") or element.get("id") or guid)
            self.project.users.append(User(guid, name, element.get("id")))
        self.user_guids.update(user.guid for user in self.project.users)

    def user(self, value: str | None, what: str) -> str | None:
        """A known user's GUID; a user the archive does not list is added by GUID so
        that no coding loses its coder."""
        if not value:
            return None
        guid = self.shared_raw.get(value)
        if guid is not None:
            return guid
        guid = self.guid(value, what)
        guid = self.shared.setdefault(guid, guid)
        if len(self.shared_raw) < 10_000:  # bounded: a hostile file may name many users
            self.shared_raw[value] = guid
        if guid not in self.user_guids:
            self.user_guids.add(guid)
            self.project.users.append(User(guid, f"user {guid[:8]}"))
        return guid

    def read_variables(self) -> None:
        variables = child(self.root, "Variables")
        self.variables: dict[str, Variable] = {}
        for element in children(variables, "Variable") if variables is not None else []:
            name = nfc(element.get("name") or "")
            guid = self.unique(self.guid(element.get("guid"), f"variable {name!r}"), "variable")
            kind = element.get("typeOfVariable") or "Text"
            if kind not in VARIABLE_TYPES:
                raise InteropError(f"{self.label}: variable {name!r} has unknown type {kind!r}")
            variable = Variable(guid, name or guid, kind, child_text(element, "Description"))
            self.variables[guid] = variable
            self.project.variables.append(variable)

    def read_cases(self) -> None:
        cases = child(self.root, "Cases")
        sources = {source.guid for source in self.project.sources}
        for element in children(cases, "Case") if cases is not None else []:
            name = nfc(element.get("name") or "")
            where = f"case {name!r}"
            guid = self.unique(self.guid(element.get("guid"), where), "case")
            case = Case(guid, name or guid, child_text(element, "Description"))
            for value in children(element, "VariableValue"):
                target, typed = self.variable_value(value, where)
                case.values[target] = typed
            for ref in children(element, "SourceRef"):
                target = self.guid(ref.get("targetGUID"), where)
                if target in sources:
                    case.source_guids.append(target)
                elif target not in self.skipped_sources:
                    raise InteropError(f"{self.label}: {where} refers to unknown source {target}")
            extra = len(children(element, "CodeRef")) + len(children(element, "SelectionRef"))
            if extra:
                self.skip(
                    f"case {case.name!r}: {extra} code/selection references (cases are participants)"
                )
            self.project.cases.append(case)

    def variable_value(self, value: Element, where: str) -> tuple[str, VariableValue]:
        """(variable GUID, typed value) of a <VariableValue>."""
        ref = child(value, "VariableRef")
        target = self.guid(ref.get("targetGUID") if ref is not None else None, where)
        if target not in self.variables:
            raise InteropError(f"{self.label}: {where} has a value for unknown variable {target}")
        variable = self.variables[target]
        typed = [el for el in value if local_name(el) in _VALUE_TAGS]
        text = typed[0].text if typed else None
        return target, parse_value(text, variable.type, f"{self.label}: {where}, {variable.name!r}")

    def read_source(self, element: Element) -> None:
        """One child of <Sources>; note references inside it are kept for link_notes,
        since the element is dropped once read."""
        # Most sources have no note reference: a search in C skips the Python walk.
        has_notes = next(element.iterfind(".//{*}NoteRef"), None) is not None
        for owner in element.iter() if has_notes else ():
            for ref in children(owner, "NoteRef"):
                self.note_refs.append(
                    (
                        self.guid(ref.get("targetGUID"), "note reference"),
                        self.guid(owner.get("guid"), "note owner"),
                    )
                )
        kind = local_name(element)
        name = element.get("name") or ""
        if kind == "TextSource":
            self.read_text_source(element)
        elif kind in _MEDIA:
            guid = self.guid(element.get("guid"), f"{kind} {name!r}")
            self.skipped_sources.add(guid)
            count = count_codings(element)
            self.skip(
                f"{_MEDIA[kind]} source {name!r} ({plural(count, 'coding')}): "
                f"qualcode holds text sources only"
            )

    def element_text(self, element: Element, name: str, where: str) -> tuple[str | None, str]:
        """The raw text of a source or note: inline, else its file; (None, why) if missing."""
        inline = child(element, "PlainTextContent")
        if inline is not None:
            return inline.text or "", ""
        data, reason = self.source_bytes(element, name)
        return (None, reason) if data is None else (self.decode(data, where), "")

    def source_bytes(self, element: Element, name: str) -> tuple[bytes | None, str]:
        """The plain text bytes of a text source, or None and the reason why not."""
        entry, reason = self.source_entry(element)
        return (None, reason) if entry is None else (self.archive.read(entry), "")

    def source_entry(self, element: Element) -> tuple[ZipInfo | None, str]:
        """The archive entry holding a text source's plain text, or None and why not."""
        candidates = []
        for attr in ("plainTextPath", "richTextPath"):
            ref = element.get(attr)
            if not ref:
                continue
            if "://" in ref and not ref.lower().startswith("internal://"):
                return None, f"its file {ref!r} is outside the archive"
            target = ref.split("://", 1)[-1]
            if attr == "richTextPath":  # the plain-text rendition beside the .docx
                target = target.rsplit(".", 1)[0] + ".txt"
            candidates += [f"sources/{target}", target]
        for candidate in candidates:
            entry = self.archive.find(candidate)
            if entry is not None:
                return entry, ""
        if not candidates:
            return None, "it has neither inline text nor a plainTextPath"
        return None, f"its file {candidates[0]!r} is missing from the archive"

    def read_text_source(self, element: Element) -> None:
        ref_name = (element.get("plainTextPath") or "").split("://", 1)[-1]
        name = nfc(element.get("name") or ref_name or element.get("guid") or "")
        where = f"text source {name!r}"
        guid = self.unique(self.guid(element.get("guid"), where), "source")
        raw, reason = self.element_text(element, name, where)
        if raw is None:
            self.skipped_sources.add(guid)
            count = count_codings(element)
            self.skip(f"{where} ({plural(count, 'coding')}): {reason}")
            return
        raw, nuls = replace_nul(raw)
        if nuls:
            self.skip(f"{where}: " + nul_note(nuls))
        text, options = offsets.conventions(raw)
        selections = children(element, "PlainTextSelection")
        if not text.strip() and not selections:
            self.skipped_sources.add(guid)
            self.skip(f"{where}: its text is empty")
            return
        spans = [self.span(sel, where) for sel in selections]
        names = [sel.get("name") for sel in selections]
        choice = offsets.choose(text, options, spans, names, self.project.origin)
        if choice is None:
            start, end = next(
                s for s in spans if s[0] < 0 or s[1] < s[0] or s[1] > options[0].length
            )
            raise InteropError(
                f"{self.label}: selection [{start}, {end}) lies outside the text of {where} "
                f"({options[0].length} characters)"
            )
        source = TextSource(
            guid,
            name,
            text,
            child_text(element, "Description"),
            self.user(element.get("creatingUser"), where),
            element.get("creationDateTime"),
            positions=choice.convention.describe(),
            positions_reason=choice.reason,
            entry=self.text_entry(element),
        )
        convention = choice.convention
        for sel, (start, end) in zip(selections, spans):
            source.selections.append(
                self.selection(sel, convention.map(start), convention.map(end), where)
            )
        whole = len(children(element, "Coding"))
        if whole:
            self.skip(f"{where}: {plural(whole, 'whole-source coding')} (qualcode codes passages)")
        for value in children(element, "VariableValue"):
            self.source_values.append((source, value, where))
        self.project.sources.append(source)

    def text_entry(self, element: Element) -> str | None:
        """The name of the archive entry a text source's text was read from (None: inline)."""
        if child(element, "PlainTextContent") is not None:
            return None
        entry, _ = self.source_entry(element)
        return entry.filename if entry is not None else None

    def decode(self, data: bytes, where: str) -> str:
        try:
            return entry_text(data)
        except UnicodeDecodeError as exc:
            raise InteropError(
                f"{self.label}: {where} is not valid UTF-8 text (byte {exc.start})"
            ) from None

    def span(self, element: Element, where: str) -> tuple[int, int]:
        try:
            return int(element.get("startPosition", "")), int(element.get("endPosition", ""))
        except ValueError:
            raise InteropError(
                f"{self.label}: selection {element.get('guid')} in {where} has no valid positions"
            ) from None

    def selection(self, element: Element, start: int, end: int, where: str) -> Selection:
        guid = self.unique(self.guid(element.get("guid"), f"selection in {where}"), "selection")
        selection = Selection(
            guid,
            start,
            end,
            element.get("name"),
            self.user(element.get("creatingUser"), where),
            element.get("creationDateTime"),
        )
        for coding in children(element, "Coding"):
            code_ref = child(coding, "CodeRef")
            raw = code_ref.get("targetGUID") if code_ref is not None else None
            target = self.shared_raw.get(raw) if raw else None
            if target is None:
                target = self.guid(raw, f"coding in {where}")
                target = self.shared.setdefault(target, target)
                if raw and len(self.shared_raw) < 10_000:  # bounded, as in user()
                    self.shared_raw[raw] = target
            if target not in self.codes:
                raise InteropError(
                    f"{self.label}: a coding in {where} refers to unknown code {target}"
                )
            coding_guid = self.unique(self.guid(coding.get("guid"), f"coding in {where}"), "coding")
            selection.codings.append(
                Coding(
                    coding_guid,
                    target,
                    self.user(coding.get("creatingUser") or element.get("creatingUser"), where),
                    coding.get("creationDateTime"),
                )
            )
        return selection
