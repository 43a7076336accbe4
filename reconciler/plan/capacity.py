"""Warnings about what a plan asks of the brokers: replicas on brokers that are down or
missing, and more partitions than the cluster can reasonably hold.
"""

from __future__ import annotations

from collections.abc import Sequence

from reconciler.model import ClusterState
from reconciler.plan.model import Action, ActionKind
from reconciler.problems import plural

# Per-broker partition guidance (Jun Rao, "Apache Kafka Supports 200K Partitions
# Per Cluster", Confluent blog, 2018): "we recommend each broker to have up to
# 4,000 partitions and each cluster to have up to 200,000 partitions". A
# broker's partitions are the replicas it hosts, so the per-broker figure is
# partitions times replication factor, spread over the live brokers. KRaft
# clusters hold more, which is why this is a warning and never a refusal.
PARTITIONS_PER_BROKER = 4_000
PARTITIONS_PER_CLUSTER = 200_000


def broker_warnings(
    name: str, replication_factor: int, verb: str, actual: ClusterState
) -> list[str]:
    """Why a topic of ``replication_factor`` will start under-replicated or be rejected."""
    live = set(actual.broker_ids)
    if replication_factor <= len(live):
        return []
    # Kafka accepts a replication factor up to the registered brokers,
    # fenced (down) ones included, and places replicas on those too.
    down = sorted(actual.replica_brokers - live)
    if replication_factor <= len(live) + len(down):
        return [
            f"{name}: {verb} with replication factor {replication_factor}, but only "
            f"{len(live)} of the cluster's {len(live) + len(down)} brokers are live "
            f"(down: {', '.join(map(str, down))}); Kafka places replicas on the brokers "
            "that are down too, so the topic starts under-replicated until they are back"
        ]
    return [
        f"{name}: {verb} with replication factor {replication_factor}, but the cluster "
        f"has {plural(len(live), 'live broker')}"
        + (f" and {len(down)} down" if down else "")
        + "; Kafka will reject it unless more brokers are registered but down"
    ]


def capacity_warnings(actions: Sequence[Action], actual: ClusterState) -> list[str]:
    """Warn when the plan's new partitions take the cluster past the partition guidance."""
    brokers = len(actual.broker_ids)
    added = sum(_replicas_added(action, actual) for action in actions)
    if added <= 0 or brokers == 0:
        return []
    topics = actual.topics.values()
    replicas = added + sum(t.partitions * t.replication_factor for t in topics)
    partitions = sum(t.partitions for t in topics) + sum(
        _partitions_added(action) for action in actions
    )
    per_broker = -(-replicas // brokers)
    if per_broker <= PARTITIONS_PER_BROKER and partitions <= PARTITIONS_PER_CLUSTER:
        return []
    return [
        f"this plan adds {added:,} partition {'replica' if added == 1 else 'replicas'}, "
        f"bringing the cluster to {partitions:,} partitions and {replicas:,} replicas on "
        f"{plural(brokers, 'live broker')} (about {per_broker:,} per broker); the usual "
        f"guidance is at most {PARTITIONS_PER_BROKER:,} per broker and "
        f"{PARTITIONS_PER_CLUSTER:,} partitions per cluster: add brokers, or declare "
        "fewer partitions"
    ]


def _replicas_added(action: Action, actual: ClusterState) -> int:
    rf = action.replication_factor[1]
    if action.kind is ActionKind.ADD_PARTITIONS:
        topic = actual.topics.get(action.topic)
        rf = topic.replication_factor if topic is not None else None
    if action.kind is ActionKind.RECREATE:
        before = (action.partitions[0] or 0) * (action.replication_factor[0] or 0)
        return (action.partitions[1] or 0) * (rf or 0) - before
    return _partitions_added(action) * (rf or 0)


def _partitions_added(action: Action) -> int:
    """Partitions the action adds; deletes run last, so they never make room first."""
    before, after = action.partitions
    if action.kind is ActionKind.DELETE or after is None:
        return 0
    return after - (before or 0)
