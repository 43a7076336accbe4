"""``--all-clusters``: every cluster in one command, one report, the worst exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reconciler.cluster.admin import ClusterError
from tests.clusters.conftest import Clusters
from tests.commands_support import ktr


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
