"""What ``ktr doctor`` reads beyond topics and groups: broker configs, record timestamps,
and the opt-in clock probe (its only write, one record)."""

from __future__ import annotations

import logging
import time
from collections.abc import Collection, Mapping
from concurrent.futures import Future
from typing import Any

from confluent_kafka import TIMESTAMP_LOG_APPEND_TIME, KafkaException, Producer, TopicPartition
from confluent_kafka import admin as ck

from reconciler.cluster.admin import ClockReading, ClusterError
from reconciler.cluster.client import KafkaClient

# Partitions per ListOffsets request (see record_timestamps_from).
LIST_OFFSETS_CHUNK = 1000


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class DoctorReads(KafkaClient):
    """Broker configs, ListOffsets by timestamp, and one timed record."""

    def broker_configs(
        self, broker_ids: Collection[int], *, timeout: float | None = None
    ) -> Mapping[int, Mapping[str, str | None]]:
        ids = sorted(set(broker_ids))
        if not ids:
            return {}
        client = self._usable()
        limit = self.timeout if timeout is None else max(min(timeout, self.timeout), 0.1)
        futures: dict[Any, Future[Any]] = {}
        for broker in ids:  # Kafka takes one BROKER resource per request
            self._count()
            resource = ck.ConfigResource(ck.ResourceType.BROKER, str(broker))
            try:
                futures.update(client.describe_configs([resource], request_timeout=limit))
            except KafkaException as e:
                raise self._fail(f"cannot read the configs of broker {broker}", e) from None
        configs: dict[int, Mapping[str, str | None]] = {}
        for resource, (entries, error) in self._results(futures).items():
            if error is not None:
                raise ClusterError(
                    f"cannot read the configs of broker {resource.name} on {self.bootstrap}: "
                    f"{error}"
                )
            configs[int(resource.name)] = {name: entry.value for name, entry in entries.items()}
        return configs

    def record_timestamps_from(
        self, partitions: Mapping[str, int], timestamp_ms: int
    ) -> Mapping[str, Mapping[int, int]]:
        spec = ck.OffsetSpec.for_timestamp(timestamp_ms)
        wanted = [
            TopicPartition(name, p)
            for name, count in sorted(partitions.items())
            for p in range(count)
        ]
        futures: dict[Any, Future[Any]] = {}
        # All chunks are in flight at once: one round trip. librdkafka's cost of
        # one ListOffsets grows with the square of its partitions (5 s for
        # 15,000 against 1 s in chunks of 1,000), so none is made larger.
        for first in range(0, len(wanted), LIST_OFFSETS_CHUNK):
            chunk = {tp: spec for tp in wanted[first : first + LIST_OFFSETS_CHUNK]}
            futures.update(self._list_offsets(chunk))
        found: dict[str, dict[int, int]] = {}
        for tp, (info, error) in self._results(futures).items():
            if error is not None:
                if error.code == "UNKNOWN_TOPIC_OR_PART":
                    continue  # deleted since it was listed
                raise ClusterError(
                    f"cannot list offsets by timestamp of {tp.topic}[{tp.partition}] "
                    f"on {self.bootstrap}: {error}"
                )
            if info.offset < 0:
                continue  # no record stamped at or after the time asked
            if info.timestamp < 0:
                # Kafka answers a found offset with its record's timestamp; a broker
                # that gives none cannot answer the question at all.
                raise ClusterError(
                    f"the broker at {self.bootstrap} does not report record timestamps "
                    f"in ListOffsets (offset {info.offset} of {tp.topic}[{tp.partition}] "
                    "came without one)"
                )
            found.setdefault(tp.topic, {})[tp.partition] = info.timestamp
        return found

    def _list_offsets(self, requests: dict[Any, Any]) -> Mapping[Any, Future[Any]]:
        answer: Mapping[Any, Future[Any]] = self._call(
            "cannot list offsets by timestamp",
            lambda c: c.list_offsets(requests, request_timeout=self.timeout),
        )
        return answer

    def probe_clock(self, topic: str) -> ClockReading:
        self._usable()  # refuses after fork() or close()
        self._count()
        conf: dict[str, Any] = dict(self._settings.values)
        conf.update(
            {
                "linger.ms": 0,
                "message.timeout.ms": int(self.timeout * 1000),
                # A broker closing the idle connection is no news worth printing.
                "log.connection.close": False,
            }
        )
        if "debug" not in conf:
            logger = logging.Logger(f"ktr.librdkafka.clock.{id(self)}")
            logger.propagate = False
            logger.addHandler(logging.NullHandler())
            conf["logger"] = logger
        delivered: dict[str, Any] = {}

        def report(error: Any, message: Any) -> None:
            delivered["acked_ms"] = _now_ms()
            delivered["error"] = error
            delivered["timestamp"] = message.timestamp()

        # Made here and dropped on return: a producer is never held across fork().
        producer = Producer(conf)
        sent = _now_ms()
        try:
            producer.produce(topic, value=b"ktr doctor --clock", on_delivery=report)
            producer.flush(self.timeout)
            producer.poll(0)  # serve the last log callbacks before the producer goes
        except KafkaException as e:
            raise self._fail(f"cannot write the clock probe record to {topic}", e) from None
        if "acked_ms" not in delivered:
            raise ClusterError(
                f"cannot write the clock probe record to {topic} on {self.bootstrap}: "
                f"no acknowledgement within {self.timeout:g} s"
            )
        if delivered["error"] is not None:
            raise ClusterError(
                f"cannot write the clock probe record to {topic} on {self.bootstrap}: "
                f"{self._scrub(delivered['error'].str())}"
            )
        kind, stamp = delivered["timestamp"]
        return ClockReading(
            sent_ms=sent,
            acked_ms=delivered["acked_ms"],
            broker_ms=stamp if kind == TIMESTAMP_LOG_APPEND_TIME else None,
        )
