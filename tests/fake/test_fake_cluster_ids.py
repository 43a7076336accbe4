"""The fake's topic ids: only where a caller asked for them."""

from __future__ import annotations

from tests.fake_cluster import FakeCluster


def test_a_topic_outside_ids_for_has_no_id_in_the_fake(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("orders")
    fake_cluster.add_topic("payments")
    topics = fake_cluster.topics(ids_for=["orders"])
    assert topics["orders"].topic_id is not None
    assert topics["payments"].topic_id is None


def test_without_ids_for_every_topic_has_its_id(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("orders")
    assert all(t.topic_id is not None for t in fake_cluster.topics().values())
