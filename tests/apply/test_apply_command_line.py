"""``ktr apply`` run from the command line, connected to the fake cluster."""

from __future__ import annotations

from pathlib import Path

import pytest

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
