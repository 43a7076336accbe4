"""``ktr validate``: check declarations offline and report every problem with its line."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated

import typer

from reconciler import github
from reconciler.commands.options import Env, Paths
from reconciler.declarations.resolve import load_declarations
from reconciler.declarations.result import count_line, format_problem
from reconciler.problems import plural


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"


FormatOption = Annotated[
    ValidateFormat,
    typer.Option("--format", "-f", help="text: one problem per line; json: one document."),
]


def run(
    paths: Paths = None,
    env: Env = None,
    output_format: FormatOption = ValidateFormat.text,
) -> int:
    """Validate topic declarations: YAML, schema, names, configs, overlays and the lock.

    Exit 0 when valid (warnings allowed), 1 when anything is wrong.
    """
    declarations = load_declarations(paths or [], env)
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
    for problem in problems:
        typer.echo(format_problem(problem))
    if ok:
        warned = f" ({plural(len(problems), 'warning')})" if problems else ""
        where = f" for environment '{env}'" if env else ""
        typer.echo(f"ok: {plural(topics, 'topic')} in {plural(len(files), 'file')}{where}{warned}")
        return 0
    typer.echo(count_line(problems))
    return 1
