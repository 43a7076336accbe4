"""A GitHub Actions step's environment, made in a temporary directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

RUNNER_VARIABLES = ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "GITHUB_WORKSPACE")


@dataclass(frozen=True)
class Step:
    workspace: Path
    summary: Path
    output: Path


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


def parse_outputs(text: str) -> dict[str, str]:
    """Read a $GITHUB_OUTPUT file the way the runner does."""
    values: dict[str, str] = {}
    lines = iter(text.split("\n"))
    for line in lines:
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body: list[str] = []
            for inner in lines:
                if inner == delimiter:
                    break
                body.append(inner)
            else:
                raise AssertionError(f"output {name!r}: delimiter {delimiter!r} never closes")
            values[name] = "\n".join(body)
        else:
            name, value = line.split("=", 1)
            values[name] = value
    return values
