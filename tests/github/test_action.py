"""The composite action: what it declares, and the ktr command line its step builds."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.github.support import (
    EXPRESSION,
    action_step,
    fake_ktr,
    load_action,
    recorded_argv,
    run_ktr_step,
)


def all_strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [text for value in node.values() for text in all_strings(value)]
    if isinstance(node, list):
        return [text for item in node for text in all_strings(item)]
    return []


# --- what action.yml declares -------------------------------------------------


def test_action_is_a_composite_action_with_a_name_and_description() -> None:
    action = load_action()
    assert action["runs"]["using"] == "composite"
    assert action["name"] and action["description"]


def test_every_input_referenced_is_declared() -> None:
    action = load_action()
    referenced = {
        expression.removeprefix("inputs.")
        for text in all_strings(action["runs"])
        for expression in EXPRESSION.findall(text)
        if expression.startswith("inputs.")
    }
    assert referenced
    assert referenced <= set(action["inputs"])


def test_every_declared_input_is_used() -> None:
    action = load_action()
    used = " ".join(all_strings(action["runs"]))
    for name in action["inputs"]:
        assert f"inputs.{name} }}}}" in used, name


def test_every_input_has_a_description() -> None:
    for name, spec in load_action()["inputs"].items():
        assert spec.get("description"), name


def test_no_run_script_contains_an_expression() -> None:
    # An expression in a script is pasted into the code before bash reads it:
    # an input holding `$(...)` or a quote would run as shell code.
    for step in load_action()["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], step.get("name")


def test_every_run_step_names_its_shell() -> None:
    for step in load_action()["runs"]["steps"]:
        if "run" in step:
            assert step.get("shell") == "bash", step.get("name")


def test_outputs_come_from_the_ktr_step() -> None:
    outputs = load_action()["outputs"]
    assert set(outputs) == {"has-changes", "drift", "exit-code", "report"}
    for spec in outputs.values():
        assert re.fullmatch(r"\$\{\{ steps\.ktr\.outputs\.[a-z_-]+ \}\}", spec["value"])
        assert spec["description"]


def test_ktr_is_installed_from_the_actions_own_checkout() -> None:
    install = [
        step for step in load_action()["runs"]["steps"] if "pip install" in step.get("run", "")
    ]
    assert len(install) == 1
    assert '"$GITHUB_ACTION_PATH"' in install[0]["run"]


def test_python_is_set_up_with_the_requested_version() -> None:
    setup = load_action()["runs"]["steps"][0]
    assert setup["uses"].startswith("actions/setup-python@")
    assert setup["with"]["python-version"] == "${{ inputs.python-version }}"


def test_the_ktr_step_script_is_valid_bash(tmp_path: Path) -> None:
    script = tmp_path / "step.sh"
    script.write_text(action_step("ktr")["run"])
    subprocess.run(["bash", "-n", str(script)], check=True)


# --- the command line the ktr step runs ----------------------------------------


def test_only_the_command_and_default_paths_by_default(tmp_path: Path) -> None:
    argv = fake_ktr(tmp_path / "bin")
    run = run_ktr_step(tmp_path, tmp_path / "bin", {"command": "plan"})
    assert run.exit_code == 0, run.stderr
    assert recorded_argv(argv) == ["plan", "topics/"]


def test_every_input_becomes_its_flag(tmp_path: Path) -> None:
    argv = fake_ktr(tmp_path / "bin")
    run = run_ktr_step(
        tmp_path,
        tmp_path / "bin",
        {
            "command": "apply",
            "paths": "topics/orders\ntopics/payments.yaml",
            "environment": "production",
            "bootstrap-servers": "kafka-1:9092,kafka-2:9092",
            "client-properties": "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n",
            "client-config": "kafka.properties",
            "args": "--auto-approve --allow-delete",
        },
    )
    assert run.exit_code == 0, run.stderr
    assert recorded_argv(argv) == [
        "apply",
        "topics/orders",
        "topics/payments.yaml",
        "--env",
        "production",
        "--bootstrap-servers",
        "kafka-1:9092,kafka-2:9092",
        "-X",
        "security.protocol=SASL_SSL",
        "-X",
        "sasl.mechanism=PLAIN",
        "--client-config",
        "kafka.properties",
        "--auto-approve",
        "--allow-delete",
    ]


def test_client_properties_skip_blank_lines_comments_and_surrounding_space(
    tmp_path: Path,
) -> None:
    argv = fake_ktr(tmp_path / "bin")
    properties = "\n  # SASL over TLS\n  security.protocol=SASL_SSL  \r\n\n\tsasl.username=ktr\n"
    run_ktr_step(tmp_path, tmp_path / "bin", {"command": "drift", "client-properties": properties})
    assert recorded_argv(argv) == [
        "drift",
        "topics/",
        "-X",
        "security.protocol=SASL_SSL",
        "-X",
        "sasl.username=ktr",
    ]


def test_hostile_inputs_are_passed_literally_never_run(tmp_path: Path) -> None:
    argv = fake_ktr(tmp_path / "bin")
    (tmp_path / "workspace").mkdir()
    (tmp_path / "workspace" / "some-file").touch()
    hostile = "sasl.password=a b $(touch pwned) `touch pwned2` ; touch pwned3 \"' *"
    run = run_ktr_step(
        tmp_path,
        tmp_path / "bin",
        {
            "command": "plan",
            "client-properties": hostile,
            "environment": "prod; touch pwned4",
            "args": "--format=$(touch${IFS}pwned5) *",
        },
    )
    assert run.exit_code == 0, run.stderr
    assert recorded_argv(argv) == [
        "plan",
        "topics/",
        "--env",
        "prod; touch pwned4",
        "-X",
        hostile,
        "--format=$(touch${IFS}pwned5)",
        "*",
    ]
    assert sorted(path.name for path in (tmp_path / "workspace").iterdir()) == ["some-file"]


def test_property_values_are_not_echoed_in_the_log(tmp_path: Path) -> None:
    fake_ktr(tmp_path / "bin")
    run = run_ktr_step(
        tmp_path,
        tmp_path / "bin",
        {"command": "plan", "client-properties": "sasl.password=hunter2"},
    )
    assert "+ ktr plan topics/ -X sasl.password=..." in run.stdout
    assert "hunter2" not in run.stdout + run.stderr


def test_validate_gets_no_connection_flags(tmp_path: Path) -> None:
    argv = fake_ktr(tmp_path / "bin")
    run_ktr_step(
        tmp_path,
        tmp_path / "bin",
        {
            "command": "validate",
            "environment": "development",
            "bootstrap-servers": "kafka:9092",
            "client-properties": "security.protocol=SSL",
            "client-config": "kafka.properties",
        },
    )
    assert recorded_argv(argv) == ["validate", "topics/", "--env", "development"]


def test_an_unknown_command_fails_before_running_ktr(tmp_path: Path) -> None:
    argv = fake_ktr(tmp_path / "bin")
    run = run_ktr_step(tmp_path, tmp_path / "bin", {"command": "destroy"})
    assert run.exit_code == 1
    assert "::error title=ktr::input 'command' must be one of" in run.stdout
    assert not argv.exists()


def test_ktr_runs_in_the_working_directory(tmp_path: Path) -> None:
    fake_ktr(tmp_path / "bin")
    (tmp_path / "workspace" / "kafka").mkdir(parents=True)
    (tmp_path / "bin" / "ktr").write_text("#!/usr/bin/env bash\npwd\n")
    run = run_ktr_step(
        tmp_path, tmp_path / "bin", {"command": "plan", "working-directory": "kafka"}
    )
    assert run.stdout.splitlines()[-1] == str(tmp_path / "workspace" / "kafka")


@pytest.mark.parametrize("code", [0, 1, 2])
def test_the_step_exits_with_ktrs_exit_code_and_reports_it(tmp_path: Path, code: int) -> None:
    fake_ktr(tmp_path / "bin", exit_code=code)
    run = run_ktr_step(tmp_path, tmp_path / "bin", {"command": "drift"})
    assert run.exit_code == code
    assert run.action_outputs["exit-code"] == str(code)


def test_the_report_output_names_a_file_with_ktrs_stdout(tmp_path: Path) -> None:
    fake_ktr(tmp_path / "bin", exit_code=2)
    run = run_ktr_step(tmp_path, tmp_path / "bin", {"command": "plan"})
    assert Path(run.action_outputs["report"]).read_text() == "report from ktr\n"
    assert "report from ktr" in run.stdout


def test_outputs_ktr_writes_become_the_actions_outputs(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    script = tmp_path / "bin" / "ktr"
    script.write_text('#!/usr/bin/env bash\nprintf "has_changes=true\\n" >> "$GITHUB_OUTPUT"\n')
    script.chmod(0o755)
    run = run_ktr_step(tmp_path, tmp_path / "bin", {"command": "plan"})
    assert run.action_outputs["has-changes"] == "true"
    assert run.action_outputs["drift"] == ""


def test_doctor_gets_the_connection_settings(tmp_path: Path) -> None:
    argv = fake_ktr(tmp_path / "bin")
    run_ktr_step(
        tmp_path,
        tmp_path / "bin",
        {
            "command": "doctor",
            "environment": "production",
            "bootstrap-servers": "kafka:9092",
            "args": "--fail-on warning",
        },
    )
    assert recorded_argv(argv) == [
        "doctor",
        "topics/",
        "--env",
        "production",
        "--bootstrap-servers",
        "kafka:9092",
        "--fail-on",
        "warning",
    ]


def test_a_property_without_its_key_is_not_echoed_in_the_log(tmp_path: Path) -> None:
    fake_ktr(tmp_path / "bin")
    run = run_ktr_step(
        tmp_path, tmp_path / "bin", {"command": "plan", "client-properties": "SECRET123"}
    )
    assert "+ ktr plan topics/ -X ..." in run.stdout
    assert "SECRET123" not in run.stdout + run.stderr


def test_the_cluster_input_names_a_cluster_of_ktr_yaml(tmp_path: Path) -> None:
    argv = fake_ktr(tmp_path / "bin")
    inputs = {"command": "validate", "cluster": "prod-eu; touch pwned"}
    run = run_ktr_step(tmp_path, tmp_path / "bin", inputs)
    assert run.exit_code == 0, run.stderr
    assert recorded_argv(argv) == ["validate", "topics/", "--cluster", "prod-eu; touch pwned"]
    assert not (tmp_path / "pwned").exists()
