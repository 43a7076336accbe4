"""Reading and changing topic configs."""

from __future__ import annotations

import pytest

from reconciler.model import ConfigSource
from tests.contract.conftest import Cluster, reports_all_configs

KAFKA_RETENTION_DEFAULT = "604800000"


def require_full_configs(cluster: Cluster) -> None:
    if not reports_all_configs(cluster):
        pytest.skip("the broker's DescribeConfigs reports only keys set on the topic, no sources")


def test_config_set_at_create_is_reported(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name(), config={"retention.ms": "3600000"})
    entry = cluster.admin.topic_configs([name])[name]["retention.ms"]
    assert entry.value == "3600000"


def test_config_set_at_create_is_reported_as_a_topic_override(cluster: Cluster) -> None:
    require_full_configs(cluster)
    name = cluster.create(cluster.new_name(), config={"retention.ms": "3600000"})
    entry = cluster.admin.topic_configs([name])[name]["retention.ms"]
    assert entry.source is ConfigSource.TOPIC


def test_values_not_set_on_the_topic_are_reported_as_inherited(cluster: Cluster) -> None:
    require_full_configs(cluster)
    name = cluster.create(cluster.new_name())
    configs = cluster.admin.topic_configs([name])[name]
    assert "cleanup.policy" in configs
    assert not any(entry.is_override for entry in configs.values())


def test_configs_of_several_topics_come_back_together(cluster: Cluster) -> None:
    names = [
        cluster.create(cluster.new_name(), config={"retention.ms": str(1000 * (i + 1))})
        for i in range(3)
    ]
    configs = cluster.admin.topic_configs(names)
    assert {n: configs[n]["retention.ms"].value for n in names} == {
        names[0]: "1000",
        names[1]: "2000",
        names[2]: "3000",
    }


def test_configs_of_an_unknown_topic_are_left_out(cluster: Cluster) -> None:
    name = cluster.new_name()
    configs = cluster.admin.topic_configs([name])
    if configs.get(name) == {}:
        pytest.skip("the broker answers DescribeConfigs for an unknown topic without an error")
    assert name not in configs


def test_alter_sets_a_value(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name())
    assert cluster.admin.alter_configs({name: {"retention.ms": "120000"}}) == {name: None}
    assert cluster.admin.topic_configs([name])[name]["retention.ms"].value == "120000"


def test_alter_leaves_keys_it_does_not_name_untouched(cluster: Cluster) -> None:
    name = cluster.create(
        cluster.new_name(), config={"retention.ms": "120000", "cleanup.policy": "compact"}
    )
    cluster.admin.alter_configs({name: {"retention.ms": "240000"}})
    configs = cluster.admin.topic_configs([name])[name]
    assert configs["retention.ms"].value == "240000"
    assert configs["cleanup.policy"].value == "compact"


def test_alter_to_none_reverts_the_key_to_its_inherited_value(cluster: Cluster) -> None:
    full = reports_all_configs(cluster)
    name = cluster.create(cluster.new_name(), config={"retention.ms": "120000"})
    assert cluster.admin.alter_configs({name: {"retention.ms": None}}) == {name: None}
    entry = cluster.admin.topic_configs([name])[name].get("retention.ms")
    if full:
        assert entry is not None
        assert entry.value == KAFKA_RETENTION_DEFAULT or entry.source is ConfigSource.BROKER
        assert not entry.is_override
    else:
        assert entry is None


def test_alter_several_topics_in_one_request(cluster: Cluster) -> None:
    a = cluster.create(cluster.new_name())
    b = cluster.create(cluster.new_name())
    outcome = cluster.admin.alter_configs(
        {a: {"retention.ms": "111000"}, b: {"retention.ms": "222000"}}
    )
    assert outcome == {a: None, b: None}
    configs = cluster.admin.topic_configs([a, b])
    assert configs[a]["retention.ms"].value == "111000"
    assert configs[b]["retention.ms"].value == "222000"


def test_alter_on_an_unknown_topic_gives_unknown_topic_or_part(cluster: Cluster) -> None:
    name = cluster.new_name()
    error = cluster.admin.alter_configs({name: {"retention.ms": "1000"}})[name]
    if error is None:
        pytest.skip("the broker accepts config changes for a topic that does not exist")
    assert error.code == "UNKNOWN_TOPIC_OR_PART"


def test_alter_with_an_unknown_key_gives_invalid_config(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name())
    error = cluster.admin.alter_configs({name: {"retention.msx": "1000"}})[name]
    if error is None:
        pytest.skip("the broker accepts unknown topic config names")
    assert error.code == "INVALID_CONFIG"


def test_validate_only_alter_changes_nothing(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name(), config={"retention.ms": "120000"})
    outcome = cluster.admin.alter_configs({name: {"retention.ms": "999000"}}, validate_only=True)
    assert outcome == {name: None}
    value = cluster.admin.topic_configs([name])[name]["retention.ms"].value
    if value == "999000":
        pytest.skip("the broker ignores validate_only: it applied the change")
    assert value == "120000"


def test_alter_with_an_invalid_value_gives_invalid_config_and_changes_nothing(
    cluster: Cluster,
) -> None:
    name = cluster.create(cluster.new_name(), config={"retention.ms": "120000"})
    error = cluster.admin.alter_configs({name: {"retention.ms": "7d"}})[name]
    if error is None:
        pytest.skip("the broker accepts config values that do not parse as their type")
    assert error.code == "INVALID_CONFIG"
    assert cluster.admin.topic_configs([name])[name]["retention.ms"].value == "120000"


def test_the_keys_reported_are_those_of_one_kafka_release(cluster: Cluster) -> None:
    """The broker reports exactly the topic configs of one release in the catalogue, and a
    fake of that release reports the same: the fake's versions are checked against Kafka."""
    require_full_configs(cluster)
    from reconciler.kafka.catalogue import CATALOGUE, known_in
    from reconciler.kafka.versions import KafkaVersion
    from tests.fake_cluster import FakeCluster

    name = cluster.create(cluster.new_name())
    keys = set(cluster.admin.topic_configs([name])[name]) & set(CATALOGUE)
    releases = [KafkaVersion(3, minor) for minor in (7, 8, 9)]
    releases += [KafkaVersion(4, minor) for minor in range(5)]
    matching = [v for v in releases if keys == {k for k in CATALOGUE if known_in(k, v)}]
    assert matching, f"no release in the catalogue has exactly these topic configs: {sorted(keys)}"
    fake = FakeCluster(kafka_version=str(matching[0]))
    fake.add_topic("probe")
    assert set(fake.topic_configs(["probe"])["probe"]) == keys
