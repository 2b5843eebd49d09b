"""Files the suite reads from outside the repo: ../shared/fixtures (real exports and
transcripts other people and tools wrote; see its README.md), found beside the repo or,
for a git worktree, one level further up.

A test that needs one calls `need(path)`. When the file is missing the test is skipped with
the path in the reason (`-rs` prints it in the summary), except under CI (the environment
variable CI set, as .ci/run's runner does): there a missing fixture is an error, so that a
run that did not test the importers on real files cannot pass silently.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def _find() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents[1:]:
        if (parent / "shared" / "fixtures").is_dir():
            return parent / "shared" / "fixtures"
    return here.parents[2] / "shared" / "fixtures"


FIXTURES = _find()


def under_ci() -> bool:
    """True when the CI variable is set to anything but empty, 0 or false."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def need(path: Path, what: str = "fixture") -> Path:
    """`path` if it exists; else skip the test (fail it under CI) naming the missing path."""
    if not path.exists():
        message = f"{what} missing: {path}"
        if under_ci():
            pytest.fail(f"{message} (CI must run every test: put ../shared beside the repo)")
        pytest.skip(message)
    return path
