"""A fake cluster of one Kafka version: it knows that release's topic configs, and no others."""

from __future__ import annotations

import pytest

from reconciler.cluster.admin import NewTopic
from tests.fake_cluster import FakeCluster


def reported(fake: FakeCluster) -> set[str]:
    fake.add_topic("t")
    return set(fake.topic_configs(["t"])["t"])


def test_a_37_cluster_does_not_report_the_compression_levels_of_38() -> None:
    keys = reported(FakeCluster(kafka_version="3.7"))
    assert "compression.gzip.level" not in keys
    assert "message.format.version" in keys


def test_a_40_cluster_no_longer_reports_the_keys_removed_in_40() -> None:
    keys = reported(FakeCluster(kafka_version="4.0"))
    assert "message.format.version" not in keys
    assert "remote.log.copy.disable" in keys


def test_a_key_the_release_lacks_is_refused_as_unknown_as_kafka_does() -> None:
    fake = FakeCluster(kafka_version="3.7")
    result = fake.create_topics([NewTopic("t", 1, 1, {"compression.gzip.level": "5"})])
    error = result["t"]
    assert error is not None
    assert (error.code, error.message) == (
        "INVALID_CONFIG",
        "Unknown topic config name: compression.gzip.level",
    )


@pytest.mark.parametrize(("version", "refused"), [("4.0", False), ("4.1", True)])
def test_segment_bytes_below_one_mib_is_refused_from_41(version: str, refused: bool) -> None:
    fake = FakeCluster(kafka_version=version)
    fake.add_topic("t")
    result = fake.alter_configs({"t": {"segment.bytes": "100"}})
    assert (result["t"] is not None) is refused


def test_a_39_cluster_reports_the_default_it_had_before_40() -> None:
    fake = FakeCluster(kafka_version="3.9")
    fake.add_topic("t")
    entry = fake.topic_configs(["t"])["t"]["message.timestamp.after.max.ms"]
    assert entry.value == "9223372036854775807"


def test_without_a_version_the_fake_knows_every_key_of_37_to_44() -> None:
    keys = reported(FakeCluster())
    assert {"compression.gzip.level", "message.format.version", "remote.copy.lag.ms"} <= keys
