"""The parts of a REFI-QDA project around the coded texts: notes (and what they are
attached to), links, sets, graphs. Notes become memos; a link from a note to an
imported object attaches the note there; the rest is listed as not imported."""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from qualcode.ingest.decode import normalise_text
from qualcode.interop.model import Code, CodeSet, Note, QdaProject, canonical_guid
from qualcode.interop.qdc import parse_codebook_sets
from qualcode.interop.xml import child, child_text, children, local_name
from qualcode.plural import plural


def count_codings(element: Element) -> int:
    return sum(1 for el in element.iter() if local_name(el) == "Coding")


class ExtrasReader:
    """Mixin of the QDPX reader (qdpx._Reader): uses its root, project, guid() and skip()."""

    # The reader's state and methods this part uses (set and defined in qdpx._Reader).
    label: str
    project: QdaProject
    codes: dict[str, Code]
    note_refs: list[tuple[str, str]]
    attached: set[tuple[str, str]]

    if TYPE_CHECKING:

        @property
        def root(self) -> Element: ...
        def guid(self, value: str | None, what: str) -> str: ...
        def unique(self, guid: str, what: str) -> str: ...
        def skip(self, line: str) -> None: ...
        def user(self, value: str | None, what: str) -> str | None: ...
        def element_text(
            self, element: Element, name: str, where: str
        ) -> tuple[str | None, str]: ...

    def read_notes(self) -> None:
        notes = child(self.root, "Notes")
        by_guid: dict[str, Note] = {}
        for element in children(notes, "Note") if notes is not None else []:
            name = element.get("name") or ""
            where = f"note {name!r}"
            guid = self.unique(self.guid(element.get("guid"), where), "note")
            text, reason = self.element_text(element, name, where)
            if text is None:
                self.skip(f"{where}: {reason}")
                continue
            note = Note(
                guid,
                name,
                normalise_text(text),
                child_text(element, "Description"),
                self.user(element.get("creatingUser"), where),
                element.get("creationDateTime"),
            )
            if children(element, "PlainTextSelection"):
                self.skip(f"{where}: codings inside the note")
            by_guid[guid] = note
            self.project.notes.append(note)
        self.link_notes(by_guid)

    def link_notes(self, by_guid: dict[str, Note]) -> None:
        """Record which imported objects refer to each note (the memo's attachment)."""

        def attach(note_guid: str, target: str) -> None:
            # A set of pairs, not a scan of the list: one note may be referred to by
            # every selection of a large (or hostile) project.
            if note_guid in by_guid and (note_guid, target) not in self.attached:
                self.attached.add((note_guid, target))
                by_guid[note_guid].target_guids.append(target)

        for note_guid, owner in self.note_refs:  # from the sources, read and dropped earlier
            attach(note_guid, owner)
        for element in self.root.iter():
            refs = children(element, "NoteRef")
            if not refs or local_name(element) == "Link":
                continue
            owner = (
                "project"
                if element is self.root
                else canonical_guid(element.get("guid"), f"{self.label}: note owner")
            )
            for ref in refs:
                attach(
                    canonical_guid(ref.get("targetGUID"), f"{self.label}: note reference"), owner
                )

    def imported_guids(self) -> set[str]:
        project = self.project
        guids = set(self.codes) | {"project"}
        guids |= {case.guid for case in project.cases}
        for source in project.sources:
            guids.add(source.guid)
            for sel in source.selections:
                guids.add(sel.guid)
                guids.update(coding.guid for coding in sel.codings)
        return guids

    def read_links(self) -> None:
        """A link from a note to an imported object attaches the note there (the
        schema has no NoteRef on a case, and ATLAS.ti links memos this way); any
        other link is listed as not imported."""
        links = child(self.root, "Links")
        if links is None:
            return
        notes = {note.guid: note for note in self.project.notes}
        targets = self.imported_guids()
        other: list[str] = []
        for element in children(links, "Link"):
            name = element.get("name") or ""
            origin = element.get("originGUID")
            target = element.get("targetGUID")
            origin = self.guid(origin, f"link {name!r}") if origin else None
            target = self.guid(target, f"link {name!r}") if target else None
            if origin in notes and target in targets:
                if (origin, target) not in self.attached:
                    self.attached.add((origin, target))
                    notes[origin].target_guids.append(target)
            else:
                other.append(name)
        if other:
            shown = ", ".join(repr(n) for n in other[:5]) + (", ..." if len(other) > 5 else "")
            self.skip(f"{plural(len(other), 'link')} ({shown}): qualcode has no links")

    def read_project_sets(self) -> None:
        """Sets stay in the model (a later export can write them) though qualcode has none."""
        sets = child(self.root, "Sets")
        for element in children(sets, "Set") if sets is not None else []:
            name = element.get("name") or ""
            where = f"set {name!r}"
            members = {
                kind: [self.guid(m.get("targetGUID"), where) for m in children(element, kind)]
                for kind in ("MemberCode", "MemberSource")
            }
            self.project.codebook.sets.append(
                CodeSet(
                    self.guid(element.get("guid"), where),
                    name,
                    child_text(element, "Description"),
                    members["MemberCode"],
                    members["MemberSource"],
                )
            )

    def read_unsupported(self) -> None:
        root = self.root
        self.read_links()
        self.read_project_sets()
        for container, item, what in (("Graphs", "Graph", "graph"), ("Sets", "Set", "set")):
            element = child(root, container)
            if element is None:
                continue
            names = [el.get("name") or "" for el in children(element, item)]
            shown = ", ".join(repr(n) for n in names[:5]) + (", ..." if len(names) > 5 else "")
            self.skip(f"{plural(len(names), what)} ({shown}): qualcode has no {what}s")
        if child(root, "Description") is not None and child_text(root, "Description").strip():
            self.skip("the project description")
        codebook = child(root, "CodeBook")
        for sets in children(codebook, "Sets") if codebook is not None else []:
            parse_codebook_sets(sets, self.label, self.codes)
            self.skip(f"{plural(len(children(sets, 'Set')), 'codebook set')}: qualcode has no sets")
