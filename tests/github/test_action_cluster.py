"""The action's plan, apply and drift steps running the real ktr against a broker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.broker import start_tansu
from tests.github.support import StepRun, real_ktr, run_ktr_step

pytestmark = pytest.mark.broker

DECLARATION = """\
topics:
  orders.created:
    partitions: 1
    replication_factor: 1
    config:
      retention.ms: 7d
"""


@pytest.fixture
def broker() -> Iterator[str]:
    """A private, empty Tansu broker: what plan and drift see is only this test's."""
    with start_tansu() as tansu:
        yield tansu.bootstrap


def run_against(tmp_path: Path, broker: str, command: str, args: str = "") -> StepRun:
    topics = tmp_path / "workspace" / "topics"
    topics.mkdir(parents=True, exist_ok=True)
    (topics / "orders.yaml").write_text(DECLARATION)
    real_ktr(tmp_path / "bin")
    return run_ktr_step(
        tmp_path,
        tmp_path / "bin",
        {
            "command": command,
            "bootstrap-servers": broker,
            "client-properties": "client.id=ktr-action-test\n",
            "args": args,
        },
    )


def test_plan_shows_the_new_topic_in_the_report_file(tmp_path: Path, broker: str) -> None:
    run = run_against(tmp_path, broker, "plan", "--format markdown")
    assert run.exit_code == 0, run.stderr
    assert run.action_outputs["exit-code"] == "0"
    assert "orders.created" in Path(run.action_outputs["report"]).read_text()


def test_plan_with_detailed_exit_code_fails_the_step_on_changes(
    tmp_path: Path, broker: str
) -> None:
    run = run_against(tmp_path, broker, "plan", "--detailed-exitcode")
    assert run.exit_code == 2, run.stderr
    assert run.action_outputs["exit-code"] == "2"


def test_drift_fails_the_step_when_a_declared_topic_is_missing(tmp_path: Path, broker: str) -> None:
    run = run_against(tmp_path, broker, "drift")
    assert run.exit_code == 2, run.stderr
    assert run.action_outputs["exit-code"] == "2"
    assert "orders.created" in run.stdout


def test_plan_sets_has_changes_and_summarises_the_plan(tmp_path: Path, broker: str) -> None:
    run = run_against(tmp_path, broker, "plan")
    assert run.action_outputs["has-changes"] == "true"
    assert "orders.created" in run.summary


def test_drift_sets_drift_and_summarises_what_drifted(tmp_path: Path, broker: str) -> None:
    run = run_against(tmp_path, broker, "drift")
    assert run.action_outputs["drift"] == "true"
    assert "orders.created" in run.summary


def test_apply_sets_has_changes_and_a_later_plan_has_none(tmp_path: Path, broker: str) -> None:
    applied = run_against(tmp_path / "apply", broker, "apply", "--auto-approve")
    assert applied.exit_code == 0, applied.stderr
    assert applied.action_outputs["has-changes"] == "true"
    assert "orders.created" in applied.summary

    planned = run_against(tmp_path / "plan", broker, "plan")
    assert planned.action_outputs["has-changes"] == "false"
