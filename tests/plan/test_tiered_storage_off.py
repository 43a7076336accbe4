"""Turning tiered storage off needs remote.log.delete.on.disable=true (Kafka 3.9 and later)."""

from __future__ import annotations

from reconciler.plan.diff import PlanOptions
from reconciler.plan.verify import missing_flags
from reconciler.planning import compute_plan
from reconciler.settings import Settings
from tests.fake_cluster import FakeCluster
from tests.states import declared, desired


def plan_for(
    config: dict[str, str], current: dict[str, str], *, allow_delete: bool = False
) -> list[str]:
    fake = FakeCluster()
    fake.add_topic("tiered", 1, 3, current)
    plan, _ = compute_plan(
        fake,
        desired(declared("tiered", 1, 3, config=config)),
        Settings(),
        PlanOptions(allow_delete=allow_delete),
    )
    return [r.topic for r in plan.refused]


def test_turning_tiered_storage_off_without_delete_on_disable_is_refused() -> None:
    refused = plan_for({"remote.storage.enable": "false"}, {"remote.storage.enable": "true"})
    assert refused == ["tiered"]


def test_turning_tiered_storage_off_with_delete_on_disable_is_planned_with_allow_delete() -> None:
    config = {"remote.storage.enable": "false", "remote.log.delete.on.disable": "true"}
    assert plan_for(config, {"remote.storage.enable": "true"}, allow_delete=True) == []


def test_turning_tiered_storage_off_deletes_remote_data_so_it_needs_allow_delete() -> None:
    config = {"remote.storage.enable": "false", "remote.log.delete.on.disable": "true"}
    assert plan_for(config, {"remote.storage.enable": "true"}) == ["tiered"]


def test_a_saved_plan_turning_tiered_storage_off_needs_allow_delete_at_apply() -> None:
    fake = FakeCluster()
    fake.add_topic("tiered", 1, 3, {"remote.storage.enable": "true"})
    config = {"remote.storage.enable": "false", "remote.log.delete.on.disable": "true"}
    plan, _ = compute_plan(
        fake,
        desired(declared("tiered", 1, 3, config=config)),
        Settings(),
        PlanOptions(allow_delete=True),
    )
    assert missing_flags(plan, allow_delete=False, allow_recreate=False) == [
        "--allow-delete (1 to turn tiered storage off, deleting remote data: tiered)"
    ]
    assert missing_flags(plan, allow_delete=True, allow_recreate=False) == []


def test_keeping_tiered_storage_off_needs_nothing() -> None:
    assert plan_for({"remote.storage.enable": "false"}, {}) == []
