"""Every doctor rule: its stable id, severity, scope and why it matters.

Pure data with no imports from the rest of ktr, so that the declaration
schema (``doctor: {ignore: [...]}``) and ``ktr.yaml`` can check rule ids
against it without pulling in the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
Source = Literal["declarations", "cluster", "clients"]


@dataclass(frozen=True)
class Rule:
    """One check of the production checklist.

    ``everywhere`` rules run in every environment; the others only in a
    production one. ``severity`` is the severity of its findings.
    """

    id: str
    source: Source
    severity: Severity
    everywhere: bool
    summary: str


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "single-partition",
            "declarations",
            "warning",
            False,
            "a topic with one partition: no consumer parallelism, and partitions "
            "added later move keyed records",
        ),
        Rule(
            "replication-factor",
            "declarations",
            "error",
            False,
            "replication factor below 3: one broker lost can lose data or availability",
        ),
        Rule(
            "no-fault-tolerance",
            "declarations",
            "error",
            False,
            "replication factor not above min.insync.replicas: one broker down stops "
            "acks=all writes",
        ),
        Rule(
            "min-insync",
            "declarations",
            "error",
            False,
            "min.insync.replicas 1 with 3 or more replicas: acks=all is acknowledged by "
            "a single copy",
        ),
        Rule(
            "compression",
            "declarations",
            "warning",
            False,
            "no compression on the topic nor on any producer writing to it",
        ),
        Rule(
            "unlocked",
            "declarations",
            "warning",
            False,
            "no topics.lock: a misspelt topic name creates a new topic",
        ),
        Rule(
            "auto-create",
            "cluster",
            "error",
            False,
            "brokers create topics on first use (auto.create.topics.enable=true)",
        ),
        Rule(
            "default-partitions",
            "cluster",
            "warning",
            False,
            "auto-created topics get num.partitions=1",
        ),
        Rule(
            "default-replication",
            "cluster",
            "warning",
            False,
            "auto-created topics get default.replication.factor below 3",
        ),
        Rule(
            "auto-created-topics",
            "cluster",
            "warning",
            True,
            "undeclared topics that look auto-created (1 partition, no overrides)",
        ),
        Rule(
            "offsets-retention",
            "cluster",
            "error",
            False,
            "offsets.retention.minutes shorter than the longest a consumer may be down",
        ),
        Rule(
            "eager-assignor",
            "cluster",
            "warning",
            False,
            "a live consumer group uses an eager assignor (range, roundrobin)",
        ),
        Rule(
            "records-from-the-future",
            "cluster",
            "warning",
            True,
            "records whose timestamp is ahead of now: a producer's clock is wrong",
        ),
        Rule(
            "clock-skew",
            "cluster",
            "error",
            True,
            "a broker's clock differs from this machine's (measured with --clock)",
        ),
        Rule(
            "broker-configs-unreadable",
            "cluster",
            "info",
            True,
            "the cluster did not show its broker configs: the rules that need them were skipped",
        ),
        Rule(
            "client-auto-create",
            "clients",
            "error",
            False,
            "a client may create topics (allow.auto.create.topics=true)",
        ),
        Rule(
            "client-assignor",
            "clients",
            "warning",
            False,
            "a consumer's partition.assignment.strategy is not cooperative-sticky",
        ),
        Rule(
            "assignor-change",
            "clients",
            "error",
            False,
            "a consumer's strategy differs from its live group's: a rolling deploy fails",
        ),
        Rule(
            "client-compression",
            "clients",
            "warning",
            False,
            "a producer does not compress, or compresses with another codec than the topic",
        ),
        Rule(
            "metadata-refresh",
            "clients",
            "warning",
            False,
            "topic.metadata.refresh.interval.ms below 60 s: a development value",
        ),
        Rule(
            "codec-unavailable",
            "clients",
            "error",
            True,
            "a codec in use that this machine's librdkafka was built without",
        ),
    )
}

RULE_IDS: tuple[str, ...] = tuple(RULES)

# Rules that need the brokers' own configs (DescribeConfigs on BROKER resources).
BROKER_CONFIG_RULES = (
    "auto-create",
    "default-partitions",
    "default-replication",
    "offsets-retention",
)
