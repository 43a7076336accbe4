"""The catalogue's keys: which exist, since when, their defaults, and what an unknown key hints."""

from __future__ import annotations

import pytest

from reconciler.kafka.catalogue import CATALOGUE, default_value, key_problem, normalise

CURRENT_KEYS = [
    "cleanup.policy",
    "compression.type",
    "compression.gzip.level",
    "compression.lz4.level",
    "compression.zstd.level",
    "delete.retention.ms",
    "file.delete.delay.ms",
    "flush.messages",
    "flush.ms",
    "index.interval.bytes",
    "local.retention.bytes",
    "local.retention.ms",
    "max.compaction.lag.ms",
    "max.message.bytes",
    "message.timestamp.after.max.ms",
    "message.timestamp.before.max.ms",
    "message.timestamp.type",
    "min.cleanable.dirty.ratio",
    "min.compaction.lag.ms",
    "min.insync.replicas",
    "preallocate",
    "remote.storage.enable",
    "remote.log.copy.disable",
    "remote.log.delete.on.disable",
    "retention.bytes",
    "retention.ms",
    "segment.bytes",
    "segment.index.bytes",
    "segment.jitter.ms",
    "segment.ms",
    "unclean.leader.election.enable",
]
REMOVED_IN_4_0 = [
    "message.format.version",
    "message.timestamp.difference.max.ms",
    "message.downconversion.enable",
]


@pytest.mark.parametrize("key", CURRENT_KEYS)
def test_current_topic_configs_raise_no_problem(key: str) -> None:
    assert key_problem(key) is None


def test_the_catalogue_holds_every_topic_config_of_kafka_3_7_to_4_4() -> None:
    expected = {
        *CURRENT_KEYS,
        *REMOVED_IN_4_0,
        "leader.replication.throttled.replicas",
        "follower.replication.throttled.replicas",
        "remote.copy.lag.ms",
        "remote.copy.lag.bytes",
        "errors.deadletterqueue.group.enable",
    }
    assert set(CATALOGUE) == expected


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_default_is_a_value_normalise_accepts_unchanged(key: str) -> None:
    default = default_value(key)
    assert default is not None
    assert normalise(key, default) == default


@pytest.mark.parametrize(
    ("key", "default"),
    [
        ("retention.ms", "604800000"),
        ("segment.bytes", "1073741824"),
        ("cleanup.policy", "delete"),
        ("min.cleanable.dirty.ratio", "0.5"),
        ("message.timestamp.after.max.ms", "3600000"),
        ("max.compaction.lag.ms", "9223372036854775807"),
        ("local.retention.ms", "-2"),
        ("leader.replication.throttled.replicas", ""),
    ],
)
def test_defaults_are_the_strings_kafka_4_reports(key: str, default: str) -> None:
    assert default_value(key) == default


def test_the_default_changed_in_4_0_is_recorded_with_the_earlier_value() -> None:
    assert CATALOGUE["message.timestamp.after.max.ms"].earlier_default == (
        "4.0",
        "9223372036854775807",
    )


def test_an_unknown_key_has_no_default() -> None:
    assert default_value("retention.msx") is None


@pytest.mark.parametrize(
    ("key", "since"),
    [
        ("compression.zstd.level", "3.8"),
        ("remote.log.copy.disable", "3.9"),
        ("remote.copy.lag.ms", "4.4"),
        ("retention.ms", None),
    ],
)
def test_keys_record_the_kafka_version_that_added_them(key: str, since: str | None) -> None:
    assert CATALOGUE[key].since == since


@pytest.mark.parametrize(
    ("key", "synonyms"),
    [
        ("retention.ms", ("log.retention.ms", "log.retention.minutes", "log.retention.hours")),
        ("max.message.bytes", ("message.max.bytes",)),
        ("min.cleanable.dirty.ratio", ("log.cleaner.min.cleanable.ratio",)),
        ("remote.storage.enable", ()),
    ],
)
def test_keys_list_their_broker_synonyms_in_priority_order(
    key: str, synonyms: tuple[str, ...]
) -> None:
    assert CATALOGUE[key].synonyms == synonyms


@pytest.mark.parametrize("key", REMOVED_IN_4_0)
def test_keys_removed_in_4_0_are_warnings_saying_what_to_do(key: str) -> None:
    problem = key_problem(key)
    assert problem is not None
    severity, message = problem
    assert severity == "warning"
    assert "4.0" in message
    assert CATALOGUE[key].removed == "4.0"


def test_the_removed_timestamp_difference_key_points_to_its_replacements() -> None:
    problem = key_problem("message.timestamp.difference.max.ms")
    assert problem is not None
    assert "message.timestamp.before.max.ms and message.timestamp.after.max.ms" in problem[1]


@pytest.mark.parametrize(
    "key", ["leader.replication.throttled.replicas", "follower.replication.throttled.replicas"]
)
def test_throttled_replica_lists_warn_that_reassignment_tooling_owns_them(key: str) -> None:
    assert key_problem(key) == (
        "warning",
        f"{key} is set and cleared by reassignment tooling (kafka-reassign-partitions.sh); "
        "declaring it will fight running reassignments",
    )


@pytest.mark.parametrize(
    "key", ["remote.copy.lag.ms", "remote.copy.lag.bytes", "errors.deadletterqueue.group.enable"]
)
def test_keys_new_in_4_4_warn_that_older_brokers_refuse_them(key: str) -> None:
    assert key_problem(key) == (
        "warning",
        f"{key} needs Kafka 4.4 or later; older brokers reject it as unknown "
        "(set kafka_version for the cluster to check it for the Kafka it runs)",
    )


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("retention.msx", "unknown topic config 'retention.msx'; did you mean 'retention.ms'?"),
        ("retension.ms", "unknown topic config 'retension.ms'; did you mean 'retention.ms'?"),
        ("cleanup_policy", "unknown topic config 'cleanup_policy'; did you mean 'cleanup.policy'?"),
        ("Retention.MS", "unknown topic config 'Retention.MS'; did you mean 'retention.ms'?"),
        (
            "min.insync.replica",
            "unknown topic config 'min.insync.replica'; did you mean 'min.insync.replicas'?",
        ),
    ],
)
def test_a_misspelled_key_is_an_error_with_a_suggestion(key: str, message: str) -> None:
    assert key_problem(key) == ("error", message)


@pytest.mark.parametrize(
    ("key", "topic_key"),
    [
        ("log.retention.ms", "retention.ms"),
        ("log.cleanup.policy", "cleanup.policy"),
        ("message.max.bytes", "max.message.bytes"),
        ("log.roll.ms", "segment.ms"),
        ("log.cleaner.min.cleanable.ratio", "min.cleanable.dirty.ratio"),
        ("log.segment.ms", "segment.ms"),
    ],
)
def test_a_broker_setting_name_points_to_the_topic_config(key: str, topic_key: str) -> None:
    assert key_problem(key) == (
        "error",
        f"unknown topic config '{key}': that is a broker setting; "
        f"the topic config is '{topic_key}'",
    )


def test_a_broker_setting_in_hours_also_says_topic_configs_take_milliseconds() -> None:
    problem = key_problem("log.retention.hours")
    assert problem is not None
    assert "the topic config is 'retention.ms' (in milliseconds" in problem[1]


def test_a_topic_key_in_hours_points_to_the_milliseconds_key() -> None:
    assert key_problem("retention.hours") == (
        "error",
        "unknown topic config 'retention.hours': topic configs take milliseconds; "
        "use 'retention.ms' (ktr accepts durations such as 7d)",
    )


def test_a_confluent_key_is_explained() -> None:
    problem = key_problem("confluent.placement.constraints")
    assert problem is not None
    assert problem[0] == "error"
    assert "Confluent Server" in problem[1]


def test_a_key_like_nothing_known_points_to_the_documentation() -> None:
    assert key_problem("colour") == (
        "error",
        "unknown topic config 'colour'; see https://kafka.apache.org/documentation/#topicconfigs",
    )


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_key_has_a_one_line_description(key: str) -> None:
    doc = CATALOGUE[key].doc
    assert doc
    assert "\n" not in doc
