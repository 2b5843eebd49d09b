"""`qualcode serve` in a real browser: headless Chromium (Debian's chromium and
chromium-driver, driven by selenium) codes passages in the served workbench, and the codings
are checked in the project database.

Skipped, with the reason, only where no Chromium can be installed; `.ci/run` installs it.
Screenshots are kept in test-artefacts/ (or $QUALCODE_ARTEFACTS) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qualcode.project import Project
from tests.browser_support import (
    Browser,
    ServedProject,
    missing_browser,
    wait_for,
    workbench_processes,
)

pytestmark = pytest.mark.skipif(missing_browser() is not None, reason=str(missing_browser()))

ARTEFACTS = Path(os.environ.get("QUALCODE_ARTEFACTS", Path(__file__).parents[1] / "test-artefacts"))


@pytest.fixture
def served(r7_project):
    """The R7 interview with the PIF codebook (codes on keys 0-9), served on a free port."""
    path = r7_project.path
    units = r7_project.segment_units(r7_project.documents()[0].id)["sentence"]
    by_key = {c.shortcut: c.id for c in r7_project.codes() if c.shortcut}
    r7_project.close()
    server = ServedProject(path)
    yield server, path, units, by_key
    status, output = server.stop()
    assert status == 0, output  # ctrl+c stops the server cleanly


def codings_in(path: Path) -> set[tuple[int, int, int]]:
    with Project.open(path) as project:
        return {(c.start, c.end, c.code_id) for c in project.codings()}


def ready(browser: Browser, person: str = "ana") -> None:
    """The tab's workbench drawn and its question (who codes here?) answered."""
    browser.wait_for_text("Who is coding")
    browser.wait_until_quiet()
    browser.type(person + "\ue007")  # selenium's Keys.ENTER
    browser.wait_for_text(f"coder: {person}")
    browser.wait_for_text("codings in document")  # the status line under the document
    browser.wait_until_quiet()


def coders_in(path: Path) -> list[str]:
    with Project.open(path) as project:
        return sorted(c.coder for c in project.codings())


def test_keys_typed_in_the_browser_code_a_passage(served):
    server, path, units, by_key = served
    browser = Browser(server.url)
    try:
        ready(browser)
        assert "R7 · interview · R7 interview" in browser.screen_text()
        browser.type("j1")  # next sentence, then the code on key 1
        expected = {(*units[1], by_key["1"])}
        wait_for(lambda: codings_in(path) == expected, 30, f"{expected} in {codings_in(path)}")
        assert coders_in(path) == ["ana"]  # the tab's person, not the project's default
        browser.wait_for_text("1 coding in document")  # one: singular
        browser.wait_until_quiet()
        shot = browser.screenshot(ARTEFACTS / "serve-coded.png")
        assert len(workbench_processes(path)) == 1  # this tab's workbench
        status, output = server.stop()  # ctrl+c with the tab still open
        assert status == 0, output
        wait_for(lambda: not workbench_processes(path), 30, "the tab's workbench to end")
    finally:
        browser.close()
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_two_browser_sessions_code_one_project_and_nothing_is_lost(served):
    server, path, units, by_key = served
    first, second = Browser(server.url), Browser(server.url)
    try:
        ready(first, "ana")
        ready(second, "ben")
        # Interleaved, each session's selection moving on its own; both code sentence 4.
        steps = [
            (first, "j1", (1, "1")),
            (second, "jj2", (2, "2")),
            (first, "jj4", (3, "4")),
            (second, "jj5", (4, "5")),
            (first, "j6", (4, "6")),
            (second, "g8", (0, "8")),
        ]
        expected = set()
        for browser, keys, (unit, key) in steps:
            browser.type(keys)
            expected.add((*units[unit], by_key[key]))
            wait_for(lambda e=set(expected): codings_in(path) == e, 30, f"coding {keys!r}")
        # Each session picks up the other's codings on its next refresh (every 2 s).
        for browser in (first, second):
            browser.wait_for_text(f"{len(expected)} codings in document", 30)
        first.wait_until_quiet()
        first.screenshot(ARTEFACTS / "serve-two-sessions.png")
    finally:
        first.close()
        second.close()
    assert len(expected) == 6
    assert coders_in(path) == ["ana"] * 3 + ["ben"] * 3
