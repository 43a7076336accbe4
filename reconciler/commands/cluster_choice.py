"""Which cluster a command points at: ``--cluster NAME`` (or ``KTR_CLUSTER``) from the
``clusters:`` of ktr.yaml, with ``-b``, ``-X`` and ``--client-config`` on top.

A named cluster brings the environment overlay its topics use and the Kafka
version it runs, so the overlay and the address cannot be mismatched by hand.
When the declarations define environments, a command that names neither an
environment nor a cluster is refused rather than planning the topics as
written against whatever cluster the address reaches; ``--no-env`` asks for
the topics as written on purpose.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import typer

from reconciler.cluster.admin import Admin
from reconciler.cluster.connection import ENV_PREFIX, is_secret, read_properties_file
from reconciler.commands import cluster_access
from reconciler.kafka.versions import KafkaVersion, parse_version
from reconciler.problems import UserError
from reconciler.settings import ClusterSettings, Settings


@dataclass(frozen=True)
class Connection:
    """The connection flags of the command line, which override a cluster's own settings."""

    bootstrap_servers: str | None = None
    properties: tuple[str, ...] = ()
    client_config: Path | None = None
    typed_bootstrap: bool = True  # -b given, rather than KAFKA_BOOTSTRAP_SERVERS

    @classmethod
    def from_flags(
        cls,
        context: typer.Context,
        bootstrap: str | None,
        properties: Sequence[str] | None,
        client_config: Path | None,
    ) -> Connection:
        """The flags as given; ``context`` tells a typed ``-b`` from KAFKA_BOOTSTRAP_SERVERS.

        A named cluster's own address wins over the environment variable (set
        once for a whole CI job, it would send every cluster's plan to one
        address), but not over ``-b``.
        """
        return cls(
            bootstrap,
            tuple(properties or ()),
            client_config,
            typed(context, "bootstrap_servers"),
        )


@dataclass(frozen=True)
class ClusterChoice:
    """One cluster a command acts on, with the environment and Kafka version it is checked for.

    ``settings`` are the project settings with the cluster's owned and
    protected names added. ``as_written`` is true when ``--no-env`` asked for
    the topics as written.
    """

    cluster: ClusterSettings | None
    environment: str | None
    kafka_version: KafkaVersion | None
    settings: Settings
    connection: Connection
    as_written: bool = False

    @property
    def name(self) -> str | None:
        return None if self.cluster is None else self.cluster.name

    def connect(self, timeout: float) -> Admin:
        """Connect with the cluster's settings under the command line's."""
        c = self.connection
        base = _base(self.cluster) if self.cluster is not None else ()
        bootstrap = c.bootstrap_servers
        has_address = any(key == "bootstrap.servers" for key, _, _ in base)
        if has_address and not c.typed_bootstrap:
            # KAFKA_BOOTSTRAP_SERVERS does not redirect a named cluster, wherever
            # its settings give its address (bootstrap_servers, properties, client file).
            bootstrap = None
        return cluster_access.connect(bootstrap, c.properties, c.client_config, timeout, base=base)


def choose(
    settings: Settings,
    *,
    cluster: str | None,
    env: str | None,
    no_env: bool = False,
    kafka_version: str | None = None,
    connection: Connection | None = None,
) -> ClusterChoice:
    """The target the flags name; a UserError for an unknown cluster or flags that disagree."""
    chosen = find_cluster(settings, cluster) if cluster is not None else None
    if no_env and env is not None:
        raise UserError("--no-env plans the topics as written and cannot be combined with --env")
    if chosen is not None and chosen.environment is not None:
        if no_env:
            raise UserError(
                f"--no-env contradicts cluster '{chosen.name}', whose environment is "
                f"{chosen.environment!r} ({chosen.where})"
            )
        if env is not None and env != chosen.environment:
            raise UserError(
                f"--env {env} contradicts cluster '{chosen.name}', whose environment is "
                f"{chosen.environment!r} ({chosen.where}); leave out --env, or name the "
                "cluster that runs that environment"
            )
    version = chosen.kafka_version if chosen is not None else None
    if kafka_version is not None:
        try:
            version = parse_version(kafka_version).run_by(
                f"cluster '{chosen.name}'" if chosen is not None else "the target cluster"
            )
        except ValueError as error:
            raise UserError(f"--kafka-version: {error}") from None
    return ClusterChoice(
        cluster=chosen,
        environment=env if env is not None else (chosen.environment if chosen else None),
        kafka_version=version,
        settings=settings.for_cluster(chosen) if chosen is not None else settings,
        connection=connection or Connection(),
        as_written=no_env,
    )


def find_cluster(settings: Settings, name: str) -> ClusterSettings:
    """The cluster called ``name`` in ktr.yaml; a UserError with a did-you-mean otherwise."""
    found = settings.clusters.get(name)
    if found is not None:
        return found
    if not settings.clusters:
        raise UserError(
            f"unknown cluster {name!r}: the project settings (ktr.yaml) declare no clusters; "
            "add a 'clusters:' section, or connect with -b HOST:PORT and --env"
        )
    close = difflib.get_close_matches(name, list(settings.clusters), n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise UserError(
        f"unknown cluster {name!r}; {hint}clusters in ktr.yaml: {', '.join(settings.clusters)}"
    )


def typed(context: typer.Context, name: str) -> bool:
    """Whether option ``name`` was given on the command line rather than by its variable."""
    source = context.get_parameter_source(name)
    return getattr(source, "name", None) != "ENVIRONMENT"


def unnamed_environment(
    environments: Sequence[str], settings: Settings, cluster: ClusterSettings | None = None
) -> UserError:
    """The refusal when declarations have environments and no flag picked one."""
    if cluster is not None:
        return UserError(
            f"the declarations define environments ({', '.join(environments)}) and cluster "
            f"'{cluster.name}' has no environment in ktr.yaml ({cluster.where}); ktr will not "
            "guess: add 'environment: NAME' to it, pass --env NAME, or --no-env to use the "
            "topics as written"
        )
    clusters = f"--cluster NAME ({', '.join(settings.clusters)}), " if settings.clusters else ""
    return UserError(
        f"the declarations define environments ({', '.join(environments)}) and neither --env "
        "nor --cluster says which one this cluster runs; ktr will not guess: pass "
        f"{clusters}--env NAME, or --no-env to use the topics as written"
    )


def _base(cluster: ClusterSettings) -> tuple[tuple[str, str, str], ...]:
    """A cluster's connection settings, lowest first: its client config file, its
    properties, its bootstrap servers."""
    base: list[tuple[str, str, str]] = []
    if cluster.client_config is not None:
        base += read_properties_file(cluster.client_config)
    for key, value, origin in cluster.properties:
        if is_secret(key) and value and not value.startswith(ENV_PREFIX):
            # ktr.yaml is kept in git: a secret written there is a leaked secret.
            raise UserError(
                f"{origin}: {key} holds a secret and ktr.yaml is kept in git; write "
                f"'{key}: env:NAME' and set the environment variable NAME"
            )
        base.append((key, value, f"{origin} ({key})"))
    if cluster.bootstrap_servers is not None:
        base.append(("bootstrap.servers", cluster.bootstrap_servers, cluster.where))
    return tuple(base)
