"""Hostile and invalid archives: each is refused with a clear message, nothing is stored."""

from __future__ import annotations

import os
import sqlite3
import stat
import struct
import zipfile

import pytest
from interop_support import (
    GUID_A,
    GUID_B,
    GUID_C,
    GUID_D,
    make_qdpx,
    project_xml,
    selection,
    text_source,
)

from qualcode.errors import InteropError
from qualcode.interop.qdpx import read_qdpx
from qualcode.interop.safezip import ZipLimits
from qualcode.project import Project

TEXT = "Hello world\nSecond line here.\n"


def snapshot(project: Project) -> dict:
    """Every row of every table: 'unchanged' means exactly this."""
    tables = [
        r[0]
        for r in project.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {t: project.db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}


@pytest.fixture
def busy(tmp_path):
    """A project that already holds a code, a document and a coding."""
    project = Project.create(tmp_path / "busy.qualcode", coder="ana")
    project.add_code("Existing")
    from qualcode.models import NewDocument

    [doc] = project.add_documents(
        [NewDocument("P1", "interview", "P1 interview", "Some text here.", "p1.txt")]
    )
    project.add_coding(doc, 0, 4, "Existing")
    yield project
    project.close()


def refused(project: Project, path, message: str, limits: ZipLimits | None = None) -> None:
    before = snapshot(project)
    with pytest.raises(InteropError) as info:
        project.import_qdpx(path, limits=limits)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    assert snapshot(project) == before


def valid_qde(start: int = 0, end: int = 5, code: str = GUID_A) -> str:
    return project_xml(sources=text_source(selections=selection(start, end, code)))


def with_entry(tmp_path, name: str, data: bytes = b"x") -> os.PathLike:
    return make_qdpx(
        tmp_path / "evil.qdpx", valid_qde(), {f"sources/{GUID_B}.txt": TEXT.encode(), name: data}
    )


def test_path_traversal_is_refused(busy, tmp_path):
    refused(
        busy,
        with_entry(tmp_path, "../../evil.txt"),
        "evil.qdpx: entry '../../evil.txt' escapes the archive (path traversal); refused",
    )


def test_path_traversal_inside_a_folder_is_refused(busy, tmp_path):
    refused(
        busy, with_entry(tmp_path, "sources/../../evil.txt"), "escapes the archive (path traversal)"
    )


@pytest.mark.parametrize(
    "name", ["/etc/cron.d/evil", "C:/Windows/evil.dll", "c:\\evil.txt", "\\\\server\\x"]
)
def test_absolute_paths_and_drive_letters_are_refused(busy, tmp_path, name):
    refused(
        busy, with_entry(tmp_path, name), f"evil.qdpx: entry {name!r} is an absolute path; refused"
    )


def test_symlink_entry_is_refused(busy, tmp_path):
    path = tmp_path / "evil.qdpx"
    make_qdpx(path, valid_qde(), {f"sources/{GUID_B}.txt": TEXT.encode()})
    with zipfile.ZipFile(path, "a") as archive:
        info = zipfile.ZipInfo("sources/link.txt")
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    refused(busy, path, "evil.qdpx: entry 'sources/link.txt' is a symbolic link; refused")


def test_too_many_entries_are_refused(busy, tmp_path):
    files = {f"sources/{n}.txt": b"x" for n in range(20)}
    path = make_qdpx(tmp_path / "many.qdpx", valid_qde(), files)
    refused(
        busy, path, "many.qdpx: 21 entries exceed the limit of 10", limits=ZipLimits(max_entries=10)
    )


def test_duplicate_entries_are_refused(busy, tmp_path):
    import warnings

    path = make_qdpx(tmp_path / "twice.qdpx", valid_qde(), {f"sources/{GUID_B}.txt": TEXT.encode()})
    with warnings.catch_warnings(), zipfile.ZipFile(path, "a") as archive:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        archive.writestr(f"sources/{GUID_B}.txt", b"another text entirely")
    refused(busy, path, f"twice.qdpx: entry 'sources/{GUID_B}.txt' appears twice; refused")


def test_zip_bomb_by_ratio_is_refused(busy, tmp_path):
    # 20 MB of zeros deflate to ~20 KB (ratio ~1000); the source's text points at it.
    qde = project_xml(sources=text_source(path=f"internal://{GUID_B}.txt"))
    bomb = make_qdpx(
        tmp_path / "bomb.qdpx", qde, {f"sources/{GUID_B}.txt": bytes(20 * 1024 * 1024)}
    )
    with zipfile.ZipFile(bomb) as archive:
        info = archive.getinfo(f"sources/{GUID_B}.txt")
        assert info.file_size / info.compress_size > 500
    refused(
        busy,
        bomb,
        f"bomb.qdpx: entry 'sources/{GUID_B}.txt' expands more than 200 times (zip bomb); refused",
    )


def test_zip_bomb_by_size_is_refused(busy, tmp_path):
    big = os.urandom(3 * 1024 * 1024)  # incompressible: the ratio check does not fire
    qde = project_xml(sources=text_source(path=f"internal://{GUID_B}.txt"))
    path = make_qdpx(
        tmp_path / "big.qdpx", qde, {f"sources/{GUID_B}.txt": big}, compression=zipfile.ZIP_STORED
    )
    refused(
        busy,
        path,
        f"big.qdpx: entry 'sources/{GUID_B}.txt' is larger than 2097152 bytes uncompressed",
        limits=ZipLimits(max_file_bytes=2 * 1024 * 1024),
    )


def test_total_size_limit_counts_bytes_actually_read(busy, tmp_path):
    sources = "".join(text_source(guid=g, path=f"internal://{g}.txt") for g in (GUID_B, GUID_C))
    files = {
        f"sources/{g}.txt": os.urandom(600 * 1024).hex().encode()[: 600 * 1024]
        for g in (GUID_B, GUID_C)
    }
    path = make_qdpx(
        tmp_path / "total.qdpx", project_xml(sources=sources), files, compression=zipfile.ZIP_STORED
    )
    refused(
        busy,
        path,
        "total.qdpx: more than 1048576 bytes uncompressed in total (zip bomb?); refused",
        limits=ZipLimits(max_total_bytes=1024 * 1024),
    )


def test_header_that_lies_about_the_size_is_not_trusted(busy, tmp_path):
    path = make_qdpx(
        tmp_path / "liar.qdpx", valid_qde(), {f"sources/{GUID_B}.txt": (TEXT * 1000).encode()}
    )
    data = bytearray(path.read_bytes())
    # Claim 10 bytes uncompressed in the central directory and the local header.
    name = f"sources/{GUID_B}.txt".encode()
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = data.find(signature)
        while at != -1:
            name_at = at + (46 if signature == b"PK\x01\x02" else 30)
            if data[name_at : name_at + len(name)] == name:
                data[at + offset : at + offset + 4] = struct.pack("<I", 10)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    refused(busy, path, f"liar.qdpx: entry 'sources/{GUID_B}.txt' is corrupt")


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE Project [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n'
        for i in range(1, 10)
    )
    + ']>\n<Project xmlns="urn:QDA-XML:project:1.0" name="&lol9;"/>'
)


def test_billion_laughs_is_refused(busy, tmp_path):
    path = make_qdpx(tmp_path / "laughs.qdpx", BILLION_LAUGHS)
    refused(
        busy,
        path,
        "laughs.qdpx:project.qde: XML entity declaration 'lol' refused (entity expansion attack?)",
    )


def test_external_entity_is_refused(busy, tmp_path):
    qde = (
        '<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="&xxe;"/>'
    )
    path = make_qdpx(tmp_path / "xxe.qdpx", qde)
    refused(busy, path, "xxe.qdpx:project.qde: external entity 'xxe' (file:///etc/passwd) refused")


def test_declaration_after_a_long_prolog_is_refused(busy, tmp_path):
    # project.qde is streamed in 64 KiB chunks: a declaration that only completes in a
    # later chunk (here after 200 KB of comments) must be refused all the same.
    padding = "<!-- " + "x" * 200_000 + " -->\n"
    qde = BILLION_LAUGHS.replace("<!DOCTYPE", padding + "<!DOCTYPE", 1)
    path = make_qdpx(tmp_path / "late.qdpx", qde)
    refused(busy, path, "late.qdpx:project.qde: XML entity declaration 'lol' refused")


def test_parameter_entity_is_refused(busy, tmp_path):
    qde = (
        '<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY % ext SYSTEM "http://example.org/x">'
        ' %ext;]>\n<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>'
    )
    path = make_qdpx(tmp_path / "param.qdpx", qde)
    refused(
        busy, path, "param.qdpx:project.qde: external entity 'ext' (http://example.org/x) refused"
    )


def test_document_type_without_declarations_is_read(busy, tmp_path):
    qde = valid_qde().replace("<Project", "<!DOCTYPE Project>\n<Project", 1)
    path = make_qdpx(tmp_path / "dtd.qdpx", qde, {f"sources/{GUID_B}.txt": TEXT.encode()})
    assert busy.import_qdpx(path).codings == 1


def test_undeclared_entity_is_refused_with_its_line(busy, tmp_path):
    qde = valid_qde().replace('name="doc"', 'name="&secret;"')
    path = make_qdpx(tmp_path / "undeclared.qdpx", qde)
    refused(busy, path, "undeclared.qdpx:project.qde: not well-formed XML (line 2, column")


def test_absurdly_deep_nesting_outside_the_codebook_is_refused(busy, tmp_path):
    depth = 100_000
    notes = "<Notes>" + "<Note>" * depth + "</Note>" * depth + "</Notes>"
    refused(
        busy,
        make_qdpx(tmp_path / "nest.qdpx", project_xml(extra=notes)),
        "nest.qdpx:project.qde: elements nested deeper than 128 levels "
        "(inside Project/Notes/Note/Note/...); refused",
    )


def test_selection_outside_the_text_is_refused(busy, tmp_path):
    path = make_qdpx(
        tmp_path / "out.qdpx", valid_qde(5, 500), {f"sources/{GUID_B}.txt": TEXT.encode()}
    )
    refused(
        busy,
        path,
        "out.qdpx:project.qde: selection [5, 500) lies outside the text of "
        "text source 'doc' (30 characters)",
    )


def test_selection_ending_before_it_starts_is_refused(busy, tmp_path):
    path = make_qdpx(
        tmp_path / "back.qdpx", valid_qde(9, 3), {f"sources/{GUID_B}.txt": TEXT.encode()}
    )
    refused(busy, path, "selection [9, 3) lies outside the text of text source 'doc'")


def test_coding_to_unknown_code_is_refused(busy, tmp_path):
    path = make_qdpx(
        tmp_path / "ghost.qdpx",
        valid_qde(code=GUID_D.replace("8", "0")),
        {f"sources/{GUID_B}.txt": TEXT.encode()},
    )
    refused(
        busy,
        path,
        "ghost.qdpx:project.qde: a coding in text source 'doc' refers to unknown code "
        "07654321-4321-4321-4321-cba907654321",
    )


def test_malformed_guid_is_refused(busy, tmp_path):
    qde = project_xml(codes='<Code guid="not-a-guid" name="alpha" isCodable="true"/>')
    refused(
        busy,
        make_qdpx(tmp_path / "bad.qdpx", qde),
        "bad.qdpx:project.qde: code 'alpha': malformed GUID 'not-a-guid'",
    )


def test_duplicate_code_guid_is_refused(busy, tmp_path):
    codes = (
        f'<Code guid="{GUID_A}" name="alpha" isCodable="true"/>'
        f'<Code guid="{{{GUID_A.upper()}}}" name="beta" isCodable="true"/>'
    )
    refused(
        busy,
        make_qdpx(tmp_path / "dup.qdpx", project_xml(codes=codes)),
        f"dup.qdpx:project.qde: duplicate code GUID {GUID_A} ('alpha' and 'beta')",
    )


def test_absurdly_deep_code_tree_is_refused(busy, tmp_path):
    depth = 5000
    guids = [f"{n:08x}-0000-4000-8000-000000000000" for n in range(depth)]
    codes = (
        "".join(f'<Code guid="{g}" name="c{n}" isCodable="true">' for n, g in enumerate(guids))
        + "</Code>" * depth
    )
    refused(
        busy,
        make_qdpx(tmp_path / "deep.qdpx", project_xml(codes=codes)),
        "deep.qdpx:project.qde: the code tree is deeper than 100 levels; refused",
    )


def test_not_a_zip_and_no_project_qde(busy, tmp_path):
    junk = tmp_path / "junk.qdpx"
    junk.write_bytes(b"this is not a zip")
    refused(busy, junk, "junk.qdpx: not a valid ZIP archive")
    empty = tmp_path / "empty.qdpx"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.txt", "hi")
    refused(busy, empty, "empty.qdpx: no project.qde in the archive")


def test_wrong_root_element_is_refused(busy, tmp_path):
    path = make_qdpx(
        tmp_path / "book.qdpx", '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>'
    )
    refused(busy, path, "book.qdpx:project.qde: not a REFI-QDA project (root element <CodeBook>)")


def test_missing_source_is_reported_and_the_rest_imported(busy, tmp_path):
    other = "22222222-2222-2222-2222-222222222222"
    sources = text_source(selections=selection(0, 5)) + text_source(
        guid=other,
        path=f"internal://{other}.txt",
        selections=selection(0, 3, guid="0" + GUID_D[1:], coding="1" + GUID_D[1:]),
    )
    path = make_qdpx(
        tmp_path / "half.qdpx",
        project_xml(sources=sources),
        {f"sources/{GUID_B}.txt": TEXT.encode()},
    )
    summary = busy.import_qdpx(path)
    assert summary.not_imported == [
        f"text source 'doc' (1 coding): its file 'sources/{other}.txt' is missing from the archive"
    ]
    assert (summary.sources, summary.codings, summary.codes) == (1, 1, 1)
    assert [(e.document, e.code_path, e.text) for e in busy.excerpts("alpha")] == [
        ("doc", "alpha", "Hello")
    ]


def test_failure_while_storing_rolls_everything_back(busy, tmp_path, monkeypatch):
    path = make_qdpx(tmp_path / "ok.qdpx", valid_qde(), {f"sources/{GUID_B}.txt": TEXT.encode()})

    def explode(self, rows):
        raise sqlite3.IntegrityError("disk full (simulated)")

    monkeypatch.setattr(Project, "add_codings", explode)
    before = snapshot(busy)
    with pytest.raises(sqlite3.IntegrityError):
        busy.import_qdpx(path)
    assert snapshot(busy) == before
    monkeypatch.undo()
    assert busy.import_qdpx(path).codings == 1


def test_importing_the_same_archive_twice_merges_and_adds_nothing(busy, tmp_path):
    path = make_qdpx(tmp_path / "ok.qdpx", valid_qde(), {f"sources/{GUID_B}.txt": TEXT.encode()})
    busy.import_qdpx(path)
    before = snapshot(busy)
    summary = busy.import_qdpx(path)  # its documents are here: merged, not refused
    assert summary.merged[0] == "merged ok.qdpx: 1 document matched, 0 added"
    assert snapshot(busy) == before


def test_hostile_qdc_codebook_is_refused(busy, tmp_path):
    qdc = tmp_path / "laughs.qdc"
    qdc.write_text(BILLION_LAUGHS.replace("<Project", "<CodeBook"), encoding="utf-8")
    before = snapshot(busy)
    with pytest.raises(InteropError, match="laughs.qdc: XML entity declaration 'lol' refused"):
        busy.import_codebook(qdc)
    assert snapshot(busy) == before


def test_reader_alone_refuses_without_a_project(tmp_path):
    with pytest.raises(InteropError, match="escapes the archive"):
        read_qdpx(with_entry(tmp_path, "a/../../b"))
