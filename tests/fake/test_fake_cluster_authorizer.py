"""The fake's authorizer: what Kafka does for a principal without some ACLs.

The same behaviours run against a cluster with ACLs in the contract suite
(``tests/contract/test_acls_contract.py``) where one is configured.
"""

from __future__ import annotations

import pytest

from reconciler.cluster.admin import ClusterError, NewTopic
from tests.fake_cluster import READ_ONLY_ACLS, WRITE_ACLS, Acl, FakeCluster


@pytest.fixture
def restricted(fake_cluster: FakeCluster) -> FakeCluster:
    """Everything granted except DESCRIBE on topics and groups named private.*."""
    fake_cluster.add_topic("public.orders")
    fake_cluster.add_topic("private.orders")
    fake_cluster.authorize(
        allow=[*READ_ONLY_ACLS, *WRITE_ACLS],
        deny=[Acl("DESCRIBE", "topic", "private.*"), Acl("DESCRIBE", "group", "private.*")],
    )
    return fake_cluster


def test_a_listing_leaves_out_topics_the_principal_may_not_describe(
    restricted: FakeCluster,
) -> None:
    assert "public.orders" in restricted.topics()
    assert "private.orders" not in restricted.topics()


def test_describing_by_name_says_not_authorized_whether_or_not_the_topic_exists(
    restricted: FakeCluster,
) -> None:
    described = restricted.describe_topics(["private.orders", "private.absent"])
    for name in ("private.orders", "private.absent"):
        error = described[name]
        assert not hasattr(error, "partitions")
        assert getattr(error, "code", None) == "TOPIC_AUTHORIZATION_FAILED"
        assert f"DESCRIBE on topic '{name}'" in str(error)


def test_an_allow_is_implied_by_a_stronger_operation(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("orders")
    fake_cluster.authorize(allow=[Acl("ALTER", "topic", "orders")])
    assert "orders" in fake_cluster.topics()


def test_without_acls_for_it_nothing_is_permitted(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("orders")
    fake_cluster.authorize()
    assert fake_cluster.topics() == {}
    assert not fake_cluster.sees_every_group()


@pytest.mark.parametrize(
    ("call", "acl"),
    [
        (lambda f: f.create_topics([NewTopic("new.t", 1, 1)])["new.t"], "CREATE on topic"),
        (lambda f: f.create_partitions({"orders": 2})["orders"], "ALTER on topic"),
        (
            lambda f: f.alter_configs({"orders": {"retention.ms": "1000"}})["orders"],
            "ALTER_CONFIGS on topic",
        ),
        (lambda f: f.delete_topics(["orders"])["orders"], "DELETE on topic"),
    ],
    ids=["create", "partitions", "configs", "delete"],
)
def test_a_write_without_its_acl_fails_naming_the_acl(
    fake_cluster: FakeCluster, call: object, acl: str
) -> None:
    fake_cluster.add_topic("orders")
    fake_cluster.authorize(allow=READ_ONLY_ACLS)

    error = call(fake_cluster)  # type: ignore[operator]

    assert error.code == "TOPIC_AUTHORIZATION_FAILED"
    assert acl in error.message
    assert "orders" in fake_cluster.topics() and "new.t" not in fake_cluster.topics()


def test_creating_an_existing_topic_it_may_not_describe_does_not_leak_that_it_exists(
    restricted: FakeCluster,
) -> None:
    error = restricted.create_topics([NewTopic("private.orders", 1, 1)])["private.orders"]
    assert error is not None and error.code == "TOPIC_AUTHORIZATION_FAILED"


def test_groups_it_may_not_describe_are_left_out_without_describe_on_the_cluster(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_consumer_group("public.billing")
    fake_cluster.add_consumer_group("private.billing")
    fake_cluster.authorize(allow=[Acl("DESCRIBE", "group", "public.*")])

    groups = {g.group_id for g in fake_cluster.consumer_groups()}

    assert groups == {"public.billing"}
    assert not fake_cluster.sees_every_group()


def test_describe_on_the_cluster_lists_every_group(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_consumer_group("billing")
    fake_cluster.authorize(allow=[Acl("DESCRIBE", "cluster"), Acl("DESCRIBE", "group", "billing")])

    assert [g.group_id for g in fake_cluster.consumer_groups()] == ["billing"]
    assert fake_cluster.sees_every_group()


def test_a_listed_group_it_may_not_describe_fails_the_listing(fake_cluster: FakeCluster) -> None:
    # ListGroups shows it (DESCRIBE on the cluster); DescribeGroups refuses it.
    fake_cluster.add_consumer_group("private.billing")
    fake_cluster.authorize(allow=[Acl("DESCRIBE", "cluster")])

    with pytest.raises(ClusterError, match=r"DESCRIBE on group 'private\.billing'"):
        fake_cluster.consumer_groups()


def test_another_principal_sees_the_same_cluster_through_its_own_acls(
    fake_cluster: FakeCluster,
) -> None:
    reader = fake_cluster.as_principal(allow=READ_ONLY_ACLS)

    fake_cluster.create_topics([NewTopic("orders", 1, 1)])

    assert "orders" in reader.topics()
    error = reader.delete_topics(["orders"])["orders"]
    assert error is not None and error.code == "TOPIC_AUTHORIZATION_FAILED"


def test_offsets_of_a_group_it_may_not_describe_cannot_be_read(restricted: FakeCluster) -> None:
    restricted.add_consumer_group("private.billing", offsets={"public.orders": {0: 1}})
    with pytest.raises(ClusterError, match=r"DESCRIBE on group 'private\.billing'"):
        restricted.committed_offsets(["private.billing"])


def test_offsets_for_topics_it_may_not_describe_are_left_out(restricted: FakeCluster) -> None:
    restricted.add_consumer_group(
        "billing", offsets={"public.orders": {0: 1}, "private.orders": {0: 2}}
    )
    assert restricted.committed_offsets(["billing"]) == {"billing": {"public.orders": {0: 1}}}


def test_configs_of_a_topic_without_describe_configs_cannot_be_read(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("orders")
    fake_cluster.authorize(allow=[Acl("DESCRIBE", "topic")])
    with pytest.raises(ClusterError, match="DESCRIBE_CONFIGS on topic 'orders'"):
        fake_cluster.topic_configs(["orders"])
