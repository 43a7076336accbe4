"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest

from tests.fake_cluster import FakeCluster


@pytest.fixture
def fake_cluster() -> FakeCluster:
    """An empty three-broker in-process cluster (plus ``__consumer_offsets``)."""
    return FakeCluster()
