"""The step summary and step outputs: appended to the files the runner names."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler import github
from tests.github.support import Step, parse_outputs


def test_active_only_when_github_actions_is_true(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert github.active()
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert not github.active()
    monkeypatch.delenv("GITHUB_ACTIONS")
    assert not github.active()


def test_flag_spells_booleans_as_workflows_compare_them() -> None:
    assert (github.flag(True), github.flag(False)) == ("true", "false")


def test_summary_is_appended_after_what_is_already_there(step: Step) -> None:
    step.summary.write_text("earlier step report\n")
    github.append_summary("### ktr plan\n\nNo changes.")
    assert step.summary.read_text() == "earlier step report\n### ktr plan\n\nNo changes.\n\n"


def test_two_summaries_are_separated_by_a_blank_line(step: Step) -> None:
    github.append_summary("### one\n")
    github.append_summary("### two\n")
    assert step.summary.read_text() == "### one\n\n### two\n\n"


def test_summary_over_the_runner_limit_is_truncated_with_a_note(step: Step) -> None:
    github.append_summary("x" * (2 * github.SUMMARY_LIMIT_BYTES))
    written = step.summary.read_bytes()
    assert len(written) <= github.SUMMARY_LIMIT_BYTES
    assert written.decode().endswith("exceeded the step summary's size limit)_\n")


def test_summary_limit_counts_what_the_step_already_wrote(step: Step) -> None:
    step.summary.write_text("y" * (github.SUMMARY_LIMIT_BYTES - 100))
    github.append_summary("z" * 1000)
    assert step.summary.stat().st_size <= github.SUMMARY_LIMIT_BYTES


def test_single_line_outputs_are_name_equals_value(step: Step) -> None:
    github.set_outputs({"has_changes": "true", "drift": "false"})
    assert step.output.read_text() == "has_changes=true\ndrift=false\n"


def test_outputs_are_appended_after_other_steps_outputs(step: Step) -> None:
    step.output.write_text("earlier=1\n")
    github.set_outputs({"has_changes": "false"})
    assert parse_outputs(step.output.read_text()) == {"earlier": "1", "has_changes": "false"}


def test_multi_line_outputs_use_a_delimiter_the_runner_reads_back(step: Step) -> None:
    report = "line one\nline two=2\n\nname<<EOF"
    github.set_outputs({"report": report, "has_changes": "true"})
    assert parse_outputs(step.output.read_text()) == {"report": report, "has_changes": "true"}


def test_multi_line_delimiter_never_occurs_in_the_value() -> None:
    entry = github.output_entry("report", "a\nb")
    delimiter = entry.split("\n", 1)[0].split("<<", 1)[1]
    assert delimiter not in "a\nb"
    assert entry.endswith(f"\n{delimiter}\n")


@pytest.mark.parametrize("name", ["", "a=b", "a\nb", "a<<b"])
def test_an_output_name_that_would_corrupt_the_file_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="invalid step output name"):
        github.output_entry(name, "x")


@pytest.mark.usefixtures("outside_actions")
def test_nothing_is_written_outside_actions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary, output = tmp_path / "summary.md", tmp_path / "output.txt"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    github.append_summary("### report")
    github.set_outputs({"has_changes": "true"})
    assert not summary.exists()
    assert not output.exists()


def test_nothing_is_written_when_the_runner_names_no_files(
    step: Step, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY")
    monkeypatch.delenv("GITHUB_OUTPUT")
    github.append_summary("### report")
    github.set_outputs({"has_changes": "true"})
    assert step.summary.read_text() == ""
    assert step.output.read_text() == ""
