"""``ktr validate``: check declarations offline and report every problem with its line."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from reconciler import github
from reconciler.commands.cluster_choice import choose
from reconciler.commands.declared import command_line_error
from reconciler.commands.options import (
    Choices,
    Cluster,
    Env,
    KafkaVersionOption,
    Paths,
    SettingsFile,
    choice,
    metavar,
)
from reconciler.declarations.resolve import load_declarations
from reconciler.declarations.result import count_line, format_problem
from reconciler.problems import plural
from reconciler.settings import load_settings


class ValidateFormat(Choices):
    text = "text"
    json = "json"


FormatOption = Annotated[
    ValidateFormat,
    typer.Option(
        "--format",
        "-f",
        help="text: one problem per line; json: one document.",
        parser=choice(ValidateFormat),
        metavar=metavar(ValidateFormat),
    ),
]


def run(
    paths: Paths = None,
    env: Env = None,
    cluster: Cluster = None,
    kafka_version: KafkaVersionOption = None,
    settings_file: SettingsFile = None,
    output_format: FormatOption = ValidateFormat.text,
) -> int:
    """Validate topic declarations: YAML, schema, names, configs, overlays and the lock.

    With --cluster, for that cluster's environment and Kafka version.
    Exit 0 when valid (warnings allowed), 1 when anything is wrong.
    """
    if cluster is not None or kafka_version is not None:
        target = choose(
            load_settings(settings_file), cluster=cluster, env=env, kafka_version=kafka_version
        )
        env, version = target.environment, target.kafka_version
    else:
        version = None
    declarations = load_declarations(paths or [], env, kafka_version=version)
    problems = declarations.problems
    ok = not declarations.errors
    topics = len(declarations.desired.topics)
    files = declarations.files
    github.annotate(problems)
    github.append_summary(lambda: github.validation_markdown(problems, len(files), topics, env))
    if output_format is ValidateFormat.json:
        document = {
            "ok": ok,
            "environment": env,
            "cluster": cluster,
            "kafka_version": None if version is None else str(version),
            "topics": topics,
            "files": [str(f) for f in files],
            "problems": [
                {
                    "file": p.file,
                    "line": p.line,
                    "column": p.column,
                    "severity": p.severity,
                    "message": p.message,
                }
                for p in problems
            ],
        }
        typer.echo(json.dumps(document, indent=2))
        return 0 if ok else 1
    command_line_error(declarations)
    for problem in problems:
        typer.echo(format_problem(problem))
    if ok:
        warned = f" ({plural(len(problems), 'warning')})" if problems else ""
        where = f" for environment '{env}'" if env else ""
        if cluster is not None:
            where += f" on cluster '{cluster}'"
        if version is not None:
            where += f" (Kafka {version})"
        typer.echo(f"ok: {plural(topics, 'topic')} in {plural(len(files), 'file')}{where}{warned}")
        return 0
    typer.echo(count_line(problems))
    return 1
