"""The confirmation question of ``ktr apply``: only a yes goes ahead."""

from __future__ import annotations

import io

import pytest

from reconciler.apply.flow import ask


class Interrupted(io.StringIO):
    def readline(self, size: int | None = -1) -> str:
        raise KeyboardInterrupt


@pytest.mark.parametrize("answer", ["y\n", "yes\n", "Y\n"])
def test_a_yes_goes_ahead(answer: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(answer))
    assert ask("Apply this change?")


@pytest.mark.parametrize("answer", ["\n", "n\n", "no\n", "sure\n"])
def test_anything_else_is_a_no(answer: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(answer))
    assert not ask("Apply this change?")


def test_end_of_input_is_a_no_not_an_abort(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert not ask("Apply this change?")
    assert capsys.readouterr().err == "Apply this change? [y/N]: \n"


def test_ctrl_c_at_the_question_is_an_interrupt_on_a_line_of_its_own(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", Interrupted())
    with pytest.raises(KeyboardInterrupt):
        ask("Apply this change?")
    assert capsys.readouterr().err.endswith("[y/N]: \n")
