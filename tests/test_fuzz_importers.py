"""Fuzz every importer (issue 18 item 3): a valid seed file, mutated by hypothesis (bytes
flipped, inserted, deleted, duplicated, truncated; for the ZIP formats also inside the XML
before re-zipping), then imported into a project that already holds data. The property:
it imports, or it raises qualcode's own error naming the file; a refused import leaves the
project exactly as it was. Bounded: FUZZ_EXAMPLES per importer (env QUALCODE_FUZZ_EXAMPLES
raises it; the issue note gives a long run's figures) and a SIGALRM guard per input."""

from __future__ import annotations

import io
import os
import signal
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from interop_support import GUID_A, GUID_B, make_qdpx, project_xml, selection, text_source

from qualcode.errors import QualcodeError
from qualcode.models import NewDocument
from qualcode.project import Project

FUZZ_EXAMPLES = int(os.environ.get("QUALCODE_FUZZ_EXAMPLES", "40"))
PER_INPUT_S = 60  # a hang guard, not a timing assertion (generous: CI machines are shared)

TRANSCRIPT = (
    "Interviewer: Why did you go abroad?\n\nR1: I wanted to see how care works elsewhere. "
    "It was hard at first.\n\nInterviewer: And then?\n\nR1: Then I felt at home.\n"
)
VTT = (
    "WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.500\n<v Interviewer>Why did you go?\n\n"
    "2\n00:00:02.500 --> 00:00:06.000\n<v R1>To learn. It was hard.\n"
)
SRT = (
    "1\n00:00:00,000 --> 00:00:02,500\nInterviewer: Why did you go?\n\n"
    "2\n00:00:02,500 --> 00:00:06,000\nR1: To learn. It was hard.\n"
)
YAML = (
    "name: Small\ncodes:\n  - name: Growth\n    shortcut: '1'\n    children:\n"
    "      - name: Confidence\n        description: feeling able\n  - Distress\n"
)
QDC = (
    '<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0">'
    f'<Codes><Code guid="{GUID_A}" name="alpha" isCodable="true">'
    '<Code guid="aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" name="beta" isCodable="true"/>'
    "</Code></Codes></CodeBook>"
)
SOURCE_TEXT = "Hello world\nSecond line here.\n"


def docx_bytes() -> bytes:
    document = docx.Document()
    for line in TRANSCRIPT.split("\n\n"):
        document.add_paragraph(line.strip())
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def qdpx_bytes(tmp: Path) -> bytes:
    qde = project_xml(sources=text_source(selections=selection(0, 5, GUID_A)))
    path = make_qdpx(tmp / "seed.qdpx", qde, {f"sources/{GUID_B}.txt": SOURCE_TEXT.encode()})
    return path.read_bytes()


@st.composite
def mutated(draw, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "dup", "truncate", "byte"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "byte" and data:
            data[at] = draw(st.sampled_from([0, 0x0A, 0x0D, 0x22, 0x26, 0x3A, 0x3C, 0xFF, 0xC3]))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=40))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif op == "dup":
            data[at:at] = data[at : at + draw(st.integers(1, 200))] * draw(st.integers(1, 50))
        elif op == "truncate":
            del data[at:]
    return bytes(data)


@st.composite
def mutated_zip(draw, seed: bytes, inner: str) -> bytes:
    """Half the time the archive's bytes, half the time one XML/text part, re-zipped."""
    if draw(st.booleans()):
        return draw(mutated(seed))
    source = zipfile.ZipFile(io.BytesIO(seed))
    names = source.namelist()
    target = draw(st.sampled_from([n for n in names if n == inner] + names))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            data = source.read(name)
            archive.writestr(name, draw(mutated(data)) if name == target else data)
    return out.getvalue()


def snapshot(project: Project) -> dict:
    tables = ["participants", "attributes", "documents", "segments", "codes", "codings", "memos"]
    return {t: project.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables} | {
        "texts": project.db.execute("SELECT group_concat(text, '|') FROM documents").fetchone()[0]
    }


class Harness:
    """One project with data, reused by every example (hypothesis cannot take tmp_path)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0

    def fresh(self) -> Project:
        self.count += 1
        path = self.folder / f"p{self.count}.qualcode"
        project = Project.create(path, coder="fuzz")
        project.add_code("Existing")
        [doc] = project.add_documents(
            [NewDocument("R0", "interview", "R0", "Already here.", "r0.txt", "sha-r0")]
        )
        project.add_coding(doc, 0, 7, "Existing")
        return project

    def check(self, name: str, data: bytes, run) -> None:
        path = self.folder / name
        path.write_bytes(data)
        project = self.fresh()
        before = snapshot(project)

        def hang(*_):
            raise TimeoutError(f"{name}: still importing after {PER_INPUT_S} s")

        old = signal.signal(signal.SIGALRM, hang)
        signal.alarm(PER_INPUT_S)
        try:
            run(project, path)
        except QualcodeError as exc:
            message = str(exc)
            assert message.strip(), "an empty error message"
            assert snapshot(project) == before, message
            assert not project.db.conn.in_transaction
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)
            project.close()
            os.remove(project.path)


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    from qualcode.nlp.pipeline import make_pipeline

    make_pipeline("en")  # load spaCy once, outside the per-input guard
    return Harness(tmp_path_factory.mktemp("fuzz"))


FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,  # the same inputs every run: a failure is reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def import_file(project, path):
    project.import_files([path], participant="R1")


@pytest.mark.parametrize(
    "suffix,seed", [(".txt", TRANSCRIPT), (".md", TRANSCRIPT), (".vtt", VTT), (".srt", SRT)]
)
def test_fuzz_text_importers(harness, suffix, seed):
    @FUZZ
    @given(data=mutated(seed.encode()))
    def run(data):
        harness.check(f"f{suffix}", data, import_file)

    run()


def test_fuzz_docx(harness):
    @FUZZ
    @given(data=mutated_zip(docx_bytes(), "word/document.xml"))
    def run(data):
        harness.check("f.docx", data, import_file)

    run()


def test_fuzz_qdpx(harness, tmp_path):
    @FUZZ
    @given(data=mutated_zip(qdpx_bytes(tmp_path), "project.qde"))
    def run(data):
        harness.check("f.qdpx", data, lambda p, path: p.import_qdpx(path, sentences=False))

    run()


@pytest.mark.parametrize("suffix,seed", [(".yaml", YAML), (".qdc", QDC)])
def test_fuzz_codebooks(harness, suffix, seed):
    @FUZZ
    @given(data=mutated(seed.encode()))
    def run(data):
        harness.check(f"f{suffix}", data, lambda p, path: p.import_codebook(path))

    run()


def test_fuzz_manifest(harness):
    folder = harness.folder
    (folder / "a.txt").write_text(TRANSCRIPT)
    (folder / "b.txt").write_text(TRANSCRIPT.replace("R1", "R2"))
    seed = "participant,file,kind,sex\nR1,a.txt,interview,F\nR2,b.txt,interview,M\n"

    @FUZZ
    @given(data=mutated(seed.encode()))
    def run(data):
        harness.check("m.csv", data, lambda p, path: p.import_manifest(path, sentences=False))

    run()


def test_fuzz_codings_file(harness):
    seed = "document,participant,start,end,code,coder\nR0,R0,0,7,Existing,ana\nR0,R0,8,12,Existing,bo\n"

    @FUZZ
    @given(data=mutated(seed.encode()))
    def run(data):
        harness.check("c.csv", data, lambda p, path: p.import_codings_csv(path))

    run()
