"""The bundled PIF sample project: 23 participants' interviews and reflective reports,
the PIF codebook, and the sample coding that reproduces the study's theme table.

`build_demo(path)` makes it from the repository's sample_transcripts/ (found next to
the package: the editable install `make` uses, or a source checkout).
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from qualcode.errors import ProjectError, QualcodeError

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_transcripts"
CODEBOOK = ROOT / "codebooks" / "pif.yaml"
MANIFEST_COLUMNS = ("participant", "file", "kind")


def sample_dir() -> Path:
    if not (SAMPLE / "manifest.csv").exists() or not CODEBOOK.exists():
        raise QualcodeError(f"{SAMPLE}: the sample corpus is not there (run from a source checkout "
                            "or an editable install: pip install -e .)")
    return SAMPLE


def build_demo(path: str | Path, force: bool = False):
    """Create the sample project at `path` and return it open."""
    from qualcode.codebook import load_codebook
    from qualcode.project import Project

    path = Path(path)
    sample = sample_dir()
    if path.exists():
        if not force:
            raise ProjectError(f"{path}: already exists (pass --force to replace it)")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    project = Project.create(path, name="PIF sample", codebook=load_codebook(CODEBOOK), coder="coder1")
    try:
        import_manifest(project, sample / "manifest.csv")
        project.import_codings_csv(sample / "sample_codings.csv")
    except BaseException:
        project.close()
        path.unlink(missing_ok=True)
        raise
    return project


def import_manifest(project, manifest: Path) -> None:
    """Documents and participant attributes from a manifest CSV.

    Uses the importer's `Project.import_manifest` when this build has it; otherwise reads
    the sample's plain UTF-8 .txt files with the same normalisation (NFC, \\n)."""
    if hasattr(project, "import_manifest"):
        project.import_manifest(manifest)
        return
    from qualcode.models import NewDocument

    with manifest.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    docs, people = [], {}
    for row in rows:
        file = manifest.parent / row["file"]
        raw = file.read_bytes()
        text = _normalise(raw.decode("utf-8"))
        docs.append(NewDocument(row["participant"], row["kind"], file.stem, text, file.name,
                                hashlib.sha256(raw).hexdigest(), "utf-8", _paragraphs(text)))
        people[row["participant"]] = {k: v for k, v in row.items() if k not in MANIFEST_COLUMNS}
    with project.transaction():
        project.add_documents(docs)
        project.upsert_participants([(pid, None, attrs) for pid, attrs in people.items()])


def _paragraphs(text: str):
    """Paragraph segments (blocks of lines between blank lines), for co-occurrence."""
    import re

    from qualcode.models import Segment

    return tuple(Segment(m.start(), m.end(), "paragraph") for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text))


def _normalise(text: str) -> str:
    import unicodedata

    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)
