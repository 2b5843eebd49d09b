"""Sentences left for later by an import are the same, once segmented on first use, as
those segmented during the import (on the sample corpus: 39 documents, 23 participants,
written for qualcode), and every reader of sentences finds them."""

from pathlib import Path

import pytest

from qualcode.codebook import load_codebook
from qualcode.project import Project

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_MANIFEST = ROOT / "sample_transcripts" / "manifest.csv"


def all_segments(p: Project) -> dict:
    rows = p.db.execute(
        'SELECT d.title, s.kind, s.start, s."end", s.speaker FROM segments s '
        'JOIN documents d ON d.id = s.document_id ORDER BY d.title, s.kind, s.start, s."end"'
    )
    out: dict = {}
    for title, *rest in rows:
        out.setdefault(title, []).append(tuple(rest))
    return out


@pytest.fixture(scope="module")
def eager_and_lazy(tmp_path_factory):
    if not SAMPLE_MANIFEST.exists():
        pytest.fail("sample corpus missing: sample_transcripts/manifest.csv")
    folder = tmp_path_factory.mktemp("lazy")
    eager = Project.create(folder / "eager.qualcode")
    eager.import_manifest(SAMPLE_MANIFEST, sentences="now")
    lazy = Project.create(folder / "lazy.qualcode")
    report = lazy.import_manifest(SAMPLE_MANIFEST, sentences="later")
    yield eager, lazy, report
    eager.close()
    lazy.close()


def test_lazily_segmented_sentences_equal_eager_ones(eager_and_lazy):
    eager, lazy, report = eager_and_lazy
    assert {f.sentences for f in report.files} == {None}
    before = all_segments(lazy)
    assert not any(kind == "sentence" for rows in before.values() for kind, *_ in rows)
    assert lazy.sentences_pending() == 39
    assert lazy.ensure_sentences() == 39
    assert lazy.sentences_pending() == 0
    expected = all_segments(eager)
    assert sum(1 for rows in expected.values() for r in rows if r[0] == "sentence") > 1000
    assert all_segments(lazy) == expected
    assert lazy.ensure_sentences() == 0  # nothing left to do


def test_readers_segment_only_what_they_need(tmp_path):
    p = Project.create(
        tmp_path / "p.qualcode", codebook=load_codebook(ROOT / "codebooks" / "pif.yaml")
    )
    p.import_manifest(SAMPLE_MANIFEST, sentences="later")
    r1 = next(d for d in p.documents("R1") if d.kind == "interview")
    units = p.segment_units(r1.id)  # what the workbench reads on opening a document
    assert len(units["sentence"]) > 10
    assert p.sentences_pending() == 38
    matches = p.autocode(
        r"\bhospital\b", "Self-development/Cross-boundary experiences", dry_run=True
    )
    assert matches and p.sentences_pending() == 0
    p.close()


def test_segmenting_reports_progress_in_characters(tmp_path):
    texts = {"R1.txt": "R1: First part. Second part.\n\nI: And?\n\n" * 200, "R2.txt": "R2: Short."}
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with Project.create(tmp_path / "p.qualcode") as p:
        for name in texts:
            p.import_files([tmp_path / name], name[:2], sentences="later")
        seen: list[tuple[int, int]] = []
        assert p.ensure_sentences(None, characters=lambda done, total: seen.append((done, total)))
        stored = p.db.execute("SELECT sum(length(text)) FROM documents").fetchone()[0]
    total = stored  # the documents' characters as stored
    assert total > 7000
    assert {t for _, t in seen} == {total}
    assert seen[-1] == (total, total)
    done = [d for d, _ in seen]
    assert done == sorted(done) and len(seen) >= 20  # about every hundredth, not only the end
    assert done[0] < total // 10
