"""``--all-clusters``: plan (or check drift on) every cluster of ktr.yaml in one command.

The clusters are read concurrently, one thread each (a read waits on the
network, not on Python), so the whole takes about as long as the slowest
cluster. Each cluster is loaded for its own environment and Kafka version;
an error on one (unreachable, invalid for its version) becomes its section of
the report and never stops the others. The exit code is the worst of them.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import typer

from reconciler import github
from reconciler.cluster.admin import Admin, ClusterError
from reconciler.commands.cluster_choice import ClusterChoice, Connection, choose, typed
from reconciler.commands.declared import load_for
from reconciler.declarations.resolve import load_declarations
from reconciler.declarations.result import format_problem
from reconciler.model import DesiredState
from reconciler.problems import UserError
from reconciler.render.clusters import ClusterSection
from reconciler.settings import Settings

T = TypeVar("T")

# (target, its desired state, connected admin) -> its section of the report
Work = Callable[[ClusterChoice, DesiredState, Admin], ClusterSection]


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


def one_cluster_flags(
    context: typer.Context,
    connection: Connection,
    *,
    cluster: str | None,
    env: str | None,
    kafka_version: str | None,
    bootstrap_servers: str | None,
) -> dict[str, bool]:
    """Each flag that names one cluster, with whether it was given: :func:`refuse_conflicts`."""
    return {
        "--cluster": cluster is not None and typed(context, "cluster"),
        "--env": env is not None,
        "--kafka-version": kafka_version is not None,
        "-b": bootstrap_servers is not None and connection.typed_bootstrap,
    }


def run_every_cluster(
    context: typer.Context,
    settings: Settings,
    connection: Connection,
    paths: Sequence[Path],
    *,
    cluster: str | None,
    env: str | None,
    kafka_version: str | None,
    bootstrap_servers: str | None,
    no_env: bool,
    timeout: float,
    work: Work,
    also_refused: Mapping[str, bool] | None = None,
) -> list[ClusterSection]:
    """``--all-clusters``: refuse the flags that name one cluster (and ``also_refused``,
    each with whether it was given), then :func:`run_all` with each cluster's own address."""
    refuse_conflicts(
        settings,
        **one_cluster_flags(
            context,
            connection,
            cluster=cluster,
            env=env,
            kafka_version=kafka_version,
            bootstrap_servers=bootstrap_servers,
        ),
        **(also_refused or {}),
    )
    return run_all(
        paths,
        settings,
        Connection(None, connection.properties, connection.client_config),
        no_env=no_env,
        timeout=timeout,
        work=work,
    )


def run_one(
    paths: Sequence[Path],
    target: ClusterChoice,
    timeout: float,
    work: Callable[[ClusterChoice, DesiredState, Admin], T],
) -> T:
    """``work(target, desired, admin)`` for one cluster: its declarations loaded, then connected."""
    desired = load_for(paths, target)
    admin = target.connect(timeout)
    try:
        return work(target, desired, admin)
    finally:
        admin.close()


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
    # --no-env is for the clusters without an environment; the others keep theirs.
    targets = [
        choose(
            settings,
            cluster=name,
            env=None,
            no_env=no_env and cluster.environment is None,
            connection=connection,
        )
        for name, cluster in settings.clusters.items()
    ]
    # Loading is CPU-bound and runs in one thread of its own, while each
    # cluster connects and then reads as soon as its declarations are ready.
    loads: dict[str, Future[DesiredState]] = {
        t.cluster.name: Future() for t in targets if t.cluster
    }
    loader = threading.Thread(
        target=_load_all, args=(paths, targets, loads), name="ktr-load", daemon=True
    )
    loader.start()

    def one(target: ClusterChoice) -> ClusterSection:
        assert target.name is not None
        load = loads[target.name]
        try:
            admin = target.connect(timeout)
        except (UserError, ClusterError) as error:
            return _failed(target, _load_error(load) or error)  # the declarations first
        try:
            return work(target, load.result(), admin)
        except (UserError, ClusterError) as error:
            return _failed(target, error)
        finally:
            admin.close()

    with ThreadPoolExecutor(len(targets), thread_name_prefix="ktr-cluster") as pool:
        return list(pool.map(one, targets))


def _load_all(
    paths: Sequence[Path],
    targets: Sequence[ClusterChoice],
    loads: Mapping[str, Future[DesiredState]],
) -> None:
    """Fill each cluster's future with its desired state, or the error loading it gave.

    The clusters of one Kafka version share one load of every environment; if
    that load finds errors, each cluster is loaded alone, so that an error in
    one environment fails only the clusters that use it.
    """
    by_version: dict[object, list[ClusterChoice]] = {}
    for target in targets:
        by_version.setdefault(target.kafka_version, []).append(target)
    for group in by_version.values():
        try:
            shared = load_declarations(paths, None, kafka_version=group[0].kafka_version)
        except BaseException as error:  # a bug: every cluster of the group reports it
            for target in group:
                _settle(loads, target, error)
            continue
        alone = bool(shared.errors)
        if not alone:
            github.annotate(shared.problems)
            names = ", ".join(str(t.name) for t in group)
            for warning in shared.warnings:
                print(f"{format_problem(warning)} (clusters {names})", file=sys.stderr)
        for target in group:
            desired = shared.by_environment.get(target.environment)
            if (
                alone
                or desired is None
                or (target.environment is None and shared.environments and not target.as_written)
            ):
                # Needs its own load: for its errors alone, an unknown environment,
                # or the refusal to guess an environment.
                try:
                    desired = load_for(paths, target, warn=_warn_for(target))
                except BaseException as error:
                    _settle(loads, target, error)
                    continue
            _settle(loads, target, desired)


def _settle(
    loads: Mapping[str, Future[DesiredState]], target: ClusterChoice, outcome: object
) -> None:
    assert target.name is not None
    if isinstance(outcome, BaseException):
        loads[target.name].set_exception(outcome)
    else:
        assert isinstance(outcome, DesiredState)
        loads[target.name].set_result(outcome)


def _load_error(load: Future[DesiredState]) -> UserError | None:
    error = load.exception()
    return error if isinstance(error, UserError) else None


def worst(codes: Sequence[int]) -> int:
    """An error (1) beats changes or drift (2), which beat nothing to report (0)."""
    return 1 if 1 in codes else max(codes, default=0)


def section_for(target: ClusterChoice) -> ClusterSection:
    assert target.name is not None
    version = None if target.kafka_version is None else str(target.kafka_version)
    return ClusterSection(target.name, target.environment, version)


def _failed(target: ClusterChoice, error: Exception) -> ClusterSection:
    section = section_for(target)
    return ClusterSection(
        section.cluster, section.environment, section.kafka_version, error=str(error)
    )


def _warn_for(target: ClusterChoice) -> Callable[[str], None]:
    def warn(line: str) -> None:
        print(f"{line} (cluster {target.name})", file=sys.stderr)

    return warn
