"""``ktr drift``: report where the cluster differs from the declarations. Exit 2 on drift."""

from __future__ import annotations

from pathlib import Path

import typer

from reconciler import github
from reconciler.cluster.admin import Admin
from reconciler.cluster.read import read_cluster_state
from reconciler.commands import all_clusters
from reconciler.commands.cluster_choice import ClusterChoice, Connection, choose
from reconciler.commands.options import (
    AllClusters,
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
    SettingsFile,
    Timeout,
)
from reconciler.model import DesiredState
from reconciler.plan.drift import DriftReport, detect_drift
from reconciler.problems import UserError
from reconciler.render import render_drift
from reconciler.render.clusters import ClusterSection, render_sections
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
) -> int:
    """Compare the cluster with the declarations. Exit 0: no drift, 2: drift, 1: error."""
    settings = load_settings(settings_file)
    connection = Connection.from_flags(context, bootstrap_servers, properties, client_config)
    declared = paths or [Path("topics")]
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
            work=lambda t, d, a: _drifted(all_clusters.section_for(t), drift_of(t, d, a)),
        )
        print(render_sections(sections, fmt.value))
        github.set_outputs({"drift": github.flag(any(s.changed for s in sections))})
        github.append_summary(render_sections(sections, "markdown"))
        return all_clusters.worst([1 if s.error else (2 if s.changed else 0) for s in sections])
    target = choose(
        settings,
        cluster=cluster,
        env=env,
        no_env=no_env,
        kafka_version=kafka_version,
        connection=connection,
    )
    report = all_clusters.run_one(declared, target, timeout, drift_of)
    print(render_drift(report, fmt.value))
    github.set_outputs({"drift": github.flag(report.drift)})
    github.append_summary(lambda: render_drift(report, "markdown"))
    return 2 if report.drift else 0


def drift_of(target: ClusterChoice, desired: DesiredState, admin: Admin) -> DriftReport:
    """Read every topic's configs (an undeclared topic without overrides is what a
    broker's auto-create leaves behind) and compare. Drift never compares topic ids."""
    state = read_cluster_state(admin, ids_for=(), declared=set(desired.topics))
    if state.unreadable:
        # Kafka hides them: reporting them missing (or not) would be a guess.
        hidden = ", ".join(sorted(state.unreadable))
        which = "topic" if len(state.unreadable) == 1 else "topics"
        raise UserError(
            f"cannot check drift: not authorized to describe declared {which} {hidden}; grant "
            "DESCRIBE on them to the principal ktr connects as"
        )
    return detect_drift(desired, state, target.settings)


def _drifted(section: ClusterSection, report: DriftReport) -> ClusterSection:
    return ClusterSection(section.cluster, section.environment, section.kafka_version, drift=report)
