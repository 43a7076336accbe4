"""Validation problems become workflow commands that GitHub shows on the diff."""

from __future__ import annotations

import io

import pytest

from reconciler import github
from reconciler.problems import Problem
from tests.github.support import Step


def test_an_error_names_file_line_column_and_title(step: Step) -> None:
    problem = Problem("topics/orders.yaml", 3, 7, "partitions must be at least 1")
    assert github.annotation(problem, str(step.workspace)) == (
        "::error file=topics/orders.yaml,line=3,col=7,title=ktr::partitions must be at least 1"
    )


def test_a_warning_becomes_a_warning_command(step: Step) -> None:
    problem = Problem("topics/a.yaml", 1, 1, "removed in Kafka 4.0", severity="warning")
    assert github.annotation(problem).startswith("::warning file=topics/a.yaml,")


def test_message_escapes_percent_and_line_breaks() -> None:
    assert github.escape_data("100% sure\r\nreally") == "100%25 sure%0D%0Areally"


def test_message_keeps_colons_and_commas() -> None:
    problem = Problem("a.yaml", 1, 1, "expected one of: delete, compact")
    assert github.annotation(problem).endswith("::expected one of: delete, compact")


def test_property_escapes_colon_and_comma_too() -> None:
    assert github.escape_property("C:\\a,b%\n") == "C%3A\\a%2Cb%25%0A"


def test_a_file_name_with_delimiters_cannot_add_properties() -> None:
    problem = Problem("x,line=99:y.yaml", 2, 3, "bad")
    assert github.annotation(problem) == (
        "::error file=x%2Cline=99%3Ay.yaml,line=2,col=3,title=ktr::bad"
    )


def test_a_multi_line_message_stays_one_command() -> None:
    problem = Problem("a.yaml", 1, 1, "first\n::error::forged")
    assert "\n" not in github.annotation(problem)


def test_a_problem_without_a_line_annotates_the_whole_file() -> None:
    problem = Problem("topics/a.yaml", 0, 0, "cannot read file")
    assert github.annotation(problem) == "::error file=topics/a.yaml,title=ktr::cannot read file"


def test_a_problem_without_a_file_annotates_the_run() -> None:
    assert github.annotation(Problem("", 0, 0, "no declarations found")) == (
        "::error title=ktr::no declarations found"
    )


def test_absolute_paths_under_the_workspace_become_relative(step: Step) -> None:
    problem = Problem(str(step.workspace / "topics" / "a.yaml"), 1, 2, "bad")
    assert "file=topics/a.yaml," in github.annotation(problem, str(step.workspace))


def test_relative_paths_are_taken_from_the_working_directory(
    step: Step, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = step.workspace / "services" / "orders"
    service.mkdir(parents=True)
    monkeypatch.chdir(service)
    problem = Problem("topics/a.yaml", 1, 2, "bad")
    assert "file=services/orders/topics/a.yaml," in github.annotation(problem, str(step.workspace))


def test_paths_outside_the_workspace_are_kept_as_given(step: Step) -> None:
    problem = Problem("/etc/ktr/topics.yaml", 1, 2, "bad")
    assert "file=/etc/ktr/topics.yaml," in github.annotation(problem, str(step.workspace))


def test_annotate_writes_one_line_per_problem_to_stderr(
    step: Step, capsys: pytest.CaptureFixture[str]
) -> None:
    github.annotate(
        [
            Problem("topics/a.yaml", 1, 2, "bad"),
            Problem("topics/b.yaml", 3, 4, "odd", severity="warning"),
        ]
    )
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "::error file=topics/a.yaml,line=1,col=2,title=ktr::bad",
        "::warning file=topics/b.yaml,line=3,col=4,title=ktr::odd",
    ]


def test_annotate_writes_to_a_given_stream(step: Step) -> None:
    stream = io.StringIO()
    github.annotate([Problem("topics/a.yaml", 1, 2, "bad")], stream)
    assert stream.getvalue() == "::error file=topics/a.yaml,line=1,col=2,title=ktr::bad\n"


@pytest.mark.usefixtures("outside_actions")
def test_annotate_writes_nothing_outside_actions(capsys: pytest.CaptureFixture[str]) -> None:
    github.annotate([Problem("topics/a.yaml", 1, 2, "bad")])
    assert capsys.readouterr() == ("", "")


def test_annotate_writes_nothing_when_actions_is_not_exactly_true(
    step: Step, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "1")
    github.annotate([Problem("topics/a.yaml", 1, 2, "bad")])
    assert capsys.readouterr() == ("", "")


def test_problems_past_githubs_annotation_limit_are_announced(step: Step) -> None:
    stream = io.StringIO()
    errors = [Problem("a.yaml", line, 1, "bad") for line in range(1, 13)]
    warnings = [Problem("a.yaml", line, 1, "odd", severity="warning") for line in range(1, 4)]
    github.annotate(errors + warnings, stream)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 16
    assert lines[-1] == (
        "::notice title=ktr::GitHub annotates only 10 errors and 10 warnings per step:"
        " see the log or the step summary for the other 2 errors"
    )


def test_no_notice_when_every_problem_is_annotated(step: Step) -> None:
    stream = io.StringIO()
    github.annotate([Problem("a.yaml", line, 1, "bad") for line in range(1, 11)], stream)
    assert "::notice" not in stream.getvalue()
