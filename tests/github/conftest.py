"""A GitHub Actions step's environment, made in a temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.github.support import Step

RUNNER_VARIABLES = ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "GITHUB_WORKSPACE")


@pytest.fixture
def outside_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """No runner variables at all, even when the suite itself runs in Actions."""
    for name in RUNNER_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Step:
    """Running as an Actions step whose workspace is tmp_path/workspace."""
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    runner = tmp_path / "runner"
    runner.mkdir()
    made = Step(workspace, runner / "step_summary.md", runner / "output.txt")
    made.summary.touch()
    made.output.touch()
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(workspace))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(made.summary))
    monkeypatch.setenv("GITHUB_OUTPUT", str(made.output))
    monkeypatch.chdir(workspace)
    return made
