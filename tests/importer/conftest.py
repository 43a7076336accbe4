"""Fixtures for import tests: clusters to import from, and the round trip that must hold."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest

from reconciler.cluster.admin import Admin
from reconciler.commands import cluster_access
from tests.commands_support import Result, ktr
from tests.fake_cluster import AllDefaultsFakeCluster, FakeCluster

Ktr = Callable[..., Result]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Ktr:
    """``ktr ARGS`` in-process, from an empty working directory."""
    monkeypatch.chdir(tmp_path)
    return lambda *args: ktr(capsys, *args)


def connect_by_address(monkeypatch: pytest.MonkeyPatch, clusters: Mapping[str, Admin]) -> None:
    """Make ``-b ADDRESS`` reach ``clusters[ADDRESS]``: several clusters, one per environment."""

    def connect(
        bootstrap: str | None,
        properties: Sequence[str],
        config: Path | None,
        timeout: float,
        *,
        base: Sequence[tuple[str, str, str]] = (),
    ) -> Admin:
        address = bootstrap or dict((k, v) for k, v, _ in base).get("bootstrap.servers")
        assert address is not None
        cluster = clusters[address]
        if isinstance(cluster, FakeCluster):
            cluster.closed = False  # each command closes its client; the cluster lives on
        return cluster

    monkeypatch.setattr(cluster_access, "connect", connect)


@pytest.fixture
def all_defaults(monkeypatch: pytest.MonkeyPatch) -> AllDefaultsFakeCluster:
    """A fake cluster reporting every config as a default, connected for every command."""
    cluster = AllDefaultsFakeCluster()
    connect_by_address(monkeypatch, {"b:9092": cluster})
    return cluster


@pytest.fixture
def faithful(monkeypatch: pytest.MonkeyPatch) -> FakeCluster:
    """A fake cluster reporting config sources as Kafka does, connected for every command."""
    cluster = FakeCluster()
    connect_by_address(monkeypatch, {"b:9092": cluster})
    return cluster


def assert_round_trip(run: Ktr, *extra: str, address: str = "b:9092") -> None:
    """validate passes and plan --detailed-exitcode finds nothing, also with --prune-configs."""
    validated = run("validate", "topics", *extra)
    assert validated.code == 0, validated.out + validated.err
    for flags in ((), ("--prune-configs",)):
        planned = run("plan", "topics", "-b", address, "--detailed-exitcode", *extra, *flags)
        assert planned.code == 0, planned.out + planned.err
