"""A file name that is not UTF-8 is printed escaped, in Actions reports too, never a crash."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names not in UTF-8")
def test_a_declaration_whose_name_is_not_utf8_is_reported_escaped_under_github_actions(
    tmp_path: Path,
) -> None:
    topics = tmp_path / "topics"
    topics.mkdir()
    (Path(os.fsdecode(bytes(topics) + b"/b\xff.yaml"))).write_text("topics:\n  x: {}\n")
    summary = tmp_path / "summary.md"
    env = {
        **os.environ,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_WORKSPACE": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", "from reconciler.cli import main; main()", "validate"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=60,
    )

    assert done.returncode == 1
    assert b"this is a bug" not in done.stderr
    assert b"::error file=topics/b\\udcff.yaml,line=2" in done.stderr
    assert b"topics/b\\udcff.yaml:2:" in done.stdout
    assert "b\\udcff.yaml" in summary.read_text(encoding="utf-8")
