"""A saved plan is applied only when its record, planned again on the live cluster, gives it."""

from __future__ import annotations

from dataclasses import replace

from reconciler.model import ClusterState
from reconciler.plan.diff import PlanOptions, make_plan
from reconciler.plan.model import Action, ActionKind, ConfigChange, Plan
from reconciler.plan.pipeline import plan_against
from reconciler.plan.verify import first_difference, missing_flags
from reconciler.settings import Settings
from tests.states import cluster, declared, desired, existing, tombstone


def state() -> ClusterState:
    return cluster(
        existing("orders", 3, 1, overrides={"retention.ms": "2000"}),
        existing("legacy"),
        existing("someone.elses"),
    )


def saved(**options: bool) -> Plan:
    return make_plan(
        desired(
            declared("orders", 6, 1, {"retention.ms": "1000"}),
            declared("new", 2, 1),
            tombstone("legacy"),
        ),
        state(),
        Settings(),
        PlanOptions(**options),
    )


def edited(plan: Plan, index: int, **fields: object) -> Plan:
    actions = list(plan.actions)
    actions[index] = replace(actions[index], **fields)  # type: ignore[arg-type]
    return replace(plan, actions=tuple(actions))


def test_an_unedited_plan_on_an_unchanged_cluster_has_no_difference() -> None:
    assert first_difference(saved(allow_delete=True), state(), Settings()) is None


def test_an_action_turned_into_a_delete_is_named() -> None:
    plan = saved()
    index = next(i for i, a in enumerate(plan.actions) if a.kind is ActionKind.ALTER_CONFIG)
    plan = edited(plan, index, kind=ActionKind.DELETE, config=())

    difference = first_difference(plan, state(), Settings())

    assert difference is not None
    assert f"actions[{index}] (delete orders)" in difference
    assert "alter_config orders" in difference


def test_an_added_delete_of_an_undeclared_topic_is_named() -> None:
    plan = saved()
    extra = Action(ActionKind.DELETE, "someone.elses", (3, None), (1, None), topic_id="id-x")
    plan = replace(plan, actions=(*plan.actions, extra), declared=(*plan.declared, extra.topic))

    difference = first_difference(plan, state(), Settings())

    assert difference is not None and "(delete someone.elses) is not in the plan" in difference


def test_an_edited_config_value_is_named() -> None:
    plan = saved()
    index = next(i for i, a in enumerate(plan.actions) if a.kind is ActionKind.ALTER_CONFIG)
    plan = edited(plan, index, config=(ConfigChange("retention.ms", "2000", "1"),))

    difference = first_difference(plan, state(), Settings())

    assert difference is not None and "config retention.ms differs" in difference


def test_an_edited_partition_count_is_named() -> None:
    plan = saved()
    index = next(i for i, a in enumerate(plan.actions) if a.kind is ActionKind.ADD_PARTITIONS)
    plan = edited(plan, index, partitions=(3, 600))

    difference = first_difference(plan, state(), Settings())

    assert difference is not None and "partitions is (3, 600)" in difference


def test_a_removed_action_is_named() -> None:
    plan = saved()
    plan = replace(plan, actions=plan.actions[1:])

    difference = first_difference(plan, state(), Settings())

    assert difference is not None


def test_a_removed_refusal_is_named() -> None:
    plan = replace(saved(), refused=())

    difference = first_difference(plan, state(), Settings())

    assert difference is not None and "refused change of legacy" in difference


def test_a_plan_made_with_other_settings_is_named() -> None:
    plan = saved()

    difference = first_difference(plan, state(), Settings(protected=("orders",)))

    assert difference is not None and "protected_topics" in difference


def test_a_plan_without_a_record_cannot_be_checked() -> None:
    plan = replace(saved(), basis=None)

    assert first_difference(plan, state(), Settings()) is not None


def test_a_delete_in_a_saved_plan_needs_allow_delete_at_apply_time() -> None:
    plan = saved(allow_delete=True)

    assert missing_flags(plan, allow_delete=False, allow_recreate=False) == [
        "--allow-delete (1 to delete: legacy)"
    ]
    assert missing_flags(plan, allow_delete=True, allow_recreate=False) == []


def test_a_recreate_in_a_saved_plan_needs_allow_recreate_at_apply_time() -> None:
    plan = make_plan(
        desired(declared("orders", 1, 1)),
        cluster(existing("orders", 3, 1)),
        Settings(),
        PlanOptions(allow_recreate=True),
    )

    assert missing_flags(plan, allow_delete=True, allow_recreate=False) == [
        "--allow-recreate (1 to recreate: orders)"
    ]


def test_a_removed_refusal_that_needs_the_cluster_state_is_named_too() -> None:
    state = cluster(existing("tiered", 3, 1, overrides={"remote.storage.enable": "true"}))
    plan = plan_against(
        desired(declared("tiered", 3, 1, {"remote.storage.enable": "false"})),
        state,
        Settings(),
        PlanOptions(),
    )
    assert plan.refused

    difference = first_difference(replace(plan, refused=()), state, Settings())

    assert difference is not None and "refused change of tiered" in difference
