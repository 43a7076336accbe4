"""Plan renderers: what a reviewer reads in a terminal, a pull request, or a script."""

from __future__ import annotations

import json

import pytest

from reconciler.plan.diff import PlanOptions, make_plan
from reconciler.plan.document import from_document
from reconciler.plan.model import Plan
from reconciler.render import render_plan
from reconciler.settings import Settings
from tests.states import cluster, declared, desired, existing, tombstone


@pytest.fixture
def plan() -> Plan:
    """One action of every kind, a refusal, an undeclared override and an unmanaged topic."""
    return make_plan(
        desired(
            declared("orders.new", 12, 3, {"retention.ms": "86400000"}),
            declared("orders.grow", 12),
            declared("orders.conf", config={"retention.ms": "1000"}),
            declared("orders.shrink", 2),
            declared("orders.rf", 1, 2),
            tombstone("orders.old"),
            environment="production",
        ),
        cluster(
            existing("orders.grow", 6),
            existing("orders.conf", overrides={"retention.ms": "2000", "segment.ms": "5"}),
            existing("orders.shrink", 6),
            existing("orders.rf", 1, 1, replicas=((1,),)),
            existing("orders.old"),
            existing("stray", 1),
        ),
        Settings(),
        PlanOptions(allow_delete=True, allow_recreate=True),
    )


def test_text_marks_each_action_like_terraform(plan: Plan) -> None:
    out = render_plan(plan, "text")
    assert "  + orders.new\n" in out
    assert "  ~ orders.grow  (add partitions" in out
    assert "      partitions: 6 => 12" in out
    assert "      retention.ms: 2000 => 1000" in out
    assert "  - orders.old  (delete; all data is lost)" in out
    assert "  -/+ orders.shrink  (delete and recreate; all data is lost)" in out
    assert "  ! orders.rf: replication factor cannot be changed in place (1 => 2)" in out


def test_text_shows_a_create_with_its_values(plan: Plan) -> None:
    out = render_plan(plan, "text")
    block = out.split("  + orders.new\n")[1].split("\n\n")[0]
    assert block.split("\n") == [
        "      partitions:         12",
        "      replication_factor: 3",
        "      retention.ms:       86400000",
    ]


def test_text_shows_the_reassignment_of_a_refused_replication_change(plan: Plan) -> None:
    out = render_plan(plan, "text")
    assert '{"topic": "orders.rf", "partition": 0, "replicas": [1, 2]}' in out


def test_text_lists_undeclared_overrides_unmanaged_topics_and_a_summary(plan: Plan) -> None:
    out = render_plan(plan, "text")
    assert "  orders.conf: segment.ms=5" in out
    assert "Unmanaged topics (on the cluster, not declared; left alone):\n  stray" in out
    assert out.endswith(
        "Plan: 1 to create, 1 to add partitions, 1 to change config, 1 to delete, "
        "1 to recreate; 1 refused: this plan cannot be applied, and apply will change nothing "
        "until it is resolved."
    )


def test_text_says_so_when_there_is_nothing_to_do() -> None:
    plan = make_plan(desired(declared("a")), cluster(existing("a")), Settings())
    assert render_plan(plan, "text").endswith("No changes: the cluster matches the declarations.")


def test_text_has_no_colour_unless_asked(plan: Plan) -> None:
    assert "\x1b[" not in render_plan(plan, "text")
    assert "\x1b[32m+\x1b[0m orders.new" in render_plan(plan, "text", color=True)


def test_a_removed_override_reads_as_such() -> None:
    plan = make_plan(
        desired(declared("a")),
        cluster(existing("a", overrides={"segment.ms": "5"})),
        Settings(),
        PlanOptions(prune_configs=True),
    )
    assert "segment.ms: 5 => (remove override)" in render_plan(plan, "text")


def test_undeclared_overrides_have_a_one_line_heading(plan: Plan) -> None:
    out = render_plan(plan, "text")
    assert (
        "Undeclared overrides (set on the cluster, not declared; left alone "
        "without --prune-configs):\n  orders.conf: segment.ms=5\n"
    ) in out


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_overrides_the_plan_removes_are_not_listed_again_as_left_alone(fmt: str) -> None:
    plan = make_plan(
        desired(declared("a")),
        cluster(existing("a", overrides={"segment.ms": "5"})),
        Settings(),
        PlanOptions(prune_configs=True),
    )
    assert "Undeclared overrides" not in render_plan(plan, fmt)


def test_json_is_the_plan_document(plan: Plan) -> None:
    assert from_document(json.loads(render_plan(plan, "json"))) == plan


def test_markdown_has_a_summary_table_and_a_fenced_diff(plan: Plan) -> None:
    out = render_plan(plan, "markdown")
    assert "| Create | Add partitions | Change config | Delete | Recreate | Refused |" in out
    assert "| 1 | 1 | 1 | 1 | 1 | 1 | 1 |" in out
    diff = out.split("```diff\n")[1].split("```")[0]
    assert "+ orders.new\n+     partitions:         12\n" in diff
    assert "- orders.old  (delete; all data is lost)\n" in diff


def test_markdown_lists_refusals_with_what_to_do(plan: Plan) -> None:
    out = render_plan(plan, "markdown")
    assert "- **`orders.rf`**: replication factor cannot be changed" in out
    assert "  - To do: save the reassignment below" in out


def test_an_unknown_format_is_an_error(plan: Plan) -> None:
    with pytest.raises(ValueError, match="unknown format 'yaml'"):
        render_plan(plan, "yaml")


@pytest.fixture
def grow_and_configure() -> Plan:
    """One topic that gets more partitions and a config change in the same plan."""
    return make_plan(
        desired(declared("orders", 12, config={"retention.ms": "1000"}), declared("audit", 1)),
        cluster(existing("orders", 6, overrides={"retention.ms": "2000"})),
        Settings(),
    )


def test_text_shows_one_block_per_topic_with_all_its_changes(grow_and_configure: Plan) -> None:
    out = render_plan(grow_and_configure, "text")
    assert out.count("orders") == 1
    assert (
        "  ~ orders  (add partitions and change config; keyed records may move to other "
        "partitions)\n"
        "      partitions:   6 => 12\n"
        "      retention.ms: 2000 => 1000\n"
    ) in out


def test_markdown_shows_one_block_per_topic_with_all_its_changes(
    grow_and_configure: Plan,
) -> None:
    diff = render_plan(grow_and_configure, "markdown").split("```diff\n")[1].split("```")[0]
    assert diff.count("~ orders") == 1
    assert "~     partitions:   6 => 12\n~     retention.ms: 2000 => 1000\n" in diff


def test_topic_blocks_come_in_the_order_apply_first_reaches_each_topic(
    grow_and_configure: Plan,
) -> None:
    out = render_plan(grow_and_configure, "text")
    assert out.index("+ audit") < out.index("~ orders")


def test_json_keeps_one_action_per_kind_in_execution_order(grow_and_configure: Plan) -> None:
    actions = json.loads(render_plan(grow_and_configure, "json"))["actions"]
    assert [(a["action"], a["topic"]) for a in actions] == [
        ("create", "audit"),
        ("add_partitions", "orders"),
        ("alter_config", "orders"),
    ]


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_a_targeted_plan_says_which_topics_it_covers(fmt: str) -> None:
    plan = make_plan(
        desired(declared("orders.a"), declared("payments.a")),
        cluster(),
        Settings(),
        PlanOptions(targets=("orders.*",)),
    )
    assert "ktr plan: cluster cluster-1, only topics matching orders.*" in render_plan(plan, fmt)


def test_the_summary_of_a_plan_with_refusals_says_it_cannot_be_applied(plan: Plan) -> None:
    assert "1 refused: this plan cannot be applied" in render_plan(plan, "text")


def test_a_refused_change_of_a_topic_with_planned_changes_is_in_its_block() -> None:
    plan = make_plan(
        desired(declared("orders", 1, 2, {"retention.ms": "1000"})),
        cluster(existing("orders", 1, 1, replicas=((1,),))),
        Settings(),
    )
    out = render_plan(plan, "text")
    block = out.split("  ~ orders  (change config)\n")[1].split("\n\n")[0].split("\n")
    assert block[0] == "      retention.ms: (default) => 1000"
    assert block[1].startswith("      ! refused: replication factor cannot be changed in place")
    assert "  ! orders:" not in out
