"""A repository with a development cluster and two production clusters, each a fake."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from reconciler.cluster.admin import Admin, ClusterError
from reconciler.commands import cluster_access
from tests.fake_cluster import FakeCluster

TOPICS = """
topics:
  orders.created:
    partitions: 12
    replication_factor: 3
    config:
      retention.ms: 7d
    environments:
      development:
        partitions: 1
        replication_factor: 1
      production:
        partitions: 24
"""

KTR_YAML = """
owned_topics: ["orders.*"]
clusters:
  dev:
    environment: development
    bootstrap_servers: dev:9092
  prod-eu:
    environment: production
    bootstrap_servers: eu-1:9096,eu-2:9096
    properties: {sasl.password: "env:KAFKA_EU_PASSWORD", security.protocol: SASL_SSL}
    kafka_version: "3.9"
    protected_topics: ["orders.audit"]
  prod-us:
    environment: production
    bootstrap_servers: us-1:9096
"""


class Clusters:
    """Fakes by bootstrap address, and what each connection was given."""

    def __init__(self) -> None:
        self.fakes = {
            "dev:9092": FakeCluster((1,), cluster_id="dev-id"),
            "eu-1:9096,eu-2:9096": FakeCluster(cluster_id="eu-id", kafka_version="3.9"),
            "us-1:9096": FakeCluster(cluster_id="us-id"),
        }
        self.settings: list[dict[str, str]] = []

    def __getitem__(self, address: str) -> FakeCluster:
        return self.fakes[address]

    def connect(
        self,
        bootstrap: str | None,
        properties: Sequence[str],
        config: Path | None,
        timeout: float,
        *,
        base: Sequence[tuple[str, str, str]] = (),
    ) -> Admin:
        from reconciler.cluster.connection import load_client_settings

        settings = load_client_settings(bootstrap, properties, config, base).values
        self.settings.append(settings)
        fake = self.fakes.get(settings["bootstrap.servers"])
        if fake is None:
            raise ClusterError(f"cannot reach Kafka at {settings['bootstrap.servers']}")
        fake.closed = False
        return fake


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository root holding topics/ and ktr.yaml, as the working directory."""
    (tmp_path / "topics").mkdir()
    (tmp_path / "topics" / "orders.yaml").write_text(TOPICS)
    (tmp_path / "ktr.yaml").write_text(KTR_YAML)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KAFKA_EU_PASSWORD", "s3cret-eu")
    monkeypatch.delenv("KTR_CLUSTER", raising=False)
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)
    return tmp_path


@pytest.fixture
def clusters(monkeypatch: pytest.MonkeyPatch) -> Clusters:
    found = Clusters()
    monkeypatch.setattr(cluster_access, "connect", found.connect)
    return found
