"""How the ``ktr`` program starts and ends: exit code and output intact, without tearing down."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# An exit handler stands for the interpreter's teardown: it runs only on the usual exit.
SCRIPT = """\
import atexit, sys
atexit.register(lambda: print("torn down", file=sys.stderr))
from reconciler.cli import run
run()
"""


def ktr_program(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, *argv], cwd=ROOT, capture_output=True, text=True
    )


def test_a_command_that_succeeds_exits_0_with_its_output_whole_and_no_teardown() -> None:
    done = ktr_program("validate", "topics")
    assert done.returncode == 0
    assert done.stdout.startswith("ok: ") and done.stdout.endswith(" files\n")
    assert "torn down" not in done.stderr


def test_a_failing_command_keeps_its_exit_code_and_report() -> None:
    done = ktr_program("validate", "no-such-directory")
    assert done.returncode == 1
    assert done.stdout == "no-such-directory: no such file or directory\n1 error in 1 file\n"
    assert "torn down" not in done.stderr


def test_a_usage_error_keeps_exit_code_2() -> None:
    done = ktr_program("no-such-command")
    assert done.returncode == 2
    assert "torn down" not in done.stderr


def test_output_to_a_closed_pipe_still_exits_1_and_says_nothing() -> None:
    reader = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, "--help"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.close()  # nobody reads what ktr prints
    errors = reader.stderr.read()
    assert reader.wait() == 1
    assert "Traceback" not in errors and "ktr: error" not in errors


def test_the_garbage_collector_paused_for_start_up_runs_again_once_ktr_is_imported() -> None:
    check = "import gc, reconciler.__main__; print(gc.isenabled())"
    done = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True)
    assert done.stdout == "True\n"
