"""Reading a plan saved by ``ktr plan --out``: a bad file is one error line naming it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reconciler.cli import main
from reconciler.commands.apply import read_plan_file
from reconciler.plan import integrity
from reconciler.problems import UserError


def test_a_plan_file_that_is_not_utf8_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_bytes(b"\xff\xfe{}")
    with pytest.raises(UserError, match=r"plan.json: cannot read the plan: not UTF-8 text"):
        read_plan_file(path)


def test_a_plan_file_that_is_not_json_names_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text("{\n")
    with pytest.raises(UserError, match=r"plan.json:2:1: not JSON"):
        read_plan_file(path)


def test_plan_shaping_flags_beside_a_saved_plan_are_refused_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.json"
    path.write_text("{}")
    with pytest.raises(SystemExit) as exit_:
        main(["apply", "--plan", str(path), "--env", "production", "--prune-configs"])
    assert exit_.value.code == 1
    assert capsys.readouterr().err == (
        "ktr: error: --plan applies a saved plan exactly and cannot be combined with "
        "--prune-configs, --env: those belong to the `ktr plan` run that made it\n"
    )


def test_a_fifo_given_as_the_plan_is_refused_at_once_instead_of_hanging(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    os.mkfifo(path)
    with pytest.raises(UserError, match=r"plan.json: cannot read the plan: a named pipe \(FIFO\)"):
        read_plan_file(path)


def test_a_device_that_never_ends_is_refused_instead_of_filling_memory() -> None:
    with pytest.raises(UserError, match="a character device, not a regular file"):
        read_plan_file(Path("/dev/zero"))


def test_a_plan_file_larger_than_any_plan_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(integrity, "MAX_PLAN_BYTES", 1024)
    path = tmp_path / "plan.json"
    path.write_text(" " * 1025 + "{}")
    with pytest.raises(UserError, match=r"plan.json: cannot read the plan: larger than"):
        read_plan_file(path)
