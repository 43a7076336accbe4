"""Kafka rules the fake models and a single test broker cannot show: fenced
brokers, the record budget of every write, KIP-848 group states."""

from __future__ import annotations

from reconciler.cluster.admin import NewTopic
from tests.fake_cluster import MAX_RECORDS_PER_REQUEST, FakeCluster


def test_a_fenced_broker_is_not_live_but_still_registered(fake_cluster: FakeCluster) -> None:
    fake_cluster.stop_broker(3)

    assert fake_cluster.cluster().broker_ids == (1, 2)
    result = fake_cluster.create_topics([NewTopic("orders", 2, 3)])

    assert result == {"orders": None}  # RF 3 of 3 registered brokers: accepted


def test_a_topic_created_while_a_broker_is_down_is_under_replicated(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.stop_broker(3)
    fake_cluster.create_topics([NewTopic("orders", 3, 3)])

    for partition in fake_cluster.topics()["orders"].partitions:
        assert set(partition.replicas) == {1, 2, 3}
        assert partition.leader in (1, 2)
        assert 3 not in partition.isr


def test_replication_above_the_registered_brokers_is_refused(fake_cluster: FakeCluster) -> None:
    fake_cluster.stop_broker(3)
    error = fake_cluster.create_topics([NewTopic("orders", 1, 4)])["orders"]
    assert error is not None and error.code == "INVALID_REPLICATION_FACTOR"
    assert "only 3 broker(s) are registered" in error.message


def test_a_fenced_broker_answers_no_sighting(fake_cluster: FakeCluster) -> None:
    fake_cluster.stop_broker(2)
    assert {fake_cluster.sighting(["x"]).broker_id for _ in range(6)} == {1, 3}


def test_partition_increases_over_the_record_budget_fail_as_a_whole(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("a")
    fake_cluster.add_topic("b")
    half = MAX_RECORDS_PER_REQUEST // 2

    result = fake_cluster.create_partitions({"a": half + 2, "b": half + 2})  # 10,002 new

    assert {e.code for e in result.values() if e is not None} == {"POLICY_VIOLATION"}
    assert len(result) == 2
    assert all(len(t.partitions) == 1 for t in fake_cluster.topics().values() if not t.internal)


def test_config_changes_over_the_record_budget_fail_as_a_whole(fake_cluster: FakeCluster) -> None:
    names = [f"t{i}" for i in range(MAX_RECORDS_PER_REQUEST // 2 + 1)]
    for name in names:
        fake_cluster.add_topic(name)
    change = {"retention.ms": "1000", "segment.ms": "1000"}

    result = fake_cluster.alter_configs({name: change for name in names})

    assert all(e is not None and e.code == "POLICY_VIOLATION" for e in result.values())
    assert fake_cluster.config_overrides("t0") == {}


def test_deletes_over_the_record_budget_fail_as_a_whole(fake_cluster: FakeCluster) -> None:
    names = [f"t{i}" for i in range(MAX_RECORDS_PER_REQUEST + 1)]
    for name in names:
        fake_cluster.add_topic(name)

    result = fake_cluster.delete_topics(names)

    assert all(e is not None and e.code == "POLICY_VIOLATION" for e in result.values())
    assert "t0" in fake_cluster.topics()


def test_every_config_key_of_a_create_counts_against_the_budget(
    fake_cluster: FakeCluster,
) -> None:
    # 1 topic record + 9,998 partition records + 2 config records = 10,001.
    topic = NewTopic("orders", 9_998, 1, {"retention.ms": "1000", "segment.ms": "1000"})
    error = fake_cluster.create_topics([topic])["orders"]
    assert error is not None and error.code == "POLICY_VIOLATION"
    assert fake_cluster.create_topics([NewTopic("orders", 9_998, 1)]) == {"orders": None}


def test_kip_848_group_states_reach_ktr_as_unknown(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_consumer_group("billing", state="Reconciling", members=2)
    (group,) = fake_cluster.consumer_groups()
    assert group.state == "Unknown"
    assert group.member_count == 2
