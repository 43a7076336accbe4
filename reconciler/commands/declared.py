"""The declarations a command acts on: valid, or a one-line-per-problem error.

Warnings are printed and do not fail; under GitHub Actions every problem is
also an annotation at its file and line.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from reconciler import github
from reconciler.commands.cluster_choice import ClusterChoice, unnamed_environment
from reconciler.declarations.resolve import load_declarations
from reconciler.declarations.result import (
    ENV_OPTION,
    Declarations,
    InvalidDeclarations,
    format_problem,
)
from reconciler.kafka.versions import KafkaVersion
from reconciler.model import DesiredState
from reconciler.problems import UserError


def load_valid(
    paths: Sequence[Path], environment: str | None, kafka_version: KafkaVersion | None = None
) -> DesiredState:
    """The desired state, or InvalidDeclarations listing every error.

    Warnings go to stderr and do not fail.
    """
    declarations = load_declarations(paths, environment, kafka_version=kafka_version)
    github.annotate(declarations.problems)
    command_line_error(declarations)
    if declarations.errors:
        raise InvalidDeclarations(declarations.problems)
    for warning in declarations.warnings:
        print(format_problem(warning), file=sys.stderr)
    return declarations.desired


def command_line_error(declarations: Declarations) -> None:
    """Raise a UserError for a mistake on the command line (an unknown ``--env``).

    It is the user's typing, not the files, that is wrong, so it is reported
    alone and not as "invalid topic declarations".
    """
    for problem in declarations.errors:
        if problem.file == ENV_OPTION:
            raise UserError(format_problem(problem))


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr)


def load_for(
    paths: Sequence[Path], target: ClusterChoice, *, warn: Callable[[str], None] = _to_stderr
) -> DesiredState:
    """The desired state for ``target``'s environment and Kafka version.

    Refused when the declarations define environments and the target names
    none (unless ``--no-env`` asked for the topics as written). Each warning
    goes to ``warn`` as one line.
    """
    declarations = load_declarations(paths, target.environment, kafka_version=target.kafka_version)
    if target.environment is None and declarations.environments and not target.as_written:
        raise unnamed_environment(declarations.environments, target.settings, target.cluster)
    github.annotate(declarations.problems)
    command_line_error(declarations)
    if declarations.errors:
        raise InvalidDeclarations(declarations.problems)
    for warning in declarations.warnings:
        warn(format_problem(warning))
    return declarations.desired
