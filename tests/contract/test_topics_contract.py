"""Creating, listing, growing and deleting topics."""

from __future__ import annotations

import pytest

from reconciler.cluster.admin import AdminError, NewTopic
from tests.contract.conftest import Cluster, eventually, skip_if_lax, skip_if_unsupported


def test_cluster_reports_an_id_and_its_brokers(cluster: Cluster) -> None:
    info = cluster.admin.cluster()
    assert info.cluster_id
    assert info.broker_ids
    assert list(info.broker_ids) == sorted(set(info.broker_ids))


def test_created_topic_is_listed_with_its_layout(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name(), partitions=3)
    topic = eventually(cluster.admin.topics, lambda t: name in t)[name]
    assert topic.partition_count == 3
    assert topic.replication_factor == 1
    assert [p.id for p in topic.partitions] == [0, 1, 2]
    assert not topic.internal


def test_created_topic_has_a_topic_id(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name())
    topic = eventually(cluster.admin.topics, lambda t: name in t)[name]
    assert topic.topic_id


def test_created_partitions_have_a_leader_among_their_replicas(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name(), partitions=2)
    topic = eventually(
        cluster.admin.topics,
        lambda t: name in t and all(p.leader is not None for p in t[name].partitions),
    )[name]
    brokers = set(cluster.admin.cluster().broker_ids)
    for partition in topic.partitions:
        assert partition.leader in partition.replicas
        assert set(partition.replicas) <= brokers


def test_one_create_request_answers_for_every_topic(cluster: Cluster) -> None:
    names = [cluster.new_name() for _ in range(3)]
    outcome = cluster.admin.create_topics([NewTopic(n, 1, 1) for n in names])
    cluster.forget(*names)
    assert outcome == dict.fromkeys(names)
    listed = eventually(cluster.admin.topics, lambda t: set(names) <= set(t))
    assert set(names) <= set(listed)


def test_creating_an_existing_topic_gives_topic_already_exists(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name())
    error = cluster.admin.create_topics([NewTopic(name, 1, 1)])[name]
    assert error is not None
    assert error.code == "TOPIC_ALREADY_EXISTS"
    assert not error.ambiguous


def test_a_failed_topic_does_not_stop_the_others_in_the_same_request(cluster: Cluster) -> None:
    existing = cluster.create(cluster.new_name())
    fresh = cluster.new_name()
    outcome = cluster.admin.create_topics([NewTopic(existing, 1, 1), NewTopic(fresh, 1, 1)])
    cluster.forget(fresh)
    assert outcome[fresh] is None
    assert outcome[existing] is not None
    assert fresh in eventually(cluster.admin.topics, lambda t: fresh in t)


def test_a_name_given_twice_in_one_request_is_refused_and_not_created(cluster: Cluster) -> None:
    name = cluster.new_name()
    outcome = cluster.admin.create_topics([NewTopic(name, 1, 1), NewTopic(name, 2, 1)])
    cluster.forget(name)
    error = outcome[name]
    assert error is not None
    assert error.code == "INVALID_REQUEST"
    assert name not in cluster.admin.topics()


def test_validate_only_create_creates_nothing(cluster: Cluster) -> None:
    name = cluster.new_name()
    outcome = cluster.admin.create_topics([NewTopic(name, 1, 1)], validate_only=True)
    assert outcome == {name: None}
    if name in cluster.admin.topics():
        cluster.forget(name)
        pytest.skip("the broker ignores validate_only: it created the topic")
    assert name not in cluster.admin.topics()


def test_validate_only_create_still_reports_errors(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name())
    error = cluster.admin.create_topics([NewTopic(name, 1, 1)], validate_only=True)[name]
    assert error is not None
    assert error.code == "TOPIC_ALREADY_EXISTS"


def test_illegal_topic_name_is_refused_with_topic_exception(cluster: Cluster) -> None:
    name = "bad name!"
    error = cluster.admin.create_topics([NewTopic(name, 1, 1)])[name]
    skip_if_lax(cluster, name, error, "topic names use only [a-zA-Z0-9._-]")
    assert error is not None
    assert error.code == "TOPIC_EXCEPTION"


def test_zero_partitions_is_refused_with_invalid_partitions(cluster: Cluster) -> None:
    name = cluster.new_name()
    error = cluster.admin.create_topics([NewTopic(name, 0, 1)])[name]
    skip_if_lax(cluster, name, error, "a topic has at least one partition")
    assert error is not None
    assert error.code == "INVALID_PARTITIONS"


def test_replication_factor_above_the_broker_count_is_refused(cluster: Cluster) -> None:
    name = cluster.new_name()
    too_many = len(cluster.admin.cluster().broker_ids) + 1
    error = cluster.admin.create_topics([NewTopic(name, 1, too_many)])[name]
    skip_if_lax(cluster, name, error, "replication factor <= number of brokers")
    assert error is not None
    assert error.code == "INVALID_REPLICATION_FACTOR"


def test_unknown_config_key_at_create_is_refused_with_invalid_config(cluster: Cluster) -> None:
    name = cluster.new_name()
    error = cluster.admin.create_topics([NewTopic(name, 1, 1, {"retention.msx": "1"})])[name]
    skip_if_lax(cluster, name, error, "unknown topic config names are refused")
    assert error is not None
    assert error.code == "INVALID_CONFIG"


def test_deleted_topic_is_no_longer_listed(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name())
    assert cluster.admin.delete_topics([name]) == {name: None}
    assert name not in eventually(cluster.admin.topics, lambda t: name not in t)


def test_deleting_an_unknown_topic_gives_unknown_topic_or_part(cluster: Cluster) -> None:
    name = cluster.new_name()
    error = cluster.admin.delete_topics([name])[name]
    assert error is not None
    assert error.code == "UNKNOWN_TOPIC_OR_PART"


def test_a_deleted_name_can_be_created_again_with_a_new_topic_id(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name())
    first = eventually(cluster.admin.topics, lambda t: name in t)[name].topic_id
    cluster.admin.delete_topics([name])
    eventually(cluster.admin.topics, lambda t: name not in t)
    cluster.create(name)
    second = eventually(cluster.admin.topics, lambda t: name in t)[name].topic_id
    assert second != first


def test_partitions_can_be_added(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name(), partitions=1)
    error = cluster.admin.create_partitions({name: 3})[name]
    skip_if_unsupported(error, "CreatePartitions")
    assert error is None
    topic = eventually(cluster.admin.topics, lambda t: t[name].partition_count == 3)[name]
    assert topic.partition_count == 3


def test_partition_count_cannot_stay_or_shrink(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name(), partitions=2)
    same = cluster.admin.create_partitions({name: 2})[name]
    skip_if_unsupported(same, "CreatePartitions")
    shrink = cluster.admin.create_partitions({name: 1})[name]
    assert same is not None and same.code == "INVALID_PARTITIONS"
    assert shrink is not None and shrink.code == "INVALID_PARTITIONS"
    assert cluster.admin.topics()[name].partition_count == 2


def test_adding_partitions_to_an_unknown_topic_gives_unknown_topic_or_part(
    cluster: Cluster,
) -> None:
    name = cluster.new_name()
    error = cluster.admin.create_partitions({name: 2})[name]
    skip_if_unsupported(error, "CreatePartitions")
    assert error is not None
    assert error.code == "UNKNOWN_TOPIC_OR_PART"


def test_validate_only_partition_increase_changes_nothing(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name(), partitions=1)
    error = cluster.admin.create_partitions({name: 4}, validate_only=True)[name]
    skip_if_unsupported(error, "CreatePartitions")
    assert error is None
    assert cluster.admin.topics()[name].partition_count == 1


def test_internal_topics_are_marked_internal(cluster: Cluster) -> None:
    internal = {n for n, t in cluster.admin.topics().items() if t.internal}
    assert internal <= {"__consumer_offsets", "__transaction_state", "__share_group_state"}


def test_internal_topics_are_marked_internal_without_ids(cluster: Cluster) -> None:
    with_ids = {n for n, t in cluster.admin.topics().items() if t.internal}
    without_ids = {n for n, t in cluster.admin.topics(ids_for=()).items() if t.internal}
    assert without_ids == with_ids


def test_a_topic_named_in_ids_for_comes_with_its_topic_id(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name(), partitions=2)
    full = eventually(cluster.admin.topics, lambda t: name in t)[name]
    topic = cluster.admin.topics(ids_for=[name])[name]
    assert topic.topic_id is not None
    assert topic.topic_id == full.topic_id
    assert topic.partitions == full.partitions


def test_topics_without_ids_still_lists_every_topic_with_its_layout(cluster: Cluster) -> None:
    named, other = cluster.create(cluster.new_name(), 2), cluster.create(cluster.new_name(), 3)
    eventually(cluster.admin.topics, lambda t: {named, other} <= set(t))
    listed = cluster.admin.topics(ids_for=[named])
    assert (listed[named].partition_count, listed[other].partition_count) == (2, 3)
    assert not listed[other].internal
    assert [p.id for p in listed[other].partitions] == [0, 1, 2]


def test_asking_for_the_id_of_a_missing_topic_neither_lists_nor_creates_it(
    cluster: Cluster,
) -> None:
    name = cluster.new_name()
    assert name not in cluster.admin.topics(ids_for=[name])
    assert name not in cluster.admin.topics()


def test_invalid_config_value_at_create_is_refused_with_invalid_config(cluster: Cluster) -> None:
    name = cluster.new_name()
    error = cluster.admin.create_topics([NewTopic(name, 1, 1, {"retention.ms": "a week"})])[name]
    skip_if_lax(cluster, name, error, "config values must parse as their type")
    assert error is not None
    assert error.code == "INVALID_CONFIG"
    assert name not in cluster.admin.topics()


def test_describing_by_name_gives_the_layout_and_id_the_listing_gives(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name(), partitions=2)
    listed = eventually(lambda: cluster.admin.topics(ids_for=[name]), lambda t: name in t)[name]

    described = cluster.admin.describe_topics([name])[name]

    assert described == listed


def test_describing_an_absent_topic_by_name_gives_unknown_topic_or_part(cluster: Cluster) -> None:
    name = cluster.new_name()
    error = cluster.admin.describe_topics([name])[name]
    assert isinstance(error, AdminError) and error.code == "UNKNOWN_TOPIC_OR_PART"
    assert name not in cluster.admin.topics()  # asking never creates it


def test_a_principal_allowed_to_describe_the_cluster_sees_every_group(cluster: Cluster) -> None:
    # The contract suite's own principal: no authorizer, or a super user.
    assert cluster.admin.sees_every_group()
