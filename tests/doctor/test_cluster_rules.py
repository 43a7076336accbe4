"""Cluster rules, against the in-process fake cluster (which starts with Kafka's defaults)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from reconciler.cluster.admin import ClusterError
from tests.doctor.support import (
    client_file,
    declare,
    doctor,
    fired,
    healthy,
    settings_file,
    skipped,
)
from tests.fake_cluster import FakeCluster

Capsys = pytest.CaptureFixture[str]


@pytest.fixture
def topics(tmp_path: Path, fake: FakeCluster) -> Path:
    """Declared and present on the cluster: orders (6 partitions)."""
    fake.add_topic("orders", 6, 3, {"compression.type": "zstd", "min.insync.replicas": "2"})
    return declare(tmp_path / "topics", {"orders": healthy()})


def check(capsys: Capsys, topics: Path, *args: str, env: str = "production") -> dict[str, object]:
    _, report = doctor(capsys, str(topics), "--env", env, "-b", "fake:9092", *args)
    return report


def safe_brokers(fake: FakeCluster) -> None:
    fake.set_broker_config("auto.create.topics.enable", "false")


def now_ms() -> int:
    return time.time_ns() // 1_000_000


# ----------------------------------------------------------- broker configs


def test_auto_create_fires_on_kafkas_default(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    [finding] = fired(check(capsys, topics), "auto-create")
    assert "every broker" in finding["message"]
    assert finding["severity"] == "error"


def test_auto_create_names_the_one_broker_that_has_it_on(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    safe_brokers(fake)
    fake.set_broker_config("auto.create.topics.enable", "true", broker=2)
    [finding] = fired(check(capsys, topics), "auto-create")
    assert "broker 2" in finding["message"]


def test_auto_create_is_silent_when_off(capsys: Capsys, topics: Path, fake: FakeCluster) -> None:
    safe_brokers(fake)
    assert fired(check(capsys, topics), "auto-create") == []


def test_default_partitions_fires_with_one_partition_and_auto_create(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    assert fired(check(capsys, topics), "default-partitions") != []


def test_default_partitions_is_silent_with_more_partitions(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    fake.set_broker_config("num.partitions", "6")
    assert fired(check(capsys, topics), "default-partitions") == []


def test_default_partitions_is_silent_without_auto_create(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    safe_brokers(fake)
    assert fired(check(capsys, topics), "default-partitions") == []


def test_default_replication_fires_below_three_with_auto_create(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    [finding] = fired(check(capsys, topics), "default-replication")
    assert "default.replication.factor is 1" in finding["message"]


def test_default_replication_is_silent_at_three(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    fake.set_broker_config("default.replication.factor", "3")
    assert fired(check(capsys, topics), "default-replication") == []


def test_default_replication_is_silent_without_auto_create(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    safe_brokers(fake)
    assert fired(check(capsys, topics), "default-replication") == []


def test_offsets_retention_fires_below_seven_days_by_default(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    fake.set_broker_config("offsets.retention.minutes", "1440")
    [finding] = fired(check(capsys, topics), "offsets-retention")
    assert "(1d)" in finding["message"] and "7 days" in finding["message"]
    assert "offsets.retention.minutes=10080" in finding["fix"]


def test_offsets_retention_is_silent_at_kafkas_default(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    assert fired(check(capsys, topics), "offsets-retention") == []


def test_offsets_retention_compares_with_the_declared_downtime(
    capsys: Capsys, topics: Path, fake: FakeCluster, tmp_path: Path
) -> None:
    settings = settings_file(
        tmp_path, {"environments": {"production": {"max_consumer_downtime": "14d"}}}
    )
    [finding] = fired(check(capsys, topics, "--settings", str(settings)), "offsets-retention")
    assert "max_consumer_downtime (2w)" in finding["message"]
    assert "offsets.retention.minutes=20160" in finding["fix"]


def test_unreadable_broker_configs_are_said_once_and_skip_their_rules(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    fake.inject("broker_configs", ClusterError("CLUSTER_AUTHORIZATION_FAILED: denied"))
    result, report = doctor(capsys, str(topics), "--env", "production", "-b", "fake:9092")
    [note] = fired(report, "broker-configs-unreadable")
    assert note["severity"] == "info"
    assert "denied" in note["message"]
    for rule in ("auto-create", "default-partitions", "default-replication", "offsets-retention"):
        assert rule in skipped(report)
    assert result.code == 0


def test_broker_configs_are_not_read_when_no_rule_needs_them(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    check(capsys, topics, env="development")
    assert fake.requests["broker_configs"] == 0


# ------------------------------------------------------------ topics, groups


def test_auto_created_topics_fires_on_an_undeclared_one_partition_topic(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    fake.add_topic("ordres", 1, 1)
    fake.add_consumer_group("billing", assigned=["ordres"])
    [finding] = fired(check(capsys, topics, env="development"), "auto-created-topics")
    assert finding["topic"] == "ordres"
    assert "read by group billing" in finding["message"]


@pytest.mark.parametrize(
    ("partitions", "config"),
    [(3, None), (1, {"retention.ms": "3600000"})],
    ids=["several partitions", "with overrides"],
)
def test_auto_created_topics_is_silent_on_a_deliberate_topic(
    capsys: Capsys,
    topics: Path,
    fake: FakeCluster,
    partitions: int,
    config: dict[str, str] | None,
) -> None:
    fake.add_topic("reports", partitions, 1, config)
    assert fired(check(capsys, topics), "auto-created-topics") == []


def test_auto_created_topics_ignores_declared_and_internal_topics(
    capsys: Capsys, tmp_path: Path, fake: FakeCluster
) -> None:
    fake.add_topic("single", 1, 3)
    fake.add_topic("_schemas", 1, 3)
    topics = declare(tmp_path / "t", {"single": healthy(partitions=1)})
    assert fired(check(capsys, topics), "auto-created-topics") == []


def test_unreadable_topic_configs_skip_auto_created_topics(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    fake.add_topic("ordres", 1, 1)
    fake.inject("topic_configs", ClusterError("TOPIC_AUTHORIZATION_FAILED: denied"))
    result, report = doctor(capsys, str(topics), "--env", "development", "-b", "fake:9092")
    assert fired(report, "auto-created-topics") == []
    assert "denied" in skipped(report)["auto-created-topics"]
    assert result.code == 0


def test_a_cluster_that_hides_group_members_skips_the_group_rules(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    fake.add_consumer_group("billing", state="Stable")  # Stable, yet no members shown
    report = check(capsys, topics)
    assert "members" in skipped(report)["eager-assignor"]
    assert "members" in skipped(report)["assignor-change"]


def test_eager_assignor_fires_on_a_group_of_a_declared_topic(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    fake.add_consumer_group("billing", assigned=["orders"])
    fake.set_group_protocol("billing", "range")
    [finding] = fired(check(capsys, topics), "eager-assignor")
    assert (finding["group"], finding["topic"]) == ("billing", "orders")


@pytest.mark.parametrize(
    ("assignor", "protocol"),
    [("cooperative-sticky", "classic"), ("uniform", "consumer"), (None, "classic")],
)
def test_eager_assignor_is_silent_on_incremental_assignment(
    capsys: Capsys, topics: Path, fake: FakeCluster, assignor: str | None, protocol: str
) -> None:
    fake.add_consumer_group("billing", assigned=["orders"])
    fake.set_group_protocol("billing", assignor, protocol)
    assert fired(check(capsys, topics), "eager-assignor") == []


def test_eager_assignor_ignores_groups_of_undeclared_topics(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    fake.add_topic("other", 3, 3)
    fake.add_consumer_group("elsewhere", assigned=["other"])
    fake.set_group_protocol("elsewhere", "roundrobin")
    assert fired(check(capsys, topics), "eager-assignor") == []


def test_assignor_change_fires_when_the_file_and_the_live_group_disagree(
    capsys: Capsys, topics: Path, fake: FakeCluster, tmp_path: Path
) -> None:
    fake.add_consumer_group("billing", assigned=["orders"])
    fake.set_group_protocol("billing", "range")
    client = client_file(
        tmp_path,
        "billing.properties",
        "group.id=billing\npartition.assignment.strategy=cooperative-sticky\n",
    )
    [finding] = fired(check(capsys, topics, "--client", str(client)), "assignor-change")
    assert finding["group"] == "billing"
    assert (finding["file"], finding["line"]) == (str(client), 2)
    assert "Inconsistent group protocol" in finding["message"]
    assert "stop every consumer" in finding["fix"]


def test_assignor_change_is_silent_when_the_file_offers_the_live_assignor(
    capsys: Capsys, topics: Path, fake: FakeCluster, tmp_path: Path
) -> None:
    fake.add_consumer_group("billing", assigned=["orders"])
    fake.set_group_protocol("billing", "cooperative-sticky")
    client = client_file(
        tmp_path,
        "billing.properties",
        "group.id=billing\npartition.assignment.strategy=cooperative-sticky\n",
    )
    assert fired(check(capsys, topics, "--client", str(client)), "assignor-change") == []


def test_unreadable_groups_skip_the_group_rules(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    fake.inject("consumer_groups", ClusterError("cannot list every consumer group"))
    result, report = doctor(capsys, str(topics), "--env", "production", "-b", "fake:9092")
    assert {"eager-assignor", "assignor-change"} <= skipped(report).keys()
    assert result.code == 2  # the other rules still ran: auto-create fired


# ------------------------------------------------------------------- clocks


def test_records_from_the_future_fires_beyond_the_tolerance(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    fake.produce_at("orders", 4, now_ms() + 2 * 3_600_000)
    [finding] = fired(check(capsys, topics, env="development"), "records-from-the-future")
    assert finding["topic"] == "orders"
    assert "in partition 4:" in finding["message"]
    assert "2.0 h ahead" in finding["message"]


def test_records_from_the_future_is_silent_within_the_tolerance(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    fake.produce_at("orders", 0, now_ms() + 60_000)
    fake.produce_at("orders", 1, now_ms() - 3_600_000)
    assert fired(check(capsys, topics), "records-from-the-future") == []


def test_records_from_the_future_takes_the_tolerance_from_settings(
    capsys: Capsys, topics: Path, fake: FakeCluster, tmp_path: Path
) -> None:
    settings = settings_file(
        tmp_path, {"environments": {"production": {"future_tolerance": "10s"}}}
    )
    fake.produce_at("orders", 0, now_ms() + 60_000)
    report = check(capsys, topics, "--settings", str(settings))
    assert fired(report, "records-from-the-future") != []


def test_records_from_the_future_asks_once_for_every_partition(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    check(capsys, topics)
    assert fake.requests["record_timestamps_from"] == 1


def test_clock_skew_is_only_measured_when_asked(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    report = check(capsys, topics)
    assert "--clock" in skipped(report)["clock-skew"]
    assert fake.clock_records() == []
    assert fake.requests["create_topics"] == 0


def test_clock_skew_fires_when_the_broker_clock_is_ahead(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    fake.skew_broker_clock(30_000)
    [finding] = fired(check(capsys, topics, "--clock", env="development"), "clock-skew")
    assert "ahead of this machine's" in finding["message"]
    assert fake.clock_records() == ["_ktr.clock"]


def test_clock_skew_fires_when_the_broker_clock_is_behind(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    fake.skew_broker_clock(-30_000)
    [finding] = fired(check(capsys, topics, "--clock"), "clock-skew")
    assert "behind" in finding["message"]


def test_clock_skew_is_silent_on_synchronised_clocks(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    report = check(capsys, topics, "--clock")
    assert fired(report, "clock-skew") == []
    assert "clock-skew" not in skipped(report)


def test_the_clock_topic_is_created_with_log_append_time(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    check(capsys, topics, "--clock")
    assert fake.config_overrides("_ktr.clock")["message.timestamp.type"] == "LogAppendTime"


def test_a_broker_that_does_not_stamp_the_record_skips_clock_skew(
    capsys: Capsys, topics: Path, fake: FakeCluster
) -> None:
    fake.ignore_log_append_time()
    report = check(capsys, topics, "--clock")
    assert "LogAppendTime" in skipped(report)["clock-skew"]
    assert fired(report, "clock-skew") == []


# ------------------------------------------------- declarations, with the brokers


def test_min_insync_counts_the_brokers_value_for_a_topic_that_declares_none(
    capsys: Capsys, tmp_path: Path, fake: FakeCluster
) -> None:
    fake.set_broker_config("min.insync.replicas", "2")
    topics = declare(tmp_path / "t", {"orders": healthy(config={"compression.type": "zstd"})})
    assert fired(check(capsys, topics), "min-insync") == []


def test_no_fault_tolerance_counts_the_brokers_value(
    capsys: Capsys, tmp_path: Path, fake: FakeCluster
) -> None:
    fake.set_broker_config("min.insync.replicas", "3")
    topics = declare(tmp_path / "t", {"orders": healthy(config={"compression.type": "zstd"})})
    [finding] = fired(check(capsys, topics), "no-fault-tolerance")
    assert "inherited from the brokers" in finding["message"]


def test_clock_bounds_come_from_the_send_and_the_acknowledgement() -> None:
    from reconciler.cluster.admin import ClockReading

    reading = ClockReading(sent_ms=1_000, acked_ms=1_040, broker_ms=6_020)
    assert reading.skew_bounds_ms() == (4_980, 5_020)
    assert ClockReading(sent_ms=1, acked_ms=2, broker_ms=None).skew_bounds_ms() is None
