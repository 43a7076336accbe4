"""Reading the cluster's actual state."""

from __future__ import annotations

import _thread
import threading
from collections.abc import Collection, Mapping
from typing import Literal

import pytest

from reconciler.cluster.admin import AdminError, ClusterError, ClusterInfo
from reconciler.cluster.read import read_cluster_state
from reconciler.model import ConfigEntry, ConfigSource, TopicInfo
from tests.fake_cluster import READ_ONLY_ACLS, Acl, FakeCluster


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


def test_topic_ids_are_read_for_the_topics_configs_are_read_for_by_default(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("orders")
    fake_cluster.add_topic("payments")
    state = read_cluster_state(fake_cluster, configs_for=["orders"])
    assert state.topics["orders"].topic_id is not None
    assert state.topics["payments"].partitions == 1


def test_ids_for_none_reads_every_topic_id_whatever_the_configs(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("orders")
    fake_cluster.add_topic("payments")
    state = read_cluster_state(fake_cluster, configs_for=["orders"], ids_for=None)
    assert state.topics["payments"].topic_id is not None
    assert state.topics["payments"].config == {}


def test_ids_for_can_name_other_topics_than_configs_for(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("orders")
    fake_cluster.add_topic("payments")
    state = read_cluster_state(fake_cluster, configs_for=[], ids_for=["payments"])
    assert state.topics["payments"].topic_id is not None
    assert state.topics["orders"].topic_id is None


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


@pytest.mark.broker
def test_state_read_from_a_real_broker_holds_layouts_and_configs(fresh_broker: str) -> None:
    from reconciler.cluster.admin import NewTopic
    from reconciler.cluster.kafka import connect

    with connect(fresh_broker) as admin:
        admin.create_topics(
            [NewTopic("orders", 3, 1, {"retention.ms": "3600000"}), NewTopic("audit", 1, 1)]
        )
        before = admin.request_count()
        state = read_cluster_state(admin, configs_for=["orders"])
        requests = admin.request_count() - before
    assert {n: t.partitions for n, t in state.topics.items() if not t.internal} == {
        "orders": 3,
        "audit": 1,
    }
    assert state.topics["orders"].config["retention.ms"].value == "3600000"
    assert state.topics["audit"].config == {}
    assert requests == 3  # list + describe topics, configs; the cluster as connecting saw it


class _ListingWaitsForConfigs(FakeCluster):
    """A cluster whose listing answers only once the configs were asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.configs_asked = threading.Event()

    def topics(self, *, ids_for: Collection[str] | None = None) -> Mapping[str, TopicInfo]:
        assert self.configs_asked.wait(timeout=10), "the configs were not requested meanwhile"
        return super().topics(ids_for=ids_for)

    def topic_configs(self, names: Collection[str]) -> Mapping[str, Mapping[str, ConfigEntry]]:
        self.configs_asked.set()
        return super().topic_configs(names)


def test_configs_of_named_topics_are_requested_without_waiting_for_the_listing() -> None:
    cluster = _ListingWaitsForConfigs()
    cluster.add_topic("orders", config={"retention.ms": "1000"})
    state = read_cluster_state(cluster, configs_for=["orders"])
    assert state.topics["orders"].overrides == {"retention.ms": "1000"}


def test_a_failed_listing_fails_the_read(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("orders")
    fake_cluster.inject("topics", ClusterError("cannot list topics"))
    with pytest.raises(ClusterError, match="cannot list topics"):
        read_cluster_state(fake_cluster, configs_for=["orders"])


class _SlowClusterCall(FakeCluster):
    """A cluster whose cluster() answers only when released, and Ctrl-C comes meanwhile."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.answered = False

    def cluster(self) -> ClusterInfo:
        self.release.wait(timeout=10)
        self.answered = True
        return super().cluster()

    def topics(self, *, ids_for: Collection[str] | None = None) -> Mapping[str, TopicInfo]:
        _thread.interrupt_main()
        return super().topics(ids_for=ids_for)


def test_ctrl_c_during_a_read_does_not_wait_for_answers_still_to_come() -> None:
    cluster = _SlowClusterCall()
    try:
        with pytest.raises(KeyboardInterrupt):
            read_cluster_state(cluster)
        assert not cluster.answered
    finally:
        cluster.release.set()


@pytest.mark.parametrize("ids_for", ["configs_for", ()], ids=["with ids", "without ids"])
def test_declared_topics_the_principal_may_not_describe_are_read_as_unreadable_not_absent(
    fake_cluster: FakeCluster, ids_for: Literal["configs_for"] | tuple[()]
) -> None:
    fake_cluster.add_topic("orders")
    fake_cluster.add_topic("secret")
    reader = fake_cluster.as_principal(
        allow=READ_ONLY_ACLS, deny=[Acl("DESCRIBE", "topic", "secret")]
    )

    state = read_cluster_state(
        reader,
        configs_for=["orders", "secret", "absent"],
        ids_for=ids_for,
        declared=["orders", "secret", "absent"],
    )

    assert "secret" not in state.topics
    assert set(state.unreadable) == {"secret"}
    assert "DESCRIBE on topic 'secret'" in state.unreadable["secret"]


def test_asking_for_declared_names_costs_one_request_whatever_their_number(
    fake_cluster: FakeCluster,
) -> None:
    read_cluster_state(fake_cluster, configs_for=[], declared=[f"t{i}" for i in range(500)])
    assert fake_cluster.requests["describe_topics"] == 1


@pytest.mark.broker
def test_asking_for_declared_names_on_a_real_broker_costs_no_extra_request(
    fresh_broker: str,
) -> None:
    from reconciler.cluster.admin import NewTopic
    from reconciler.cluster.kafka import connect

    with connect(fresh_broker) as admin:
        admin.create_topics([NewTopic("orders", 3, 1)])
        before = admin.request_count()
        state = read_cluster_state(admin, configs_for=["orders"], declared=["orders", "absent"])
        requests = admin.request_count() - before
    assert state.topics["orders"].topic_id is not None
    assert "absent" not in state.topics and state.unreadable == {}
    assert requests == 3  # list, describe by name (with the ids), configs


class _RecordsDescribed(FakeCluster):
    """A cluster that remembers which names each describe_topics call asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.described: list[list[str]] = []

    def describe_topics(self, names: Collection[str]) -> Mapping[str, TopicInfo | AdminError]:
        self.described.append(sorted(names))
        return super().describe_topics(names)


def test_without_ids_only_declared_names_missing_from_the_listing_are_described_by_name() -> None:
    cluster = _RecordsDescribed()
    cluster.add_topic("orders")
    state = read_cluster_state(
        cluster, configs_for=["orders"], ids_for=(), declared=["orders", "absent"]
    )
    assert cluster.described == [["absent"]]
    assert state.topics["orders"].topic_id is None
    assert "absent" not in state.topics and state.unreadable == {}


def test_without_ids_a_cluster_holding_every_declared_topic_is_not_described_by_name(
    fake_cluster: FakeCluster,
) -> None:
    for name in ("orders", "payments"):
        fake_cluster.add_topic(name)
    read_cluster_state(
        fake_cluster, configs_for=["orders"], ids_for=(), declared=["orders", "payments"]
    )
    assert fake_cluster.requests["describe_topics"] == 0
