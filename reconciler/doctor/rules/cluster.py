"""Rules over what was read from the cluster (broker configs, topics, groups, records)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from reconciler.doctor.catalogue import RULES
from reconciler.doctor.facts import ClusterFacts, Facts
from reconciler.doctor.findings import Finding
from reconciler.doctor.rules.clients import EAGER_ASSIGNORS
from reconciler.kafka.units import format_duration_ms

# Kafka's defaults, for a broker that does not report a key.
BROKER_DEFAULTS = {
    "auto.create.topics.enable": "true",
    "num.partitions": "1",
    "default.replication.factor": "1",
    "offsets.retention.minutes": "10080",
}


def cluster_finding(
    rule: str, message: str, fix: str, *, topic: str | None = None, group: str | None = None
) -> Finding:
    return Finding(
        rule=rule, severity=RULES[rule].severity, message=message, fix=fix, topic=topic, group=group
    )


def broker_values(cluster: ClusterFacts, key: str) -> dict[int, str]:
    """Each broker's value of ``key`` (Kafka's default where it reports none)."""
    configs: Mapping[int, Mapping[str, str | None]] = cluster.broker_configs or {}
    return {
        broker: (config.get(key) or BROKER_DEFAULTS[key]).strip()
        for broker, config in sorted(configs.items())
    }


def _brokers(ids: list[int], total: int) -> str:
    if len(ids) == total:
        return "every broker" if total > 1 else "the broker"
    return "broker" + ("s " if len(ids) > 1 else " ") + ", ".join(map(str, ids))


def auto_creating(cluster: ClusterFacts) -> list[int]:
    values = broker_values(cluster, "auto.create.topics.enable")
    return [b for b, v in values.items() if v.lower() == "true"]


def auto_create(facts: Facts) -> Iterator[Finding]:
    cluster = facts.cluster
    if cluster is None or cluster.broker_configs is None:
        return
    on = auto_creating(cluster)
    if on:
        yield cluster_finding(
            "auto-create",
            f"auto.create.topics.enable is true on {_brokers(on, len(cluster.broker_configs))}: "
            "a client writing to or reading from a misspelt topic creates it with the "
            "broker defaults",
            "set auto.create.topics.enable=false on every broker (server.properties, or "
            "kafka-configs.sh --entity-type brokers --entity-default --alter --add-config "
            "auto.create.topics.enable=false) and declare every topic",
        )


def default_partitions(facts: Facts) -> Iterator[Finding]:
    cluster = facts.cluster
    if cluster is None or cluster.broker_configs is None or not auto_creating(cluster):
        return
    values = broker_values(cluster, "num.partitions")
    low = [b for b, v in values.items() if v == "1"]
    if low:
        yield cluster_finding(
            "default-partitions",
            f"num.partitions is 1 on {_brokers(low, len(values))} while auto-creation is "
            "on: an auto-created topic gets one partition",
            "turn auto.create.topics.enable off; failing that, raise num.partitions",
        )


def default_replication(facts: Facts) -> Iterator[Finding]:
    cluster = facts.cluster
    if cluster is None or cluster.broker_configs is None or not auto_creating(cluster):
        return
    values = broker_values(cluster, "default.replication.factor")
    low = {b: v for b, v in values.items() if v.lstrip("-").isdigit() and int(v) < 3}
    if low:
        shown = ", ".join(sorted(set(low.values())))
        yield cluster_finding(
            "default-replication",
            f"default.replication.factor is {shown} on {_brokers(list(low), len(values))} "
            "while auto-creation is on: an auto-created topic has fewer than 3 copies",
            "turn auto.create.topics.enable off; failing that, set default.replication.factor=3",
        )


def offsets_retention(facts: Facts) -> Iterator[Finding]:
    cluster = facts.cluster
    if cluster is None or cluster.broker_configs is None:
        return
    profile = facts.profile
    wanted = profile.max_consumer_downtime_ms
    values = broker_values(cluster, "offsets.retention.minutes")
    short = {
        b: int(v) * 60_000 for b, v in values.items() if v.isdigit() and int(v) * 60_000 < wanted
    }
    if not short:
        return
    retention = min(short.values())
    declared = (
        f"the environment's max_consumer_downtime ({format_duration_ms(wanted)})"
        if profile.downtime_declared
        else "7 days (no max_consumer_downtime is declared for this environment)"
    )
    yield cluster_finding(
        "offsets-retention",
        f"offsets.retention.minutes is {retention // 60_000} ({format_duration_ms(retention)}) "
        f"on {_brokers(list(short), len(values))}, shorter than {declared}: a consumer "
        "group down longer loses its committed offsets and reprocesses or skips data on "
        "restart (auto.offset.reset)",
        f"set offsets.retention.minutes={wanted // 60_000} or more on every broker",
    )


def auto_created_topics(facts: Facts) -> Iterator[Finding]:
    cluster = facts.cluster
    if cluster is None:
        return
    readers: dict[str, list[str]] = {}
    for group in cluster.groups:
        for read in group.assigned_topics:
            readers.setdefault(read, []).append(group.group_id)
    for name, topic in sorted(cluster.topics.items()):
        if (
            name in facts.desired.topics
            or topic.internal
            or name.startswith(("_", "__"))
            or topic.partitions != 1
            or name not in cluster.configs_read  # its overrides are unknown
            or topic.overrides
        ):
            continue
        groups = sorted(readers.get(name, ()))
        read = f"; read by group {', '.join(groups)}" if groups else ""
        yield cluster_finding(
            "auto-created-topics",
            f"topic '{name}' is not declared and looks auto-created (1 partition, no "
            f"config overrides){read}",
            "if it is a typo, fix the client that uses it, then delete the topic; "
            "otherwise declare it",
            topic=name,
            group=groups[0] if groups else None,
        )


def eager_assignor(facts: Facts) -> Iterator[Finding]:
    cluster = facts.cluster
    if cluster is None:
        return
    declared = {name for name, spec in facts.desired.topics.items() if not spec.absent}
    for group in sorted(cluster.groups, key=lambda g: g.group_id):
        if group.protocol == "consumer" or (group.assignor or "") not in EAGER_ASSIGNORS:
            continue
        topics = sorted(group.assigned_topics & declared)
        if not topics:
            continue
        yield cluster_finding(
            "eager-assignor",
            f"consumer group '{group.group_id}' (reading {_listed(topics)}) uses the eager "
            f"{group.assignor} assignor: every member joining or leaving stops the whole group",
            "stop every consumer of the group, set partition.assignment.strategy="
            "cooperative-sticky on all of them (or group.protocol=consumer on Kafka 4), "
            "then start them again",
            group=group.group_id,
            topic=topics[0],
        )


def records_from_the_future(facts: Facts) -> Iterator[Finding]:
    cluster = facts.cluster
    if cluster is None or cluster.record_timestamps is None:
        return
    tolerance = format_duration_ms(facts.profile.future_tolerance_ms)
    for name, partitions in sorted(cluster.record_timestamps.items()):
        if not partitions:
            continue
        ahead = max(partitions.values()) - cluster.now_ms
        listed = ", ".join(str(p) for p in sorted(partitions))
        yield cluster_finding(
            "records-from-the-future",
            f"topic '{name}' holds records stamped {_span(ahead)} ahead of this machine's "
            f"clock (more than the {tolerance} tolerance) in "
            f"{'partition' if len(partitions) == 1 else 'partitions'} {listed}: "
            "time-based retention, windows and lag readings go wrong",
            "run NTP on every producer; the records keep their timestamps until retention "
            "removes them",
            topic=name,
        )


def clock_skew(facts: Facts) -> Iterator[Finding]:
    cluster = facts.cluster
    if cluster is None or cluster.clock is None:
        return
    bounds = cluster.clock.skew_bounds_ms()
    if bounds is None:
        return
    low, high = bounds
    tolerance = facts.profile.clock_tolerance_ms
    if low > tolerance or high < -tolerance:
        direction = "ahead of" if low > 0 else "behind"
        near, far = (low, high) if low > 0 else (-high, -low)
        yield cluster_finding(
            "clock-skew",
            f"the broker's clock is between {_span(near)} and {_span(far)} {direction} this "
            f"machine's (measured with one LogAppendTime record; tolerance {_span(tolerance)})",
            "run NTP on the brokers and on this machine, then measure again with --clock",
        )


def _span(ms: int) -> str:
    if ms >= 3_600_000:
        return f"{ms / 3_600_000:.1f} h"
    if ms >= 60_000:
        return f"{ms / 60_000:.1f} min"
    return f"{ms / 1000:.1f} s"


def _listed(names: list[str], shown: int = 3) -> str:
    if len(names) <= shown:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown} more"
