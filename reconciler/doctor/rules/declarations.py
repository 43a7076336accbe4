"""Rules over the declarations alone: they need no connection."""

from __future__ import annotations

from collections.abc import Iterator

from reconciler.doctor.catalogue import RULES
from reconciler.doctor.facts import Facts
from reconciler.doctor.findings import Finding
from reconciler.model import TopicSpec

# compression.type values that leave compression to the producer.
UNCOMPRESSED_BY_TOPIC = ("producer",)


def live_topics(facts: Facts) -> Iterator[TopicSpec]:
    """The declared topics that are to exist (tombstones left out), in name order."""
    for name in sorted(facts.desired.topics):
        spec = facts.desired.topics[name]
        if not spec.absent:
            yield spec


def finding(rule: str, spec: TopicSpec, message: str, fix: str) -> Finding:
    """A finding about a declared topic, pointing at its declaration."""
    location = spec.location
    return Finding(
        rule=rule,
        severity=RULES[rule].severity,
        message=message,
        fix=fix,
        topic=spec.name,
        file=location.file if location else None,
        line=location.line if location else 0,
    )


def min_insync(spec: TopicSpec, facts: Facts) -> tuple[int, str]:
    """The topic's min.insync.replicas, and where it comes from (for messages).

    Undeclared, it is inherited: from the brokers when their configs were
    read (the lowest, to be safe), else Kafka's default of 1.
    """
    declared = spec.config.get("min.insync.replicas")
    if declared is not None:
        return int(declared), ""
    cluster = facts.cluster
    values = [
        int(value)
        for config in ((cluster.broker_configs or {}).values() if cluster else ())
        if (value := config.get("min.insync.replicas")) is not None and value.isdigit()
    ]
    if values:
        return min(values), " (inherited from the brokers)"
    return 1, " (not declared: Kafka's default, unless the brokers set another)"


def single_partition(facts: Facts) -> Iterator[Finding]:
    for spec in live_topics(facts):
        if spec.partitions == 1:
            yield finding(
                "single-partition",
                spec,
                f"topic '{spec.name}' has 1 partition: one consumer of a group can read it",
                "declare as many partitions as consumers you may run (partitions can be "
                "added later, but that moves keyed records); or ignore the rule on this topic "
                "if it needs total order",
            )


def replication_factor(facts: Facts) -> Iterator[Finding]:
    for spec in live_topics(facts):
        if spec.replication_factor < 3:
            yield finding(
                "replication-factor",
                spec,
                f"topic '{spec.name}' has replication factor {spec.replication_factor}: "
                "losing a broker can lose its data or stop it",
                "declare replication_factor: 3",
            )


def no_fault_tolerance(facts: Facts) -> Iterator[Finding]:
    for spec in live_topics(facts):
        isr, source = min_insync(spec, facts)
        if spec.replication_factor <= isr:
            yield finding(
                "no-fault-tolerance",
                spec,
                f"topic '{spec.name}' has replication factor {spec.replication_factor} and "
                f"min.insync.replicas {isr}{source}: with one broker down, acks=all writes fail",
                f"declare replication_factor: {isr + 1} or more, or min.insync.replicas: "
                f"{max(1, spec.replication_factor - 1)}",
            )


def min_insync_rule(facts: Facts) -> Iterator[Finding]:
    for spec in live_topics(facts):
        isr, source = min_insync(spec, facts)
        if spec.replication_factor >= 3 and isr == 1:
            yield finding(
                "min-insync",
                spec,
                f"topic '{spec.name}' has min.insync.replicas 1{source}: an acks=all write is "
                "acknowledged when a single copy has it",
                "declare config min.insync.replicas: 2",
            )


def compression(facts: Facts) -> Iterator[Finding]:
    for spec in live_topics(facts):
        codec = spec.config.get("compression.type", "producer")
        if codec not in UNCOMPRESSED_BY_TOPIC:
            continue  # a codec, or uncompressed on purpose
        producers = [c for c in facts.clients if c.produces_to(spec.name)]
        if any(c.codec not in ("none", "") for c in producers):
            continue
        told = (
            "and none of its producers' client files sets one"
            if producers
            else "and no client file of its producers says it compresses"
        )
        yield finding(
            "compression",
            spec,
            f"topic '{spec.name}' declares no compression.type, {told}",
            "declare config compression.type: zstd (or lz4), and set the same "
            "compression.type on its producers",
        )


def unlocked(facts: Facts) -> Iterator[Finding]:
    for where in facts.lock_paths:
        yield Finding(
            rule="unlocked",
            severity=RULES["unlocked"].severity,
            message=f"{where} has no topics.lock: a misspelt topic name in a declaration "
            "creates a new topic in production",
            fix=f"run `ktr lock {where}` and commit topics.lock with the declarations",
            file=where,
        )
