import pytest

from qualcode.tui.app import QualcodeApp


@pytest.fixture
def r7_path(r7_project):
    path = r7_project.path
    r7_project.close()  # the app opens its own connection
    return path


@pytest.fixture
def make_app(tmp_path):
    def make(path, suggestions=False):
        return QualcodeApp(path, recent_file=tmp_path / "recent.json", suggestions=suggestions)

    return make


@pytest.fixture
def plan_project(tmp_path):
    """The PIF coding plan as a small deterministic project (tests/tui/plan_project.py)."""
    from tests.tui.plan_project import build_plan_project

    project = build_plan_project(tmp_path / "plan.qualcode")
    yield project
    project.close()
