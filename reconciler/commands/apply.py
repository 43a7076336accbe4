"""``ktr apply``: show the plan, ask, then make the cluster match, waiting for every broker."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from reconciler.apply.flow import ApplyRequest, Terminal, apply
from reconciler.apply.usage import DEFAULT_PROBE_SECONDS
from reconciler.commands.cluster_choice import Connection, choose
from reconciler.commands.declared import load_for
from reconciler.commands.options import (
    AllowDelete,
    AllowRecreate,
    BootstrapServers,
    ClientConfigFile,
    ClientProperties,
    Cluster,
    Env,
    KafkaVersionOption,
    NoEnv,
    OutputFormat,
    Paths,
    PruneConfigs,
    SettingsFile,
    Targets,
    Timeout,
    choice,
    metavar,
)
from reconciler.plan import integrity
from reconciler.plan.diff import PlanOptions
from reconciler.plan.document import from_document
from reconciler.plan.model import Plan
from reconciler.problems import UserError, read_text
from reconciler.settings import load_settings


def run(
    context: typer.Context,
    paths: Paths = None,
    bootstrap_servers: BootstrapServers = None,
    properties: ClientProperties = None,
    client_config: ClientConfigFile = None,
    timeout: Timeout = 30.0,
    env: Env = None,
    cluster: Cluster = None,
    no_env: NoEnv = False,
    kafka_version: KafkaVersionOption = None,
    settings_file: SettingsFile = None,
    plan_file: Annotated[
        Path | None,
        typer.Option(
            "--plan",
            help="Apply this saved plan (from ktr plan --out) exactly; refused if it was "
            "edited or the cluster changed since it was made. Its deletes and recreates "
            "still need --allow-delete / --allow-recreate.",
            dir_okay=False,
            metavar="FILE",
        ),
    ] = None,
    auto_approve: Annotated[
        bool, typer.Option("--auto-approve", help="Apply without asking for confirmation.")
    ] = False,
    allow_delete: AllowDelete = False,
    allow_recreate: AllowRecreate = False,
    prune_configs: PruneConfigs = False,
    force_unlock: Annotated[
        bool,
        typer.Option(
            "--force-unlock",
            help="Break the apply lock left by an apply that died (check none is running).",
        ),
    ] = False,
    fmt: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            parser=choice(OutputFormat),
            metavar=metavar(OutputFormat),
            help="text (default), json (one document: the plan and what was done, for "
            "tools) or markdown (for pull requests and step summaries).",
        ),
    ] = OutputFormat.text,
    probe_seconds: Annotated[
        float,
        typer.Option(
            "--probe-seconds",
            help="Seconds to watch a topic for writes before deleting or recreating it.",
            metavar="SECONDS",
            min=0.0,
        ),
    ] = DEFAULT_PROBE_SECONDS,
    target_patterns: Targets = None,
) -> int:
    """Apply the declarations to the cluster: plan, confirm, execute, wait, verify."""
    target = choose(
        load_settings(settings_file),
        cluster=cluster,
        env=env,
        no_env=no_env,
        kafka_version=kafka_version,
        connection=Connection.from_flags(context, bootstrap_servers, properties, client_config),
    )
    if plan_file is not None:
        given = [
            flag
            for flag, on in (
                ("--prune-configs", prune_configs),
                ("--env", env is not None),
                ("--target", bool(target_patterns)),
                ("--no-env", no_env),
                ("--kafka-version", kafka_version is not None),
                ("PATHS", bool(paths)),
            )
            if on
        ]
        if given:
            raise UserError(
                "--plan applies a saved plan exactly and cannot be combined with "
                f"{', '.join(given)}: those belong to the `ktr plan` run that made it"
            )
        saved = read_plan_file(plan_file)
        if target.cluster is not None and target.environment not in (None, saved.environment):
            # The cluster's binding to its environment holds for saved plans too.
            made_for = (
                f"environment {saved.environment!r}"
                if saved.environment is not None
                else "the topics as written (--no-env)"
            )
            raise UserError(
                f"{plan_file}: the plan was made for {made_for}, but cluster "
                f"'{target.name}' runs environment {target.environment!r}; nothing was "
                f"applied. Run ktr plan --cluster {target.name} --out FILE and apply that"
            )
        what = ApplyRequest(
            saved=saved,
            # Consent at apply time: a saved delete or recreate needs it again.
            options=PlanOptions(allow_delete=allow_delete, allow_recreate=allow_recreate),
        )
    else:
        what = ApplyRequest(
            desired=load_for(list(paths or [Path("topics")]), target),
            options=PlanOptions(
                prune_configs=prune_configs,
                allow_delete=allow_delete,
                allow_recreate=allow_recreate,
                targets=tuple(target_patterns or ()),
            ),
        )
    request = replace(
        what,
        auto_approve=auto_approve,
        force_unlock=force_unlock,
        probe_seconds=probe_seconds,
        fmt=fmt.value,
        cluster=f"cluster '{target.name}'" if target.name else "the cluster",
    )
    admin = target.connect(timeout)
    try:
        return apply(admin, target.settings, request, Terminal())
    finally:
        admin.close()


def read_plan_file(path: Path) -> Plan:
    """A plan saved by ``ktr plan --out``; one-line errors for a missing, bad or edited file."""
    text = read_text(path, "the plan", limit=integrity.MAX_PLAN_BYTES)
    doc = integrity.loads(text, str(path))
    try:
        return from_document(doc)
    except UserError as error:
        raise UserError(f"{path}: {error}") from None
