"""The catalogue agrees with Kafka's own source, item by item of the 3.7 to 4.4 audit."""

from __future__ import annotations

import inspect
import re

import pytest

from reconciler.kafka import catalogue
from reconciler.kafka.catalogue import (
    CATALOGUE,
    ConfigValueError,
    cross_field_checks,
    default_value,
    key_problem,
    normalise,
    value_problem,
)
from reconciler.kafka.versions import parse_version

TIERED = {"remote.storage.enable": "true"}


def test_every_catalogue_entry_cites_where_in_kafka_it_comes_from() -> None:
    source = inspect.getsource(catalogue)
    entries = re.findall(r"(?m)((?:^    # .*\n)*)^    ConfigKey\(\n        \"([^\"]+)\"", source)
    assert {name for _, name in entries} == set(CATALOGUE)
    uncited = [
        name for cite, name in entries if not (cite.startswith("    # Kafka ") and "@" in cite)
    ]
    assert uncited == []


def test_segment_bytes_below_one_mib_is_accepted_by_kafka_before_4_1() -> None:
    assert normalise("segment.bytes", 100) == "100"
    assert value_problem("segment.bytes", "100", parse_version("4.0")) is None


def test_segment_bytes_below_one_mib_is_an_error_from_4_1() -> None:
    problem = value_problem("segment.bytes", "100", parse_version("4.1"))
    assert problem is not None
    assert problem[0] == "error"
    assert "the minimum since Kafka 4.1" in problem[1]
    assert "runs Kafka 4.1" in problem[1]


def test_segment_bytes_below_one_mib_warns_when_the_target_is_not_known() -> None:
    problem = value_problem("segment.bytes", "100")
    assert problem is not None
    assert problem[0] == "warning"


def test_segment_bytes_below_fourteen_is_refused_by_every_kafka() -> None:
    with pytest.raises(ConfigValueError, match=r"before 4\.1 accepts it from 14"):
        normalise("segment.bytes", 13)


def test_segment_bytes_of_one_mib_is_fine_everywhere() -> None:
    assert value_problem("segment.bytes", "1048576", parse_version("4.4")) is None


@pytest.mark.parametrize("value", [-2, -100, -(2**63)])
def test_retention_bytes_takes_any_long_as_kafka_has_no_validator(value: int) -> None:
    assert normalise("retention.bytes", value) == str(value)


def test_remote_copy_lag_bytes_defaults_to_minus_one_as_kafka_4_4() -> None:
    assert default_value("remote.copy.lag.bytes") == "-1"
    assert normalise("remote.copy.lag.bytes", -1) == "-1"


@pytest.mark.parametrize("key", ["remote.copy.lag.bytes", "remote.copy.lag.ms"])
def test_remote_copy_lag_accepts_minus_one_and_refuses_below(key: str) -> None:
    assert normalise(key, -1) == "-1"
    with pytest.raises(ConfigValueError, match="out of range"):
        normalise(key, -2)


def test_the_share_group_dead_letter_key_of_4_4_is_known() -> None:
    spec = CATALOGUE["errors.deadletterqueue.group.enable"]
    assert (spec.type, spec.default, spec.since) == ("boolean", "false", "4.4")
    assert normalise("errors.deadletterqueue.group.enable", True) == "true"


def test_message_downconversion_enable_says_kafka_4_refuses_it() -> None:
    problem = key_problem("message.downconversion.enable")
    assert problem is not None
    assert "reject it as unknown" in problem[1]
    assert "no-op" not in CATALOGUE["message.downconversion.enable"].doc


@pytest.mark.parametrize("value", ["9.9", "4.0", "3.7-IV5", "3", "0.10.2-IV1"])
def test_message_format_version_refuses_what_kafkas_validator_refuses(value: str) -> None:
    with pytest.raises(ConfigValueError, match="is not a Kafka version"):
        normalise("message.format.version", value)


@pytest.mark.parametrize("value", ["3.0-IV1", "2.8", "0.10.2", "0.10.0-IV1", "3.0.1", "3.9"])
def test_message_format_version_takes_kafkas_version_strings(value: str) -> None:
    assert normalise("message.format.version", value) == value


def severities(config: dict[str, str], target: str | None = None) -> list[tuple[str, str]]:
    version = parse_version(target) if target else None
    return [(key, severity) for key, severity, _ in cross_field_checks(config, 3, version)]


def test_an_empty_cleanup_policy_with_tiered_storage_is_an_error_on_4_1() -> None:
    config = TIERED | {"cleanup.policy": ""}
    assert severities(config, "4.1") == [("cleanup.policy", "error")]


@pytest.mark.parametrize("target", ["3.9", "4.0", "4.2", "4.4"])
def test_an_empty_cleanup_policy_with_tiered_storage_is_fine_elsewhere(target: str) -> None:
    assert severities(TIERED | {"cleanup.policy": ""}, target) == []


def test_an_empty_cleanup_policy_with_tiered_storage_warns_without_a_target() -> None:
    assert severities(TIERED | {"cleanup.policy": ""}) == [("cleanup.policy", "warning")]


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (
            {"remote.copy.lag.ms": "7200000", "local.retention.ms": "3600000"},
            ["remote.copy.lag.ms"],
        ),
        ({"remote.copy.lag.ms": "3600000", "local.retention.ms": "3600000"}, []),
        ({"remote.copy.lag.ms": "700000000", "local.retention.ms": "-2"}, ["remote.copy.lag.ms"]),
        ({"remote.copy.lag.ms": "700000000", "retention.ms": "-1"}, []),
        ({"remote.copy.lag.ms": "-1", "local.retention.ms": "1000"}, []),
        (
            {"remote.copy.lag.bytes": "2048", "local.retention.bytes": "1024"},
            ["remote.copy.lag.bytes"],
        ),
        ({"remote.copy.lag.bytes": "2048", "local.retention.bytes": "-1"}, []),
    ],
)
def test_positive_remote_copy_lag_must_not_exceed_the_local_retention(
    config: dict[str, str], expected: list[str]
) -> None:
    assert [key for key, _ in severities(TIERED | config)] == expected


def test_remote_copy_lag_is_not_checked_without_tiered_storage() -> None:
    assert severities({"remote.copy.lag.ms": "7200000", "local.retention.ms": "3600000"}) == []


def test_min_insync_replicas_above_the_replication_factor_says_it_is_ktrs_own_rule() -> None:
    [(_, _, message)] = cross_field_checks({"min.insync.replicas": "4"}, 3)
    assert "Kafka accepts the topic" in message
