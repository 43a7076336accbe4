"""The fake cluster's part for ``ktr doctor``: broker configs, group assignors,
record timestamps and LogAppendTime.

A mixin of :class:`tests.fake_cluster.FakeCluster`, kept apart from the topic
and group model it builds on. Brokers start with Kafka's own defaults, so an
untouched fake cluster auto-creates topics, as a fresh Apache Kafka does.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from reconciler.cluster.admin import ClockReading, ClusterError

# Apache Kafka's broker defaults for the settings doctor reads.
KAFKA_BROKER_DEFAULTS: dict[str, str] = {
    "auto.create.topics.enable": "true",
    "num.partitions": "1",
    "default.replication.factor": "1",
    "offsets.retention.minutes": "10080",
    "log.retention.hours": "168",
}


def now_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass
class _DoctorState:
    # Per-broker values over the defaults; None as key means every broker.
    broker_settings: dict[int | None, dict[str, str]] = field(default_factory=dict)
    # (topic, partition) -> [(offset, timestamp ms)] of records written with a timestamp.
    stamps: dict[tuple[str, int], list[tuple[int, int]]] = field(default_factory=dict)
    clock_offset_ms: int = 0
    honours_log_append_time: bool = True
    clock_records: list[str] = field(default_factory=list)


class DoctorFacts:
    """Broker configs, assignors, timestamps and a broker clock, on top of the fake cluster."""

    # Provided by FakeCluster.
    broker_ids: tuple[int, ...]
    _topics: dict[str, Any]
    _groups: dict[str, Any]
    _end_offsets: dict[str, list[int]]

    def _call(self, method: str, topics: Any = ()) -> Any:  # pragma: no cover - FakeCluster's
        raise NotImplementedError

    @property
    def _doctor(self) -> _DoctorState:
        state = self.__dict__.get("_doctor_state")
        if state is None:
            state = self.__dict__["_doctor_state"] = _DoctorState()
        return state

    # ------------------------------------------------------------ test controls

    def set_broker_config(self, key: str, value: str, *, broker: int | None = None) -> None:
        """Set a broker config on one broker, or on every broker (cluster-wide default)."""
        self._doctor.broker_settings.setdefault(broker, {})[key] = value

    def set_group_protocol(
        self, group_id: str, assignor: str | None, protocol: str = "classic"
    ) -> None:
        """Give a consumer group (added with add_consumer_group) its assignor and protocol."""
        self._groups[group_id] = dataclasses.replace(
            self._groups[group_id], assignor=assignor, protocol=protocol
        )

    def produce_at(self, topic: str, partition: int, timestamp_ms: int, count: int = 1) -> None:
        """Append ``count`` records stamped ``timestamp_ms`` (CreateTime) to a partition."""
        ends = self._end_offsets[topic]
        stamps = self._doctor.stamps.setdefault((topic, partition), [])
        for _ in range(count):
            stamps.append((ends[partition], timestamp_ms))
            ends[partition] += 1

    def skew_broker_clock(self, offset_ms: int) -> None:
        """Make the brokers' clock run ``offset_ms`` ahead of this machine's (negative: behind)."""
        self._doctor.clock_offset_ms = offset_ms

    def ignore_log_append_time(self) -> None:
        """Behave like a broker that keeps the producer's timestamp even on LogAppendTime topics."""
        self._doctor.honours_log_append_time = False

    def clock_records(self) -> list[str]:
        """The topics the clock probe wrote a record to, for assertions."""
        return list(self._doctor.clock_records)

    # ------------------------------------------------------------ Admin methods

    def broker_configs(
        self, broker_ids: Collection[int], *, timeout: float | None = None
    ) -> Mapping[int, Mapping[str, str | None]]:
        configs: dict[int, Mapping[str, str | None]] = {}
        settings = self._doctor.broker_settings
        for broker in sorted(set(broker_ids)):  # Kafka: one broker per request
            self._call("broker_configs")
            if broker not in self.broker_ids:
                raise ClusterError(f"cannot read the configs of broker {broker}: no such broker")
            configs[broker] = {
                **KAFKA_BROKER_DEFAULTS,
                **settings.get(None, {}),
                **settings.get(broker, {}),
            }
        return configs

    def record_timestamps_from(
        self, partitions: Mapping[str, int], timestamp_ms: int
    ) -> Mapping[str, Mapping[int, int]]:
        self._call("record_timestamps_from")
        found: dict[str, dict[int, int]] = {}
        for topic, count in partitions.items():
            if topic not in self._topics:
                continue
            for partition in range(count):
                later = [
                    (offset, stamp)
                    for offset, stamp in self._doctor.stamps.get((topic, partition), [])
                    if stamp >= timestamp_ms
                ]
                if later:
                    found.setdefault(topic, {})[partition] = min(later)[1]
        return found

    def probe_clock(self, topic: str) -> ClockReading:
        self._call("probe_clock")
        if topic not in self._topics:
            raise ClusterError(f"cannot write the clock probe record to {topic}: unknown topic")
        sent = now_ms()
        stamped = (
            self._topics[topic].config.get("message.timestamp.type") == "LogAppendTime"
            and self._doctor.honours_log_append_time
        )
        broker = now_ms() + self._doctor.clock_offset_ms
        self.produce_at(topic, 0, broker if stamped else sent)
        self._doctor.clock_records.append(topic)
        return ClockReading(sent_ms=sent, acked_ms=now_ms(), broker_ms=broker if stamped else None)
