"""A missing ../shared/fixtures file skips a test on a developer's machine (the reason is
printed by -rs) but fails it under CI, so that CI cannot pass without the real files."""

import pytest
from shared_fixtures import FIXTURES, need


def test_a_missing_fixture_fails_under_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"fixture missing: .*nowhere\.qdpx"):
        need(tmp_path / "nowhere.qdpx")


@pytest.mark.parametrize("value", ["", "0", "false"])
def test_a_missing_fixture_is_skipped_with_its_path_elsewhere(monkeypatch, tmp_path, value):
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.skip.Exception, match=r"schema missing: .*Project\.xsd"):
        need(tmp_path / "Project.xsd", "schema")


def test_a_present_fixture_is_returned(tmp_path):
    path = tmp_path / "there.txt"
    path.write_text("x")
    assert need(path) == path


def test_the_fixtures_are_found_beside_the_repo():
    # Here they are: this checkout sits beside (or, as a worktree, below) shared/.
    assert need(FIXTURES / "README.md").read_text(encoding="utf-8").startswith("# Test fixtures")
