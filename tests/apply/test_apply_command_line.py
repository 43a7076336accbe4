"""``ktr apply`` run from the command line, connected to the fake cluster."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.cluster.admin import AdminError
from tests.commands_support import ktr, write_topics
from tests.fake_cluster import FakeCluster

ORDERS = """
topics:
  orders.created:
    partitions: 6
    replication_factor: 3
    config: {retention.ms: 1d}
"""


def test_apply_with_auto_approve_creates_the_declared_topic(
    fake: FakeCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    topics = write_topics(tmp_path / "topics", ORDERS)

    result = ktr(capsys, "apply", str(topics), "-b", "x:9092", "--auto-approve")

    assert result.code == 0, result.err
    fake.closed = False
    assert fake.topics()["orders.created"].partition_count == 6
    assert fake.config_overrides("orders.created") == {"retention.ms": "86400000"}


def test_a_second_apply_changes_nothing(
    fake: FakeCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    topics = write_topics(tmp_path / "topics", ORDERS)
    ktr(capsys, "apply", str(topics), "-b", "x:9092", "--auto-approve")
    fake.closed = False
    writes_before = sum(fake.requests[m] for m in ("create_topics", "alter_configs"))

    result = ktr(capsys, "apply", str(topics), "-b", "x:9092", "--auto-approve")

    assert result.code == 0, result.err
    assert "No changes" in result.out
    assert sum(fake.requests[m] for m in ("create_topics", "alter_configs")) == writes_before


TWO_TEAMS = """
topics:
  orders.created: {partitions: 1, replication_factor: 1}
  payments.settled: {partitions: 1, replication_factor: 1}
"""


def test_apply_with_a_target_changes_only_the_matching_topics(
    fake: FakeCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    topics = write_topics(tmp_path / "topics", TWO_TEAMS)

    result = ktr(capsys, "apply", str(topics), "--target", "orders.*", "--auto-approve")

    assert result.code == 0, result.err
    fake.closed = False
    assert "orders.created" in fake.topics()
    assert "payments.settled" not in fake.topics()


def test_a_target_cannot_be_combined_with_a_saved_plan(
    fake: FakeCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "plan.json"
    saved.write_text("{}")

    result = ktr(capsys, "apply", "--plan", str(saved), "--target", "orders.*")

    assert result.code == 1
    assert "cannot be combined with --target" in result.err


def test_a_partition_increase_the_broker_does_not_support_says_so(
    fake: FakeCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.add_topic("orders.created", 3, 3, {"retention.ms": "86400000"})
    fake.inject(
        "create_partitions",
        AdminError("_UNSUPPORTED_FEATURE", "Broker does not support CreatePartitions"),
    )
    topics = write_topics(tmp_path / "topics", ORDERS)

    result = ktr(capsys, "apply", str(topics), "--auto-approve")

    assert result.code == 1
    assert (
        "FAILED   add_partitions  orders.created: the broker does not support this operation "
        "(_UNSUPPORTED_FEATURE: Broker does not support CreatePartitions)"
    ) in result.out
    assert "The broker does not support the operation of 1 FAILED line" in result.out
    assert "once the cause of each FAILED line is gone" not in result.out
    assert "apply again finishes the job" not in result.out


def test_other_failures_still_say_to_apply_again_once_their_cause_is_gone(
    fake: FakeCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.inject(
        "create_topics",
        AdminError("POLICY_VIOLATION", "retention too short"),
        topics=["orders.created"],
    )
    topics = write_topics(tmp_path / "topics", ORDERS)

    result = ktr(capsys, "apply", str(topics), "--auto-approve")

    assert result.code == 1
    assert "once the cause of each FAILED line is gone" in result.out
    assert "does not support" not in result.out


def test_the_markdown_result_says_the_broker_does_not_support_the_operation(
    fake: FakeCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.add_topic("orders.created", 3, 3, {"retention.ms": "86400000"})
    fake.inject("create_partitions", AdminError("_UNSUPPORTED_FEATURE", "no CreatePartitions"))
    topics = write_topics(tmp_path / "topics", ORDERS)

    result = ktr(capsys, "apply", str(topics), "--auto-approve", "--format", "markdown")

    assert "The broker does not support the operation of 1 FAILED line" in result.out
