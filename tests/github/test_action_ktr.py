"""The action's ktr step running this repository's real ktr, as a workflow would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reconciler.cli import COMMANDS as TABLE
from tests.github.support import REPO, real_ktr, run_ktr_step, workflow

COMMANDS = {command.name for command in TABLE}

VALID = """\
topics:
  orders.created:
    partitions: 3
    replication_factor: 1
    config:
      retention.ms: 7d
"""

INVALID = """\
topics:
  orders.created:
    partitions: 3
    replication_factor: 1
    config:
      retention.msx: 7d
"""

needs_validate = pytest.mark.skipif("validate" not in COMMANDS, reason="ktr validate not built")


def workspace_with(tmp_path: Path, declaration: str) -> None:
    topics = tmp_path / "workspace" / "topics"
    topics.mkdir(parents=True)
    (topics / "orders.yaml").write_text(declaration)


@needs_validate
def test_valid_declarations_pass_through_the_action(tmp_path: Path) -> None:
    workspace_with(tmp_path, VALID)
    real_ktr(tmp_path / "bin")
    run = run_ktr_step(tmp_path, tmp_path / "bin", {"command": "validate"})
    assert run.exit_code == 0, run.stderr
    assert run.action_outputs["exit-code"] == "0"


@needs_validate
def test_invalid_declarations_fail_the_step(tmp_path: Path) -> None:
    workspace_with(tmp_path, INVALID)
    real_ktr(tmp_path / "bin")
    run = run_ktr_step(tmp_path, tmp_path / "bin", {"command": "validate"})
    assert run.exit_code == 1
    assert run.action_outputs["exit-code"] == "1"


def test_invalid_declarations_are_annotated_on_their_line(tmp_path: Path) -> None:
    workspace_with(tmp_path, INVALID)
    real_ktr(tmp_path / "bin")
    run = run_ktr_step(tmp_path, tmp_path / "bin", {"command": "validate"})
    assert "::error file=topics/orders.yaml,line=6," in run.stderr
    assert "::error" not in run.stdout


def test_validation_is_summarised_for_the_run(tmp_path: Path) -> None:
    workspace_with(tmp_path, INVALID)
    real_ktr(tmp_path / "bin")
    run = run_ktr_step(tmp_path, tmp_path / "bin", {"command": "validate"})
    assert run.summary.startswith("### ktr validate: invalid\n")
    assert "| error | topics/orders.yaml | 6:" in run.summary


@needs_validate
def test_this_repositorys_validate_step_passes_on_its_own_topics(tmp_path: Path) -> None:
    plan_job = workflow("topics.yml")["jobs"]["plan"]
    validate = next(step for step in plan_job["steps"] if step.get("name") == "Validate")
    shutil.copytree(REPO / "topics", tmp_path / "workspace" / "topics")
    real_ktr(tmp_path / "bin")
    run = run_ktr_step(tmp_path, tmp_path / "bin", dict(validate["with"]))
    assert run.exit_code == 0, run.stdout + run.stderr
