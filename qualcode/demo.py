"""The bundled PIF sample project: 23 participants' interviews and reflective reports,
the PIF codebook, and the sample coding that reproduces the study's theme table.

`build_demo(path)` makes it from the repository's sample_transcripts/ (found next to
the package: the editable install `make` uses, or a source checkout).
"""

from __future__ import annotations

from pathlib import Path

from qualcode.errors import ProjectError, QualcodeError

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_transcripts"
CODEBOOK = ROOT / "codebooks" / "pif.yaml"


def sample_dir() -> Path:
    if not (SAMPLE / "manifest.csv").exists() or not CODEBOOK.exists():
        raise QualcodeError(
            f"{SAMPLE}: the sample corpus is not there (run from a source checkout "
            "or an editable install: pip install -e .)"
        )
    return SAMPLE


def build_demo(path: str | Path, force: bool = False):
    """Create the sample project at `path` and return it open."""
    from qualcode.backups import KEEP_KEY
    from qualcode.codebook import load_codebook
    from qualcode.project import Project

    path = Path(path)
    sample = sample_dir()
    if path.is_dir():
        raise ProjectError(f"{path}: is a folder, not a project file")
    if path.exists():
        if not force:
            raise ProjectError(f"{path}: already exists (pass --force to replace it)")
        _remove(path)
    project = Project.create(
        path, name="PIF sample", codebook=load_codebook(CODEBOOK), coder="coder1"
    )
    try:
        project.set_backups_keep(0)  # nothing to back up while the sample is being built
        project.import_manifest(sample / "manifest.csv")  # documents, attributes, segments
        project.import_codings_csv(sample / "sample_codings.csv")
        project.set_meta(KEEP_KEY, None)  # then the default rotation, like any project
    except BaseException:
        project.close()
        _remove(path)  # no half-built sample left behind
        raise
    return project


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
