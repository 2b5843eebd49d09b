"""Shared helpers for the interop tests: fixture paths, XSD loading, small archives."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from shared_fixtures import FIXTURES, need

REFI = FIXTURES / "refi"
SCHEMA = REFI / "schema"

NVIVO_MAC = REFI / "nvivo-oltas" / "OltasSzkepticizmus_17June_nvivo-mac-12.7.qdpx"
NVIVO_WIN = REFI / "nvivo-oltas" / "oltas0517_nvivo-win-12.6.qdpx"
NVIVO_WIN_1SOURCE = REFI / "nvivo-oltas" / "oltas_nvivo-win-12.6_1source.qdpx"
QC_120 = REFI / "qc-demo" / "demo_qc-1.2.0_3docs.qdpx"
QC_132 = REFI / "qc-demo" / "demo_qc-1.3.2_2docs.qdpx"
QC_NVIVO_EMPTY = REFI / "qc-demo" / "nvivo-mac-15_reexport_empty-sources.qdpx"
ATLAS = REFI / "refi-atlas-standard-project" / "TestProject.qdpx"

GUID_A = "11111111-2222-3333-4444-555555555555"
GUID_B = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
GUID_C = "12345678-1234-1234-1234-123456789abc"
GUID_D = "87654321-4321-4321-4321-cba987654321"
GUID_U = "99999999-8888-7777-6666-555555555555"


def schema(name: str):
    """The REFI-QDA XSD `name` ('Project' or 'Codebook') as an xmlschema object."""
    import xmlschema  # a test dependency (pyproject's test extra)

    return xmlschema.XMLSchema(str(need(SCHEMA / f"{name}.xsd", "REFI-QDA schema")))


def validate_qdpx(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        schema("Project").validate(io.BytesIO(archive.read("project.qde")))


def project_xml(sources: str = "", codes: str = "", users: str = "", extra: str = "") -> str:
    codes = codes or f'<Code guid="{GUID_A}" name="alpha" isCodable="true"/>'
    users = users or f'<User guid="{GUID_U}" name="ana"/>'
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="t">'
        f"<Users>{users}</Users><CodeBook><Codes>{codes}</Codes></CodeBook>"
        f"<Sources>{sources}</Sources>{extra}</Project>"
    )


def text_source(
    guid: str = GUID_B, path: str = f"internal://{GUID_B}.txt", selections: str = ""
) -> str:
    return f'<TextSource guid="{guid}" name="doc" plainTextPath="{path}">{selections}</TextSource>'


def selection(
    start: int, end: int, code: str = GUID_A, guid: str = GUID_C, coding: str = GUID_D
) -> str:
    return (
        f'<PlainTextSelection guid="{guid}" startPosition="{start}" endPosition="{end}">'
        f'<Coding guid="{coding}" creatingUser="{GUID_U}"><CodeRef targetGUID="{code}"/></Coding>'
        "</PlainTextSelection>"
    )


def make_qdpx(
    path: Path,
    qde: str | bytes,
    files: dict[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        archive.writestr("project.qde", qde if isinstance(qde, bytes) else qde.encode("utf-8"))
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return path
