"""A declared key whose value is in effect only as inherited from a broker is
set on the topic, so that it no longer depends on which broker answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.commands_support import ktr, use_cluster, write_topics
from tests.fake_cluster import FakeCluster

ORDERS = """
topics:
  orders.created:
    partitions: 6
    replication_factor: 3
    config: {retention.ms: 1d}
"""


@pytest.fixture
def inherited(monkeypatch: pytest.MonkeyPatch) -> FakeCluster:
    """A cluster whose brokers set retention.ms to the declared 1d themselves."""
    cluster = FakeCluster(broker_config={"retention.ms": "86400000"})
    cluster.add_topic("orders.created", 6, 3)
    use_cluster(monkeypatch, cluster)
    return cluster


def test_plan_shows_the_inherited_value_pinned_on_the_topic(
    inherited: FakeCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    topics = write_topics(tmp_path / "topics", ORDERS)

    result = ktr(capsys, "plan", str(topics), "-b", "x:9092")

    assert "retention.ms: 86400000 (inherited from the broker => set on the topic)" in result.out


def test_apply_pins_it_and_the_next_plan_has_nothing_to_do(
    inherited: FakeCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    topics = write_topics(tmp_path / "topics", ORDERS)

    applied = ktr(capsys, "apply", str(topics), "-b", "x:9092", "--auto-approve")
    inherited.closed = False
    again = ktr(capsys, "plan", str(topics), "-b", "x:9092", "--detailed-exitcode")

    assert applied.code == 0, applied.err
    assert inherited.config_overrides("orders.created") == {"retention.ms": "86400000"}
    assert again.code == 0, again.out


def test_drift_does_not_report_a_value_that_is_right_but_inherited(
    inherited: FakeCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    topics = write_topics(tmp_path / "topics", ORDERS)
    assert ktr(capsys, "drift", str(topics), "-b", "x:9092").code == 0
