"""What a principal without some ACLs sees and may do, on the fake and on a
cluster with an authorizer (skipped on brokers without one)."""

from __future__ import annotations

import pytest

from reconciler.cluster.admin import AdminError, ClusterError, NewTopic
from reconciler.model import TopicInfo
from tests.contract.conftest import Restricted, eventually


def denied(error: AdminError | TopicInfo | None, acl: str) -> None:
    assert isinstance(error, AdminError), error
    assert error.code == "TOPIC_AUTHORIZATION_FAILED", error
    assert acl in error.message, error.message


def test_a_listing_leaves_out_topics_the_principal_may_not_describe(
    restricted: Restricted,
) -> None:
    public = restricted.cluster.create(restricted.cluster.new_name())
    private = restricted.cluster.create(restricted.private_name())

    listed = eventually(restricted.reader.topics, lambda t: public in t)

    assert public in listed and private not in listed


def test_asking_by_name_says_not_authorized_whether_or_not_the_topic_exists(
    restricted: Restricted,
) -> None:
    private = restricted.cluster.create(restricted.private_name())
    absent = restricted.private_name()

    described = restricted.reader.describe_topics([private, absent])

    denied(described[private], f"DESCRIBE on topic {private!r}")
    denied(described[absent], f"DESCRIBE on topic {absent!r}")


def test_asking_by_name_describes_a_visible_topic_with_its_id(restricted: Restricted) -> None:
    public = restricted.cluster.create(restricted.cluster.new_name(), partitions=2)

    described = eventually(
        lambda: restricted.reader.describe_topics([public]),
        lambda d: isinstance(d[public], TopicInfo),
    )[public]

    assert isinstance(described, TopicInfo)
    assert described.partition_count == 2 and described.topic_id is not None


def test_a_create_without_create_names_the_acl_and_creates_nothing(
    restricted: Restricted,
) -> None:
    name = restricted.cluster.new_name()

    error = restricted.reader.create_topics([NewTopic(name, 1, 1)])[name]

    denied(error, f"CREATE on topic {name!r}")
    assert name not in restricted.admin.topics()


def test_a_delete_without_delete_names_the_acl_and_deletes_nothing(
    restricted: Restricted,
) -> None:
    name = restricted.cluster.create(restricted.cluster.new_name())
    eventually(restricted.reader.topics, lambda t: name in t)

    denied(restricted.reader.delete_topics([name])[name], f"DELETE on topic {name!r}")
    assert name in restricted.admin.topics()


def test_a_config_change_without_alter_configs_names_the_acl(restricted: Restricted) -> None:
    name = restricted.cluster.create(restricted.cluster.new_name())
    eventually(restricted.reader.topics, lambda t: name in t)

    error = restricted.reader.alter_configs({name: {"retention.ms": "3600000"}})[name]

    denied(error, f"ALTER_CONFIGS on topic {name!r}")


def test_a_partition_increase_without_alter_names_the_acl(restricted: Restricted) -> None:
    name = restricted.cluster.create(restricted.cluster.new_name())
    eventually(restricted.reader.topics, lambda t: name in t)

    denied(restricted.reader.create_partitions({name: 2})[name], f"ALTER on topic {name!r}")


def test_a_principal_that_may_describe_the_cluster_sees_every_group(
    restricted: Restricted,
) -> None:
    assert restricted.reader.sees_every_group()


def test_offsets_of_a_group_it_may_not_describe_cannot_be_read(restricted: Restricted) -> None:
    name = restricted.cluster.create(restricted.cluster.new_name())
    restricted.cluster.produce(name, partition=0, count=1)
    group = restricted.private_name()
    restricted.cluster.commit(group, name, {0: 1})

    with pytest.raises(ClusterError, match="DESCRIBE on group"):
        restricted.reader.committed_offsets([group])
