"""``ktr lock``: write (or check) the lock file of declared topic names."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reconciler.commands.cluster_choice import choose, typed
from reconciler.commands.options import Cluster, KafkaVersionOption, SettingsFile
from reconciler.declarations import lock
from reconciler.declarations.files import DEFAULT_PATHS
from reconciler.declarations.resolve import load_declarations
from reconciler.declarations.result import InvalidDeclarations, count_line, format_problem
from reconciler.model import DesiredState
from reconciler.problems import Unreadable, UserError, plural
from reconciler.settings import load_settings

LockPath = Annotated[
    Path | None,
    typer.Argument(
        help="Directory of declarations; the lock is PATH/topics.lock (default: topics/).",
        show_default=False,
    ),
]
Check = Annotated[
    bool,
    typer.Option("--check", help="Only check that the lock matches the declarations."),
]


def run(
    context: typer.Context,
    path: LockPath = None,
    check: Check = False,
    cluster: Cluster = None,
    kafka_version: KafkaVersionOption = None,
    settings_file: SettingsFile = None,
) -> int:
    """Write PATH/topics.lock: the sorted declared topic names, with tombstones marked.

    With --check, change nothing: exit 1 if a topic was added or removed since,
    or if the declarations are invalid (with --cluster: for that cluster's
    environment and Kafka version).
    """
    environment, version = None, None
    if not check and cluster is not None and not typed(context, "cluster"):
        cluster = None  # KTR_CLUSTER, set for other commands, says nothing about writing
    if cluster is not None or kafka_version is not None:
        if not check:
            raise UserError(
                "--cluster and --kafka-version go with --check; the lock itself lists the "
                "topics of every environment"
            )
        target = choose(
            load_settings(settings_file), cluster=cluster, env=None, kafka_version=kafka_version
        )
        environment, version = target.environment, target.kafka_version
    directory = path or DEFAULT_PATHS[0]
    if directory.exists() and not directory.is_dir():
        raise UserError(
            f"{directory} is not a directory; the lock goes in a directory of declarations"
        )
    lock_path = directory / lock.LOCK_FILE
    base = load_declarations([directory], environment, check_lock=check, kafka_version=version)
    if check:
        if not lock.exists(lock_path):
            typer.echo(
                f"ktr: error: no lock file at {lock_path}; "
                f"run `{lock.relock_command(lock_path)}` to write one",
                err=True,
            )
            return 1
        if base.errors:
            for problem in base.problems:
                typer.echo(format_problem(problem))
            typer.echo(count_line(base.problems))
            return 1
        typer.echo(
            f"ok: {lock_path} matches the {plural(len(base.desired.topics), 'declared topic')}"
        )
        return 0
    if base.errors:
        raise InvalidDeclarations(base.problems)
    states: dict[str | None, DesiredState] = {None: base.desired}
    for env in base.environments:
        states[env] = load_declarations([directory], env, check_lock=False).desired
    entries = lock.notes(states)
    try:
        before = set(lock.read(lock_path)) if lock.exists(lock_path) else set()
    except Unreadable as why:
        raise UserError(f"{lock_path}: cannot read the lock file: {why}") from None
    lock_path.write_text(lock.render(entries), encoding="utf-8")
    added, removed = len(set(entries) - before), len(before - set(entries))
    typer.echo(
        f"wrote {lock_path}: {plural(len(entries), 'topic')} ({added} added, {removed} removed)"
    )
    return 0
