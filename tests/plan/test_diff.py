"""The diff rules: one behaviour per test, each a small desired state against a small cluster."""

from __future__ import annotations

from dataclasses import replace

from reconciler.model import ClusterState, ConfigEntry, ConfigSource, DesiredState
from reconciler.plan.diff import PlanOptions, make_plan
from reconciler.plan.model import ActionKind, ConfigChange, Plan
from reconciler.settings import Settings
from tests.states import cluster, declared, desired, existing, tombstone

SETTINGS = Settings()
DELETE = PlanOptions(allow_delete=True)


def plan_of(
    want: DesiredState,
    have: ClusterState,
    settings: Settings = SETTINGS,
    options: PlanOptions | None = None,
) -> Plan:
    return make_plan(want, have, settings, options or PlanOptions())


def kinds(plan: Plan) -> list[tuple[ActionKind, str]]:
    return [(a.kind, a.topic) for a in plan.actions]


def test_an_identical_cluster_gives_an_empty_plan() -> None:
    plan = plan_of(
        desired(declared("orders", config={"retention.ms": "86400000"})),
        cluster(existing("orders", overrides={"retention.ms": "86400000"})),
    )
    assert plan.actions == () and plan.refused == () and not plan.has_changes


def test_a_declared_topic_missing_from_the_cluster_is_created_with_its_config() -> None:
    plan = plan_of(
        desired(declared("orders", 6, 3, {"retention.ms": "86400000"})),
        cluster(),
    )
    (action,) = plan.actions
    assert action.kind is ActionKind.CREATE
    assert action.partitions == (None, 6) and action.replication_factor == (None, 3)
    assert action.config == (ConfigChange("retention.ms", None, "86400000"),)


def test_a_changed_config_value_is_an_alter_with_old_and_new_values() -> None:
    plan = plan_of(
        desired(declared("orders", config={"retention.ms": "86400000"})),
        cluster(existing("orders", overrides={"retention.ms": "3600000"})),
    )
    (action,) = plan.actions
    assert action.kind is ActionKind.ALTER_CONFIG
    assert action.config == (ConfigChange("retention.ms", "3600000", "86400000"),)
    assert action.topic_id == "id-orders"


def test_values_kafka_treats_as_equal_are_not_a_change() -> None:
    plan = plan_of(
        desired(declared("orders", config={"cleanup.policy": "compact,delete"})),
        cluster(existing("orders", overrides={"cleanup.policy": "delete,compact"})),
    )
    assert plan.actions == ()


def test_a_declared_value_in_effect_only_as_inherited_from_a_broker_is_pinned_on_the_topic() -> (
    None
):
    # Another broker, configured otherwise, would report another value.
    plan = plan_of(
        desired(declared("orders", config={"retention.ms": "86400000"})),
        cluster(existing("orders", inherited={"retention.ms": "86400000"})),
    )
    (action,) = plan.actions
    assert action.kind is ActionKind.ALTER_CONFIG
    assert action.config == (ConfigChange("retention.ms", "86400000", "86400000"),)


def test_a_declared_value_at_kafkas_built_in_default_is_left_inherited() -> None:
    topic = existing("orders")
    reported = {"retention.ms": ConfigEntry("604800000", ConfigSource.DEFAULT)}
    plan = plan_of(
        desired(declared("orders", config={"retention.ms": "604800000"})),
        cluster(replace(topic, config=reported)),
    )
    assert plan.actions == ()


def test_a_declared_key_the_broker_does_not_report_compares_with_kafkas_default() -> None:
    plan = plan_of(
        desired(declared("orders", config={"retention.ms": "604800000"})),
        cluster(existing("orders")),
    )
    assert plan.actions == ()


def test_a_declared_key_the_broker_does_not_report_and_not_at_default_is_set() -> None:
    plan = plan_of(
        desired(declared("orders", config={"retention.ms": "86400000"})),
        cluster(existing("orders")),
    )
    (action,) = plan.actions
    assert action.config == (ConfigChange("retention.ms", None, "86400000"),)


def test_undeclared_overrides_are_shown_but_left_alone_by_default() -> None:
    plan = plan_of(
        desired(declared("orders")),
        cluster(existing("orders", overrides={"retention.ms": "1000"})),
    )
    assert plan.actions == ()
    assert plan.undeclared_overrides == {"orders": {"retention.ms": "1000"}}


def test_inherited_values_are_not_undeclared_overrides() -> None:
    plan = plan_of(
        desired(declared("orders")),
        cluster(existing("orders", inherited={"retention.ms": "1000"})),
    )
    assert plan.undeclared_overrides == {}


def test_prune_configs_deletes_undeclared_overrides() -> None:
    plan = plan_of(
        desired(declared("orders")),
        cluster(existing("orders", overrides={"retention.ms": "1000"})),
        options=PlanOptions(prune_configs=True),
    )
    (action,) = plan.actions
    assert action.kind is ActionKind.ALTER_CONFIG
    assert action.config == (ConfigChange("retention.ms", "1000", None),)


def test_more_partitions_is_an_add_partitions_action() -> None:
    plan = plan_of(desired(declared("orders", 12)), cluster(existing("orders", 6)))
    (action,) = plan.actions
    assert action.kind is ActionKind.ADD_PARTITIONS
    assert action.partitions == (6, 12)


def test_fewer_partitions_is_refused_with_the_way_out() -> None:
    plan = plan_of(desired(declared("orders", 3)), cluster(existing("orders", 6)))
    assert plan.actions == ()
    (refusal,) = plan.refused
    assert refusal.topic == "orders"
    assert "6 => 3" in refusal.reason
    assert refusal.hint is not None and "--allow-recreate" in refusal.hint


def test_fewer_partitions_with_allow_recreate_is_a_recreate_with_the_full_config() -> None:
    plan = plan_of(
        desired(declared("orders", 3, config={"retention.ms": "1000"})),
        cluster(existing("orders", 6, overrides={"retention.ms": "1000"})),
        options=PlanOptions(allow_recreate=True),
    )
    (action,) = plan.actions
    assert action.kind is ActionKind.RECREATE
    assert action.partitions == (6, 3)
    assert action.config == (ConfigChange("retention.ms", "1000", "1000"),)
    assert action.topic_id == "id-orders"
    assert plan.refused == ()


def test_a_protected_topic_is_never_recreated() -> None:
    plan = plan_of(
        desired(declared("_schemas", 1)),
        cluster(existing("_schemas", 3)),
        options=PlanOptions(allow_recreate=True),
    )
    assert plan.actions == ()
    assert "protected" in plan.refused[0].reason


def test_a_replication_factor_change_is_refused_with_a_reassignment() -> None:
    plan = plan_of(
        desired(declared("orders", 2, rf=2)),
        cluster(existing("orders", 2, rf=1, replicas=((1,), (2,))), brokers=(1, 2, 3)),
    )
    (refusal,) = plan.refused
    assert "1 => 2" in refusal.reason
    assert refusal.reassignment == {
        "version": 1,
        "partitions": [
            {"topic": "orders", "partition": 0, "replicas": [1, 3]},
            {"topic": "orders", "partition": 1, "replicas": [2, 3]},
        ],
    }


def test_a_replication_factor_decrease_keeps_the_leading_replicas() -> None:
    plan = plan_of(
        desired(declared("orders", 1, rf=2)),
        cluster(existing("orders", 1, rf=3, replicas=((2, 3, 1),))),
    )
    assert plan.refused[0].reassignment == {
        "version": 1,
        "partitions": [{"topic": "orders", "partition": 0, "replicas": [2, 3]}],
    }


def test_a_replication_factor_above_the_broker_count_is_refused_without_reassignment() -> None:
    plan = plan_of(
        desired(declared("orders", 1, rf=5)),
        cluster(existing("orders", 1, rf=3, replicas=((1, 2, 3),))),
    )
    (refusal,) = plan.refused
    assert refusal.reassignment is None
    assert "only 3 live brokers" in refusal.reason


def test_other_changes_of_a_refused_topic_are_still_planned() -> None:
    plan = plan_of(
        desired(declared("orders", 6, rf=2, config={"retention.ms": "1000"})),
        cluster(existing("orders", 3, rf=1)),
    )
    assert kinds(plan) == [
        (ActionKind.ADD_PARTITIONS, "orders"),
        (ActionKind.ALTER_CONFIG, "orders"),
    ]
    assert len(plan.refused) == 1


def test_a_tombstone_for_an_existing_topic_is_refused_without_allow_delete() -> None:
    plan = plan_of(desired(tombstone("legacy")), cluster(existing("legacy")))
    assert plan.actions == ()
    (refusal,) = plan.refused
    assert refusal.hint == "pass --allow-delete to delete it"


def test_a_tombstone_with_allow_delete_is_a_delete() -> None:
    plan = plan_of(desired(tombstone("legacy")), cluster(existing("legacy", 4)), options=DELETE)
    (action,) = plan.actions
    assert action.kind is ActionKind.DELETE
    assert action.partitions == (4, None) and action.topic_id == "id-legacy"


def test_a_tombstone_for_a_missing_topic_needs_nothing() -> None:
    plan = plan_of(desired(tombstone("legacy")), cluster(), options=DELETE)
    assert not plan.has_changes


def test_a_tombstone_for_a_protected_topic_is_refused_whatever_the_flags() -> None:
    plan = plan_of(
        desired(tombstone("connect-offsets")),
        cluster(existing("connect-offsets")),
        options=PlanOptions(allow_delete=True, allow_recreate=True, prune_configs=True),
    )
    assert plan.actions == ()
    assert "protected" in plan.refused[0].reason


def test_a_tombstone_for_a_topic_protected_in_settings_is_refused() -> None:
    plan = plan_of(
        desired(tombstone("audit.log")),
        cluster(existing("audit.log")),
        settings=Settings(protected=("audit.*",)),
        options=DELETE,
    )
    assert plan.actions == () and len(plan.refused) == 1


def test_undeclared_topics_are_listed_as_unmanaged_and_left_alone() -> None:
    plan = plan_of(desired(declared("orders")), cluster(existing("orders"), existing("other")))
    assert plan.unmanaged == ("other",)
    assert plan.actions == ()


def test_internal_and_protected_topics_are_never_unmanaged() -> None:
    plan = plan_of(
        desired(),
        cluster(
            existing("__consumer_offsets", internal=True),
            existing("_schemas"),
            existing("odd-internal-flag", internal=True),
        ),
    )
    assert plan.unmanaged == ()


def test_topics_outside_owned_names_are_not_unmanaged() -> None:
    plan = plan_of(
        desired(),
        cluster(existing("orders.a"), existing("billing.b")),
        settings=Settings(owned=("orders.*",)),
    )
    assert plan.unmanaged == ("orders.a",)


def test_allow_delete_deletes_undeclared_owned_topics() -> None:
    plan = plan_of(
        desired(),
        cluster(existing("orders.a"), existing("billing.b")),
        settings=Settings(owned=("orders.*",)),
        options=DELETE,
    )
    assert kinds(plan) == [(ActionKind.DELETE, "orders.a")]
    assert plan.unmanaged == ()


def test_allow_delete_without_owned_topics_deletes_no_undeclared_topic() -> None:
    plan = plan_of(desired(), cluster(existing("orders.a")), options=DELETE)
    assert plan.actions == ()
    assert plan.unmanaged == ("orders.a",)
    assert any("owned_topics" in w for w in plan.warnings)


def test_allow_delete_never_deletes_protected_undeclared_topics() -> None:
    plan = plan_of(
        desired(),
        cluster(existing("orders.a"), existing("orders.audit")),
        settings=Settings(owned=("orders.*",), protected=("orders.audit",)),
        options=DELETE,
    )
    assert kinds(plan) == [(ActionKind.DELETE, "orders.a")]


def test_actions_are_ordered_by_kind_then_name() -> None:
    plan = plan_of(
        desired(
            declared("b-new"),
            declared("a-new"),
            declared("c-grow", 6),
            declared("a-conf", config={"retention.ms": "1"}),
            tombstone("z-old"),
        ),
        cluster(existing("c-grow", 3), existing("a-conf"), existing("z-old")),
        options=DELETE,
    )
    assert kinds(plan) == [
        (ActionKind.CREATE, "a-new"),
        (ActionKind.CREATE, "b-new"),
        (ActionKind.ADD_PARTITIONS, "c-grow"),
        (ActionKind.ALTER_CONFIG, "a-conf"),
        (ActionKind.DELETE, "z-old"),
    ]


def test_the_fingerprint_covers_declared_topics_only() -> None:
    want = desired(declared("orders"))
    before = plan_of(want, cluster(existing("orders")))
    other_topic_created = plan_of(want, cluster(existing("orders"), existing("noise")))
    orders_changed = plan_of(want, cluster(existing("orders", overrides={"retention.ms": "1"})))
    assert before.fingerprint == other_topic_created.fingerprint
    assert before.fingerprint != orders_changed.fingerprint
    assert before.declared == ("orders",)


def test_the_fingerprint_covers_undeclared_topics_the_plan_deletes() -> None:
    plan = plan_of(desired(), cluster(existing("orders.a")), Settings(owned=("orders.*",)), DELETE)
    assert plan.declared == ("orders.a",)
    assert plan.fingerprint == cluster(existing("orders.a")).fingerprint({"orders.a"})


def test_creating_a_name_that_collides_with_an_existing_topic_warns() -> None:
    plan = plan_of(desired(declared("orders_created")), cluster(existing("orders.created")))
    assert plan.warnings == (
        "orders_created: create, but the cluster has 'orders.created', which Kafka treats as "
        "the same name ('.' and '_' collide); Kafka will reject it",
    )


def test_creating_with_more_replicas_than_live_brokers_warns() -> None:
    plan = plan_of(desired(declared("orders", rf=3)), cluster(brokers=(1,)))
    assert any("replication factor 3" in w and "1 live broker" in w for w in plan.warnings)


def test_the_plan_records_cluster_and_environment() -> None:
    plan = plan_of(desired(declared("a"), environment="production"), cluster())
    assert plan.cluster_id == "cluster-1" and plan.environment == "production"


def test_a_broker_reporting_the_source_as_default_still_compares_by_value() -> None:
    # Some Kafka-compatible brokers report every key as a default.
    reported = {"retention.ms": ConfigEntry("1000", ConfigSource.DEFAULT)}
    have = cluster(replace(existing("orders"), config=reported))
    plan = plan_of(desired(declared("orders", config={"retention.ms": "1000"})), have)
    assert plan.actions == () and plan.undeclared_overrides == {}


def test_sending_a_key_removed_in_kafka_4_warns() -> None:
    plan = plan_of(
        desired(declared("orders", config={"message.format.version": "3.0-IV1"})), cluster()
    )
    assert any(w.startswith("orders: message.format.version") for w in plan.warnings)


def test_a_recreate_warns_that_clients_need_a_restart() -> None:
    plan = plan_of(
        desired(declared("orders", 1)),
        cluster(existing("orders", 3)),
        options=PlanOptions(allow_recreate=True),
    )
    assert any("restart its producers and consumers" in w for w in plan.warnings)


# ----------------------------------------------------------------- --target


def test_targets_limit_the_plan_to_the_topics_they_match() -> None:
    plan = plan_of(
        desired(declared("orders.a"), declared("orders.b"), declared("payments.a")),
        cluster(),
        options=PlanOptions(targets=("orders.*",)),
    )
    assert kinds(plan) == [(ActionKind.CREATE, "orders.a"), (ActionKind.CREATE, "orders.b")]


def test_several_targets_add_up() -> None:
    plan = plan_of(
        desired(declared("orders.a"), declared("payments.a"), declared("audit")),
        cluster(),
        options=PlanOptions(targets=("orders.a", "pay*")),
    )
    assert [topic for _, topic in kinds(plan)] == ["orders.a", "payments.a"]


def test_a_targeted_plan_fingerprints_only_the_targeted_topics() -> None:
    plan = plan_of(
        desired(declared("orders.a"), declared("payments.a")),
        cluster(),
        options=PlanOptions(targets=("orders.*",)),
    )
    assert plan.declared == ("orders.a",)
    assert plan.targets == ("orders.*",)


def test_targets_limit_the_unmanaged_topics_and_their_deletes() -> None:
    owned = Settings(owned=("*",))
    plan = plan_of(
        desired(),
        cluster(existing("orders.stray"), existing("payments.stray")),
        owned,
        PlanOptions(allow_delete=True, targets=("orders.*",)),
    )
    assert kinds(plan) == [(ActionKind.DELETE, "orders.stray")]


def test_a_target_matching_no_topic_warns() -> None:
    plan = plan_of(
        desired(declared("orders.a")), cluster(), options=PlanOptions(targets=("ordrs.*",))
    )
    assert plan.actions == ()
    assert any("--target 'ordrs.*' matches no topic" in w for w in plan.warnings)


# ------------------------------------------------------- partition capacity


def test_creating_more_partitions_than_the_brokers_can_hold_warns() -> None:
    plan = plan_of(desired(declared("huge", 100_000)), cluster(brokers=(1,)))
    (warning,) = plan.warnings
    assert "100,000 partitions" in warning and "1 live broker" in warning
    assert "at most 4,000 per broker" in warning


def test_the_partition_guidance_counts_replicas_on_every_broker() -> None:
    # 1,500 partitions with 3 replicas on 1 broker: 4,500 replicas there.
    plan = plan_of(desired(declared("t", 1_500, rf=3)), cluster(brokers=(1, 2, 3)))
    assert plan.warnings == ()
    crowded = plan_of(
        desired(declared("t", 1_500, rf=3)), cluster(existing("old", 3_000, 3), brokers=(1, 2, 3))
    )
    assert any("about 4,500 per broker" in w for w in crowded.warnings)


def test_adding_partitions_past_the_guidance_warns() -> None:
    plan = plan_of(desired(declared("t", 5_000)), cluster(existing("t", 10), brokers=(1,)))
    assert any("adds 4,990 partition replicas" in w for w in plan.warnings)


def test_a_plan_within_the_partition_guidance_does_not_warn() -> None:
    plan = plan_of(desired(declared("t", 4_000)), cluster(brokers=(1,)))
    assert plan.warnings == ()


def test_a_cluster_already_past_the_guidance_is_not_warned_about_without_new_partitions() -> None:
    plan = plan_of(
        desired(declared("t", 9_000, config={"retention.ms": "1"})),
        cluster(existing("t", 9_000), brokers=(1,)),
    )
    assert plan.warnings == ()
