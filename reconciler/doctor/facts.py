"""What the doctor rules look at, gathered once: declarations, cluster facts, client files.

Rules are pure functions of :class:`Facts`; gathering (files, the cluster,
this machine's librdkafka) happens before any rule runs.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from reconciler.cluster.admin import ClockReading, GroupInfo
from reconciler.doctor.findings import Skipped
from reconciler.model import ActualTopic, DesiredState

DEFAULT_MAX_CONSUMER_DOWNTIME_MS = 7 * 24 * 3600 * 1000  # Kafka's offsets.retention default
DEFAULT_FUTURE_TOLERANCE_MS = 5 * 60 * 1000
DEFAULT_CLOCK_TOLERANCE_MS = 1000


@dataclass(frozen=True)
class Profile:
    """The environment being checked, as doctor needs it."""

    name: str | None
    production: bool
    max_consumer_downtime_ms: int = DEFAULT_MAX_CONSUMER_DOWNTIME_MS
    downtime_declared: bool = False
    future_tolerance_ms: int = DEFAULT_FUTURE_TOLERANCE_MS
    clock_tolerance_ms: int = DEFAULT_CLOCK_TOLERANCE_MS
    ignored: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ClientFile:
    """A client's properties file and the topic patterns it produces to and consumes from.

    ``lines`` gives the line of each property, for findings; values of
    secret properties are never looked at by a rule.
    """

    path: str
    properties: Mapping[str, str]
    lines: Mapping[str, int]
    produces: tuple[str, ...] = ()
    consumes: tuple[str, ...] = ()

    def produces_to(self, topic: str) -> bool:
        return any(fnmatch.fnmatchcase(topic, pattern) for pattern in self.produces)

    def consumes_from(self, topic: str) -> bool:
        return any(fnmatch.fnmatchcase(topic, pattern) for pattern in self.consumes)

    def line(self, key: str) -> int:
        return self.lines.get(key, 0)

    @property
    def codec(self) -> str:
        """The producer's codec as librdkafka resolves it (``compression.codec`` is an alias)."""
        value = self.properties.get("compression.type") or self.properties.get(
            "compression.codec", "none"
        )
        return value.strip().lower()

    @property
    def codec_key(self) -> str:
        return "compression.codec" if "compression.codec" in self.properties else "compression.type"


@dataclass(frozen=True)
class ClusterFacts:
    """What was read from the cluster, every read batched.

    ``broker_configs`` is None when the cluster would not show them
    (``broker_configs_error`` says why). ``record_timestamps`` maps each
    topic to the partitions holding a record stamped after now plus the
    tolerance, with that record's timestamp; None when it was not read.
    """

    cluster_id: str | None
    topics: Mapping[str, ActualTopic]
    groups: Sequence[GroupInfo]
    broker_configs: Mapping[int, Mapping[str, str | None]] | None
    now_ms: int
    broker_configs_error: str | None = None
    record_timestamps: Mapping[str, Mapping[int, int]] | None = None
    clock: ClockReading | None = None
    #: The topics whose configs were read (an unread topic's overrides are unknown).
    configs_read: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Facts:
    """Everything the rules may look at, for one environment."""

    profile: Profile
    desired: DesiredState
    #: Declaration directories that have no topics.lock.
    lock_paths: tuple[str, ...] = ()
    clients: tuple[ClientFile, ...] = ()
    cluster: ClusterFacts | None = None
    codecs_available: frozenset[str] = frozenset({"gzip", "snappy", "lz4", "zstd"})
    skipped: tuple[Skipped, ...] = field(default_factory=tuple)
