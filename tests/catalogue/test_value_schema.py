"""value_schema: JSON Schema fragments that offer editors the values normalise takes."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from reconciler.kafka.catalogue import CATALOGUE, normalise, value_schema


def accepts(key: str, value: object) -> bool:
    return Draft202012Validator(value_schema(key)).is_valid(value)


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_fragment_is_a_valid_schema_whose_default_it_accepts(key: str) -> None:
    schema = value_schema(key)
    Draft202012Validator.check_schema(schema)
    assert accepts(key, schema["default"])


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("retention.ms", "7d"),
        ("retention.ms", -1),
        ("retention.ms", 86400000),
        ("local.retention.ms", -2),
        ("segment.bytes", "512MiB"),
        ("min.insync.replicas", 2),
        ("min.cleanable.dirty.ratio", 0.5),
        ("preallocate", True),
        ("cleanup.policy", "compact,delete"),
        ("cleanup.policy", ["delete", "compact"]),
        ("message.timestamp.type", "LogAppendTime"),
        ("leader.replication.throttled.replicas", "0:101,1:102"),
        ("leader.replication.throttled.replicas", "*"),
    ],
)
def test_values_normalise_takes_are_accepted(key: str, value: object) -> None:
    normalise(key, value)
    assert accepts(key, value)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("retention.ms", "7x"),
        ("retention.ms", -5),
        ("retention.ms", True),
        ("segment.bytes", "512MB"),
        ("segment.bytes", 2**31),
        ("min.insync.replicas", 0),
        ("min.cleanable.dirty.ratio", 2),
        ("preallocate", "yes"),
        ("cleanup.policy", "compakt"),
        ("message.timestamp.type", "Create"),
        ("leader.replication.throttled.replicas", "0-101"),
    ],
)
def test_values_normalise_refuses_are_refused(key: str, value: object) -> None:
    assert not accepts(key, value)


def test_keys_removed_from_kafka_are_marked_deprecated() -> None:
    assert value_schema("message.format.version")["deprecated"] is True
    assert "deprecated" not in value_schema("retention.ms")


def test_the_description_says_what_is_accepted_and_since_when() -> None:
    description = str(value_schema("compression.zstd.level")["description"])
    assert "Kafka 3.8+" in description
    assert "from -131072 to 22" in description
