"""Reading the cluster's actual state."""

from __future__ import annotations

from reconciler.cluster.read import read_cluster_state
from reconciler.model import ConfigSource
from tests.fake_cluster import FakeCluster


def test_state_holds_every_topic_with_its_layout(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("orders", partitions=6, replication_factor=3)
    state = read_cluster_state(fake_cluster)
    orders = state.topics["orders"]
    assert (orders.partitions, orders.replication_factor) == (6, 3)
    assert orders.topic_id is not None
    assert state.cluster_id == "fake-cluster"
    assert state.broker_ids == (1, 2, 3)


def test_internal_topics_are_listed_but_marked_internal(fake_cluster: FakeCluster) -> None:
    state = read_cluster_state(fake_cluster)
    assert state.topics["__consumer_offsets"].internal


def test_configs_are_read_for_every_non_internal_topic_by_default(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("orders", config={"retention.ms": "1000"})
    state = read_cluster_state(fake_cluster)
    entry = state.topics["orders"].config["retention.ms"]
    assert (entry.value, entry.source) == ("1000", ConfigSource.TOPIC)
    assert state.topics["__consumer_offsets"].config == {}


def test_configs_for_limits_config_reads_to_the_named_existing_topics(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("orders", config={"retention.ms": "1000"})
    fake_cluster.add_topic("payments")
    state = read_cluster_state(fake_cluster, configs_for=["orders", "missing"])
    assert state.topics["orders"].overrides == {"retention.ms": "1000"}
    assert state.topics["payments"].config == {}
    assert "missing" not in state.topics


def test_a_read_costs_the_same_number_of_requests_for_ten_or_a_thousand_topics() -> None:
    small, large = FakeCluster(), FakeCluster()
    for i in range(10):
        small.add_topic(f"t{i}")
    for i in range(1000):
        large.add_topic(f"t{i}")
    read_cluster_state(small)
    read_cluster_state(large)
    assert small.request_count() == large.request_count() == 3


def test_no_config_request_when_no_topic_needs_configs(fake_cluster: FakeCluster) -> None:
    read_cluster_state(fake_cluster, configs_for=[])
    assert fake_cluster.requests["topic_configs"] == 0
