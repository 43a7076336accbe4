"""Turning tiered storage off needs remote.log.delete.on.disable=true (Kafka 3.9 and later)."""

from __future__ import annotations

from reconciler.plan.diff import PlanOptions
from reconciler.planning import compute_plan
from reconciler.settings import Settings
from tests.fake_cluster import FakeCluster
from tests.states import declared, desired


def plan_for(config: dict[str, str], current: dict[str, str]) -> list[str]:
    fake = FakeCluster()
    fake.add_topic("tiered", 1, 3, current)
    plan, _ = compute_plan(
        fake, desired(declared("tiered", 1, 3, config=config)), Settings(), PlanOptions()
    )
    return [r.topic for r in plan.refused]


def test_turning_tiered_storage_off_without_delete_on_disable_is_refused() -> None:
    refused = plan_for({"remote.storage.enable": "false"}, {"remote.storage.enable": "true"})
    assert refused == ["tiered"]


def test_turning_tiered_storage_off_with_delete_on_disable_is_planned() -> None:
    config = {"remote.storage.enable": "false", "remote.log.delete.on.disable": "true"}
    assert plan_for(config, {"remote.storage.enable": "true"}) == []


def test_keeping_tiered_storage_off_needs_nothing() -> None:
    assert plan_for({"remote.storage.enable": "false"}, {}) == []
