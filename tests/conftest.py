"""Fixtures shared by the whole suite.

Broker tests (marked ``broker``) run against the cluster named by
``KAFKA_BOOTSTRAP_SERVERS`` when it is set (so the suite can run against Apache
Kafka), and otherwise against a Tansu broker started once for the session.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.broker import start_tansu
from tests.commands_support import use_cluster
from tests.fake_cluster import FakeCluster

if TYPE_CHECKING:
    from reconciler.cluster.kafka import KafkaAdmin


@pytest.fixture(autouse=True)
def outside_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test as if outside GitHub Actions, even when CI runs there.

    Otherwise in-process commands would write the runner's summary and
    outputs and annotate the suite's own pull request. Tests of the Actions
    reporting set these variables themselves.
    """
    for variable in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "GITHUB_WORKSPACE"):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def fake_cluster() -> FakeCluster:
    """An empty three-broker in-process cluster (plus ``__consumer_offsets``)."""
    return FakeCluster()


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeCluster:
    """A three-broker fake cluster that every ktr command run in-process connects to."""
    cluster = FakeCluster(brokers=(1, 2, 3))
    use_cluster(monkeypatch, cluster)
    return cluster


@pytest.fixture(scope="session")
def bootstrap_servers() -> Iterator[str]:
    """The shared cluster for broker tests: KAFKA_BOOTSTRAP_SERVERS, or one Tansu per session."""
    external = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if external:
        yield external
        return
    with start_tansu() as broker:
        yield broker.bootstrap


@pytest.fixture
def fresh_broker() -> Iterator[str]:
    """A private, empty Tansu broker for one test; yields its bootstrap address."""
    with start_tansu() as broker:
        yield broker.bootstrap


@pytest.fixture
def kafka_admin(bootstrap_servers: str) -> Iterator[KafkaAdmin]:
    """A connected KafkaAdmin on the shared cluster, closed after the test."""
    from reconciler.cluster.kafka import connect

    admin = connect(bootstrap_servers, timeout=30.0)
    try:
        yield admin
    finally:
        admin.close()


@pytest.fixture
def topic_name() -> str:
    """A topic name no other test uses, so tests can share one cluster."""
    return f"ktr-test-{uuid.uuid4().hex[:8]}"
