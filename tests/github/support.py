"""Reading action.yml, the workflows and the README's workflow; running the action's ktr step."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
ACTION_FILE = REPO / "action.yml"
WORKFLOWS = REPO / ".github" / "workflows"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


@dataclass(frozen=True)
class Step:
    """Where a step's runner files and workspace are."""

    workspace: Path
    summary: Path
    output: Path


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


def load_action() -> dict[str, Any]:
    loaded = yaml.safe_load(ACTION_FILE.read_text())
    assert isinstance(loaded, dict)
    return loaded


def workflow(name: str) -> dict[str, Any]:
    """One of this repository's workflows."""
    return _workflow(yaml.safe_load((WORKFLOWS / name).read_text()))


def readme_workflow_text() -> str:
    """The README's copy-paste workflow, using the action from this checkout."""
    section = (REPO / "README.md").read_text().split("## Using ktr in GitHub Actions", 1)[1]
    match = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert match, "the README's GitHub Actions section has no workflow"
    return match.group(1).replace("<owner>/ktr@v1", "./")


def readme_workflow() -> dict[str, Any]:
    return _workflow(yaml.safe_load(readme_workflow_text()))


def _workflow(loaded: object) -> dict[str, Any]:
    assert isinstance(loaded, dict)
    # YAML 1.1 reads the key `on` as the boolean true.
    loaded["on"] = loaded.pop(True)
    return loaded


def action_step(step_id: str) -> dict[str, Any]:
    for step in load_action()["runs"]["steps"]:
        if step.get("id") == step_id:
            assert isinstance(step, dict)
            return step
    raise AssertionError(f"action.yml has no step with id {step_id!r}")


@dataclass(frozen=True)
class StepRun:
    exit_code: int
    stdout: str
    stderr: str
    step_outputs: dict[str, str]  # what the step wrote to $GITHUB_OUTPUT
    action_outputs: dict[str, str]  # the action's outputs, resolved from those
    summary: str


def fake_ktr(bin_dir: Path, exit_code: int = 0) -> Path:
    """A ``ktr`` that records its arguments (NUL-separated) and prints a line."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    argv = bin_dir / "argv"
    script = bin_dir / "ktr"
    script.write_text(
        "#!/usr/bin/env bash\n"
        f"printf '%s\\0' \"$@\" > '{argv}'\n"
        "echo 'report from ktr'\n"
        f"exit {exit_code}\n"
    )
    script.chmod(0o755)
    return argv


def recorded_argv(argv_file: Path) -> list[str]:
    return argv_file.read_text().split("\0")[:-1]


def real_ktr(bin_dir: Path) -> None:
    """A ``ktr`` that runs this repository's ktr (``python -m reconciler``)."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    script = bin_dir / "ktr"
    script.write_text(
        "#!/usr/bin/env bash\n"
        f"export PYTHONPATH='{REPO}'\n"
        f"exec '{sys.executable}' -m reconciler \"$@\"\n"
    )
    script.chmod(0o755)


def run_ktr_step(
    tmp_path: Path,
    bin_dir: Path,
    inputs: dict[str, str],
    env: dict[str, str] | None = None,
) -> StepRun:
    """Run the ``ktr`` step's script with bash as the runner does for ``shell: bash``.

    Inputs not given take their defaults from action.yml, as on the runner. The
    working directory is tmp_path/workspace (made if missing), also GITHUB_WORKSPACE.
    """
    action = load_action()
    step = action_step("ktr")
    values = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    unknown = set(inputs) - set(values)
    assert not unknown, f"not inputs of the action: {unknown}"
    values.update(inputs)

    workspace = tmp_path / "workspace"
    workspace.mkdir(exist_ok=True)
    runner = tmp_path / "runner"
    runner.mkdir(exist_ok=True)
    output, summary = runner / "output.txt", runner / "summary.md"
    output.touch()
    summary.touch()
    script = runner / "ktr-step.sh"
    script.write_text(step["run"])

    step_env = {name: _evaluate(value, values) for name, value in (step.get("env") or {}).items()}
    full_env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(runner),
        **step_env,
        **(env or {}),
    }
    cwd = workspace / _evaluate(step.get("working-directory", "."), values)
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    step_outputs = parse_outputs(output.read_text())
    action_outputs = {
        name: _evaluate(spec["value"], values, step_outputs)
        for name, spec in action["outputs"].items()
    }
    return StepRun(
        done.returncode, done.stdout, done.stderr, step_outputs, action_outputs, summary.read_text()
    )


def _evaluate(text: str, inputs: dict[str, str], step_outputs: dict[str, str] | None = None) -> str:
    """Substitute the two expression forms the action uses: inputs.X and steps.ktr.outputs.X."""

    def value(match: re.Match[str]) -> str:
        expression = match.group(1)
        if expression.startswith("inputs."):
            return inputs[expression.removeprefix("inputs.")]
        if expression.startswith("steps.ktr.outputs.") and step_outputs is not None:
            return step_outputs.get(expression.removeprefix("steps.ktr.outputs."), "")
        raise AssertionError(f"unexpected expression in action.yml: {expression}")

    return EXPRESSION.sub(value, str(text))
