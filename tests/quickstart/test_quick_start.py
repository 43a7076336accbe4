"""The README's quick start, run as written against the local broker, so the two cannot drift apart.

The shell blocks of the "Quick start" section are read from README.md and
run with bash from the repository root. ``scripts/test`` is this suite
itself and the last block needs a cluster of your own, so those two are
checked to be there but not run.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.broker


def quick_start_blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Quick start\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)


def bash(script: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` from the repository root as a user's shell would, outside any test broker."""
    env = {k: v for k, v in os.environ.items() if k != "KAFKA_BOOTSTRAP_SERVERS"}
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_the_quick_start_has_the_blocks_this_test_runs() -> None:
    blocks = quick_start_blocks()
    assert len(blocks) == 4
    assert blocks[0] == "scripts/demo\n"
    assert blocks[1].startswith('eval "$(scripts/broker --background)"')
    assert blocks[2].startswith("scripts/test")
    assert "-b broker:9092" in blocks[3]


def test_the_demo_runs_as_written() -> None:
    result = bash(quick_start_blocks()[0])
    assert result.returncode == 0, result.stderr
    assert "Apply finished: 10 done." in result.stdout
    assert result.stdout.rstrip().endswith("No changes: the cluster matches the declarations.")


def test_the_commands_against_a_broker_of_your_own_run_as_written() -> None:
    # If the block fails half-way, its broker must not outlive the test.
    script = "trap 'kill \"${KTR_BROKER_PID:-}\" 2>/dev/null || true' EXIT\n"
    result = bash(script + quick_start_blocks()[1])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Apply finished" in result.stdout
    assert "No drift: the cluster matches the declarations." in result.stdout


def test_the_demo_prints_the_plan_once_and_no_install_or_shell_noise() -> None:
    result = bash("scripts/demo")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Plan: ") == 1
    assert "+ kill" not in result.stderr and "\n+ " not in result.stderr
    assert "setuptools" not in result.stderr and "Warning" not in result.stderr


def test_demo_keep_leaves_the_broker_running_and_says_how_to_stop_it() -> None:
    result = bash("scripts/demo --keep")
    assert result.returncode == 0, result.stderr
    found = re.search(r"keeps running at 127\.0\.0\.1:(\d+) \(pid (\d+)\)", result.stdout)
    assert found is not None, result.stdout
    port, pid = int(found[1]), int(found[2])
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
        assert f"Stop it with: kill {pid}" in result.stdout
        assert f"export KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:{port}" in result.stdout
    finally:
        os.kill(pid, signal.SIGKILL)


def test_the_broker_script_in_the_background_prints_only_the_settings_on_stdout() -> None:
    result = bash("scripts/broker --background")
    assert result.returncode == 0, result.stderr
    found = re.fullmatch(
        r"export KAFKA_BOOTSTRAP_SERVERS=127\.0\.0\.1:(\d+) KTR_BROKER_PID=(\d+)\n", result.stdout
    )
    assert found is not None, result.stdout
    try:
        socket.create_connection(("127.0.0.1", int(found[1])), timeout=5).close()
        assert f"stop it with: kill {found[2]}" in result.stderr
    finally:
        os.kill(int(found[2]), signal.SIGKILL)
