from pathlib import Path

import pytest

from qualcode import user_config
from qualcode.project import Project
from qualcode.tui.app import QualcodeApp


@pytest.fixture
def r7_path(r7_project):
    path = r7_project.path
    r7_project.close()  # the app opens its own connection
    return path


@pytest.fixture
def make_app(tmp_path):
    """The workbench on a project, opened by the person who coded it: for a project
    that holds codings, user.json names its default coder (else the workbench would
    first ask who codes, App.ask_coder; tests/tui/test_coder_precedence.py tests that)."""
    recent_file = tmp_path / "recent.json"

    def make(path, suggestions=False):
        if path is not None and Path(path).exists():
            with Project.open(path, daily_backup=False) as project:
                default = project.get_meta("coder")
                if default and project.coders_with_codings(limit=1):
                    user_config.remember_coder(default, recent_file)
        return QualcodeApp(path, recent_file=recent_file, suggestions=suggestions)

    return make


@pytest.fixture
def plan_project(tmp_path):
    """The PIF coding plan as a small deterministic project (tests/tui/plan_project.py)."""
    from tests.tui.plan_project import build_plan_project

    project = build_plan_project(tmp_path / "plan.qualcode")
    yield project
    project.close()
