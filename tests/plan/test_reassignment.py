"""A replication-factor change is refused with a reassignment built from the real layout."""

from __future__ import annotations

from reconciler.cluster.read import read_cluster_state
from reconciler.plan.diff import make_plan
from reconciler.settings import Settings
from tests.fake_cluster import FakeCluster
from tests.states import declared, desired


def test_reading_the_cluster_keeps_each_partitions_replicas(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("orders", partitions=2, replication_factor=2)
    topic = read_cluster_state(fake_cluster).topics["orders"]
    assert len(topic.replica_assignment) == 2
    assert all(len(replicas) == 2 for replicas in topic.replica_assignment)


def test_the_reassignment_keeps_current_replicas_and_adds_one_per_partition(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("orders", partitions=3, replication_factor=2)
    state = read_cluster_state(fake_cluster)
    plan = make_plan(desired(declared("orders", 3, rf=3)), state, Settings())
    (refusal,) = plan.refused
    assert refusal.reassignment is not None
    partitions = refusal.reassignment["partitions"]
    assert isinstance(partitions, list)
    for entry, current in zip(partitions, state.topics["orders"].replica_assignment, strict=True):
        assert entry["replicas"][:2] == list(current)
        assert sorted(entry["replicas"]) == [1, 2, 3]
