"""Drift rules: what counts as drift, and how each difference is reported."""

from __future__ import annotations

from reconciler.plan.drift import ConfigDrift, UnmanagedTopic, detect_drift, drift_document
from reconciler.settings import Settings
from tests.states import cluster, declared, desired, existing, tombstone

SETTINGS = Settings()


def test_a_cluster_matching_the_declarations_has_no_drift() -> None:
    report = detect_drift(
        desired(declared("orders", 3, 1, {"retention.ms": "1000"})),
        cluster(existing("orders", 3, 1, {"retention.ms": "1000"})),
        SETTINGS,
    )
    assert not report.drift


def test_a_declared_topic_absent_from_the_cluster_is_missing() -> None:
    report = detect_drift(desired(declared("orders")), cluster(), SETTINGS)
    assert report.missing == ("orders",) and report.drift


def test_a_changed_config_value_is_reported_declared_against_actual() -> None:
    report = detect_drift(
        desired(declared("orders", config={"retention.ms": "1000"})),
        cluster(existing("orders", overrides={"retention.ms": "2000"})),
        SETTINGS,
    )
    (change,) = report.changed
    assert change.config == (ConfigDrift("retention.ms", "1000", "2000"),)


def test_a_declared_key_the_broker_omits_is_reported_at_its_default() -> None:
    report = detect_drift(
        desired(declared("orders", config={"retention.ms": "1000"})),
        cluster(existing("orders")),
        SETTINGS,
    )
    assert report.changed[0].config == (ConfigDrift("retention.ms", "1000", "604800000"),)


def test_partition_and_replication_differences_are_reported_declared_first() -> None:
    report = detect_drift(
        desired(declared("orders", 6, 3)), cluster(existing("orders", 12, 2)), SETTINGS
    )
    (change,) = report.changed
    assert change.partitions == (6, 12) and change.replication_factor == (3, 2)


def test_undeclared_overrides_are_drift() -> None:
    report = detect_drift(
        desired(declared("orders")),
        cluster(existing("orders", overrides={"segment.ms": "1000"})),
        SETTINGS,
    )
    assert report.changed[0].undeclared_overrides == {"segment.ms": "1000"}


def test_an_undeclared_topic_is_unmanaged() -> None:
    report = detect_drift(desired(), cluster(existing("stray", 6)), SETTINGS)
    assert report.unmanaged == (UnmanagedTopic("stray", 6, auto_created=False),)


def test_an_undeclared_topic_with_one_partition_and_no_overrides_looks_auto_created() -> None:
    report = detect_drift(desired(), cluster(existing("ordres.created", 1)), SETTINGS)
    assert report.unmanaged[0].auto_created


def test_an_undeclared_single_partition_topic_with_overrides_is_not_auto_created() -> None:
    report = detect_drift(
        desired(), cluster(existing("tuned", 1, overrides={"retention.ms": "1"})), SETTINGS
    )
    assert not report.unmanaged[0].auto_created


def test_internal_protected_and_unowned_topics_are_not_drift() -> None:
    report = detect_drift(
        desired(),
        cluster(
            existing("__consumer_offsets", internal=True),
            existing("_schemas"),
            existing("billing.x"),
        ),
        Settings(owned=("orders.*",)),
    )
    assert not report.drift


def test_a_topic_declared_deleted_but_still_present_is_lingering() -> None:
    report = detect_drift(desired(tombstone("old")), cluster(existing("old")), SETTINGS)
    assert report.lingering == ("old",) and report.drift


def test_a_topic_declared_deleted_and_gone_is_not_drift() -> None:
    assert not detect_drift(desired(tombstone("old")), cluster(), SETTINGS).drift


def test_the_drift_document_lists_each_kind_of_drift() -> None:
    report = detect_drift(
        desired(declared("orders", 6), declared("absent")),
        cluster(existing("orders", 3), existing("stray", 1)),
        SETTINGS,
    )
    doc = drift_document(report)
    assert doc["drift"] is True
    assert doc["missing"] == ["absent"]
    assert doc["unmanaged"] == [{"topic": "stray", "partitions": 1, "auto_created": True}]
    assert doc["changed"][0]["partitions"] == {"declared": 6, "actual": 3}
