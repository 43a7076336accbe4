"""The fake broker that hides config sources, as some Kafka-compatible brokers do."""

from __future__ import annotations

from reconciler.model import ConfigSource
from tests.fake_cluster import AllDefaultsFakeCluster


def test_every_value_is_reported_as_a_default_whatever_its_source() -> None:
    cluster = AllDefaultsFakeCluster(broker_config={"compression.type": "zstd"})
    cluster.add_topic("t", 1, 1, {"retention.ms": "86400000"})
    config = cluster.topic_configs(["t"])["t"]
    assert config["retention.ms"].value == "86400000"
    assert config["compression.type"].value == "zstd"
    assert config["segment.ms"].value == "604800000"
    assert {entry.source for entry in config.values()} == {ConfigSource.DEFAULT}


def test_reporting_only_set_keys_leaves_out_the_built_in_defaults() -> None:
    cluster = AllDefaultsFakeCluster(broker_config={"compression.type": "zstd"}, reported="set")
    cluster.add_topic("t", 1, 1, {"retention.ms": "86400000"})
    assert set(cluster.topic_configs(["t"])["t"]) == {"retention.ms", "compression.type"}
