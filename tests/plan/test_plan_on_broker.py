"""``ktr plan`` and ``ktr drift`` against a real broker over TCP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reconciler.cluster.admin import NewTopic
from reconciler.cluster.kafka import KafkaAdmin, connect
from reconciler.cluster.read import read_cluster_state
from tests.commands_support import ktr, write_topics

pytestmark = pytest.mark.broker

ROOT = Path(__file__).resolve().parents[2]

DECLARATIONS = """
topics:
  orders.created:
    partitions: 1
    replication_factor: 1
    config: {retention.ms: 1d}
  orders.new:
    partitions: 2
    replication_factor: 1
  orders.old:
    delete: true
"""


@pytest.fixture
def admin(fresh_broker: str) -> Iterator[KafkaAdmin]:
    client = connect(fresh_broker, timeout=30.0)
    try:
        yield client
    finally:
        client.close()


def create(admin: KafkaAdmin, *topics: NewTopic) -> None:
    results = admin.create_topics(list(topics))
    assert all(error is None for error in results.values()), results


def run_ktr(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reconciler", *args],
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_plan_never_writes_to_the_cluster(
    fresh_broker: str, admin: KafkaAdmin, tmp_path: Path
) -> None:
    create(
        admin,
        NewTopic("orders.created", 3, 1, {"retention.ms": "1000", "segment.ms": "3600000"}),
        NewTopic("orders.old", 1, 1),
        NewTopic("orders.stray", 1, 1),
    )
    settings = tmp_path / "ktr.yaml"
    settings.write_text("owned_topics: ['orders.*']\n")
    topics = write_topics(tmp_path / "topics", DECLARATIONS)
    before = read_cluster_state(admin)

    result = run_ktr(
        "plan", str(topics), "-b", fresh_broker, "--settings", str(settings),
        "--allow-delete", "--allow-recreate", "--prune-configs", "--format", "json",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    planned = {(a["action"], a["topic"]) for a in json.loads(result.stdout)["actions"]}
    assert planned == {
        ("create", "orders.new"),
        ("recreate", "orders.created"),
        ("delete", "orders.old"),
        ("delete", "orders.stray"),
    }
    assert read_cluster_state(admin) == before


def test_a_cluster_matching_the_declarations_plans_no_changes(
    fresh_broker: str, admin: KafkaAdmin, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create(
        admin,
        NewTopic("orders.created", 1, 1, {"retention.ms": "86400000"}),
        NewTopic("orders.new", 2, 1),
    )
    topics = write_topics(tmp_path / "topics", DECLARATIONS)
    result = ktr(capsys, "plan", str(topics), "-b", fresh_broker, "--detailed-exitcode")
    assert result.code == 0, result.err
    assert "No changes" in result.out


def test_plan_shows_a_config_change_with_old_and_new_values(
    fresh_broker: str, admin: KafkaAdmin, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create(
        admin,
        NewTopic("orders.created", 1, 1, {"retention.ms": "3600000"}),
        NewTopic("orders.new", 2, 1),
    )
    topics = write_topics(tmp_path / "topics", DECLARATIONS)
    result = ktr(capsys, "plan", str(topics), "-b", fresh_broker, "--detailed-exitcode")
    assert result.code == 2, result.err
    assert "retention.ms: 3600000 => 86400000" in result.out


def test_drift_flags_an_auto_created_looking_topic(
    fresh_broker: str, admin: KafkaAdmin, tmp_path: Path
) -> None:
    create(
        admin,
        NewTopic("orders.created", 1, 1, {"retention.ms": "86400000"}),
        NewTopic("orders.new", 2, 1),
        NewTopic("orders.craeted", 1, 1),
    )
    topics = write_topics(tmp_path / "topics", DECLARATIONS)
    result = run_ktr("drift", str(topics), "-b", fresh_broker)
    assert result.returncode == 2, result.stderr
    assert "? orders.craeted  (not declared; 1 partition and no overrides: looks auto-created)" in (
        result.stdout
    )


def test_an_unreachable_cluster_is_a_one_line_error(tmp_path: Path) -> None:
    topics = write_topics(tmp_path / "topics", DECLARATIONS)
    result = run_ktr("plan", str(topics), "-b", "127.0.0.1:1", "--timeout", "2")
    assert result.returncode == 1
    assert result.stderr.startswith("ktr: error:") and result.stderr.count("\n") == 1
