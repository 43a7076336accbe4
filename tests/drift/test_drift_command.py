"""``ktr drift`` in-process against the fake cluster: report and exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reconciler.cluster.admin import ClusterError
from tests.commands_support import ktr, write_topics
from tests.fake_cluster import READ_ONLY_ACLS, Acl, FakeCluster

ORDERS = """
topics:
  orders.created:
    partitions: 6
    replication_factor: 3
    config: {retention.ms: 1d}
"""


@pytest.fixture
def topics(tmp_path: Path) -> Path:
    return write_topics(tmp_path / "topics", ORDERS)


def test_no_drift_exits_0(
    fake: FakeCluster, topics: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.add_topic("orders.created", 6, 3, {"retention.ms": "86400000"})
    result = ktr(capsys, "drift", str(topics))
    assert result.code == 0
    assert "No drift" in result.out


def test_drift_exits_2_and_says_what_differs(
    fake: FakeCluster, topics: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.add_topic("orders.created", 6, 3, {"retention.ms": "1000"})
    result = ktr(capsys, "drift", str(topics))
    assert result.code == 2
    assert "retention.ms: declared 86400000, actual 1000" in result.out


def test_an_auto_created_looking_topic_is_flagged(
    fake: FakeCluster, topics: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.add_topic("orders.created", 6, 3, {"retention.ms": "86400000"})
    fake.add_topic("orders.craeted", 1, 1)
    result = ktr(capsys, "drift", str(topics), "--format", "json")
    assert result.code == 2
    assert json.loads(result.out)["unmanaged"] == [
        {"topic": "orders.craeted", "partitions": 1, "auto_created": True}
    ]


def test_owned_topics_in_settings_narrow_what_is_unmanaged(
    fake: FakeCluster, topics: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.add_topic("orders.created", 6, 3, {"retention.ms": "86400000"})
    fake.add_topic("billing.invoices", 3, 1)
    settings = tmp_path / "ktr.yaml"
    settings.write_text("owned_topics: ['orders.*']\n")
    assert ktr(capsys, "drift", str(topics), "--settings", str(settings)).code == 0


def test_a_cluster_error_exits_1_with_one_line(
    fake: FakeCluster, topics: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.inject("cluster", ClusterError("cannot reach x:9092"))
    result = ktr(capsys, "drift", str(topics))
    assert result.code == 1 and result.err == "ktr: error: cannot reach x:9092\n"
    assert fake.closed


def test_drift_by_a_principal_that_cannot_describe_a_declared_topic_is_an_error_naming_the_acl(
    fake: FakeCluster, topics: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.add_topic("orders.created", 6, 3, {"retention.ms": "86400000"})
    fake.authorize(allow=READ_ONLY_ACLS, deny=[Acl("DESCRIBE", "topic", "orders.created")])

    result = ktr(capsys, "drift", str(topics))

    assert result.code == 1
    assert "not authorized to describe declared topic orders.created" in result.err
    assert "missing" not in result.out
