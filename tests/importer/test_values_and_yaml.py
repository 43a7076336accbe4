"""Values in the forms people write, and YAML every reader takes for what was meant."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.declarations.loader import load_yaml
from reconciler.importer.values import humanise
from reconciler.importer.yaml_out import render, scalar
from reconciler.kafka import catalogue


@pytest.mark.parametrize(
    ("key", "kafka", "written"),
    [
        ("retention.ms", "604800000", "7d"),
        ("retention.ms", "1209600000", "14d"),
        ("segment.ms", "3600000", "1h"),
        ("retention.ms", "1500", 1500),
        ("retention.ms", "-1", -1),
        ("segment.bytes", "536870912", "512MiB"),
        ("segment.bytes", "573741823", 573741823),
        ("retention.bytes", "9223372036854775807", 9223372036854775807),
        ("preallocate", "true", True),
        ("cleanup.policy", "compact,delete", ["compact", "delete"]),
        ("cleanup.policy", "delete", "delete"),
        ("cleanup.policy", "", []),
        ("min.cleanable.dirty.ratio", "1.0E-4", 0.0001),
        ("min.insync.replicas", "2", 2),
        ("compression.type", "zstd", "zstd"),
    ],
)
def test_a_value_is_written_as_a_person_would(key: str, kafka: str, written: object) -> None:
    assert humanise(key, kafka) == written


@pytest.mark.parametrize("text", ["true", "no", "on", "null", "~", "1e3", "0x1f", "1_000", "12"])
def test_strings_yaml_would_read_as_something_else_are_quoted(text: str) -> None:
    assert scalar(text) == f"'{text}'"


@pytest.mark.parametrize("text", ["orders.created", "1-orders", "3.0-IV1", "LogAppendTime"])
def test_plain_strings_stay_plain(text: str) -> None:
    assert scalar(text) == text


values = st.sampled_from(sorted(catalogue.CATALOGUE)).flatmap(
    lambda key: st.tuples(
        st.just(key),
        st.sampled_from(
            [
                v
                for v in (
                    "0",
                    "1",
                    "100",
                    "1000",
                    "86400000",
                    "1073741824",
                    "-1",
                    "-2",
                    "0.5",
                    "1.0E-4",
                    "true",
                    "false",
                    "compact,delete",
                    "delete",
                    "",
                    "zstd",
                    "CreateTime",
                    "*",
                    "0:1,1:2",
                    "3.0-IV1",
                    "9223372036854775807",
                )
                if _accepted(key, v)
            ]
            or [catalogue.CATALOGUE[key].default or "0"]
        ),
    )
)


def _accepted(key: str, value: str) -> bool:
    try:
        return catalogue.normalise(key, value) == value
    except catalogue.ConfigValueError:
        return False


@settings(max_examples=200)
@given(values, st.sampled_from(["orders.created", "true", "1e3", "x"]))
def test_what_is_written_loads_back_to_the_same_kafka_string(
    pair: tuple[str, str], name: str
) -> None:
    key, value = pair
    text = render({"topics": {name: {"config": {key: humanise(key, value)}}}})
    loaded = load_yaml(Path("t.yaml"), text)
    assert not loaded.problems
    [(loaded_name, body)] = loaded.data["topics"].items()
    assert loaded_name == name
    assert catalogue.normalise(key, body["config"][key]) == value


def test_topic_bodies_keep_a_reading_order_and_everything_else_is_sorted() -> None:
    text = render(
        {
            "topics": {
                "b": {
                    "environments": {"prod": {"delete": True}},
                    "config": {"z": 1, "a": 2},
                    "replication_factor": 1,
                    "partitions": 3,
                },
                "a": {"partitions": 1},
            },
            "defaults": {"replication_factor": 3},
        }
    )
    assert text == (
        "defaults:\n  replication_factor: 3\ntopics:\n  a:\n    partitions: 1\n  b:\n"
        "    partitions: 3\n    replication_factor: 1\n    config:\n      a: 2\n      z: 1\n"
        "    environments:\n      prod:\n        delete: true\n"
    )
