"""What ``ktr doctor`` reads: broker configs, ListOffsets by timestamp, group assignors,
and the LogAppendTime clock probe. Skipped where the broker lacks the feature."""

from __future__ import annotations

import time
import uuid

import pytest
from confluent_kafka import Producer

from reconciler.cluster.admin import ClusterError
from tests.contract.conftest import WAIT, Cluster, Fake, Real

HOUR_MS = 3_600_000


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def produce_at(cluster: Cluster, topic: str, partition: int, timestamp_ms: int) -> None:
    """One record with a producer-chosen (CreateTime) timestamp."""
    if isinstance(cluster, Fake):
        cluster.fake.produce_at(topic, partition, timestamp_ms)
        return
    assert isinstance(cluster, Real)
    producer = Producer({"bootstrap.servers": cluster.bootstrap, "linger.ms": 0})
    producer.produce(topic, b"x", partition=partition, timestamp=timestamp_ms)
    assert producer.flush(WAIT) == 0


def test_broker_configs_report_each_brokers_settings(cluster: Cluster) -> None:
    brokers = cluster.admin.cluster().broker_ids
    try:
        configs = cluster.admin.broker_configs(brokers, timeout=3.0)
    except ClusterError as error:
        pytest.skip(f"the broker does not describe its configs: {error}")
    if not any(configs.values()):
        pytest.skip("the broker describes its configs as empty")
    assert set(configs) == set(brokers)
    for config in configs.values():
        assert config.get("auto.create.topics.enable") in ("true", "false")
        assert config.get("offsets.retention.minutes", "").isdigit()


def test_record_timestamps_from_finds_records_stamped_in_the_future(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name("future"), partitions=2)
    stamp = now_ms() + HOUR_MS
    produce_at(cluster, name, 1, now_ms())
    produce_at(cluster, name, 1, stamp)
    try:
        found = cluster.admin.record_timestamps_from({name: 2}, now_ms() + 5 * 60_000)
    except ClusterError as error:
        pytest.skip(f"the broker does not list offsets by timestamp: {error}")
    assert found == {name: {1: stamp}}


def test_record_timestamps_from_leaves_out_partitions_with_no_later_record(
    cluster: Cluster,
) -> None:
    name = cluster.create(cluster.new_name("past"), partitions=2)
    produce_at(cluster, name, 0, now_ms() - HOUR_MS)
    try:
        found = cluster.admin.record_timestamps_from({name: 2}, now_ms() + 5 * 60_000)
    except ClusterError as error:
        pytest.skip(f"the broker does not list offsets by timestamp: {error}")
    assert found == {}


def test_a_group_reports_the_assignor_its_members_agreed_on(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name("assigned"))
    group = f"ktr-contract-group-{uuid.uuid4().hex[:8]}"
    if isinstance(cluster, Fake):
        cluster.fake.add_consumer_group(group, assigned=[name])
        cluster.fake.set_group_protocol(group, "range")
        [info] = [g for g in cluster.admin.consumer_groups() if g.group_id == group]
        assert (info.assignor, info.protocol) == ("range", "classic")
        return
    with cluster.member(group, name):
        groups = {g.group_id: g for g in cluster.admin.consumer_groups()}
    if group not in groups:
        pytest.skip("the broker does not list a consumer group while it has members")
    info = groups[group]
    if info.member_count == 0 or info.assignor is None:
        pytest.skip("the broker does not describe group members and their assignor")
    # librdkafka's default strategy is range,roundrobin: the group settles on range.
    assert info.assignor == "range"
    assert info.protocol == "classic"


def test_the_clock_probe_reads_the_brokers_own_stamp(cluster: Cluster) -> None:
    name = cluster.create(
        cluster.new_name("clock"), config={"message.timestamp.type": "LogAppendTime"}
    )
    reading = cluster.admin.probe_clock(name)
    assert reading.sent_ms <= reading.acked_ms
    bounds = reading.skew_bounds_ms()
    if bounds is None:
        pytest.skip("the broker does not stamp records on LogAppendTime topics")
    low, high = bounds
    # The broker runs on this machine's clock (or the fake's, which is the same).
    assert low <= 1000 and high >= -1000


def test_the_clock_probe_of_a_create_time_topic_has_no_broker_stamp(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name("createtime"))
    reading = cluster.admin.probe_clock(name)
    assert reading.broker_ms is None
