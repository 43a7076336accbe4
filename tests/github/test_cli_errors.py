"""One-line command errors become a run annotation under GitHub Actions."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.cli import main

DECLARATION = "topics:\n  orders:\n    partitions: 1\n    replication_factor: 1\n"


def run_ktr(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    return int(exited.value.code or 0), capsys.readouterr().err


def test_an_error_without_a_line_is_annotated_on_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "orders.yaml").write_text(DECLARATION)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)

    code, err = run_ktr(["plan", str(tmp_path / "orders.yaml")], capsys)

    assert code == 1
    assert "ktr: error:" in err
    assert "::error title=ktr::" in err


def test_invalid_declarations_are_annotated_once_at_their_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "orders.yaml").write_text(DECLARATION.replace("partitions: 1", "partitions: 0"))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")

    code, err = run_ktr(["plan", str(tmp_path / "orders.yaml"), "-b", "127.0.0.1:1"], capsys)

    assert code == 1
    assert [line for line in err.splitlines() if line.startswith("::error")] == [
        line for line in err.splitlines() if line.startswith("::error file=")
    ]
    assert err.count("::error file=") == 1


def test_outside_actions_errors_carry_no_annotation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "orders.yaml").write_text(DECLARATION)
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)

    _, err = run_ktr(["plan", str(tmp_path / "orders.yaml")], capsys)

    assert "::" not in err
