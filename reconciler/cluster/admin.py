"""The one interface through which ktr talks to a cluster.

Every method is a single batched round-trip (or a fixed number of them) no
matter how many topics it covers, so the cost of a plan or an apply does not
grow in requests with the number of topics. Implementations: the
confluent-kafka adapter in :mod:`reconciler.cluster.kafka`, and the in-process
fake cluster used by the tests.

An implementation must allow calls from several threads at once: a read
sends its requests concurrently.

Per-topic outcomes are returned as ``{name: AdminError | None}`` (None means
success). Failures of a whole call (cluster unreachable, authentication,
local timeout) raise :class:`ClusterError`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from reconciler.model import ConfigEntry, TopicInfo


@dataclass(frozen=True)
class AdminError:
    """A per-topic error from the cluster.

    ``code`` is the Kafka error name (``TOPIC_ALREADY_EXISTS``,
    ``REQUEST_TIMED_OUT``, ``_TIMED_OUT`` ...). ``retriable`` errors may be
    retried as they are; ``ambiguous`` ones (timeouts, dropped connections)
    leave the outcome unknown, so the caller must re-read the cluster before
    deciding anything.
    """

    code: str
    message: str
    retriable: bool = False
    ambiguous: bool = False

    def __str__(self) -> str:
        return f"{self.code}: {self.message}" if self.message else self.code


class ClusterError(Exception):
    """A whole call failed: unreachable cluster, bad credentials, timeout.

    The message is one line, safe to show (never contains secrets).
    """

    def __init__(self, message: str, *, ambiguous: bool = False) -> None:
        super().__init__(message)
        self.ambiguous = ambiguous


@dataclass(frozen=True)
class ClusterInfo:
    """The cluster's id and its live brokers."""

    cluster_id: str | None
    broker_ids: tuple[int, ...]


@dataclass(frozen=True)
class NewTopic:
    """A topic to create. ``config`` holds Kafka strings."""

    name: str
    partitions: int
    replication_factor: int
    config: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Sighting:
    """What one broker's metadata answer said about the topics asked for.

    ``topics`` maps each name to the number of partitions that broker reports
    with a leader, or to None when it reports the topic unknown.
    ``partitions`` gives the total partitions it reports for each known topic.
    """

    broker_id: int
    topics: Mapping[str, int | None]
    partitions: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class GroupInfo:
    """A consumer group: its state and the topics its members are assigned."""

    group_id: str
    state: str
    member_count: int
    assigned_topics: frozenset[str] = frozenset()


class Admin(Protocol):
    """A Kafka cluster, as ktr needs to see and change it."""

    #: Seconds a change may take to reach every broker: the client's
    #: ``topic.metadata.propagation.max.ms``. Waits after a change are bounded by it.
    propagation_timeout: float

    def cluster(self) -> ClusterInfo:
        """Return the cluster id and the ids of the live brokers."""
        ...

    def topics(self, *, ids_for: Collection[str] | None = None) -> Mapping[str, TopicInfo]:
        """Return every topic with its partition layout, internal ones included.

        Topic ids cost a second, per-topic read on a large cluster (asked in
        at most a few parts, so that no answer is held whole), and only the
        topics a caller acts on or fingerprints need them: ``ids_for``
        None gives every topic its id; otherwise only the named topics are
        guaranteed one, and any other topic may have ``topic_id`` None.
        ``internal`` is right for every topic either way.
        """
        ...

    def topic_configs(self, names: Collection[str]) -> Mapping[str, Mapping[str, ConfigEntry]]:
        """Return the effective configs of the named topics, in one request.

        Every key the broker reports is included, with its source, so that
        overrides (``ConfigSource.TOPIC``) can be told from inherited values.
        """
        ...

    def create_topics(
        self, topics: Sequence[NewTopic], *, validate_only: bool = False
    ) -> Mapping[str, AdminError | None]:
        """Create topics in one request. ``validate_only`` asks the broker to check only."""
        ...

    def create_partitions(
        self, totals: Mapping[str, int], *, validate_only: bool = False
    ) -> Mapping[str, AdminError | None]:
        """Raise partition counts to the given new totals, in one request."""
        ...

    def alter_configs(
        self, changes: Mapping[str, Mapping[str, str | None]], *, validate_only: bool = False
    ) -> Mapping[str, AdminError | None]:
        """Incrementally set (value) or delete (None: back to inherited) topic configs.

        One request for all topics; untouched keys stay as they are.
        """
        ...

    def delete_topics(self, names: Collection[str]) -> Mapping[str, AdminError | None]:
        """Delete topics in one request."""
        ...

    def sighting(self, names: Collection[str], *, timeout: float | None = None) -> Sighting:
        """Ask one broker (whichever answers) for the metadata of the named topics.

        Never creates topics. Repeated calls let a caller collect the view of
        every broker while waiting for a change to propagate. ``timeout``
        (seconds) shortens the client's own timeout, so a wait with a
        deadline is not held past it by a broker that does not answer.
        """
        ...

    def consumer_groups(self) -> Sequence[GroupInfo]:
        """Return every consumer group, with its members' assigned topics where known."""
        ...

    def committed_offsets(
        self, group_ids: Collection[str]
    ) -> Mapping[str, Mapping[str, Mapping[int, int]]]:
        """Return committed offsets: group id → topic → partition → offset.

        Kafka answers one group per request, so this costs one request per group.
        """
        ...

    def end_offsets(self, names: Collection[str]) -> Mapping[str, tuple[int, ...]]:
        """Return each named topic's high watermarks, one per partition, in one request."""
        ...

    def close(self) -> None:
        """Release the client. The object must not be used afterwards."""
        ...
