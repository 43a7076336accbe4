"""Reading a plan saved by ``ktr plan --out``: a bad file is one error line naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.cli import main
from reconciler.commands.apply import read_plan_file
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
        main(["apply", "--plan", str(path), "--env", "production", "--allow-delete"])
    assert exit_.value.code == 1
    assert capsys.readouterr().err == (
        "ktr: error: --plan applies a saved plan exactly and cannot be combined with "
        "--allow-delete, --env: those belong to the `ktr plan` run that made it\n"
    )
