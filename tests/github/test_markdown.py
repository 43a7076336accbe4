"""The Markdown reports ktr puts in step summaries."""

from __future__ import annotations

from reconciler import github
from reconciler.problems import Problem


def test_a_clean_validation_says_what_was_checked() -> None:
    text = github.validation_markdown([], files=3, topics=12, environment="production")
    assert text == (
        "### ktr validate: valid\n\n"
        "3 files, 12 topics, environment `production`: no problems found.\n"
    )


def test_counts_use_the_singular_for_one() -> None:
    text = github.validation_markdown([], files=1, topics=1, environment=None)
    assert "1 file, 1 topic: no problems found." in text


def test_errors_make_the_declarations_invalid_and_are_tabled() -> None:
    problems = [
        Problem("topics/b.yaml", 9, 3, "unknown topic config 'retention.msx'"),
        Problem("topics/a.yaml", 2, 5, "removed in Kafka 4.0", severity="warning"),
    ]
    text = github.validation_markdown(problems, files=2, topics=4, environment=None)
    assert text.splitlines() == [
        "### ktr validate: invalid",
        "",
        "2 files, 4 topics: 1 error, 1 warning.",
        "",
        "| | File | Line | Problem |",
        "|---|---|---|---|",
        "| warning | topics/a.yaml | 2:5 | removed in Kafka 4.0 |",
        "| error | topics/b.yaml | 9:3 | unknown topic config 'retention.msx' |",
    ]


def test_only_warnings_leave_the_declarations_valid() -> None:
    problems = [Problem("a.yaml", 1, 1, "odd", severity="warning")]
    text = github.validation_markdown(problems, files=1, topics=1, environment=None)
    assert text.startswith("### ktr validate: valid, with warnings\n")
    assert "1 warning." in text


def test_cells_cannot_break_the_table_or_format_text() -> None:
    problem = Problem("t|x.yaml", 1, 1, "a | b\n__consumer_offsets <b>*</b> [x](y)")
    row = github.validation_markdown([problem], 1, 1, None).splitlines()[-1]
    assert row == (
        "| error | t\\|x.yaml | 1:1 | "
        "a \\| b \\_\\_consumer\\_offsets \\<b\\>\\*\\</b\\> \\[x\\](y) |"
    )


def test_a_problem_without_a_line_leaves_the_line_cell_empty() -> None:
    row = github.validation_markdown([Problem("a.yaml", 0, 0, "unreadable")], 1, 0, None)
    assert row.splitlines()[-1] == "| error | a.yaml |  | unreadable |"
