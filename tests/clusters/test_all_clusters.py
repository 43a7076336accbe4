"""``--all-clusters``: every cluster in one command, one report, the worst exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reconciler.cluster.admin import ClusterError
from tests.clusters.conftest import Clusters
from tests.commands_support import ktr
from tests.fake_cluster import FakeCluster


def test_plan_all_clusters_has_a_section_per_cluster_for_its_environment(
    repo: Path, clusters: Clusters, capsys: pytest.CaptureFixture[str]
) -> None:
    result = ktr(capsys, "plan", "--all-clusters", "--format", "json")
    assert result.code == 0, result.err
    sections = json.loads(result.out)["clusters"]
    assert [(s["cluster"], s["environment"], s["ok"]) for s in sections] == [
        ("dev", "development", True),
        ("prod-eu", "production", True),
        ("prod-us", "production", True),
    ]
    partitions = [s["plan"]["actions"][0]["partitions"]["after"] for s in sections]
    assert partitions == [1, 24, 24]
    assert sections[1]["kafka_version"] == "3.9"


def test_an_unreachable_cluster_is_reported_without_hiding_the_others(
    repo: Path, clusters: Clusters, capsys: pytest.CaptureFixture[str]
) -> None:
    clusters["us-1:9096"].inject("cluster", ClusterError("cannot reach Kafka at us-1:9096"))
    result = ktr(capsys, "plan", "--all-clusters")
    assert result.code == 1
    assert "=== cluster prod-us, environment production ===\nktr: error: cannot reach" in result.out
    assert result.out.count("+ orders.created") == 2
    assert "1 could not be read: prod-us" in result.out


def test_the_exit_code_is_the_worst_of_the_clusters(
    repo: Path, clusters: Clusters, capsys: pytest.CaptureFixture[str]
) -> None:
    for address in ("dev:9092", "us-1:9096"):
        clusters[address].add_topic("orders.created", 1 if address == "dev:9092" else 24, 1)
    clusters["dev:9092"].closed = False
    result = ktr(capsys, "plan", "--all-clusters", "--detailed-exitcode")
    assert result.code == 2  # prod-eu still needs its topic
    assert "changes in prod-eu" in result.out


def test_markdown_gives_each_cluster_a_heading(
    repo: Path, clusters: Clusters, capsys: pytest.CaptureFixture[str]
) -> None:
    result = ktr(capsys, "plan", "--all-clusters", "--format", "markdown")
    assert "## cluster prod-eu, environment production, Kafka 3.9" in result.out


def test_drift_all_clusters_reports_drift_per_cluster(
    repo: Path, clusters: Clusters, capsys: pytest.CaptureFixture[str]
) -> None:
    result = ktr(capsys, "drift", "--all-clusters", "--format", "json")
    assert result.code == 2
    sections = json.loads(result.out)["clusters"]
    assert [s["drift"]["missing"] for s in sections] == [["orders.created"]] * 3


@pytest.mark.parametrize(
    "flags", [["--cluster", "dev"], ["--env", "production"], ["-b", "x:1"], ["--out", "p.json"]]
)
def test_flags_that_name_one_cluster_conflict_with_all_clusters(
    repo: Path, clusters: Clusters, capsys: pytest.CaptureFixture[str], flags: list[str]
) -> None:
    result = ktr(capsys, "plan", "--all-clusters", *flags)
    assert result.code == 1
    assert "cannot be combined with " + flags[0] in result.err


def test_an_environment_with_errors_fails_only_the_clusters_that_use_it(
    repo: Path, clusters: Clusters, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "topics" / "dev-only.yaml").write_text(
        "topics:\n  dev.only:\n    partitions: 1\n    replication_factor: 1\n"
        "    environments:\n      development: {config: {min.insync.replicas: 2}}\n"
    )
    result = ktr(capsys, "plan", "--all-clusters", "--format", "json")
    assert result.code == 1
    sections = json.loads(result.out)["clusters"]
    assert [s["ok"] for s in sections] == [False, True, True]
    assert "min.insync.replicas 2 is more than the replication factor 1" in sections[0]["error"]


def test_no_env_plans_the_clusters_without_an_environment_as_written(
    repo: Path, clusters: Clusters, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "ktr.yaml").write_text(
        "clusters:\n  dev: {environment: development, bootstrap_servers: 'dev:9092'}\n"
        "  us: {bootstrap_servers: 'us-1:9096'}\n"
    )
    refused = ktr(capsys, "plan", "--all-clusters", "--format", "json")
    assert refused.code == 1
    assert "ktr will not guess" in json.loads(refused.out)["clusters"][1]["error"]
    result = ktr(capsys, "plan", "--all-clusters", "--no-env", "--format", "json")
    assert result.code == 0, result.out
    sections = json.loads(result.out)["clusters"]
    assert [s["plan"]["actions"][0]["partitions"]["after"] for s in sections] == [1, 12]


def test_the_clusters_are_read_at_the_same_time(
    repo: Path, clusters: Clusters, capsys: pytest.CaptureFixture[str]
) -> None:
    import threading

    from reconciler.cluster.admin import ClusterInfo

    together = threading.Barrier(3, timeout=10)  # breaks unless all three wait at once

    class Meeting(FakeCluster):
        def cluster(self) -> ClusterInfo:
            together.wait()
            return super().cluster()

    for address, fake in list(clusters.fakes.items()):
        clusters.fakes[address] = Meeting(fake.broker_ids, cluster_id=fake.cluster_id)
    result = ktr(capsys, "plan", "--all-clusters")
    assert result.code == 0, result.out
