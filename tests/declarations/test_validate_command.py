"""``ktr validate``: output, formats and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reconciler.cli import main
from tests.declarations.conftest import VALID, WriteTopics

ROOT = Path(__file__).resolve().parents[2]
BROKEN = """
topics:
  orders:
    partitons: 3
    replication_factor: 1
    config: {retention.msx: 7d}
"""


def run(*args: str) -> int:
    try:
        main(list(args))
    except SystemExit as exit:
        return int(exit.code or 0)
    return 0


def test_valid_declarations_exit_0_with_a_summary(
    write_topics: WriteTopics, topics_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_topics(VALID)
    assert run("validate", str(topics_dir)) == 0
    assert capsys.readouterr().out == "ok: 1 topic in 1 file\n"


def test_problems_are_printed_one_per_line_then_counted_with_exit_1(
    write_topics: WriteTopics, topics_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_topics(BROKEN)
    assert run("validate", str(topics_dir)) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{path}:3:5: unknown key 'partitons' in topic 'orders'; did you mean 'partitions'?",
        f"{path}:5:14: unknown topic config 'retention.msx'; did you mean 'retention.ms'? "
        "(topic 'orders')",
        "2 errors in 1 file",
    ]


def test_warnings_alone_keep_exit_0(
    write_topics: WriteTopics, topics_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_topics(VALID + "    config: {message.format.version: 3.0-IV1}\n")
    assert run("validate", str(topics_dir)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert ": warning: message.format.version" in lines[0]
    assert lines[1] == "ok: 1 topic in 1 file (1 warning)"


def test_several_paths_are_validated_together(
    write_topics: WriteTopics, capsys: pytest.CaptureFixture[str]
) -> None:
    a = write_topics(VALID, "a.yaml")
    b = write_topics(VALID.replace("orders.created", "b"), "b.yaml")
    assert run("validate", str(a), str(b)) == 0
    assert capsys.readouterr().out == "ok: 2 topics in 2 files\n"


def test_env_selects_an_overlay_and_an_unknown_one_fails(
    write_topics: WriteTopics, topics_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_topics(VALID + "    environments: {development: {partitions: 1}}\n")
    assert run("validate", str(topics_dir), "--env", "development") == 0
    assert "for environment 'development'" in capsys.readouterr().out
    assert run("validate", str(topics_dir), "--env", "staging") == 1
    assert capsys.readouterr().err == (
        "ktr: error: --env: unknown environment 'staging'; declared environments: development\n"
    )


def test_json_output_is_one_document(
    write_topics: WriteTopics, topics_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_topics(BROKEN)
    assert run("validate", str(topics_dir), "--format", "json") == 1
    document = json.loads(capsys.readouterr().out)
    assert document["ok"] is False
    assert document["files"] == [str(path)]
    assert document["problems"][0] == {
        "file": str(path),
        "line": 3,
        "column": 5,
        "severity": "error",
        "message": "unknown key 'partitons' in topic 'orders'; did you mean 'partitions'?",
    }


def test_json_output_of_valid_declarations(
    write_topics: WriteTopics, topics_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_topics(VALID)
    assert run("validate", str(topics_dir), "-f", "json") == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["ok"], document["topics"], document["problems"]) == (True, 1, [])


def test_an_unsupported_format_is_a_usage_error(
    write_topics: WriteTopics, topics_dir: Path
) -> None:
    write_topics(VALID)
    assert run("validate", str(topics_dir), "--format", "markdown") == 2


def test_validate_defaults_to_the_topics_directory(
    write_topics: WriteTopics,
    topics_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_topics(VALID)
    monkeypatch.chdir(topics_dir.parent)
    assert run("validate") == 0
    assert capsys.readouterr().out == "ok: 1 topic in 1 file\n"


def test_the_installed_command_validates_the_repository_topics() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reconciler", "validate", "--env", "production"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("ok: ")


def test_bad_declarations_fail_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text("topics:\n  t: !!python/object:os.system {}\n")
    result = subprocess.run(
        [sys.executable, "-m", "reconciler", "validate", str(tmp_path)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "t.yaml:2:6: unsafe YAML tag '!!python/object:os.system' refused" in result.stdout


def test_a_line_break_in_a_name_does_not_break_the_one_line_format(
    write_topics: WriteTopics, topics_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_topics('topics:\n  "a\\nb": {partitions: 1, replication_factor: 1}\n')
    assert run("validate", str(topics_dir)) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert "topic name 'a\\nb' has characters" in lines[0]
