"""A connected cluster's own config report says which keys its Kafka knows."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.declarations.result import InvalidDeclarations
from reconciler.plan.diff import PlanOptions
from reconciler.plan.known_keys import reported_keys
from reconciler.planning import compute_plan
from reconciler.settings import Settings
from tests.clusters.conftest import Clusters
from tests.commands_support import ktr
from tests.fake_cluster import FakeCluster
from tests.states import declared, desired

GZIP = desired(declared("orders", 1, 1, {"compression.gzip.level": "5"}))


def test_a_key_older_kafka_lacks_is_an_error_before_anything_is_created() -> None:
    fake = FakeCluster((1,), kafka_version="3.7")
    with pytest.raises(InvalidDeclarations) as raised:
        compute_plan(fake, GZIP, Settings(), PlanOptions(), cluster="cluster 'old'")
    assert "cluster 'old' does not know compression.gzip.level: Kafka older than 3.8" in str(
        raised.value
    )


def test_a_key_removed_by_the_cluster_says_so() -> None:
    fake = FakeCluster((1,), kafka_version="4.0")
    want = desired(declared("orders", 1, 1, {"message.format.version": "3.0-IV1"}))
    with pytest.raises(InvalidDeclarations, match=r"Kafka 4\.0 or later removed it"):
        compute_plan(fake, want, Settings(), PlanOptions())


def test_a_cluster_that_knows_the_key_plans_it() -> None:
    fake = FakeCluster((1,), kafka_version="3.8")
    plan, _ = compute_plan(fake, GZIP, Settings(), PlanOptions())
    assert [a.topic for a in plan.actions] == ["orders"]


def test_a_broker_reporting_only_overrides_tells_nothing() -> None:
    assert reported_keys([{"retention.ms": "1"}, {"cleanup.policy": "compact"}]) is None


def test_apply_to_a_cluster_of_older_kafka_changes_nothing(
    repo: Path, clusters: Clusters, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "topics" / "gzip.yaml").write_text(
        "topics:\n  gz:\n    partitions: 1\n    replication_factor: 1\n"
        "    config: {compression.gzip.level: 5}\n"
    )
    old = FakeCluster((1,), kafka_version="3.7")
    clusters.fakes["dev:9092"] = old
    result = ktr(capsys, "apply", "--cluster", "dev", "--auto-approve")
    assert result.code == 1
    assert "cluster 'dev' does not know compression.gzip.level" in result.err
    assert old.requests["create_topics"] == 0
