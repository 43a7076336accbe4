"""``ktr plan``: show what would change on the cluster, changing nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from reconciler import github
from reconciler.commands import cluster_access
from reconciler.commands.declared import load_valid
from reconciler.commands.options import (
    AllowDelete,
    AllowRecreate,
    BootstrapServers,
    ClientConfigFile,
    ClientProperties,
    Env,
    Format,
    OutputFormat,
    Paths,
    PruneConfigs,
    SettingsFile,
    Timeout,
)
from reconciler.plan.diff import PlanOptions
from reconciler.plan.document import to_document
from reconciler.plan.model import Plan
from reconciler.planning import compute_plan, server_validate
from reconciler.problems import UserError
from reconciler.render import render_plan
from reconciler.render.terminal import use_color
from reconciler.settings import load_settings


def run(
    paths: Paths = None,
    bootstrap_servers: BootstrapServers = None,
    properties: ClientProperties = None,
    client_config: ClientConfigFile = None,
    timeout: Timeout = 30.0,
    env: Env = None,
    settings_file: SettingsFile = None,
    fmt: Format = OutputFormat.text,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Also save the plan as JSON, for ktr apply --plan FILE."),
    ] = None,
    detailed_exitcode: Annotated[
        bool,
        typer.Option(
            "--detailed-exitcode", help="Exit 0 when there are no changes, 2 when there are."
        ),
    ] = False,
    prune_configs: PruneConfigs = False,
    allow_delete: AllowDelete = False,
    allow_recreate: AllowRecreate = False,
    server_validate_: Annotated[
        bool,
        typer.Option(
            "--server-validate",
            help="Have the brokers check creates and changes (validate_only). Off by default: "
            "some Kafka-compatible brokers apply validate_only requests.",
        ),
    ] = False,
) -> int:
    """Show what would change on the cluster. Changes nothing."""
    settings = load_settings(settings_file)
    desired = load_valid(paths or [Path("topics")], env)
    options = PlanOptions(
        prune_configs=prune_configs, allow_delete=allow_delete, allow_recreate=allow_recreate
    )
    admin = cluster_access.connect(bootstrap_servers, properties or (), client_config, timeout)
    try:
        plan, _ = compute_plan(admin, desired, settings, options)
        if server_validate_:
            plan = server_validate(admin, plan)
    finally:
        admin.close()
    print(render_plan(plan, fmt.value, color=fmt is OutputFormat.text and use_color()))
    if out is not None:
        save(plan, out)
    github.set_outputs({"has_changes": github.flag(plan.has_changes)})
    github.append_summary(lambda: render_plan(plan, "markdown"))
    return 2 if detailed_exitcode and plan.has_changes else 0


def save(plan: Plan, path: Path) -> None:
    """Write the plan document to ``path``."""
    try:
        path.write_text(json.dumps(to_document(plan), indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        raise UserError(f"{path}: cannot save the plan: {error.strerror or error}") from None
