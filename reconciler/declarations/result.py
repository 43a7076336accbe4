"""What loading declarations found: the desired state and every problem, and how problems print."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from reconciler.model import DesiredState
from reconciler.problems import Problem, UserError, plural

ENV_OPTION = "--env"  # the "file" of problems about the command line, not a file


@dataclass(frozen=True)
class Declarations:
    """What the declaration files say for one environment, and every problem found.

    ``desired`` holds the topics that could be resolved, even when there are
    problems; only trust it when ``errors`` is empty. Loaded without an
    environment, ``by_environment`` also holds the desired state of every
    declared environment (and None: the topics as written), each checked.
    """

    desired: DesiredState
    problems: tuple[Problem, ...]
    files: tuple[Path, ...]
    environments: tuple[str, ...] = ()
    by_environment: Mapping[str | None, DesiredState] = field(default_factory=dict)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")


class InvalidDeclarations(UserError):
    """The declarations have errors; its text lists them, one per line, then a count."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        lines = ["invalid topic declarations:"]
        lines += [format_problem(p) for p in self.problems]
        lines.append(count_line(self.problems))
        super().__init__("\n".join(lines))


def format_problem(problem: Problem) -> str:
    """``FILE:LINE:COL: message``; a problem with no line (``--env``, a missing path)
    shows only its file."""
    if "\n" in problem.message or "\r" in problem.message:
        # A quoted YAML key can hold a line break; a problem stays one line.
        message = problem.message.replace("\r", "\\r").replace("\n", "\\n")
        problem = replace(problem, message=message)
    if problem.line <= 0:
        prefix = "warning: " if problem.severity == "warning" else ""
        return f"{problem.file}: {prefix}{problem.message}"
    return str(problem)


def count_line(problems: Sequence[Problem]) -> str:
    """``2 errors, 1 warning in 3 files``."""
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    files = len({p.file for p in problems if p.file != ENV_OPTION})
    parts = [plural(errors, "error")]
    if warnings:
        parts.append(plural(warnings, "warning"))
    counted = ", ".join(parts)
    return f"{counted} in {plural(files, 'file')}" if files else counted
