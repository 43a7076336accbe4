"""cross_field_problems: rules that join several config values and the replication factor."""

from __future__ import annotations

import pytest

from reconciler.kafka.catalogue import cross_field_problems

TIERED = {"remote.storage.enable": "true"}


def keys(config: dict[str, str], replication_factor: int = 3) -> list[str]:
    return [key for key, _ in cross_field_problems(config, replication_factor)]


def test_the_defaults_break_no_rule() -> None:
    assert cross_field_problems({}, 3) == []


def test_min_insync_replicas_above_the_replication_factor_is_a_problem() -> None:
    assert cross_field_problems({"min.insync.replicas": "3"}, 2) == [
        (
            "min.insync.replicas",
            "min.insync.replicas 3 is more than the replication factor 2: "
            "producers using acks=all could never write (Kafka accepts the topic and fails "
            "those writes later; ktr refuses it now)",
        )
    ]


@pytest.mark.parametrize(("min_isr", "replication_factor"), [("2", 3), ("3", 3), ("1", 1)])
def test_min_insync_replicas_up_to_the_replication_factor_is_fine(
    min_isr: str, replication_factor: int
) -> None:
    assert keys({"min.insync.replicas": min_isr}, replication_factor) == []


def test_a_replication_factor_left_to_the_broker_skips_the_replica_rule() -> None:
    assert keys({"min.insync.replicas": "3"}, -1) == []


def test_min_compaction_lag_above_max_compaction_lag_is_a_problem() -> None:
    config = {"min.compaction.lag.ms": "7200000", "max.compaction.lag.ms": "3600000"}
    assert keys(config) == ["min.compaction.lag.ms"]


def test_min_compaction_lag_is_checked_against_the_default_max() -> None:
    assert keys({"min.compaction.lag.ms": "86400000"}) == []
    assert keys({"max.compaction.lag.ms": "1"}) == []


@pytest.mark.parametrize(
    ("config", "problem_keys"),
    [
        ({"local.retention.ms": "86400000", "retention.ms": "604800000"}, []),
        ({"local.retention.ms": "604800000", "retention.ms": "604800000"}, []),
        ({"local.retention.ms": "691200000", "retention.ms": "604800000"}, ["local.retention.ms"]),
        ({"local.retention.ms": "691200000"}, ["local.retention.ms"]),
        ({"local.retention.ms": "-2", "retention.ms": "1"}, []),
        ({"local.retention.ms": "999999999999", "retention.ms": "-1"}, []),
        ({"local.retention.ms": "-1", "retention.ms": "-1"}, []),
        ({"local.retention.ms": "-1", "retention.ms": "604800000"}, ["local.retention.ms"]),
        ({"local.retention.bytes": "2048", "retention.bytes": "1024"}, ["local.retention.bytes"]),
        ({"local.retention.bytes": "2048"}, []),
        ({"local.retention.bytes": "-1", "retention.bytes": "1024"}, ["local.retention.bytes"]),
        ({"local.retention.bytes": "-2", "retention.bytes": "1024"}, []),
    ],
)
def test_with_tiered_storage_local_retention_must_fit_inside_total_retention(
    config: dict[str, str], problem_keys: list[str]
) -> None:
    assert keys(TIERED | config) == problem_keys


@pytest.mark.parametrize(
    "config",
    [
        {"local.retention.ms": "-1"},
        {"local.retention.ms": "691200000", "retention.ms": "604800000"},
        {"local.retention.bytes": "2048", "retention.bytes": "1024"},
        {"remote.log.copy.disable": "true", "local.retention.ms": "86400000"},
    ],
)
def test_without_tiered_storage_kafka_checks_no_local_retention_rule(
    config: dict[str, str],
) -> None:
    # LogConfig@4.1.0:516-522 runs these only when remote.storage.enable=true.
    assert keys(config) == []


@pytest.mark.parametrize("total", ["-2", "-100"])
def test_any_negative_retention_bytes_is_no_size_limit_for_local_retention(total: str) -> None:
    assert keys(TIERED | {"local.retention.bytes": "2048", "retention.bytes": total}) == []


def test_unlimited_local_retention_under_limited_retention_suggests_minus_two() -> None:
    [(_, message)] = cross_field_problems(TIERED | {"local.retention.ms": "-1"}, 3)
    assert "use -2 (same as retention.ms)" in message


@pytest.mark.parametrize("policy", ["compact", "compact,delete"])
def test_remote_storage_refuses_compacted_topics(policy: str) -> None:
    config = {"remote.storage.enable": "true", "cleanup.policy": policy}
    assert keys(config) == ["remote.storage.enable"]


def test_remote_storage_with_no_cleanup_at_all_is_no_error_without_a_target() -> None:
    # 3.7 to 4.0 and 4.2 on accept it; only 4.1 refuses it, so it is a warning.
    assert keys({"remote.storage.enable": "true", "cleanup.policy": ""}) == []


def test_remote_storage_with_the_default_cleanup_policy_is_fine() -> None:
    assert keys({"remote.storage.enable": "true"}) == []


def test_compaction_without_remote_storage_is_fine() -> None:
    assert keys({"remote.storage.enable": "false", "cleanup.policy": "compact"}) == []


@pytest.mark.parametrize(
    ("local", "problem_keys"),
    [("-2", []), ("604800000", []), ("86400000", ["local.retention.ms"])],
)
def test_with_remote_copy_disabled_local_retention_must_equal_retention(
    local: str, problem_keys: list[str]
) -> None:
    config = {
        "remote.storage.enable": "true",
        "remote.log.copy.disable": "true",
        "retention.ms": "604800000",
        "local.retention.ms": local,
    }
    assert keys(config) == problem_keys


def test_every_problem_is_one_line() -> None:
    config = {
        "min.insync.replicas": "4",
        "min.compaction.lag.ms": "2",
        "max.compaction.lag.ms": "1",
        "local.retention.ms": "-1",
        "remote.storage.enable": "true",
        "cleanup.policy": "compact",
    }
    problems = cross_field_problems(config, 3)
    assert len(problems) == 4
    assert all("\n" not in message for _, message in problems)
