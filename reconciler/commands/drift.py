"""``ktr drift``: report where the cluster differs from the declarations. Exit 2 on drift."""

from __future__ import annotations

from pathlib import Path

from reconciler import github
from reconciler.cluster.read import read_cluster_state
from reconciler.commands import cluster_access
from reconciler.commands.declared import load_valid
from reconciler.commands.options import (
    BootstrapServers,
    ClientConfigFile,
    ClientProperties,
    Env,
    Format,
    OutputFormat,
    Paths,
    SettingsFile,
    Timeout,
)
from reconciler.plan.drift import detect_drift
from reconciler.render import render_drift
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
) -> int:
    """Compare the cluster with the declarations. Exit 0: no drift, 2: drift, 1: error."""
    settings = load_settings(settings_file)
    desired = load_valid(paths or [Path("topics")], env)
    admin = cluster_access.connect(bootstrap_servers, properties or (), client_config, timeout)
    try:
        # Every topic's configs: an undeclared topic without overrides is
        # what a broker's auto-create leaves behind. Drift never compares
        # topic ids, so none are asked for.
        state = read_cluster_state(admin, ids_for=())
    finally:
        admin.close()
    report = detect_drift(desired, state, settings)
    print(render_drift(report, fmt.value))
    github.set_outputs({"drift": github.flag(report.drift)})
    github.append_summary(lambda: render_drift(report, "markdown"))
    return 2 if report.drift else 0
