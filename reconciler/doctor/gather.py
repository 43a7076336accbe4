"""Reading the cluster for doctor: a fixed number of batched, read-only requests.

One cluster description, one topic listing, one DescribeConfigs for the
undeclared topics that might be auto-created, one DescribeConfigs per broker,
one ListGroups and one DescribeGroups for all groups, and one ListOffsets by
timestamp for every partition of the declared topics; they go out together.
A read the cluster refuses skips the rules that need it, never the command.
The only write is the opt-in clock probe: one record to ``_ktr.clock``.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from reconciler.cluster.admin import Admin, ClockReading, ClusterError, NewTopic
from reconciler.doctor.catalogue import BROKER_CONFIG_RULES
from reconciler.doctor.facts import ClusterFacts, Profile
from reconciler.doctor.findings import Skipped
from reconciler.gcpause import gc_paused
from reconciler.model import ActualTopic, DesiredState, TopicInfo

CLOCK_TOPIC = "_ktr.clock"
# The clock topic keeps its few records an hour: they are only ever read back as a stamp.
CLOCK_TOPIC_CONFIG = {"message.timestamp.type": "LogAppendTime", "retention.ms": "3600000"}
GROUP_RULES = ("eager-assignor", "assignor-change")

T = TypeVar("T")


@dataclass(frozen=True)
class Wanted:
    """Which reads the rules that will run need."""

    broker_configs: bool = True
    groups: bool = True
    timestamps: bool = True
    clock: bool = False


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def gather_cluster(
    admin: Admin, desired: DesiredState, profile: Profile, wanted: Wanted
) -> tuple[ClusterFacts, list[Skipped]]:
    """Read what the cluster rules look at; the reads the cluster refuses become skips."""
    with gc_paused():
        return _gather(admin, desired, profile, wanted)


def _gather(
    admin: Admin, desired: DesiredState, profile: Profile, wanted: Wanted
) -> tuple[ClusterFacts, list[Skipped]]:
    skipped: list[Skipped] = []
    pool = ThreadPoolExecutor(max_workers=5, thread_name_prefix="ktr-doctor")
    interrupted = False
    try:
        described = pool.submit(admin.cluster)
        listed = pool.submit(lambda: admin.topics(ids_for=()))
        grouped = pool.submit(admin.consumer_groups) if wanted.groups else None
        info = described.result()
        brokers = (
            pool.submit(admin.broker_configs, info.broker_ids) if wanted.broker_configs else None
        )
        topics = listed.result()
        candidates = sorted(
            name
            for name, topic in topics.items()
            if name not in desired.topics and not topic.internal and topic.partition_count == 1
        )
        configs = pool.submit(admin.topic_configs, candidates) if candidates else None
        declared = {
            name: topics[name].partition_count
            for name, spec in desired.topics.items()
            if not spec.absent and name in topics and topics[name].partition_count
        }
        asked_at = now_ms()
        stamps = (
            pool.submit(
                admin.record_timestamps_from, declared, asked_at + profile.future_tolerance_ms
            )
            if wanted.timestamps and declared
            else None
        )
        brokers_read = _outcome(brokers)
        groups_read = _outcome(grouped)
        stamps_read = _outcome(stamps)
        configs_read = _outcome(configs)
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        pool.shutdown(wait=not interrupted, cancel_futures=True)
    broker_configs, broker_error = brokers_read
    topic_configs, configs_error = configs_read
    if configs_error is not None:
        # Without their overrides no topic can be said to look auto-created.
        skipped.append(Skipped("auto-created-topics", f"topic configs unreadable: {configs_error}"))
    topic_configs = topic_configs or {}
    if broker_configs is not None and not all(broker_configs.values()):
        # Kafka reports every broker config; an empty answer is no answer.
        empty = sorted(b for b, config in broker_configs.items() if not config)
        broker_configs = None
        broker_error = f"broker {', '.join(map(str, empty))} reported no configs"
    groups, groups_error = groups_read
    record_timestamps, stamps_error = stamps_read
    if groups_error is None and any(
        g.state == "Stable" and g.member_count == 0 for g in groups or ()
    ):
        # A stable group has members; a cluster that shows none does not describe them.
        groups_error = "the cluster does not report the members of its groups"
        groups = [g for g in groups or () if g.member_count]
    if groups_error is not None:
        skipped += [
            Skipped(rule, f"consumer groups unreadable: {groups_error}") for rule in GROUP_RULES
        ]
    if stamps_error is not None:
        skipped.append(
            Skipped("records-from-the-future", f"ListOffsets by timestamp failed: {stamps_error}")
        )
    clock: ClockReading | None = None
    if wanted.clock:
        clock, why = probe_clock(admin, topics, info.broker_ids)
        if why is not None:
            skipped.append(Skipped("clock-skew", why))
    else:
        skipped.append(Skipped("clock-skew", "measured only when asked: run with --clock"))
    actual = {
        name: _actual(name, topic, topic_configs.get(name))
        for name, topic in sorted(topics.items())
    }
    facts = ClusterFacts(
        cluster_id=info.cluster_id,
        topics=actual,
        groups=tuple(groups or ()),
        broker_configs=broker_configs if wanted.broker_configs else {},
        broker_configs_error=broker_error,
        now_ms=asked_at,
        record_timestamps=record_timestamps if wanted.timestamps else None,
        configs_read=frozenset(topic_configs),
        clock=clock,
    )
    return facts, skipped


def _outcome(future: Future[T] | None) -> tuple[T | None, str | None]:
    """A read's answer, or why the cluster would not give it."""
    if future is None:
        return None, None
    return _settled(future)


def _settled(future: Future[T]) -> tuple[T | None, str | None]:
    try:
        answer: T = future.result()
    except ClusterError as error:
        return None, str(error)
    return answer, None


def probe_clock(
    admin: Admin, topics: Collection[str], broker_ids: Sequence[int]
) -> tuple[ClockReading | None, str | None]:
    """Create ``_ktr.clock`` when missing, write one record, and read its stamp."""
    if CLOCK_TOPIC not in topics:
        new = NewTopic(CLOCK_TOPIC, 1, min(3, max(1, len(broker_ids))), CLOCK_TOPIC_CONFIG)
        error = admin.create_topics([new]).get(CLOCK_TOPIC)
        if error is not None and error.code != "TOPIC_ALREADY_EXISTS":
            return None, f"cannot create {CLOCK_TOPIC}: {error}"
    try:
        reading = admin.probe_clock(CLOCK_TOPIC)
    except ClusterError as error:
        return None, str(error)
    if reading.broker_ms is None:
        return None, (
            f"the broker did not stamp the record with its own clock: {CLOCK_TOPIC} must have "
            "message.timestamp.type=LogAppendTime, and the broker must honour it"
        )
    return reading, None


def _actual(name: str, topic: TopicInfo, config: object) -> ActualTopic:
    return ActualTopic(
        name=name,
        topic_id=topic.topic_id,
        partitions=topic.partition_count,
        replication_factor=topic.replication_factor,
        config=config if isinstance(config, dict) else {},
        internal=topic.internal,
    )


def wanted_reads(rules: Collection[str], clock: bool) -> Wanted:
    """Only the reads some rule that will run needs."""
    return Wanted(
        # min.insync.replicas a topic does not declare is the brokers'.
        broker_configs=any(
            rule in rules for rule in (*BROKER_CONFIG_RULES, "min-insync", "no-fault-tolerance")
        ),
        groups=any(rule in rules for rule in (*GROUP_RULES, "auto-created-topics")),
        timestamps="records-from-the-future" in rules,
        clock=clock and "clock-skew" in rules,
    )
