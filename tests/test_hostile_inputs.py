"""Hostile and odd inputs (issue 18 items 2 and 3): each is refused with one line naming the
file, in bounded memory, or imported with what was changed said; the project is unchanged
when refused. A SIGALRM guard turns a hang into a failure (the timings are in
bench/hostile_inputs.py, not asserted here)."""

from __future__ import annotations

import io
import signal
import tracemalloc
import zipfile
from contextlib import contextmanager

import docx
import pytest
from interop_support import GUID_A, GUID_B, make_qdpx, project_xml, selection, text_source

from qualcode.codebook import parse_codebook
from qualcode.errors import CodebookError, ImportError_, InteropError, QualcodeError
from qualcode.ingest import read_manifest, read_source
from qualcode.segment import sentence_spans


@contextmanager
def within(seconds: int):
    """Fail (instead of hanging the suite) if the block runs longer than `seconds`."""

    def hang(*_):
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@contextmanager
def peak_megabytes(box: list):
    tracemalloc.start()
    try:
        yield
    finally:
        box.append(tracemalloc.get_traced_memory()[1] / 2**20)
        tracemalloc.stop()


def small_docx(text: str = "Interviewer: Hello.\nR1: Hi there.") -> bytes:
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_bomb(path, inflated_mb: int) -> None:
    """A valid .docx whose word/document.xml inflates to `inflated_mb` MB of paragraphs."""
    seed = zipfile.ZipFile(io.BytesIO(small_docx()))
    para = b"<w:p><w:r><w:t>lol lol</w:t></w:r></w:p>"
    head, _, _ = seed.read("word/document.xml").partition(b"<w:body>")
    body = (
        head + b"<w:body>" + para * (inflated_mb * 2**20 // len(para)) + b"</w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in seed.infolist():
            data = body if info.filename == "word/document.xml" else seed.read(info)
            out.writestr(info.filename, data)


def test_docx_zip_bomb_is_refused_in_bounded_memory(tmp_path):
    path = tmp_path / "bomb.docx"
    docx_bomb(path, 120)
    assert path.stat().st_size < 2 * 2**20
    peak: list = []
    with within(60), peak_megabytes(peak), pytest.raises(ImportError_) as refused:
        read_source(path)
    assert str(refused.value).startswith(
        "bomb.docx: not a valid .docx file (entry 'word/document.xml'"
    )
    assert "zip bomb" in str(refused.value)
    assert peak[0] < 64, f"peak {peak[0]:.0f} MB"


def test_docx_under_the_limits_still_imports(tmp_path):
    path = tmp_path / "ok.docx"
    path.write_bytes(small_docx())
    assert read_source(path).text == "Interviewer: Hello.\nR1: Hi there."


def test_source_over_max_size_is_refused_before_reading(tmp_path, project):
    path = tmp_path / "big.txt"
    path.write_text("R1: " + "word " * 300_000)  # 1.5 MB
    with pytest.raises(
        ImportError_, match=r"big\.txt: 1\.4 MB is over the 1\.0 MB limit .*--max-size 2"
    ):
        read_source(path, max_bytes=2**20)
    with pytest.raises(ImportError_, match="over the 1.0 MB limit"):
        project.import_files([path], participant="R1", sentences=False, max_bytes=2**20)
    assert project.summary()["documents"] == 0
    assert read_source(path, max_bytes=2 * 2**20).text.startswith("R1: word")


@pytest.mark.parametrize("depth,width", [(9, 10), (30, 2), (4, 200)])
def test_yaml_aliases_are_refused_at_once(depth, width):
    lines = ["codes:", "  - &c0 {name: L0}"]
    for level in range(1, depth):
        kids = ", ".join([f"*c{level - 1}"] * width)
        lines.append(f"  - &c{level} {{name: L{level}, children: [{kids}]}}")
    peak: list = []
    with within(20), peak_megabytes(peak), pytest.raises(CodebookError) as refused:
        parse_codebook("\n".join(lines), "bomb.yaml")
    assert str(refused.value) == (
        "bomb.yaml: line 3: YAML aliases (*c0) are not allowed in a codebook; write each code out"
    )
    assert peak[0] < 16


@pytest.mark.parametrize(
    "run",
    [":" * 10_000, "=" * 20_000, "_" * 5_000 + "*" * 5_000, "a:b%" * 25_000, "—" * 8_000],
)
def test_long_runs_without_spaces_segment_quickly_and_keep_offsets(run):
    text = f"Interviewer: how was it?\nR1: It was {run} good. Then we left."
    with within(30):
        [spans] = sentence_spans([text])
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert text[spans[-1][0] : spans[-1][1]] == "Then we left."
    assert spans[0][0] == 0 and spans == sorted(spans)


def test_manifest_with_a_huge_header_is_checked_in_linear_time(tmp_path):
    path = tmp_path / "m.csv"
    header = ["participant", "file", "kind"] + [f"c{i}" for i in range(15_000)] + ["c7"]
    path.write_text(",".join(header) + "\nR1,a.txt,interview\n")
    with within(20), pytest.raises(ImportError_, match=r"m\.csv line 1: duplicate column c7"):
        read_manifest(path)


def test_manifest_file_name_too_long_for_the_os(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("participant,file,kind\nR1," + "x" * 5000 + ".txt,interview\n")
    with pytest.raises(ImportError_, match=r"m\.csv line 2: file 'x+\.\.\.' cannot be opened \("):
        read_manifest(path)


def test_corrupt_deflate_stream_in_a_qdpx(tmp_path, project):
    path = make_qdpx(
        tmp_path / "z.qdpx",
        project_xml(sources=text_source(selections=selection(0, 5, GUID_A))) * 20,
        {},
    )
    raw = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo("project.qde")
    body = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(body + 40, body + 80):
        raw[i] ^= 0x5A
    path.write_bytes(bytes(raw))
    with pytest.raises(
        InteropError, match=r"^z\.qdpx: entry 'project\.qde' is corrupt \(|^z\.qdpx: "
    ):
        project.import_qdpx(path)
    assert project.summary()["documents"] == 0


def test_unknown_encoding_in_the_xml_declaration(tmp_path, project):
    qde = project_xml(sources=text_source()).replace('encoding="utf-8"', 'encoding="x-klingon"')
    if "x-klingon" not in qde:
        qde = '<?xml version="1.0" encoding="x-klingon"?>\n' + qde.split("?>", 1)[-1]
    path = make_qdpx(tmp_path / "e.qdpx", qde.encode(), {})
    with pytest.raises(InteropError, match=r"^e\.qdpx"):
        project.import_qdpx(path)


def test_complex_yaml_key_and_slash_parent_are_one_line_errors():
    with pytest.raises(CodebookError, match=r"^c\.yaml: line 2: a key must be a plain name$"):
        parse_codebook("codes:\n  - ? [a, b]\n    : x\n", "c.yaml")
    with pytest.raises(CodebookError, match=r"^c\.yaml: "):
        parse_codebook("codes:\n  - name: A\n  - {name: B, parent: 'A/B/'}\n", "c.yaml")


def test_nul_characters_never_reach_the_store(tmp_path, project):
    utf16 = tmp_path / "u.txt"
    utf16.write_bytes("R1: before\x00after and more.".encode("utf-16"))
    with pytest.raises(ImportError_, match=r"^u\.txt: binary file \(control characters\)"):
        read_source(utf16)  # a plain-text file with a NUL is binary; in a .qdpx it is replaced
    data = "Hello\x00world, and the rest of the text.\n"
    qde = project_xml(sources=text_source(selections=selection(20, 24, GUID_A)))
    qdpx = make_qdpx(tmp_path / "n.qdpx", qde, {f"sources/{GUID_B}.txt": data.encode()})
    report = project.import_qdpx(qdpx)
    [doc] = project.documents()
    assert doc.length == len(data)  # nothing cut at the NUL
    [coding] = project.codings()
    assert (coding.start, coding.end) == (20, 24)
    assert any("1 NUL character replaced" in line for line in report.lines())


def test_every_parser_failure_is_a_qualcode_error(tmp_path):
    for name, data in {
        "a.docx": b"PK\x03\x04" + b"\x00" * 100,
        "b.vtt": b"WEBVTT\n\n00:00.000 --> 00:01.000\n\x00",
        "c.srt": b"1\n00:00:00,000 --> 99:99:99,999\nhi\n",
        "d.txt": b"\xff\xfe\x00",
    }.items():
        path = tmp_path / name
        path.write_bytes(data)
        try:
            read_source(path)
        except QualcodeError as exc:
            assert str(exc).startswith(f"{name}: ")
