"""The one interface through which ktr talks to a cluster.

Every method is a single batched round-trip (or a fixed number of them) no
matter how many topics it covers, so the cost of a plan or an apply does not
grow in requests with the number of topics. Implementations: the
confluent-kafka adapter in :mod:`reconciler.cluster.kafka`, and the in-process
fake cluster used by the tests.

An implementation must allow calls from several threads at once: a read
sends its requests concurrently.

A write is one request, and Kafka's controller refuses a request that would
write more than 10,000 metadata records: callers keep each write call within
that budget (:mod:`reconciler.cluster.batches`).

Per-topic outcomes are returned as ``{name: AdminError | None}`` (None means
success). Failures of a whole call (cluster unreachable, authentication,
local timeout) raise :class:`ClusterError`.

An authorization error (``TOPIC_AUTHORIZATION_FAILED``, ...) names in its
message the ACL the principal lacks (see :mod:`reconciler.cluster.access`):
the person reading it is rarely the one who grants ACLs.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from contextlib import AbstractContextManager
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
    """The cluster's id and its live brokers.

    ``broker_ids`` are the live (unfenced) brokers only: Kafka's DescribeCluster
    leaves out brokers that are registered but down.
    """

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
    #: The partition assignor the group's members agreed on (``range``,
    #: ``cooperative-sticky`` ...); None when the cluster does not say (no members).
    assignor: str | None = None
    #: ``classic`` or ``consumer`` (KIP-848); None when the cluster does not say.
    protocol: str | None = None


@dataclass(frozen=True)
class ClockReading:
    """One record written to a ``LogAppendTime`` topic, timed on both sides.

    ``sent_ms`` and ``acked_ms`` are this machine's clock just before the
    send and when the acknowledgement came; ``broker_ms`` is the timestamp
    the broker gave the record, or None when it did not stamp it with its
    own clock (the topic is not ``LogAppendTime``, or the broker ignores it).
    """

    sent_ms: int
    acked_ms: int
    broker_ms: int | None

    def skew_bounds_ms(self) -> tuple[int, int] | None:
        """How far the broker's clock is ahead of this one (negative: behind), as a range.

        The broker stamped the record at some local time between the send
        and the acknowledgement, so its offset lies within these bounds.
        """
        if self.broker_ms is None:
            return None
        return (self.broker_ms - self.acked_ms, self.broker_ms - self.sent_ms)


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

    def describe_topics(self, names: Collection[str]) -> Mapping[str, TopicInfo | AdminError]:
        """Describe the named topics by name, in one request, each with its topic id.

        A listing (:meth:`topics`) silently leaves out topics the principal may
        not describe; asking by name is the only way to tell those from absent
        ones. Each name maps to its TopicInfo, or to ``UNKNOWN_TOPIC_OR_PART``
        when absent, or to ``TOPIC_AUTHORIZATION_FAILED`` (naming the ACL to
        grant) when it may not be described: Kafka says so of absent topics
        too, so that existence is not leaked.
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
        """Return every consumer group, with its members' assigned topics where known.

        Kafka leaves out, without saying so, the groups the principal may not
        describe (unless it may describe the cluster): see :meth:`sees_every_group`.
        """
        ...

    def sees_every_group(self) -> bool:
        """Whether :meth:`consumer_groups` lists every group, in one request.

        True when the principal may describe the cluster (then Kafka's
        ListGroups hides nothing) or the cluster has no authorizer.
        """
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

    def broker_configs(
        self, broker_ids: Collection[int], *, timeout: float | None = None
    ) -> Mapping[int, Mapping[str, str | None]]:
        """Return each named broker's effective configs: broker id → key → value.

        Kafka takes one broker per DescribeConfigs request, so this costs one
        request per broker (never per topic), sent together. Raises
        ClusterError when the cluster refuses them or does not answer within
        ``timeout`` seconds (default: the client's own timeout).
        """
        ...

    def record_timestamps_from(
        self, partitions: Mapping[str, int], timestamp_ms: int
    ) -> Mapping[str, Mapping[int, int]]:
        """Find the records stamped at or after ``timestamp_ms``, with one ListOffsets round trip.

        ``partitions`` gives each topic's partition count. Large reads go as
        several requests of a bounded size, all in flight together. The answer maps
        each topic to its partitions that hold such a record, with the
        timestamp of the first one; partitions without one are left out.
        """
        ...

    def probe_clock(self, topic: str) -> ClockReading:
        """Produce one small record to ``topic`` and time it against this machine's clock.

        The only write doctor makes, and only when asked: the topic must
        exist, with ``message.timestamp.type=LogAppendTime`` so that the
        broker stamps the record with its own clock.
        """
        ...

    def patient(self, seconds: float) -> AbstractContextManager[None]:
        """Within the ``with`` block, let each request take up to ``seconds`` (never less
        than the usual timeout): for clean-up that must not fail because the request
        before it, given the user's short ``--timeout``, just did."""
        ...

    def close(self) -> None:
        """Release the client. The object must not be used afterwards."""
        ...
