"""The fake cluster's test controls: faults, late brokers and request counts.

What it shares with a real broker is specified by the contract suite; these
tests cover only what a real broker cannot be made to do.
"""

from __future__ import annotations

import pytest

from reconciler.cluster.admin import AdminError, ClusterError, NewTopic
from tests.fake_cluster import FakeCluster

TIMED_OUT = AdminError("REQUEST_TIMED_OUT", "timed out", ambiguous=True)


def test_an_injected_error_is_returned_and_the_change_is_not_made(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.inject("create_topics", AdminError("NOT_CONTROLLER", "", retriable=True))

    result = fake_cluster.create_topics([NewTopic("orders", 1, 1)])

    assert result["orders"] is not None and result["orders"].code == "NOT_CONTROLLER"
    assert "orders" not in fake_cluster.topics()


def test_an_applied_fault_makes_the_change_and_still_reports_the_error(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.inject("create_topics", TIMED_OUT, applied=True)

    result = fake_cluster.create_topics([NewTopic("orders", 1, 1)])

    assert result["orders"] == TIMED_OUT
    assert "orders" in fake_cluster.topics()


def test_a_fault_limited_to_some_topics_leaves_the_rest_of_the_batch_alone(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.inject("create_topics", TIMED_OUT, topics=["b"])

    result = fake_cluster.create_topics([NewTopic("a", 1, 1), NewTopic("b", 1, 1)])

    assert result == {"a": None, "b": TIMED_OUT}
    assert set(fake_cluster.topics()) >= {"a"} and "b" not in fake_cluster.topics()


def test_an_injected_cluster_error_fails_the_whole_call(fake_cluster: FakeCluster) -> None:
    fake_cluster.inject("delete_topics", ClusterError("connection dropped", ambiguous=True))
    fake_cluster.add_topic("orders")

    with pytest.raises(ClusterError) as raised:
        fake_cluster.delete_topics(["orders"])

    assert raised.value.ambiguous
    assert "orders" in fake_cluster.topics()


def test_an_applied_cluster_error_loses_only_the_answer(fake_cluster: FakeCluster) -> None:
    fake_cluster.inject("delete_topics", ClusterError("dropped", ambiguous=True), applied=True)
    fake_cluster.add_topic("orders")

    with pytest.raises(ClusterError):
        fake_cluster.delete_topics(["orders"])

    assert "orders" not in fake_cluster.topics()


def test_faults_expire_after_the_given_number_of_calls(fake_cluster: FakeCluster) -> None:
    fake_cluster.inject("create_topics", TIMED_OUT, times=2)

    outcomes = [fake_cluster.create_topics([NewTopic("t", 1, 1)])["t"] for _ in range(3)]

    assert outcomes == [TIMED_OUT, TIMED_OUT, None]


def test_a_lagging_broker_reports_a_new_topic_only_after_some_sightings() -> None:
    cluster = FakeCluster(brokers=(1, 2))
    cluster.lag_broker(2, calls=2)
    cluster.create_topics([NewTopic("orders", 3, 1)])

    views = [cluster.sighting(["orders"]) for _ in range(4)]

    seen = [(s.broker_id, s.topics["orders"]) for s in views]
    assert seen == [(1, 3), (2, None), (1, 3), (2, 3)]


def test_a_lagging_broker_still_reports_a_deleted_topic_for_a_while() -> None:
    cluster = FakeCluster(brokers=(1, 2))
    cluster.add_topic("orders")
    cluster.lag_broker(2, calls=1)
    cluster.delete_topics(["orders"])

    first, second = cluster.sighting(["orders"]), cluster.sighting(["orders"])

    assert (first.broker_id, first.topics["orders"]) == (1, None)
    assert (second.broker_id, second.topics["orders"]) == (2, None)


def test_requests_are_counted_per_method(fake_cluster: FakeCluster) -> None:
    fake_cluster.topics()
    fake_cluster.topic_configs(["a", "b", "c"])
    fake_cluster.committed_offsets(["g1", "g2"])

    assert fake_cluster.requests == {"topics": 1, "topic_configs": 1, "committed_offsets": 2}


def test_a_live_producer_moves_end_offsets_between_reads(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("orders", partitions=2)
    fake_cluster.keep_writing("orders")

    first = fake_cluster.end_offsets(["orders"])["orders"]
    second = fake_cluster.end_offsets(["orders"])["orders"]

    assert first != second
