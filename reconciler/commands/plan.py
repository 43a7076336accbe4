"""``ktr plan``: show what would change on the cluster, changing nothing."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from reconciler import github
from reconciler.cluster.admin import Admin
from reconciler.commands import all_clusters
from reconciler.commands.cluster_choice import ClusterChoice, Connection, choose
from reconciler.commands.options import (
    AllClusters,
    AllowDelete,
    AllowRecreate,
    BootstrapServers,
    ClientConfigFile,
    ClientProperties,
    Cluster,
    Env,
    Format,
    KafkaVersionOption,
    NoEnv,
    OutputFormat,
    Paths,
    PruneConfigs,
    SettingsFile,
    Targets,
    Timeout,
)
from reconciler.model import DesiredState
from reconciler.plan.diff import PlanOptions
from reconciler.plan.model import Plan
from reconciler.planning import compute_plan, server_validate
from reconciler.problems import UserError, plural
from reconciler.render import render_plan
from reconciler.render.clusters import ClusterSection, render_sections
from reconciler.render.terminal import use_color
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
    all_clusters_: AllClusters = False,
    settings_file: SettingsFile = None,
    fmt: Format = OutputFormat.text,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Also save the plan as JSON, for ktr apply --plan FILE.",
            metavar="FILE",
        ),
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
    target_patterns: Targets = None,
) -> int:
    """Show what would change on the cluster. Changes nothing.

    Exit 0 (with --detailed-exitcode: no changes), 2 changes pending (only with
    --detailed-exitcode), 1 an error or a plan with refused changes.
    """
    settings = load_settings(settings_file)
    connection = Connection.from_flags(context, bootstrap_servers, properties, client_config)
    options = PlanOptions(
        prune_configs=prune_configs,
        allow_delete=allow_delete,
        allow_recreate=allow_recreate,
        targets=tuple(target_patterns or ()),
    )
    declared = paths or [Path("topics")]
    # Only a plan saved or shown as JSON shows topic ids (and its fingerprint).
    ids_shown = out is not None or fmt is OutputFormat.json

    def plan_one(target: ClusterChoice, desired: DesiredState, admin: Admin) -> Plan:
        name = f"cluster '{target.name}'" if target.name else "the cluster"
        plan, _ = compute_plan(
            admin,
            desired,
            target.settings,
            options,
            cluster=name,
            topic_ids=ids_shown,
        )
        return server_validate(admin, plan) if server_validate_ else plan

    if all_clusters_:
        sections = all_clusters.run_every_cluster(
            context,
            settings,
            connection,
            declared,
            cluster=cluster,
            env=env,
            kafka_version=kafka_version,
            bootstrap_servers=bootstrap_servers,
            no_env=no_env,
            timeout=timeout,
            work=lambda t, d, a: _planned(all_clusters.section_for(t), plan_one(t, d, a)),
            also_refused={"--out": out is not None},
        )
        color = fmt is OutputFormat.text and use_color()
        print(render_sections(sections, fmt.value, color=color))
        github.set_outputs({"has_changes": github.flag(any(s.changed for s in sections))})
        github.append_summary(render_sections(sections, "markdown"))
        refused = [s for s in sections if s.plan is not None and s.plan.refused]
        for section in refused:
            assert section.plan is not None
            print(
                f"ktr: error: {section.cluster}: {refused_count(section.plan)}; "
                "this plan cannot be applied",
                file=sys.stderr,
            )
        return all_clusters.worst(
            [
                1 if s.error or s in refused else (2 if detailed_exitcode and s.changed else 0)
                for s in sections
            ]
        )
    target = choose(
        settings,
        cluster=cluster,
        env=env,
        no_env=no_env,
        kafka_version=kafka_version,
        connection=connection,
    )
    plan = all_clusters.run_one(declared, target, timeout, plan_one)
    print(render_plan(plan, fmt.value, color=fmt is OutputFormat.text and use_color()))
    if out is not None:
        save(plan, out)
    github.set_outputs({"has_changes": github.flag(plan.has_changes)})
    github.append_summary(lambda: render_plan(plan, "markdown"))
    if plan.refused:
        # A plan that can never be applied must fail the CI job that made it.
        print(
            f"ktr: error: {refused_count(plan)}; this plan cannot be applied",
            file=sys.stderr,
        )
        return 1
    return 2 if detailed_exitcode and plan.has_changes else 0


def refused_count(plan: Plan) -> str:
    """``1 change is refused``, ``2 changes are refused``."""
    count = len(plan.refused)
    return f"{plural(count, 'change')} {'is' if count == 1 else 'are'} refused"


def save(plan: Plan, path: Path) -> None:
    """Write the plan document to ``path``."""
    from reconciler.plan.document import to_document  # only a saved plan needs it

    try:
        path.write_text(json.dumps(to_document(plan), indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        raise UserError(f"{path}: cannot save the plan: {error.strerror or error}") from None


def _planned(section: ClusterSection, plan: Plan) -> ClusterSection:
    return ClusterSection(section.cluster, section.environment, section.kafka_version, plan=plan)
