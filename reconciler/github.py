"""What ktr tells GitHub Actions when it runs inside a workflow.

Three channels, each a no-op outside Actions (``GITHUB_ACTIONS`` is not ``true``)
or when the runner did not provide the file it needs:

- annotations: ``::error``/``::warning`` workflow commands, so validation
  problems show on the pull request's diff. They go to **stderr**: the runner
  scans both stdout and stderr of a step for workflow commands, and stdout
  stays clean for ``--format json`` and ``--format markdown`` output that
  workflows redirect into files.
- the step summary: Markdown appended to ``$GITHUB_STEP_SUMMARY``.
- step outputs: ``name=value`` lines appended to ``$GITHUB_OUTPUT``.

Only reports and flags pass through here; nothing in them holds secrets.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from reconciler.problems import Problem, plural

# GitHub shows at most 10 error and 10 warning annotations from one step.
ANNOTATIONS_SHOWN = 10
# The runner refuses a step summary over 1024 KiB and then shows none of it.
SUMMARY_LIMIT_BYTES = 1024 * 1024 - 4096
_TRUNCATED_NOTE = "\n\n_(report truncated: it exceeded the step summary's size limit)_\n"


def active() -> bool:
    """True when running as a GitHub Actions step."""
    return os.environ.get("GITHUB_ACTIONS") == "true"


def flag(value: bool) -> str:
    """A boolean as workflows compare it: ``true`` or ``false``."""
    return "true" if value else "false"


# --- annotations ------------------------------------------------------------


def escape_data(text: str) -> str:
    """Escape a workflow command's message so it stays one command line."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command property value (``,`` and ``:`` delimit them)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem, workspace: str | None = None) -> str:
    """The workflow command that shows one problem on its file and line."""
    properties: list[tuple[str, str]] = []
    if problem.file:
        properties.append(("file", _workspace_relative(problem.file, workspace)))
        if problem.line > 0:
            properties.append(("line", str(problem.line)))
            if problem.column > 0:
                properties.append(("col", str(problem.column)))
    properties.append(("title", "ktr"))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{problem.severity} {rendered}::{escape_data(problem.message)}"


def annotate(problems: Iterable[Problem], stream: TextIO | None = None) -> None:
    """Write one annotation per problem (to stderr unless ``stream`` is given)."""
    if not active():
        return
    out = stream if stream is not None else sys.stderr
    workspace = os.environ.get("GITHUB_WORKSPACE") or None
    counts = {"error": 0, "warning": 0}
    for problem in problems:
        counts[problem.severity] += 1
        out.write(annotation(problem, workspace) + "\n")
    unshown = [
        plural(number - ANNOTATIONS_SHOWN, severity)
        for severity, number in counts.items()
        if number > ANNOTATIONS_SHOWN
    ]
    if unshown:
        # Past the limit the runner keeps the lines in the log but drops the
        # annotations, so say where the rest are.
        note = (
            f"GitHub annotates only {ANNOTATIONS_SHOWN} errors and {ANNOTATIONS_SHOWN} warnings"
            f" per step: see the log or the step summary for the other {' and '.join(unshown)}"
        )
        out.write(f"::notice title=ktr::{escape_data(note)}\n")
    out.flush()


def _workspace_relative(file: str, workspace: str | None) -> str:
    # GitHub attaches an annotation to a diff only by a path relative to the
    # repository root, which ktr's working directory need not be.
    if workspace is None:
        return file
    path = Path(file)
    if not path.is_absolute():
        path = Path.cwd() / path
    try:
        return path.resolve().relative_to(Path(workspace).resolve()).as_posix()
    except ValueError:
        return file


# --- step summary and outputs -----------------------------------------------


def append_summary(markdown: str | Callable[[], str]) -> None:
    """Append a Markdown report to the step summary.

    Given a function, it is called only when there is a step summary to write:
    rendering a plan of thousands of topics for nobody costs as much as the diff.
    """
    target = _runner_file("GITHUB_STEP_SUMMARY")
    if target is None:
        return
    if callable(markdown):
        markdown = markdown()
    text = (markdown if markdown.endswith("\n") else markdown + "\n") + "\n"
    # The limit is for the whole step, so earlier reports in the file count too.
    budget = SUMMARY_LIMIT_BYTES - (target.stat().st_size if target.exists() else 0)
    # A file name that is not UTF-8 holds surrogates: written escaped (\udcff).
    encoded = text.encode("utf-8", errors="backslashreplace")
    text = encoded.decode("utf-8")
    if len(encoded) > budget:
        keep = max(0, budget - len(_TRUNCATED_NOTE.encode("utf-8")))
        text = encoded[:keep].decode("utf-8", errors="ignore") + _TRUNCATED_NOTE
    with target.open("a", encoding="utf-8", errors="backslashreplace") as summary:
        summary.write(text)


def set_outputs(values: Mapping[str, str]) -> None:
    """Set step outputs; multi-line values use the runner's delimiter form."""
    target = _runner_file("GITHUB_OUTPUT")
    if target is None:
        return
    with target.open("a", encoding="utf-8", errors="backslashreplace") as outputs:
        for name, value in values.items():
            outputs.write(output_entry(name, value))


def output_entry(name: str, value: str) -> str:
    """One ``$GITHUB_OUTPUT`` entry: ``name=value``, or a heredoc for multi-line values."""
    if not name or any(char in name for char in "=\r\n") or "<<" in name:
        raise ValueError(f"invalid step output name {name!r}")
    if "\n" not in value and "\r" not in value:
        return f"{name}={value}\n"
    delimiter = f"ktr_{uuid.uuid4().hex}"
    while delimiter in value:  # astronomically unlikely, but a clash would cut the value
        delimiter = f"ktr_{uuid.uuid4().hex}"
    return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"


def _runner_file(variable: str) -> Path | None:
    if not active():
        return None
    name = os.environ.get(variable)
    return Path(name) if name else None


# --- Markdown reports -------------------------------------------------------


def validation_markdown(
    problems: Sequence[Problem], files: int, topics: int, environment: str | None
) -> str:
    """A step summary for ``ktr validate``: counts, then one table row per problem."""
    errors = sum(1 for problem in problems if problem.severity == "error")
    warnings = len(problems) - errors
    scope = f"{plural(files, 'file')}, {plural(topics, 'topic')}"
    if environment:
        scope += f", environment `{_code(environment)}`"
    if not problems:
        return f"### ktr validate: valid\n\n{scope}: no problems found.\n"
    verdict = "invalid" if errors else "valid, with warnings"
    tally = ", ".join(
        part for part in (_nonzero(errors, "error"), _nonzero(warnings, "warning")) if part
    )
    lines = [
        f"### ktr validate: {verdict}",
        "",
        f"{scope}: {tally}.",
        "",
        "| | File | Line | Problem |",
        "|---|---|---|---|",
    ]
    for problem in sorted(problems, key=_reading_order):
        where = f"{problem.line}:{problem.column}" if problem.line > 0 else ""
        lines.append(
            f"| {problem.severity} | {_text(problem.file)} | {where} | {_text(problem.message)} |"
        )
    return "\n".join(lines) + "\n"


def _reading_order(problem: Problem) -> tuple[str, int, int]:
    return (problem.file, problem.line, problem.column)


def _nonzero(number: int, noun: str) -> str:
    return plural(number, noun) if number else ""


_MARKDOWN_SPECIALS = set("\\`*_[]<>|~&#")


def _text(value: str) -> str:
    """Literal text inside a table cell: no emphasis, links, HTML or broken columns."""
    flat = " ".join(value.splitlines())
    return "".join("\\" + char if char in _MARKDOWN_SPECIALS else char for char in flat)


def _code(value: str) -> str:
    # For a name inside a code span: backticks would end it, pipes a table cell.
    return value.replace("`", "'").replace("|", "\\|")
