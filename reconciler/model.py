"""The pure data model: what the declarations want and what the cluster has.

Nothing here knows about YAML, terminals or confluent-kafka. Config values are
always the exact strings Kafka reports (``"604800000"``, ``"true"``,
``"compact,delete"``), so desired and actual values compare as strings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum


@dataclass(frozen=True, slots=True)
class Location:
    """Where something was declared. Lines and columns are 1-based."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


# ---------------------------------------------------------------- desired state


@dataclass(frozen=True, slots=True)
class TopicSpec:
    """One declared topic after defaults and the environment overlay are merged.

    ``config`` holds normalised Kafka strings keyed by topic config name.
    ``absent`` marks a tombstone: the topic is declared to be deleted.
    ``doctor_ignore`` names the ``ktr doctor`` rules the declaration
    switches off for this topic.
    """

    name: str
    partitions: int
    replication_factor: int
    config: Mapping[str, str] = field(default_factory=dict)
    absent: bool = False
    location: Location | None = None
    doctor_ignore: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DesiredState:
    """Every declared topic for one environment, keyed by name."""

    topics: Mapping[str, TopicSpec]
    environment: str | None = None


# ----------------------------------------------------------------- actual state


class ConfigSource(Enum):
    """Where a topic's effective config value comes from.

    Only ``TOPIC`` is an override set on the topic itself (Kafka's
    DYNAMIC_TOPIC_CONFIG); everything else is inherited.
    """

    TOPIC = "topic"
    BROKER = "broker"  # dynamic per-broker, dynamic cluster default, or server.properties
    DEFAULT = "default"  # Kafka's built-in default
    UNKNOWN = "unknown"


_TOPIC = ConfigSource.TOPIC


@dataclass(frozen=True, slots=True)
class ConfigEntry:
    """A topic config value as the cluster reports it."""

    value: str | None
    source: ConfigSource

    @property
    def is_override(self) -> bool:
        return self.source is _TOPIC


@dataclass(frozen=True, slots=True)
class PartitionInfo:
    """One partition as seen in metadata. ``leader`` is None when leaderless."""

    id: int
    leader: int | None
    replicas: tuple[int, ...]
    isr: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class TopicInfo:
    """A topic's metadata: identity and partition layout, without configs."""

    name: str
    topic_id: str | None
    partitions: tuple[PartitionInfo, ...]
    internal: bool = False

    @property
    def partition_count(self) -> int:
        return len(self.partitions)

    @property
    def replication_factor(self) -> int:
        return max((len(p.replicas) for p in self.partitions), default=0)


@dataclass(frozen=True, slots=True)
class ActualTopic:
    """A topic as it exists on the cluster: metadata plus effective configs.

    ``replica_assignment`` lists each partition's replica broker ids in
    partition order, when known; a replication-factor change is planned from it.
    """

    name: str
    topic_id: str | None
    partitions: int
    replication_factor: int
    config: Mapping[str, ConfigEntry] = field(default_factory=dict)
    internal: bool = False
    replica_assignment: tuple[tuple[int, ...], ...] = ()

    @property
    def overrides(self) -> dict[str, str | None]:
        # Inlined is_override: a plan asks this of every topic, ~35 entries each.
        return {k: e.value for k, e in self.config.items() if e.source is _TOPIC}


@dataclass(frozen=True)
class ClusterState:
    """Everything ktr read from the cluster for one plan.

    ``broker_ids`` are the live brokers. ``unreadable`` maps each topic ktr
    asked for by name but may not describe to what Kafka answered (naming
    the ACL to grant): Kafka's listing leaves such topics out, so ktr cannot
    tell whether they exist.
    """

    cluster_id: str | None
    broker_ids: tuple[int, ...]
    topics: Mapping[str, ActualTopic]
    unreadable: Mapping[str, str] = field(default_factory=dict)

    @property
    def replica_brokers(self) -> frozenset[int]:
        """Every broker holding a replica of some topic, live or not.

        DescribeCluster lists only live brokers, but partitions keep their
        replicas on brokers that are down: this is how ktr sees those.
        """
        return frozenset(b for t in self.topics.values() for r in t.replica_assignment for b in r)

    def fingerprint(self, names: set[str] | None = None) -> str:
        """A digest of the state a plan depends on.

        With ``names``, only those topics count (present or absent), so that
        unrelated topics created by others do not make a saved plan stale.
        """
        selected = sorted(self.topics) if names is None else sorted(names)
        doc: list[object] = []
        for name in selected:
            topic = self.topics.get(name)
            if topic is None:
                doc.append([name, None])
                continue
            config = topic.config
            # Keys are unique, so sorting them orders the entries as sorting the
            # (key, value, source) triples would; ``_value_`` is the enum's value
            # without the descriptor call ``.value`` costs on every entry.
            doc.append(
                [
                    name,
                    topic.topic_id,
                    topic.partitions,
                    topic.replication_factor,
                    [(k, config[k].value, config[k].source._value_) for k in sorted(config)],
                ]
            )
        blob = json.dumps([self.cluster_id, doc], separators=(",", ":"), sort_keys=True)
        import hashlib  # only a plan to save or apply is fingerprinted

        return "sha256:" + hashlib.sha256(blob.encode()).hexdigest()
