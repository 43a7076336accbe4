"""``--cluster NAME``: a cluster of ktr.yaml chosen by name, and no plan without an environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.clusters.conftest import Clusters
from tests.commands_support import ktr


def test_plan_by_cluster_name_uses_its_address_and_environment(
    repo: Path, clusters: Clusters, capsys: pytest.CaptureFixture[str]
) -> None:
    result = ktr(capsys, "plan", "--cluster", "dev", "--format", "json")
    assert result.code == 0, result.err
    [action] = __import__("json").loads(result.out)["actions"]
    assert (action["topic"], action["partitions"]["after"]) == ("orders.created", 1)
    assert clusters.settings[0]["bootstrap.servers"] == "dev:9092"


def test_ktr_cluster_names_the_cluster_too(
    repo: Path,
    clusters: Clusters,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KTR_CLUSTER", "prod-us")
    result = ktr(capsys, "plan")
    assert result.code == 0, result.err
    assert "partitions:         24" in result.out
    assert clusters.settings[0]["bootstrap.servers"] == "us-1:9096"


def test_a_clusters_properties_reach_the_client_with_env_values_resolved(
    repo: Path, clusters: Clusters, capsys: pytest.CaptureFixture[str]
) -> None:
    result = ktr(capsys, "plan", "--cluster", "prod-eu")
    assert result.code == 0, result.err
    assert clusters.settings[0]["sasl.password"] == "s3cret-eu"
    assert "s3cret-eu" not in result.out + result.err


def test_command_line_connection_flags_override_the_cluster(
    repo: Path, clusters: Clusters, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["-b", "us-1:9096", "-X", "security.protocol=SSL"]
    result = ktr(capsys, "plan", "--cluster", "prod-eu", *args)
    assert result.code == 0, result.err
    assert clusters.settings[0]["bootstrap.servers"] == "us-1:9096"
    assert clusters.settings[0]["security.protocol"] == "SSL"


def test_kafka_bootstrap_servers_in_the_environment_does_not_redirect_a_named_cluster(
    repo: Path,
    clusters: Clusters,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "us-1:9096")
    assert ktr(capsys, "plan", "--cluster", "dev").code == 0
    assert clusters.settings[0]["bootstrap.servers"] == "dev:9092"


def test_an_unknown_cluster_gets_a_did_you_mean(
    repo: Path, clusters: Clusters, capsys: pytest.CaptureFixture[str]
) -> None:
    result = ktr(capsys, "plan", "--cluster", "prd-eu")
    assert result.code == 1
    assert result.err.strip() == (
        "ktr: error: unknown cluster 'prd-eu'; did you mean 'prod-eu'? "
        "clusters in ktr.yaml: dev, prod-eu, prod-us"
    )


def test_env_contradicting_the_clusters_environment_is_an_error(
    repo: Path, clusters: Clusters, capsys: pytest.CaptureFixture[str]
) -> None:
    result = ktr(capsys, "apply", "--cluster", "prod-eu", "--env", "development")
    assert result.code == 1
    assert "--env development contradicts cluster 'prod-eu'" in result.err
    assert clusters.settings == []


@pytest.mark.parametrize("command", ["plan", "apply", "drift"])
def test_without_env_or_cluster_declared_environments_are_refused(
    repo: Path,
    clusters: Clusters,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    result = ktr(capsys, command, "-b", "dev:9092")
    assert result.code == 1
    assert "the declarations define environments (development, production)" in result.err
    assert "--cluster NAME (dev, prod-eu, prod-us)" in result.err
    assert clusters.settings == []


def test_no_env_plans_the_topics_as_written(
    repo: Path, clusters: Clusters, capsys: pytest.CaptureFixture[str]
) -> None:
    result = ktr(capsys, "plan", "-b", "dev:9092", "--no-env")
    assert result.code == 0, result.err
    assert "partitions:         12" in result.out


def test_validate_for_a_cluster_checks_its_kafka_version(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "topics" / "gzip.yaml").write_text(
        "topics:\n  gz:\n    partitions: 1\n    replication_factor: 1\n"
        "    config: {compression.gzip.level: 5, message.format.version: '3.0-IV1'}\n"
    )
    (repo / "ktr.yaml").write_text(
        "clusters:\n  old: {environment: production, kafka_version: '3.7'}\n"
        "  new: {environment: production, kafka_version: '4.1'}\n"
    )
    old = ktr(capsys, "validate", "--cluster", "old")
    assert old.code == 1
    assert (
        "compression.gzip.level needs Kafka 3.8 or later, but cluster 'old' runs Kafka 3.7"
        in old.out
    )
    new = ktr(capsys, "validate", "--cluster", "new")
    assert new.code == 1
    assert (
        "message.format.version was removed in Kafka 4.0, and cluster 'new' runs Kafka 4.1"
        in new.out
    )
    unknown = ktr(capsys, "validate")
    assert unknown.code == 0 and "warning: message.format.version" in unknown.out


def test_kafka_version_on_the_command_line_checks_without_a_cluster(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "topics" / "seg.yaml").write_text(
        "topics:\n  seg:\n    partitions: 1\n    replication_factor: 1\n"
        "    config: {segment.bytes: 100}\n"
    )
    assert ktr(capsys, "validate", "--kafka-version", "4.0").code == 0
    result = ktr(capsys, "validate", "--kafka-version", "4.1")
    assert result.code == 1
    assert "segment.bytes 100 is below 1048576 (1MiB), the minimum since Kafka 4.1" in result.out


def test_lock_check_for_a_cluster_validates_for_its_version(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "topics" / "gzip.yaml").write_text(
        "topics:\n  gz:\n    partitions: 1\n    replication_factor: 1\n"
        "    config: {compression.gzip.level: 5}\n"
    )
    assert ktr(capsys, "lock").code == 0
    (repo / "ktr.yaml").write_text("clusters:\n  old: {kafka_version: '3.7'}\n")
    assert ktr(capsys, "lock", "--check").code == 0
    result = ktr(capsys, "lock", "--check", "--cluster", "old")
    assert result.code == 1 and "needs Kafka 3.8 or later" in result.out


def test_a_connected_cluster_that_does_not_report_a_declared_key_is_a_plan_error(
    repo: Path, clusters: Clusters, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "ktr.yaml").write_text(
        "clusters:\n  eu: {environment: production, bootstrap_servers: 'eu-1:9096,eu-2:9096'}\n"
    )
    (repo / "topics" / "lag.yaml").write_text(
        "topics:\n  lagged:\n    partitions: 1\n    replication_factor: 1\n"
        "    config: {remote.copy.lag.ms: 1000}\n"
    )
    clusters["eu-1:9096,eu-2:9096"].add_topic("orders.created", 24, 3)
    result = ktr(capsys, "plan", "--cluster", "eu")
    assert result.code == 1
    assert "cluster 'eu' does not know remote.copy.lag.ms: Kafka older than 4.4" in result.err


def test_a_literal_secret_in_ktr_yaml_is_refused(
    repo: Path, clusters: Clusters, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "ktr.yaml").write_text(
        "clusters:\n  dev: {environment: development, bootstrap_servers: 'dev:9092', "
        "properties: {sasl.password: hunter2}}\n"
    )
    result = ktr(capsys, "plan", "--cluster", "dev")
    assert result.code == 1
    assert "sasl.password holds a secret and ktr.yaml is kept in git" in result.err
    assert "hunter2" not in result.err


def test_ktr_cluster_in_the_environment_does_not_stop_writing_the_lock(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KTR_CLUSTER", "dev")
    result = ktr(capsys, "lock")
    assert result.code == 0, result.err
    assert "wrote topics/topics.lock" in result.out


def test_connection_settings_layer_from_the_clusters_file_up_to_the_command_line(
    repo: Path, clusters: Clusters, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "clients").mkdir()
    (repo / "clients" / "dev.properties").write_text(
        "security.protocol=SSL\nsasl.mechanism=PLAIN\nclient.id=from-file\n"
    )
    (repo / "cli.properties").write_text("client.id=from-cli-file\n")
    (repo / "ktr.yaml").write_text(
        "clusters:\n  dev:\n    environment: development\n    bootstrap_servers: dev:9092\n"
        "    client_config: clients/dev.properties\n"
        "    properties: {sasl.mechanism: SCRAM-SHA-512}\n"
    )
    args = ["--client-config", "cli.properties", "-X", "security.protocol=SASL_SSL"]
    assert ktr(capsys, "plan", "--cluster", "dev", *args).code == 0
    [settings] = clusters.settings
    assert settings["sasl.mechanism"] == "SCRAM-SHA-512"  # properties over the cluster's file
    assert settings["client.id"] == "from-cli-file"  # --client-config over the cluster
    assert settings["security.protocol"] == "SASL_SSL"  # -X over everything
