"""``--all-clusters``: plan (or check drift on) every cluster of ktr.yaml in one command.

The clusters are read concurrently, one thread each (a read waits on the
network, not on Python), so the whole takes about as long as the slowest
cluster. Each cluster is loaded for its own environment and Kafka version;
an error on one (unreachable, invalid for its version) becomes its section of
the report and never stops the others. The exit code is the worst of them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from reconciler.cluster.admin import Admin, ClusterError
from reconciler.commands.declared import load_for
from reconciler.commands.targets import Connection, Target, choose
from reconciler.model import DesiredState
from reconciler.problems import UserError
from reconciler.render.clusters import ClusterSection
from reconciler.settings import Settings

# (target, its desired state, connected admin) -> its section of the report
Work = Callable[[Target, DesiredState, Admin], ClusterSection]


def refuse_conflicts(settings: Settings, **given: bool) -> None:
    """--all-clusters takes each cluster's own settings; flags naming one cluster conflict."""
    if not settings.clusters:
        raise UserError(
            "--all-clusters needs clusters in the project settings (ktr.yaml 'clusters:')"
        )
    clashing = [flag for flag, on in given.items() if on]
    if clashing:
        raise UserError(
            f"--all-clusters uses each cluster's own settings and cannot be combined with "
            f"{', '.join(clashing)}; name one cluster with --cluster NAME instead"
        )


def run_all(
    paths: Sequence[Path],
    settings: Settings,
    connection: Connection,
    *,
    no_env: bool,
    timeout: float,
    work: Work,
) -> list[ClusterSection]:
    """Each cluster's section, in the order ktr.yaml lists them."""
    targets = [
        choose(settings, cluster=name, env=None, no_env=no_env, connection=connection)
        for name in settings.clusters
    ]
    loaded: dict[tuple[object, ...], DesiredState | UserError] = {}
    for target in targets:  # loading is CPU-bound: once per environment and version
        key = (target.environment, target.kafka_version, target.as_written)
        if key not in loaded:
            try:
                loaded[key] = load_for(paths, target, warn=_warn_for(target))
            except UserError as error:
                loaded[key] = error

    def one(target: Target) -> ClusterSection:
        desired = loaded[(target.environment, target.kafka_version, target.as_written)]
        if isinstance(desired, UserError):
            return _failed(target, desired)
        try:
            admin = target.connect(timeout)
        except (UserError, ClusterError) as error:
            return _failed(target, error)
        try:
            return work(target, desired, admin)
        except (UserError, ClusterError) as error:
            return _failed(target, error)
        finally:
            admin.close()

    with ThreadPoolExecutor(max_workers=len(targets), thread_name_prefix="ktr-cluster") as pool:
        return list(pool.map(one, targets))


def worst(codes: Sequence[int]) -> int:
    """An error (1) beats changes or drift (2), which beat nothing to report (0)."""
    return 1 if 1 in codes else max(codes, default=0)


def section_for(target: Target) -> ClusterSection:
    assert target.name is not None
    version = None if target.kafka_version is None else str(target.kafka_version)
    return ClusterSection(target.name, target.environment, version)


def _failed(target: Target, error: Exception) -> ClusterSection:
    section = section_for(target)
    return ClusterSection(
        section.cluster, section.environment, section.kafka_version, error=str(error)
    )


def _warn_for(target: Target) -> Callable[[str], None]:
    def warn(line: str) -> None:
        print(f"{line} (cluster {target.name})", file=sys.stderr)

    return warn
