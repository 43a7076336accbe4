"""``ktr plan``: show what would change on the cluster, changing nothing."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from reconciler import github
from reconciler.cluster.admin import Admin, AdminError, NewTopic
from reconciler.cluster.read import read_cluster_state
from reconciler.commands import cluster_access
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
from reconciler.declarations.resolve import load_valid
from reconciler.gcpause import gc_paused
from reconciler.model import ClusterState, DesiredState
from reconciler.plan.diff import PlanOptions, make_plan
from reconciler.plan.document import to_document
from reconciler.plan.model import ActionKind, Plan, Refusal
from reconciler.problems import UserError
from reconciler.render import render_plan
from reconciler.settings import Settings, load_settings


def compute_plan(
    admin: Admin, desired: DesiredState, settings: Settings, options: PlanOptions
) -> tuple[Plan, ClusterState]:
    """Read the cluster and diff it against ``desired``. Reads only; a fixed number of requests."""
    # Deleting undeclared topics puts them under the plan's fingerprint, which
    # covers their configs, so read those too; otherwise only declared ones.
    wide = options.allow_delete and bool(settings.owned)
    with gc_paused():
        state = read_cluster_state(admin, configs_for=None if wide else set(desired.topics))
        return make_plan(desired, state, settings, options), state


def server_validate(admin: Admin, plan: Plan) -> Plan:
    """Ask the brokers to check creates, partition increases and config changes (validate_only).

    What a broker rejects (a policy, a quota, a value its version refuses)
    becomes a refusal naming the topic and the broker's words.
    """
    creates = [
        NewTopic(
            a.topic,
            a.partitions[1] or 0,
            a.replication_factor[1] or 0,
            {c.key: c.after for c in a.config if c.after is not None},
        )
        for a in plan.actions
        if a.kind is ActionKind.CREATE
    ]
    totals = {
        a.topic: a.partitions[1] or 0 for a in plan.actions if a.kind is ActionKind.ADD_PARTITIONS
    }
    changes = {
        a.topic: {c.key: c.after for c in a.config}
        for a in plan.actions
        if a.kind is ActionKind.ALTER_CONFIG
    }
    refused: list[Refusal] = []
    for what, results in (
        ("create", admin.create_topics(creates, validate_only=True) if creates else {}),
        (
            "partition increase",
            admin.create_partitions(totals, validate_only=True) if totals else {},
        ),
        ("config change", admin.alter_configs(changes, validate_only=True) if changes else {}),
    ):
        refused += [
            _rejected(plan, topic, what, error)
            for topic, error in sorted(results.items())
            if error is not None
        ]
    return replace(plan, refused=plan.refused + tuple(refused)) if refused else plan


def _rejected(plan: Plan, topic: str, what: str, error: AdminError) -> Refusal:
    location = next((a.location for a in plan.actions if a.topic == topic), None)
    hint = (
        "the broker could not answer in time; plan again"
        if error.ambiguous or error.retriable
        else "change the declaration so the broker accepts it"
    )
    return Refusal(
        topic, f"the broker rejected the {what} (validate only): {error}", hint, location=location
    )


def use_color(stream: object = sys.stdout) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)
    or the terminal says it is dumb (TERM=dumb: Emacs shells, some CI consoles)."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


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
    github.append_summary(render_plan(plan, "markdown"))
    return 2 if detailed_exitcode and plan.has_changes else 0


def save(plan: Plan, path: Path) -> None:
    """Write the plan document to ``path``."""
    try:
        path.write_text(json.dumps(to_document(plan), indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        raise UserError(f"{path}: cannot save the plan: {error.strerror or error}") from None
