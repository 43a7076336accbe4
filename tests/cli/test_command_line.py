"""The command line as a whole: every failure is one line, never a traceback; option limits."""

from __future__ import annotations

import contextlib
import signal
from pathlib import Path

import pytest

from reconciler.cli import main
from reconciler.commands import validate


def run_ktr(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    return int(exited.value.code or 0), capsys.readouterr().err


def test_an_unexpected_error_is_one_line_saying_it_is_a_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise ValueError("something ktr did not expect")

    monkeypatch.setattr(validate, "load_declarations", broken)

    code, err = run_ktr(["validate", str(tmp_path)], capsys)

    assert code == 1
    assert err == (
        "ktr: error: unexpected ValueError: something ktr did not expect "
        "(this is a bug in ktr; please report it)\n"
    )


def test_ctrl_c_that_a_library_turns_into_another_error_still_ends_as_an_interrupt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # confluent-kafka's poll() swallows the KeyboardInterrupt of a Ctrl-C and
    # returns NULL, which Python reports as a SystemError.
    def poll_interrupted(*_args: object, **_kwargs: object) -> None:
        with contextlib.suppress(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)
        raise SystemError("<method 'poll'> returned NULL without setting an exception")

    monkeypatch.setattr(validate, "load_declarations", poll_interrupted)

    code, err = run_ktr(["validate", str(tmp_path)], capsys)

    assert code == 130
    assert err == "ktr: interrupted\n"


def test_main_leaves_the_ctrl_c_handler_as_it_found_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = signal.getsignal(signal.SIGINT)
    run_ktr(["validate", str(tmp_path)], capsys)
    assert signal.getsignal(signal.SIGINT) is before


def test_sigterm_inside_a_command_ends_as_an_interrupt_so_clean_up_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cleaned: list[bool] = []

    def terminated(*_args: object, **_kwargs: object) -> None:
        try:
            signal.raise_signal(signal.SIGTERM)
        finally:
            cleaned.append(True)

    monkeypatch.setattr(validate, "load_declarations", terminated)

    code, err = run_ktr(["validate", str(tmp_path)], capsys)

    assert (code, err, cleaned) == (130, "ktr: interrupted\n", [True])
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_ctrl_c_inside_a_command_says_interrupted_and_exits_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def pressed(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(validate, "load_declarations", pressed)

    code, err = run_ktr(["validate", str(tmp_path)], capsys)

    assert code == 130
    assert err == "ktr: interrupted\n"


def test_an_error_from_the_system_is_one_line_and_not_called_a_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(validate, "load_declarations", disk_full)

    code, err = run_ktr(["validate", str(tmp_path)], capsys)

    assert code == 1
    assert err == "ktr: error: No space left on device\n"


@pytest.mark.parametrize("command", ["plan", "apply", "drift"])
def test_a_timeout_beyond_what_librdkafka_takes_is_a_usage_error(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run_ktr([command, str(tmp_path), "-b", "127.0.0.1:1", "--timeout", "1e9"], capsys)
    assert code == 2
    assert "--timeout" in err
    assert "3600" in err


def test_help_names_the_bootstrap_environment_variable_once(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit):
        main(["plan", "--help"])
    assert capsys.readouterr().out.count("KAFKA_BOOTSTRAP_SERVERS") == 1


def run_out(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    return int(exited.value.code or 0), capsys.readouterr().out


def test_version_prints_ktrs_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    assert run_out(["--version"], capsys) == (0, f"ktr {version('ktr')}\n")


@pytest.mark.parametrize("command", [[], ["plan"], ["apply"], ["validate"]])
def test_dash_h_is_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_out([*command, "-h"], capsys)
    assert code == 0 and out.startswith("Usage: ktr")


def test_shell_completion_can_be_shown_and_installed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_out(["-h"], capsys)
    assert "--install-completion" in out and "--show-completion" in out
    code, out = run_out(["--show-completion", "bash"], capsys)
    assert code == 0 and "_ktr_completion()" in out


@pytest.mark.parametrize("flag", ["--auto-approve", "--allow-delete", "--prune-configs"])
def test_help_shows_boolean_options_as_flags(
    flag: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    _, out = run_out(["apply", "--help"], capsys)
    (line,) = [line for line in out.splitlines() if line.strip().startswith(flag)]
    assert line.split()[1] != "<bool>" and "bool" not in line


@pytest.mark.parametrize("command", ["plan", "apply", "drift"])
def test_help_at_80_columns_shows_the_whole_environment_variable_name(
    command: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    _, out = run_out([command, "--help"], capsys)
    assert "[env var:" in out and "KAFKA_BOOTSTRAP_SERVERS]" in out
    assert max(len(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize(
    ("command", "formats"),
    [
        ("plan", "text, json or markdown"),
        ("apply", "text, json or markdown"),
        ("drift", "text, json or markdown"),
        ("validate", "text or json"),
    ],
)
def test_an_unknown_format_says_in_ktrs_words_which_exist(
    command: str, formats: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run_ktr([command, "--format", "yaml"], capsys)
    assert code == 2
    assert err == f"ktr: error: --format: unknown format 'yaml'; ktr prints {formats}\n"
