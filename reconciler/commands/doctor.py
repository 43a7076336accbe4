"""``ktr doctor``: the production checklist, over declarations, cluster and client files.

Exit 0 when no finding reaches ``--fail-on`` (default: error), 2 when one
does, 1 when doctor could not run.
"""

from __future__ import annotations

from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from reconciler import github
from reconciler.cluster.features import available_codecs
from reconciler.commands.cluster_choice import Connection, choose
from reconciler.commands.declared import load_valid
from reconciler.commands.options import (
    BootstrapServers,
    ClientConfigFile,
    ClientProperties,
    Cluster,
    Env,
    Format,
    OutputFormat,
    Paths,
    SettingsFile,
    Timeout,
)
from reconciler.declarations import lock
from reconciler.declarations.files import DEFAULT_PATHS
from reconciler.doctor.clients import read_client_file
from reconciler.doctor.diagnose import diagnose
from reconciler.doctor.facts import ClientFile, Facts
from reconciler.doctor.findings import Report
from reconciler.doctor.gather import gather_cluster, wanted_reads
from reconciler.doctor.profile import profile_for, rules_to_run
from reconciler.model import DesiredState
from reconciler.problems import Problem
from reconciler.render.doctor import markdown, render_report
from reconciler.settings import load_settings


class FailOn(str, Enum):
    error = "error"
    warning = "warning"


Clients = Annotated[
    list[Path] | None,
    typer.Option(
        "--client",
        help="A client's properties file to check (repeatable); it applies to every "
        "declared topic. ktr.yaml's clients: also name the topics each one uses.",
        dir_okay=False,
    ),
]
FailOnOption = Annotated[
    FailOn,
    typer.Option("--fail-on", help="Exit 2 when a finding is at least this severe."),
]
Clock = Annotated[
    bool,
    typer.Option(
        "--clock",
        help="Measure the brokers' clock: writes one record to the _ktr.clock topic "
        "(LogAppendTime), creating it if needed. Nothing else is ever written.",
    ),
]


def run(
    context: typer.Context,
    paths: Paths = None,
    bootstrap_servers: BootstrapServers = None,
    properties: ClientProperties = None,
    client_config: ClientConfigFile = None,
    timeout: Timeout = 30.0,
    env: Env = None,
    cluster: Cluster = None,
    settings_file: SettingsFile = None,
    clients: Clients = None,
    fmt: Format = OutputFormat.text,
    fail_on: FailOnOption = FailOn.error,
    clock: Clock = False,
) -> int:
    """Check declarations, cluster and client files against the production checklist.

    Exit 0: nothing at or above --fail-on; 2: findings; 1: could not run.
    Without a connection the cluster rules are skipped.
    """
    settings = load_settings(settings_file)
    connection = Connection.from_flags(context, bootstrap_servers, properties, client_config)
    target = choose(settings, cluster=cluster, env=env, connection=connection)
    chosen = list(paths or DEFAULT_PATHS)
    desired = load_valid(chosen, target.environment, target.kafka_version)
    named = target.cluster
    profile = profile_for(
        target.environment,
        settings,
        cluster_production=named.production if named is not None else None,
    )
    files = [
        read_client_file(spec.file, spec.produces, spec.consumes)
        for spec in settings.clients
        if spec.applies_to(target.environment)
    ]
    files += [read_client_file(path) for path in clients or ()]
    running = rules_to_run(profile)
    facts = Facts(
        profile=profile,
        desired=desired,
        lock_paths=tuple(
            str(path) for path in chosen if path.is_dir() and not lock.exists(path / lock.LOCK_FILE)
        ),
        clients=tuple(files),
        codecs_available=_codecs(desired, files) if "codec-unavailable" in running else _ALL,
    )
    reachable = named is not None and bool(
        named.bootstrap_servers
        or named.client_config
        or any(key == "bootstrap.servers" for key, _, _ in named.properties)
    )
    if bootstrap_servers or properties or client_config or reachable:
        admin = target.connect(timeout)
        try:
            read, skipped = gather_cluster(admin, desired, profile, wanted_reads(running, clock))
        finally:
            admin.close()
        facts = replace(facts, cluster=read, skipped=tuple(skipped))
    report = diagnose(facts)
    print(render_report(report, fmt.value))
    github.annotate(_problems(report))
    github.append_summary(markdown(report))
    return 2 if _fails(report, fail_on) else 0


_ALL = frozenset({"gzip", "snappy", "lz4", "zstd"})


def _codecs(desired: DesiredState, files: list[ClientFile]) -> frozenset[str]:
    """The codecs librdkafka here has, asking only about those in use."""
    used = {spec.config.get("compression.type", "") for spec in desired.topics.values()}
    used |= {client.codec for client in files}
    # Codecs nothing uses cannot be missing for this report: no need to ask.
    return available_codecs(used & _ALL) | (_ALL - used)


def _fails(report: Report, fail_on: FailOn) -> bool:
    severities = ("error",) if fail_on is FailOn.error else ("error", "warning")
    return any(f.severity in severities for f in report.findings)


def _problems(report: Report) -> list[Problem]:
    """Findings as annotations: on their file and line where they have one."""
    return [
        Problem(f.file or "", f.line, 0, f"{f.rule}: {f.message} Fix: {f.fix}", f.severity)
        for f in report.findings
        if f.severity in ("error", "warning")
    ]
