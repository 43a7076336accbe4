"""Which file a topic goes in, what is lifted into defaults, and how environments merge."""

from __future__ import annotations

from reconciler.importer.environments import merge
from reconciler.importer.layout import document, file_for
from reconciler.importer.model import Imported, ImportedTopic


def test_the_file_is_the_name_prefix_lower_cased() -> None:
    assert file_for("orders.created", "prefix") == "orders.yaml"
    assert file_for("Orders-cancelled", "prefix") == "orders.yaml"
    assert file_for("payments_dlq", "prefix") == "payments.yaml"
    assert file_for("_private.x", "prefix") == "topics.yaml"
    assert file_for("orders.created", "none") == "topics.yaml"


def test_values_every_topic_of_a_file_shares_are_lifted_into_defaults() -> None:
    doc = document(
        {
            "a": {
                "partitions": 3,
                "replication_factor": 3,
                "config": {"retention.ms": "86400000", "x.y": "1"},
            },
            "b": {"partitions": 6, "replication_factor": 3, "config": {"retention.ms": "86400000"}},
        }
    )
    assert doc["defaults"] == {"replication_factor": 3, "config": {"retention.ms": "1d"}}
    assert doc["topics"] == {"a": {"partitions": 3, "config": {"x.y": "1"}}, "b": {"partitions": 6}}


def test_a_file_of_one_topic_has_no_defaults() -> None:
    doc = document({"a": {"partitions": 3, "replication_factor": 3}})
    assert "defaults" not in doc


def topic(name: str, partitions: int = 3, **config: str) -> ImportedTopic:
    return ImportedTopic(name, partitions, 1, {k.replace("_", "."): v for k, v in config.items()})


def test_the_top_holds_the_partitions_most_environments_have() -> None:
    bodies, _ = merge(
        {
            "dev": Imported((topic("t", 1),)),
            "staging": Imported((topic("t", 12),)),
            "prod": Imported((topic("t", 12),)),
        },
        "tombstone",
    )
    assert bodies["t"] == {
        "partitions": 12,
        "replication_factor": 1,
        "environments": {"dev": {"partitions": 1}},
    }


def test_a_config_only_some_environments_set_goes_in_their_overlays() -> None:
    bodies, _ = merge(
        {"dev": Imported((topic("t"),)), "prod": Imported((topic("t", retention_ms="1"),))},
        "tombstone",
    )
    assert bodies["t"]["environments"] == {"prod": {"config": {"retention.ms": "1"}}}
    assert "config" not in bodies["t"]


def test_a_topic_left_out_in_one_environment_is_left_out_of_all() -> None:
    bodies, notes = merge(
        {"dev": Imported((topic("t"),)), "prod": Imported(left_out=frozenset({"t"}))},
        "tombstone",
    )
    assert bodies == {}
    assert "left out everywhere" in str(notes[0])
