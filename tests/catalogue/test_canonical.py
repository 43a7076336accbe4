"""canonical: values Kafka treats as equal compare equal, whoever wrote them."""

from __future__ import annotations

import pytest

from reconciler.kafka.catalogue import canonical


@pytest.mark.parametrize(
    ("key", "declared", "reported"),
    [
        ("cleanup.policy", "compact,delete", "delete,compact"),
        ("cleanup.policy", "compact,delete", "delete, compact"),
        ("min.cleanable.dirty.ratio", "0.5", "0.50"),
        ("min.cleanable.dirty.ratio", "1.0", "1"),
        ("preallocate", "true", "TRUE"),
        ("leader.replication.throttled.replicas", "0:101,1:102", "1:102,0:101"),
        ("retention.ms", "604800000", " 604800000 "),
    ],
)
def test_equivalent_values_have_the_same_canonical_form(
    key: str, declared: str, reported: str
) -> None:
    assert canonical(key, declared) == canonical(key, reported)


@pytest.mark.parametrize(
    ("key", "one", "other"),
    [
        ("cleanup.policy", "compact", "compact,delete"),
        ("min.cleanable.dirty.ratio", "0.5", "0.55"),
        ("retention.ms", "604800000", "86400000"),
        ("message.timestamp.type", "CreateTime", "LogAppendTime"),
    ],
)
def test_different_values_stay_different(key: str, one: str, other: str) -> None:
    assert canonical(key, one) != canonical(key, other)


def test_a_missing_value_stays_missing() -> None:
    assert canonical("retention.ms", None) is None


def test_an_unknown_key_keeps_its_value_as_reported() -> None:
    assert canonical("confluent.placement.constraints", '{"version": 1}') == '{"version": 1}'


def test_a_value_the_catalogue_would_refuse_is_kept_rather_than_raising() -> None:
    # A 3.x broker may report a segment.bytes below the 4.0 minimum.
    assert canonical("segment.bytes", " 1024 ") == "1024"


def test_a_declared_value_normalised_is_already_canonical() -> None:
    assert canonical("retention.ms", "604800000") == "604800000"
    assert canonical("min.cleanable.dirty.ratio", "1.0E-4") == "1.0E-4"
