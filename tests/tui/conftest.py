import pytest

from tests.tui.plan_project import build_plan_project


@pytest.fixture
def plan_project(tmp_path):
    project = build_plan_project(tmp_path / "plan.qualcode")
    yield project
    project.close()
