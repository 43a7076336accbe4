"""Consumer groups, committed offsets and end offsets: the evidence that a topic is in use."""

from __future__ import annotations

import uuid

import pytest

from tests.contract.conftest import Cluster


def new_group() -> str:
    return f"ktr-contract-group-{uuid.uuid4().hex[:8]}"


def test_end_offsets_of_a_new_topic_are_zero(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name(), partitions=2)
    assert cluster.admin.end_offsets([name]) == {name: (0, 0)}


def test_end_offsets_follow_produced_records(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name(), partitions=2)
    cluster.produce(name, partition=1, count=3)
    assert cluster.admin.end_offsets([name]) == {name: (0, 3)}


def test_end_offsets_of_several_topics_come_back_together(cluster: Cluster) -> None:
    a = cluster.create(cluster.new_name())
    b = cluster.create(cluster.new_name())
    cluster.produce(a, partition=0, count=2)
    assert cluster.admin.end_offsets([a, b]) == {a: (2,), b: (0,)}


def test_end_offsets_of_an_unknown_topic_are_left_out(cluster: Cluster) -> None:
    assert cluster.admin.end_offsets([cluster.new_name()]) == {}


def test_committed_offsets_are_reported_by_topic_and_partition(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name(), partitions=2)
    cluster.produce(name, partition=0, count=5)
    group = new_group()
    cluster.commit(group, name, {0: 4})
    assert cluster.admin.committed_offsets([group]) == {group: {name: {0: 4}}}


def test_committed_offsets_of_several_groups(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name())
    cluster.produce(name, partition=0, count=3)
    first, second = new_group(), new_group()
    cluster.commit(first, name, {0: 1})
    cluster.commit(second, name, {0: 3})
    offsets = cluster.admin.committed_offsets([first, second])
    assert offsets == {first: {name: {0: 1}}, second: {name: {0: 3}}}


def test_an_unknown_group_has_no_committed_offsets(cluster: Cluster) -> None:
    group = new_group()
    assert cluster.admin.committed_offsets([group]) == {group: {}}


def test_a_group_with_only_committed_offsets_is_listed_as_empty(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name())
    cluster.produce(name, partition=0, count=1)
    group = new_group()
    cluster.commit(group, name, {0: 1})
    found = {g.group_id: g for g in cluster.admin.consumer_groups()}
    assert group in found
    assert found[group].state == "Empty"
    assert found[group].member_count == 0


def test_a_group_with_an_active_consumer_names_the_topic_it_reads(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name())
    group = new_group()
    with cluster.member(group, name):
        found = {g.group_id: g for g in cluster.admin.consumer_groups()}
    if group in found and found[group].member_count == 0:
        pytest.skip("the broker does not report the members of an active consumer group")
    if group not in found:
        pytest.skip("the broker does not list a consumer group while it has members")
    assert found[group].member_count == 1
    assert found[group].state == "Stable"
    assert name in found[group].assigned_topics
