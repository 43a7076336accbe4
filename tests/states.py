"""Short builders for desired and actual states, so diff and drift scenarios read in a line."""

from __future__ import annotations

from collections.abc import Mapping

from reconciler.model import (
    ActualTopic,
    ClusterState,
    ConfigEntry,
    ConfigSource,
    DesiredState,
    TopicSpec,
)


def declared(
    name: str, partitions: int = 3, rf: int = 1, config: Mapping[str, str] | None = None
) -> TopicSpec:
    """A declared topic."""
    return TopicSpec(name, partitions, rf, dict(config or {}))


def tombstone(name: str) -> TopicSpec:
    """A declaration asking for the topic to be deleted."""
    return TopicSpec(name, 0, 0, {}, absent=True)


def desired(*specs: TopicSpec, environment: str | None = None) -> DesiredState:
    return DesiredState({s.name: s for s in specs}, environment)


def existing(
    name: str,
    partitions: int = 3,
    rf: int = 1,
    overrides: Mapping[str, str] | None = None,
    inherited: Mapping[str, str] | None = None,
    *,
    internal: bool = False,
    replicas: tuple[tuple[int, ...], ...] = (),
) -> ActualTopic:
    """A topic on the cluster: ``overrides`` set on the topic, ``inherited`` from the broker."""
    config = {k: ConfigEntry(v, ConfigSource.BROKER) for k, v in (inherited or {}).items()}
    config |= {k: ConfigEntry(v, ConfigSource.TOPIC) for k, v in (overrides or {}).items()}
    return ActualTopic(
        name=name,
        topic_id=f"id-{name}",
        partitions=partitions,
        replication_factor=rf,
        config=config,
        internal=internal,
        replica_assignment=replicas,
    )


def cluster(*topics: ActualTopic, brokers: tuple[int, ...] = (1, 2, 3)) -> ClusterState:
    return ClusterState("cluster-1", brokers, {t.name: t for t in topics})
