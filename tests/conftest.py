from pathlib import Path

import pytest

from qualcode.codebook import load_codebook
from qualcode.models import NewDocument, Segment
from qualcode.project import Project

ROOT = Path(__file__).resolve().parents[1]
PIF = ROOT / "codebooks" / "pif.yaml"

R7_TEXT = (
    "Interviewer: Why did you choose an elective abroad?\n\n"
    "R7: I decided to go because nobody in my class had done it. "
    "The ICU in Ohio was loud. I felt lost at first.\n\n"
    "Interviewer: And later?\n\n"
    "R7: Later I led the morning rounds myself."
)


def sentence_segments(text: str) -> tuple[Segment, ...]:
    """Naive sentences for fixtures (the real segmenter is tested on its own)."""
    import re

    return tuple(
        Segment(m.start(), m.end(), "sentence")
        for m in re.finditer(r"[^.?!\n]+[.?!]", text)
        if not text[m.start() : m.end()].strip().endswith(":")
    )


@pytest.fixture(autouse=True)
def private_config_home(tmp_path_factory, monkeypatch):
    """Each test's own config folder (recent projects, the coder's name): tests must not
    write the real ~/.config/qualcode of whoever runs them. Set in the environment, so
    that the CLI run in a subprocess uses it too."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    # and their own data folder (pseudonymise --keep-original writes the originals there)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))


@pytest.fixture
def project(tmp_path) -> Project:
    p = Project.create(tmp_path / "t.qualcode", codebook=load_codebook(PIF), coder="tester")
    yield p
    p.close()


@pytest.fixture
def r7_project(project) -> Project:
    segs = tuple(
        Segment(m.start(), m.end(), "sentence")
        for m in __import__("re").finditer(r"(?<=: |\. )[^.?!\n]+[.?!]", R7_TEXT)
    )
    project.add_documents(
        [NewDocument("R7", "interview", "R7 interview", R7_TEXT, "R7.txt", "sha-r7", "utf-8", segs)]
    )
    project.upsert_participants([("R7", None, {"sex": "M", "host_income": "HIC"})])
    return project


def pytest_sessionfinish(session) -> None:
    """In a pytest-xdist worker, ignore SIGINT once the tests are done.

    execnet (under pytest-xdist) sends its worker a SIGINT when the worker's shutdown
    takes over 5 s (execnet/gateway_base.py, `_terminate_execution`), which happens on a
    loaded machine; the signal then lands wherever the teardown is, often in
    hypothesis's gc callback, and prints a KeyboardInterrupt traceback after a green
    run. No test runs any more at this point, so nothing is lost by ignoring it; ctrl+c
    in a terminal still stops the controller, which ends its workers."""
    import os
    import signal

    if os.environ.get("PYTEST_XDIST_WORKER"):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
